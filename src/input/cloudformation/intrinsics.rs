//! CloudFormation intrinsic functions resolved where it is sound: parameters with defaults,
//! pseudo parameters the user gives, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
//! `Fn::FindInMap`, and `Fn::If` on conditions that can be decided. Everything else that only
//! deployment knows becomes an unknown value carrying its reason.

use super::sub;
use crate::model::{
    unknown, unknown_atom, unknown_from_ssm, unknown_parts, unknown_parts_value, unknown_reason,
    Part,
};
use foldhash::HashMap;
use serde_json::{Map, Value as Json};
use std::cell::RefCell;

/// Values of pseudo parameters known to the user (`--region`, `--account-id`, `--partition`).
#[derive(Clone, Debug, Default)]
pub struct Pseudo {
    pub region: Option<String>,
    pub account: Option<String>,
    pub partition: Option<String>,
}

/// What a template declares that intrinsics read.
pub struct Resolver<'t> {
    defaults: HashMap<&'t str, Json>,
    mappings: Option<&'t Map<String, Json>>,
    conditions: Option<&'t Map<String, Json>>,
    decided: RefCell<HashMap<String, Option<bool>>>,
    pseudo: &'t Pseudo,
    /// Conditions taken as given (one choice of undecided conditions, for variants).
    forced: HashMap<String, bool>,
    /// The conditions of `Fn::If`s left undecided since the last `resolve_noting_conditions`.
    noted: RefCell<Vec<String>>,
    /// How deep condition references are being followed now, and whether a chain was cut.
    depth: std::cell::Cell<usize>,
    pub(crate) cut: std::cell::Cell<bool>,
}

/// How many conditions deep a condition may refer (`{"Condition": "Other"}`) before it is
/// taken as undecided; template authors nest a handful, and the walk must not exhaust the
/// stack on a hostile chain.
pub const MAX_CONDITION_DEPTH: usize = 64;

impl<'t> Resolver<'t> {
    pub fn new(template: &'t Map<String, Json>, pseudo: &'t Pseudo) -> Resolver<'t> {
        Resolver {
            defaults: parameter_defaults(template),
            mappings: template.get("Mappings").and_then(Json::as_object),
            conditions: template.get("Conditions").and_then(Json::as_object),
            decided: RefCell::new(HashMap::default()),
            pseudo,
            forced: HashMap::default(),
            noted: RefCell::new(Vec::new()),
            depth: std::cell::Cell::new(0),
            cut: std::cell::Cell::new(false),
        }
    }

    /// Resolve `v` in place, and return the conditions of the `Fn::If`s it left undecided.
    pub fn resolve_noting_conditions(&self, v: &mut Json) -> Vec<String> {
        self.noted.borrow_mut().clear();
        self.resolve(v);
        std::mem::take(&mut *self.noted.borrow_mut())
    }

    /// `original` resolved once for each choice of the `conditions` (true and false each);
    /// a value that resolves to nothing (`AWS::NoValue`) is an empty object. Conditions that
    /// only a choice brings into play (an `Fn::If` inside a branch) are added, up to `max`.
    pub fn variants(&self, original: &Json, conditions: &[String], max: usize) -> Vec<Json> {
        let mut conditions = conditions.to_vec();
        loop {
            let (variants, more) = self.variants_once(original, &conditions);
            if more.is_empty() || conditions.len() + more.len() > max {
                return variants;
            }
            conditions.extend(more);
        }
    }

    /// The variants for one set of conditions, and the undecided conditions they still hold.
    fn variants_once(&self, original: &Json, conditions: &[String]) -> (Vec<Json>, Vec<String>) {
        let mut more: Vec<String> = Vec::new();
        let variants = (0..1u32 << conditions.len())
            .map(|choice| {
                let forced = conditions
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.clone(), choice & (1 << i) != 0))
                    .collect();
                let r = Resolver {
                    defaults: self.defaults.clone(),
                    mappings: self.mappings,
                    conditions: self.conditions,
                    decided: RefCell::new(HashMap::default()),
                    pseudo: self.pseudo,
                    forced,
                    noted: RefCell::new(Vec::new()),
                    depth: std::cell::Cell::new(0),
                    cut: std::cell::Cell::new(false),
                };
                let mut v = original.clone();
                let kept = r.resolve(&mut v);
                for c in r.noted.into_inner() {
                    if !conditions.contains(&c) && !more.contains(&c) {
                        more.push(c);
                    }
                }
                if !kept || !v.is_object() {
                    v = Json::Object(Map::new());
                }
                v
            })
            .collect();
        (variants, more)
    }

    /// `Ref` to a name; `None` means `AWS::NoValue` (remove the property).
    fn reference(&self, name: &str) -> Option<Json> {
        let known = |v: &Option<String>| v.clone().map(Json::String);
        Some(match name {
            "AWS::NoValue" => return None,
            "AWS::Partition" => Json::String(
                self.pseudo
                    .partition
                    .clone()
                    .unwrap_or_else(|| "aws".to_string()),
            ),
            "AWS::URLSuffix" => Json::String("amazonaws.com".into()),
            "AWS::Region" => {
                known(&self.pseudo.region).unwrap_or_else(|| unknown_atom("Ref AWS::Region"))
            }
            "AWS::AccountId" => {
                known(&self.pseudo.account).unwrap_or_else(|| unknown_atom("Ref AWS::AccountId"))
            }
            _ => match self.defaults.get(name) {
                Some(v) => v.clone(),
                None => unknown_atom(format!("Ref {name}")),
            },
        })
    }

    /// Resolve intrinsics in place; `false` when the value is to be removed (AWS::NoValue).
    pub fn resolve(&self, v: &mut Json) -> bool {
        let intrinsic = match v {
            Json::Object(m) if m.len() == 1 => m
                .keys()
                .next()
                .is_some_and(|k| k == "Ref" || k.starts_with("Fn::") || k == "Condition"),
            _ => false,
        };
        if intrinsic {
            let Json::Object(m) = std::mem::take(v) else {
                return true;
            };
            let (key, arg) = m.into_iter().next().expect("one entry");
            match self.function(&key, arg) {
                Some(x) => *v = x,
                None => return false,
            }
            return true;
        }
        // In place, in order: what resolves to AWS::NoValue goes.
        match v {
            Json::Object(m) => m.retain(|_, child| self.resolve(child)),
            Json::Array(items) => items.retain_mut(|item| self.resolve(item)),
            _ => {}
        }
        true
    }

    /// Resolve an argument, then return it (an unknown when it resolved to nothing).
    fn arg(&self, mut a: Json) -> Json {
        if self.resolve(&mut a) {
            a
        } else {
            unknown("AWS::NoValue in an argument")
        }
    }

    /// The value of one intrinsic function; `None` removes the property.
    fn function(&self, key: &str, arg: Json) -> Option<Json> {
        let out = match (key, arg) {
            ("Ref", Json::String(name)) => return self.reference(&name),
            ("Fn::Sub", Json::String(s)) => self.sub(&s, &Map::new()),
            ("Fn::Sub", Json::Array(mut a)) if a.len() == 2 => {
                let vars = self.arg(a.pop().expect("two"));
                let text = a.pop().expect("two");
                match (text, vars) {
                    (Json::String(s), Json::Object(vars)) => self.sub(&s, &vars),
                    _ => unknown("Fn::Sub"),
                }
            }
            ("Fn::Join", Json::Array(mut a)) if a.len() == 2 => {
                let list = self.arg(a.pop().expect("two"));
                let sep = self.arg(a.pop().expect("two"));
                match (sep, list) {
                    (Json::String(sep), Json::Array(items)) => join(&sep, &items),
                    (sep, list) => {
                        first_unknown(&[&sep, &list]).unwrap_or_else(|| unknown("Fn::Join"))
                    }
                }
            }
            ("Fn::Select", Json::Array(mut a)) if a.len() == 2 => {
                let list = self.arg(a.pop().expect("two"));
                let index = self.arg(a.pop().expect("two"));
                let i = index
                    .as_u64()
                    .or_else(|| index.as_str().and_then(|s| s.parse().ok()));
                match (i, list) {
                    (Some(i), Json::Array(items)) => items
                        .into_iter()
                        .nth(i as usize)
                        .unwrap_or_else(|| unknown("Fn::Select out of range")),
                    // One element of a list only deployment knows, named by its place: the same
                    // pick of the same list is the same value (`!Select [0, !GetAZs ""]` twice).
                    (i, list) => match (i, atom_of(&list)) {
                        (Some(i), Some(of)) => unknown_atom(format!("Fn::Select {i} of {of}")),
                        _ => {
                            first_unknown(&[&index, &list]).unwrap_or_else(|| unknown("Fn::Select"))
                        }
                    },
                }
            }
            ("Fn::Split", Json::Array(mut a)) if a.len() == 2 => {
                let text = self.arg(a.pop().expect("two"));
                let sep = self.arg(a.pop().expect("two"));
                match (sep.as_str(), text.as_str()) {
                    (Some(sep), Some(text)) if !sep.is_empty() => Json::Array(
                        text.split(sep)
                            .map(|p| Json::String(p.to_string()))
                            .collect(),
                    ),
                    _ => first_unknown(&[&sep, &text]).unwrap_or_else(|| unknown("Fn::Split")),
                }
            }
            ("Fn::FindInMap", Json::Array(a)) if a.len() >= 3 => {
                let keys: Vec<Json> = a.into_iter().take(3).map(|k| self.arg(k)).collect();
                let names: Vec<Option<&str>> = keys.iter().map(Json::as_str).collect();
                match (self.mappings, names.as_slice()) {
                    (Some(maps), [Some(m), Some(top), Some(second)]) => {
                        match maps
                            .get(*m)
                            .and_then(|x| x.get(*top))
                            .and_then(|x| x.get(*second))
                        {
                            Some(v) => self.arg(v.clone()),
                            None => unknown(format!(
                                "Fn::FindInMap {m}.{top}.{second} is not in Mappings"
                            )),
                        }
                    }
                    _ => first_unknown(&keys.iter().collect::<Vec<_>>())
                        .unwrap_or_else(|| unknown("Fn::FindInMap")),
                }
            }
            ("Fn::If", Json::Array(mut a)) if a.len() == 3 => {
                let otherwise = a.pop().expect("three");
                let then = a.pop().expect("three");
                let cond = a.pop().expect("three");
                match cond.as_str().and_then(|c| self.condition(c)) {
                    Some(true) => return self.keep(then),
                    Some(false) => return self.keep(otherwise),
                    None => {
                        if let Some(c) = cond.as_str() {
                            let mut noted = self.noted.borrow_mut();
                            if !noted.iter().any(|n| n == c) {
                                noted.push(c.to_string());
                            }
                        }
                        unknown(format!(
                            "Fn::If on condition {}",
                            cond.as_str().unwrap_or("?")
                        ))
                    }
                }
            }
            ("Fn::GetAtt", Json::Array(a)) => {
                let parts: Vec<&str> = a.iter().filter_map(Json::as_str).collect();
                unknown_atom(format!("Fn::GetAtt {}", parts.join(".")))
            }
            ("Fn::GetAtt", Json::String(s)) => unknown_atom(format!("Fn::GetAtt {s}")),
            // The zones of a Region: unknown, but the same call is the same list.
            ("Fn::GetAZs", region) => {
                let region = self.arg(region);
                match region.as_str() {
                    Some(r) => unknown_atom(format!("Fn::GetAZs {r:?}")),
                    None => first_unknown(&[&region]).unwrap_or_else(|| unknown("Fn::GetAZs")),
                }
            }
            (other, _) => unknown(other.to_string()),
        };
        Some(out)
    }

    /// A branch of `Fn::If`, resolved; `None` when it is `AWS::NoValue`.
    fn keep(&self, mut v: Json) -> Option<Json> {
        self.resolve(&mut v).then_some(v)
    }

    fn sub(&self, text: &str, vars: &Map<String, Json>) -> Json {
        let mut pieces = Vec::new();
        for part in sub::parts(text) {
            match part {
                sub::Part::Text(t) => pieces.push(Json::String(t.to_string())),
                sub::Part::Var(name) => pieces.push(match vars.get(name) {
                    Some(v) => self.arg(v.clone()),
                    None if name.contains('.') && !name.starts_with("AWS::") => {
                        unknown_atom(format!("Fn::GetAtt {name}"))
                    }
                    None => self
                        .reference(name)
                        .unwrap_or_else(|| unknown("AWS::NoValue in Fn::Sub")),
                }),
            }
        }
        concat(&pieces).unwrap_or_else(|| unknown("Fn::Sub of a value that is not text"))
    }

    /// Whether a named condition holds; `None` when it cannot be decided before deployment.
    pub fn condition(&self, name: &str) -> Option<bool> {
        if let Some(&f) = self.forced.get(name) {
            return Some(f);
        }
        if let Some(&d) = self.decided.borrow().get(name) {
            return d;
        }
        if self.depth.get() >= MAX_CONDITION_DEPTH {
            // Not cached: from a shallower start the same condition may be decided.
            self.cut.set(true);
            return None;
        }
        // Mark as undecidable while evaluating, so that a cycle ends.
        self.decided.borrow_mut().insert(name.to_string(), None);
        let def = self.conditions.and_then(|c| c.get(name)).cloned();
        self.depth.set(self.depth.get() + 1);
        let value = def.and_then(|d| self.decide(d));
        self.depth.set(self.depth.get() - 1);
        self.decided.borrow_mut().insert(name.to_string(), value);
        value
    }

    fn decide(&self, v: Json) -> Option<bool> {
        let Json::Object(m) = v else {
            return v.as_bool();
        };
        let (key, arg) = m.into_iter().next()?;
        match (key.as_str(), arg) {
            ("Condition", Json::String(name)) => self.condition(&name),
            ("Fn::Not", Json::Array(mut a)) if a.len() == 1 => self.decide(a.pop()?).map(|b| !b),
            ("Fn::And", Json::Array(a)) => all_of(a.into_iter().map(|x| self.decide(x)), true),
            ("Fn::Or", Json::Array(a)) => all_of(a.into_iter().map(|x| self.decide(x)), false),
            ("Fn::Equals", Json::Array(a)) if a.len() == 2 => {
                let vals: Vec<Json> = a.into_iter().map(|x| self.arg(x)).collect();
                let texts: Vec<Option<String>> = vals.iter().map(scalar_text).collect();
                match (&texts[0], &texts[1]) {
                    (Some(x), Some(y)) => Some(x == y),
                    _ if vals.iter().any(|v| unknown_reason(v).is_some()) => None,
                    _ => Some(vals[0] == vals[1]),
                }
            }
            _ => None,
        }
    }
}

/// Three-valued `and` (when `and` is true) or `or` over decisions.
fn all_of(items: impl Iterator<Item = Option<bool>>, and: bool) -> Option<bool> {
    let mut undecided = false;
    for d in items {
        match d {
            Some(b) if b != and => return Some(!and),
            None => undecided = true,
            Some(_) => {}
        }
    }
    if undecided {
        None
    } else {
        Some(and)
    }
}

/// A string, number or bool as the text CloudFormation would substitute.
fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The name of an unknown that is one opaque atom (`Fn::GetAZs ""`).
fn atom_of(v: &Json) -> Option<String> {
    match unknown_parts(v)?.as_slice() {
        [Part::Atom(a)] => Some(a.clone()),
        _ => None,
    }
}

fn first_unknown(vals: &[&Json]) -> Option<Json> {
    vals.iter()
        .find(|v| unknown_reason(v).is_some())
        .map(|v| (*v).clone())
}

fn join(sep: &str, items: &[Json]) -> Json {
    let mut pieces = Vec::with_capacity(items.len() * 2);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            pieces.push(Json::String(sep.to_string()));
        }
        pieces.push(item.clone());
    }
    concat(&pieces).unwrap_or_else(|| unknown("Fn::Join of a non-string"))
}

/// The text of pieces put end to end: a string when every piece is known; an unknown that
/// keeps its parts when the unknown pieces have parts (so `!Sub "${App}-logs"` equals
/// `!Join ["", [!Ref App, "-logs"]]`); otherwise the first unknown piece. `None` when a
/// piece is neither text nor unknown.
fn concat(pieces: &[Json]) -> Option<Json> {
    let mut parts: Vec<Part> = Vec::new();
    let mut opaque: Option<&Json> = None;
    let mut reason: Option<&str> = None;
    for piece in pieces {
        if let Some(text) = scalar_text(piece) {
            parts.push(Part::Lit(text));
            continue;
        }
        let why = unknown_reason(piece)?;
        reason = reason.or(Some(why));
        match unknown_parts(piece) {
            Some(p) => parts.extend(p),
            None => opaque = opaque.or(Some(piece)),
        }
    }
    let Some(reason) = reason else {
        let text: String = parts
            .into_iter()
            .map(|p| match p {
                Part::Lit(s) | Part::Atom(s) => s,
            })
            .collect();
        return Some(Json::String(text));
    };
    Some(match opaque {
        Some(first) => first.clone(),
        None => unknown_parts_value(reason, &merge_literals(parts)),
    })
}

/// Adjacent literals joined, empty ones dropped.
fn merge_literals(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        match (out.last_mut(), p) {
            (_, Part::Lit(s)) if s.is_empty() => {}
            (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
            (_, p) => out.push(p),
        }
    }
    out
}

/// Parameter defaults as values; list types split on commas; SSM parameter types unknown.
fn parameter_defaults(template: &Map<String, Json>) -> HashMap<&str, Json> {
    let mut defaults = HashMap::default();
    let Some(Json::Object(params)) = template.get("Parameters") else {
        return defaults;
    };
    for (name, p) in params {
        let Some(default) = p.get("Default") else {
            continue;
        };
        let ty = p.get("Type").and_then(Json::as_str).unwrap_or("");
        let value = if ty.starts_with("AWS::SSM::Parameter::Value") {
            // The default names a parameter in Systems Manager; its value is read at deployment.
            let ssm = default.as_str().unwrap_or("");
            unknown_from_ssm(format!("Ref {name} (SSM parameter {ssm})"), ssm)
        } else {
            match default {
                Json::String(s) if ty.starts_with("List<") || ty == "CommaDelimitedList" => {
                    Json::Array(
                        s.split(',')
                            .map(|x| Json::String(x.trim().to_string()))
                            .collect(),
                    )
                }
                other => other.clone(),
            }
        };
        defaults.insert(name.as_str(), value);
    }
    defaults
}
