//! Rule fixtures: documents beside the rules with the outcome each must produce.
//!
//! Layout: `<rules>/…/fixtures/<rule id>/<outcome>[-description].<ext>`, where outcome is
//! `pass`, `fail` or `unknown`.

use crate::diagnostics::{Code, Diagnostic};
use crate::driver::{check_one, Input};
use crate::eval::Status;
use crate::input::LoadOptions;
use crate::ir::Program;
use std::path::{Path, PathBuf};

/// The outcome a fixture expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Pass,
    Fail,
    Unknown,
}

/// One fixture file.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub rule_id: String,
    pub path: PathBuf,
}

/// The result of running one fixture.
#[derive(Debug)]
pub struct FixtureResult {
    pub fixture: Fixture,
    /// `None` when it passed.
    pub problem: Option<Diagnostic>,
    /// The fixture's text, when the problem points into it (`FileId(0)`: it could not be read).
    pub text: Option<String>,
}

impl Expect {
    pub fn word(self) -> &'static str {
        match self {
            Expect::Pass => "pass",
            Expect::Fail => "fail",
            Expect::Unknown => "unknown",
        }
    }
}

fn expectation(path: &Path) -> Option<Expect> {
    let name = path.file_name()?.to_string_lossy().to_string();
    let word = name.split(['-', '.', '_']).next()?;
    match word {
        "pass" => Some(Expect::Pass),
        "fail" => Some(Expect::Fail),
        "unknown" => Some(Expect::Unknown),
        _ => None,
    }
}

fn walk(dir: &Path, out: &mut Vec<Fixture>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "fixtures") {
            let Ok(rules) = std::fs::read_dir(&path) else {
                continue;
            };
            let mut rules: Vec<_> = rules
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            rules.sort();
            for rule_dir in rules {
                let rule_id = rule_dir
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                let Ok(files) = std::fs::read_dir(&rule_dir) else {
                    continue;
                };
                let mut files: Vec<_> = files
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect();
                files.sort();
                out.extend(files.into_iter().map(|path| Fixture {
                    rule_id: rule_id.clone(),
                    path,
                }));
            }
        } else {
            walk(&path, out);
        }
    }
}

/// Every fixture under the given folders.
pub fn discover(roots: &[PathBuf]) -> Vec<Fixture> {
    let mut out = Vec::new();
    for r in roots {
        walk(r, &mut out);
    }
    out
}

/// Run one fixture against the rule it names.
pub fn run(prog: &Program, fixture: &Fixture) -> FixtureResult {
    let shown = fixture.path.display().to_string();
    let fail = |code: Code, msg: String, help: &str| FixtureResult {
        fixture: fixture.clone(),
        problem: Some(Diagnostic::error(code, msg).help(help.to_string())),
        text: None,
    };
    let Some(expect) = expectation(&fixture.path) else {
        return fail(
            Code::FixtureBadName,
            format!("{shown}: the name does not start with pass, fail or unknown"),
            "name fixtures `pass-….json`, `fail-….json` or `unknown-….json`",
        );
    };
    let Some(rule) = prog.rules.iter().position(|r| r.id == fixture.rule_id) else {
        return fail(
            Code::FixtureUnknownRule,
            format!("{shown}: no rule `{}` is loaded", fixture.rule_id),
            "the folder above a fixture is named by the full rule id, `pack.rule`",
        );
    };
    // All rules run; only this rule's outcomes count.
    let outcome = check_one(
        prog,
        &Input::File(fixture.path.clone()),
        &LoadOptions::default(),
    );
    if let Some(e) = outcome.errors.into_iter().next() {
        return FixtureResult {
            fixture: fixture.clone(),
            problem: Some(e.diagnostic),
            text: Some(e.text),
        };
    }
    let t = &outcome.tally[rule];
    if t.pass + t.fail + t.unknown == 0 {
        return fail(
            Code::FixtureVacuous,
            format!(
                "{shown}: rule `{}` selected no resource here",
                fixture.rule_id
            ),
            "a fixture must hold a resource the rule checks, or it proves nothing",
        );
    }
    let findings: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.rule as usize == rule)
        .collect();
    let fails = findings.iter().filter(|f| f.status == Status::Fail).count();
    let unknowns = findings.len() - fails;
    let ok = match expect {
        Expect::Pass => findings.is_empty(),
        Expect::Fail => fails > 0,
        Expect::Unknown => fails == 0 && unknowns > 0,
    };
    if ok {
        return FixtureResult {
            fixture: fixture.clone(),
            problem: None,
            text: None,
        };
    }
    let got: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} at {}:{}: {}",
                f.status.id(),
                f.location.line,
                f.location.column,
                f.message
            )
        })
        .collect();
    let got = if got.is_empty() {
        "no finding".to_string()
    } else {
        got.join("; ")
    };
    fail(
        Code::FixtureMismatch,
        format!(
            "{shown}: expected `{}` from `{}`, got {got}",
            expect.word(),
            fixture.rule_id
        ),
        "fix the rule or the fixture; `buttress check --rules … FILE` shows the findings",
    )
}
