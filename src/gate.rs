//! Gates: when findings fail the run (`--fail-on`, `--fail-on-unknown`, `--max-findings`),
//! and the words that say what failed it.

use crate::catalogue::Risk;
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
        let rules = report.program.rules.iter().zip(&report.per_rule);
        let mut why = Vec::new();
        if let FailOn::Risk(min) = self.fail_on {
            let n: usize = rules
                .clone()
                .filter(|(rule, _)| rule.risk >= min)
                .map(|(_, c)| c.fail)
                .sum();
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
        let all = report.counts();
        if self.fail_on_unknown {
            let n = all.unknown;
            if n > 0 {
                why.push(format!(
                    "{} (--fail-on-unknown)",
                    plural(n, "unknown finding")
                ));
            }
        }
        if let Some(max) = self.max_findings {
            let n = all.fail;
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
