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

/// Why a policy's text could not be read.
const UNREADABLE: &str = "the policy document is not readable JSON";

/// A policy's statements with Action, NotAction, Resource and NotResource as lists. Text is
/// parsed as JSON, URL-decoded first when it is URL-encoded (AWS Config delivers policy
/// documents so). `Err` when the policy cannot be read, `Ok(None)` when it has no statements.
fn statements(policy: &Json) -> Result<Option<Json>, &'static str> {
    let parsed;
    let policy = match policy {
        Json::String(s) => {
            let text = if s.trim_start().starts_with('%') || s.contains("%22") {
                super::strings::url_decode(s).ok_or(UNREADABLE)?
            } else {
                s.clone()
            };
            parsed = crate::input::json::parse(&text).map_err(|_| UNREADABLE)?;
            &parsed
        }
        other => other,
    };
    let stmts = match policy {
        Json::Object(m) => match m.get("Statement") {
            Some(Json::Array(items)) => items.clone(),
            Some(one @ Json::Object(_)) => vec![one.clone()],
            Some(_) => return Err("the policy's `Statement` is neither a statement nor a list"),
            // A statement given on its own, without a policy around it.
            None if m.contains_key("Effect") => vec![policy.clone()],
            None => return Ok(None),
        },
        Json::Array(items) => items.clone(),
        _ => return Err("the policy document is not an object"),
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
    Ok(Some(Json::Array(normalised)))
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
            match statements(policy) {
                Ok(Some(list)) => Val::Owned(Rc::new(list)),
                Ok(None) => return None,
                Err(why) => Val::unknown_because(why),
            }
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
        let s = statements(&p).unwrap().unwrap();
        assert_eq!(s[0]["Action"], serde_json::json!(["s3:*"]));
        let text = Json::String(r#"{"Statement":[{"Action":["a","b"]}]}"#.into());
        assert_eq!(
            statements(&text).unwrap().unwrap()[0]["Action"],
            serde_json::json!(["a", "b"])
        );
        assert_eq!(
            statements(&Json::String("not json".into())),
            Err(UNREADABLE)
        );
        let encoded = Json::String(
            "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%7D%5D%7D"
                .into(),
        );
        assert_eq!(
            statements(&encoded).unwrap().unwrap()[0]["Action"],
            serde_json::json!(["*"])
        );
        let single = serde_json::json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
        assert_eq!(
            statements(&single).unwrap().unwrap()[0]["Resource"],
            serde_json::json!(["*"])
        );
        assert_eq!(statements(&serde_json::json!({"Version": "x"})), Ok(None));
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
