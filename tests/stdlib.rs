//! The standard library: it compiles cleanly, covers every pillar, every rule has pass and
//! fail fixtures that hold, and it runs over the real-template corpus without a crash.

use buttress::catalogue::PILLARS;
use buttress::driver::{check_all, discover};
use buttress::fixtures;
use buttress::input::LoadOptions;
use buttress::Engine;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn the_stdlib_compiles_without_any_diagnostic() {
    let set = Engine::new().with_stdlib().compile();
    let rendered = buttress::diagnostics::render_all(
        &set.sources,
        &set.diagnostics,
        buttress::diagnostics::ColorMode::Never,
    );
    assert!(set.diagnostics.is_empty(), "{rendered}");
}

/// A run does not check the stdlib's literal patterns (`compile::compile_tested`); this test
/// does: compiled as any other rules, every one passes the check, and the run keeps the same
/// patterns.
#[test]
fn every_stdlib_pattern_passes_the_check_a_run_skips() {
    let packs = buttress::stdlib::parsed().expect("the build script parsed the stdlib");
    let (checked, diagnostics) = buttress::compile::compile(&packs, &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(
        checked.regexes.len() >= 30,
        "the stdlib has {} patterns; the test would check next to nothing",
        checked.regexes.len()
    );
    let run = Engine::new().with_stdlib().compile();
    let texts = |p: &buttress::ir::Program| -> Vec<String> {
        p.regexes.iter().map(|r| r.as_str().to_string()).collect()
    };
    assert_eq!(texts(&run.program), texts(&checked));
    for text in texts(&checked) {
        assert!(buttress::ir::Pattern::new(&text).is_ok(), "{text}");
    }
}

/// A pattern of the user's is checked however it reaches a `matches`, the stdlib loaded or not.
#[test]
fn a_bad_pattern_of_the_user_is_an_error_beside_the_stdlib() {
    let mut engine = Engine::new().with_stdlib();
    engine.add_source(
        "mine.btr",
        r#"pack mine

rule bad_pattern {
  pillar    security
  practice  "SEC01-BP01"
  risk      low
  title     "A bucket's name is a pattern that does not compile"
  on cloudformation "AWS::S3::Bucket" as b {
    require b.BucketName matches r"(unclosed"
  }
}
"#,
    );
    let set = engine.compile();
    assert!(
        set.diagnostics
            .iter()
            .any(|d| d.is_error() && d.code == buttress::diagnostics::Code::BadRegex),
        "{:#?}",
        set.diagnostics
    );
}
/// The build script's syntax trees are the ones a parse at run time gives, and moving them to
/// other file ids (the standard library loads after a configuration file) moves every span.
#[test]
fn the_trees_parsed_at_build_time_equal_a_parse_at_run_time() {
    let built = buttress::stdlib::parsed().expect("the build script parsed the stdlib");
    assert_eq!(built.len(), buttress::stdlib::FILES.len());
    let offset = 7;
    for (i, (mut pack, (name, text))) in built.into_iter().zip(buttress::stdlib::FILES).enumerate()
    {
        let file = buttress::source::FileId(i as u32 + offset);
        let (parsed, diagnostics) = buttress::syntax::parse_file(file, text);
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
        pack.shift_files(offset);
        assert!(parsed == Some(pack), "{name}: the build-time tree differs");
    }
}

#[test]
fn the_stdlib_loaded_after_another_file_points_into_its_own_files() {
    let mut engine = Engine::new();
    engine.sources_mut().add("buttress.toml", "x = 1\n");
    let set = engine.with_stdlib().compile();
    let first = &set.packs[0];
    let file = set.sources.get(first.name.span.file);
    assert_eq!(file.name, buttress::stdlib::FILES[0].0);
    assert_eq!(set.sources.text(first.name.span), first.name.name);
}

#[test]
fn the_stdlib_passes_the_schema_check_without_a_warning() {
    let set = Engine::new().with_stdlib().compile();
    let start = std::time::Instant::now();
    let diags = buttress::schema::check(&set.packs, |_| true, &set.sources, true);
    let took = start.elapsed();
    let rendered = buttress::diagnostics::render_all(
        &set.sources,
        &diags,
        buttress::diagnostics::ColorMode::Never,
    );
    assert!(diags.is_empty(), "{rendered}");
    eprintln!("schema check of the stdlib: {took:?}");
}

#[test]
fn the_schema_check_sees_every_cloudformation_block_of_the_stdlib() {
    // Guard against a check that passes because it looks at nothing: a misspelt copy of a
    // stdlib property is caught.
    let text = buttress::stdlib::FILES
        .iter()
        .find(|(name, _)| name.ends_with("data_at_rest.btr"))
        .map(|(_, t)| t.replace("db.StorageEncrypted", "db.StorageEncrypt"))
        .expect("the data_at_rest pack");
    let mut engine = Engine::new();
    engine.add_source("misspelt.btr", &text);
    let set = engine.compile();
    assert!(
        set.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "B0411"
                && d.help.iter().any(|h| h.contains("StorageEncrypted"))),
        "{:?}",
        set.diagnostics
    );
}

#[test]
fn every_pillar_has_at_least_three_rules() {
    let set = Engine::new().with_stdlib().compile();
    for p in PILLARS {
        let n = set.program.rules.iter().filter(|r| r.pillar == p).count();
        assert!(n >= 3, "pillar {} has {n} rules", p.id());
    }
}

#[test]
fn every_stdlib_fixture_holds_and_every_rule_has_pass_and_fail_fixtures() {
    let set = Engine::new().with_stdlib().compile();
    let found = fixtures::discover(&[root().join("stdlib")]);
    let mut problems: Vec<String> = found
        .problems
        .iter()
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    for r in fixtures::run_all(&set, &found.fixtures) {
        if let Some(d) = r.problem {
            problems.push(format!("{}: {}", d.code.as_str(), d.message));
        }
    }
    for rule in &set.program.rules {
        for want in ["pass", "fail"] {
            let has = found.fixtures.iter().any(|f| {
                f.rule_id == rule.id
                    && f.path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(want))
            });
            if !has {
                problems.push(format!("rule `{}` has no `{want}` fixture", rule.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(found.fixtures.len() >= 2 * set.program.rules.len());
}

#[test]
fn every_stdlib_fail_fixture_states_the_resources_that_must_fail() {
    let found = fixtures::discover(&[root().join("stdlib")]);
    let vague: Vec<String> = found
        .fixtures
        .iter()
        .filter(|f| fixtures::Expect::of(&f.path) == Some(fixtures::Expect::Fail))
        // A document block's finding names no resource: its fixture states how many
        // findings and what they say instead.
        .filter(|f| {
            f.expect.as_ref().is_none_or(|e| {
                e.fail.as_ref().is_none_or(Vec::is_empty)
                    && !(e.findings.is_some() && e.message.is_some())
            })
        })
        .map(|f| f.path.display().to_string())
        .collect();
    assert!(
        vague.is_empty(),
        "fail fixtures without `fail = [...]` (or, for a document block, `findings` and `message`) in expect.toml:\n{}",
        vague.join("\n")
    );
}

#[test]
fn every_require_of_every_stdlib_rule_is_failed_by_a_fixture() {
    let set = Engine::new().with_stdlib().compile();
    let found = fixtures::discover(&[root().join("stdlib")]);
    let results = fixtures::run_all(&set, &found.fixtures);
    let all: Vec<usize> = (0..set.program.rules.len()).collect();
    let cov = fixtures::coverage::measure(&set.program, &all, &results);
    let mut missing = Vec::new();
    for rule in &cov.rules {
        for b in &rule.blocks {
            for r in b.requires.iter().filter(|r| !r.fail) {
                missing.push(format!(
                    "{} (on {} {:?}): require {}",
                    rule.id, b.kind, b.pattern, r.require
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} require(s) no fixture fails:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert_eq!(cov.total.requires_failed, cov.total.requires);
    assert!(cov.total.requires > set.program.rules.len());
}

#[test]
fn the_corpus_loads_and_checks_without_a_crash() {
    let corpus = root().join("../shared/corpus/aws-cloudformation-templates");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let set = Engine::new().with_stdlib().compile();
    let (inputs, errors) = discover(&[corpus]);
    assert!(errors.is_empty());
    assert!(inputs.len() >= 100, "found {} inputs", inputs.len());
    let outcomes = check_all(&set.program, &inputs, &LoadOptions::default(), None);
    let failed: Vec<String> = outcomes
        .iter()
        .flat_map(|o| {
            o.errors
                .iter()
                .map(move |e| format!("{}: {}", o.name, e.diagnostic.message))
        })
        .collect();
    // Every JSON template of the corpus is valid: none may fail to load. YAML ones may be
    // refused, each with its reason (a Rain module, a macro's input), never by a crash.
    let json_failed: Vec<&String> = failed.iter().filter(|f| f.contains(".json:")).collect();
    assert!(json_failed.is_empty(), "{json_failed:#?}");
    eprintln!(
        "{} of {} inputs refused, each with a reason:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
    let resources: usize = outcomes.iter().map(|o| o.resources).sum();
    assert!(resources > 500, "only {resources} resources loaded");
}

#[test]
fn the_readme_example_has_findings() {
    let set = Engine::new().with_stdlib().compile();
    let (inputs, _) = discover(&[root().join("examples/insecure-stack.json")]);
    let outcomes = check_all(&set.program, &inputs, &LoadOptions::default(), Some(1));
    assert!(
        outcomes[0].findings.len() >= 3,
        "{:?}",
        outcomes[0].findings
    );
}

#[test]
fn the_rule_catalogue_in_docs_is_current() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_buttress"))
        .env("BUTTRESS_TODAY", "2026-12-02")
        .args(["rules", "--format", "markdown", "--examples", "stdlib"])
        .current_dir(root())
        .output()
        .unwrap();
    let path = root().join("docs/rules.md");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &out.stdout).unwrap();
    }
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        std::fs::read_to_string(path).unwrap(),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown --examples stdlib > docs/rules.md` (or BLESS=1 cargo test --test stdlib)"
    );
}
