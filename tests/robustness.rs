//! No panic on any input: random and truncated rule sources, random JSON documents, and the
//! hostile cases (deep nesting, huge numbers, invalid UTF-8, empty files).

use buttress::diagnostics::Code;
use buttress::driver::check_bytes;
use buttress::input::{load, LoadOptions};
use buttress::source::FileId;
use buttress::Engine;
use proptest::prelude::*;
use serde_json::Value as Json;

/// The standard library, compiled once for all the tests here.
fn stdlib() -> &'static buttress::RuleSet {
    static SET: std::sync::OnceLock<buttress::RuleSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| Engine::new().with_stdlib().compile())
}

fn compile_source(src: &str) {
    let mut engine = Engine::new();
    engine.add_source("fuzz.btr", src);
    let set = engine.compile();
    // Rendering must not panic either.
    let _ = buttress::diagnostics::render_all(
        &set.sources,
        &set.diagnostics,
        buttress::diagnostics::ColorMode::Never,
    );
}

fn seeds() -> Vec<String> {
    let mut out: Vec<String> = buttress::stdlib::FILES
        .iter()
        .map(|(_, s)| s.to_string())
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        if let Some(rules) = text.split("=== rules\n").nth(1) {
            out.push(rules.split("\n=== ").next().unwrap().to_string());
        }
    }
    out
}

#[test]
fn truncations_of_every_seed_source_are_handled() {
    // Evenly spaced cuts: 150 in a small seed, fewer in a large one, so that each seed costs
    // about the same (a truncated source takes the slower error-reporting path). The stdlib
    // files repeat their constructs, so every construct is still cut somewhere.
    for seed in seeds() {
        let bounds: Vec<usize> = (0..=seed.len())
            .filter(|i| seed.is_char_boundary(*i))
            .collect();
        let cuts = (150 * 4096 / seed.len().max(1)).clamp(12, 150);
        let step = (bounds.len() / cuts).max(1);
        for &cut in bounds.iter().step_by(step) {
            compile_source(&seed[..cut]);
        }
    }
}

const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "r\"",
    "@",
    "*",
    "?",
    "??",
    ".",
    ",",
    ":",
    "==",
    "not",
    "in",
    "some",
    "all",
    "rule",
    "on",
    "pack",
    "///",
    "//",
    "\n",
    "-",
    "1e999",
    "99999999999999999999",
    "\\",
    "{x}",
    "pred",
    "use",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(src in "\\PC{0,200}") {
        compile_source(&src);
    }

    #[test]
    fn mutated_seeds_never_panic(seed_index in 0usize..64, edits in proptest::collection::vec((0usize..100_000, 0usize..TOKENS.len(), any::<bool>()), 1..6)) {
        let seeds = seeds();
        let mut src = seeds[seed_index % seeds.len()].clone();
        for (at, tok, delete) in edits {
            let mut at = at % (src.len() + 1);
            while !src.is_char_boundary(at) {
                at -= 1;
            }
            if delete {
                let mut end = (at + 3).min(src.len());
                while !src.is_char_boundary(end) {
                    end += 1;
                }
                src.replace_range(at..end, "");
            } else {
                src.insert_str(at, TOKENS[tok]);
            }
        }
        compile_source(&src);
    }

    #[test]
    fn random_json_never_panics(doc in json_value(), as_template in any::<bool>()) {
        let text = if as_template {
            serde_json::json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": "AWS::S3::Bucket", "Properties": doc.clone()}, "D": {"Type": "AWS::RDS::DBInstance", "Properties": doc}}}).to_string()
        } else {
            doc.to_string()
        };
        let set = stdlib();
        let _ = check_bytes(&set.program, "fuzz.json", text.into_bytes(), &LoadOptions::default());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let set = stdlib();
        let _ = check_bytes(&set.program, "fuzz.json", bytes, &LoadOptions::default());
    }
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Json::from),
        "[a-zA-Z0-9:*/. -]{0,12}".prop_map(Json::from),
        Just(serde_json::json!({"Ref": "AWS::NoValue"})),
        Just(serde_json::json!({"Fn::GetAtt": ["X", "Y"]})),
        Just(serde_json::json!({"Ref": "Nothing"})),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Json::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("StorageEncrypted".to_string()),
                    Just("BucketEncryption".to_string()),
                    Just("Engine".to_string()),
                    Just("Tags".to_string()),
                    "[A-Za-z]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

fn load_error(bytes: Vec<u8>) -> Code {
    match load("bad.json", bytes, &LoadOptions::default()) {
        Err(e) => e.diagnostic.code,
        Ok(_) => panic!("expected a load error"),
    }
}

#[test]
fn deep_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(load_error(deep.into_bytes()), Code::InvalidJson);
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert_eq!(load_error(deep_obj.into_bytes()), Code::InvalidJson);
}

#[test]
fn nesting_within_the_limit_is_evaluated() {
    let props = format!("{}1{}", "{\"a\":".repeat(120), "}".repeat(120));
    let doc = format!(
        "{{\"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {props}}}}}}}"
    );
    let set = stdlib();
    let out = check_bytes(
        &set.program,
        "deep.json",
        doc.into_bytes(),
        &LoadOptions::default(),
    );
    assert!(out.errors.is_empty());
    assert_eq!(out.resources, 1);
}

#[test]
fn hostile_inputs_give_one_clear_error_each() {
    assert_eq!(load_error(Vec::new()), Code::InvalidJson);
    assert_eq!(load_error(b"   \n ".to_vec()), Code::InvalidJson);
    assert_eq!(load_error(vec![b'{', 0xff, 0xfe, b'}']), Code::NotUtf8);
    assert_eq!(load_error(b"{\"a\": 1e999}".to_vec()), Code::InvalidJson);
    assert_eq!(load_error(b"{\"a\": 1,}".to_vec()), Code::InvalidJson);
    assert_eq!(
        load_error(b"{\"a\": 1, \"a\": 2}".to_vec()),
        Code::InvalidJson
    );
    assert_eq!(
        load_error(br#"{"AWSTemplateFormatVersion": "x", "Resources": [1]}"#.to_vec()),
        Code::BadTemplateShape
    );
    // numbers beyond 64 bits that JSON allows are read (as floats), not rejected
    assert!(load(
        "big.json",
        b"{\"a\": 123456789012345678901234567890}".to_vec(),
        &LoadOptions::default()
    )
    .is_ok());
}

#[test]
fn deep_rule_sources_are_refused_with_a_diagnostic() {
    for src in [
        format!(
            "pack p\npred x(a) = {}a{}",
            "(".repeat(100_000),
            ")".repeat(100_000)
        ),
        format!("pack p\npred x(a) = {}a", "not ".repeat(100_000)),
        format!("pack p\npred x(a) = a{}", " and a".repeat(100_000)),
        format!("pack p\npred x(a) = {}a", "some y in a : ".repeat(100_000)),
    ] {
        let (_, diags) = buttress::syntax::parse_file(FileId(0), &src);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::TooDeep);
    }
}

#[test]
fn predicate_chains_are_bounded() {
    let mut src = String::from("pack p\npred p0(x) = x == 1\n");
    for i in 1..40 {
        src.push_str(&format!("pred p{i}(x) = p{}(x) and p{}(x)\n", i - 1, i - 1));
    }
    src.push_str("rule r {\n pillar security\n practice \"SEC08-BP02\"\n risk low\n title \"t\"\n on json \"*\" as d { require p39(d) }\n}\n");
    let mut engine = Engine::new();
    engine.add_source("chain.btr", &src);
    let set = engine.compile();
    assert!(
        set.diagnostics.iter().any(|d| d.code == Code::TooDeep),
        "{:?}",
        set.diagnostics.first()
    );
}

#[test]
fn a_large_document_gives_the_same_findings_as_its_parts() {
    let mut resources = serde_json::Map::new();
    for i in 0..1500 {
        let props = if i % 3 == 0 {
            serde_json::json!({"StorageEncrypted": false, "Engine": "mysql"})
        } else {
            serde_json::json!({"StorageEncrypted": true})
        };
        resources.insert(
            format!("Db{i:04}"),
            serde_json::json!({"Type": "AWS::RDS::DBInstance", "Properties": props}),
        );
    }
    let doc = serde_json::json!({"Resources": resources}).to_string();
    let set = stdlib();
    let out = check_bytes(
        &set.program,
        "big.json",
        doc.into_bytes(),
        &LoadOptions::default(),
    );
    let unencrypted = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "security.data_at_rest.rds_storage_encrypted")
        .count();
    assert_eq!(unencrypted, 500);
    let lines: Vec<usize> = out.findings.iter().map(|f| f.location.line).collect();
    assert!(
        lines.windows(2).all(|w| w[0] <= w[1]),
        "findings are in document order"
    );
}
