//! The value semantics, in one place for the evaluator and the builtins: runtime values
//! (borrowed document and program JSON, computed values, absence, unknowns), equality,
//! ordering, `in`, type tests, arithmetic and display.

use crate::ir::{ArithOp, TypeTest};
use crate::model::{unknown_parts, unknown_reason, Part};
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
    /// A value that cannot be known before deployment, and why.
    Unknown(Why<'a>),
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

/// Why a value is unknown.
#[derive(Clone, Debug)]
pub enum Why<'a> {
    /// Computed from unknown values (the reason went with them).
    Unstated,
    /// A loader's unknown marker in the document: it carries the reason and maybe the parts.
    Node(&'a Json),
    /// Said by the evaluator or a builtin (unreadable policy text, exhausted budget).
    Said(Rc<str>),
    /// A loader's unknown marker inside a computed value (a copy of the document, such as
    /// the statements of a policy): its reason and parts go with it.
    Held(Rc<Json>),
}

impl<'a> Why<'a> {
    pub fn reason(&self) -> Option<&str> {
        match self {
            Why::Unstated => None,
            Why::Node(j) => unknown_reason(j).filter(|r| !r.is_empty()),
            Why::Held(j) => unknown_reason(j).filter(|r| !r.is_empty()),
            Why::Said(s) => Some(s),
        }
    }
}

impl<'a> Val<'a> {
    /// An unknown with a reason of the evaluator's.
    pub fn unknown_because(reason: impl Into<Rc<str>>) -> Val<'a> {
        Val::Unknown(Why::Said(reason.into()))
    }
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

    /// The value at `key` of an object value.
    pub fn field(&self, key: &str) -> Option<Val<'a>> {
        let key = &*crate::model::escape_key(key);
        match self {
            Val::Doc(j) => j.get(key).map(wrap_doc),
            Val::Const(j) => j.get(key).map(Val::Const),
            Val::Owned(j) => j.get(key).map(wrap_owned),
            _ => None,
        }
    }

    pub fn object(&self) -> Option<&serde_json::Map<String, Json>> {
        self.json().and_then(Json::as_object)
    }

    /// A plain JSON copy (for folding constants, object literals and rendering); `None` for
    /// an absent value. An unknown value becomes an unknown marker; absent elements of a
    /// list are left out, as a path's wildcard leaves them out.
    pub fn to_json(&self, names: &dyn Fn(u32) -> String) -> Option<Json> {
        Some(match self {
            Val::Missing(_) => return None,
            Val::Unknown(Why::Node(j)) => (*j).clone(),
            Val::Unknown(why) => crate::model::unknown(why.reason().unwrap_or("")),
            Val::Doc(j) | Val::Const(j) => (*j).clone(),
            Val::Owned(j) => j.as_ref().clone(),
            Val::Bool(b) => Json::Bool(*b),
            Val::Int(i) => Json::from(*i),
            Val::Float(f) => Json::from(*f),
            Val::Str(s) => Json::String(s.to_string()),
            Val::List(items) => {
                Json::Array(items.iter().filter_map(|v| v.to_json(names)).collect())
            }
            Val::Resource(r) => Json::String(names(*r)),
        })
    }
}

/// A document node as a value: the unknown marker becomes [`Val::Unknown`].
pub fn wrap_doc(j: &Json) -> Val<'_> {
    if unknown_reason(j).is_some() {
        Val::Unknown(Why::Node(j))
    } else {
        Val::Doc(j)
    }
}

/// A part of a computed value: an unknown marker inside it stays unknown.
pub fn wrap_owned<'a>(j: &Json) -> Val<'a> {
    match unknown_reason(j) {
        Some(_) => Val::Unknown(Why::Held(Rc::new(j.clone()))),
        None => Val::Owned(Rc::new(j.clone())),
    }
}

/// Whether a value is absent or null: the two read alike to a rule (an absent property and
/// one set to null both mean "not set").
pub fn is_unset(v: &Val<'_>) -> bool {
    v.is_missing() || v.is_null()
}

/// The text a string value is made of: literal parts and atoms not known yet. `None` for
/// values that are not strings, and for unknowns whose make-up the loader did not know.
fn parts_of(v: &Val<'_>) -> Option<Vec<Part>> {
    match v {
        Val::Unknown(Why::Node(j)) => unknown_parts(j),
        Val::Unknown(Why::Held(j)) => unknown_parts(j),
        Val::Unknown(_) => None,
        other => other.as_str().map(|s| vec![Part::Lit(s.to_string())]),
    }
}

/// Equality of two strings of which at least one is not fully known. Equal atoms are equal
/// values, so parts that agree are set aside from both ends; what remains decides: nothing
/// on either side is equality, literal text that differs is inequality, anything else is
/// unknown.
fn equal_parts(mut a: Vec<Part>, mut b: Vec<Part>) -> Truth {
    for from_end in [false, true] {
        if from_end {
            a.reverse();
            b.reverse();
        }
        loop {
            match (a.first_mut(), b.first_mut()) {
                (Some(Part::Atom(x)), Some(Part::Atom(y))) if x == y => {
                    a.remove(0);
                    b.remove(0);
                }
                (Some(Part::Lit(x)), Some(Part::Lit(y))) => {
                    let common = common_affix(x, y, from_end);
                    if common < x.len() && common < y.len() {
                        return Truth::False;
                    }
                    strip_affix(x, common, from_end);
                    strip_affix(y, common, from_end);
                    if x.is_empty() {
                        a.remove(0);
                    }
                    if y.is_empty() {
                        b.remove(0);
                    }
                }
                _ => break,
            }
        }
    }
    let has_text = |p: &[Part]| p.iter().any(|x| matches!(x, Part::Lit(s) if !s.is_empty()));
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Truth::True,
        (true, false) if has_text(&b) => Truth::False,
        (false, true) if has_text(&a) => Truth::False,
        _ => Truth::Unknown,
    }
}

/// The length in bytes of the common prefix (or suffix) of two strings, on char boundaries.
fn common_affix(x: &str, y: &str, suffix: bool) -> usize {
    if suffix {
        x.chars()
            .rev()
            .zip(y.chars().rev())
            .take_while(|(p, q)| p == q)
            .map(|(p, _)| p.len_utf8())
            .sum()
    } else {
        x.chars()
            .zip(y.chars())
            .take_while(|(p, q)| p == q)
            .map(|(p, _)| p.len_utf8())
            .sum()
    }
}

fn strip_affix(s: &mut String, n: usize, suffix: bool) {
    if suffix {
        s.truncate(s.len() - n);
    } else {
        s.drain(..n);
    }
}

/// Loose equality: numbers written as strings equal numbers, `"true"` equals `true`, absent
/// equals null. Values not known yet are equal when built alike (the same `Ref`, the same
/// `Fn::Sub` over the same parameters) and unequal when their known text differs.
pub fn equal(a: &Val<'_>, b: &Val<'_>) -> Truth {
    if a.is_unknown() || b.is_unknown() {
        if is_unset(a) || is_unset(b) {
            // An unknown value is a value: it is set.
            return Truth::False;
        }
        return match (parts_of(a), parts_of(b)) {
            (Some(x), Some(y)) => equal_parts(x, y),
            _ => Truth::Unknown,
        };
    }
    match (is_unset(a), is_unset(b)) {
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

/// Text for a message: strings bare, lists as `a, b, c` (`none` when empty), objects as
/// compact JSON with values not known yet written `(unknown: …)`.
pub fn display(v: &Val<'_>, names: &dyn Fn(u32) -> String) -> String {
    match v {
        Val::Missing(_) => "(absent)".to_string(),
        Val::Unknown(Why::Node(j)) if unknown_parts(j).is_some_and(|p| p.len() > 1) => {
            let text: String = unknown_parts(j)
                .unwrap_or_default()
                .into_iter()
                .map(|p| match p {
                    Part::Lit(s) => s,
                    Part::Atom(a) => format!("${{{a}}}"),
                })
                .collect();
            format!("(unknown: {text})")
        }
        Val::Unknown(why) => match why.reason() {
            Some(r) => format!("(unknown: {r})"),
            None => "(unknown)".to_string(),
        },
        Val::Resource(r) => names(*r),
        Val::List(items) if items.is_empty() => "none".to_string(),
        Val::List(items) => items
            .iter()
            .map(|i| display(i, names))
            .collect::<Vec<_>>()
            .join(", "),
        other => match (other.as_str(), other.json()) {
            (Some(s), _) => s.to_string(),
            (None, Some(Json::Array(items))) if items.is_empty() => "none".to_string(),
            (None, Some(Json::Array(items))) => items
                .iter()
                .map(|i| display(&wrap_doc(i), names))
                .collect::<Vec<_>>()
                .join(", "),
            (None, Some(j)) => plain_json(j, 0),
            (None, None) => other
                .to_json(names)
                .map_or_else(String::new, |j| plain_json(&j, 0)),
        },
    }
}

/// Compact JSON with unknown markers written as `"(unknown: reason)"`; cut off below 32
/// levels so that a deep value cannot make a long message.
fn plain_json(j: &Json, depth: usize) -> String {
    if let Some(r) = unknown_reason(j) {
        return if r.is_empty() {
            "\"(unknown)\"".to_string()
        } else {
            Json::String(format!("(unknown: {r})")).to_string()
        };
    }
    if depth >= 32 {
        return "…".to_string();
    }
    match j {
        Json::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| plain_json(i, depth + 1))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Json::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| {
                    let k = crate::model::unescape_key(k).to_string();
                    format!("{}:{}", Json::String(k), plain_json(v, depth + 1))
                })
                .collect::<Vec<_>>()
                .join(",")
        ),
        other => other.to_string(),
    }
}

/// `needle in haystack`: element of a list, key of an object, substring of a string.
pub fn contains(haystack: &Val<'_>, needle: &Val<'_>) -> Truth {
    if haystack.is_unknown() || needle.is_unknown() {
        return Truth::Unknown;
    }
    if let Some(items) = haystack.elements() {
        let mut out = Truth::False;
        for item in &items {
            match equal(item, needle) {
                Truth::True => return Truth::True,
                Truth::Unknown => out = Truth::Unknown,
                Truth::False => {}
            }
        }
        return out;
    }
    if let Some(m) = haystack.object() {
        return Truth::from_bool(needle.as_str().is_some_and(|k| m.contains_key(k)));
    }
    match (haystack.as_str(), needle.as_str()) {
        (Some(h), Some(n)) => Truth::from_bool(h.contains(n)),
        _ => Truth::False,
    }
}

/// `x is <type>`: never unknown for `is unknown`, unknown for the others on an unknown value.
pub fn type_test(x: &Val<'_>, ty: TypeTest) -> Truth {
    if ty == TypeTest::Unknown {
        return Truth::from_bool(x.is_unknown());
    }
    if ty == TypeTest::Null && x.is_unknown() {
        // An unknown value is set to something: not null, as for `exists` and `== null`.
        return Truth::False;
    }
    if x.is_unknown() {
        return Truth::Unknown;
    }
    Truth::from_bool(match ty {
        TypeTest::String => matches!(x, Val::Str(_)) || matches!(x.json(), Some(Json::String(_))),
        TypeTest::Number => x.is_number(),
        TypeTest::Int => {
            matches!(x, Val::Int(_)) || x.json().is_some_and(|j| j.is_i64() || j.is_u64())
        }
        TypeTest::Bool => matches!(x, Val::Bool(_)) || matches!(x.json(), Some(Json::Bool(_))),
        TypeTest::List => matches!(x, Val::List(_)) || matches!(x.json(), Some(Json::Array(_))),
        TypeTest::Object => matches!(x.json(), Some(Json::Object(_))),
        TypeTest::Null => x.is_null(),
        TypeTest::Resource => matches!(x, Val::Resource(_)),
        TypeTest::Unknown => false,
    })
}

/// `exists x`: set to something, null excepted (null means "not set" in plans and templates).
pub fn exists(x: &Val<'_>) -> bool {
    !is_unset(x)
}

/// `empty x`: absent, null, `""`, `[]` and `{}` are empty; unknown is unknown.
pub fn empty(x: &Val<'_>) -> Truth {
    if x.is_unknown() {
        return Truth::Unknown;
    }
    Truth::from_bool(match x {
        _ if is_unset(x) => true,
        Val::Str(s) => s.is_empty(),
        Val::List(l) => l.is_empty(),
        other => match other.json() {
            Some(Json::String(s)) => s.is_empty(),
            Some(Json::Array(a)) => a.is_empty(),
            Some(Json::Object(m)) => m.is_empty(),
            _ => false,
        },
    })
}

/// Arithmetic on numbers (numeric strings included), `+` on two strings and on two lists;
/// absent otherwise.
pub fn arith<'a>(op: ArithOp, x: &Val<'a>, y: &Val<'a>) -> Val<'a> {
    if x.is_unknown() || y.is_unknown() {
        return Val::Unknown(Why::Unstated);
    }
    if op == ArithOp::Add && !x.is_number() && !y.is_number() {
        if let (Some(a), Some(b)) = (x.as_str(), y.as_str()) {
            return Val::Str(Rc::from(format!("{a}{b}")));
        }
        if let (Some(mut a), Some(b)) = (x.elements(), y.elements()) {
            a.extend(b);
            return Val::List(Rc::new(a));
        }
    }
    let (Some(a), Some(b)) = (x.as_num(), y.as_num()) else {
        return Val::Missing(None);
    };
    let int = |r: Option<i64>, f: fn(f64, f64) -> f64| {
        r.map_or_else(|| Val::Float(f(a.f(), b.f())), Val::Int)
    };
    match (op, a, b) {
        (ArithOp::Add, Num::I(p), Num::I(q)) => int(p.checked_add(q), |p, q| p + q),
        (ArithOp::Sub, Num::I(p), Num::I(q)) => int(p.checked_sub(q), |p, q| p - q),
        (ArithOp::Mul, Num::I(p), Num::I(q)) => int(p.checked_mul(q), |p, q| p * q),
        (ArithOp::Div, _, _) if b.f() == 0.0 => Val::Missing(None),
        (ArithOp::Div, Num::I(p), Num::I(q)) if p.checked_rem(q) == Some(0) => {
            int(p.checked_div(q), |p, q| p / q)
        }
        (ArithOp::Add, ..) => Val::Float(a.f() + b.f()),
        (ArithOp::Sub, ..) => Val::Float(a.f() - b.f()),
        (ArithOp::Mul, ..) => Val::Float(a.f() * b.f()),
        (ArithOp::Div, ..) => Val::Float(a.f() / b.f()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::unknown_parts_value;

    fn lit(s: &str) -> Part {
        Part::Lit(s.to_string())
    }
    fn atom(s: &str) -> Part {
        Part::Atom(s.to_string())
    }

    #[test]
    fn values_built_alike_are_equal_before_deployment() {
        let a = [atom("Ref App"), lit("-logs")];
        assert_eq!(equal_parts(a.to_vec(), a.to_vec()), Truth::True);
        let other = [atom("Ref App"), lit("-data")];
        assert_eq!(equal_parts(a.to_vec(), other.to_vec()), Truth::False);
        assert_eq!(
            equal_parts(a.to_vec(), vec![lit("prod-logs")]),
            Truth::Unknown
        );
        assert_eq!(
            equal_parts(a.to_vec(), vec![lit("prod-data")]),
            Truth::False
        );
        assert_eq!(
            equal_parts(vec![atom("Ref A")], vec![atom("Ref B")]),
            Truth::Unknown
        );
        assert_eq!(
            equal_parts(
                vec![lit("x-"), atom("Ref A")],
                vec![lit("y-"), atom("Ref A")]
            ),
            Truth::False
        );
        assert_eq!(equal_parts(vec![atom("Ref A")], vec![]), Truth::Unknown);
        let m1 = unknown_parts_value("Ref App", &a);
        let m2 = unknown_parts_value("Fn::Sub", &a);
        assert_eq!(equal(&wrap_doc(&m1), &wrap_doc(&m2)), Truth::True);
        let opaque = crate::model::unknown("known after apply");
        assert_eq!(equal(&wrap_doc(&opaque), &wrap_doc(&m1)), Truth::Unknown);
        assert_eq!(equal(&wrap_doc(&opaque), &Val::Missing(None)), Truth::False);
    }

    #[test]
    fn absent_and_null_read_alike() {
        let null = Json::Null;
        assert_eq!(equal(&Val::Missing(None), &Val::Doc(&null)), Truth::True);
        assert!(!exists(&Val::Doc(&null)));
        assert_eq!(empty(&Val::Missing(None)), Truth::True);
        assert_eq!(empty(&Val::Int(0)), Truth::False);
    }

    #[test]
    fn lists_display_as_plain_text() {
        let names = |_| String::new();
        let l = Val::List(Rc::new(vec![Val::str("22"), Val::Int(3389)]));
        assert_eq!(display(&l, &names), "22, 3389");
        assert_eq!(display(&Val::List(Rc::new(Vec::new())), &names), "none");
        let marker = crate::model::unknown("Ref P");
        let obj = serde_json::json!({"a": marker});
        assert_eq!(
            display(&Val::Doc(&obj), &names),
            r#"{"a":"(unknown: Ref P)"}"#
        );
    }
}
