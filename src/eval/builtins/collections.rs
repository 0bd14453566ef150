//! Collection builtins: contains, len, keys, values, get, any, all, min, max, sum, flatten,
//! json_parse.

use crate::eval::value::{contains, is_unset, Num, Truth, Val, Why};
use crate::ir::Builtin;
use serde_json::Value as Json;
use std::rc::Rc;

fn numbers(v: &Val<'_>) -> Option<Vec<Num>> {
    v.elements()?.iter().map(Val::as_num).collect()
}

pub fn call<'a>(b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let v = &args[0];
    if b == Builtin::Len && is_unset(v) {
        // Nothing has no elements: `len(b.Tags) == 0` holds for an untagged resource.
        return Some(Val::Int(0));
    }
    if v.is_missing() && !matches!(b, Builtin::Contains | Builtin::Get) {
        return None;
    }
    Some(match b {
        Builtin::Contains => match contains(&args[0], &args[1]) {
            Truth::True => Val::Bool(true),
            Truth::False => Val::Bool(false),
            Truth::Unknown => Val::Unknown(Why::Unstated),
        },
        Builtin::Get => {
            let key = &args[1];
            let found = match (key.as_str(), key.as_num()) {
                (Some(k), _) if !key.is_number() => v.field(k),
                (_, Some(Num::I(i))) => v.elements().and_then(|items| {
                    let at = if i < 0 { items.len() as i64 + i } else { i };
                    usize::try_from(at)
                        .ok()
                        .and_then(|at| items.into_iter().nth(at))
                }),
                _ => None,
            };
            match found {
                Some(x) if !is_unset(&x) => x,
                _ => args.get(2).cloned().unwrap_or(Val::Missing(None)),
            }
        }
        Builtin::Len => Val::Int(match v {
            Val::Str(s) => s.chars().count(),
            Val::List(l) => l.len(),
            other => match other.json()? {
                Json::String(s) => s.chars().count(),
                Json::Array(a) => a.len(),
                Json::Object(m) => m.len(),
                _ => return None,
            },
        } as i64),
        Builtin::Keys => Val::List(Rc::new(
            v.object()?
                .keys()
                .map(|k| Val::str(crate::model::unescape_key(k)))
                .collect(),
        )),
        Builtin::Values => Val::List(Rc::new(v.object_values()?)),
        Builtin::Any | Builtin::All => {
            let items = v.elements()?;
            let want = b == Builtin::Any;
            let mut unknown = false;
            for i in &items {
                match i.as_bool() {
                    Some(x) if x == want => return Some(Val::Bool(want)),
                    _ if i.is_unknown() => unknown = true,
                    Some(_) => {}
                    None if want => {}
                    None => return Some(Val::Bool(false)),
                }
            }
            if unknown {
                Val::Unknown(Why::Unstated)
            } else {
                Val::Bool(!want)
            }
        }
        Builtin::Min | Builtin::Max => {
            let ns = numbers(v)?;
            let pick = ns.into_iter().reduce(|a, c| {
                let less = c.compare(a) == Some(std::cmp::Ordering::Less);
                if less == (b == Builtin::Min) {
                    c
                } else {
                    a
                }
            })?;
            pick.into_val()
        }
        Builtin::Sum => {
            let ns = numbers(v)?;
            if ns.iter().all(|n| matches!(n, Num::I(_))) {
                let total = ns.iter().try_fold(0i64, |acc, n| {
                    acc.checked_add(match n {
                        Num::I(i) => *i,
                        Num::F(_) => 0,
                    })
                });
                match total {
                    Some(t) => Val::Int(t),
                    None => Val::Float(ns.iter().map(|n| n.f()).sum()),
                }
            } else {
                Val::Float(ns.iter().map(|n| n.f()).sum())
            }
        }
        Builtin::Flatten => {
            let mut out = Vec::new();
            for item in v.elements()? {
                match item.elements() {
                    Some(inner) => out.extend(inner),
                    None => out.push(item),
                }
            }
            Val::List(Rc::new(out))
        }
        Builtin::JsonParse => match v.as_str() {
            Some(text) if !v.is_number() => {
                Val::Owned(Rc::new(crate::input::json::parse(text).ok()?))
            }
            _ => v.clone(),
        },
        _ => return None,
    })
}
