//! The resource model every loader produces: documents holding typed resources.

use crate::ir::InputKind;
use serde_json::Value as Json;

/// The key of the object loaders put where a value cannot be known before deployment.
/// Its value is a short reason, such as `Ref DBPassword`.
pub const UNKNOWN_KEY: &str = "\u{0}buttress:unknown";

/// An unknown value with the reason it cannot be known.
pub fn unknown(reason: impl Into<String>) -> Json {
    let mut m = serde_json::Map::new();
    m.insert(UNKNOWN_KEY.to_string(), Json::String(reason.into()));
    Json::Object(m)
}

/// The reason, when `v` is an unknown value.
pub fn unknown_reason(v: &Json) -> Option<&str> {
    match v {
        Json::Object(m) if m.len() == 1 => m.get(UNKNOWN_KEY).map(|r| r.as_str().unwrap_or("")),
        _ => None,
    }
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
    /// Indices of the resources this one refers to.
    pub refs: Vec<u32>,
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
    /// For each resource, the resources that refer to it (the reverse of `Resource::refs`).
    pub referrers: Vec<Vec<u32>>,
}

/// The reverse edges of `refs`, in resource order.
pub fn referrers(resources: &[Resource]) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); resources.len()];
    for (i, r) in resources.iter().enumerate() {
        for &t in &r.refs {
            if let Some(list) = out.get_mut(t as usize) {
                list.push(i as u32);
            }
        }
    }
    out
}

/// Byte offset of every node of a document, by JSON pointer (`/Resources/Db/Properties`).
pub type Positions = std::collections::HashMap<String, usize>;

/// What a format loader (Terraform, AWS Config) makes of one parsed document.
#[derive(Debug, Default)]
pub struct LoadedResources {
    pub kind: Option<InputKind>,
    pub resources: Vec<Resource>,
    /// Warnings, each with the JSON pointer of what it is about (labels are added later).
    pub warnings: Vec<(crate::diagnostics::Diagnostic, String)>,
}
