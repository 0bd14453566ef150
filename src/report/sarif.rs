//! `sarif`: SARIF 2.1.0 as GitHub code scanning reads it. One `reportingDescriptor` per rule
//! that ran, one `result` per failing, unknown or waived finding (waived ones as suppressed
//! results), input errors and warnings as tool execution notifications.

use super::{Finding, Report};
use crate::catalogue::{Pillar, Risk};
use crate::eval::Status;
use crate::ir::RuleInfo;
use serde_json::{json, Map, Value};
use std::io::Write;

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF's level for a failing finding of this risk.
fn level(risk: Risk) -> &'static str {
    match risk {
        Risk::High => "error",
        Risk::Medium => "warning",
        Risk::Low => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score) for security rules.
fn security_severity(risk: Risk) -> &'static str {
    match risk {
        Risk::High => "8.0",
        Risk::Medium => "5.5",
        Risk::Low => "3.0",
    }
}

/// `rds_storage_encrypted` → `RdsStorageEncrypted`.
fn pascal(name: &str) -> String {
    name.split(['_', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A path as a relative URI reference (or a `file:` URI when absolute), percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

fn descriptor(rule: &RuleInfo) -> Value {
    let full = [&rule.rationale, &rule.doc, &rule.title]
        .into_iter()
        .find(|t| !t.is_empty())
        .cloned()
        .unwrap_or_default();
    let mut help = if rule.fix.is_empty() {
        rule.title.clone()
    } else {
        rule.fix.clone()
    };
    let mut markdown = help.clone();
    for l in &rule.links {
        help.push_str(&format!("\nSee {l}"));
        markdown.push_str(&format!("\n\n[{l}]({l})"));
    }
    let mut tags = vec!["well-architected".to_string(), rule.pillar.id().to_string()];
    tags.extend(rule.practices.iter().cloned());
    let mut props = Map::new();
    props.insert("pillar".into(), json!(rule.pillar.id()));
    props.insert("practices".into(), json!(rule.practices));
    props.insert("risk".into(), json!(rule.risk.id()));
    if rule.pillar == Pillar::Security {
        props.insert(
            "security-severity".into(),
            json!(security_severity(rule.risk)),
        );
    }
    props.insert("tags".into(), json!(tags));
    let mut d = json!({
        "id": rule.id,
        "name": pascal(&rule.name),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": full},
        "help": {"text": help, "markdown": markdown},
        "defaultConfiguration": {"level": level(rule.risk)},
        "properties": props,
    });
    if let Some(link) = rule.links.first() {
        d["helpUri"] = json!(link);
    }
    d
}

fn result(report: &Report, index: &[Option<usize>], f: &Finding) -> Value {
    let rule = &report.program.rules[f.rule as usize];
    let l = &f.location;
    let (kind, lvl) = match f.status {
        Status::Fail => ("fail", level(rule.risk)),
        // An undecided finding asks for review; SARIF gives such results the level `none`.
        Status::Unknown => ("review", "none"),
    };
    let mut r = json!({
        "ruleId": rule.id,
        "ruleIndex": index[f.rule as usize],
        "kind": kind,
        "level": lvl,
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&f.file)},
                "region": {
                    "startLine": l.line,
                    "startColumn": l.column,
                    "endLine": l.end_line,
                    "endColumn": l.end_column,
                    "snippet": {"text": l.source_line},
                },
            },
            "logicalLocations": [{
                "name": f.resource,
                "fullyQualifiedName": format!("{}#{}", f.file, f.resource),
                "kind": "resource",
            }],
        }],
        "partialFingerprints": {"buttressFinding/v1": f.fingerprint()},
        "properties": {
            "resourceType": f.resource_type,
            "pointer": f.pointer,
            "pillar": rule.pillar.id(),
            "risk": rule.risk.id(),
        },
    });
    if let Some(w) = &f.waiver {
        let mut props = Map::new();
        props.insert("waiver".into(), json!(w.kind));
        if let Some(by) = &w.by {
            props.insert("by".into(), json!(by));
        }
        if let Some(until) = &w.until {
            props.insert("until".into(), json!(until));
        }
        r["suppressions"] = json!([{
            "kind": if w.kind.in_source() { "inSource" } else { "external" },
            "status": "accepted",
            "justification": w.reason,
            "properties": props,
        }]);
    }
    r
}

fn notification(e: &super::ErrorEntry, level: &str) -> Value {
    let mut n = json!({
        "level": level,
        "message": {"text": e.message},
        "descriptor": {"id": e.code},
    });
    if let Some(file) = &e.file {
        let mut region = Map::new();
        if let (Some(line), Some(col)) = (e.line, e.column) {
            region.insert("startLine".into(), json!(line));
            region.insert("startColumn".into(), json!(col));
        }
        n["locations"] = json!([{"physicalLocation": {
            "artifactLocation": {"uri": uri(file)},
            "region": region,
        }}]);
    }
    n
}

/// The SARIF log as a JSON value.
pub fn log(report: &Report) -> Value {
    let prog = report.program;
    let mut active = vec![false; prog.rules.len()];
    for b in &prog.blocks {
        active[b.rule as usize] = true;
    }
    let mut index = vec![None; prog.rules.len()];
    let mut rules = Vec::new();
    for (i, rule) in prog.rules.iter().enumerate() {
        if active[i] {
            index[i] = Some(rules.len());
            rules.push(descriptor(rule));
        }
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(report, &index, f))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "buttress",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": report
                    .errors
                    .iter()
                    .map(|e| notification(e, "error"))
                    .chain(report.warnings.iter().map(|w| notification(w, "warning")))
                    .collect::<Vec<_>>(),
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::{pascal, uri};

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("rds_storage_encrypted"), "RdsStorageEncrypted");
        assert_eq!(uri("infra/a b.json"), "infra/a%20b.json");
        assert_eq!(uri("/tmp/x.json"), "file:///tmp/x.json");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("dir\\é.yaml"), "dir/%C3%A9.yaml");
    }
}
