//! The JSON report: a stable, documented schema (docs/report-schema.md), version 1,
//! streamed to the writer without building a tree of the whole report.

use super::{Counts, ErrorEntry, Report};
use crate::catalogue::{Risk, PILLARS};
use serde::Serialize;
use std::io::Write;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Outcomes {
    pass: usize,
    fail: usize,
    unknown: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct Summary {
    inputs: usize,
    documents: usize,
    resources: usize,
    rules: usize,
    errors: usize,
    findings: Counts,
    outcomes: Outcomes,
    /// In the framework's order of pillars, then high, medium, low.
    by_pillar: serde_json::Map<String, serde_json::Value>,
    by_risk: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    title: &'a str,
    pillar: &'static str,
    practice: Option<&'a String>,
    practices: &'a [String],
    risk: &'static str,
    status: &'static str,
    file: &'a str,
    resource: &'a str,
    resource_type: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    fix: &'a str,
}

/// The findings, serialised one by one as the writer asks for them.
struct Findings<'r, 'p>(&'r Report<'p>);

impl Serialize for Findings<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let prog = self.0.program;
        s.collect_seq(self.0.findings.iter().map(|f| {
            let rule = &prog.rules[f.rule as usize];
            FindingOut {
                rule: &rule.id,
                title: &rule.title,
                pillar: rule.pillar.id(),
                practice: rule.practices.first(),
                practices: &rule.practices,
                risk: rule.risk.id(),
                status: f.status.id(),
                file: &f.file,
                resource: &f.resource,
                resource_type: &f.resource_type,
                path: &f.pointer,
                line: f.location.line,
                column: f.location.column,
                message: &f.message,
                fix: &rule.fix,
            }
        }))
    }
}

#[derive(Serialize)]
struct Document<'r, 'p> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: Findings<'r, 'p>,
    errors: &'r [ErrorEntry],
}

fn summary(report: &Report) -> Summary {
    let risks = [Risk::High, Risk::Medium, Risk::Low];
    let json = |c: Counts| serde_json::to_value(c).unwrap_or_default();
    let table = report.by_pillar();
    let mut by_pillar = serde_json::Map::new();
    let mut totals = [Counts::default(); 3];
    for p in PILLARS {
        let row = &table[&p];
        let mut cells = serde_json::Map::new();
        for (i, r) in risks.iter().enumerate() {
            cells.insert(r.id().to_string(), json(row[r]));
            totals[i].fail += row[r].fail;
            totals[i].unknown += row[r].unknown;
        }
        by_pillar.insert(p.id().to_string(), serde_json::Value::Object(cells));
    }
    let by_risk = risks
        .iter()
        .zip(totals)
        .map(|(r, c)| (r.id().to_string(), json(c)))
        .collect();
    let t = report.totals();
    Summary {
        inputs: report.inputs,
        documents: report.documents,
        resources: report.resources,
        rules: report.active_rules(),
        errors: report.errors.len(),
        findings: report.counts(),
        outcomes: Outcomes {
            pass: t.pass,
            fail: t.fail,
            unknown: t.unknown,
            skipped: t.skipped,
        },
        by_pillar,
        by_risk,
    }
}

/// Write the report as pretty-printed JSON followed by a newline.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "buttress",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: summary(report),
        findings: Findings(report),
        errors: &report.errors,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// The report as a string (tests and small reports).
pub fn render(report: &Report) -> String {
    let mut buf = Vec::new();
    let _ = write(report, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}
