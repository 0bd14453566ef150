//! Reports: findings with their locations, a summary by pillar and risk, and the renderers.

pub mod human;
pub mod json;
pub mod location;

use crate::catalogue::{Pillar, Risk, PILLARS};
use crate::eval::{Status, Tally};
use crate::ir::Program;
use std::collections::BTreeMap;

/// Where a finding is in its input.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset_in_line: usize,
    pub length: usize,
    pub source_line: String,
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

/// Counts of failing and unknown findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    pub fail: usize,
    pub unknown: usize,
}

/// Everything a run found, in deterministic order.
pub struct Report<'p> {
    pub program: &'p Program,
    pub inputs: usize,
    pub documents: usize,
    pub resources: usize,
    pub findings: Vec<Finding>,
    /// Per rule, summed over inputs.
    pub tally: Vec<Tally>,
    /// Rendered error diagnostics (inputs that could not be read, rules that did not compile).
    pub errors: Vec<ErrorEntry>,
}

/// An error in the report: its code, message and where.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ErrorEntry {
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Report<'_> {
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
