//! Gates: when findings fail the run (`--fail-on`, `--fail-on-unknown`, `--max-findings`),
//! and the words that say what failed it.

use crate::catalogue::Risk;
use crate::eval::Status;
use crate::report::Report;

/// The lowest risk of a failing finding that fails the run, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Risk(Risk),
    Never,
}

impl FailOn {
    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "never" => Some(FailOn::Never),
            t => Risk::parse(t).map(FailOn::Risk),
        }
    }
}

/// The gate of a run. The default fails on any failing finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    pub fail_on: FailOn,
    pub fail_on_unknown: bool,
    pub max_findings: Option<usize>,
}

impl Default for Gate {
    fn default() -> Gate {
        Gate {
            fail_on: FailOn::Risk(Risk::Low),
            fail_on_unknown: false,
            max_findings: None,
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl Gate {
    /// What fails the run, in words; empty when the findings pass the gate. Waived and
    /// baselined findings never count.
    pub fn judge(&self, report: &Report) -> Vec<String> {
        let prog = report.program;
        let counted = || report.findings.iter().filter(|f| f.counts());
        let mut why = Vec::new();
        if let FailOn::Risk(min) = self.fail_on {
            let n = counted()
                .filter(|f| f.status == Status::Fail && prog.rules[f.rule as usize].risk >= min)
                .count();
            if n > 0 {
                why.push(match min {
                    Risk::Low => plural(n, "failing finding"),
                    r => format!(
                        "{} of {} risk or higher (--fail-on {})",
                        plural(n, "failing finding"),
                        r.id(),
                        r.id()
                    ),
                });
            }
        }
        if self.fail_on_unknown {
            let n = counted().filter(|f| f.status == Status::Unknown).count();
            if n > 0 {
                why.push(format!(
                    "{} (--fail-on-unknown)",
                    plural(n, "unknown finding")
                ));
            }
        }
        if let Some(max) = self.max_findings {
            let n = counted().filter(|f| f.status == Status::Fail).count();
            if n > max {
                why.push(format!(
                    "{}, more than --max-findings {max}",
                    plural(n, "failing finding")
                ));
            }
        }
        why
    }
}
