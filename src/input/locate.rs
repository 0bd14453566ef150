//! JSON pointer → byte offset in a JSON text, found by scanning only when a finding needs it.
//! Iterative, so no input nests deep enough to overflow the stack.

use std::borrow::Cow;

pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (which is `"`).
fn skip_string(b: &[u8], i: usize) -> usize {
    skip_string_noting_escapes(b, i).0
}

/// [`skip_string`], and whether the string holds an escape.
fn skip_string_noting_escapes(b: &[u8], mut i: usize) -> (usize, bool) {
    i += 1;
    let mut escaped = false;
    while let Some(n) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += n;
        if b[i] == b'"' {
            return (i + 1, escaped);
        }
        escaped = true;
        i += 2;
    }
    (b.len(), escaped)
}

/// The end of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            j
        }
    }
}

/// A key as a JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains(['~', '/']) {
        key.replace('~', "~0").replace('/', "~1").into()
    } else {
        key.into()
    }
}

/// How a JSON value is named in messages: "a list", "an object", …
pub fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value as Json;
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

pub fn unescape_segment(seg: &str) -> Cow<'_, str> {
    if seg.contains('~') {
        seg.replace("~1", "/").replace("~0", "~").into()
    } else {
        seg.into()
    }
}

/// The key whose string starts at `j` (which is `"`), as the input wrote it (borrowed unless
/// it holds escapes), and the offset past it.
fn key_at(text: &str, j: usize) -> (Cow<'_, str>, usize) {
    let (end, escaped) = skip_string_noting_escapes(text.as_bytes(), j);
    let raw = &text[j..end];
    let key = if escaped {
        Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default())
    } else {
        Cow::Borrowed(raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default())
    };
    (key, end)
}

/// The member value of `key` in the object at `i`, if present.
fn member(text: &str, i: usize, key: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut j = skip_ws(b, i + 1);
    while j < b.len() && b[j] == b'"' {
        let (name, end) = key_at(text, j);
        let matches = name == key;
        j = skip_ws(b, end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, j + 1);
        if matches {
            return Some(j);
        }
        j = skip_ws(b, skip_value(b, j));
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
    None
}

/// The entries of one container of the text: an object's keys as the input wrote them
/// (borrowed unless they hold escapes) with their value offsets, or a list's element offsets.
#[derive(Debug, PartialEq)]
pub enum Entries<'t> {
    Object(Vec<(Cow<'t, str>, usize)>),
    List(Vec<usize>),
}

/// The entries of the container at `at` and the offset just past it (`None` past a malformed
/// part, where the scan stops); `value` is handed each value's offset and returns its end.
fn entries_with<'t>(
    text: &'t str,
    at: usize,
    value: &mut dyn FnMut(usize) -> usize,
) -> Option<(Entries<'t>, Option<usize>)> {
    let b = text.as_bytes();
    let object = match b.get(at) {
        Some(b'{') => true,
        Some(b'[') => false,
        _ => return None,
    };
    let close = if object { b'}' } else { b']' };
    let mut keys = Vec::new();
    let mut items = Vec::new();
    let mut j = skip_ws(b, at + 1);
    let mut end = None;
    if b.get(j) == Some(&close) {
        end = Some(j + 1);
    }
    while end.is_none() && j < b.len() {
        if object {
            if b[j] != b'"' {
                break;
            }
            let (key, key_end) = key_at(text, j);
            j = skip_ws(b, key_end);
            if b.get(j) != Some(&b':') {
                break;
            }
            j = skip_ws(b, j + 1);
            keys.push((key, j));
        } else {
            items.push(j);
        }
        j = skip_ws(b, value(j));
        match b.get(j) {
            Some(b',') => j = skip_ws(b, j + 1),
            Some(&c) if c == close => end = Some(j + 1),
            _ => break,
        }
    }
    let entries = if object {
        Entries::Object(keys)
    } else {
        Entries::List(items)
    };
    Some((entries, end))
}

/// The entries of the container at `at` (`None` for a scalar), in one pass.
pub fn entries(text: &str, at: usize) -> Option<Entries<'_>> {
    let b = text.as_bytes();
    entries_with(text, at, &mut |v| skip_value(b, v)).map(|(e, _)| e)
}

/// [`entries`] of the container at `at`, and, found in the same pass, the offsets and entries
/// of each of its values that is a container itself: the scan walks through them to find
/// the next member anyway, so a template's `Resources` comes with its root, and a resource's
/// `Properties` with the resource.
pub fn entries_two_deep(text: &str, at: usize) -> Option<(Entries<'_>, Vec<(usize, Entries<'_>)>)> {
    let b = text.as_bytes();
    let mut children = Vec::new();
    let (own, _) = entries_with(text, at, &mut |v| {
        match entries_with(text, v, &mut |w| skip_value(b, w)) {
            Some((child, Some(end))) => {
                children.push((v, child));
                end
            }
            // A scalar, or a container the scan could not read to its end.
            _ => skip_value(b, v),
        }
    })?;
    Some((own, children))
}

/// The byte offset of the deepest node on `pointer` that exists in `text`.
pub fn json_offset(text: &str, pointer: &str) -> usize {
    let b = text.as_bytes();
    let mut at = skip_ws(b, 0);
    if pointer.is_empty() {
        return at;
    }
    for seg in pointer.split('/').skip(1) {
        let seg = unescape_segment(seg);
        let next = match b.get(at) {
            Some(b'{') => member(text, at, &seg),
            Some(b'[') => seg.parse::<usize>().ok().and_then(|n| {
                let mut j = skip_ws(b, at + 1);
                for _ in 0..n {
                    j = skip_ws(b, skip_value(b, j));
                    if b.get(j) != Some(&b',') {
                        return None;
                    }
                    j = skip_ws(b, j + 1);
                }
                (b.get(j) != Some(&b']')).then_some(j)
            }),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => return at,
        }
    }
    at
}

/// The length of the token at `offset` worth underlining (a scalar, or one character).
pub fn token_len(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    match b.get(offset) {
        Some(b'{' | b'[') | None => 1,
        Some(_) => {
            let end = skip_value(b, offset).min(text.len());
            let len = end - offset;
            text[offset..end].find('\n').unwrap_or(len).max(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_resolve_to_offsets() {
        let t = r#"{"a": {"b~c": [1, {"d/e": true}]}, "x": "y"}"#;
        assert_eq!(&t[json_offset(t, "/x")..json_offset(t, "/x") + 3], "\"y\"");
        let o = json_offset(t, "/a/b~0c/1/d~1e");
        assert_eq!(&t[o..o + 4], "true");
        assert_eq!(token_len(t, o), 4);
        // a missing key stops at the deepest node that exists
        assert_eq!(json_offset(t, "/a/zzz"), t.find("{\"b").unwrap());
        assert_eq!(json_offset(t, "/a/b~0c/9"), t.find('[').unwrap());
        assert_eq!(json_offset("", "/a"), 0);
    }

    /// The pass over a container finds each child container's entries as a pass of the
    /// child's own would, empty ones, escaped keys, strings holding brackets and lists too.
    #[test]
    fn two_deep_entries_are_each_childs_own() {
        let t = r#"{"a": {"b": [1, {"c": 2}], "k\"e": "}"}, "e": {}, "l": [[], {"x": "]"}, 3], "s": 1}"#;
        let (own, children) = entries_two_deep(t, 0).unwrap();
        assert_eq!(Some(own), entries(t, 0));
        let offsets: Vec<usize> = children.iter().map(|(at, _)| *at).collect();
        assert_eq!(
            offsets,
            [
                t.find("{\"b").unwrap(),
                t.find("{}").unwrap(),
                t.find("[[").unwrap()
            ]
        );
        for (at, child) in children {
            assert_eq!(Some(child), entries(t, at), "child at {at}");
        }
        let Some(Entries::Object(keys)) = entries(t, t.find("{\"b").unwrap()) else {
            panic!("an object")
        };
        let keys: Vec<&str> = keys.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["b", "k\"e"]);
        assert_eq!(
            entries(t, t.find("[[").unwrap()).map(|e| match e {
                Entries::List(items) => items.len(),
                Entries::Object(_) => 0,
            }),
            Some(3)
        );
        assert_eq!(entries(t, t.find('1').unwrap()), None, "a scalar has none");
        // A child cut short: the parent stops where the scan cannot go on.
        let cut = r#"{"a": {"b": 1, "c"}, "d": 2}"#;
        let (own, _) = entries_two_deep(cut, 0).unwrap();
        assert_eq!(Some(own), entries(cut, 0));
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let t = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
        assert_eq!(json_offset(&t, "/0/0/0"), 3);
    }
}
