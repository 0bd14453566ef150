//! `buttress test`: run rule fixtures and say which hold.

use super::{eprint_diagnostics, load_rules, RuleOptions, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostics::{render_plain, Code, Diagnostic};
use crate::fixtures::{discover, run as run_fixture};
use crate::source::SourceMap;
use clap::Args;
use rayon::prelude::*;
use std::path::PathBuf;

/// Run rule fixtures: each `fixtures/<rule id>/pass-*|fail-*|unknown-*` file must give its outcome
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress test stdlib --no-stdlib\n  buttress test org-rules/ --require-fixtures\n\n\
    The rules under the given folders are loaded (with the standard library unless --no-stdlib), \
    and every fixture under them is run against the rule its folder names."
)]
pub struct TestArgs {
    /// Folders holding rules and their fixtures
    #[arg(default_value = ".", value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleOptions,
    /// Fail when a rule under the given folders has no pass fixture or no fail fixture
    #[arg(long)]
    require_fixtures: bool,
}

pub fn run(mut args: TestArgs) -> i32 {
    args.rules.rules.extend(args.paths.iter().cloned());
    let ruleset = load_rules(&args.rules);
    eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
    if ruleset.has_errors() {
        return EXIT_ERROR;
    }
    let fixtures = discover(&args.paths);
    let results: Vec<_> = fixtures
        .par_iter()
        .map(|f| run_fixture(&ruleset.program, f))
        .collect();
    let empty = SourceMap::new();
    let mut failed = 0;
    for r in &results {
        match &r.problem {
            None => println!(
                "ok      {}  {}",
                r.fixture.rule_id,
                r.fixture.path.display()
            ),
            Some(d) => {
                failed += 1;
                println!(
                    "FAILED  {}  {}",
                    r.fixture.rule_id,
                    r.fixture.path.display()
                );
                // A fixture that could not be read is shown with its own text.
                let mut own = SourceMap::new();
                let sources = match &r.text {
                    Some(text) => {
                        own.add(r.fixture.path.display().to_string(), text.clone());
                        &own
                    }
                    None => &empty,
                };
                eprint!("{}", render_plain(sources, d));
            }
        }
    }
    let mut missing = Vec::new();
    if args.require_fixtures {
        let sources: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        for rule in &ruleset.program.rules {
            let file = &ruleset.sources.get(rule.span.file).name;
            if !sources
                .iter()
                .any(|s| file.starts_with(s.trim_start_matches("./")))
            {
                continue;
            }
            for want in ["pass", "fail"] {
                let has = results.iter().any(|r| {
                    r.fixture.rule_id == rule.id
                        && r.fixture
                            .path
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with(want))
                });
                if !has {
                    missing.push(
                        Diagnostic::error(
                            Code::FixtureVacuous,
                            format!("rule `{}` has no `{want}` fixture", rule.id),
                        )
                        .help(format!(
                            "add fixtures/{}/{want}-….json beside its pack",
                            rule.id
                        )),
                    );
                }
            }
        }
        for d in &missing {
            eprint!("{}", render_plain(&empty, d));
        }
    }
    println!(
        "\n{} passed, {} failed",
        results.len() - failed,
        failed + missing.len()
    );
    if failed + missing.len() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
