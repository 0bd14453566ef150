//! The evaluator: runs a [`Program`] over a document's resources and yields findings.
//! Pure and deterministic; it reads only the IR and the resource model.

pub mod builtins;
pub mod expr;
mod pointer;
pub mod trace;
pub mod value;

pub use expr::{Blame, Evaluator};
pub use value::{Truth, Val};

use crate::ir::{Block, MessagePart, NodeId, Program, Stmt};
use crate::model::Document;
use foldhash::HashMap;
use rayon::prelude::*;
use serde_json::Value as Json;

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

/// One failing or undecided `require` for one resource (or for the document).
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: u32,
    pub status: Status,
    /// The resource; `None` for a `document` block's finding.
    pub resource: Option<u32>,
    /// JSON pointer of the value to blame (or of the resource).
    pub pointer: String,
    pub message: String,
    /// The block (its index in `Program::blocks`) and the statement in it (a `require`, or
    /// a `when` that could not be decided) that gave the finding: fixture coverage.
    pub block: u32,
    pub stmt: u32,
}

/// Counts of (rule, resource) outcomes; a `document` block counts once per document.
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
    /// Indexed by rule; empty from [`evaluate_into`], which counts into the caller's.
    pub tally: Vec<Tally>,
    /// (rule, resource) pairs that passed, the evidence `--include-passing` reports; `None`
    /// for a `document` block, which passes for the document as a whole.
    pub passed: Vec<(u32, Option<u32>)>,
    /// Expression nodes evaluated, all blocks together: the operation count by which
    /// `tests/growth.rs` checks that work grows linearly with the input.
    pub steps: u64,
}

/// How evaluation is bounded, and whether it may spread over threads.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nodes one block may evaluate for one resource (or document) before it is undecided.
    pub max_steps: u64,
    /// A document of more than [`CHUNK`] resources is evaluated in chunks on rayon's pool.
    /// Off when the caller keeps every core busy with other documents already: handing the
    /// chunks to the pool then only adds the cost of the hand-off (docs/performance.md).
    pub split: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_steps: expr::DEFAULT_MAX_STEPS,
            split: true,
        }
    }
}

impl Limits {
    /// The limits the program was compiled with (`--max-steps`), or the defaults.
    pub fn of(prog: &Program) -> Limits {
        Limits {
            max_steps: prog.max_steps.unwrap_or(expr::DEFAULT_MAX_STEPS),
            ..Limits::default()
        }
    }
}

/// Documents with more resources than this are evaluated in parallel chunks, when
/// [`Limits::split`] allows.
const CHUNK: usize = 256;

/// Evaluate every block that selects each resource of `doc`. Large documents are split
/// into chunks evaluated on rayon; the result is the same as evaluating in one go.
pub fn evaluate(prog: &Program, doc: &Document) -> DocResult {
    evaluate_with(prog, doc, Limits::of(prog))
}

/// [`evaluate`] within `limits`.
pub fn evaluate_with(prog: &Program, doc: &Document, limits: Limits) -> DocResult {
    let mut tally = vec![Tally::default(); prog.rules.len()];
    let mut result = evaluate_into(prog, doc, limits, &mut tally);
    result.tally = tally;
    result
}

/// [`evaluate_with`], adding each rule's outcomes to `tally` (indexed by rule) rather than
/// to a tally of the document's own: a stream's many small documents are counted into their
/// input's tally without a tally of every rule per line. The result's `tally` is empty.
pub fn evaluate_into(
    prog: &Program,
    doc: &Document,
    limits: Limits,
    tally: &mut [Tally],
) -> DocResult {
    let n = doc.resources.len();
    let mut result = if n <= CHUNK || !limits.split {
        evaluate_range(prog, doc, 0..n, limits, tally)
    } else {
        let parts: Vec<(DocResult, Vec<Tally>)> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut part_tally = vec![Tally::default(); prog.rules.len()];
                let range = c * CHUNK..((c + 1) * CHUNK).min(n);
                let part = evaluate_range(prog, doc, range, limits, &mut part_tally);
                (part, part_tally)
            })
            .collect();
        let mut result = DocResult::default();
        for (part, part_tally) in parts {
            result.steps += part.steps;
            result.findings.extend(part.findings);
            result.passed.extend(part.passed);
            for (t, p) in tally.iter_mut().zip(&part_tally) {
                t.add(p);
            }
        }
        result
    };
    evaluate_document_blocks(prog, doc, limits, &mut result, tally);
    result
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.pass += other.pass;
        self.fail += other.fail;
        self.unknown += other.unknown;
        self.skipped += other.skipped;
    }

    fn count(&mut self, outcome: Option<Status>) {
        match outcome {
            None => self.pass += 1,
            Some(Status::Fail) => self.fail += 1,
            Some(Status::Unknown) => self.unknown += 1,
        }
    }
}

/// What one block concluded for one subject (a resource or the document).
struct BlockRun {
    /// `false` when a `when` excluded the subject.
    applies: bool,
    findings: Vec<Finding>,
}

/// The worst status of some findings (fail before unknown), `None` when there are none.
fn worst(findings: &[Finding]) -> Option<Status> {
    findings.iter().map(|f| f.status).min()
}

fn evaluate_range(
    prog: &Program,
    doc: &Document,
    range: std::ops::Range<usize>,
    limits: Limits,
    tally: &mut [Tally],
) -> DocResult {
    let mut result = DocResult::default();
    let mut ev = Evaluator::new(prog, Some(doc));
    ev.max_steps = limits.max_steps;
    // The program keeps each type's blocks for the run (`Program::blocks_for`); this map
    // spares the resources of one document its shared lock (measured: without it, 4 % more
    // instructions over 1,000 Config items).
    let mut by_type: HashMap<&str, std::sync::Arc<[u32]>> = HashMap::default();
    // Per rule that applied to the resource: its worst outcome (`None`: it held).
    let mut outcome: Vec<(u32, Option<Status>)> = Vec::new();
    for (ri, res) in doc
        .resources
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
    {
        let blocks = by_type
            .entry(&res.type_name)
            .or_insert_with(|| prog.blocks_for(doc.kind, &res.type_name))
            .clone();
        outcome.clear();
        for &b in blocks.iter() {
            let block = &prog.blocks[b as usize];
            let run = run_resource_block(&mut ev, (b, block), ri as u32);
            let found = worst(&run.findings);
            result.findings.extend(run.findings);
            // A rule's blocks come one after another: its entry is most often the last.
            let at = outcome.iter().rposition(|(r, _)| *r == block.rule);
            if !run.applies && found.is_none() {
                if at.is_none() {
                    tally[block.rule as usize].skipped += 1;
                }
                continue;
            }
            let i = at.unwrap_or_else(|| {
                outcome.push((block.rule, None));
                outcome.len() - 1
            });
            let entry = &mut outcome[i].1;
            *entry = match (*entry, found) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        outcome.sort_unstable();
        for &(rule, status) in &outcome {
            tally[rule as usize].count(status);
            if status.is_none() {
                result.passed.push((rule, Some(ri as u32)));
            }
        }
    }
    result.steps = ev.work;
    result
}

/// Run the `document` blocks of the document's kind, once each.
fn evaluate_document_blocks(
    prog: &Program,
    doc: &Document,
    limits: Limits,
    out: &mut DocResult,
    tally: &mut [Tally],
) {
    let mut ev = Evaluator::new(prog, Some(doc));
    ev.max_steps = limits.max_steps;
    for &(kind, b) in &prog.index.documents {
        if kind != doc.kind {
            continue;
        }
        let block = &prog.blocks[b as usize];
        let run = run_block(&mut ev, (b, block), Subject::Document(&doc.root));
        let found = worst(&run.findings);
        out.findings.extend(run.findings);
        let tally = &mut tally[block.rule as usize];
        if !run.applies && found.is_none() {
            tally.skipped += 1;
        } else {
            tally.count(found);
            if found.is_none() {
                out.passed.push((block.rule, None));
            }
        }
    }
    out.steps += ev.work;
}

/// What a block's binding stands for.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Resource(u32),
    Document(&'a Json),
}

/// Run a block for a resource; where that leaves a `require` undecided and the resource has
/// variants (its properties under each choice of the `Fn::If` conditions it leaves
/// undecided), decide it variant by variant: an outcome every variant agrees on stands.
fn run_resource_block<'a>(ev: &mut Evaluator<'a>, block: (u32, &'a Block), res: u32) -> BlockRun {
    let base = run_block(ev, block, Subject::Resource(res));
    let variants = ev
        .doc
        .and_then(|d| d.resources.get(res as usize))
        .map_or(0, |r| r.variants.len());
    let undecided = base.findings.iter().any(|f| f.status == Status::Unknown);
    if variants == 0 || !undecided || ev.exhausted() {
        return base;
    }
    let runs: Vec<BlockRun> = (0..variants)
        .map(|i| {
            ev.variant = Some((res, i));
            let run = run_block(ev, block, Subject::Resource(res));
            ev.variant = None;
            run
        })
        .collect();
    if ev.exhausted() {
        return base;
    }
    combine_variants(base, runs)
}

/// One outcome from the runs of a block over every variant: where all variants agree (a
/// `require` holds in each, or fails in each), that; otherwise the first run's unknown.
fn combine_variants(base: BlockRun, runs: Vec<BlockRun>) -> BlockRun {
    // Per variant: `None` when the block held (or did not apply), else its worst finding.
    let verdicts: Vec<Option<Status>> = runs
        .iter()
        .map(|r| if r.applies { worst(&r.findings) } else { None })
        .collect();
    if verdicts.iter().all(Option::is_none) {
        let applies = runs.iter().any(|r| r.applies);
        return BlockRun {
            applies,
            findings: Vec::new(),
        };
    }
    if verdicts.iter().all(|v| *v == Some(Status::Fail)) {
        // Every variant fails: report the failures of the first.
        let mut first = runs
            .into_iter()
            .next()
            .map(|r| r.findings)
            .unwrap_or_default();
        first.retain(|f| f.status == Status::Fail);
        return BlockRun {
            applies: true,
            findings: first,
        };
    }
    base
}

/// Run one block for one subject.
fn run_block<'a>(
    ev: &mut Evaluator<'a>,
    (block_id, block): (u32, &'a Block),
    subject: Subject<'a>,
) -> BlockRun {
    // The budget is per block and subject: one slow rule leaves the others their own.
    ev.steps = 0;
    let slots = block.slots.max(1) as usize;
    ev.locals.clear();
    ev.base = 0;
    ev.locals.resize(slots, Val::Missing(None));
    ev.locals[0] = match subject {
        Subject::Resource(r) => Val::Resource(r),
        Subject::Document(root) => Val::Doc(root),
    };
    ev.let_sources.clear();
    ev.let_sources.resize(slots, None);
    let resource = match subject {
        Subject::Resource(r) => Some(r),
        Subject::Document(_) => None,
    };
    let locate = |ev: &Evaluator<'a>, blame: Option<Blame<'a>>| -> String {
        let doc = ev.doc.expect("evaluate sets the document");
        match (resource, subject) {
            (Some(r), _) => pointer::of(&doc.resources[r as usize], blame),
            (None, Subject::Document(root)) => pointer::in_root(root, blame),
            (None, Subject::Resource(_)) => String::new(),
        }
    };
    let finding = |stmt, status, pointer, message| Finding {
        rule: block.rule,
        status,
        resource,
        pointer,
        message,
        block: block_id,
        stmt,
    };
    let mut findings = Vec::new();
    // `let`s only messages read wait for the first finding (then all of them run, in order).
    let mut for_messages = false;
    let run_let = |ev: &mut Evaluator<'a>, slot: u32, value: NodeId| {
        let v = ev.eval(value);
        ev.locals[slot as usize] = v;
        ev.let_sources[slot as usize] = Some(value);
    };
    for (stmt_id, stmt) in (0u32..).zip(&block.stmts) {
        match stmt {
            Stmt::Let {
                for_messages: true, ..
            } => for_messages = true,
            Stmt::Let { slot, value, .. } => run_let(ev, *slot, *value),
            Stmt::When(c) => match ev.decide_guard(*c) {
                (Truth::True, _) => {}
                (Truth::False, _) => {
                    return BlockRun {
                        applies: false,
                        findings,
                    }
                }
                (Truth::Unknown, blame) => {
                    let why = undecided(ev, blame, None);
                    let message = format!(
                        "whether the rule applies cannot be decided before deployment: {why}"
                    );
                    findings.push(finding(
                        stmt_id,
                        Status::Unknown,
                        locate(ev, blame),
                        message,
                    ));
                    return BlockRun {
                        applies: true,
                        findings,
                    };
                }
            },
            Stmt::Require {
                cond,
                message,
                text,
                offenders,
            } => {
                let (truth, blame) = ev.decide(*cond);
                let status = match truth {
                    Truth::True => continue,
                    Truth::False => Status::Fail,
                    Truth::Unknown => Status::Unknown,
                };
                if std::mem::take(&mut for_messages) {
                    for s in &block.stmts {
                        if let Stmt::Let {
                            slot,
                            value,
                            for_messages: true,
                        } = s
                        {
                            run_let(ev, *slot, *value);
                        }
                    }
                }
                if let Some((slot, quant)) = offenders {
                    let broke = ev.offenders(*quant, status == Status::Unknown);
                    ev.locals[*slot as usize] = broke;
                }
                let msg = if status == Status::Unknown {
                    let why = undecided(ev, blame, Some(text));
                    if message.is_empty() {
                        format!("cannot be decided before deployment: {why}")
                    } else {
                        format!("{} (undecided: {why})", render(ev, message, text))
                    }
                } else {
                    render(ev, message, text)
                };
                findings.push(finding(stmt_id, status, locate(ev, blame), msg));
            }
        }
    }
    BlockRun {
        applies: true,
        findings,
    }
}

/// Why a condition is undecided, as a clause (`the value comes from \`Ref P\``).
fn undecided<'a>(ev: &Evaluator<'a>, blame: Option<Blame<'a>>, text: Option<&str>) -> String {
    if ev.exhausted() {
        return format!(
            "evaluation stopped after {} steps (raise the limit with --max-steps)",
            ev.max_steps
        );
    }
    let reason = match blame {
        Some(Blame::Node(j)) => crate::model::unknown_reason(j).map(str::to_string),
        _ => None,
    };
    if let (None, Some(said)) = (&reason, &ev.said) {
        return said.to_string();
    }
    match (reason, text) {
        (Some(r), _) if r.starts_with("known") => format!("the value is {r}"),
        (Some(r), _) if !r.is_empty() => format!("the value comes from `{r}`"),
        (_, Some(text)) => format!("`{text}` depends on a value not known yet"),
        (_, None) => "it depends on a value not known yet".to_string(),
    }
}

fn render<'a>(ev: &mut Evaluator<'a>, message: &'a [MessagePart], text: &str) -> String {
    if message.is_empty() {
        return format!("`{text}` does not hold");
    }
    // Sized for the text and short values: grown step by step it was a third of the cost.
    let literal: usize = message
        .iter()
        .map(|p| match p {
            MessagePart::Text(t) => t.len(),
            MessagePart::Value(_) => 24,
        })
        .sum();
    let mut out = String::with_capacity(literal.min(MAX_MESSAGE_BYTES));
    for part in message {
        match part {
            MessagePart::Text(t) => out.push_str(t),
            MessagePart::Value(n) => {
                let v = ev.eval(*n);
                out.push_str(&ev.display(&v));
            }
        }
        if out.len() > MAX_MESSAGE_BYTES {
            // The rest is neither evaluated nor shown: a message is for a person to read.
            let mut cut = MAX_MESSAGE_BYTES;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
            break;
        }
    }
    out
}

/// How long a finding's message may grow (a message with thousands of holes, or a hole
/// holding a whole document, is cut here).
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// The constant value of a node whose operands are constants (used by the compiler to fold).
pub fn fold(prog: &Program, node: u32) -> Option<Json> {
    let mut ev = Evaluator::new(prog, None);
    let v = ev.eval(node);
    if v.is_unknown() {
        // Kept as a node: a constant is known, and this is not.
        return None;
    }
    v.to_json(&|_| String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting into a caller's tally adds what the document's own tally would hold, large
    /// documents (evaluated in chunks) included.
    #[test]
    fn evaluate_into_adds_the_documents_tally() {
        let set = crate::engine::Engine::new().with_stdlib().compile();
        let prog = &set.program;
        let buckets: Vec<String> = (0..CHUNK + 10)
            .map(|i| format!(r#""B{i}": {{"Type": "AWS::S3::Bucket", "Properties": {{}}}}"#))
            .collect();
        let large = format!(r#"{{"Resources": {{{}}}}}"#, buckets.join(", "));
        for text in [crate::report::FAILING_TEMPLATE, large.as_str()] {
            let doc = crate::input::test_document("t.json", text);
            let own = evaluate_with(prog, &doc, Limits::of(prog));
            let mut tally = vec![Tally::default(); prog.rules.len()];
            tally[0].pass = 7;
            let into = evaluate_into(prog, &doc, Limits::of(prog), &mut tally);
            assert!(into.tally.is_empty());
            assert_eq!(into.findings.len(), own.findings.len());
            assert!(own.tally.iter().any(|t| t.fail > 0));
            for (i, (t, o)) in tally.iter().zip(&own.tally).enumerate() {
                let before = if i == 0 { 7 } else { 0 };
                assert_eq!(
                    (t.pass, t.fail, t.unknown, t.skipped),
                    (o.pass + before, o.fail, o.unknown, o.skipped),
                    "rule {i}"
                );
            }
        }
    }

    /// A large document evaluated in chunks on the pool, or whole on this thread (as the
    /// driver has it while other inputs keep the threads busy), gives the same findings in
    /// the same order, the same passes and tally. (Not the same steps: each chunk has its own
    /// memo of document-wide predicates, so the chunks count more.)
    #[test]
    fn split_and_whole_evaluation_agree() {
        let set = crate::engine::Engine::new().with_stdlib().compile();
        let prog = &set.program;
        let resources: Vec<String> = (0..3 * CHUNK + 7)
            .map(|i| match i % 3 {
                0 => format!(r#""B{i}": {{"Type": "AWS::S3::Bucket", "Properties": {{}}}}"#),
                1 => format!(
                    r#""V{i}": {{"Type": "AWS::EC2::Volume", "Properties": {{"Encrypted": {}, "Size": 10}}}}"#,
                    i % 2 == 0
                ),
                _ => format!(
                    r#""G{i}": {{"Type": "AWS::EC2::SecurityGroup", "Properties": {{"GroupDescription": "g", "SecurityGroupIngress": [{{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}}]}}}}"#
                ),
            })
            .collect();
        let text = format!(r#"{{"Resources": {{{}}}}}"#, resources.join(", "));
        let doc = crate::input::test_document("t.json", &text);
        let split = evaluate_with(prog, &doc, Limits::of(prog));
        let whole = evaluate_with(
            prog,
            &doc,
            Limits {
                split: false,
                ..Limits::of(prog)
            },
        );
        assert!(split.findings.len() > 3 * CHUNK, "{}", split.findings.len());
        assert_eq!(split.findings, whole.findings);
        assert_eq!(split.passed, whole.passed);
        assert!(split.steps > whole.steps);
        assert_eq!(split.tally, whole.tally);
    }
}
