//! The JSON report's schema as owned types (docs/report-schema.md): written by `json`,
//! read back by baselines and by anyone comparing runs.

use super::{Counts, ErrorEntry, Report};
use crate::catalogue::{Pillar, Risk, PILLARS};
use serde::{Deserialize, Serialize};

/// Raised when a field changes meaning or goes; fields are only added within a version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonReport {
    pub version: u32,
    pub tool: Tool,
    /// First after the head: a streamed report writes them as inputs finish.
    pub findings: Vec<FindingRecord>,
    /// The passing (rule, resource) pairs, with `--include-passing` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passing: Option<Vec<PassRecord>>,
    pub errors: Vec<ErrorEntry>,
    /// Warnings: parts of inputs not checked, expired or unused waivers.
    #[serde(default)]
    pub warnings: Vec<ErrorEntry>,
    /// Last: it counts everything above.
    pub summary: Summary,
}

impl Tool {
    /// This build of buttress.
    pub fn this() -> Tool {
        Tool {
            name: "buttress".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcomes {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub skipped: usize,
}

/// Findings of one pillar (or of all) by risk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ByRisk {
    pub high: Counts,
    pub medium: Counts,
    pub low: Counts,
}

impl ByRisk {
    pub fn get_mut(&mut self, r: Risk) -> &mut Counts {
        match r {
            Risk::High => &mut self.high,
            Risk::Medium => &mut self.medium,
            Risk::Low => &mut self.low,
        }
    }
}

/// Findings by pillar, in the framework's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ByPillar {
    pub operational_excellence: ByRisk,
    pub security: ByRisk,
    pub reliability: ByRisk,
    pub performance_efficiency: ByRisk,
    pub cost_optimization: ByRisk,
    pub sustainability: ByRisk,
}

impl ByPillar {
    pub fn get_mut(&mut self, p: Pillar) -> &mut ByRisk {
        match p {
            Pillar::OperationalExcellence => &mut self.operational_excellence,
            Pillar::Security => &mut self.security,
            Pillar::Reliability => &mut self.reliability,
            Pillar::PerformanceEfficiency => &mut self.performance_efficiency,
            Pillar::CostOptimization => &mut self.cost_optimization,
            Pillar::Sustainability => &mut self.sustainability,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub inputs: usize,
    pub documents: usize,
    pub resources: usize,
    pub rules: usize,
    pub errors: usize,
    pub findings: Counts,
    pub outcomes: Outcomes,
    pub by_pillar: ByPillar,
    pub by_risk: ByRisk,
    /// What `--baseline` left out, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<super::BaselineCounts>,
    #[serde(default)]
    pub gate: GateRecord,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    pub rule: String,
    pub title: String,
    pub pillar: String,
    pub practice: Option<String>,
    pub practices: Vec<String>,
    pub risk: String,
    pub status: String,
    pub file: String,
    pub resource: String,
    pub resource_type: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    pub fix: String,
    /// Why the finding is accepted, when `status` is `waived`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<crate::waiver::Waiver>,
}

impl FindingRecord {
    pub fn of(prog: &crate::ir::Program, f: &super::Finding) -> FindingRecord {
        let rule = &prog.rules[f.rule as usize];
        FindingRecord {
            rule: rule.id.clone(),
            title: rule.title.clone(),
            pillar: rule.pillar.id().to_string(),
            practice: rule.practices.first().cloned(),
            practices: rule.practices.clone(),
            risk: rule.risk.id().to_string(),
            status: f.status_id().to_string(),
            file: f.file.clone(),
            resource: f.resource.clone(),
            resource_type: f.resource_type.clone(),
            path: f.pointer.clone(),
            line: f.location.line,
            column: f.location.column,
            end_line: f.location.end_line,
            end_column: f.location.end_column,
            message: f.message.clone(),
            fix: rule.fix.clone(),
            waiver: f.waiver.clone(),
        }
    }
}

/// Whether the run passed its gate, and what failed it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GateRecord {
    pub passed: bool,
    pub failed_by: Vec<String>,
}

/// A resource a rule checked and found in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassRecord {
    pub rule: String,
    pub file: String,
    pub resource: String,
    pub resource_type: String,
}

impl Summary {
    /// The report's counts, which need none of its findings.
    pub fn of(report: &Report) -> Summary {
        let table = report.by_pillar();
        let mut by_pillar = ByPillar::default();
        let mut by_risk = ByRisk::default();
        for p in PILLARS {
            for (r, c) in &table[&p] {
                *by_pillar.get_mut(p).get_mut(*r) = *c;
                by_risk.get_mut(*r).add(c);
            }
        }
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
            baseline: report.baseline,
            gate: GateRecord {
                passed: report.gate.is_empty(),
                failed_by: report.gate.clone(),
            },
        }
    }
}

impl PassRecord {
    pub fn of(prog: &crate::ir::Program, p: &super::Passed) -> PassRecord {
        PassRecord {
            rule: prog.rules[p.rule as usize].id.clone(),
            file: p.file.clone(),
            resource: p.resource.clone(),
            resource_type: p.resource_type.clone(),
        }
    }
}

impl JsonReport {
    /// The report's document; `passing` lists the passing pairs the report kept.
    pub fn from_report(report: &Report, passing: bool) -> JsonReport {
        let prog = report.program;
        JsonReport {
            version: SCHEMA_VERSION,
            tool: Tool::this(),
            findings: report
                .findings
                .iter()
                .map(|f| FindingRecord::of(prog, f))
                .collect(),
            passing: passing.then(|| {
                report
                    .passed
                    .iter()
                    .map(|p| PassRecord::of(prog, p))
                    .collect()
            }),
            errors: report.errors.clone(),
            warnings: report.warnings.clone(),
            summary: Summary::of(report),
        }
    }
}
