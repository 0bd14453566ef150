//! The Terraform reader: plans and states from `terraform show -json`, raw state files.
//! Fixtures are in `tests/inputs/terraform/`, written after Terraform's JSON output format.

use buttress::diagnostics::Code;
use buttress::eval::Status;
use buttress::input::locate::json_offset;
use buttress::input::terraform::{detect, load};
use buttress::model::InputKind;
use buttress::model::{referrers, unknown_reason, Document, LoadedResources, Resource, TextFormat};
use serde_json::{json, Value as Json};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs/terraform")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Detect and load a text, as the dispatcher will.
fn read(name: &str, text: &str) -> LoadedResources {
    let mut value: Json = serde_json::from_str(text).unwrap();
    assert!(detect(&value), "{name} is detected as Terraform");
    let loaded = load(name, &mut value).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    assert_eq!(loaded.kind, Some(InputKind::Terraform));
    loaded
}

fn load_fixture(name: &str) -> (String, LoadedResources) {
    let text = fixture(name);
    let loaded = read(name, &text);
    (text, loaded)
}

fn names(l: &LoadedResources) -> Vec<&str> {
    l.resources.iter().map(|r| r.name.as_str()).collect()
}

fn get<'a>(l: &'a LoadedResources, name: &str) -> &'a Resource {
    l.resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no resource `{name}` in {:?}", names(l)))
}

fn refs<'a>(l: &'a LoadedResources, name: &str) -> Vec<&'a str> {
    get(l, name)
        .targets()
        .into_iter()
        .map(|i| l.resources[i as usize].name.as_str())
        .collect()
}

/// The JSON text at a pointer, as long as the value there.
fn at<'t>(text: &'t str, pointer: &str) -> &'t str {
    let start = json_offset(text, pointer);
    let de = serde_json::Deserializer::from_str(&text[start..]);
    let mut stream = de.into_iter::<serde::de::IgnoredAny>();
    stream.next();
    &text[start..start + stream.byte_offset()]
}

const UNKNOWN: Option<&str> = Some("known after apply");

/// Every resource's pointers lead to its declaration and its values in the text.
fn check_pointers(text: &str, l: &LoadedResources, address_key: Option<&str>) {
    for r in &l.resources {
        let original: Json = serde_json::from_str(at(text, &r.entry_pointer)).unwrap();
        if let Some(key) = address_key {
            assert_eq!(original[key], json!(r.name), "{}", r.entry_pointer);
        }
        let values: Json = serde_json::from_str(at(text, &r.pointer)).unwrap();
        let Json::Object(values) = values else {
            panic!("{}: values are not an object", r.pointer)
        };
        // The values in the text are the properties, but for the unknown ones added.
        for (k, v) in &values {
            let p = &r.properties[k];
            if !has_unknown(p) {
                assert_eq!(p, v, "{} {k}", r.name);
            }
        }
        for (k, p) in r.properties.as_object().unwrap() {
            assert!(values.contains_key(k) || has_unknown(p), "{} {k}", r.name);
        }
    }
}

fn has_unknown(v: &Json) -> bool {
    v.to_string().contains("buttress:unknown")
}

#[test]
fn detects_plans_states_and_state_files() {
    for f in [
        "plan.json",
        "state.json",
        "terraform.tfstate",
        "plan-resource-changes-only.json",
    ] {
        assert!(detect(&serde_json::from_str(&fixture(f)).unwrap()), "{f}");
    }
    assert!(detect(
        &json!({"format_version": "1.0", "terraform_version": "1.9.5"})
    ));
    assert!(detect(
        &json!({"version": 3, "lineage": "x", "modules": []})
    ));
    for other in [
        json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}),
        json!({"format_version": 2}),
        json!({"format_version": "1.0"}),
        json!({"version": 4, "resources": []}),
        json!({"configurationItems": []}),
        json!([{"format_version": "1.0", "values": {}}]),
        json!("terraform"),
    ] {
        assert!(!detect(&other), "{other}");
    }
}

#[test]
fn plan_resources_are_managed_planned_ones_with_addresses() {
    let (_, l) = load_fixture("plan.json");
    assert_eq!(
        names(&l),
        vec![
            "aws_db_instance.legacy",
            "aws_db_instance.main",
            "aws_db_subnet_group.main",
            "aws_instance.web",
            r#"aws_s3_bucket.data["curated"]"#,
            r#"aws_s3_bucket.data["raw"]"#,
            "aws_s3_bucket.logs",
            "aws_s3_bucket_policy.logs",
            r#"aws_s3_bucket_versioning.data["curated"]"#,
            r#"aws_s3_bucket_versioning.data["raw"]"#,
            "aws_s3_bucket_versioning.logs",
            "module.network.aws_nat_gateway.this",
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
            "module.network.aws_vpc.this",
            "module.network.module.flow_logs.aws_cloudwatch_log_group.this",
            "module.network.module.flow_logs.aws_flow_log.this",
        ]
    );
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    // Deleted resources and data sources are not checked; a deposed object being deleted
    // does not take the current object of the same address with it.
    assert!(!names(&l).contains(&"aws_security_group.old"));
    assert!(!names(&l).iter().any(|n| n.starts_with("data.")));
    assert_eq!(get(&l, "aws_instance.web").type_name, "aws_instance");
    assert_eq!(
        get(&l, "module.network.module.flow_logs.aws_flow_log.this").type_name,
        "aws_flow_log"
    );
    assert_eq!(
        get(&l, "aws_db_instance.main").properties["storage_encrypted"],
        json!(false)
    );
    // Sensitive values are kept as the plan has them.
    assert_eq!(
        get(&l, "aws_db_instance.main").properties["password"],
        json!("hunter2hunter2")
    );
    // The rest of the declaration is the entry.
    let entry = &get(&l, r#"aws_s3_bucket.data["raw"]"#).entry;
    assert_eq!(entry["index"], json!("raw"));
    assert_eq!(
        entry["provider_name"],
        json!("registry.terraform.io/hashicorp/aws")
    );
    assert!(entry.get("values").is_none());
}

#[test]
fn after_unknown_marks_values_known_after_apply() {
    let (_, l) = load_fixture("plan.json");
    let logs = &get(&l, "aws_s3_bucket.logs").properties;
    assert_eq!(logs["bucket"], json!("acme-logs"));
    // Absent from planned_values because unknown: added as unknown.
    assert_eq!(unknown_reason(&logs["id"]), UNKNOWN);
    assert_eq!(
        unknown_reason(&logs["server_side_encryption_configuration"]),
        UNKNOWN
    );
    // `"tags": {}` in after_unknown marks nothing.
    assert_eq!(logs["tags"], Json::Null);

    let web = &get(&l, "aws_instance.web").properties;
    let root = &web["root_block_device"][0];
    assert_eq!(root["volume_size"], json!(20));
    assert_eq!(root["delete_on_termination"], json!(true));
    assert_eq!(unknown_reason(&root["encrypted"]), UNKNOWN);
    assert_eq!(unknown_reason(&root["volume_id"]), UNKNOWN);
    assert_eq!(unknown_reason(&web["ebs_block_device"]), UNKNOWN);
    assert_eq!(web["tags"], json!({"Name": "web"}));

    let versioning = &get(&l, r#"aws_s3_bucket_versioning.data["raw"]"#).properties;
    assert_eq!(unknown_reason(&versioning["bucket"]), UNKNOWN);
    let conf = &versioning["versioning_configuration"][0];
    assert_eq!(conf["status"], json!("Enabled"));
    assert_eq!(unknown_reason(&conf["mfa_delete"]), UNKNOWN);

    // A replaced resource is checked as it will be after apply.
    let legacy = &get(&l, "aws_db_instance.legacy").properties;
    assert_eq!(legacy["storage_encrypted"], json!(true));
    assert_eq!(unknown_reason(&legacy["kms_key_id"]), UNKNOWN);

    // An update with nothing unknown has no marker anywhere.
    assert!(!has_unknown(&get(&l, "aws_db_instance.main").properties));

    let policy = &get(&l, "aws_s3_bucket_policy.logs").properties;
    assert_eq!(unknown_reason(&policy["policy"]), UNKNOWN);
}

#[test]
fn references_in_the_configuration_become_edges() {
    let (_, l) = load_fixture("plan.json");
    assert_eq!(
        refs(&l, "aws_s3_bucket_versioning.logs"),
        vec!["aws_s3_bucket.logs"]
    );
    // The reference to the data source (which names the bucket too) adds nothing.
    assert_eq!(
        refs(&l, "aws_s3_bucket_policy.logs"),
        vec!["aws_s3_bucket.logs"]
    );
    // for_each over the buckets relates each versioning to the buckets (`each.value` is
    // not followed).
    for key in ["curated", "raw"] {
        assert_eq!(
            refs(&l, &format!(r#"aws_s3_bucket_versioning.data["{key}"]"#)),
            vec![
                r#"aws_s3_bucket.data["curated"]"#,
                r#"aws_s3_bucket.data["raw"]"#
            ]
        );
    }
    assert!(refs(&l, "aws_s3_bucket.logs").is_empty());
    assert!(
        refs(&l, "aws_db_instance.main").is_empty(),
        "variables are not resources"
    );
    assert_eq!(
        refs(&l, "aws_db_instance.legacy"),
        vec!["aws_db_subnet_group.main"]
    );
    // Through a module output to every instance of a counted resource.
    let subnets = vec![
        "module.network.aws_subnet.private[0]",
        "module.network.aws_subnet.private[1]",
    ];
    assert_eq!(refs(&l, "aws_db_subnet_group.main"), subnets);
    assert_eq!(refs(&l, "aws_instance.web"), subnets);
    // Inside a module, with the module's prefix; a keyed reference names one instance.
    for s in &subnets {
        assert_eq!(refs(&l, s), vec!["module.network.aws_vpc.this"]);
    }
    assert_eq!(
        refs(&l, "module.network.aws_nat_gateway.this"),
        vec!["module.network.aws_subnet.private[0]"]
    );
    // Two levels down, and through an input variable into the parent module.
    assert_eq!(
        refs(&l, "module.network.module.flow_logs.aws_flow_log.this"),
        vec![
            "module.network.aws_vpc.this",
            "module.network.module.flow_logs.aws_cloudwatch_log_group.this",
        ]
    );
}

#[test]
fn plan_pointers_resolve_in_the_text() {
    let (text, l) = load_fixture("plan.json");
    check_pointers(&text, &l, Some("address"));
    let logs = get(&l, "aws_s3_bucket.logs");
    assert_eq!(
        at(&text, &format!("{}/bucket", logs.pointer)),
        r#""acme-logs""#
    );
    let raw = get(&l, r#"aws_s3_bucket.data["raw"]"#);
    assert_eq!(
        at(&text, &format!("{}/bucket", raw.pointer)),
        r#""acme-data-raw""#
    );
    let flow = get(&l, "module.network.module.flow_logs.aws_flow_log.this");
    assert_eq!(
        flow.entry_pointer,
        "/planned_values/root_module/child_modules/0/child_modules/0/resources/1"
    );
    assert_eq!(flow.pointer, format!("{}/values", flow.entry_pointer));
    assert_eq!(
        at(&text, &format!("{}/traffic_type", flow.pointer)),
        r#""ALL""#
    );
    let web = get(&l, "aws_instance.web");
    assert_eq!(
        at(
            &text,
            &format!("{}/root_block_device/0/volume_size", web.pointer)
        ),
        "20"
    );
    // An unknown value is not in the text: its pointer stops at the nearest node that is.
    let unknown_at = json_offset(
        &text,
        &format!("{}/root_block_device/0/encrypted", web.pointer),
    );
    assert_eq!(
        unknown_at,
        json_offset(&text, &format!("{}/root_block_device/0", web.pointer))
    );
}

#[test]
fn plans_without_planned_values_read_resource_changes() {
    let (text, l) = load_fixture("plan-resource-changes-only.json");
    assert_eq!(names(&l), vec!["aws_db_instance.main"]);
    let db = &l.resources[0];
    assert_eq!(db.type_name, "aws_db_instance");
    assert_eq!(db.entry_pointer, "/resource_changes/0");
    assert_eq!(db.pointer, "/resource_changes/0/change/after");
    assert_eq!(
        at(&text, &format!("{}/identifier", db.pointer)),
        r#""main""#
    );
    assert_eq!(db.properties["storage_encrypted"], Json::Null);
    assert_eq!(unknown_reason(&db.properties["kms_key_id"]), UNKNOWN);
    // null in `after` where the value is unknown: the marker replaces it.
    assert_eq!(
        unknown_reason(&db.properties["vpc_security_group_ids"]),
        UNKNOWN
    );
    // The security group it refers to is being deleted: no edge.
    assert!(db.refs.is_empty());
    assert_eq!(db.entry["change"]["actions"], json!(["create"]));
}

#[test]
fn state_resources_and_depends_on() {
    let (text, l) = load_fixture("state.json");
    assert_eq!(
        names(&l),
        vec![
            "aws_kms_key.logs",
            "aws_s3_bucket.logs",
            "aws_s3_bucket_server_side_encryption_configuration.logs",
            "aws_instance.web[0]",
            "aws_instance.web[1]",
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
            "module.network.aws_vpc.this",
        ]
    );
    check_pointers(&text, &l, Some("address"));
    // The deposed object is skipped, the current one kept.
    assert_eq!(
        get(&l, "aws_instance.web[0]").properties["id"],
        json!("i-0aaaaaaaaaaaaaaa0")
    );
    assert_eq!(get(&l, "aws_instance.web[1]").entry["tainted"], json!(true));
    assert_eq!(
        refs(
            &l,
            "aws_s3_bucket_server_side_encryption_configuration.logs"
        ),
        vec!["aws_kms_key.logs", "aws_s3_bucket.logs"]
    );
    assert_eq!(
        refs(&l, "aws_instance.web[1]"),
        vec![
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]"
        ]
    );
    assert_eq!(
        refs(&l, "module.network.aws_subnet.private[1]"),
        vec!["module.network.aws_vpc.this"]
    );
    let logs = get(&l, "aws_s3_bucket.logs");
    assert_eq!(logs.pointer, "/values/root_module/resources/1/values");
    assert_eq!(
        at(&text, &format!("{}/bucket", logs.pointer)),
        r#""acme-logs""#
    );
    assert!(!l.resources.iter().any(|r| has_unknown(&r.properties)));
}

#[test]
fn raw_state_files_are_read() {
    let (text, l) = load_fixture("terraform.tfstate");
    assert_eq!(
        names(&l),
        vec![
            r#"aws_s3_bucket.data["curated"]"#,
            r#"aws_s3_bucket.data["raw"]"#,
            r#"aws_s3_bucket_public_access_block.data["curated"]"#,
            r#"aws_s3_bucket_public_access_block.data["raw"]"#,
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
            "module.network.aws_vpc.this",
        ]
    );
    check_pointers(&text, &l, None);
    let raw = get(&l, r#"aws_s3_bucket_public_access_block.data["raw"]"#);
    assert_eq!(raw.type_name, "aws_s3_bucket_public_access_block");
    assert_eq!(raw.entry_pointer, "/resources/2/instances/1");
    assert_eq!(raw.pointer, "/resources/2/instances/1/attributes");
    assert_eq!(
        at(&text, &format!("{}/bucket", raw.pointer)),
        r#""acme-data-raw""#
    );
    assert_eq!(raw.properties["block_public_acls"], json!(false));
    assert_eq!(
        refs(&l, r#"aws_s3_bucket_public_access_block.data["raw"]"#),
        vec![
            r#"aws_s3_bucket.data["curated"]"#,
            r#"aws_s3_bucket.data["raw"]"#
        ]
    );
    // The deposed subnet is skipped; the tainted one is checked.
    assert_eq!(
        get(&l, "module.network.aws_subnet.private[1]").properties["id"],
        json!("subnet-0bbbbbbbbbbbbbbb0")
    );
    assert_eq!(
        refs(&l, "module.network.aws_subnet.private[0]"),
        vec!["module.network.aws_vpc.this"]
    );
}

#[test]
fn module_instances_relate_within_themselves() {
    let text = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"child_modules": [
            {"address": "module.app[0]", "resources": [
                {"address": "module.app[0].aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "a0"}},
                {"address": "module.app[0].aws_s3_bucket_versioning.v", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "v", "values": {}}
            ]},
            {"address": "module.app[1]", "resources": [
                {"address": "module.app[1].aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "a1"}},
                {"address": "module.app[1].aws_s3_bucket_versioning.v", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "v", "values": {}}
            ]}
        ]}},
        "configuration": {"root_module": {"module_calls": {"app": {
            "source": "./app",
            "count_expression": {"constant_value": 2},
            "module": {"resources": [
                {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "expressions": {}},
                {"address": "aws_s3_bucket_versioning.v", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "v",
                 "expressions": {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}}
            ]}
        }}}}
    })
    .to_string();
    let l = read("modules.json", &text);
    assert_eq!(
        refs(&l, "module.app[0].aws_s3_bucket_versioning.v"),
        vec!["module.app[0].aws_s3_bucket.b"]
    );
    assert_eq!(
        refs(&l, "module.app[1].aws_s3_bucket_versioning.v"),
        vec!["module.app[1].aws_s3_bucket.b"]
    );
}

#[test]
fn bad_shapes_are_errors_or_warnings_never_panics() {
    let err = |v: Json| {
        let mut v = v;
        let d = load("bad.json", &mut v).expect_err("an error");
        assert_eq!(d.code, Code::BadTemplateShape);
        assert!(d.message.contains("`bad.json`"), "{}", d.message);
        d.message
    };
    err(json!([1, 2]));
    assert!(err(json!({"format_version": "1.2", "planned_values": []})).contains("planned_values"));
    err(json!({"format_version": "1.2", "planned_values": {"root_module": 3}}));
    err(json!({"format_version": "1.2", "resource_changes": {"a": 1}}));
    err(json!({"format_version": "1.0", "values": "x"}));
    assert!(err(json!({"version": 3, "lineage": "x", "modules": []})).contains("version 3"));
    err(json!({"version": 4, "lineage": "x", "resources": {}}));
    err(json!({"something": "else"}));

    let mut v = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {
            "resources": [
                7,
                {"address": "aws_s3_bucket.x", "mode": "managed", "name": "x", "values": {}},
                {"mode": "managed", "type": "aws_s3_bucket", "values": {}},
                {"address": "aws_s3_bucket.y", "mode": "managed", "type": "aws_s3_bucket", "values": "nope"},
                {"address": "aws_s3_bucket.ok", "mode": "managed", "type": "aws_s3_bucket", "values": {"bucket": "ok"}}
            ],
            "child_modules": [ "module", {"address": "module.m", "resources": "none", "child_modules": {"x": 1}} ]
        }},
        "resource_changes": [
            null,
            {"mode": "managed"},
            {"address": "aws_s3_bucket.ok", "change": "x"},
            {"address": "aws_s3_bucket.ok", "change": {"actions": "create", "after_unknown": {"tags": "weird", "bucket": {"deep": true}, "list": [[true]]}}}
        ],
        "configuration": {"root_module": {"resources": {"not": "a list"}, "module_calls": {"m": {"module": 5}}}}
    });
    let l = load("bad.json", &mut v).unwrap();
    assert_eq!(names(&l), vec!["aws_s3_bucket.ok"]);
    // A flag tree that does not fit the value changes nothing there; an absent list is made.
    assert_eq!(l.resources[0].properties["bucket"], json!("ok"));
    assert_eq!(
        unknown_reason(&l.resources[0].properties["list"][0][0]),
        UNKNOWN
    );
    let pointers: Vec<&str> = l.warnings.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        pointers,
        vec![
            "/resource_changes/0",
            "/resource_changes/1",
            "/resource_changes/2/change",
            "/planned_values/root_module/resources/0",
            "/planned_values/root_module/resources/1",
            "/planned_values/root_module/resources/2",
            "/planned_values/root_module/resources/3/values",
            "/planned_values/root_module/child_modules/0",
            "/planned_values/root_module/child_modules/1/resources",
            "/planned_values/root_module/child_modules/1/child_modules",
            "/configuration/root_module/resources",
            "/configuration/root_module/module_calls/m/module",
        ]
    );
    for (d, _) in &l.warnings {
        assert!(!d.is_error());
        assert!(d.message.contains("`bad.json`"), "{}", d.message);
    }

    // An errored plan says so.
    let mut v =
        json!({"format_version": "1.2", "errored": true, "planned_values": {"root_module": {}}});
    let l = load("bad.json", &mut v).unwrap();
    assert!(l.resources.is_empty());
    assert_eq!(l.warnings.len(), 1);
    assert_eq!(l.warnings[0].1, "/errored");

    // Empty plans and states have no resources.
    for empty in [
        json!({"format_version": "1.0"}),
        json!({"format_version": "1.0", "terraform_version": "1.9.5", "values": null}),
        json!({"format_version": "1.2", "planned_values": {}}),
        json!({"format_version": "1.2", "resource_changes": []}),
        json!({"version": 4, "lineage": "x", "resources": []}),
    ] {
        let mut v = empty.clone();
        let l = load("empty.json", &mut v).unwrap();
        assert!(l.resources.is_empty() && l.warnings.is_empty(), "{empty}");
    }
}

#[test]
fn deep_and_cyclic_inputs_are_fine() {
    // after_unknown nested as deep as the parser allows.
    let depth = 120;
    let mut flags = json!(true);
    let mut value = json!(null);
    for _ in 0..depth {
        flags = json!({ "a": flags });
        value = json!({ "a": value });
    }
    let mut v = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_x.a", "mode": "managed", "type": "aws_x", "name": "a", "values": value}
        ]}},
        "resource_changes": [{"address": "aws_x.a", "change": {"actions": ["create"], "after_unknown": flags}}],
        // Modules whose outputs and inputs refer to each other in a circle.
        "configuration": {"root_module": {
            "resources": [{"address": "aws_x.a", "mode": "managed", "expressions": {"x": {"references": ["module.m.o"]}}}],
            "module_calls": {"m": {
                "expressions": {"i": {"references": ["module.m.o", "aws_x.a.id"]}},
                "module": {"outputs": {"o": {"expression": {"references": ["var.i"]}}}}
            }}
        }}
    });
    let l = load("deep.json", &mut v).unwrap();
    let mut node = &l.resources[0].properties;
    for _ in 0..depth {
        node = &node["a"];
    }
    assert_eq!(unknown_reason(node), UNKNOWN);
    // The only resource reached is itself, which is no edge.
    assert!(l.resources[0].refs.is_empty());
}

#[test]
fn rules_evaluate_over_a_plan() {
    let (text, l) = load_fixture("plan.json");
    let mut engine = buttress::Engine::new();
    engine.add_source(
        "tf.btr",
        r#"pack tf
rule rds_encrypted {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "RDS storage is encrypted"
  on terraform "aws_db_instance" as db {
    require db.storage_encrypted ?? false == true else "{name(db)} is not encrypted"
  }
}
rule root_volume_encrypted {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "EC2 root volumes are encrypted"
  on terraform "aws_instance" as i {
    require all d in i.root_block_device : d.encrypted ?? false == true
  }
}
rule bucket_versioned {
  pillar reliability
  practice "REL09-BP02"
  risk medium
  title "S3 buckets keep versions"
  on terraform "aws_s3_bucket" as b {
    require some v in referrers(b, "aws_s3_bucket_versioning") :
      v.versioning_configuration[0].status == "Enabled"
      else "{name(b)} has no versioning"
  }
}
"#,
    );
    let rules = engine.compile();
    let errors: Vec<_> = rules.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let doc = Document {
        name: "plan.json".into(),
        kind: InputKind::Terraform,
        format: TextFormat::Json,
        text: text.clone(),
        referrers: referrers(&l.resources),
        resources: l.resources,
        positions: Default::default(),
        root: serde_json::Value::Null,
    };
    let result = buttress::eval::evaluate(&rules.program, &doc);
    let found: Vec<(Status, &str, &str)> = result
        .findings
        .iter()
        .map(|f| {
            (
                f.status,
                doc.resources[f.resource.unwrap() as usize].name.as_str(),
                f.message.as_str(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    // Every bucket has a versioning resource that refers to it.
    assert_eq!(result.tally[2].pass, 3, "{:?}", result.tally);
    assert!(
        found.contains(&(
            Status::Fail,
            "aws_db_instance.main",
            "aws_db_instance.main is not encrypted"
        )),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|(s, n, m)| *s == Status::Unknown
            && *n == "aws_instance.web"
            && m.contains("known after apply")),
        "{found:#?}"
    );
    // The failing finding points at the value in the text.
    let fail = result
        .findings
        .iter()
        .find(|f| f.status == Status::Fail)
        .unwrap();
    assert_eq!(
        fail.pointer,
        format!(
            "{}/storage_encrypted",
            doc.resources[fail.resource.unwrap() as usize].pointer
        )
    );
    assert_eq!(at(&text, &fail.pointer), "false");
    let fail_line = text[..json_offset(&text, &fail.pointer)].lines().count();
    assert!(text
        .lines()
        .nth(fail_line - 1)
        .unwrap()
        .contains("\"storage_encrypted\": false"));
    // The unknown one points at the value, which is not in the text: its block is found.
    let unknown = result
        .findings
        .iter()
        .find(|f| f.status == Status::Unknown)
        .unwrap();
    let web = &doc.resources[unknown.resource.unwrap() as usize];
    assert_eq!(
        unknown.pointer,
        format!("{}/root_block_device/0/encrypted", web.pointer)
    );
    assert_eq!(
        json_offset(&text, &unknown.pointer),
        json_offset(&text, &format!("{}/root_block_device/0", web.pointer))
    );
    // The replaced instance (encrypted) passes; the rules ran on both instances.
    assert_eq!(result.tally[0].pass, 1);
    assert_eq!(result.tally[0].fail, 1);
    assert_eq!(result.tally[1].unknown, 1);
}

#[test]
fn many_instances_load_in_one_pass() {
    let n = 5000;
    let mut resources = vec![
        json!({"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "b"}}),
    ];
    let mut changes = Vec::new();
    for i in 0..n {
        let address = format!("aws_s3_object.o[{i}]");
        resources.push(json!({"address": address, "mode": "managed", "type": "aws_s3_object", "name": "o", "index": i, "values": {"key": format!("k{i}")}}));
        changes.push(json!({"address": address, "change": {"actions": ["create"], "after_unknown": {"etag": true}}}));
    }
    let text = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": [
            {"address": "aws_s3_object.o", "mode": "managed", "type": "aws_s3_object", "name": "o",
             "expressions": {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}},
             "count_expression": {"constant_value": n}}
        ]}}
    })
    .to_string();
    let start = std::time::Instant::now();
    let l = read("many.json", &text);
    assert!(start.elapsed().as_secs() < 10);
    assert_eq!(l.resources.len(), n + 1);
    assert!(l.resources[1..].iter().all(|r| r.targets() == [0]));
    let last = l.resources.last().unwrap();
    assert_eq!(unknown_reason(&last.properties["etag"]), UNKNOWN);
    assert_eq!(
        at(&text, &format!("{}/key", last.pointer)),
        format!("\"k{}\"", n - 1)
    );
}
