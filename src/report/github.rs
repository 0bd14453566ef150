//! `github`: GitHub Actions workflow commands, one annotation per failing or unknown finding
//! and per input error, then the summary line. (The step summary in Markdown is written by
//! the command line when `GITHUB_STEP_SUMMARY` is set.)

use super::Report;
use crate::catalogue::Risk;
use crate::eval::Status;
use std::fmt::Write as _;

/// A workflow command's message: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.counts()) {
        let rule = &report.program.rules[f.rule as usize];
        let command = match (f.status, rule.risk) {
            (Status::Unknown, _) | (_, Risk::Low) => "notice",
            (_, Risk::Medium) => "warning",
            (_, Risk::High) => "error",
        };
        let l = &f.location;
        let mut message = f.message.clone();
        if f.status == Status::Unknown {
            message = format!("undecided: {message}");
        }
        if !rule.fix.is_empty() {
            message.push_str(&format!("\nfix: {}", rule.fix));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&f.file),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            property(&format!(
                "{} ({} risk, {}): {}",
                rule.id,
                rule.risk.id(),
                rule.practices.join(" "),
                rule.title
            )),
            data(&message)
        );
    }
    for e in &report.errors {
        let mut at = String::new();
        if let Some(file) = &e.file {
            at = format!(" file={}", property(file));
            if let (Some(line), Some(col)) = (e.line, e.column) {
                at.push_str(&format!(",line={line},col={col}"));
            }
        }
        let _ = writeln!(
            out,
            "::error{at}::{}",
            data(&format!("[{}] {}", e.code, e.message))
        );
    }
    out.push_str(&super::human::summary_line(report));
    out
}
