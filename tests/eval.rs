//! Evaluation cases as data: `tests/eval/*.case` hold rules, inputs and the expected findings.
//!
//! Sections: `=== rules` (a .btr source), `=== params` (optional `name=value` lines),
//! `=== pseudo` (optional `region=…`, `account=…`, `partition=…`), `=== steps` (optional: the
//! evaluation budget per resource),
//! `=== input NAME` (one or more), `=== expect` (one finding a line:
//! `status rule resource line:column message`). `BLESS=1` rewrites the expect sections.
//!
//! Every case also runs through the reference evaluator (`tests/support/oracle.rs`), which
//! must give the same (rule, resource, status) outcomes, unless an `=== oracle` section says
//! why it cannot (a construct the reference does not model, such as document blocks).

mod support;

use buttress::compile::{Override, OverrideValue};
use buttress::driver::check_bytes;
use buttress::input::LoadOptions;
use buttress::Engine;
use std::path::Path;

struct Case {
    rules: String,
    params: Vec<String>,
    pseudo: Vec<String>,
    steps: Option<u64>,
    /// Why the reference evaluator is not compared, when it is not.
    oracle_skip: Option<String>,
    inputs: Vec<(String, String)>,
    expect: Vec<String>,
    head: String,
}

fn parse(text: &str) -> Case {
    let mut case = Case {
        rules: String::new(),
        params: Vec::new(),
        pseudo: Vec::new(),
        steps: None,
        oracle_skip: None,
        inputs: Vec::new(),
        expect: Vec::new(),
        head: String::new(),
    };
    let mut section = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            section = name.trim().to_string();
            if let Some(input) = section.strip_prefix("input ") {
                case.inputs.push((input.to_string(), String::new()));
            }
            continue;
        }
        match section.as_str() {
            "" => case.head.push_str(line),
            "rules" => case.rules.push_str(line),
            "params" if !line.trim().is_empty() => case.params.push(line.trim().to_string()),
            "pseudo" if !line.trim().is_empty() => case.pseudo.push(line.trim().to_string()),
            "steps" if !line.trim().is_empty() => case.steps = line.trim().parse().ok(),
            "oracle" if !line.trim().is_empty() => case.oracle_skip = Some(line.trim().to_string()),
            "expect" if !line.trim().is_empty() => case.expect.push(line.trim_end().to_string()),
            s if s.starts_with("input ") => case.inputs.last_mut().unwrap().1.push_str(line),
            _ => {}
        }
    }
    case
}

/// (rule, resource, status) of every finding, by the IR evaluator and by the reference one.
fn differential(case: &Case) -> Result<(), String> {
    let mut engine = Engine::new();
    engine.add_source("case.btr", &case.rules);
    let rules = engine.compile();
    let mut opts = LoadOptions::default();
    for p in &case.pseudo {
        match p.split_once('=') {
            Some(("region", v)) => opts.pseudo.region = Some(v.to_string()),
            Some(("account", v)) => opts.pseudo.account = Some(v.to_string()),
            Some(("partition", v)) => opts.pseudo.partition = Some(v.to_string()),
            _ => {}
        }
    }
    for (name, text) in &case.inputs {
        let Ok(loaded) = buttress::input::load(name, text.clone().into_bytes(), &opts) else {
            continue;
        };
        for doc in &loaded.documents {
            let mut ir: Vec<(String, Option<u32>, String)> =
                buttress::eval::evaluate(&rules.program, doc)
                    .findings
                    .into_iter()
                    .map(|f| {
                        (
                            rules.program.rules[f.rule as usize].id.clone(),
                            f.resource,
                            f.status.id().to_string(),
                        )
                    })
                    .collect();
            let mut reference: Vec<(String, Option<u32>, String)> =
                support::oracle::evaluate(&rules.packs, doc)
                    .into_iter()
                    .map(|(rule, res, status, _)| (rule, res, status.id().to_string()))
                    .collect();
            ir.sort();
            reference.sort();
            if ir != reference {
                return Err(format!(
                    "{name}: the IR evaluator gives {ir:?}, the reference {reference:?}"
                ));
            }
        }
    }
    Ok(())
}

fn run(case: &Case) -> Vec<String> {
    let mut engine = Engine::new();
    engine.add_source("case.btr", &case.rules);
    for p in &case.params {
        let (name, value) = p.split_once('=').expect("params are name=value");
        engine.add_override(Override {
            name: name.into(),
            value: OverrideValue::Text(value.into()),
            span: None,
        });
    }
    let mut rules = engine.compile();
    rules.program.max_steps = case.steps;
    let errors: Vec<_> = rules.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "rules do not compile: {errors:#?}");
    let mut opts = LoadOptions::default();
    for p in &case.pseudo {
        match p.split_once('=') {
            Some(("region", v)) => opts.pseudo.region = Some(v.to_string()),
            Some(("account", v)) => opts.pseudo.account = Some(v.to_string()),
            Some(("partition", v)) => opts.pseudo.partition = Some(v.to_string()),
            _ => panic!("pseudo lines are region=, account= or partition=: {p}"),
        }
    }
    let mut out = Vec::new();
    for (name, text) in &case.inputs {
        let o = check_bytes(&rules.program, name, text.clone().into_bytes(), &opts);
        for e in o.errors {
            out.push(format!(
                "error {} {}",
                e.diagnostic.code.as_str(),
                e.diagnostic.message
            ));
        }
        for f in o.findings {
            out.push(format!(
                "{} {} {} {}:{} {}",
                f.status.id(),
                f.rule_id,
                f.resource,
                f.location.line,
                f.location.column,
                f.message
            ));
        }
    }
    out
}

#[test]
fn evaluation_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "case"));
    paths.sort();
    assert!(
        paths.len() >= 10,
        "expected the evaluation cases in {}",
        dir.display()
    );
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let case = parse(&text);
        let got = run(&case);
        if case.oracle_skip.is_none() && case.params.is_empty() && case.steps.is_none() {
            if let Err(e) = differential(&case) {
                failures.push(format!("{}: {e}", path.display()));
            }
        }
        if bless {
            let cut = text.find("=== expect").unwrap_or(text.len());
            let mut new = text[..cut].to_string();
            new.push_str("=== expect\n");
            for g in &got {
                new.push_str(g);
                new.push('\n');
            }
            std::fs::write(path, new).unwrap();
        } else if got != case.expect {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  got:\n    {}",
                path.display(),
                case.expect.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
