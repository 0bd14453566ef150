//! Reports: findings with their locations, a summary by pillar and risk, and the renderers.

pub mod human;
pub mod json;
pub mod location;
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
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.fail += other.fail;
        self.unknown += other.unknown;
    }
}

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

impl Format {
    pub const ALL: &'static [Format] = &[Format::Human, Format::Json];

    pub fn id(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.id() == text)
    }

    /// Formats read by programs: no colour, no progress bar beside them.
    pub fn is_machine(self) -> bool {
        self != Format::Human
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
    pub findings: Vec<Finding>,
    /// Passing (rule, resource) pairs, when they were asked for.
    pub passed: Vec<Passed>,
    /// Per rule, summed over inputs.
    pub tally: Vec<Tally>,
    /// Rendered error diagnostics (inputs that could not be read, rules that did not compile).
    pub errors: Vec<ErrorEntry>,
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
            passed: Vec::new(),
            tally: vec![Tally::default(); program.rules.len()],
            errors: Vec::new(),
        }
    }

    pub fn by_pillar(&self) -> BTreeMap<Pillar, BTreeMap<Risk, Counts>> {
        let mut m: BTreeMap<Pillar, BTreeMap<Risk, Counts>> = BTreeMap::new();
        for p in PILLARS {
            let e = m.entry(p).or_default();
            for r in [Risk::High, Risk::Medium, Risk::Low] {
                e.insert(r, Counts::default());
            }
        }
        for f in &self.findings {
            let rule = &self.program.rules[f.rule as usize];
            let c = m
                .entry(rule.pillar)
                .or_default()
                .entry(rule.risk)
                .or_default();
            match f.status {
                Status::Fail => c.fail += 1,
                Status::Unknown => c.unknown += 1,
            }
        }
        m
    }

    pub fn counts(&self) -> Counts {
        let fail = self
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .count();
        Counts {
            fail,
            unknown: self.findings.len() - fail,
        }
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
