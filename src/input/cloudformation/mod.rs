//! CloudFormation templates (JSON or YAML) → resources: intrinsics resolved where it is
//! sound (see `intrinsics`), and references (Ref, Fn::GetAtt, Fn::Sub, DependsOn) recorded as
//! edges between resources.

mod intrinsics;
mod sub;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::InputKind;
use crate::model::{self, Edge, LoadedResources, Resource, MAX_VARIANT_CONDITIONS};
use foldhash::HashMap;
pub use intrinsics::Pseudo;
use intrinsics::{Resolver, MAX_CONDITION_DEPTH};
use serde_json::{Map, Value as Json};

/// Whether a JSON value looks like a CloudFormation template.
pub fn is_template(v: &Json) -> bool {
    let Some(m) = v.as_object() else { return false };
    if m.contains_key("AWSTemplateFormatVersion") {
        return true;
    }
    match m.get("Resources") {
        Some(Json::Object(r)) => !r.is_empty() && r.values().all(|e| e.get("Type").is_some()),
        _ => false,
    }
}

use super::locate::escape_key as escape;

/// The names a value refers to through Ref, Fn::GetAtt and Fn::Sub, each with the property
/// path it is written at (keys only: list indices and intrinsic function names are left out).
fn referenced_names(v: &Json, out: &mut Vec<(String, String)>) {
    // A path is a key under a parent path (`Paths`): written out only for a reference, so
    // that the keys of a template's every value are not each copied into a string.
    let mut paths = Paths::default();
    let mut stack: Vec<(&Json, Option<usize>)> = vec![(v, None)];
    while let Some((node, at)) = stack.pop() {
        match node {
            Json::Object(m) => {
                let mut refer = |name: &str| out.push((name.to_string(), paths.text(at)));
                if let Some(Json::String(s)) = m.get("Ref") {
                    refer(s);
                }
                match m.get("Fn::GetAtt") {
                    Some(Json::Array(a)) => a
                        .first()
                        .and_then(Json::as_str)
                        .into_iter()
                        .for_each(&mut refer),
                    Some(Json::String(s)) => s.split('.').next().into_iter().for_each(&mut refer),
                    _ => {}
                }
                let text = match m.get("Fn::Sub") {
                    Some(Json::String(s)) => Some(s.as_str()),
                    Some(Json::Array(a)) => a.first().and_then(Json::as_str),
                    _ => None,
                };
                for part in text.map(sub::parts).unwrap_or_default() {
                    if let sub::Part::Var(name) = part {
                        refer(name.split('.').next().unwrap_or(name));
                    }
                }
                for (k, child) in m {
                    let intrinsic = k == "Ref" || k == "Condition" || k.starts_with("Fn::");
                    let path = if intrinsic {
                        at
                    } else {
                        Some(paths.push(at, k))
                    };
                    stack.push((child, path));
                }
            }
            Json::Array(a) => stack.extend(a.iter().map(|c| (c, at))),
            _ => {}
        }
    }
}

/// Property paths as keys under parent paths, by index.
#[derive(Default)]
struct Paths<'v> {
    keys: Vec<(Option<usize>, &'v str)>,
}

impl<'v> Paths<'v> {
    fn push(&mut self, parent: Option<usize>, key: &'v str) -> usize {
        self.keys.push((parent, key));
        self.keys.len() - 1
    }

    /// The path as written in messages: keys joined with `.`, empty at the top.
    fn text(&self, mut at: Option<usize>) -> String {
        let mut keys = Vec::new();
        while let Some(i) = at {
            let (parent, key) = self.keys[i];
            keys.push(key);
            at = parent;
        }
        keys.reverse();
        keys.join(".")
    }
}

/// Whether `Fn::If` appears anywhere in `v`.
fn has_if(v: &Json) -> bool {
    let mut stack = vec![v];
    while let Some(node) = stack.pop() {
        match node {
            Json::Object(m) => {
                if m.contains_key("Fn::If") {
                    return true;
                }
                stack.extend(m.values());
            }
            Json::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    false
}

/// Load a parsed template. Warnings come with the JSON pointer of what they are about.
pub fn load(name: &str, mut value: Json, pseudo: &Pseudo) -> Result<LoadedResources, Diagnostic> {
    let Some(template) = value.as_object_mut() else {
        return Err(Diagnostic::error(
            Code::BadTemplateShape,
            format!("`{name}`: a template is an object"),
        ));
    };
    let mut entries = match template.remove("Resources") {
        Some(Json::Object(r)) => r,
        Some(other) => {
            let what = match other {
                Json::Array(_) => "a list",
                Json::Null => "null",
                _ => "not a map",
            };
            return Err(Diagnostic::error(
                Code::BadTemplateShape,
                format!("`{name}`: `Resources` is {what}; CloudFormation expects a map from logical ids to resources"),
            ));
        }
        None => Map::new(),
    };
    let template: &Map<String, Json> = template;
    let resolver = Resolver::new(template, pseudo);
    let mut out = LoadedResources {
        kind: Some(InputKind::CloudFormation),
        ..LoadedResources::default()
    };
    // Per resource: (name referred to, property path; `None` for DependsOn).
    let mut edges: Vec<Vec<(String, Option<String>)>> = Vec::new();
    for (logical, entry) in entries.iter_mut() {
        let pointer = ["/Resources/", &escape(logical)].concat();
        let Some(Json::String(type_name)) = entry.get("Type").cloned() else {
            let rain = entry
                .get("Type")
                .and_then(Json::as_object)
                .and_then(|t| t.keys().next())
                .filter(|k| k.starts_with("Rain::"));
            let (what, help) = match (rain, logical.starts_with("Fn::ForEach")) {
                (Some(tag), _) => (
                    format!("is a Rain module (`!{tag}`)"),
                    "package the template with `rain pkg` to check what the module expands to",
                ),
                (None, true) => (
                    "is an `Fn::ForEach` loop".to_string(),
                    "`Fn::ForEach` comes from the AWS::LanguageExtensions transform, which buttress does not expand",
                ),
                (None, false) => ("has no string `Type`".to_string(), "every resource needs a `Type` such as `AWS::S3::Bucket`"),
            };
            out.warnings.push((
                Diagnostic::warning(
                    Code::SkippedInput,
                    format!("`{name}`: resource `{logical}` {what}; it is not checked"),
                )
                .help(help),
                pointer,
            ));
            continue;
        };
        // A resource whose condition is decidably false is not created, so not checked.
        if let Some(cond) = entry.get("Condition").and_then(Json::as_str) {
            if resolver.condition(cond) == Some(false) {
                continue;
            }
        }
        let mut properties = match entry.as_object_mut().and_then(|e| e.remove("Properties")) {
            Some(p @ Json::Object(_)) => p,
            _ => Json::Object(Map::new()),
        };
        let mut found = Vec::new();
        referenced_names(&properties, &mut found);
        let mut refs: Vec<(String, Option<String>)> =
            found.into_iter().map(|(n, at)| (n, Some(at))).collect();
        match entry.get("DependsOn") {
            Some(Json::String(s)) => refs.push((s.clone(), None)),
            Some(Json::Array(a)) => refs.extend(
                a.iter()
                    .filter_map(Json::as_str)
                    .map(|s| (s.to_string(), None)),
            ),
            _ => {}
        }
        let original = has_if(&properties).then(|| properties.clone());
        let undecided = resolver.resolve_noting_conditions(&mut properties);
        let variants = match original {
            Some(original)
                if !undecided.is_empty() && undecided.len() <= MAX_VARIANT_CONDITIONS =>
            {
                resolver.variants(&original, &undecided, MAX_VARIANT_CONDITIONS)
            }
            _ => Vec::new(),
        };
        edges.push(refs);
        out.resources.push(Resource {
            type_name,
            name: logical.clone(),
            properties,
            entry: std::mem::take(entry),
            pointer: [pointer.as_str(), "/Properties"].concat(),
            entry_pointer: pointer,
            refs: Vec::new(),
            variants,
        });
    }
    let index: HashMap<&str, u32> = out
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i as u32))
        .collect();
    let targets: Vec<Vec<Edge>> = edges
        .into_iter()
        .map(|refs| {
            model::edges(
                refs.into_iter()
                    .filter_map(|(n, at)| index.get(n.as_str()).map(|&to| Edge { to, at }))
                    .collect(),
            )
        })
        .collect();
    for (r, t) in out.resources.iter_mut().zip(targets) {
        r.refs = t;
    }
    if resolver.cut.get() {
        out.warnings.push((
            Diagnostic::warning(
                Code::BadTemplateShape,
                format!(
                    "`{name}`: conditions refer to each other more than {MAX_CONDITION_DEPTH} deep; \
                     the deeper ones are taken as undecided"
                ),
            )
            .help("values that depend on them are unknown rather than decided"),
            "/Conditions".to_string(),
        ));
    }
    drop(resolver);
    out.root = value;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::referenced_names;

    #[test]
    fn references_keep_the_property_path_they_are_written_at() {
        let properties = serde_json::json!({
            "Bucket": {"Ref": "Logs"},
            "LoggingConfig": {"DestinationBucketName": {"Fn::GetAtt": ["Archive", "Arn"]}},
            "Rules": [{"Target": {"Fn::Sub": "${Queue.Arn}/${AWS::Region}"}}],
            "Role": {"Fn::If": ["Prod", {"Fn::GetAtt": "ProdRole.Arn"}, {"Ref": "AWS::NoValue"}]}
        });
        let mut found = Vec::new();
        referenced_names(&properties, &mut found);
        found.sort();
        let expected: Vec<(String, String)> = [
            ("AWS::NoValue", "Role"),
            ("AWS::Region", "Rules.Target"),
            ("Archive", "LoggingConfig.DestinationBucketName"),
            ("Logs", "Bucket"),
            ("ProdRole", "Role"),
            ("Queue", "Rules.Target"),
        ]
        .iter()
        .map(|(n, at)| (n.to_string(), at.to_string()))
        .collect();
        assert_eq!(found, expected);
    }
}
