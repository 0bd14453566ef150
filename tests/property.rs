//! Random rules over random documents: the IR evaluator and the AST oracle must agree.

mod support;

use buttress::eval::{evaluate, Status};
use buttress::input::{load, LoadOptions};
use buttress::source::FileId;
use proptest::prelude::*;
use serde_json::{json, Value as Json};
use support::oracle;

/// Scalar values as templates hold them, including the awkward ones.
fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        any::<bool>().prop_map(Json::from),
        (-5i64..40).prop_map(Json::from),
        (-5i64..40).prop_map(|n| Json::from(n.to_string())),
        Just(json!("true")),
        Just(json!("false")),
        Just(json!("abc")),
        Just(json!("")),
        Just(json!("10.0.0.0/8")),
        Just(json!("0.0.0.0/0")),
        Just(Json::Null),
        Just(json!(2.5)),
        Just(json!({"Ref": "NoDefault"})),
        Just(json!({"Ref": "WithDefault"})),
        Just(json!({"Fn::GetAtt": ["Other", "Arn"]})),
    ]
}

fn element() -> impl Strategy<Value = Json> {
    (
        proptest::option::of(scalar()),
        proptest::option::of(scalar()),
    )
        .prop_map(|(x, y)| {
            let mut m = serde_json::Map::new();
            if let Some(x) = x {
                m.insert("x".into(), x);
            }
            if let Some(y) = y {
                m.insert("y".into(), y);
            }
            Json::Object(m)
        })
}

fn properties() -> impl Strategy<Value = Json> {
    (
        proptest::option::of(scalar()),
        proptest::option::of(scalar()),
        proptest::option::of(prop_oneof![
            proptest::collection::vec(element(), 0..4).prop_map(Json::from),
            scalar()
        ]),
        proptest::option::of(proptest::collection::btree_map("[a-c]", scalar(), 0..3)),
    )
        .prop_map(|(a, n, l, o)| {
            let mut m = serde_json::Map::new();
            if let Some(a) = a {
                m.insert("a".into(), a);
            }
            if let Some(n) = n {
                m.insert("n".into(), n);
            }
            if let Some(l) = l {
                m.insert("l".into(), l);
            }
            if let Some(o) = o {
                m.insert("o".into(), json!(o));
            }
            Json::Object(m)
        })
}

fn template() -> impl Strategy<Value = Json> {
    proptest::collection::vec((prop_oneof![Just("AWS::T::A"), Just("AWS::T::B")], properties()), 1..4).prop_map(|rs| {
        let mut resources = serde_json::Map::new();
        for (i, (ty, props)) in rs.into_iter().enumerate() {
            resources.insert(format!("R{i}"), json!({"Type": ty, "Properties": props}));
        }
        json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Parameters": {"NoDefault": {"Type": "String"}, "WithDefault": {"Type": "String", "Default": "7"}},
            "Resources": resources
        })
    })
}

fn value(var: &'static str) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        Just(format!("{var}.a")),
        Just(format!("{var}.n")),
        Just(format!("{var}.l[0].x")),
        Just(format!("{var}.l[-1].y")),
        Just(format!("{var}.o.b")),
        Just(format!("{var}.zz")),
        Just("1".to_string()),
        Just("7".to_string()),
        Just("\"7\"".to_string()),
        Just("\"abc\"".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("limit".to_string()),
    ];
    leaf.prop_recursive(2, 8, 2, move |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} ?? {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            inner.clone().prop_map(|a| format!("len({a})")),
            inner.clone().prop_map(|a| format!("lower({a})")),
            Just(format!("{var}.l[*].x")),
            Just(format!("{var}.o.*")),
            Just(format!("{var}.l[?(@.x == 1)]")),
            Just(format!("(count e in {var}.l : e.x ?? 0 > 2)")),
            (inner.clone(), inner.clone())
                .prop_map(move |(a, b)| format!("(if exists {var}.a then {a} else {b})")),
            inner
                .clone()
                .prop_map(|a| format!("{{k: {a}, \"other key\": 1}}.k")),
            Just(format!("get({var}.o, \"b\", 0)")),
            Just(format!("get({var}.l, 0)")),
            Just(format!("{var}.o[key]")),
            Just(format!("{var}.l[idx].x")),
            Just("resources(\"AWS::T::B\")[0].a".to_string()),
            Just(format!("([{var}.a] + {var}.l[*].x)")),
            Just(format!("join({var}.l[*].x, \", \")")),
        ]
    })
    .boxed()
}

fn condition() -> BoxedStrategy<String> {
    let atom = prop_oneof![
        (
            value("r"),
            prop_oneof![
                Just("=="),
                Just("!="),
                Just("<"),
                Just("<="),
                Just(">"),
                Just(">=")
            ],
            value("r")
        )
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        value("r").prop_map(|a| format!("exists {a}")),
        value("r").prop_map(|a| format!("empty {a}")),
        value("r").prop_map(|a| format!("{a} is number")),
        value("r").prop_map(|a| format!("{a} in [1, \"abc\", true, null]")),
        value("r").prop_map(|a| format!("{a} in r.l[*].x")),
        Just("r.a matches r\"^[0-9]+$\"".to_string()),
        Just("(some e in r.l : e.x == 1 or e.y == \"abc\")".to_string()),
        Just("(all e in r.l : exists e.x)".to_string()),
        Just("(none e in r.o.* : e == null)".to_string()),
        Just("(all e in r.l : some f in r.l : e.x == f.y)".to_string()),
        Just("positive(r.n)".to_string()),
        Just("is_public_cidr(r.a)".to_string()),
        Just(
            "(some t in resources(\"AWS::T::*\") : t.a == r.a and name(t) != name(r))".to_string()
        ),
        Just("(all t in resources(\"AWS::T::A\") : t.n ?? 0 <= limit)".to_string()),
        value("r").prop_map(|a| format!("(if {a} == 1 then true else r.a == \"abc\")")),
    ];
    atom.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.clone().prop_map(|a| format!("not ({a})")),
        ]
    })
    .boxed()
}

fn rule_source(when: Option<String>, requires: Vec<String>) -> String {
    let mut s = String::from(
        "pack p\nparam limit: number = 5\nparam key: string = \"b\"\nparam idx: number = -1\npred positive(x) = x ?? 0 > 0\n\
         rule r1 {\n pillar security\n practice \"SEC08-BP02\"\n risk high\n title \"t\"\n on cloudformation \"AWS::T::*\" as r {\n",
    );
    // The `when` stands after the first `require`: it guards the whole block all the same.
    for (i, c) in requires.iter().enumerate() {
        s.push_str(&format!(
            "  require {c} else \"{i}: {{r.a}} {{len(r.l)}} {{join(r.l[*].x ?? [], \", \")}}\"\n"
        ));
        if i == 0 {
            if let Some(w) = &when {
                s.push_str(&format!("  when {w}\n"));
            }
        }
    }
    s.push_str(" }\n}\n");
    s
}

type Key = (String, Option<u32>, Status, String);

fn normalise(mut v: Vec<Key>) -> Vec<Key> {
    for k in &mut v {
        if k.2 == Status::Unknown {
            k.3.clear();
        }
    }
    v.sort_by(|a, b| (&a.0, a.1, a.2, &a.3).cmp(&(&b.0, b.1, b.2, &b.3)));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn ir_evaluator_agrees_with_the_oracle(
        doc in template(),
        when in proptest::option::of(condition()),
        requires in proptest::collection::vec(condition(), 1..3),
    ) {
        let src = rule_source(when, requires);
        let (pack, diags) = buttress::syntax::parse_file(FileId(0), &src);
        prop_assert!(diags.iter().all(|d| !d.is_error()), "generated source does not parse: {src}\n{diags:?}");
        let packs = vec![pack.unwrap()];
        let (program, diags) = buttress::compile::compile(&packs, &[]);
        // Statically ill-typed combinations are refused by the compiler; nothing to compare.
        prop_assume!(diags.iter().all(|d| !d.is_error()));
        let loaded = load("t.json", doc.to_string().into_bytes(), &LoadOptions::default()).unwrap();
        let document = &loaded.documents[0];
        let ir = evaluate(&program, document);
        let ir: Vec<Key> = ir.findings.into_iter()
            .map(|f| (program.rules[f.rule as usize].id.clone(), f.resource, f.status, f.message))
            .collect();
        let oracle = oracle::evaluate(&packs, document);
        prop_assert_eq!(normalise(ir), normalise(oracle), "rule:\n{}\ndoc: {}", src, doc);
    }
}
