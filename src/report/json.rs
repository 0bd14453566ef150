//! The JSON report: a stable, documented schema (docs/report-schema.md), version 1.

use super::Report;
use crate::catalogue::Risk;
use crate::eval::Status;
use serde_json::{json, Map, Value as Json};

pub const SCHEMA_VERSION: u32 = 1;

pub fn render(report: &Report) -> String {
    let prog = report.program;
    let findings: Vec<Json> = report
        .findings
        .iter()
        .map(|f| {
            let rule = &prog.rules[f.rule as usize];
            json!({
                "rule": rule.id,
                "title": rule.title,
                "pillar": rule.pillar.id(),
                "practice": rule.practices.first(),
                "practices": rule.practices,
                "risk": rule.risk.id(),
                "status": f.status.id(),
                "file": f.file,
                "resource": f.resource,
                "resource_type": f.resource_type,
                "path": f.pointer,
                "line": f.location.line,
                "column": f.location.column,
                "message": f.message,
                "fix": rule.fix,
            })
        })
        .collect();
    let mut by_pillar = Map::new();
    for (pillar, risks) in report.by_pillar() {
        let mut r = Map::new();
        for risk in [Risk::High, Risk::Medium, Risk::Low] {
            r.insert(
                risk.id().to_string(),
                serde_json::to_value(risks[&risk]).unwrap_or(Json::Null),
            );
        }
        by_pillar.insert(pillar.id().to_string(), Json::Object(r));
    }
    let mut by_risk = Map::new();
    for risk in [Risk::High, Risk::Medium, Risk::Low] {
        let (mut fail, mut unknown) = (0, 0);
        for f in &report.findings {
            if prog.rules[f.rule as usize].risk == risk {
                match f.status {
                    Status::Fail => fail += 1,
                    Status::Unknown => unknown += 1,
                }
            }
        }
        by_risk.insert(
            risk.id().to_string(),
            json!({"fail": fail, "unknown": unknown}),
        );
    }
    let totals = report.totals();
    let counts = report.counts();
    let doc = json!({
        "version": SCHEMA_VERSION,
        "tool": {"name": "buttress", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "inputs": report.inputs,
            "documents": report.documents,
            "resources": report.resources,
            "rules": report.active_rules(),
            "errors": report.errors.len(),
            "findings": {"fail": counts.fail, "unknown": counts.unknown},
            "outcomes": {"pass": totals.pass, "fail": totals.fail, "unknown": totals.unknown, "skipped": totals.skipped},
            "by_pillar": by_pillar,
            "by_risk": by_risk,
        },
        "findings": findings,
        "errors": report.errors,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
