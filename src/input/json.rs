//! JSON text → `serde_json::Value`, refusing duplicate keys (which serde_json would keep
//! silently, the last one winning) with the position of the second one.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as Json};
use std::fmt;

/// A `Value` that fails on a key given twice in one object.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Json::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let key = crate::model::escape_owned_key(key);
            // Checked before the value is read, so the error stands at the second key.
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the key `{key}` is given twice in this object"
                )));
            }
            let value = map.next_value_seed(Strict)?;
            out.insert(key, value);
        }
        Ok(Json::Object(out))
    }
}

/// Parse JSON text; a duplicate key is an error at the position of its second occurrence.
pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The span of a 1-based line and column in `text`, as `FileId(0)`.
fn span_at(text: &str, line: usize, column: usize) -> Span {
    let starts = crate::source::line_starts(text);
    let start = starts
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or(text.len());
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut end = (offset + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(FileId(0), offset..end)
}

/// The deepest nesting the JSON reader takes (its own recursion bound).
pub const MAX_DEPTH: usize = 128;

/// The byte offset of the bracket that opens level `max_depth + 1`, outside strings.
fn too_deep_at(text: &str, max_depth: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parse an input's JSON text, with a diagnostic worded for people when it is not JSON.
pub fn parse_input(name: &str, text: &str) -> Result<Json, Diagnostic> {
    parse_input_within(name, text, MAX_DEPTH)
}

/// [`parse_input`], nested at most `max_depth` levels (at most [`MAX_DEPTH`]).
pub fn parse_input_within(name: &str, text: &str, max_depth: usize) -> Result<Json, Diagnostic> {
    if max_depth < MAX_DEPTH {
        if let Some(at) = too_deep_at(text, max_depth) {
            return Err(Diagnostic::error(
                Code::InvalidJson,
                format!("`{name}` is nested more than {max_depth} levels"),
            )
            .primary(
                Span::new(FileId(0), at..at + 1),
                format!("level {} starts here", max_depth + 1),
            )
            .help(format!(
                "documents may nest at most {max_depth} levels deep (--max-depth)"
            )));
        }
    }
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(Code::InvalidJson, format!("`{name}` is empty"))
                .help("an input holds one JSON or YAML document"),
        );
    }
    parse(text).map_err(|e| {
        let span = span_at(text, e.line(), e.column());
        let detail = e.to_string();
        let detail = detail.split(" at line ").next().unwrap_or(&detail);
        let detail = match detail {
            "EOF while parsing an object" => "the text ends before this object is closed with `}`",
            "EOF while parsing a list" => "the text ends before this list is closed with `]`",
            "EOF while parsing a string" => "the text ends inside a string",
            "EOF while parsing a value" => "the text ends where a value should be",
            other => other,
        }
        .to_string();
        let mut d = Diagnostic::error(Code::InvalidJson, format!("`{name}` is not valid JSON"))
            .primary(span, detail.clone());
        if detail.contains("recursion limit") {
            d = d.help(format!(
                "documents may nest at most {MAX_DEPTH} levels deep (--max-depth)"
            ));
        }
        d
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_like_serde_json_but_refuses_duplicate_keys() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "s"], "b": {"c": 18446744073709551615}}"#;
        assert_eq!(
            parse(text).unwrap(),
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
        let e = parse("{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
        assert!(e.to_string().contains("`a` is given twice"), "{e}");
        assert_eq!(e.line(), 3);
        assert!(parse("[1] 2").is_err());
        assert!(parse(&format!("{}{}", "[".repeat(200), "]".repeat(200))).is_err());
    }
}
