//! Reports: findings with their locations, a summary by pillar and risk, and the renderers.

mod finding_json;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod location;
pub mod markdown;
pub mod ndjson;
pub mod sarif;
pub mod schema;

use crate::catalogue::{Pillar, Risk, PILLARS};
use crate::eval::{Status, Tally};
use crate::ir::Program;
use std::collections::BTreeMap;

/// Where a finding is in its input. Lines and columns count from 1, columns in characters
/// (Unicode scalar values) in every format; the end is the position just after the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The finding's line, or a window of it when it is long.
    pub source_line: String,
    /// The underlined value in `source_line`, as a range of string (byte) indices.
    pub underline: std::ops::Range<usize>,
}

/// A finding ready to report.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: u32,
    pub rule_id: String,
    pub status: Status,
    pub file: String,
    pub resource: String,
    pub resource_type: String,
    pub pointer: String,
    pub location: Location,
    pub message: String,
    /// Why the finding is accepted, when a waiver applies.
    pub waiver: Option<crate::waiver::Waiver>,
}

impl Finding {
    /// An id stable across edits elsewhere in the input: rule, file, resource and the
    /// value's JSON pointer, hashed (FNV-1a, 64 bits, as 16 hex digits).
    pub fn fingerprint(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.rule_id, &self.file, &self.resource, &self.pointer] {
            for b in part.bytes().chain([0]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{h:016x}")
    }

    /// `fail`, `unknown`, or `waived`.
    pub fn status_id(&self) -> &'static str {
        if self.waiver.is_some() {
            "waived"
        } else {
            self.status.id()
        }
    }

    /// Whether the finding counts: it fails or is unknown, and no waiver accepts it.
    pub fn counts(&self) -> bool {
        self.waiver.is_none()
    }
}

/// A (rule, resource) pair that passed: the evidence that a resource was checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Passed {
    pub rule: u32,
    pub file: String,
    pub resource: String,
    pub resource_type: String,
}

/// Counts of failing and unknown findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub fail: usize,
    pub unknown: usize,
    /// Failing or unknown, but accepted by a waiver.
    #[serde(default)]
    pub waived: usize,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.fail += other.fail;
        self.unknown += other.unknown;
        self.waived += other.waived;
    }

    fn count(&mut self, f: &Finding) {
        match (f.counts(), f.status) {
            (false, _) => self.waived += 1,
            (true, Status::Fail) => self.fail += 1,
            (true, Status::Unknown) => self.unknown += 1,
        }
    }
}

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
    Markdown,
    Ndjson,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Gitlab,
        Format::Markdown,
        Format::Ndjson,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Markdown => "markdown",
            Format::Ndjson => "ndjson",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.id() == text)
    }

    /// Formats read by programs: no colour, no progress bar beside them.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human | Format::Markdown)
    }

    /// Formats that show the line of a finding (the snippet of [`Location::source_line`]).
    pub fn shows_snippets(self) -> bool {
        matches!(self, Format::Human | Format::Sarif)
    }

    /// Formats that list passing (rule, resource) pairs whatever `--include-passing` says.
    pub fn needs_passing(self) -> bool {
        self == Format::Junit
    }

    /// Formats written finding by finding while the run goes on: a run with only these
    /// holds no finding longer than it takes to write it.
    pub fn is_streamed(self) -> bool {
        matches!(self, Format::Ndjson | Format::Json | Format::Human)
    }
}

/// How a report is written.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// Colour escapes in the human format.
    pub color: bool,
    /// List the passing (rule, resource) pairs, where the format has a place for them.
    pub include_passing: bool,
}

/// Write `report` in `format`.
pub fn write(
    report: &Report,
    format: Format,
    opts: &WriteOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => out.write_all(human::render(report, opts.color).as_bytes()),
        Format::Json => json::write(report, opts, out),
        Format::Sarif => sarif::write(report, out),
        Format::Junit => out.write_all(junit::render(report).as_bytes()),
        Format::Github => out.write_all(github::render(report).as_bytes()),
        Format::Gitlab => gitlab::write(report, out),
        Format::Markdown => out.write_all(markdown::render(report).as_bytes()),
        Format::Ndjson => ndjson::write(report.program, &report.findings, out),
    }
}

/// The report in `format` as a string (tests, benchmarks, small reports).
pub fn render(report: &Report, format: Format, opts: &WriteOptions) -> String {
    let mut buf = Vec::new();
    let _ = write(report, format, opts, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Everything a run found, in deterministic order.
pub struct Report<'p> {
    pub program: &'p Program,
    pub inputs: usize,
    pub documents: usize,
    pub resources: usize,
    /// The findings, when the run keeps them (formats that are not streamed need them all);
    /// the counts below are kept either way.
    pub findings: Vec<Finding>,
    /// Failing, unknown and waived findings of each rule, counted as they are added.
    pub per_rule: Vec<Counts>,
    /// Passing (rule, resource) pairs, when they were asked for.
    pub passed: Vec<Passed>,
    /// Per rule, summed over inputs.
    pub tally: Vec<Tally>,
    /// Rendered error diagnostics (inputs that could not be read, rules that did not compile).
    pub errors: Vec<ErrorEntry>,
    /// Warnings about inputs and waivers (parts not checked, expired or unused waivers).
    pub warnings: Vec<ErrorEntry>,
    /// The inputs, in order (JUnit has a suite for each).
    pub files: Vec<String>,
    /// What a baseline left out, when one was given.
    pub baseline: Option<BaselineCounts>,
    /// What failed the run, in words (empty: the findings passed the gate).
    pub gate: Vec<String>,
}

/// What `--baseline` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BaselineCounts {
    /// Findings of this run left out because the baseline holds them.
    pub matched: usize,
    /// Baselined findings this run no longer has.
    pub fixed: usize,
}

/// An error in the report: its code, message and where.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ErrorEntry {
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl<'p> Report<'p> {
    /// An empty report of `inputs` inputs.
    pub fn new(program: &'p Program, inputs: usize) -> Report<'p> {
        Report {
            program,
            inputs,
            documents: 0,
            resources: 0,
            findings: Vec::new(),
            per_rule: vec![Counts::default(); program.rules.len()],
            passed: Vec::new(),
            tally: vec![Tally::default(); program.rules.len()],
            errors: Vec::new(),
            warnings: Vec::new(),
            files: Vec::new(),
            baseline: None,
            gate: Vec::new(),
        }
    }

    /// Count findings into the report, and keep them when `keep` (streamed runs do not).
    pub fn add_findings(&mut self, findings: Vec<Finding>, keep: bool) {
        for f in &findings {
            if let Some(c) = self.per_rule.get_mut(f.rule as usize) {
                c.count(f);
            }
        }
        if keep {
            self.findings.extend(findings);
        }
    }

    /// A report of `findings` (tests, benchmarks).
    pub fn with_findings(
        program: &'p Program,
        inputs: usize,
        findings: Vec<Finding>,
    ) -> Report<'p> {
        let mut r = Report::new(program, inputs);
        r.add_findings(findings, true);
        r
    }

    pub fn by_pillar(&self) -> BTreeMap<Pillar, BTreeMap<Risk, Counts>> {
        let mut m: BTreeMap<Pillar, BTreeMap<Risk, Counts>> = BTreeMap::new();
        for p in PILLARS {
            let e = m.entry(p).or_default();
            for r in [Risk::High, Risk::Medium, Risk::Low] {
                e.insert(r, Counts::default());
            }
        }
        for (rule, n) in self.program.rules.iter().zip(&self.per_rule) {
            m.entry(rule.pillar)
                .or_default()
                .entry(rule.risk)
                .or_default()
                .add(n);
        }
        m
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for n in &self.per_rule {
            c.add(n);
        }
        c
    }

    pub fn totals(&self) -> Tally {
        let mut t = Tally::default();
        for x in &self.tally {
            t.add(x);
        }
        t
    }

    /// Rules that had at least one block to run.
    pub fn active_rules(&self) -> usize {
        let mut active = vec![false; self.program.rules.len()];
        for b in &self.program.blocks {
            active[b.rule as usize] = true;
        }
        active.into_iter().filter(|a| *a).count()
    }
}

/// The located findings of one document, for tests of the writers.
#[cfg(test)]
pub(crate) fn findings_of(prog: &crate::ir::Program, name: &str, text: &str) -> Vec<Finding> {
    let doc = crate::input::test_document(name, text);
    let result = crate::eval::evaluate(prog, &doc);
    location::locate(prog, &doc, result.findings, true)
}

/// A CloudFormation template that fails several stdlib rules.
#[cfg(test)]
pub(crate) const FAILING_TEMPLATE: &str = r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{}},"V":{"Type":"AWS::EC2::Volume","Properties":{"Size":8}}}}"#;
