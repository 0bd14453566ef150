//! The evaluator: runs a [`Program`] over a document's resources and yields findings.
//! Pure and deterministic; it reads only the IR and the resource model.

pub(crate) mod builtins;
pub(crate) mod expr;
mod pointer;
pub mod value;

pub use expr::{Blame, Evaluator};
pub use value::{Truth, Val};

use crate::input::model::Document;
use crate::ir::{MessagePart, Program, Stmt};
use rayon::prelude::*;
use serde_json::Value as Json;
use std::collections::HashMap;

/// What a rule concluded about a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Fail,
    Unknown,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

/// One failing or undecided `require` for one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: u32,
    pub status: Status,
    pub resource: u32,
    /// JSON pointer of the value to blame (or of the resource).
    pub pointer: String,
    pub message: String,
}

/// Counts of (rule, resource) outcomes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    /// A `when` excluded the resource.
    pub skipped: usize,
}

/// Findings of one document, and the per-rule tally.
#[derive(Debug, Default)]
pub struct DocResult {
    pub findings: Vec<Finding>,
    /// Indexed by rule.
    pub tally: Vec<Tally>,
    /// (rule, resource) pairs that passed, the evidence `--include-passing` reports.
    pub passed: Vec<(u32, u32)>,
}

/// Documents with more resources than this are evaluated in parallel chunks.
const CHUNK: usize = 256;

/// Evaluate every block that selects each resource of `doc`. Large documents are split
/// into chunks evaluated on rayon; the result is the same as evaluating in one go.
pub fn evaluate(prog: &Program, doc: &Document) -> DocResult {
    let n = doc.resources.len();
    if n <= CHUNK {
        return evaluate_range(prog, doc, 0..n);
    }
    let parts: Vec<DocResult> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| evaluate_range(prog, doc, c * CHUNK..((c + 1) * CHUNK).min(n)))
        .collect();
    let mut result = DocResult {
        findings: Vec::new(),
        tally: vec![Tally::default(); prog.rules.len()],
        passed: Vec::new(),
    };
    for part in parts {
        result.findings.extend(part.findings);
        result.passed.extend(part.passed);
        for (t, p) in result.tally.iter_mut().zip(&part.tally) {
            t.add(p);
        }
    }
    result
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.pass += other.pass;
        self.fail += other.fail;
        self.unknown += other.unknown;
        self.skipped += other.skipped;
    }
}

fn evaluate_range(prog: &Program, doc: &Document, range: std::ops::Range<usize>) -> DocResult {
    let mut result = DocResult {
        findings: Vec::new(),
        tally: vec![Tally::default(); prog.rules.len()],
        passed: Vec::new(),
    };
    let mut ev = Evaluator::new(prog, Some(doc));
    let mut by_type: HashMap<&str, Vec<u32>> = HashMap::new();
    for (ri, res) in doc
        .resources
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
    {
        let blocks = by_type
            .entry(&res.type_name)
            .or_insert_with(|| prog.blocks_for(doc.kind, &res.type_name));
        let mut outcome: HashMap<u32, Option<Status>> = HashMap::new();
        for &b in blocks.iter() {
            let block = &prog.blocks[b as usize];
            let entry = outcome.entry(block.rule).or_insert(None);
            let before = result.findings.len();
            let applicable = run_block(&mut ev, block, ri as u32, &mut result.findings);
            let worst = result.findings[before..].iter().map(|f| f.status).min();
            *entry = match (*entry, worst) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if !applicable && worst.is_none() {
                outcome.remove(&block.rule);
                result.tally[block.rule as usize].skipped += 1;
            }
        }
        for (rule, status) in outcome {
            let t = &mut result.tally[rule as usize];
            match status {
                None => {
                    t.pass += 1;
                    result.passed.push((rule, ri as u32));
                }
                Some(Status::Fail) => t.fail += 1,
                Some(Status::Unknown) => t.unknown += 1,
            }
        }
    }
    result
}

/// Run one block for one resource; `false` when a `when` excluded it.
fn run_block<'a>(
    ev: &mut Evaluator<'a>,
    block: &'a crate::ir::Block,
    res: u32,
    out: &mut Vec<Finding>,
) -> bool {
    ev.locals.clear();
    ev.base = 0;
    ev.locals
        .resize(block.slots.max(1) as usize, Val::Missing(None));
    ev.locals[0] = Val::Resource(res);
    ev.let_sources.clear();
    ev.let_sources.resize(block.slots.max(1) as usize, None);
    let doc = ev.doc.expect("evaluate sets the document");
    let resource = &doc.resources[res as usize];
    for stmt in &block.stmts {
        match stmt {
            Stmt::Let { slot, value } => {
                let v = ev.eval(*value);
                ev.locals[*slot as usize] = v;
                ev.let_sources[*slot as usize] = Some(*value);
            }
            Stmt::When(c) => match ev.cond(*c) {
                (Truth::True, _) => {}
                (Truth::False, _) => return false,
                (Truth::Unknown, blame) => {
                    out.push(Finding {
                        rule: block.rule,
                        status: Status::Unknown,
                        resource: res,
                        pointer: pointer::of(resource, blame),
                        message: "whether the rule applies cannot be known before deployment"
                            .to_string(),
                    });
                    return true;
                }
            },
            Stmt::Require {
                cond,
                message,
                text,
            } => {
                let (truth, blame) = ev.cond(*cond);
                let status = match truth {
                    Truth::True => continue,
                    Truth::False => Status::Fail,
                    Truth::Unknown => Status::Unknown,
                };
                let msg = if status == Status::Unknown {
                    let reason = match blame {
                        Some(Blame::Node(j)) => {
                            crate::input::model::unknown_reason(j).map(str::to_string)
                        }
                        _ => None,
                    };
                    match reason {
                        Some(r) if r.starts_with("known") => format!("cannot be decided before deployment: the value is {r}"),
                        Some(r) if !r.is_empty() => format!("cannot be decided before deployment: the value comes from `{r}`"),
                        _ => format!("cannot be decided before deployment: `{text}` depends on a value not known yet"),
                    }
                } else {
                    render(ev, message, text)
                };
                out.push(Finding {
                    rule: block.rule,
                    status,
                    resource: res,
                    pointer: pointer::of(resource, blame),
                    message: msg,
                });
            }
        }
    }
    true
}

fn render<'a>(ev: &mut Evaluator<'a>, message: &'a [MessagePart], text: &str) -> String {
    if message.is_empty() {
        return format!("`{text}` does not hold");
    }
    let mut out = String::new();
    for part in message {
        match part {
            MessagePart::Text(t) => out.push_str(t),
            MessagePart::Value(n) => {
                let v = ev.eval(*n);
                out.push_str(&ev.display(&v));
            }
        }
    }
    out
}

/// The constant value of a node whose operands are constants (used by the compiler to fold).
pub fn fold(prog: &Program, node: u32) -> Option<Json> {
    let mut ev = Evaluator::new(prog, None);
    let v = ev.eval(node);
    v.to_json(&|_| String::new())
}
