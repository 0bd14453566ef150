//! The resource model every loader produces: documents holding typed resources.

use serde_json::Value as Json;

/// The kinds of input a block can select.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    CloudFormation,
    Terraform,
    Config,
    Json,
}

pub const INPUT_KINDS: [InputKind; 4] = [
    InputKind::CloudFormation,
    InputKind::Terraform,
    InputKind::Config,
    InputKind::Json,
];

impl InputKind {
    pub fn id(self) -> &'static str {
        match self {
            InputKind::CloudFormation => "cloudformation",
            InputKind::Terraform => "terraform",
            InputKind::Config => "config",
            InputKind::Json => "json",
        }
    }

    pub fn parse(text: &str) -> Option<InputKind> {
        INPUT_KINDS.into_iter().find(|k| k.id() == text)
    }
}

/// The key of the object loaders put where a value cannot be known before deployment.
/// Its value is a short reason, such as `Ref DBPassword`.
pub const UNKNOWN_KEY: &str = "\u{0}buttress:unknown";

/// Beside [`UNKNOWN_KEY`], what the value is made of when that is known: literal text and
/// opaque atoms (`Ref AppName`), so that two values built alike compare equal before
/// deployment. Literals are JSON strings, atoms one-element arrays.
pub const PARTS_KEY: &str = "\u{0}buttress:parts";

/// Beside [`UNKNOWN_KEY`], the name of the Systems Manager parameter the value is read from at
/// deployment (a template parameter of an `AWS::SSM::Parameter::Value<…>` type): the name often
/// says what the value is (`/aws/service/ami-windows-latest/…`), which `ssm_parameter` gives.
pub const SSM_KEY: &str = "\u{0}buttress:ssm";

/// What every internal key starts with. No key of an input can: readers escape such keys
/// ([`escape_key`]), and so does the compiler for the keys rules read, so an input that
/// writes an internal key gets plain data, never an unknown value.
pub const INTERNAL_PREFIX: &str = "\u{0}buttress:";

/// What an input's key that starts with [`INTERNAL_PREFIX`] is stored under.
const ESCAPED_PREFIX: &str = "\u{0}buttress:input:";

/// The key under which an input's (or a rule's) key is stored: itself, unless it starts with
/// the internal prefix, which is escaped. Cheap: one byte is compared for almost every key.
pub fn escape_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.as_bytes().first() == Some(&0) && key.starts_with(INTERNAL_PREFIX) {
        std::borrow::Cow::Owned(format!("{ESCAPED_PREFIX}{key}"))
    } else {
        std::borrow::Cow::Borrowed(key)
    }
}

/// [`escape_key`] for an owned key.
pub fn escape_owned_key(key: String) -> String {
    match escape_key(&key) {
        std::borrow::Cow::Owned(k) => k,
        std::borrow::Cow::Borrowed(_) => key,
    }
}

/// The key as the input wrote it.
pub fn unescape_key(key: &str) -> &str {
    key.strip_prefix(ESCAPED_PREFIX).unwrap_or(key)
}

/// An unknown value with the reason it cannot be known.
pub fn unknown(reason: impl Into<String>) -> Json {
    let mut m = serde_json::Map::new();
    m.insert(UNKNOWN_KEY.to_string(), Json::String(reason.into()));
    Json::Object(m)
}

/// A piece of a string value that is not known yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text known now.
    Lit(String),
    /// A value only deployment knows, named canonically (`Ref AppName`,
    /// `Fn::GetAtt Bucket.Arn`): the same atom is the same value within one document.
    Atom(String),
}

/// An unknown string made of `parts`.
pub fn unknown_parts_value(reason: impl Into<String>, parts: &[Part]) -> Json {
    let mut v = unknown(reason);
    let list = parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => Json::String(s.clone()),
            Part::Atom(a) => Json::Array(vec![Json::String(a.clone())]),
        })
        .collect();
    if let Json::Object(m) = &mut v {
        m.insert(PARTS_KEY.to_string(), Json::Array(list));
    }
    v
}

/// An unknown value that is one opaque atom (a `Ref` to a parameter without a default).
pub fn unknown_atom(reason: impl Into<String>) -> Json {
    let reason = reason.into();
    unknown_parts_value(reason.clone(), &[Part::Atom(reason)])
}

/// An unknown value read at deployment from the Systems Manager parameter `name`.
pub fn unknown_from_ssm(reason: impl Into<String>, name: &str) -> Json {
    let mut v = unknown(reason);
    if let Json::Object(m) = &mut v {
        m.insert(SSM_KEY.to_string(), Json::String(name.to_string()));
    }
    v
}

/// Objects of up to this many keys are scanned for a key rather than hashed.
const SCANNED: usize = 16;

/// The value at `key` of an object: small objects (most of a resource's, and a Config item's
/// dozen or so fields) are scanned, which is cheaper than hashing the key with SipHash;
/// larger ones are looked up.
pub fn member<'j>(m: &'j serde_json::Map<String, Json>, key: &str) -> Option<&'j Json> {
    if m.len() <= SCANNED {
        m.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        m.get(key)
    }
}

/// [`member`], mutable.
pub fn member_mut<'j>(m: &'j mut serde_json::Map<String, Json>, key: &str) -> Option<&'j mut Json> {
    if m.len() <= SCANNED {
        m.iter_mut().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        m.get_mut(key)
    }
}

/// Whether an object has `key`, as [`member`] finds it.
pub fn has(m: &serde_json::Map<String, Json>, key: &str) -> bool {
    member(m, key).is_some()
}

/// The reason, when `v` is an unknown value: an object of the unknown key and, at most, the
/// parts and the Systems Manager parameter beside it.
pub fn unknown_reason(v: &Json) -> Option<&str> {
    match v {
        Json::Object(m)
            if m.len() <= 3
                && m.keys()
                    .all(|k| k == UNKNOWN_KEY || k == PARTS_KEY || k == SSM_KEY) =>
        {
            member(m, UNKNOWN_KEY).map(|r| r.as_str().unwrap_or(""))
        }
        _ => None,
    }
}

/// The Systems Manager parameter an unknown value is read from, when the loader knew it.
pub fn unknown_ssm_parameter(v: &Json) -> Option<&str> {
    unknown_reason(v)?;
    v.get(SSM_KEY)?.as_str()
}

/// The parts of an unknown string, when the loader knew them.
pub fn unknown_parts(v: &Json) -> Option<Vec<Part>> {
    unknown_reason(v)?;
    v.get(PARTS_KEY)?
        .as_array()?
        .iter()
        .map(|p| match p {
            Json::String(s) => Some(Part::Lit(s.clone())),
            Json::Array(a) => a.first()?.as_str().map(|s| Part::Atom(s.to_string())),
            _ => None,
        })
        .collect()
}

/// How positions are found in a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Json,
    Yaml,
}

/// One resource: a typed thing with properties and the resources it refers to.
#[derive(Debug)]
pub struct Resource {
    pub type_name: String,
    /// Logical id, address or resource id.
    pub name: String,
    /// What rules read through the binding (`b.BucketName`).
    pub properties: Json,
    /// The rest of the declaration (for CloudFormation: Type, DeletionPolicy, Metadata, …).
    pub entry: Json,
    /// JSON pointer of `properties` in the document.
    pub pointer: String,
    /// JSON pointer of the declaration.
    pub entry_pointer: String,
    /// The references this resource makes, in target order.
    pub refs: Vec<Edge>,
    /// The properties under each choice of the `Fn::If` conditions they leave undecided
    /// (at most [`MAX_VARIANT_CONDITIONS`] conditions); empty when there are none.
    pub variants: Vec<Json>,
}

/// Conditions enumerated per resource to decide an undecided `Fn::If` branch by branch.
pub const MAX_VARIANT_CONDITIONS: usize = 3;

/// One reference from a resource to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Index of the resource referred to.
    pub to: u32,
    /// The property path it is made at, keys only, dot-separated (`Bucket`,
    /// `LoggingConfig.DestinationBucketName`, Terraform's `bucket`); `None` for references
    /// that belong to no property (`DependsOn`, AWS Config relationships).
    pub at: Option<String>,
}

impl Edge {
    /// Whether the reference is made at `path` or below it.
    pub fn made_at(&self, path: &str) -> bool {
        self.at.as_deref().is_some_and(|at| {
            at == path || (at.starts_with(path) && at.as_bytes().get(path.len()) == Some(&b'.'))
        })
    }
}

impl Resource {
    /// The resources referred to, without the property paths.
    pub fn targets(&self) -> Vec<u32> {
        let mut t: Vec<u32> = self.refs.iter().map(|e| e.to).collect();
        t.dedup();
        t
    }
}

/// Edges to `targets` made at `at`, sorted by target and deduplicated.
pub fn edges(mut list: Vec<Edge>) -> Vec<Edge> {
    list.sort_by(|a, b| (a.to, &a.at).cmp(&(b.to, &b.at)));
    list.dedup();
    list
}

/// One input document (a file, or one line of a stream).
#[derive(Debug)]
pub struct Document {
    pub name: String,
    pub kind: InputKind,
    pub format: TextFormat,
    pub text: String,
    pub resources: Vec<Resource>,
    /// Byte offsets of values by JSON pointer, for formats whose text is not JSON (YAML).
    /// For JSON text it is empty: positions are found by scanning the text when needed.
    pub positions: Positions,
    /// For each resource, the references to it: (referring resource, index of the edge in its
    /// `refs`). The reverse of `Resource::refs`.
    pub referrers: Vec<Vec<(u32, u32)>>,
    /// What the document holds besides its resources (for CloudFormation the template without
    /// `Resources`: Parameters, Conditions, Outputs, …); what a `document` block binds.
    pub root: Json,
}

/// The reverse edges of `refs`, in resource order.
pub fn referrers(resources: &[Resource]) -> Vec<Vec<(u32, u32)>> {
    let mut out = vec![Vec::new(); resources.len()];
    for (i, r) in resources.iter().enumerate() {
        for (e, edge) in r.refs.iter().enumerate() {
            if let Some(list) = out.get_mut(edge.to as usize) {
                list.push((i as u32, e as u32));
            }
        }
    }
    out
}

/// Byte offset of every node of a document, by JSON pointer (`/Resources/Db/Properties`).
pub type Positions = foldhash::HashMap<String, usize>;

/// What a format loader (Terraform, AWS Config) makes of one parsed document.
#[derive(Debug, Default)]
pub struct LoadedResources {
    pub kind: Option<InputKind>,
    pub resources: Vec<Resource>,
    /// What the document holds besides its resources (see [`Document::root`]).
    pub root: Json,
    /// Warnings, each with the JSON pointer of what it is about (labels are added later).
    pub warnings: Vec<(crate::diagnostics::Diagnostic, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_found_in_small_and_large_objects_alike() {
        for n in [0, 1, 8, 9, 16, 17, 40] {
            let mut m = serde_json::Map::new();
            for i in 0..n {
                m.insert(format!("k{i}"), Json::from(i));
            }
            for i in 0..n + 2 {
                let key = format!("k{i}");
                assert_eq!(member(&m, &key), m.get(&key), "{key} of {n}");
            }
            assert_eq!(member(&m, ""), None);
        }
    }
}
