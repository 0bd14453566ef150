//! CloudFormation templates → resources: parameters with defaults and a few pseudo parameters
//! resolved, everything else that is only known at deployment marked unknown, and references
//! (Ref, Fn::GetAtt, Fn::Sub, DependsOn) recorded as edges.

use super::model::{unknown, Document, Resource, TextFormat};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::InputKind;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

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

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// What a `Ref` resolves to without deploying.
enum Resolved {
    Value(Json),
    Remove,
    Unknown(String),
}

struct Context<'a> {
    defaults: HashMap<&'a str, Json>,
}

impl Context<'_> {
    fn reference(&self, name: &str) -> Resolved {
        match name {
            "AWS::NoValue" => Resolved::Remove,
            "AWS::Partition" => Resolved::Value(Json::String("aws".into())),
            "AWS::URLSuffix" => Resolved::Value(Json::String("amazonaws.com".into())),
            _ => match self.defaults.get(name) {
                Some(v) => Resolved::Value(v.clone()),
                None => Resolved::Unknown(format!("Ref {name}")),
            },
        }
    }

    /// Resolve intrinsics in place; `false` when the value is to be removed (AWS::NoValue).
    fn resolve(&self, v: &mut Json) -> bool {
        match v {
            Json::Object(m) if m.len() == 1 => {
                let (key, arg) = m.iter().next().expect("one entry");
                if key == "Ref" {
                    match self.reference(arg.as_str().unwrap_or("")) {
                        Resolved::Value(x) => *v = x,
                        Resolved::Remove => return false,
                        Resolved::Unknown(reason) => *v = unknown(reason),
                    }
                } else if key.starts_with("Fn::") || key == "Condition" {
                    let detail = match (key.as_str(), arg) {
                        ("Fn::GetAtt", Json::Array(a)) => {
                            let parts: Vec<&str> = a.iter().filter_map(Json::as_str).collect();
                            format!("Fn::GetAtt {}", parts.join("."))
                        }
                        ("Fn::GetAtt", Json::String(s)) => format!("Fn::GetAtt {s}"),
                        ("Fn::ImportValue", _) => "Fn::ImportValue".to_string(),
                        _ => key.clone(),
                    };
                    *v = unknown(detail);
                } else {
                    self.resolve_children(v);
                }
            }
            Json::Object(_) | Json::Array(_) => self.resolve_children(v),
            _ => {}
        }
        true
    }

    fn resolve_children(&self, v: &mut Json) {
        match v {
            Json::Object(m) => {
                let keys: Vec<String> = m.keys().cloned().collect();
                for k in keys {
                    let keep = m.get_mut(&k).is_some_and(|child| self.resolve(child));
                    if !keep {
                        m.shift_remove(&k);
                    }
                }
            }
            Json::Array(items) => {
                let mut kept = Vec::with_capacity(items.len());
                for mut item in std::mem::take(items) {
                    if self.resolve(&mut item) {
                        kept.push(item);
                    }
                }
                *items = kept;
            }
            _ => {}
        }
    }
}

/// The names a value refers to through Ref, Fn::GetAtt and Fn::Sub.
fn referenced_names(v: &Json, out: &mut Vec<String>) {
    let mut stack = vec![v];
    while let Some(node) = stack.pop() {
        match node {
            Json::Object(m) => {
                if let Some(Json::String(s)) = m.get("Ref") {
                    out.push(s.clone());
                }
                match m.get("Fn::GetAtt") {
                    Some(Json::Array(a)) => {
                        out.extend(a.first().and_then(Json::as_str).map(str::to_string))
                    }
                    Some(Json::String(s)) => out.extend(s.split('.').next().map(str::to_string)),
                    _ => {}
                }
                let sub = match m.get("Fn::Sub") {
                    Some(Json::String(s)) => Some(s.as_str()),
                    Some(Json::Array(a)) => a.first().and_then(Json::as_str),
                    _ => None,
                };
                if let Some(s) = sub {
                    for part in s.split("${").skip(1) {
                        if let Some(name) = part.split('}').next() {
                            if !name.starts_with('!') {
                                out.push(name.split('.').next().unwrap_or(name).to_string());
                            }
                        }
                    }
                }
                stack.extend(m.values());
            }
            Json::Array(a) => stack.extend(a),
            _ => {}
        }
    }
}

fn parameter_defaults(template: &Map<String, Json>) -> HashMap<&str, Json> {
    let mut defaults = HashMap::new();
    if let Some(Json::Object(params)) = template.get("Parameters") {
        for (name, p) in params {
            let Some(default) = p.get("Default") else {
                continue;
            };
            let ty = p.get("Type").and_then(Json::as_str).unwrap_or("");
            if ty.starts_with("AWS::SSM::Parameter::Value") {
                // The default names a parameter in Systems Manager; its value is only read at deployment.
                let path = default.as_str().unwrap_or("").to_string();
                defaults.insert(
                    name.as_str(),
                    unknown(format!("Ref {name} (SSM parameter {path})")),
                );
                continue;
            }
            let value = match default {
                Json::String(s) if ty.starts_with("List<") || ty == "CommaDelimitedList" => {
                    Json::Array(
                        s.split(',')
                            .map(|x| Json::String(x.trim().to_string()))
                            .collect(),
                    )
                }
                other => other.clone(),
            };
            defaults.insert(name.as_str(), value);
        }
    }
    defaults
}

/// Load a parsed template. Warnings (resources skipped) are returned beside the document.
/// Warnings come with the JSON pointer of what they are about.
pub fn load(
    name: &str,
    text: String,
    format: TextFormat,
    mut value: Json,
) -> Result<(Document, Vec<(Diagnostic, String)>), Diagnostic> {
    let mut warnings = Vec::new();
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
    let ctx = Context {
        defaults: parameter_defaults(template),
    };
    let mut resources = Vec::with_capacity(entries.len());
    let mut edges: Vec<Vec<String>> = Vec::new();
    for (logical, entry) in entries.iter_mut() {
        let Some(Json::String(type_name)) = entry.get("Type").cloned() else {
            let help = if logical.starts_with("Fn::ForEach") {
                "`Fn::ForEach` comes from the AWS::LanguageExtensions transform, which buttress does not expand"
            } else {
                "a `Type` that is not a string is often a Rain module, which must be packaged first"
            };
            warnings.push((
                Diagnostic::warning(
                    Code::SkippedInput,
                    format!(
                        "`{name}`: resource `{logical}` has no string `Type`; it is not checked"
                    ),
                )
                .help(help),
                format!("/Resources/{}", escape(logical)),
            ));
            continue;
        };
        let mut properties = match entry.as_object_mut().and_then(|e| e.remove("Properties")) {
            Some(p @ Json::Object(_)) => p,
            _ => Json::Object(Map::new()),
        };
        let mut refs = Vec::new();
        referenced_names(&properties, &mut refs);
        match entry.get("DependsOn") {
            Some(Json::String(s)) => refs.push(s.clone()),
            Some(Json::Array(a)) => {
                refs.extend(a.iter().filter_map(Json::as_str).map(str::to_string))
            }
            _ => {}
        }
        ctx.resolve(&mut properties);
        edges.push(refs);
        let pointer = format!("/Resources/{}", escape(logical));
        resources.push(Resource {
            type_name,
            name: logical.clone(),
            properties,
            entry: std::mem::take(entry),
            pointer: format!("{pointer}/Properties"),
            entry_pointer: pointer,
            refs: Vec::new(),
        });
    }
    // Map names to indices among the resources kept.
    let kept: HashMap<&str, u32> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i as u32))
        .collect();
    let targets: Vec<Vec<u32>> = edges
        .iter()
        .map(|refs| {
            let mut t: Vec<u32> = refs
                .iter()
                .filter_map(|n| kept.get(n.as_str()).copied())
                .collect();
            t.sort_unstable();
            t.dedup();
            t
        })
        .collect();
    for (r, t) in resources.iter_mut().zip(targets) {
        r.refs = t;
    }
    let doc = Document {
        name: name.to_string(),
        kind: InputKind::CloudFormation,
        format,
        text,
        resources,
        positions: Default::default(),
    };
    Ok((doc, warnings))
}
