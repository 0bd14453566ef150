//! The AWS Config reader: every shape of configuration items AWS delivers or returns.

use buttress::diagnostics::{Code, Severity};
use buttress::eval::{evaluate, Status};
use buttress::input::config::{detect, load};
use buttress::input::locate::json_offset;
use buttress::model::InputKind;
use buttress::model::{self, Document, LoadedResources, TextFormat};
use serde_json::{json, Value as Json};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/inputs/config/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(text: &str) -> Json {
    serde_json::from_str(text).expect("fixture is JSON")
}

/// Load a text; panics on an error.
fn read(name: &str, text: &str) -> LoadedResources {
    let mut v = parse(text);
    let loaded = load(name, &mut v).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(loaded.kind, Some(InputKind::Config));
    loaded
}

fn names(l: &LoadedResources) -> Vec<(&str, &str)> {
    l.resources
        .iter()
        .map(|r| (r.type_name.as_str(), r.name.as_str()))
        .collect()
}

/// The text a pointer leads to, up to the end of its line.
fn at<'t>(text: &'t str, pointer: &str) -> &'t str {
    let from = json_offset(text, pointer);
    let rest = &text[from..];
    &rest[..rest.find('\n').unwrap_or(rest.len())]
}

#[test]
fn a_snapshot_gives_one_resource_per_current_item() {
    let text = fixture("snapshot.json");
    let l = read("snapshot.json", &text);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    // The deleted volume (item 4) is not checked.
    assert_eq!(
        names(&l),
        vec![
            ("AWS::S3::Bucket", "acme-logs-eu-west-1"),
            ("AWS::EC2::SecurityGroup", "sg-0f3e2d1c0b9a87654"),
            ("AWS::RDS::DBInstance", "db-7QK3ZL2WXHJF5MBNR4TYVUCG6E"),
            ("AWS::RDS::DBSubnetGroup", "orders-private"),
        ]
    );
    let pointers: Vec<&str> = l.resources.iter().map(|r| r.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/configurationItems/0",
            "/configurationItems/1",
            "/configurationItems/2",
            "/configurationItems/3"
        ]
    );
    for r in &l.resources {
        assert_eq!(r.entry_pointer, r.pointer);
        let found = at(&text, &format!("{}/resourceType", r.pointer));
        assert!(
            found.starts_with(&format!("\"{}\"", r.type_name)),
            "{found}"
        );
    }
    // Rules read the whole item.
    let bucket = &l.resources[0].properties;
    assert_eq!(bucket["configurationItemStatus"], "OK");
    assert_eq!(bucket["tags"]["team"], "platform");
    assert_eq!(bucket["configuration"]["name"], "acme-logs-eu-west-1");
    assert_eq!(
        bucket["supplementaryConfiguration"]["PublicAccessBlockConfiguration"]["blockPublicAcls"],
        true
    );
    // The access control list is JSON text even in delivered files.
    assert_eq!(
        bucket["supplementaryConfiguration"]["AccessControlList"]["grantList"][0]["permission"],
        "FullControl"
    );
    // Both spellings of the ARN and account.
    assert_eq!(bucket["ARN"], "arn:aws:s3:::acme-logs-eu-west-1");
    assert_eq!(bucket["arn"], bucket["ARN"]);
    assert_eq!(bucket["accountId"], "123456789012");
    assert_eq!(bucket["resourceName"], "acme-logs-eu-west-1");
    let db = &l.resources[2].properties;
    assert_eq!(db["configuration"]["storageEncrypted"], false);
    assert_eq!(db["resourceName"], "orders-db");
}

#[test]
fn relationships_become_references_to_items_of_the_same_document() {
    let l = read("snapshot.json", &fixture("snapshot.json"));
    let refs: Vec<Vec<u32>> = l.resources.iter().map(|r| r.targets()).collect();
    // The database refers to its security group and subnet group; the VPC and subnets are
    // not in the snapshot.
    assert_eq!(refs, [vec![], vec![], vec![1, 3], vec![]]);
    // Relationships belong to no property.
    assert!(l.resources[2].refs.iter().all(|e| e.at.is_none()));
    let db = &l.resources[2].properties;
    let rels = db["relationships"].as_array().unwrap();
    assert_eq!(rels.len(), 2);
    // Delivered files say `name`; the API's `relationshipName` is added beside it.
    assert_eq!(rels[0]["name"], "Is associated with SecurityGroup");
    assert_eq!(
        rels[0]["relationshipName"],
        "Is associated with SecurityGroup"
    );
}

#[test]
fn relationships_by_api_name_resource_name_or_bare_id() {
    let doc = json!({"configurationItems": [
        {"resourceType": "AWS::IAM::Role", "resourceId": "AROAEXAMPLEID1", "resourceName": "app-role",
         "configuration": {"roleName": "app-role"},
         "relationships": [
            {"resourceType": "AWS::IAM::Policy", "resourceName": "app-policy", "relationshipName": "Is attached to CustomerManagedPolicy"},
            {"resourceType": "AWS::IAM::Role", "resourceId": "AROAEXAMPLEID1", "relationshipName": "self"}]},
        {"resourceType": "AWS::IAM::Policy", "resourceId": "ANPAEXAMPLEID2", "resourceName": "app-policy",
         "configuration": {"policyName": "app-policy"}},
        {"resourceType": "AWS::EC2::Instance", "resourceId": "i-0abc", "configuration": {},
         "relationships": [{"resourceId": "ANPAEXAMPLEID2", "relationshipName": "odd"},
                           {"resourceType": "AWS::IAM::Role", "resourceId": "AROAEXAMPLEID1", "relationshipName": "Is associated with Role"}]}
    ]});
    let l = read("rels.json", &doc.to_string());
    let refs: Vec<Vec<u32>> = l.resources.iter().map(|r| r.targets()).collect();
    assert_eq!(refs, [vec![1], vec![], vec![0, 1]]);
}

#[test]
fn history_from_the_api_parses_configuration_text_and_keeps_the_latest_item() {
    let text = fixture("history.json");
    let l = read("history.json", &text);
    assert!(l.warnings.is_empty());
    // Two items of the same database: only the latest (listed first by the API) is checked.
    assert_eq!(l.resources.len(), 1);
    let r = &l.resources[0];
    assert_eq!(r.pointer, "/configurationItems/0");
    assert!(at(&text, "/configurationItems/0/resourceType").starts_with("\"AWS::RDS::DBInstance\""));
    let c = &r.properties["configuration"];
    assert!(c.is_object(), "{c}");
    assert_eq!(c["dBInstanceClass"], "db.r6g.large");
    assert_eq!(c["storageEncrypted"], false);
    assert_eq!(c["endpoint"]["port"], 5432);
    assert_eq!(
        r.properties["relationships"][0]["relationshipName"],
        "Is associated with SecurityGroup"
    );
    assert_eq!(
        r.properties["arn"],
        "arn:aws:rds:eu-west-1:123456789012:db:orders-db"
    );
    // Findings inside the parsed text are located at the text itself.
    assert!(at(
        &text,
        "/configurationItems/0/configuration/storageEncrypted"
    )
    .starts_with("\"{\\\"dBInstanceIdentifier"));
}

#[test]
fn items_with_incomparable_or_equal_times_are_all_checked() {
    let doc = json!({"configurationItems": [
        {"resourceType": "AWS::S3::Bucket", "resourceId": "b", "configurationItemCaptureTime": "2024-01-02T00:00:00Z", "configuration": {"v": 1}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "b", "configuration": {"v": 2}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "c", "configurationItemCaptureTime": 1704153600, "configuration": {"v": 3}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "c", "configurationItemCaptureTime": 1704067200, "configuration": {"v": 4}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "d", "configurationItemCaptureTime": "2024-01-01T00:00:00Z", "configuration": {"v": 5}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "d", "configurationItemCaptureTime": "2024-01-01T00:00:00Z", "configuration": {"v": 6}}
    ]});
    let l = read("times.json", &doc.to_string());
    let kept: Vec<i64> = l
        .resources
        .iter()
        .map(|r| r.properties["configuration"]["v"].as_i64().unwrap())
        .collect();
    assert_eq!(kept, [1, 2, 3, 5, 6]);
}

#[test]
fn batch_results_parse_configuration_and_supplementary_text() {
    let text = fixture("batch.json");
    let l = read("batch.json", &text);
    assert!(l.warnings.is_empty());
    assert_eq!(
        names(&l),
        [
            ("AWS::S3::Bucket", "acme-logs-eu-west-1"),
            ("AWS::RDS::DBInstance", "db-7QK3ZL2WXHJF5MBNR4TYVUCG6E")
        ]
    );
    for (i, r) in l.resources.iter().enumerate() {
        assert_eq!(r.pointer, format!("/baseConfigurationItems/{i}"));
        assert!(at(&text, &format!("{}/resourceType", r.pointer))
            .starts_with(&format!("\"{}\"", r.type_name)));
        assert!(r.refs.is_empty());
    }
    let b = &l.resources[0].properties;
    assert_eq!(
        b["configuration"]["creationDate"],
        "2023-11-02T09:14:27.000Z"
    );
    let s = &b["supplementaryConfiguration"];
    assert_eq!(s["BucketVersioningConfiguration"]["status"], "Off");
    assert_eq!(
        s["PublicAccessBlockConfiguration"]["restrictPublicBuckets"],
        true
    );
    assert_eq!(
        s["ServerSideEncryptionConfiguration"]["rules"][0]["applyServerSideEncryptionByDefault"]
            ["sseAlgorithm"],
        "AES256"
    );
    assert_eq!(s["IsRequesterPaysEnabled"], false);
    assert_eq!(
        l.resources[1].properties["configuration"]["storageEncrypted"],
        false
    );
}

#[test]
fn text_that_is_not_json_is_kept() {
    let doc = json!({"baseConfigurationItems": [
        {"resourceType": "AWS::S3::Bucket", "resourceId": "b", "configuration": "{\"name\": \"b\"",
         "supplementaryConfiguration": {"A": "[1, 2", "B": "plain text", "C": "[1, 2]", "D": "null", "E": "true"}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "c", "configuration": "null",
         "supplementaryConfiguration": "{\"X\": \"{\\\"y\\\": 1}\"}"}
    ]});
    let l = read("text.json", &doc.to_string());
    let p = &l.resources[0].properties;
    assert_eq!(p["configuration"], "{\"name\": \"b\"");
    assert_eq!(p["supplementaryConfiguration"]["A"], "[1, 2");
    assert_eq!(p["supplementaryConfiguration"]["B"], "plain text");
    assert_eq!(p["supplementaryConfiguration"]["C"], json!([1, 2]));
    assert_eq!(p["supplementaryConfiguration"]["D"], "null");
    assert_eq!(p["supplementaryConfiguration"]["E"], true);
    let q = &l.resources[1].properties;
    assert_eq!(q["configuration"], "null");
    assert_eq!(q["supplementaryConfiguration"]["X"]["y"], 1);
}

#[test]
fn advanced_query_results_are_parsed_and_partial_items_warned_about() {
    let text = fixture("select.json");
    let l = read("select.json", &text);
    assert_eq!(
        names(&l),
        [
            ("AWS::RDS::DBInstance", "db-7QK3ZL2WXHJF5MBNR4TYVUCG6E"),
            ("AWS::RDS::DBInstance", "db-M2PW8XJ4RKQ7TNVZ3HYC5DLA6B")
        ]
    );
    assert_eq!(l.resources[0].pointer, "/Results/0");
    assert_eq!(l.resources[1].pointer, "/Results/1");
    assert_eq!(
        l.resources[0].properties["configuration"]["storageEncrypted"],
        false
    );
    // The pointer of a result leads to its text.
    assert!(at(&text, "/Results/1/resourceType").starts_with("\"{\\\"resourceId\\\":\\\"db-M2PW"));
    assert_eq!(l.warnings.len(), 1);
    let (d, pointer) = &l.warnings[0];
    assert_eq!(pointer, "/Results/2");
    assert_eq!(d.code, Code::SkippedInput);
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("`select.json`"), "{}", d.message);
    assert!(d.message.contains("query result 2"), "{}", d.message);
    assert!(d.help.iter().any(|h| h.contains("resourceType")));
}

#[test]
fn query_results_that_are_not_json_or_not_objects_are_warned_about() {
    let doc = json!({"QueryInfo": {"SelectFields": []},
        "Results": ["{\"resourceType\": \"AWS::S3::Bucket\", \"resourceId\": \"b\"}", "{oops", "[1]", 7,
                    {"resourceType": "AWS::S3::Bucket", "resourceId": "c"}]});
    let l = read("q.json", &doc.to_string());
    assert_eq!(
        names(&l),
        [("AWS::S3::Bucket", "b"), ("AWS::S3::Bucket", "c")]
    );
    let pointers: Vec<&str> = l.warnings.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(pointers, ["/Results/1", "/Results/2", "/Results/3"]);
    assert!(l.warnings[0].0.message.contains("not JSON text"));
    assert!(l.warnings[1].0.message.contains("a list, not an object"));
}

#[test]
fn one_item_is_one_resource() {
    let text = fixture("item.json");
    assert_eq!(text.lines().count(), 1, "an item is one line of a stream");
    let l = read("stream.jsonl:1", &text);
    assert_eq!(
        names(&l),
        [("AWS::RDS::DBInstance", "db-7QK3ZL2WXHJF5MBNR4TYVUCG6E")]
    );
    let r = &l.resources[0];
    assert_eq!(r.pointer, "");
    assert_eq!(r.entry_pointer, "");
    assert!(at(&text, "/resourceType").starts_with("\"AWS::RDS::DBInstance\""));
    // Relationships to resources outside the document lead nowhere.
    assert!(r.refs.is_empty());
}

#[test]
fn a_change_notification_and_a_bare_list_of_items() {
    let note = json!({
        "configurationItemDiff": {"changedProperties": {}, "changeType": "UPDATE"},
        "configurationItem": {"resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-1",
                              "configurationItemStatus": "OK", "configuration": {"groupId": "sg-1"}},
        "notificationCreationTime": "2024-03-18T06:21:45.102Z",
        "messageType": "ConfigurationItemChangeNotification",
        "recordVersion": "1.3"
    });
    assert!(detect(&note));
    let l = read("note.json", &note.to_string());
    assert_eq!(names(&l), [("AWS::EC2::SecurityGroup", "sg-1")]);
    assert_eq!(l.resources[0].pointer, "/configurationItem");

    let aggregate = json!({"ConfigurationItem": {"resourceType": "AWS::S3::Bucket", "resourceId": "b",
        "accountId": "123456789012", "awsRegion": "eu-west-1", "configuration": "{\"name\":\"b\"}"}});
    assert!(detect(&aggregate));
    let l = read("aggregate.json", &aggregate.to_string());
    assert_eq!(l.resources[0].pointer, "/ConfigurationItem");
    assert_eq!(l.resources[0].properties["configuration"]["name"], "b");

    let list = json!([
        {"resourceType": "AWS::S3::Bucket", "resourceId": "b", "configuration": {}},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "c", "configuration": {}}
    ]);
    assert!(detect(&list));
    let l = read("list.json", &list.to_string());
    assert_eq!(l.resources[1].pointer, "/1");
}

#[test]
fn deleted_and_unrecorded_items_are_not_checked() {
    let doc = json!({"configurationItems": [
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-1", "configurationItemStatus": "ResourceDeleted", "configuration": null},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-2", "configurationItemStatus": "ResourceDeletedNotRecorded"},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-3", "configurationItemStatus": "ResourceNotRecorded"},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-4", "configurationItemStatus": "ResourceDiscovered", "configuration": {"size": 8}},
        // A later deletion hides the earlier state of the same volume.
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-5", "configurationItemStatus": "OK",
         "configurationItemCaptureTime": "2024-03-01T00:00:00.000Z", "configuration": {"size": 8}},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-5", "configurationItemStatus": "ResourceDeleted",
         "configurationItemCaptureTime": "2024-03-02T00:00:00.000Z", "configuration": null}
    ]});
    let l = read("deleted.json", &doc.to_string());
    assert_eq!(names(&l), [("AWS::EC2::Volume", "vol-4")]);
    assert!(l.warnings.is_empty());
}

#[test]
fn bad_items_are_warned_about_with_their_pointer() {
    let text = fixture("bad.json");
    let l = read("bad.json", &text);
    assert_eq!(
        names(&l),
        [("AWS::EC2::SecurityGroup", "sg-0f3e2d1c0b9a87654")]
    );
    let pointers: Vec<&str> = l.warnings.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(pointers, ["/configurationItems/1", "/configurationItems/2"]);
    for (d, _) in &l.warnings {
        assert_eq!(d.code, Code::SkippedInput);
        assert_eq!(d.severity, Severity::Warning);
        assert!(
            d.message.starts_with("`bad.json`: configuration item "),
            "{}",
            d.message
        );
        assert!(d.message.ends_with("it is not checked"), "{}", d.message);
    }
    assert!(l.warnings[0]
        .0
        .message
        .contains("is a string, not an object"));
    assert!(l.warnings[1].0.message.contains("no string `resourceType`"));
    assert!(at(&text, "/configurationItems/1").starts_with("\"sg-0a1b2c3d4e5f60718\""));
}

#[test]
fn unusable_documents_are_one_error() {
    let cases = [
        (
            json!({"fileVersion": "1.0", "configurationItems": {"a": 1}}),
            "`configurationItems` is an object",
        ),
        (
            json!({"baseConfigurationItems": "x"}),
            "`baseConfigurationItems` is a string",
        ),
        (
            json!({"QueryInfo": {}, "Results": null}),
            "`Results` is null",
        ),
        (
            json!({"Resources": {}}),
            "holds no AWS Config configuration items",
        ),
        (json!("text"), "not a string"),
        (json!(3), "not a number"),
    ];
    for (mut v, expected) in cases {
        let d = load("in.json", &mut v).expect_err(expected);
        assert_eq!(d.code, Code::BadTemplateShape);
        assert!(d.is_error());
        assert!(d.message.contains("`in.json`"), "{}", d.message);
        assert!(d.message.contains(expected), "{} / {expected}", d.message);
    }
}

#[test]
fn empty_lists_are_empty_documents() {
    for doc in [
        json!({"fileVersion": "1.0", "configSnapshotId": "x", "configurationItems": []}),
        json!({"baseConfigurationItems": [], "unprocessedResourceKeys": []}),
        json!({"QueryInfo": {"SelectFields": []}, "Results": []}),
        json!([]),
    ] {
        let mut v = doc;
        let l = load("e.json", &mut v).unwrap();
        assert!(l.resources.is_empty() && l.warnings.is_empty());
    }
}

#[test]
fn detect_recognises_every_shape() {
    for name in [
        "snapshot.json",
        "history.json",
        "batch.json",
        "select.json",
        "item.json",
        "bad.json",
    ] {
        assert!(detect(&parse(&fixture(name))), "{name}");
    }
    // A history delivered to S3, and a broken snapshot (loading says what is wrong).
    assert!(detect(
        &json!({"fileVersion": "1.0", "configurationItems": []})
    ));
    assert!(detect(
        &json!({"fileVersion": "1.0", "configSnapshotId": "x", "configurationItems": {}})
    ));
    // Query results without QueryInfo, as post-processed.
    assert!(detect(
        &json!({"Results": ["{\"resourceType\":\"AWS::S3::Bucket\"}"]})
    ));
}

#[test]
fn detect_rejects_other_documents() {
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"StorageEncrypted": false}}}
    });
    let template_without_version = json!({
        "Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {}}},
        "Outputs": {"configurationItems": {"Value": "x"}}
    });
    let plan = json!({
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_db_instance.orders", "mode": "managed", "type": "aws_db_instance",
             "name": "orders", "values": {"storage_encrypted": false}}]}},
        "resource_changes": []
    });
    let state = json!({"format_version": "1.0", "terraform_version": "1.7.5",
                       "values": {"root_module": {"resources": []}}});
    let negatives = [
        template,
        template_without_version,
        plan,
        state,
        json!({}),
        json!([]),
        json!([1, 2]),
        json!("configurationItems"),
        json!({"name": "plain", "resourceType": "thing"}),
        json!({"resourceType": "AWS::S3::Bucket"}),
        json!({"Type": "AWS::S3::Bucket", "resourceType": "AWS::S3::Bucket", "resourceId": "b"}),
        json!({"configurationItems": [{"id": 1}]}),
        json!({"configurationItems": "x"}),
        json!({"Results": [1, 2]}),
        json!({"Results": ["{\"id\": 1}"]}),
        json!({"configurationItem": {"id": 1}}),
        json!([{"resourceType": "AWS::S3::Bucket", "resourceId": "b"}, 1]),
    ];
    for v in negatives {
        assert!(!detect(&v), "{v}");
    }
}

const RULE: &str = r#"pack org.config
rule rds_encrypted {
  pillar security
  practice "SEC08-BP02"
  risk high
  title "Databases are encrypted at rest"
  on config "AWS::RDS::DBInstance" as db {
    require db.configuration.storageEncrypted == true
      else "{name(db)} ({db.resourceName}) stores data unencrypted"
  }
}
"#;

fn document(name: &str, text: String, loaded: LoadedResources) -> Document {
    Document {
        name: name.to_string(),
        kind: InputKind::Config,
        format: TextFormat::Json,
        referrers: model::referrers(&loaded.resources),
        resources: loaded.resources,
        text,
        positions: Default::default(),
        root: serde_json::Value::Null,
    }
}

#[test]
fn an_unencrypted_database_fails_end_to_end() {
    let mut engine = buttress::Engine::new();
    engine.add_source("config.btr", RULE);
    let rules = engine.compile();
    assert!(!rules.has_errors(), "{:#?}", rules.diagnostics);

    // A snapshot: the finding points at the value in the text.
    let text = fixture("snapshot.json");
    let doc = document("snapshot.json", text.clone(), read("snapshot.json", &text));
    let result = evaluate(&rules.program, &doc);
    assert_eq!(result.findings.len(), 1, "{:?}", result.findings);
    let f = &result.findings[0];
    assert_eq!(f.status, Status::Fail);
    assert_eq!(
        doc.resources[f.resource.unwrap() as usize].name,
        "db-7QK3ZL2WXHJF5MBNR4TYVUCG6E"
    );
    assert_eq!(
        f.pointer,
        "/configurationItems/2/configuration/storageEncrypted"
    );
    assert!(at(&text, &f.pointer).starts_with("false"));
    assert_eq!(
        f.message,
        "db-7QK3ZL2WXHJF5MBNR4TYVUCG6E (orders-db) stores data unencrypted"
    );
    assert_eq!(result.tally[0].fail, 1);
    assert_eq!(result.tally[0].pass, 0);

    // The API's history: the configuration was JSON text; the finding is located at it.
    let text = fixture("history.json");
    let doc = document("history.json", text.clone(), read("history.json", &text));
    let result = evaluate(&rules.program, &doc);
    assert_eq!(result.findings.len(), 1);
    let f = &result.findings[0];
    assert_eq!(f.status, Status::Fail);
    assert_eq!(
        f.pointer,
        "/configurationItems/0/configuration/storageEncrypted"
    );
    assert!(at(&text, &f.pointer).starts_with("\"{"));

    // Query results: one encrypted database passes, one fails.
    let text = fixture("select.json");
    let doc = document("select.json", text.clone(), read("select.json", &text));
    let result = evaluate(&rules.program, &doc);
    assert_eq!(result.tally[0].fail, 1);
    assert_eq!(result.tally[0].pass, 1);
    assert_eq!(
        result.findings[0].pointer,
        "/Results/0/configuration/storageEncrypted"
    );
}
