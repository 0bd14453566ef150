//! ARN and IAM builtins: arn_parse, statements, action_matches.

use crate::eval::value::Val;
use crate::ir::Builtin;
use serde_json::{Map, Value as Json};
use std::rc::Rc;

fn arn_parse(text: &str) -> Option<Json> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let mut m = Map::new();
    for key in ["partition", "service", "region", "account", "resource"] {
        m.insert(key.to_string(), Json::String(parts.next()?.to_string()));
    }
    Some(Json::Object(m))
}

fn as_list(v: &Json) -> Json {
    match v {
        Json::Array(_) => v.clone(),
        other => Json::Array(vec![other.clone()]),
    }
}

/// A policy's statements with Action, NotAction, Resource and NotResource as lists.
fn statements(policy: &Json) -> Option<Json> {
    let parsed;
    let policy = match policy {
        Json::String(s) => {
            parsed = serde_json::from_str::<Json>(s).ok()?;
            &parsed
        }
        other => other,
    };
    let stmts = match policy.get("Statement")? {
        Json::Array(items) => items.clone(),
        one => vec![one.clone()],
    };
    let normalised = stmts
        .into_iter()
        .map(|s| match s {
            Json::Object(mut m) => {
                for key in ["Action", "NotAction", "Resource", "NotResource"] {
                    if let Some(v) = m.get(key) {
                        let l = as_list(v);
                        m.insert(key.to_string(), l);
                    }
                }
                Json::Object(m)
            }
            other => other,
        })
        .collect();
    Some(Json::Array(normalised))
}

/// Case-insensitive match of an IAM action pattern with `*` and `?`.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    crate::ir::Glob::new(&pattern.to_ascii_lowercase()).matches(&action.to_ascii_lowercase())
}

pub fn call<'a>(b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    Some(match b {
        Builtin::ArnParse => Val::Owned(Rc::new(arn_parse(args[0].as_str()?)?)),
        Builtin::Statements => {
            let owned;
            let policy = match args[0].json() {
                Some(j) => j,
                None => {
                    owned = Json::String(args[0].as_str()?.to_string());
                    &owned
                }
            };
            Val::Owned(Rc::new(statements(policy)?))
        }
        _ => Val::Bool(action_matches(args[0].as_str()?, args[1].as_str()?)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_normalise_shapes() {
        let p: Json = serde_json::json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        let s = statements(&p).unwrap();
        assert_eq!(s[0]["Action"], serde_json::json!(["s3:*"]));
        let text = Json::String(r#"{"Statement":[{"Action":["a","b"]}]}"#.into());
        assert_eq!(
            statements(&text).unwrap()[0]["Action"],
            serde_json::json!(["a", "b"])
        );
        assert!(statements(&Json::String("not json".into())).is_none());
    }

    #[test]
    fn actions_and_arns() {
        assert!(action_matches("s3:*", "S3:GetObject"));
        assert!(action_matches("s3:Get*", "s3:getobject"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert_eq!(arn_parse("arn:aws:s3:::b/k").unwrap()["resource"], "b/k");
        assert!(arn_parse("nope").is_none());
    }
}
