//! `junit`: one testsuite per input, one testcase per (rule, resource) the rule selected;
//! failures carry the message and the location. Unknown and waived outcomes are skipped
//! tests with the reason. CodeBuild, Jenkins, GitLab and Azure DevOps read this shape.

use super::Report;
use crate::eval::Status;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text for XML attributes and content: escaped, and without the characters XML 1.0 forbids.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One testcase: what the rule concluded about one resource.
#[derive(Default)]
struct Case {
    resource_type: String,
    failures: Vec<String>,
    unknown: Vec<String>,
    waived: Vec<String>,
}

#[derive(Default)]
struct Suite {
    cases: BTreeMap<(String, String), Case>,
    errors: Vec<String>,
}

impl Suite {
    fn counts(&self) -> (usize, usize, usize, usize) {
        let tests = self.cases.len() + self.errors.len();
        let failures = self
            .cases
            .values()
            .filter(|c| !c.failures.is_empty())
            .count();
        let skipped = self
            .cases
            .values()
            .filter(|c| c.failures.is_empty() && !(c.unknown.is_empty() && c.waived.is_empty()))
            .count();
        (tests, failures, self.errors.len(), skipped)
    }
}

fn suites(report: &Report) -> Vec<(String, Suite)> {
    let prog = report.program;
    let mut by_file: BTreeMap<&str, Suite> = BTreeMap::new();
    let mut order: Vec<String> = report.files.clone();
    for p in &report.passed {
        let case = by_file
            .entry(&p.file)
            .or_default()
            .cases
            .entry((prog.rules[p.rule as usize].id.clone(), p.resource.clone()))
            .or_default();
        case.resource_type.clone_from(&p.resource_type);
    }
    for f in &report.findings {
        let l = &f.location;
        let text = format!("{}:{}:{}: {}", f.file, l.line, l.column, f.message);
        let case = by_file
            .entry(&f.file)
            .or_default()
            .cases
            .entry((f.rule_id.clone(), f.resource.clone()))
            .or_default();
        case.resource_type.clone_from(&f.resource_type);
        match (&f.waiver, f.status) {
            (Some(w), _) => case.waived.push(format!("waived: {} ({text})", w.reason)),
            (None, Status::Fail) => case.failures.push(text),
            (None, Status::Unknown) => case.unknown.push(text),
        }
    }
    let mut loose = Vec::new();
    for e in &report.errors {
        let text = format!("[{}] {}", e.code, e.message);
        match &e.file {
            Some(file) => by_file.entry(file).or_default().errors.push(text),
            None => loose.push(text),
        }
    }
    for f in by_file.keys() {
        if !order.iter().any(|o| o == f) {
            order.push(f.to_string());
        }
    }
    let mut out: Vec<(String, Suite)> = order
        .into_iter()
        .map(|name| {
            let suite = by_file.remove(name.as_str()).unwrap_or_default();
            (name, suite)
        })
        .collect();
    if !loose.is_empty() {
        out.push((
            "buttress".to_string(),
            Suite {
                cases: BTreeMap::new(),
                errors: loose,
            },
        ));
    }
    out
}

pub fn render(report: &Report) -> String {
    let prog = report.program;
    let suites = suites(report);
    let total = suites.iter().fold((0, 0, 0, 0), |t, (_, s)| {
        let c = s.counts();
        (t.0 + c.0, t.1 + c.1, t.2 + c.2, t.3 + c.3)
    });
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"buttress\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        total.0, total.1, total.2, total.3
    );
    for (name, suite) in &suites {
        let (tests, failures, errors, skipped) = suite.counts();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
            xml(name)
        );
        for e in &suite.errors {
            let _ = writeln!(
                out,
                "    <testcase classname=\"buttress\" name=\"load {}\">\n      <error message=\"{}\"/>\n    </testcase>",
                xml(name),
                xml(e)
            );
        }
        for ((rule_id, resource), case) in &suite.cases {
            let rule = prog.rules.iter().find(|r| &r.id == rule_id);
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{} ({})\" file=\"{}\"",
                xml(rule_id),
                xml(resource),
                xml(&case.resource_type),
                xml(name)
            );
            if !case.failures.is_empty() {
                let (title, risk, fix) = rule.map_or(("", "", ""), |r| {
                    (r.title.as_str(), r.risk.id(), r.fix.as_str())
                });
                let mut body = case.failures.join("\n");
                if !fix.is_empty() {
                    body.push_str(&format!("\nfix: {fix}"));
                }
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"{risk}\">{}</failure>\n    </testcase>",
                    xml(title),
                    xml(&body)
                );
            } else if let Some(why) = case
                .unknown
                .first()
                .map(|u| format!("unknown: {u}"))
                .or_else(|| case.waived.first().cloned())
            {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(&why)
                );
            } else {
                out.push_str("/>\n");
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
