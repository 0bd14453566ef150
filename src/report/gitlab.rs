//! `gitlab`: GitLab's Code Quality report (a JSON array of issues in the Code Climate shape),
//! one issue per failing or unknown finding that no waiver accepts.

use super::Report;
use crate::catalogue::Risk;
use crate::eval::Status;
use serde_json::{json, Value};
use std::io::Write;

fn severity(status: Status, risk: Risk) -> &'static str {
    match (status, risk) {
        (Status::Unknown, _) => "info",
        (_, Risk::High) => "critical",
        (_, Risk::Medium) => "major",
        (_, Risk::Low) => "minor",
    }
}

pub fn issues(report: &Report) -> Vec<Value> {
    report
        .findings
        .iter()
        .filter(|f| f.counts())
        .map(|f| {
            let rule = &report.program.rules[f.rule as usize];
            json!({
                "type": "issue",
                "description": format!("{}: {}", rule.title, f.message),
                "check_name": rule.id,
                "fingerprint": f.fingerprint(),
                "severity": severity(f.status, rule.risk),
                "location": {
                    "path": f.file.replace('\\', "/"),
                    "lines": {"begin": f.location.line, "end": f.location.end_line},
                },
            })
        })
        .collect()
}

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &issues(report))?;
    out.write_all(b"\n")
}
