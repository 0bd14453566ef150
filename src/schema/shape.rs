//! One resource type's schema as compact JSON (see `scripts/gen-cfn-schema.py` for the
//! encoding), and the steps a property path takes through it.

use serde_json::Value as Json;

/// A parsed type: its top-level properties and its named definitions.
pub struct TypeSchema {
    pub name: &'static str,
    root: Json,
    defs: Json,
}

/// Where a key read leads.
pub enum Step<'s> {
    /// A property the schema describes.
    Found(&'s Json),
    /// The schema does not know the shape below here: anything may be read.
    Open,
    /// The object has no such property; these are the ones it has.
    Missing(Vec<&'s str>),
    /// The value is a list or a scalar, which has no properties at all.
    NotObject(Kind),
}

/// What a schema node holds, as far as comparisons care.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    String(Vec<String>),
    Integer,
    Number,
    Boolean,
    Object,
    List,
    /// Several kinds, or unknown.
    Any,
}

impl Kind {
    pub fn word(&self) -> &'static str {
        match self {
            Kind::String(_) => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Object => "an object",
            Kind::List => "a list",
            Kind::Any => "a value",
        }
    }
}

/// How many `#Definition` references are followed before giving up (definitions may refer
/// to each other; the generator never writes a cycle of bare references, this is a guard).
const MAX_REFS: usize = 64;

impl TypeSchema {
    /// Parse a type's line after its name: `PROPERTIES <TAB> DEFINITIONS`.
    pub fn parse(name: &'static str, rest: &str) -> Option<TypeSchema> {
        let (root, defs) = rest.split_once('\t')?;
        Some(TypeSchema {
            name,
            root: serde_json::from_str(root).ok()?,
            defs: serde_json::from_str(defs).ok()?,
        })
    }

    /// The node of the resource's properties.
    pub fn root(&self) -> &Json {
        &self.root
    }

    fn resolve<'s>(&'s self, mut node: &'s Json) -> &'s Json {
        for _ in 0..MAX_REFS {
            match node.as_str().and_then(|s| s.strip_prefix('#')) {
                Some(name) => match self.defs.get(name) {
                    Some(next) => node = next,
                    None => return &ANY,
                },
                None => return node,
            }
        }
        &ANY
    }

    /// Read `key` from a node.
    pub fn key<'s>(&'s self, node: &'s Json, key: &str) -> Step<'s> {
        let node = self.resolve(node);
        match node {
            Json::Object(m) if m.contains_key("=") => Step::NotObject(self.kind(node)),
            Json::Object(m) => match m.get(key).filter(|_| key != "*" && key != "=") {
                Some(child) => Step::Found(child),
                None => match m.get("*") {
                    Some(child) => Step::Found(child),
                    None => Step::Missing(m.keys().map(String::as_str).collect()),
                },
            },
            Json::Array(_) => Step::NotObject(Kind::List),
            _ => match self.kind(node) {
                k @ (Kind::String(_) | Kind::Integer | Kind::Number | Kind::Boolean) => {
                    Step::NotObject(k)
                }
                _ => Step::Open,
            },
        }
    }

    /// The element of a list node; a node that is not a list is its own one element (as `in`
    /// and the quantifiers treat a single value).
    pub fn element<'s>(&'s self, node: &'s Json) -> &'s Json {
        match self.resolve(node) {
            Json::Array(items) => items.first().unwrap_or(&ANY),
            other => other,
        }
    }

    /// The values of an object node (`.*`): known only for maps.
    pub fn values<'s>(&'s self, node: &'s Json) -> Option<&'s Json> {
        match self.resolve(node) {
            Json::Object(m) if !m.contains_key("=") => m.get("*"),
            _ => None,
        }
    }

    /// What kind of value a node holds.
    pub fn kind(&self, node: &Json) -> Kind {
        match self.resolve(node) {
            Json::Array(_) => Kind::List,
            Json::Object(m) => match m.get("=") {
                Some(Json::Array(values)) if values.iter().all(Json::is_string) => Kind::String(
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                ),
                Some(_) => Kind::Any,
                None => Kind::Object,
            },
            Json::String(s) => match s.as_str() {
                "s" => Kind::String(Vec::new()),
                "i" => Kind::Integer,
                "n" => Kind::Number,
                "b" => Kind::Boolean,
                "o" => Kind::Object,
                _ => Kind::Any,
            },
            _ => Kind::Any,
        }
    }
}

static ANY: Json = Json::String(String::new());
