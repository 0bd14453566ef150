//! `markdown`: a summary for a pull-request comment or a CI step summary: the verdict,
//! findings by pillar and risk, and the top findings.

use super::Report;
use crate::catalogue::{Risk, PILLARS};
use crate::eval::Status;
use std::fmt::Write as _;

/// Findings listed in the comment before "and N more".
const TOP: usize = 10;

/// Text in a table cell: no line breaks, pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn render(report: &Report) -> String {
    let prog = report.program;
    let c = report.counts();
    let mut out = String::new();
    let verdict = if report.gate.is_empty() {
        "passed"
    } else {
        "failed"
    };
    let _ = writeln!(out, "## buttress: {verdict}\n");
    let _ = writeln!(out, "{}", super::human::summary_line(report).trim_end());
    if c.fail + c.unknown == 0 {
        return out;
    }
    out.push_str("\n| pillar | high | medium | low |\n|---|---|---|---|\n");
    let by = report.by_pillar();
    for p in PILLARS {
        let row = &by[&p];
        if row.values().all(|c| c.fail + c.unknown == 0) {
            continue;
        }
        let cells: Vec<String> = [Risk::High, Risk::Medium, Risk::Low]
            .iter()
            .map(|r| match row[r] {
                c if c.unknown > 0 => format!("{} ({} unknown)", c.fail, c.unknown),
                c => c.fail.to_string(),
            })
            .collect();
        let _ = writeln!(out, "| {} | {} |", p.id(), cells.join(" | "));
    }
    let mut top: Vec<_> = report.findings.iter().filter(|f| f.counts()).collect();
    top.sort_by_key(|f| {
        (
            f.status != Status::Fail,
            std::cmp::Reverse(prog.rules[f.rule as usize].risk),
        )
    });
    out.push_str("\n### Top findings\n\n| risk | rule | practice | resource | where | message |\n|---|---|---|---|---|---|\n");
    for f in top.iter().take(TOP) {
        let rule = &prog.rules[f.rule as usize];
        let risk = if f.status == Status::Unknown {
            "unknown".to_string()
        } else {
            rule.risk.id().to_string()
        };
        let _ = writeln!(
            out,
            "| {risk} | `{}` | {} | `{}` | `{}:{}` | {} |",
            rule.id,
            rule.practices.join(", "),
            cell(&f.resource),
            cell(&f.file),
            f.location.line,
            cell(&f.message)
        );
    }
    if top.len() > TOP {
        let _ = writeln!(out, "\n…and {} more.", top.len() - TOP);
    }
    out
}
