//! The `configuration` section of a plan: modules, and what each managed resource refers to.

use super::address::{steps, Target};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::locate::escape_key as escape;
use crate::input::locate::json_kind as kind_of;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// A module of the configuration: what its resources, outputs and inputs refer to.
#[derive(Default)]
struct Scope {
    /// `module.a.module.b.` (empty for the root module).
    prefix: String,
    parent: Option<usize>,
    /// Module calls by name.
    children: HashMap<String, usize>,
    /// The references of each input variable, given in the parent's module call.
    inputs: HashMap<String, Vec<RefList>>,
    /// The references of each output.
    outputs: HashMap<String, Vec<RefList>>,
}

/// A `references` array of an expression, with the attribute path it is written at (keys
/// only, block indices left out).
pub(super) type RefList = (String, Vec<String>);

/// The `references` arrays anywhere under `v` (expressions nest as blocks do); `at` is the
/// path of `v` itself.
fn reference_lists(v: &Json, at: &str, out: &mut Vec<RefList>) {
    let mut stack: Vec<(&Json, String)> = vec![(v, at.to_string())];
    while let Some((node, at)) = stack.pop() {
        match node {
            Json::Object(m) => {
                for (k, child) in m {
                    match child {
                        Json::Array(a) if k == "references" && a.iter().all(Json::is_string) => {
                            out.push((
                                at.clone(),
                                a.iter()
                                    .filter_map(Json::as_str)
                                    .map(str::to_string)
                                    .collect(),
                            ));
                        }
                        _ if k == "constant_value" => {}
                        _ => {
                            let path = if at.is_empty() {
                                k.clone()
                            } else {
                                format!("{at}.{k}")
                            };
                            stack.push((child, path));
                        }
                    }
                }
            }
            Json::Array(a) => stack.extend(a.iter().map(|c| (c, at.clone()))),
            _ => {}
        }
    }
}

/// The references of one expression that name something. Terraform lists a reference
/// step by step (`aws_subnet.a[0].id`, `aws_subnet.a[0]`, `aws_subnet.a`): the resource
/// without its key that follows a keyed instance is dropped, so the key is kept.
fn significant(list: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < list.len() {
        let r = list[i].as_str();
        out.push(r);
        if let Some(next) = list.get(i + 1) {
            if r.ends_with(']') && r.starts_with(next.as_str()) && r[next.len()..].starts_with('[')
            {
                i += 1;
            }
        }
        i += 1;
    }
    out
}

/// The configuration section of a plan: its modules and what each managed resource refers to.
pub(super) struct Configuration {
    scopes: Vec<Scope>,
    /// Configuration address of each managed resource → its references, with the scope they
    /// are written in.
    pub(super) resources: Vec<(String, usize, Vec<RefList>)>,
}

impl Configuration {
    pub(super) fn read(
        config: &Json,
        name: &str,
        warnings: &mut Vec<(Diagnostic, String)>,
    ) -> Configuration {
        let mut c = Configuration {
            scopes: Vec::new(),
            resources: Vec::new(),
        };
        let Some(root) = config.get("root_module") else {
            return c;
        };
        c.scopes.push(Scope::default());
        let mut stack = vec![(root, 0usize, "/configuration/root_module".to_string())];
        while let Some((module, scope, pointer)) = stack.pop() {
            let Some(m) = module.as_object() else {
                warnings.push((
                    Diagnostic::warning(
                        Code::BadTemplateShape,
                        format!(
                            "`{name}`: a configuration module is {}; its references are not read",
                            kind_of(module)
                        ),
                    ),
                    pointer,
                ));
                continue;
            };
            if let Some(Json::Object(outputs)) = m.get("outputs") {
                for (out, o) in outputs {
                    let mut lists = Vec::new();
                    if let Some(e) = o.get("expression") {
                        reference_lists(e, "", &mut lists);
                    }
                    c.scopes[scope].outputs.insert(out.clone(), lists);
                }
            }
            match m.get("resources") {
                Some(Json::Array(resources)) => {
                    for r in resources {
                        if r.get("mode").and_then(Json::as_str) == Some("data") {
                            continue;
                        }
                        let Some(address) = r.get("address").and_then(Json::as_str) else {
                            continue;
                        };
                        let mut lists = Vec::new();
                        if let Some(e) = r.get("expressions") {
                            reference_lists(e, "", &mut lists);
                        }
                        for key in ["count_expression", "for_each_expression"] {
                            if let Some(e) = r.get(key) {
                                reference_lists(e, key, &mut lists);
                            }
                        }
                        if let Some(Json::Array(d)) = r.get("depends_on") {
                            lists.extend(
                                d.iter()
                                    .filter_map(Json::as_str)
                                    .map(|s| (String::new(), vec![s.into()])),
                            );
                        }
                        let config = format!("{}{address}", c.scopes[scope].prefix);
                        c.resources.push((config, scope, lists));
                    }
                }
                Some(other) => warnings.push((
                    Diagnostic::warning(
                        Code::BadTemplateShape,
                        format!(
                            "`{name}`: `resources` of a configuration module is {}; not read",
                            kind_of(other)
                        ),
                    ),
                    format!("{pointer}/resources"),
                )),
                None => {}
            }
            if let Some(Json::Object(calls)) = m.get("module_calls") {
                let mut children = Vec::new();
                for (call, body) in calls {
                    let child = c.scopes.len();
                    let mut inputs = HashMap::new();
                    if let Some(Json::Object(exprs)) = body.get("expressions") {
                        for (var, e) in exprs {
                            let mut lists = Vec::new();
                            reference_lists(e, "", &mut lists);
                            inputs.insert(var.clone(), lists);
                        }
                    }
                    c.scopes.push(Scope {
                        prefix: format!("{}module.{call}.", c.scopes[scope].prefix),
                        parent: Some(scope),
                        children: HashMap::new(),
                        inputs,
                        outputs: HashMap::new(),
                    });
                    c.scopes[scope].children.insert(call.clone(), child);
                    if let Some(module) = body.get("module") {
                        children.push((
                            module,
                            child,
                            format!("{pointer}/module_calls/{}/module", escape(call)),
                        ));
                    }
                }
                stack.extend(children.into_iter().rev());
            }
        }
        c
    }

    /// The resources the references `lists`, written in `scope`, lead to: directly, through
    /// the outputs of child modules and through the input variables of the module.
    pub(super) fn targets(&self, scope: usize, lists: &[RefList]) -> Vec<Target> {
        let mut out = Vec::new();
        let mut seen: HashSet<(usize, &str, &str)> = HashSet::new();
        // (scope, reference, the attribute of the resource it was written for)
        let mut work: Vec<(usize, &str, &str)> = Vec::new();
        for (at, list) in lists {
            work.extend(
                significant(list)
                    .into_iter()
                    .map(|r| (scope, r, at.as_str())),
            );
        }
        while let Some((scope, reference, at)) = work.pop() {
            if !seen.insert((scope, reference, at)) {
                continue;
            }
            let s = &self.scopes[scope];
            let parts = steps(reference);
            match parts[0].0 {
                "var" => {
                    let (Some(parent), Some(lists)) =
                        (s.parent, parts.get(1).and_then(|(v, _)| s.inputs.get(*v)))
                    else {
                        continue;
                    };
                    for (_, list) in lists {
                        work.extend(significant(list).into_iter().map(|r| (parent, r, at)));
                    }
                }
                "module" => {
                    // `module.net` alone (every output, or `depends_on` a whole module) is no
                    // relation to a particular resource.
                    let (Some((call, _)), Some((output, _))) = (parts.get(1), parts.get(2)) else {
                        continue;
                    };
                    let Some(&child) = s.children.get(*call) else {
                        continue;
                    };
                    if let Some(lists) = self.scopes[child].outputs.get(*output) {
                        for (_, list) in lists {
                            work.extend(significant(list).into_iter().map(|r| (child, r, at)));
                        }
                    }
                }
                // Locals are not in the JSON; data sources, `count`, `each`, `self`, `path`
                // and `terraform` are not resources.
                "local" | "data" | "count" | "each" | "self" | "path" | "terraform"
                | "ephemeral" | "action" | "provider" => {}
                ty => {
                    let Some((name, key)) = parts.get(1) else {
                        continue;
                    };
                    out.push(Target {
                        config: format!("{}{ty}.{name}", s.prefix),
                        key: key.to_string(),
                        at: at.to_string(),
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.config, &a.key, &a.at).cmp(&(&b.config, &b.key, &b.at)));
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_references_drop_their_unkeyed_echo() {
        let list: Vec<String> = [
            "aws_subnet.a[0].id",
            "aws_subnet.a[0]",
            "aws_subnet.a",
            "aws_vpc.v",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            significant(&list),
            vec!["aws_subnet.a[0].id", "aws_subnet.a[0]", "aws_vpc.v"]
        );
    }
}
