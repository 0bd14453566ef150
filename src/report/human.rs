//! The human report: each finding rendered like a compiler error, then a summary.

use super::{Finding, Report};
use crate::catalogue::{Risk, PILLARS};
use crate::eval::Status;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::Buffer};
use std::ops::Range;

/// One finding's line of source, standing at its real line number.
struct Snippet<'a>(&'a Finding);

impl<'a> Files<'a> for Snippet<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, FilesError> {
        Ok(&self.0.file)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, FilesError> {
        Ok(&self.0.location.source_line)
    }

    fn line_index(&'a self, _: (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, _: (), _: usize) -> Result<usize, FilesError> {
        Ok(self.0.location.line)
    }

    fn column_number(&'a self, _: (), _: usize, _: usize) -> Result<usize, FilesError> {
        Ok(self.0.location.column)
    }

    fn line_range(&'a self, _: (), _: usize) -> Result<Range<usize>, FilesError> {
        Ok(0..self.0.location.source_line.len())
    }
}

fn finding(program: &crate::ir::Program, f: &Finding, out: &mut Buffer) {
    let rule = &program.rules[f.rule as usize];
    let (start, end) = (f.location.underline.start, f.location.underline.end);
    let base = match f.status {
        Status::Fail => Diagnostic::error(),
        Status::Unknown => Diagnostic::warning(),
    };
    let verdict = if f.status == Status::Fail {
        "fails on"
    } else {
        "undecided for"
    };
    let subject = if f.resource_type == super::location::DOCUMENT_TYPE {
        "the document".to_string()
    } else {
        format!("`{}` ({})", f.resource, f.resource_type)
    };
    let mut notes = vec![format!(
        "{} risk · {} · {} · {verdict} {subject}",
        rule.risk.id(),
        rule.pillar.id(),
        rule.practices.join(", "),
    )];
    if !rule.fix.is_empty() {
        notes.push(format!("fix: {}", rule.fix));
    }
    let d = base
        .with_code(&rule.id)
        .with_message(&rule.title)
        .with_labels(vec![Label::primary((), start..end).with_message(&f.message)])
        .with_notes(notes);
    let _ = term::emit_to_write_style(out, &term::Config::default(), &Snippet(f), &d);
}

pub fn render(report: &Report, color: bool) -> String {
    let counted = report.findings.iter().filter(|f| f.counts());
    let mut text = render_findings(report.program, counted, color);
    text.push_str(&tail(report, &report.findings));
    text
}

/// What the report says after its findings: the waived findings among `findings`, one line
/// each, and the summary (a streamed report writes the findings as inputs finish, then this).
pub fn tail(report: &Report, findings: &[Finding]) -> String {
    let mut text = waived(findings);
    text.push_str(&summary(report));
    text
}

/// Findings alone, each with its snippet (`buttress test` shows a failing fixture's so).
pub fn render_findings<'f>(
    program: &crate::ir::Program,
    findings: impl IntoIterator<Item = &'f Finding>,
    color: bool,
) -> String {
    let mut out = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for f in findings {
        finding(program, f, &mut out);
    }
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// One line per waived finding: what, where, and why it is accepted.
fn waived(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let Some(w) = &f.waiver else { continue };
        let mut who = Vec::new();
        if let Some(by) = &w.by {
            who.push(format!("by {by}"));
        }
        if let Some(until) = &w.until {
            who.push(format!("until {until}"));
        }
        let who = if who.is_empty() {
            String::new()
        } else {
            format!(" ({})", who.join(", "))
        };
        s.push_str(&format!(
            "waived {} on `{}` at {}:{}: {}{who}\n",
            f.rule_id, f.resource, f.file, f.location.line, w.reason
        ));
    }
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// The summary's first lines: what was checked and found, what a baseline left out, and
/// what failed the run.
pub fn summary_line(report: &Report) -> String {
    let t = report.totals();
    let c = report.counts();
    let waived = if c.waived > 0 {
        format!(", {} waived", c.waived)
    } else {
        String::new()
    };
    let mut s = format!(
        "checked {} input{} ({} resource{}) against {} rule{}: {} failing, {} unknown{waived}, {} passing",
        report.inputs,
        plural(report.inputs),
        report.resources,
        plural(report.resources),
        report.active_rules(),
        plural(report.active_rules()),
        c.fail,
        c.unknown,
        t.pass
    );
    if !report.errors.is_empty() {
        s.push_str(&format!(
            ", {} input error{}",
            report.errors.len(),
            plural(report.errors.len())
        ));
    }
    s.push('\n');
    if let Some(b) = report.baseline {
        s.push_str(&format!(
            "baseline: {} known finding{} left out, {} fixed since\n",
            b.matched,
            plural(b.matched),
            b.fixed
        ));
    }
    if !report.gate.is_empty() {
        s.push_str(&format!("failed by: {}\n", report.gate.join("; ")));
    }
    s
}

fn summary(report: &Report) -> String {
    let mut s = summary_line(report);
    let c = report.counts();
    if c.fail + c.unknown == 0 {
        return s;
    }
    let by = report.by_pillar();
    for p in PILLARS {
        let risks = &by[&p];
        let total: usize = risks.values().map(|c| c.fail + c.unknown).sum();
        if total == 0 {
            continue;
        }
        let parts: Vec<String> = [Risk::High, Risk::Medium, Risk::Low]
            .iter()
            .filter(|r| risks[r].fail + risks[r].unknown > 0)
            .map(|r| {
                let c = risks[r];
                if c.unknown > 0 {
                    format!("{} {} ({} unknown)", r.id(), c.fail, c.unknown)
                } else {
                    format!("{} {}", r.id(), c.fail)
                }
            })
            .collect();
        s.push_str(&format!("  {:<24} {}\n", p.id(), parts.join(" · ")));
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
