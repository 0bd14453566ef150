//! Every builtin, by example: each row is `expression`, `expected value`, evaluated against
//! the document below. Absent and unknown arguments are covered too.

use buttress::driver::check_bytes;
use buttress::input::LoadOptions;
use buttress::Engine;

const DOC: &str = r#"{
  "s": "Hello World", "n": "42", "list": ["a", "b", "c"], "nums": [3, "1", 2.5],
  "obj": {"x": 1, "y": 2}, "nested": [[1, 2], [3], 4],
  "policy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}},
  "policy_text": "{\"Statement\": [{\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"Resource\": [\"a\", \"b\"]}]}",
  "arn": "arn:aws:iam::123456789012:role/admin/ops",
  "encoded": "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%7D%7D",
  "statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
  "empty_text": ""
}"#;

const ROWS: &[(&str, &str)] = &[
    ("lower(d.s)", r#""hello world""#),
    // Already lower case: the value itself; beyond ASCII: Unicode's lower case.
    ("lower(d.list[0])", r#""a""#),
    (r#"lower("ÉTÉ")"#, r#""été""#),
    (r#"lower("ǅ")"#, r#""ǆ""#),
    ("upper(d.s)", r#""HELLO WORLD""#),
    (r#"trim("  x ")"#, r#""x""#),
    (r#"starts_with(d.s, "Hell")"#, "true"),
    (r#"starts_with(d.s, "World")"#, "false"),
    (r#"ends_with(d.s, "World")"#, "true"),
    (r#"contains(d.s, "lo W")"#, "true"),
    (r#"contains(d.list, "b")"#, "true"),
    (r#"contains(d.list, "z")"#, "false"),
    (r#"contains(d.obj, "x")"#, "true"),
    (r#"split(d.s, " ")"#, r#"["Hello", "World"]"#),
    (r#"split("ab", "")"#, r#"["a", "b"]"#),
    // One part of a split (worked out without the whole list), from the start or the end.
    (r#"split(d.s, " ")[0]"#, r#""Hello""#),
    (r#"split(d.s, " ")[1]"#, r#""World""#),
    (r#"split(d.s, " ")[2] ?? "none""#, r#""none""#),
    (r#"split(d.s, " ")[-1]"#, r#""World""#),
    (r#"split(d.s, "")[1]"#, r#""e""#),
    (r#"split("né", "")[1]"#, r#""é""#),
    (r#"split(d.obj, " ")[0] ?? "absent""#, r#""absent""#),
    (r#"split(d.s, d.nums[0])[0] ?? "absent""#, r#""absent""#),
    (r#"join(d.list, "-")"#, r#""a-b-c""#),
    (r#"join([1, "x"], ",")"#, r#""1,x""#),
    ("len(d.s)", "11"),
    ("len(d.list)", "3"),
    ("len(d.obj)", "2"),
    (r#"len("né")"#, "2"),
    ("to_string(d.obj)", r#""{\"x\":1,\"y\":2}""#),
    ("to_string(d.s)", r#""Hello World""#),
    ("to_string(d.list[1])", r#""b""#),
    ("to_string(d.empty_text)", r#""""#),
    ("to_string(d.list)", r#""a, b, c""#),
    (r#"to_string([])"#, r#""none""#),
    ("to_number(d.n) + 1", "43"),
    (r#"to_number("x") ?? "none""#, r#""none""#),
    ("keys(d.obj)", r#"["x", "y"]"#),
    ("values(d.obj)", "[1, 2]"),
    (r#"get(d.obj, "x", 0)"#, "1"),
    (r#"get(d.obj, "z", 0)"#, "0"),
    (r#"get(d.obj, "z") ?? "absent""#, r#""absent""#),
    ("get(d.list, -1)", r#""c""#),
    ("get(d.list, 9, \"none\")", r#""none""#),
    (r#"get(d.missing, "x", 5)"#, "5"),
    (r#"url_decode("a%20b+c%2F")"#, r#""a b c/""#),
    (r#"url_decode("100%")"#, r#""100%""#),
    (r#"url_decode("%ff") is unknown"#, "true"),
    ("any([false, true])", "true"),
    ("any([false, false])", "false"),
    ("all([true, true])", "true"),
    ("all([true, false])", "false"),
    ("all([])", "true"),
    ("any([])", "false"),
    ("min(d.nums)", "1"),
    ("max(d.nums)", "3"),
    ("sum([1, 2, 3])", "6"),
    ("sum(d.nums)", "6.5"),
    ("flatten(d.nested)", "[1, 2, 3, 4]"),
    (r#"regex_find(d.s, "W[a-z]+")"#, r#""World""#),
    (r#"regex_find(d.s, "\\d") ?? "no digit""#, r#""no digit""#),
    (r#"cidr_contains("10.0.0.0/8", "10.1.2.3")"#, "true"),
    (r#"cidr_contains("10.0.0.0/8", "10.1.0.0/16")"#, "true"),
    (r#"cidr_contains("10.0.0.0/16", "10.0.0.0/8")"#, "false"),
    (r#"cidr_contains("::/0", "2001:db8::1")"#, "true"),
    (r#"cidr_contains("10.0.0.0/8", "fe80::1")"#, "false"),
    (r#"is_public_cidr("0.0.0.0/0")"#, "true"),
    (r#"is_public_cidr("10.2.0.0/16")"#, "false"),
    (r#"is_public_cidr("172.31.0.0/16")"#, "false"),
    (r#"is_public_cidr("8.8.8.8/32")"#, "true"),
    (r#"is_public_cidr("::/0")"#, "true"),
    (r#"is_public_cidr("fd00::/8")"#, "false"),
    (r#"is_public_cidr("not a cidr") ?? "bad""#, r#""bad""#),
    ("arn_parse(d.arn).service", r#""iam""#),
    ("arn_parse(d.arn).account", r#""123456789012""#),
    ("arn_parse(d.arn).resource", r#""role/admin/ops""#),
    (r#"arn_parse("nope") ?? "bad""#, r#""bad""#),
    ("json_parse(d.policy_text).Statement[0].Effect", r#""Deny""#),
    ("json_parse(d.obj).x", "1"),
    (r#"json_parse("{bad") ?? "bad""#, r#""bad""#),
    ("statements(d.policy)[0].Action", r#"["s3:*"]"#),
    ("statements(d.policy)[0].Resource", r#"["*"]"#),
    ("statements(d.policy_text)[0].NotAction", r#"["iam:*"]"#),
    ("len(statements(d.policy_text)[0].Resource)", "2"),
    ("statements(d.encoded)[0].Action", r#"["*"]"#),
    ("statements(d.statement)[0].Action", r#"["ec2:*"]"#),
    (r#"statements("{not json") is unknown"#, "true"),
    (
        "statements(d.obj) ?? \"no statements\"",
        r#""no statements""#,
    ),
    (r#"action_matches("s3:*", "s3:GetObject")"#, "true"),
    (r#"action_matches("S3:get*", "s3:GetObject")"#, "true"),
    (r#"action_matches("s3:Get?bject", "s3:GetObject")"#, "true"),
    (r#"action_matches("s3:Put*", "s3:GetObject")"#, "false"),
    (r#"action_matches("*", "ec2:RunInstances")"#, "true"),
    ("name(d)", r#""doc.json""#),
    ("resource_type(d)", r#""doc.json""#),
    ("entry(d)", "null"),
    (r#"len(resources("*"))"#, "1"),
    (r#"len(resources("AWS::*"))"#, "0"),
    // today() is the date the rules were compiled for (see `today_is_fixed_when_rules_compile`)
    (r#"today() matches r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$""#, "true"),
    // a value known now comes from no Systems Manager parameter (`ssm-parameter.case` has the rest)
    (r#"ssm_parameter(d.s) ?? "known now""#, r#""known now""#),
    // absent arguments give absent results
    (r#"lower(d.missing) ?? "absent""#, r#""absent""#),
    // … except len, for which nothing has no elements
    ("len(d.missing)", "0"),
    ("len(null)", "0"),
    (r#"keys(d.s) ?? "not an object""#, r#""not an object""#),
];

fn rules() -> String {
    let mut s = String::from("pack b\n");
    for (i, (expr, want)) in ROWS.iter().enumerate() {
        s.push_str(&format!(
            "rule row{i} {{\n pillar security\n practice \"SEC08-BP02\"\n risk low\n title \"row {i}\"\n \
             on json \"*\" as d {{\n  let got = {expr}\n  require got == {want} else \"{{got}}\"\n }}\n}}\n"
        ));
    }
    s
}

fn findings(rules: &str, doc: &str, name: &str) -> Vec<(String, String, String)> {
    let mut engine = Engine::new();
    engine.add_source("b.btr", rules);
    let set = engine.compile();
    let errors: Vec<_> = set.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let o = check_bytes(
        &set.program,
        name,
        doc.as_bytes().to_vec(),
        &LoadOptions::default(),
    );
    assert!(o.errors.is_empty());
    o.findings
        .into_iter()
        .map(|f| (f.rule_id, f.status.id().to_string(), f.message))
        .collect()
}

#[test]
fn every_builtin_gives_its_expected_value() {
    let found = findings(&rules(), DOC, "doc.json");
    let report: Vec<String> = found
        .iter()
        .map(|(rule, status, msg)| {
            let i: usize = rule.trim_start_matches("b.row").parse().unwrap();
            format!("{} => {status}: got {msg}, want {}", ROWS[i].0, ROWS[i].1)
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn every_builtin_has_a_row() {
    let this_file = include_str!("builtins.rs");
    for b in buttress::ir::Builtin::ALL {
        assert!(
            ROWS.iter()
                .any(|(e, _)| e.contains(&format!("{}(", b.name())))
                || this_file.contains(&format!(" {}(x, ", b.name())),
            "no test for builtin `{}`",
            b.name()
        );
    }
}

#[test]
fn a_wrong_expectation_fails() {
    let rules = "pack b\nrule r {\n pillar security\n practice \"SEC08-BP02\"\n risk low\n title \"t\"\n \
                 on json \"*\" as d {\n  require lower(d.s) == \"HELLO\" else \"{lower(d.s)}\"\n }\n}\n";
    let found = findings(rules, DOC, "doc.json");
    assert_eq!(
        found,
        vec![("b.r".into(), "fail".into(), "hello world".into())]
    );
}

#[test]
fn unknown_arguments_make_unknown_results() {
    let doc = r#"{"Parameters": {"P": {"Type": "String"}},
                  "Resources": {"R": {"Type": "AWS::T::X", "Properties": {"U": {"Ref": "P"}}}}}"#;
    let mut s = String::from("pack u\n");
    for (i, call) in [
        "lower(r.U)",
        "len(r.U)",
        "is_public_cidr(r.U)",
        "statements(r.U)",
        "json_parse(r.U)",
        "split(r.U, \",\")",
        "split(r.U, \",\")[0]",
    ]
    .iter()
    .enumerate()
    {
        s.push_str(&format!(
            "rule u{i} {{\n pillar security\n practice \"SEC08-BP02\"\n risk low\n title \"t\"\n \
             on cloudformation \"*\" as r {{ require {call} == 1 }}\n}}\n"
        ));
    }
    let found = findings(&s, doc, "t.json");
    assert_eq!(found.len(), 7, "{found:?}");
    assert!(found.iter().all(|f| f.1 == "unknown"), "{found:?}");
}

#[test]
fn entry_reads_the_cloudformation_declaration() {
    let doc = r#"{"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Delete",
                  "Properties": {"Engine": "mysql"}}}}"#;
    let rules = "pack e\nrule r {\n pillar reliability\n practice \"REL09-BP01\"\n risk high\n title \"t\"\n \
                 on cloudformation \"AWS::RDS::*\" as db {\n  require entry(db).DeletionPolicy ?? \"Delete\" in [\"Snapshot\", \"Retain\"] \
                 else \"{name(db)} ({resource_type(db)}, {db.Engine}) is deleted with {entry(db).DeletionPolicy}; {entry(db).Type}\"\n }\n}\n";
    let found = findings(rules, doc, "t.json");
    assert_eq!(
        found,
        vec![(
            "e.r".into(),
            "fail".into(),
            "Db (AWS::RDS::DBInstance, mysql) is deleted with Delete; AWS::RDS::DBInstance".into()
        )]
    );
}

#[test]
fn refs_and_referrers_follow_references_both_ways() {
    let doc = r#"{"Resources": {
        "Logs": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "Data": {"Type": "AWS::S3::Bucket", "Properties": {"LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}}}},
        "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Data"}}},
        "Fn": {"Type": "AWS::Lambda::Function", "DependsOn": "Data", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${Data}-${Role.Arn}"}}}
    }}"#;
    let rules = r#"pack rel
rule r {
 pillar security
 practice "SEC08-BP02"
 risk low
 title "t"
 on cloudformation "*" as x {
  let out = refs(x, "*")
  let ins = referrers(x, "*")
  let policies = referrers(x, "AWS::S3::BucketPolicy")
  let at = referrers(x, "*", "Bucket") + referrers(x, "*", "LoggingConfiguration")
  let role = refs(x, "*", "Role")
  require false else "{name(x)} -> {out} <- {ins}; policies {policies}; at {at}; role {role}"
 }
}
"#;
    let mut found: Vec<String> = findings(rules, doc, "t.json")
        .into_iter()
        .map(|f| f.2)
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            "Data -> Logs <- Policy, Fn, Topic; policies Policy; at Policy; role none",
            "Fn -> Data, Role <- none; policies none; at none; role Role",
            "Logs -> none <- Data; policies none; at Data; role none",
            "Policy -> Data <- none; policies none; at none; role none",
            "Role -> none <- Fn, Topic; policies none; at none; role none",
            "Topic -> Data, Role <- none; policies none; at none; role none",
        ]
    );
}

#[test]
fn the_language_reference_lists_every_builtin_as_declared() {
    let doc = include_str!("../docs/language.md");
    for b in buttress::ir::Builtin::ALL {
        let declared = b.doc().replace("\\\"", "\"");
        assert!(
            doc.lines()
                .any(|l| l.starts_with(&format!("| `{}(", b.name()))
                    && l.contains(&format!("| {declared} |"))),
            "docs/language.md has no row for `{}` saying: {declared}",
            b.name()
        );
    }
}

#[test]
fn today_is_fixed_when_rules_compile() {
    let rules = "pack b\nrule r {\n pillar security\n practice \"SEC08-BP02\"\n risk low\n title \"t\"\n \
                 on json \"*\" as d {\n  require today() < \"2026-06-01\" else \"{today()}\"\n }\n}\n";
    let run = |date: &str| {
        let mut engine = Engine::new();
        engine.add_source("b.btr", rules);
        engine.set_today(buttress::date::Date::parse(date).unwrap());
        let set = engine.compile();
        assert_eq!(set.today.to_string(), date);
        let o = check_bytes(
            &set.program,
            "doc.json",
            b"{}".to_vec(),
            &LoadOptions::default(),
        );
        o.findings
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
    };
    assert!(run("2026-05-31").is_empty());
    assert_eq!(run("2026-06-01"), vec!["2026-06-01".to_string()]);
}

#[test]
fn a_rule_names_practices_of_other_pillars_after_its_own() {
    let rule = |practices: &str| {
        format!(
            "pack b\nrule r {{\n pillar reliability\n practice {practices}\n risk low\n title \"t\"\n \
             on json \"*\" as d {{\n  require false\n }}\n}}\n"
        )
    };
    let mut engine = Engine::new();
    engine.add_source("b.btr", &rule("\"REL09-BP02\", \"SEC08-BP02\""));
    let set = engine.compile();
    assert!(!set.has_errors(), "{:#?}", set.diagnostics);
    assert_eq!(set.program.rules[0].practices, ["REL09-BP02", "SEC08-BP02"]);
    let mut engine = Engine::new();
    engine.add_source("b.btr", &rule("\"SEC08-BP02\", \"REL09-BP02\""));
    let set = engine.compile();
    assert!(set
        .diagnostics
        .iter()
        .any(|d| d.code == buttress::diagnostics::Code::PracticePillarMismatch));
}

#[test]
fn unknown_values_inside_statements_keep_their_make_up() {
    // The account root built with Fn::Sub is not known before deployment, yet its known
    // text ("arn:aws:iam::") already tells it from "*", also once `statements` has copied
    // the policy.
    let rules =
        "pack b\nrule r {\n pillar security\n practice \"SEC08-BP02\"\n risk low\n title \"t\"\n \
                 on cloudformation \"AWS::KMS::Key\" as k {\n  \
                 require statements(k.KeyPolicy)[0].Principal.AWS != \"*\" else \"open\"\n }\n}\n";
    let doc = r#"{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
        "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*",
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}}]}}}}}"#;
    let found = findings(rules, doc, "t.json");
    assert!(found.is_empty(), "{found:?}");
}
