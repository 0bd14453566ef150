//! YAML tags and scalars: which CloudFormation function a short-form tag stands for, and
//! what a plain or tagged scalar's value is under the YAML 1.2 core schema.

use saphyr_parser::{ScalarStyle, Tag};
use serde_json::{Map, Number, Value as Json};
use std::borrow::Cow;

/// What a tag makes of the node it is on.
pub(super) enum TagKind {
    None,
    /// `!`: the non-specific tag; a scalar stays a string.
    NonSpecific,
    /// A YAML core tag (`!!str`, `!!int`, …).
    Core(Core),
    /// Wrap the value in an object with this one key (`!Sub x` → `{"Fn::Sub": x}`).
    Wrap(Cow<'static, str>),
    /// `!GetAtt a.b` → `{"Fn::GetAtt": ["a", "b"]}`; on a list, like `Wrap`.
    GetAtt,
}

#[derive(Clone, Copy)]
pub(super) enum Core {
    Str,
    Int,
    Float,
    Bool,
    Null,
    /// `!!map`, `!!seq`, `!!binary`, `!!timestamp`, …: no conversion.
    Other,
}

pub(super) const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// CloudFormation's short-form function tags, by the name after `!`.
pub(super) fn cfn_key(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        // Rule-specific functions of the `Rules` section.
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        _ => return None,
    })
}

pub(super) fn classify(tag: Option<&Tag>) -> TagKind {
    let Some(tag) = tag else {
        return TagKind::None;
    };
    let core = if tag.handle == CORE_PREFIX {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        if tag.suffix == "!" {
            return TagKind::NonSpecific;
        }
        tag.suffix.strip_prefix(CORE_PREFIX)
    } else {
        None
    };
    if let Some(core) = core {
        return TagKind::Core(match core {
            "str" => Core::Str,
            "int" => Core::Int,
            "float" => Core::Float,
            "bool" => Core::Bool,
            "null" => Core::Null,
            _ => Core::Other,
        });
    }
    if tag.handle == "!" {
        if tag.suffix == "GetAtt" {
            return TagKind::GetAtt;
        }
        if let Some(key) = cfn_key(&tag.suffix) {
            return TagKind::Wrap(Cow::Borrowed(key));
        }
        return TagKind::Wrap(Cow::Owned(tag.suffix.clone()));
    }
    // A tag of another handle (`%TAG` directive, verbatim `!<…>`): keep it whole.
    TagKind::Wrap(Cow::Owned(format!("{}{}", tag.handle, tag.suffix)))
}

impl TagKind {
    /// The key of the object the value is wrapped in.
    pub(super) fn wrap_key(&self) -> Option<&str> {
        match self {
            TagKind::Wrap(k) => Some(k),
            TagKind::GetAtt => Some("Fn::GetAtt"),
            _ => None,
        }
    }

    pub(super) fn wrap(&self, value: Json) -> Json {
        match self.wrap_key() {
            Some(key) => {
                let mut m = Map::with_capacity(1);
                m.insert(key.to_string(), value);
                Json::Object(m)
            }
            None => value,
        }
    }
}

/// A scalar's value under its tag. The error is a label for the scalar.
pub(super) fn scalar_value(
    text: Cow<'_, str>,
    style: ScalarStyle,
    kind: &TagKind,
) -> Result<Json, String> {
    Ok(match kind {
        TagKind::None if style == ScalarStyle::Plain => {
            resolve_plain(&text).unwrap_or_else(|| Json::String(text.into_owned()))
        }
        TagKind::None | TagKind::NonSpecific => Json::String(text.into_owned()),
        TagKind::Core(core) => match core {
            Core::Str | Core::Other => Json::String(text.into_owned()),
            Core::Int => match int_value(text.trim()) {
                Some(v) => v,
                None => return Err(format!("`!!int` on `{text}`, which is not an integer")),
            },
            Core::Float => match resolve_plain(text.trim()) {
                Some(Json::Number(n)) => n
                    .as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Json::Number(n), Json::Number),
                _ if is_special_float(text.trim()) => Json::String(text.into_owned()),
                _ => return Err(format!("`!!float` on `{text}`, which is not a number")),
            },
            Core::Bool => match resolve_plain(text.trim()) {
                Some(v @ Json::Bool(_)) => v,
                _ => return Err(format!("`!!bool` on `{text}`, which is not true or false")),
            },
            Core::Null => match resolve_plain(text.trim()) {
                Some(Json::Null) => Json::Null,
                _ => return Err(format!("`!!null` on `{text}`, which is not null")),
            },
        },
        TagKind::GetAtt => {
            let parts = match text.split_once('.') {
                Some((resource, attribute)) => vec![
                    Json::String(resource.to_string()),
                    Json::String(attribute.to_string()),
                ],
                None => vec![Json::String(text.into_owned())],
            };
            kind.wrap(Json::Array(parts))
        }
        TagKind::Wrap(_) => kind.wrap(Json::String(text.into_owned())),
    })
}

/// A plain scalar under the YAML 1.2 core schema; `None` for a string.
///
/// One deviation: decimal integers with a leading zero (`0123`, account ids) stay strings, as
/// YAML 1.1 readers (and CloudFormation) keep them, rather than losing the zero.
pub(super) fn resolve_plain(s: &str) -> Option<Json> {
    let Some(&first) = s.as_bytes().first() else {
        return Some(Json::Null);
    };
    match first {
        b'~' | b'n' | b'N' => matches!(s, "~" | "null" | "Null" | "NULL").then_some(Json::Null),
        b't' | b'T' => matches!(s, "true" | "True" | "TRUE").then_some(Json::Bool(true)),
        b'f' | b'F' => matches!(s, "false" | "False" | "FALSE").then_some(Json::Bool(false)),
        b'0'..=b'9' | b'-' | b'+' | b'.' => int_value(s).or_else(|| float_value(s)),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; beyond 64 bits a float, else `None`.
pub(super) fn int_value(s: &str) -> Option<Json> {
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        if let Some(digits) = s.strip_prefix(prefix) {
            if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
                return None;
            }
            return u64::from_str_radix(digits, radix).ok().map(Json::from);
        }
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    if let Ok(i) = s.parse::<i64>() {
        return Some(Json::from(i));
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some(Json::from(u));
    }
    s.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Json::Number)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, when finite.
pub(super) fn float_value(s: &str) -> Option<Json> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - frac_start;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    let dotted = i > int_start + int_digits;
    let exponent = i < b.len() && (b[i] == b'e' || b[i] == b'E');
    if !dotted && !exponent {
        // Digits only: an integer, or text when it has a leading zero or no 64-bit form.
        return None;
    }
    if exponent {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Json::Number)
}

/// `.inf`, `-.Inf`, `.nan`, …: kept as strings, as JSON has no such numbers.
pub(super) fn is_special_float(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN")
}
