//! Cost growth as a tested property: the standard library's work (expression nodes evaluated,
//! an operation count, not a time) grows linearly with the input. Each shape is evaluated at
//! N and 4N; four times the input may cost at most 4.5 times the work.

use buttress::eval::evaluate;
use buttress::input::{load, LoadOptions};
use buttress::Engine;
use serde_json::{json, Value as Json};

fn stdlib() -> buttress::RuleSet {
    let set = Engine::new().with_stdlib().compile();
    assert!(!set.has_errors());
    set
}

/// The work of the whole standard library on one template.
fn work(set: &buttress::RuleSet, template: &Json) -> u64 {
    let bytes = serde_json::to_vec(template).unwrap();
    let loaded = load("t.json", bytes, &LoadOptions::default()).expect("the template loads");
    loaded
        .documents
        .iter()
        .map(|d| evaluate(&set.program, d).steps)
        .sum()
}

fn assert_linear(name: &str, shape: impl Fn(usize) -> Json) {
    let set = stdlib();
    let (n, four_n) = (work(&set, &shape(50)), work(&set, &shape(200)));
    let ratio = four_n as f64 / n as f64;
    assert!(
        ratio <= 4.5,
        "{name}: 4 times the input cost {ratio:.2} times the work ({n} -> {four_n} nodes)"
    );
    assert!(
        ratio >= 3.0,
        "{name}: the work hardly grew ({n} -> {four_n})"
    );
}

/// `n` resources of the types the library reads most, none of them tagged: the tag rules
/// ask of every resource whether the template tags anything (once per document now).
#[test]
fn untagged_resources() {
    assert_linear("untagged resources", |n| {
        let mut resources = serde_json::Map::new();
        for i in 0..n {
            let (ty, props) = match i % 5 {
                0 => ("AWS::S3::Bucket", json!({})),
                1 => (
                    "AWS::EC2::Volume",
                    json!({"Size": 10, "AvailabilityZone": "eu-west-1a"}),
                ),
                2 => (
                    "AWS::Lambda::Function",
                    json!({"Runtime": "python3.12", "Handler": "a.b", "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}}),
                ),
                3 => (
                    "AWS::DynamoDB::Table",
                    json!({"BillingMode": "PAY_PER_REQUEST"}),
                ),
                _ => (
                    "AWS::EC2::Instance",
                    json!({"InstanceType": "t3.micro", "ImageId": "ami-0abcdef1234567890"}),
                ),
            };
            resources.insert(format!("R{i}"), json!({"Type": ty, "Properties": props}));
        }
        json!({"Resources": resources})
    });
}

/// One security group with `n` ingress rules over large port ranges, and a long list.
#[test]
fn long_rule_lists_and_port_ranges() {
    assert_linear("ingress rules", |n| {
        let ingress: Vec<Json> = (0..n)
            .map(|i| {
                json!({"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535,
                       "CidrIp": format!("10.{}.{}.0/24", i / 250, i % 250)})
            })
            .collect();
        let mut resources = serde_json::Map::new();
        resources.insert(
            "Group".into(),
            json!({"Type": "AWS::EC2::SecurityGroup",
                   "Properties": {"GroupDescription": "g", "SecurityGroupIngress": ingress}}),
        );
        for i in 0..n / 10 {
            resources.insert(
                format!("Rule{i}"),
                json!({"Type": "AWS::EC2::SecurityGroupIngress",
                       "Properties": {"GroupId": {"Ref": "Group"}, "IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}}),
            );
        }
        json!({"Resources": resources})
    });
}

/// Resources whose properties hang on `n` conditions, each naming the one before.
#[test]
fn many_conditions() {
    assert_linear("conditions", |n| {
        let mut conditions = serde_json::Map::new();
        conditions.insert("C0".into(), json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
        for i in 1..n {
            conditions.insert(
                format!("C{i}"),
                json!({"Fn::Not": [{"Condition": format!("C{}", i - 1)}]}),
            );
        }
        let mut resources = serde_json::Map::new();
        for i in 0..n {
            resources.insert(
                format!("V{i}"),
                json!({"Type": "AWS::EC2::Volume", "Properties": {
                    "Size": 10, "AvailabilityZone": "eu-west-1a",
                    "Encrypted": {"Fn::If": [format!("C{i}"), true, false]}}}),
            );
        }
        json!({"Parameters": {"Env": {"Type": "String"}}, "Conditions": conditions,
               "Resources": resources})
    });
}
