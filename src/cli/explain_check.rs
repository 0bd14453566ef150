//! `check --explain RULE[:RESOURCE]`: the decision path of one rule on each resource it
//! selects, in words (or JSON with `--format json`), as an auditor asks for it.

use super::{EXIT_ERROR, EXIT_OK};
use crate::driver::{discover, Input};
use crate::eval::trace::{explain, Trace};
use crate::input::{LoadOptions, Locator};
use crate::ir::{Glob, Program};
use crate::model::Document;
use crate::source::{line_col, line_starts, SourceMap};
use crate::RuleSet;
use std::path::PathBuf;

/// `RULE` or `RULE:RESOURCE` (a glob over resource names).
pub fn parse_target(text: &str) -> (String, Option<String>) {
    match text.split_once(':') {
        // A rule id never holds `:`; a resource name may (`db-1:a`), so split at the first.
        Some((rule, res)) if !res.is_empty() => (rule.to_string(), Some(res.to_string())),
        _ => (text.trim_end_matches(':').to_string(), None),
    }
}

/// Run the explanation; the exit code is 0 whatever the outcomes (it explains, it does not
/// gate), 2 when the rule is not loaded or an input cannot be read.
pub fn run(
    ruleset: &RuleSet,
    target: &str,
    paths: &[PathBuf],
    opts: &LoadOptions,
    json: bool,
) -> i32 {
    let (rule_id, only) = parse_target(target);
    let prog = &ruleset.program;
    let Some(rule) = prog.rules.iter().position(|r| r.id == rule_id) else {
        let near = crate::diagnostics::closest(&rule_id, prog.rules.iter().map(|r| r.id.as_str()));
        eprintln!(
            "error: no rule `{rule_id}` is loaded{}",
            near.map_or(String::new(), |n| format!("; did you mean `{n}`?"))
        );
        return EXIT_ERROR;
    };
    let only = only.map(|g| Glob::new(&g));
    let (inputs, errors) = discover(paths);
    let mut failed = !errors.is_empty();
    for e in &errors {
        eprintln!("error[{}]: {}", e.code.as_str(), e.message);
    }
    let mut docs: Vec<Document> = Vec::new();
    for input in &inputs {
        let bytes = match input {
            Input::File(p) => std::fs::read(p),
            Input::Stdin => {
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map(|_| b)
            }
        };
        let loaded = bytes.map_err(|e| e.to_string()).and_then(|b| {
            crate::input::load(&input.name(), b, opts).map_err(|e| e.diagnostic.message)
        });
        match loaded {
            Ok(l) => docs.extend(l.documents),
            Err(e) => {
                failed = true;
                eprintln!("error: `{}`: {e}", input.name());
            }
        }
    }
    let all: Vec<(DocView, Vec<Trace>, &Document)> = docs
        .iter()
        .map(|doc| {
            (
                doc_view(doc),
                explain(prog, doc, rule as u32, only.as_ref()),
                doc,
            )
        })
        .collect();
    let text = if json {
        to_json(prog, &all)
    } else {
        to_text(ruleset, &all)
    };
    print!("{text}");
    if failed {
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

/// What a trace needs of its document to say where things are.
struct DocView {
    name: String,
    starts: Vec<usize>,
}

fn doc_view(doc: &Document) -> DocView {
    DocView {
        name: doc.name.clone(),
        starts: line_starts(&doc.text),
    }
}

/// `file:line:column` of a pointer in the document.
fn place(doc: &Document, view: &DocView, pointer: &str) -> String {
    let mut locator = Locator::new(doc);
    let (offset, _) = locator.position(pointer);
    let (line, col) = line_col(&doc.text, &view.starts, offset);
    format!("{}:{line}:{col}", view.name)
}

fn subject(doc: &Document, t: &Trace) -> (String, String) {
    match t.resource.and_then(|r| doc.resources.get(r as usize)) {
        Some(r) => (r.name.clone(), r.type_name.clone()),
        None => (
            doc.name.clone(),
            crate::report::location::DOCUMENT_TYPE.to_string(),
        ),
    }
}

fn to_text(ruleset: &RuleSet, all: &[(DocView, Vec<Trace>, &Document)]) -> String {
    let prog = &ruleset.program;
    let mut s = String::new();
    let mut count = 0;
    for (view, traces, doc) in all {
        for t in traces {
            count += 1;
            let (name, ty) = subject(doc, t);
            let rule = &prog.rules[t.rule as usize];
            s.push_str(&format!(
                "{} on `{name}` ({ty}) in {}\n",
                rule.id, view.name
            ));
            let block = &prog.blocks[t.block as usize];
            for st in &t.statements {
                let code = block
                    .stmt_spans
                    .get(st.stmt as usize)
                    .map(|sp| source_text(&ruleset.sources, *sp))
                    .unwrap_or_default();
                let arrow = if st.kind == "let" { "=" } else { "→" };
                s.push_str(&format!(
                    "  {} {code}\n      {arrow} {}\n",
                    st.kind, st.result
                ));
                for e in &st.events {
                    let at = e
                        .pointer
                        .as_deref()
                        .map(|p| format!(" at {}", place(doc, view, p)))
                        .unwrap_or_default();
                    let why = e
                        .unknown
                        .as_deref()
                        .map(|r| format!(" (unknown: {r})"))
                        .unwrap_or_default();
                    let line = match e.kind {
                        "default" => format!("default applied: {} = {}{at}", e.expr, e.value),
                        "decided" => format!(
                            "decided by element {} = {}{at}",
                            e.index.unwrap_or(0),
                            e.value
                        ),
                        _ => format!("read {} = {}{at}{why}", e.expr, e.value),
                    };
                    s.push_str(&format!("      {line}\n"));
                }
            }
            s.push_str(&format!("  outcome: {}\n", t.outcome));
            for m in &t.messages {
                s.push_str(&format!("    {m}\n"));
            }
            s.push('\n');
        }
    }
    s.push_str(&format!(
        "explained {count} decision{}\n",
        if count == 1 { "" } else { "s" }
    ));
    s
}

/// The source text of a span, on one line.
fn source_text(sources: &SourceMap, span: crate::source::Span) -> String {
    let file = sources.get(span.file);
    file.text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn to_json(prog: &Program, all: &[(DocView, Vec<Trace>, &Document)]) -> String {
    let mut out = Vec::new();
    for (view, traces, doc) in all {
        for t in traces {
            let (name, ty) = subject(doc, t);
            let mut v = serde_json::to_value(t).unwrap_or_default();
            if let serde_json::Value::Object(m) = &mut v {
                m.insert("rule".into(), prog.rules[t.rule as usize].id.clone().into());
                m.insert("file".into(), view.name.clone().into());
                m.insert("resource".into(), name.into());
                m.insert("resource_type".into(), ty.into());
                if let Some(serde_json::Value::Array(sts)) = m.get_mut("statements") {
                    for st in sts {
                        let Some(serde_json::Value::Array(evs)) = st.get_mut("events") else {
                            continue;
                        };
                        for e in evs {
                            let at = e
                                .get("pointer")
                                .and_then(|p| p.as_str())
                                .map(|p| place(doc, view, p));
                            if let (Some(at), Some(o)) = (at, e.as_object_mut()) {
                                o.insert("location".into(), at.into());
                            }
                        }
                    }
                }
            }
            out.push(v);
        }
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Array(out)).unwrap_or_default();
    text.push('\n');
    text
}
