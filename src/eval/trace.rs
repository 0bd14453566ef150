//! `check --explain`: the decision path of one rule on each resource it selects — which
//! `when` held, what each `let` bound, each `require` with the values it read, which element
//! decided a quantifier, which `??` default applied, and why a value is unknown.

use super::expr::{blame_of, Evaluator, Event};
use super::value::{Truth, Val};
use super::{pointer, run_block, BlockRun, Status, Subject};
use crate::ir::{Glob, Node, Program, Stmt};
use crate::model::Document;

/// What one statement did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StatementTrace {
    /// Index of the statement in its block.
    pub stmt: u32,
    /// `let`, `when` or `require`.
    pub kind: &'static str,
    /// The `let`'s value, or the condition's truth (`true`, `false`, `unknown`).
    pub result: String,
    pub events: Vec<EventTrace>,
}

/// One read, default or decision, located in the document.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EventTrace {
    /// `read`, `default` or `decided`.
    pub kind: &'static str,
    /// The expression, with the rule's names (`db.StorageEncrypted`).
    pub expr: String,
    pub value: String,
    /// JSON pointer of the value in the document, where it is one of the document's.
    pub pointer: Option<String>,
    /// For `decided`: the element's index in the collection.
    pub index: Option<usize>,
    /// Why the value is unknown, when it is.
    pub unknown: Option<String>,
}

/// The decision of one block on one resource (or on the document).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Trace {
    pub rule: u32,
    pub block: u32,
    /// `None` for a `document` block.
    pub resource: Option<u32>,
    pub statements: Vec<StatementTrace>,
    /// `pass`, `fail`, `unknown` or `skipped`.
    pub outcome: &'static str,
    /// The messages of the findings the block gave, as `check` reports them.
    pub messages: Vec<String>,
}

/// Explain `rule` on every resource of `doc` it selects (those whose name matches `only`).
pub fn explain(prog: &Program, doc: &Document, rule: u32, only: Option<&Glob>) -> Vec<Trace> {
    let mut out = Vec::new();
    let mut ev = Evaluator::new(prog, Some(doc));
    ev.max_steps = prog.max_steps.unwrap_or(super::expr::DEFAULT_MAX_STEPS);
    for (b, block) in (0u32..).zip(&prog.blocks) {
        if block.rule != rule || block.kind != doc.kind {
            continue;
        }
        if block.document {
            let root = Subject::Document(&doc.root);
            out.push(trace_block(&mut ev, (b, block), root, None));
            continue;
        }
        for (r, res) in (0u32..).zip(&doc.resources) {
            if !block.pattern.matches(&res.type_name) || only.is_some_and(|g| !g.matches(&res.name))
            {
                continue;
            }
            out.push(trace_block(
                &mut ev,
                (b, block),
                Subject::Resource(r),
                Some(r),
            ));
        }
    }
    out
}

fn trace_block<'a>(
    ev: &mut Evaluator<'a>,
    (b, block): (u32, &'a crate::ir::Block),
    subject: Subject<'a>,
    resource: Option<u32>,
) -> Trace {
    // The outcome as `check` decides it (variants of `Fn::If` included) …
    let run: BlockRun = match subject {
        Subject::Resource(r) => super::run_resource_block(ev, (b, block), r),
        Subject::Document(_) => run_block(ev, (b, block), subject),
    };
    let outcome = match (run.applies, super::worst(&run.findings)) {
        (false, None) => "skipped",
        (_, None) => "pass",
        (_, Some(Status::Fail)) => "fail",
        (_, Some(Status::Unknown)) => "unknown",
    };
    let messages = run.findings.iter().map(|f| f.message.clone()).collect();
    // … and the path to it, statement by statement, on the plain properties.
    let statements = trace_statements(ev, block, subject, resource);
    Trace {
        rule: block.rule,
        block: b,
        resource,
        statements,
        outcome,
        messages,
    }
}

fn trace_statements<'a>(
    ev: &mut Evaluator<'a>,
    block: &'a crate::ir::Block,
    subject: Subject<'a>,
    resource: Option<u32>,
) -> Vec<StatementTrace> {
    let doc = ev.doc.expect("explain sets the document");
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
    ev.steps = 0;
    let names = &block.slot_names;
    let mut out = Vec::new();
    for (stmt, s) in (0u32..).zip(&block.stmts) {
        ev.trace = Some(Vec::new());
        let (kind, result, stop) = match s {
            // Every `let` is shown, those only messages read too.
            Stmt::Let { slot, value, .. } => {
                let v = ev.eval(*value);
                let shown = ev.display(&v);
                ev.locals[*slot as usize] = v;
                ev.let_sources[*slot as usize] = Some(*value);
                ("let", shown, false)
            }
            Stmt::When(c) => {
                let t = ev.decide(*c).0;
                ("when", truth(t).to_string(), t != Truth::True)
            }
            Stmt::Require { cond, .. } => {
                let t = ev.decide(*cond).0;
                ("require", truth(t).to_string(), false)
            }
        };
        let events = ev.trace.take().unwrap_or_default();
        let events = describe(ev, doc, resource, names, events);
        out.push(StatementTrace {
            stmt,
            kind,
            result,
            events,
        });
        if stop {
            break;
        }
    }
    ev.trace = None;
    out
}

fn truth(t: Truth) -> &'static str {
    match t {
        Truth::True => "true",
        Truth::False => "false",
        Truth::Unknown => "unknown",
    }
}

/// Events in words, with the pointers of the document values they name. A read that another
/// read continues (`db.A` of `db.A.B`) is left out: the longer path says it.
fn describe<'a>(
    ev: &Evaluator<'a>,
    doc: &'a Document,
    resource: Option<u32>,
    names: &[String],
    events: Vec<Event<'a>>,
) -> Vec<EventTrace> {
    let prog = ev.prog;
    let continued = |node: u32| {
        events.iter().any(|e| match e {
            Event::Read { node: n, .. } => matches!(
                prog.nodes[*n as usize],
                Node::Get(b, _) | Node::Index(b, _) | Node::Lookup(b, _) if b == node
            ),
            _ => false,
        })
    };
    let locate = |v: &Val<'a>| {
        let blame = blame_of(&[v]);
        blame?;
        Some(match resource.and_then(|r| doc.resources.get(r as usize)) {
            Some(res) => pointer::of(res, blame),
            None => pointer::in_root(&doc.root, blame),
        })
    };
    let unknown = |v: &Val<'a>| match v {
        Val::Unknown(why) => Some(
            why.reason()
                .unwrap_or("not known before deployment")
                .to_string(),
        ),
        _ => None,
    };
    let mut out: Vec<EventTrace> = Vec::new();
    for e in &events {
        let (kind, node, value, index, frame) = match e {
            Event::Read { node, value, frame } => {
                if continued(*node) {
                    continue;
                }
                ("read", *node, value, None, *frame)
            }
            Event::Default { node, value } => ("default", *node, value, None, None),
            Event::Decided {
                node,
                index,
                element,
            } => ("decided", *node, element, Some(*index), None),
        };
        let names = match frame {
            Some(f) => &prog.funcs[f as usize].slot_names,
            None => names,
        };
        let event = EventTrace {
            kind,
            expr: prog.expr_named(node, names),
            value: ev.display(value),
            pointer: locate(value),
            index,
            unknown: unknown(value),
        };
        // The same read of the same value (a predicate called per element) is said once.
        if !out
            .iter()
            .any(|o| o.kind == event.kind && o.expr == event.expr && o.pointer == event.pointer)
        {
            out.push(event);
        }
    }
    out
}
