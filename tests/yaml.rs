//! The YAML reader: values, CloudFormation short-form tags, anchors, merge keys, positions and
//! errors.

use buttress::diagnostics::{Code, Diagnostic};
use buttress::input::yaml::{parse, Parsed};
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn value(text: &str) -> Json {
    match parse("t.yaml", text) {
        Ok(p) => p.value,
        Err(d) => panic!("{text:?} did not parse: {d:#?}"),
    }
}

fn error(text: &str) -> Diagnostic {
    match parse("t.yaml", text) {
        Ok(p) => panic!("{text:?} parsed as {}", p.value),
        Err(d) => d,
    }
}

/// The text the primary label underlines.
fn primary<'t>(d: &Diagnostic, text: &'t str) -> &'t str {
    let label = d
        .labels
        .iter()
        .find(|l| l.primary)
        .expect("a primary label");
    &text[label.span.range()]
}

fn secondary<'t>(d: &Diagnostic, text: &'t str) -> &'t str {
    let label = d
        .labels
        .iter()
        .find(|l| !l.primary)
        .expect("a secondary label");
    &text[label.span.range()]
}

/// The text from the position of `pointer` on.
fn at<'t>(p: &Parsed, text: &'t str, pointer: &str) -> &'t str {
    let offset = *p
        .positions
        .get(pointer)
        .unwrap_or_else(|| panic!("no position for {pointer:?}"));
    &text[offset..]
}

/// Every node of `v` has a position.
fn assert_every_node_has_a_position(p: &Parsed) {
    let mut work = vec![(&p.value, String::new())];
    while let Some((v, pointer)) = work.pop() {
        assert!(
            p.positions.contains_key(&pointer),
            "no position for {pointer:?}"
        );
        match v {
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    work.push((item, format!("{pointer}/{i}")));
                }
            }
            Json::Object(map) => {
                for (k, item) in map {
                    let k = k.replace('~', "~0").replace('/', "~1");
                    work.push((item, format!("{pointer}/{k}")));
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CloudFormation short-form tags, one test each: the short form reads as the long form.

macro_rules! tag_tests {
    ($($name:ident: $yaml:expr => $json:tt;)*) => {$(
        #[test]
        fn $name() {
            assert_eq!(value(concat!("V: ", $yaml)), json!({"V": $json}));
        }
    )*};
}

tag_tests! {
    tag_ref: "!Ref MyBucket" => {"Ref": "MyBucket"};
    tag_ref_pseudo_parameter: "!Ref AWS::Region" => {"Ref": "AWS::Region"};
    tag_getatt_scalar: "!GetAtt MyBucket.Arn" => {"Fn::GetAtt": ["MyBucket", "Arn"]};
    tag_getatt_splits_at_the_first_dot: "!GetAtt Db.Endpoint.Address"
        => {"Fn::GetAtt": ["Db", "Endpoint.Address"]};
    tag_getatt_sequence: "!GetAtt [MyBucket, Arn]" => {"Fn::GetAtt": ["MyBucket", "Arn"]};
    tag_getatt_sequence_with_ref: "!GetAtt [Stack, !Ref Output]"
        => {"Fn::GetAtt": ["Stack", {"Ref": "Output"}]};
    tag_sub: "!Sub '${AWS::StackName}-logs'" => {"Fn::Sub": "${AWS::StackName}-logs"};
    tag_sub_with_variables: "!Sub ['${X}-${Y}', {X: !Ref A, Y: b}]"
        => {"Fn::Sub": ["${X}-${Y}", {"X": {"Ref": "A"}, "Y": "b"}]};
    tag_join: "!Join [',', [a, !Ref B]]" => {"Fn::Join": [",", ["a", {"Ref": "B"}]]};
    tag_if: "!If [IsProd, 3, !Ref AWS::NoValue]"
        => {"Fn::If": ["IsProd", 3, {"Ref": "AWS::NoValue"}]};
    tag_select: "!Select [0, !GetAZs '']"
        => {"Fn::Select": [0, {"Fn::GetAZs": ""}]};
    tag_split: "!Split [',', !Ref List]" => {"Fn::Split": [",", {"Ref": "List"}]};
    tag_find_in_map: "!FindInMap [RegionMap, !Ref AWS::Region, AMI]"
        => {"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "AMI"]};
    tag_import_value: "!ImportValue SharedVpc" => {"Fn::ImportValue": "SharedVpc"};
    tag_import_value_of_sub: "!ImportValue {'Fn::Sub': '${Net}-Vpc'}"
        => {"Fn::ImportValue": {"Fn::Sub": "${Net}-Vpc"}};
    tag_base64: "!Base64 |\n  #!/bin/bash\n  echo hi\n"
        => {"Fn::Base64": "#!/bin/bash\necho hi\n"};
    tag_cidr: "!Cidr [!GetAtt Vpc.CidrBlock, 6, 8]"
        => {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 6, 8]};
    tag_get_azs_empty_string: "!GetAZs ''" => {"Fn::GetAZs": ""};
    tag_get_azs_no_value: "!GetAZs" => {"Fn::GetAZs": ""};
    tag_get_azs_region: "!GetAZs us-east-1" => {"Fn::GetAZs": "us-east-1"};
    tag_equals: "!Equals [!Ref Env, prod]" => {"Fn::Equals": [{"Ref": "Env"}, "prod"]};
    tag_and: "!And [!Condition A, !Condition B]"
        => {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]};
    tag_or: "!Or [!Condition A, !Equals [x, y]]"
        => {"Fn::Or": [{"Condition": "A"}, {"Fn::Equals": ["x", "y"]}]};
    tag_not: "!Not [!Condition IsProd]" => {"Fn::Not": [{"Condition": "IsProd"}]};
    tag_transform: "!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}"
        => {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}};
    tag_to_json_string: "!ToJsonString {a: 1}" => {"Fn::ToJsonString": {"a": 1}};
    tag_length: "!Length [a, b]" => {"Fn::Length": ["a", "b"]};
    tag_condition: "!Condition IsProd" => {"Condition": "IsProd"};
    tag_scalar_argument_stays_text: "!Ref 123" => {"Ref": "123"};
    tag_unknown_is_kept_as_a_key: "!Rain::Module ./bucket.yaml"
        => {"Rain::Module": "./bucket.yaml"};
    tag_unknown_on_a_mapping: "!Custom {a: 1}" => {"Custom": {"a": 1}};
    tag_core_str: "!!str 123" => "123";
    tag_core_int: "!!int '42'" => 42;
    tag_core_float: "!!float 1" => 1.0;
    tag_core_bool: "!!bool 'true'" => true;
    tag_core_null: "!!null ''" => null;
    tag_core_map: "!!map {a: b}" => {"a": "b"};
    tag_core_seq: "!!seq [a]" => ["a"];
    tag_non_specific: "! 12" => "12";
}

#[test]
fn tags_in_block_style() {
    let text = "\
Value: !If
  - IsProd
  - !Sub
    - '${A}'
    - A: !GetAtt X.Y
  - !Ref AWS::NoValue
";
    assert_eq!(
        value(text),
        json!({"Value": {"Fn::If": [
            "IsProd",
            {"Fn::Sub": ["${A}", {"A": {"Fn::GetAtt": ["X", "Y"]}}]},
            {"Ref": "AWS::NoValue"}
        ]}})
    );
}

#[test]
fn core_tag_that_does_not_fit_is_an_error() {
    let text = "a: !!int abc\n";
    let d = error(text);
    assert_eq!(d.code, Code::InvalidJson);
    assert_eq!(primary(&d, text), "!!int abc");
}

// ---------------------------------------------------------------------------------------------
// Scalars

#[test]
fn scalars_resolve_by_the_core_schema() {
    let table: &[(&str, Json)] = &[
        ("~", json!(null)),
        ("null", json!(null)),
        ("Null", json!(null)),
        ("NULL", json!(null)),
        ("", json!(null)),
        ("true", json!(true)),
        ("True", json!(true)),
        ("TRUE", json!(true)),
        ("false", json!(false)),
        ("False", json!(false)),
        ("FALSE", json!(false)),
        ("0", json!(0)),
        ("-17", json!(-17)),
        ("+17", json!(17)),
        ("0x1F", json!(31)),
        ("0o17", json!(15)),
        ("3.25", json!(3.25)),
        ("-.5", json!(-0.5)),
        ("1.", json!(1.0)),
        ("1e3", json!(1000.0)),
        ("6.02E+23", json!(6.02e23)),
        ("9223372036854775807", json!(9223372036854775807i64)),
        ("18446744073709551615", json!(18446744073709551615u64)),
        ("18446744073709551616", json!(18446744073709551616.0)),
        // Not representable in JSON: kept as text.
        ("1e999", json!("1e999")),
        ("0x1ffffffffffffffff", json!("0x1ffffffffffffffff")),
        (".inf", json!(".inf")),
        ("-.Inf", json!("-.Inf")),
        (".nan", json!(".nan")),
        // Leading zeros are kept (account ids).
        ("012345678901", json!("012345678901")),
        // YAML 1.1 forms are strings in 1.2.
        ("yes", json!("yes")),
        ("no", json!("no")),
        ("on", json!("on")),
        ("0b101", json!("0b101")),
        ("1_000", json!("1_000")),
        ("2010-09-09", json!("2010-09-09")),
        ("1.2.3", json!("1.2.3")),
        ("0x", json!("0x")),
        ("-x", json!("-x")),
        ("+", json!("+")),
        (".", json!(".")),
        ("truex", json!("truex")),
        ("nullable", json!("nullable")),
        ("AWS::S3::Bucket", json!("AWS::S3::Bucket")),
        ("10.0.0.0/16", json!("10.0.0.0/16")),
        ("t2.micro", json!("t2.micro")),
        ("'true'", json!("true")),
        ("\"42\"", json!("42")),
        ("'~'", json!("~")),
        ("\"\"", json!("")),
    ];
    for (yaml, expected) in table {
        let v = value(&format!("v: {yaml}\n"));
        assert_eq!(&v["v"], expected, "v: {yaml}");
    }
}

#[test]
fn block_scalars_are_strings() {
    let v = value("a: |\n  true\nb: >\n  12\n  34\nc: |-\n  x\n");
    assert_eq!(v, json!({"a": "true\n", "b": "12 34\n", "c": "x"}));
}

#[test]
fn keys_that_are_not_strings_take_their_string_form() {
    let v = value("1: a\ntrue: b\n0x10: c\n~: d\n'2': e\n");
    assert_eq!(
        v,
        json!({"1": "a", "true": "b", "16": "c", "null": "d", "2": "e"})
    );
}

#[test]
fn collection_as_a_key_is_an_error() {
    let text = "? [a, b]\n: c\n";
    let d = error(text);
    assert_eq!(d.code, Code::InvalidJson);
    assert!(primary(&d, text).starts_with('['));
}

#[test]
fn mappings_keep_their_order() {
    let v = value("z: 1\na: 2\nm: 3\n");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["z", "a", "m"]);
}

// ---------------------------------------------------------------------------------------------
// Anchors, aliases and merge keys

#[test]
fn aliases_copy_their_anchor() {
    let text = "\
Defaults: &tags
  - {Key: Team, Value: core}
  - {Key: Env, Value: &env prod}
A:
  Tags: *tags
  Env: *env
";
    let p = parse("t.yaml", text).unwrap();
    assert_eq!(p.value["A"]["Tags"], p.value["Defaults"]);
    assert_eq!(p.value["A"]["Env"], json!("prod"));
    // Positions inside a copy point at the alias.
    assert!(at(&p, text, "/A/Tags").starts_with("*tags"));
    assert!(at(&p, text, "/A/Tags/1/Value").starts_with("*tags"));
    assert!(at(&p, text, "/A/Env").starts_with("*env"));
    assert!(at(&p, text, "/Defaults/1/Value").starts_with("&env prod"));
    assert_every_node_has_a_position(&p);
}

#[test]
fn anchor_may_be_redefined() {
    let v = value("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
    assert_eq!(v, json!({"a": 1, "b": 1, "c": 2, "d": 2}));
}

#[test]
fn alias_as_a_key() {
    let v = value("k: &name Bucket\n*name : 3\n");
    assert_eq!(v, json!({"k": "Bucket", "Bucket": 3}));
}

#[test]
fn alias_to_an_unknown_anchor_is_an_error() {
    let text = "a: *nope\n";
    let d = error(text);
    assert_eq!(d.code, Code::InvalidJson);
    assert!(primary(&d, text).starts_with('*'));
}

#[test]
fn a_bad_escape_is_marked_where_it_is_not_at_its_quote() {
    // The scanner marks the opening quote, two columns before the escape.
    let text = "a:\n  b: \"a\\qb\"\n";
    assert_eq!(primary(&error(text), text), "\\q");
    let text = "a: \"ok \\n then \\é\"\n";
    assert_eq!(primary(&error(text), text), "\\é");
}

#[test]
fn a_tab_that_indents_is_marked_itself() {
    let text = "Resources:\n\tA: 1\n";
    assert_eq!(primary(&error(text), text), "\t");
}

#[test]
fn alias_inside_its_own_anchor_is_an_error() {
    let text = "a: &x [1, *x]\n";
    let d = error(text);
    assert_eq!(primary(&d, text), "*x");
}

#[test]
fn merge_keys_merge_and_explicit_keys_win() {
    let text = "\
Base: &base
  Runtime: python3.12
  MemorySize: 128
  Timeout: 3
Fn:
  <<: *base
  MemorySize: 512
Fn2:
  Timeout: 30
  <<: [*base, {Handler: main}]
";
    let p = parse("t.yaml", text).unwrap();
    assert_eq!(
        p.value["Fn"],
        json!({"Runtime": "python3.12", "MemorySize": 512, "Timeout": 3})
    );
    assert_eq!(
        p.value["Fn2"],
        json!({"Runtime": "python3.12", "MemorySize": 128, "Timeout": 30, "Handler": "main"})
    );
    assert!(p.value["Fn"].get("<<").is_none());
    assert!(at(&p, text, "/Fn/Runtime").starts_with("*base"));
    assert!(at(&p, text, "/Fn/MemorySize").starts_with("512"));
    assert!(at(&p, text, "/Fn2/Timeout").starts_with("30"));
    assert!(!p.positions.keys().any(|k| k.contains("<<")));
    assert_every_node_has_a_position(&p);
}

#[test]
fn merge_of_the_first_mapping_wins_over_later_ones() {
    let v = value("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n");
    assert_eq!(v["c"], json!({"x": 1, "y": 2}));
}

#[test]
fn quoted_merge_key_is_an_ordinary_key() {
    let v = value("a: {'<<': 1}\n");
    assert_eq!(v, json!({"a": {"<<": 1}}));
}

#[test]
fn merge_of_a_scalar_is_an_error() {
    let text = "a:\n  <<: 5\n";
    let d = error(text);
    assert_eq!(primary(&d, text), "5");
    assert_eq!(secondary(&d, text), "<<");
}

#[test]
fn alias_bomb_fails_fast() {
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let prev = format!("*l{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{items}]\n"));
    }
    let started = Instant::now();
    let d = error(&text);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(d.code, Code::InvalidJson);
    assert!(d.message.contains("aliases"), "{}", d.message);
    assert!(primary(&d, &text).starts_with("*l"));
}

#[test]
fn many_aliases_of_a_large_anchor_fail_fast() {
    let mut text = String::from("big: &big [");
    text.push_str(&vec!["x"; 10_000].join(", "));
    text.push_str("]\ncopies:\n");
    for _ in 0..2_000 {
        text.push_str("  - *big\n");
    }
    let started = Instant::now();
    let d = error(&text);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(d.message.contains("aliases"), "{}", d.message);
}

#[test]
fn aliases_within_the_budget_are_fine() {
    let mut text = String::from("a: &a [x, y, z]\nl:\n");
    for _ in 0..1_000 {
        text.push_str("  - *a\n");
    }
    let v = value(&text);
    assert_eq!(v["l"].as_array().unwrap().len(), 1_000);
}

// ---------------------------------------------------------------------------------------------
// Depth

fn assert_too_deep(text: &str) {
    let started = Instant::now();
    let d = error(text);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(d.code, Code::InvalidJson);
    assert!(
        d.message.contains("nested more than 128 levels"),
        "{}",
        d.message
    );
}

#[test]
fn deep_flow_sequences_are_an_error_not_a_crash() {
    assert_too_deep(&"[".repeat(100_000));
    assert_too_deep(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
}

#[test]
fn deep_flow_mappings_are_an_error_not_a_crash() {
    assert_too_deep(&"{a: ".repeat(100_000));
}

#[test]
fn deep_block_sequences_are_an_error_not_a_crash() {
    assert_too_deep(&format!("{}x\n", "- ".repeat(100_000)));
}

#[test]
fn deep_block_mappings_are_an_error_not_a_crash() {
    let mut text = String::new();
    for i in 0..1_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    assert_too_deep(&text);
}

#[test]
fn deep_nesting_through_aliases_is_an_error() {
    let mut text = String::from("a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n");
    for i in 1..100 {
        text.push_str(&format!("a{i}: &a{i} [[[[[[[[[[*a{}]]]]]]]]]]\n", i - 1));
    }
    assert_too_deep(&text);
}

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let text = format!("{}{}", "[".repeat(128), "]".repeat(128));
    let mut v = &value(&text);
    for _ in 0..127 {
        v = &v[0];
    }
    assert_eq!(v, &json!([]));
    assert_too_deep(&format!("{}{}", "[".repeat(129), "]".repeat(129)));
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn duplicate_keys_are_an_error() {
    let text = "\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Queue:
    Type: AWS::SQS::Queue
  Bucket:
    Type: AWS::S3::Bucket
";
    let d = error(text);
    assert_eq!(d.code, Code::InvalidJson);
    assert_eq!(d.message, "`Bucket` is given twice");
    let first = text.find("Bucket:").unwrap();
    let second = text.rfind("Bucket:").unwrap();
    let primary_label = d.labels.iter().find(|l| l.primary).unwrap();
    let secondary_label = d.labels.iter().find(|l| !l.primary).unwrap();
    assert_eq!(primary_label.span.range(), second..second + "Bucket".len());
    assert_eq!(secondary_label.span.range(), first..first + "Bucket".len());
}

#[test]
fn duplicate_keys_in_flow_mappings_and_quoted_keys() {
    let text = "a: {x: 1, 'x': 2}\n";
    let d = error(text);
    assert_eq!(primary(&d, text), "'x'");
    assert_eq!(secondary(&d, text), "x");
}

#[test]
fn duplicate_merge_keys_are_an_error() {
    let text = "b: &b {x: 1}\na:\n  <<: *b\n  <<: *b\n";
    let d = error(text);
    assert_eq!(d.message, "`<<` is given twice");
}

#[test]
fn invalid_yaml_points_at_the_problem() {
    let text = "Resources:\n  Bucket:\n    Type: [a, b\n  Other: x\n";
    let d = error(text);
    assert_eq!(d.code, Code::InvalidJson);
    assert_eq!(d.message, "`t.yaml` is not valid YAML");
    let label = d.labels.iter().find(|l| l.primary).unwrap();
    assert!(!label.message.is_empty());
    // saphyr reports the `:` that cannot be inside the open list.
    let colon = text.find("Other:").unwrap() + "Other".len();
    assert_eq!(label.span.range(), colon..colon + 1);
}

#[test]
fn bad_indentation_is_an_error() {
    let text = "a: b\n  c: d\n";
    let d = error(text);
    assert_eq!(primary(&d, text), ":");
    assert_eq!(d.labels[0].span.range(), 8..9);
}

#[test]
fn error_offsets_are_bytes_after_non_ascii_text() {
    let text = "Description: Ünïcödé — 日本語 😀\nBad: [1, 2\nNext: x\n";
    let d = error(text);
    let range = d.labels.iter().find(|l| l.primary).unwrap().span.range();
    let colon = text.find("Next:").unwrap() + "Next".len();
    assert_eq!(range, colon..colon + 1);
    assert_eq!(&text[range], ":");
}

#[test]
fn error_at_a_non_ascii_character_covers_the_whole_character() {
    let text = "a: 'é\n";
    let d = error(text);
    let range = d.labels.iter().find(|l| l.primary).unwrap().span.range();
    assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
}

#[test]
fn unterminated_quote_is_an_error() {
    let text = "Name: \"日本 unterminated\n";
    let d = error(text);
    assert_eq!(primary(&d, text), "\"");
}

#[test]
fn empty_file_is_an_error() {
    for text in [
        "",
        "\n\n",
        "# only a comment\n# and another\n",
        "---\n",
        "---\n...\n",
    ] {
        let d = error(text);
        assert_eq!(d.code, Code::InvalidJson);
        assert_eq!(d.message, "`t.yaml` is empty", "{text:?}");
    }
}

#[test]
fn several_documents_are_an_error() {
    let text = "a: 1\n---\nb: 2\n---\nc: 3\n";
    let d = error(text);
    assert_eq!(
        d.message,
        "`t.yaml` holds 3 YAML documents; a template is one"
    );
    assert_eq!(primary(&d, text), "---");
}

#[test]
fn explicit_document_markers_are_fine() {
    assert_eq!(value("---\na: 1\n...\n"), json!({"a": 1}));
    // A trailing `---` with nothing after it is not a second document.
    assert_eq!(value("a: 1\n---\n"), json!({"a": 1}));
}

#[test]
fn a_scalar_document_is_a_value() {
    assert_eq!(value("hello\n"), json!("hello"));
    assert_eq!(value("[1, 2]\n"), json!([1, 2]));
}

// ---------------------------------------------------------------------------------------------
// Positions

const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Description: Ünïcödé database — 日本語
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: false
      Engine: !Ref Engine
      Arn: !GetAtt Key.Arn
      Empty:
      Notes: |
        multi
        line
      Tags:
        - Key: Team
          Value: core
        - {Key: Env, Value: !Sub '${Env}'}
      Subnets: [a, b]
      Cond: !If
        - IsProd
        - x
        - y
  My/Bucket~1:
    Type: AWS::S3::Bucket
";

#[test]
fn positions_point_at_values() {
    let text = TEMPLATE;
    let p = parse("t.yaml", text).unwrap();
    assert_eq!(*p.positions.get("").unwrap(), 0);
    assert!(at(&p, text, "/AWSTemplateFormatVersion").starts_with("'2010-09-09'"));
    assert!(at(&p, text, "/Description").starts_with("Ünïcödé"));
    // Block collections point at their key.
    assert!(at(&p, text, "/Resources").starts_with("Resources:"));
    assert!(at(&p, text, "/Resources/Db").starts_with("Db:"));
    assert!(at(&p, text, "/Resources/Db/Properties").starts_with("Properties:"));
    let props = "/Resources/Db/Properties";
    assert!(at(&p, text, &format!("{props}/StorageEncrypted")).starts_with("false"));
    assert!(at(&p, text, &format!("{props}/Engine")).starts_with("!Ref Engine"));
    assert!(at(&p, text, &format!("{props}/Engine/Ref")).starts_with("!Ref Engine"));
    assert!(at(&p, text, &format!("{props}/Arn/Fn::GetAtt/1")).starts_with("!GetAtt Key.Arn"));
    // An empty value and a block scalar point at their key.
    assert!(at(&p, text, &format!("{props}/Empty")).starts_with("Empty:"));
    assert!(at(&p, text, &format!("{props}/Notes")).starts_with("Notes: |"));
    assert!(at(&p, text, &format!("{props}/Tags")).starts_with("Tags:"));
    assert!(at(&p, text, &format!("{props}/Tags/0")).starts_with("Key: Team"));
    assert!(at(&p, text, &format!("{props}/Tags/0/Value")).starts_with("core"));
    assert!(at(&p, text, &format!("{props}/Tags/1")).starts_with("{Key: Env"));
    assert!(at(&p, text, &format!("{props}/Tags/1/Value/Fn::Sub")).starts_with("!Sub"));
    assert!(at(&p, text, &format!("{props}/Subnets")).starts_with("[a, b]"));
    assert!(at(&p, text, &format!("{props}/Subnets/1")).starts_with("b]"));
    assert!(at(&p, text, &format!("{props}/Cond")).starts_with("!If"));
    assert!(at(&p, text, &format!("{props}/Cond/Fn::If/2")).starts_with("y\n"));
    assert!(at(&p, text, "/Resources/My~1Bucket~01").starts_with("My/Bucket~1:"));
    assert!(at(&p, text, "/Resources/My~1Bucket~01/Type").starts_with("AWS::S3::Bucket"));
    assert_every_node_has_a_position(&p);
    assert_eq!(
        p.value["Resources"]["My/Bucket~1"]["Type"],
        json!("AWS::S3::Bucket")
    );
}

#[test]
fn fixture_template_reads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/yaml");
    let text = std::fs::read_to_string(dir.join("bucket.yaml")).unwrap();
    let p = parse("bucket.yaml", &text).unwrap();
    let bucket = &p.value["Resources"]["LogBucket"]["Properties"];
    assert_eq!(
        bucket["BucketName"],
        json!({"Fn::Sub": "${AWS::StackName}-logs"})
    );
    assert_eq!(
        p.value["Outputs"]["Arn"]["Value"],
        json!({"Fn::GetAtt": ["LogBucket", "Arn"]})
    );
    let enc = "/Resources/LogBucket/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm";
    assert!(at(&p, &text, enc).starts_with("aws:kms"));
    assert_every_node_has_a_position(&p);
}

// ---------------------------------------------------------------------------------------------
// The corpus

fn corpus() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aws-cloudformation-templates");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut work = vec![dir.to_path_buf()];
    while let Some(d) = work.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                work.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_yaml_file_parses_or_fails_cleanly() {
    let Some(dir) = corpus() else {
        return;
    };
    let files = files(&dir, &["yaml", "yml"]);
    assert!(!files.is_empty());
    let (mut ok, mut failed) = (0, Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        match std::panic::catch_unwind(|| parse(&name, &text)) {
            Ok(Ok(p)) => {
                ok += 1;
                assert_every_node_has_a_position(&p);
                for (pointer, &offset) in &p.positions {
                    assert!(
                        text.is_char_boundary(offset),
                        "{name}: {pointer} at {offset}"
                    );
                }
            }
            Ok(Err(d)) => {
                assert!(!d.message.is_empty());
                for l in &d.labels {
                    assert!(l.span.range().end <= text.len());
                    assert!(text.is_char_boundary(l.span.range().start));
                    assert!(text.is_char_boundary(l.span.range().end));
                }
                let label = d.labels.first().map(|l| {
                    let line = text[..l.span.range().start].matches('\n').count() + 1;
                    format!("line {line}: {}", l.message)
                });
                failed.push(format!(
                    "{name}: {} ({})",
                    d.message,
                    label.unwrap_or_default()
                ));
            }
            Err(_) => panic!("{name}: panicked"),
        }
    }
    eprintln!("{ok} of {} YAML files parse", files.len());
    for f in &failed {
        eprintln!("  fails: {f}");
    }
    // Most of the corpus is plain CloudFormation.
    assert!(
        ok * 10 >= files.len() * 9,
        "only {ok} of {} parse",
        files.len()
    );
}

/// `cargo test --release --test yaml -- --ignored --nocapture throughput`
#[test]
#[ignore]
fn throughput() {
    let Some(dir) = corpus() else {
        return;
    };
    let read = |exts: &[&str]| -> Vec<String> {
        files(&dir, exts)
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    };
    let yaml = read(&["yaml", "yml"]);
    let json = read(&["json"]);
    let yaml_bytes: usize = yaml.iter().map(String::len).sum();
    let json_bytes: usize = json.iter().map(String::len).sum();
    // The fastest of 40 rounds, to see through other load on the machine.
    let measure = |f: &dyn Fn()| {
        f();
        (0..40)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let y = measure(&|| {
        for t in &yaml {
            let _ = std::hint::black_box(parse("t.yaml", t));
        }
    });
    let j = measure(&|| {
        for t in &json {
            let _ = std::hint::black_box(serde_json::from_slice::<Json>(t.as_bytes()));
        }
    });
    let events = measure(&|| {
        for t in &yaml {
            for e in saphyr_parser::Parser::new_from_str(t) {
                if std::hint::black_box(e).is_err() {
                    break;
                }
            }
        }
    });
    let mb = |bytes: usize, secs: f64| bytes as f64 / secs / 1e6;
    eprintln!(
        "yaml::parse: {} files, {:.2} MB in {:.1} ms: {:.1} MB/s",
        yaml.len(),
        yaml_bytes as f64 / 1e6,
        y * 1e3,
        mb(yaml_bytes, y)
    );
    eprintln!(
        "saphyr events alone: {:.1} ms: {:.1} MB/s",
        events * 1e3,
        mb(yaml_bytes, events)
    );
    eprintln!(
        "serde_json::from_slice: {} files, {:.2} MB in {:.1} ms: {:.1} MB/s",
        json.len(),
        json_bytes as f64 / 1e6,
        j * 1e3,
        mb(json_bytes, j)
    );
}

#[test]
fn crlf_and_byte_order_mark() {
    let text = "\u{feff}Resources:\r\n  Q:\r\n    Type: AWS::SQS::Queue\r\n    Properties:\r\n      Name: é\r\n      Delay: 5\r\n";
    let p = parse("t.yaml", text).unwrap();
    assert_eq!(
        p.value["Resources"]["Q"]["Properties"],
        json!({"Name": "é", "Delay": 5})
    );
    assert!(at(&p, text, "/Resources/Q/Type").starts_with("AWS::SQS::Queue\r\n"));
    assert!(at(&p, text, "/Resources/Q/Properties/Delay").starts_with("5\r\n"));
    assert!(at(&p, text, "/Resources/Q/Properties").starts_with("Properties:"));
}
