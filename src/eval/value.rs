//! Runtime values: borrowed document and program JSON, computed values, absence and unknowns.

use crate::input::model::unknown_reason;
use serde_json::Value as Json;
use std::cmp::Ordering;
use std::rc::Rc;

/// Where an absent value would have been.
#[derive(Clone, Copy, Debug)]
pub struct Absent<'a> {
    pub parent: &'a Json,
    pub key: &'a str,
}

/// A value during evaluation.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    /// No value: a key that is not there, an index past the end.
    Missing(Option<Absent<'a>>),
    /// A value that cannot be known before deployment; the node carries the reason.
    Unknown(Option<&'a Json>),
    /// A value in the document under evaluation.
    Doc(&'a Json),
    /// A constant of the program.
    Const(&'a Json),
    /// A JSON value computed at run time (`json_parse`, `arn_parse`, …).
    Owned(Rc<Json>),
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Val<'a>>>),
    Resource(u32),
}

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    pub fn from_bool(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }

    pub fn negate(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// A number, integer when it can be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    I(i64),
    F(f64),
}

impl Num {
    pub fn f(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }

    pub fn compare(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::I(a), Num::I(b)) => Some(a.cmp(&b)),
            (a, b) => a.f().partial_cmp(&b.f()),
        }
    }

    pub fn into_val<'a>(self) -> Val<'a> {
        match self {
            Num::I(i) => Val::Int(i),
            Num::F(f) => Val::Float(f),
        }
    }
}

fn json_num(n: &serde_json::Number) -> Num {
    n.as_i64()
        .map_or_else(|| Num::F(n.as_f64().unwrap_or(f64::NAN)), Num::I)
}

/// A number written in a string, as CloudFormation often does: `"7"`, `"0.5"`.
pub fn parse_num(s: &str) -> Option<Num> {
    let t = s.trim();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(Num::I(i));
    }
    let looks_numeric = t
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    t.parse::<f64>()
        .ok()
        .filter(|f| looks_numeric && f.is_finite())
        .map(Num::F)
}

impl<'a> Val<'a> {
    pub fn str(s: &str) -> Val<'a> {
        Val::Str(Rc::from(s))
    }

    /// The JSON behind a borrowed or owned value; `None` for the other variants.
    pub fn json(&self) -> Option<&Json> {
        match self {
            Val::Doc(j) | Val::Const(j) => Some(j),
            Val::Owned(j) => Some(j),
            _ => None,
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Val::Missing(_))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.json(), Some(Json::Null))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            other => other.json().and_then(Json::as_str),
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            other => match other.json()? {
                Json::Bool(b) => Some(*b),
                Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
                Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            },
        }
    }

    /// A number, or a string holding one.
    pub fn as_num(&self) -> Option<Num> {
        match self {
            Val::Int(i) => Some(Num::I(*i)),
            Val::Float(f) => Some(Num::F(*f)),
            Val::Str(s) => parse_num(s),
            other => match other.json()? {
                Json::Number(n) => Some(json_num(n)),
                Json::String(s) => parse_num(s),
                _ => None,
            },
        }
    }

    /// A number proper, not a numeric string.
    pub fn is_number(&self) -> bool {
        matches!(self, Val::Int(_) | Val::Float(_)) || matches!(self.json(), Some(Json::Number(_)))
    }

    pub fn is_string(&self) -> bool {
        self.as_str().is_some()
    }

    /// The elements of a list value, each wrapped as this value is; `None` when not a list.
    pub fn elements(&self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::List(items) => Some(items.as_ref().clone()),
            Val::Doc(Json::Array(items)) => Some(items.iter().map(wrap_doc).collect()),
            Val::Const(Json::Array(items)) => Some(items.iter().map(Val::Const).collect()),
            Val::Owned(j) => match j.as_ref() {
                Json::Array(items) => Some(items.iter().map(wrap_owned).collect()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The values of an object value; `None` when not an object.
    pub fn object_values(&self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::Doc(Json::Object(m)) => Some(m.values().map(wrap_doc).collect()),
            Val::Const(Json::Object(m)) => Some(m.values().map(Val::Const).collect()),
            Val::Owned(j) => match j.as_ref() {
                Json::Object(m) => Some(m.values().map(wrap_owned).collect()),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn object(&self) -> Option<&serde_json::Map<String, Json>> {
        self.json().and_then(Json::as_object)
    }

    /// A plain JSON copy (for folding constants and rendering); `None` for absent and unknown.
    pub fn to_json(&self, names: &dyn Fn(u32) -> String) -> Option<Json> {
        Some(match self {
            Val::Missing(_) | Val::Unknown(_) => return None,
            Val::Doc(j) | Val::Const(j) => (*j).clone(),
            Val::Owned(j) => j.as_ref().clone(),
            Val::Bool(b) => Json::Bool(*b),
            Val::Int(i) => Json::from(*i),
            Val::Float(f) => Json::from(*f),
            Val::Str(s) => Json::String(s.to_string()),
            Val::List(items) => Json::Array(
                items
                    .iter()
                    .map(|v| v.to_json(names))
                    .collect::<Option<_>>()?,
            ),
            Val::Resource(r) => Json::String(names(*r)),
        })
    }
}

/// A document node as a value: the unknown marker becomes [`Val::Unknown`].
pub fn wrap_doc(j: &Json) -> Val<'_> {
    if unknown_reason(j).is_some() {
        Val::Unknown(Some(j))
    } else {
        Val::Doc(j)
    }
}

/// A part of a computed value: an unknown marker inside it stays unknown.
pub fn wrap_owned<'a>(j: &Json) -> Val<'a> {
    if unknown_reason(j).is_some() {
        Val::Unknown(None)
    } else {
        Val::Owned(Rc::new(j.clone()))
    }
}

/// Loose equality: numbers written as strings equal numbers, `"true"` equals `true`.
pub fn equal(a: &Val<'_>, b: &Val<'_>) -> Truth {
    if a.is_unknown() || b.is_unknown() {
        return Truth::Unknown;
    }
    match (a.is_missing(), b.is_missing()) {
        (true, true) => return Truth::True,
        (true, false) | (false, true) => return Truth::False,
        _ => {}
    }
    if let (Val::Resource(x), Val::Resource(y)) = (a, b) {
        return Truth::from_bool(x == y);
    }
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        return Truth::from_bool(x == y);
    }
    if a.is_number() || b.is_number() {
        return match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Truth::from_bool(x.compare(y) == Some(Ordering::Equal)),
            _ => Truth::False,
        };
    }
    if matches!(a, Val::Bool(_))
        || matches!(b, Val::Bool(_))
        || matches!(a.json(), Some(Json::Bool(_)))
        || matches!(b.json(), Some(Json::Bool(_)))
    {
        return match (a.as_bool(), b.as_bool()) {
            (Some(x), Some(y)) => Truth::from_bool(x == y),
            _ => Truth::False,
        };
    }
    if a.is_null() || b.is_null() {
        return Truth::from_bool(a.is_null() && b.is_null());
    }
    if let (Some(xs), Some(ys)) = (a.elements(), b.elements()) {
        if xs.len() != ys.len() {
            return Truth::False;
        }
        return all(xs.iter().zip(&ys).map(|(x, y)| equal(x, y)));
    }
    if let (Some(x), Some(y)) = (a.object(), b.object()) {
        if x.len() != y.len() || !x.keys().all(|k| y.contains_key(k)) {
            return Truth::False;
        }
        return all(x.iter().map(|(k, v)| equal(&wrap_doc(v), &wrap_doc(&y[k]))));
    }
    Truth::False
}

fn all(truths: impl Iterator<Item = Truth>) -> Truth {
    let mut out = Truth::True;
    for t in truths {
        match t {
            Truth::False => return Truth::False,
            Truth::Unknown => out = Truth::Unknown,
            Truth::True => {}
        }
    }
    out
}

/// Ordering of numbers (numeric strings included) or of two strings; `None` otherwise.
pub fn order(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    if a.is_number() || b.is_number() {
        return a.as_num()?.compare(b.as_num()?);
    }
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        if let (Some(m), Some(n)) = (parse_num(x), parse_num(y)) {
            return m.compare(n);
        }
        return Some(x.cmp(y));
    }
    None
}

/// Text for a message: strings bare, other values as compact JSON.
pub fn display(v: &Val<'_>, names: &dyn Fn(u32) -> String) -> String {
    match v {
        Val::Missing(_) => "(absent)".to_string(),
        Val::Unknown(j) => match j.and_then(|j| unknown_reason(j)) {
            Some(r) if !r.is_empty() => format!("(unknown: {r})"),
            _ => "(unknown)".to_string(),
        },
        Val::Resource(r) => names(*r),
        other => match other.as_str() {
            Some(s) => s.to_string(),
            None => other
                .to_json(names)
                .map_or_else(String::new, |j| j.to_string()),
        },
    }
}
