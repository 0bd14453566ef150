//! `resource_changes` of a plan: which resources go away, and the `after_unknown` markers.

use super::AFTER_APPLY;
use crate::model::unknown;
use serde_json::{Map, Value as Json};

/// What `resource_changes` says of one planned resource: whether it is going away, and
/// which of its values are known only after apply.
pub(super) struct Change {
    pub(super) gone: bool,
    pub(super) after_unknown: Json,
}

/// Whether `flags` (a tree of `after_unknown` booleans) marks anything.
fn marks_any(flags: &Json) -> bool {
    let mut stack = vec![flags];
    while let Some(f) = stack.pop() {
        match f {
            Json::Bool(true) => return true,
            Json::Object(m) => stack.extend(m.values()),
            Json::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    false
}

/// Put unknown markers in `target` wherever `flags` (the `after_unknown` tree mirroring it)
/// says `true`, adding the attributes Terraform left out because they are unknown.
/// Recursion follows the nesting of `flags`, which is bounded by the JSON parser's limit.
pub(super) fn mark_unknown(target: &mut Json, flags: &Json) {
    match flags {
        Json::Bool(true) => *target = unknown(AFTER_APPLY),
        Json::Object(f) => {
            if target.is_null() && marks_any(flags) {
                *target = Json::Object(Map::new());
            }
            let Json::Object(t) = target else { return };
            for (k, flag) in f {
                match t.get_mut(k) {
                    Some(child) => mark_unknown(child, flag),
                    None if marks_any(flag) => {
                        let mut child = Json::Null;
                        mark_unknown(&mut child, flag);
                        t.insert(k.clone(), child);
                    }
                    None => {}
                }
            }
        }
        Json::Array(f) => {
            if target.is_null() && marks_any(flags) {
                *target = Json::Array(Vec::new());
            }
            let Json::Array(t) = target else { return };
            for (i, flag) in f.iter().enumerate() {
                if i >= t.len() {
                    if !marks_any(flag) {
                        continue;
                    }
                    t.resize(i + 1, Json::Null);
                }
                mark_unknown(&mut t[i], flag);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_flags_mark_nested_and_absent_values() {
        let mut v = serde_json::json!({"a": 1, "list": [{"x": 1}, null], "obj": {"k": "v"}});
        let flags = serde_json::json!(
            {"id": true, "list": [{"y": true}, true], "obj": {}, "gone": {"z": false}}
        );
        mark_unknown(&mut v, &flags);
        assert_eq!(v["id"], unknown(AFTER_APPLY));
        assert_eq!(v["list"][0]["y"], unknown(AFTER_APPLY));
        assert_eq!(v["list"][1], unknown(AFTER_APPLY));
        assert_eq!(v["obj"], serde_json::json!({"k": "v"}));
        assert!(v.get("gone").is_none());
    }
}
