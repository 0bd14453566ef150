//! `buttress test`: run rule fixtures, say which hold, and how much of each rule they cover.

use super::{eprint_diagnostics, load_rules, RuleOptions, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostics::{render_plain, Code, Diagnostic};
use crate::fixtures::{coverage, discover, run_all};
use crate::source::SourceMap;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Run rule fixtures: each `fixtures/<rule id>/pass-*|fail-*|unknown-*|skip-*` file must give its outcome
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress test stdlib --no-stdlib\n  buttress test org-rules/ --require-fixtures\n  \
    buttress test org-rules/ --rule org.tags.buckets_tagged --coverage\n\n\
    The rules under the given folders are loaded (with the standard library unless --no-stdlib), \
    and every fixture under them is run against the rule its folder names. `expect.toml` in a \
    rule's fixture folder says which resources must fail or pass, with which message, how many \
    findings, and with which parameters (docs/authoring.md)."
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
    /// Only the fixtures of rules whose id matches (repeatable; `*` globs)
    #[arg(long = "rule", value_name = "ID")]
    only: Vec<String>,
    /// Report which `on` blocks and `require`s the fixtures exercised
    #[arg(long)]
    coverage: bool,
    /// Output format: json prints every fixture's result (and the coverage) as one object
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(mut args: TestArgs) -> i32 {
    args.rules.rules.extend(args.paths.iter().cloned());
    let ruleset = load_rules(&args.rules);
    eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
    if ruleset.has_errors() {
        return EXIT_ERROR;
    }
    let wanted = |id: &str| {
        args.only.is_empty()
            || args
                .only
                .iter()
                .any(|g| crate::ir::Glob::new(g).matches(id))
    };
    let mut found = discover(&args.paths);
    found.fixtures.retain(|f| wanted(&f.rule_id));
    let results = run_all(&ruleset, &found.fixtures);
    let empty = SourceMap::new();
    let json = args.format == Format::Json;
    let mut failed = 0;
    for r in &results {
        let shown = r.fixture.path.display();
        match &r.problem {
            None if !json => println!("ok      {}  {shown}", r.fixture.rule_id),
            None => {}
            Some(d) => {
                failed += 1;
                if !json {
                    println!("FAILED  {}  {shown}", r.fixture.rule_id);
                }
                eprint!("{}", render_plain(&empty, d));
                eprint!(
                    "{}",
                    crate::report::human::render_findings(&ruleset.program, &r.findings, false)
                );
            }
        }
    }
    for d in &found.problems {
        eprint!("{}", render_plain(&empty, d));
    }
    // The rules defined under the given folders: the ones fixtures are asked of.
    let sources: Vec<String> = args
        .paths
        .iter()
        .map(|p| p.display().to_string().trim_start_matches("./").to_string())
        .collect();
    let local: Vec<usize> = (0..ruleset.program.rules.len())
        .filter(|&i| {
            let rule = &ruleset.program.rules[i];
            let file = &ruleset.sources.get(rule.span.file).name;
            wanted(&rule.id) && sources.iter().any(|s| file.starts_with(s.as_str()))
        })
        .collect();
    let mut missing = Vec::new();
    if args.require_fixtures {
        for &i in &local {
            let rule = &ruleset.program.rules[i];
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
    let problems = failed + missing.len() + found.problems.len();
    let cov = args
        .coverage
        .then(|| coverage::measure(&ruleset.program, &local, &results));
    if json {
        let list: Vec<_> = results
            .iter()
            .map(|r| {
                serde_json::json!({
                    "rule": r.fixture.rule_id,
                    "fixture": r.fixture.path.display().to_string(),
                    "ok": r.problem.is_none(),
                    "code": r.problem.as_ref().map(|d| d.code.as_str()),
                    "message": r.problem.as_ref().map(|d| d.message.clone()),
                })
            })
            .collect();
        let mut value = serde_json::json!({
            "fixtures": { "passed": results.len() - failed, "failed": problems },
            "results": list,
        });
        if let Some(cov) = &cov {
            value["coverage"] = serde_json::to_value(cov).unwrap_or_default();
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        if let Some(cov) = &cov {
            print!("\n{}", cov.render());
        }
        println!("\n{} passed, {} failed", results.len() - failed, problems);
    }
    if problems > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
