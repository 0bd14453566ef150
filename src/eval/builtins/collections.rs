//! Collection builtins: contains, len, keys, values, any, all, min, max, sum, flatten, json_parse.

use crate::eval::expr::contains;
use crate::eval::value::{Num, Truth, Val};
use crate::ir::Builtin;
use serde_json::Value as Json;
use std::rc::Rc;

fn numbers(v: &Val<'_>) -> Option<Vec<Num>> {
    v.elements()?.iter().map(Val::as_num).collect()
}

pub fn call<'a>(b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let v = &args[0];
    if v.is_missing() && b != Builtin::Contains {
        return None;
    }
    Some(match b {
        Builtin::Contains => match contains(&args[0], &args[1]) {
            Truth::True => Val::Bool(true),
            Truth::False => Val::Bool(false),
            Truth::Unknown => Val::Unknown(None),
        },
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
        Builtin::Keys => Val::List(Rc::new(v.object()?.keys().map(|k| Val::str(k)).collect())),
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
                Val::Unknown(None)
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
                Val::Owned(Rc::new(serde_json::from_str::<Json>(text).ok()?))
            }
            _ => v.clone(),
        },
        _ => return None,
    })
}
