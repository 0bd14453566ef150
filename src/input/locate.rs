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
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while let Some(n) = b
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += n;
        if b[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    b.len()
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

/// The member value of `key` in the object at `i`, if present.
fn member(text: &str, i: usize, key: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut j = skip_ws(b, i + 1);
    while j < b.len() && b[j] == b'"' {
        let end = skip_string(b, j);
        let raw = &text[j..end];
        let matches = if raw.contains('\\') {
            serde_json::from_str::<String>(raw).is_ok_and(|name| name == key)
        } else {
            raw.len() >= 2 && &raw[1..raw.len() - 1] == key
        };
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

/// The value offsets of every member of the object that starts at `at`, in one pass, with
/// the keys as the input wrote them (borrowed unless they hold escapes).
pub fn members(text: &str, at: usize) -> Vec<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    if b.get(at) != Some(&b'{') {
        return out;
    }
    let mut j = skip_ws(b, at + 1);
    while j < b.len() && b[j] == b'"' {
        let end = skip_string(b, j);
        let raw = &text[j..end];
        let key = if raw.contains('\\') {
            Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default())
        } else {
            Cow::Borrowed(raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default())
        };
        j = skip_ws(b, end);
        if b.get(j) != Some(&b':') {
            break;
        }
        j = skip_ws(b, j + 1);
        out.push((key, j));
        j = skip_ws(b, skip_value(b, j));
        if b.get(j) != Some(&b',') {
            break;
        }
        j = skip_ws(b, j + 1);
    }
    out
}

/// The offsets of every element of the list that starts at `at`, in one pass.
pub fn elements(text: &str, at: usize) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    if b.get(at) != Some(&b'[') {
        return out;
    }
    let mut j = skip_ws(b, at + 1);
    while j < b.len() && b[j] != b']' {
        out.push(j);
        j = skip_ws(b, skip_value(b, j));
        if b.get(j) != Some(&b',') {
            break;
        }
        j = skip_ws(b, j + 1);
    }
    out
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

    #[test]
    fn deep_nesting_does_not_recurse() {
        let t = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
        assert_eq!(json_offset(&t, "/0/0/0"), 3);
    }
}
