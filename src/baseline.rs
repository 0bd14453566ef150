//! Baselines: a JSON report (`--write-baseline FILE`) whose findings a later run leaves out
//! (`--baseline FILE`), matched by rule, file and resource (not by line, so edits elsewhere
//! in a file do not break the match), counting how many baselined findings are now fixed.

use crate::diagnostics::{Code, Diagnostic};
use crate::report::schema::JsonReport;
use crate::report::Finding;
use std::collections::HashMap;

/// The findings of a baseline, by (rule, file, resource), as a multiset.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    left: HashMap<(String, String, String), usize>,
    /// Findings of this run the baseline held.
    pub matched: usize,
}

impl Baseline {
    /// Read a baseline written by `--write-baseline` (or any `--format json` report).
    pub fn parse(name: &str, text: &str) -> Result<Baseline, Diagnostic> {
        let report: JsonReport = serde_json::from_str(text).map_err(|e| {
            Diagnostic::error(
                Code::BadBaseline,
                format!("`{name}` is not a buttress baseline: {e}"),
            )
            .help("write one with `buttress check … --write-baseline FILE`")
        })?;
        let mut left = HashMap::new();
        for f in report.findings.into_iter().filter(|f| f.status != "waived") {
            *left.entry((f.rule, f.file, f.resource)).or_insert(0) += 1;
        }
        Ok(Baseline { left, matched: 0 })
    }

    /// Leave out the findings the baseline holds (waived ones stay: they say why), and
    /// return them.
    pub fn filter(&mut self, findings: &mut Vec<Finding>) -> Vec<Finding> {
        let mut known = Vec::new();
        for f in std::mem::take(findings) {
            let key = (f.rule_id.clone(), f.file.clone(), f.resource.clone());
            match self.left.get_mut(&key) {
                Some(n) if *n > 0 && f.counts() => {
                    *n -= 1;
                    self.matched += 1;
                    known.push(f);
                }
                _ => findings.push(f),
            }
        }
        known
    }

    /// Baselined findings this run no longer has.
    pub fn fixed(&self) -> usize {
        self.left.values().sum()
    }
}
