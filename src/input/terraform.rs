//! Terraform plan and state JSON (`terraform show -json`), and raw state files
//! (`terraform.tfstate`, format version 4) → resources.
//!
//! - Plans: the resources of `planned_values` (root module and, depth first, every child
//!   module), with the values Terraform only knows after apply (`after_unknown` of the
//!   matching `resource_changes` entry, by address) set to unknown markers. Resources whose
//!   change is only `delete` (or `forget`) are going away and are not checked. Plans without
//!   `planned_values` (older or hand-trimmed ones) are read from
//!   `resource_changes[*].change.after`.
//!   References between resources come from the `configuration` section.
//! - States (`terraform show -json` on a state): the resources of `values`, related through
//!   their `depends_on`.
//! - Raw state files: `resources[*].instances[*].attributes`, related through `dependencies`.
//!
//! Only managed resources are read: data sources describe things read, not things Terraform
//! creates, so no rule checks them. Deposed objects (left over by a `create_before_destroy`
//! replacement, to be destroyed) are not checked either. Sensitive values are kept as they
//! are: `terraform show -json` writes them in clear and only flags them
//! (`sensitive_values`, `after_sensitive`).
//!
//! `pointer` of each resource is the JSON pointer of its values in the original text;
//! values known only after apply are usually absent from the text, so findings about them
//! point at the nearest enclosing node that exists.

use super::model::{self, unknown, Edge, LoadedResources, Resource};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::InputKind;
use serde_json::{Map, Value as Json};
use std::collections::{HashMap, HashSet};

/// The reason given for values marked in `after_unknown`.
const AFTER_APPLY: &str = "known after apply";

/// Whether a JSON document is a Terraform plan or state: `terraform show -json` output
/// (`format_version` with `planned_values`, `resource_changes`, `values`, …) or a raw state
/// file (`version`, `lineage` and `resources`; only format version 4 is read, older ones
/// are detected so that loading them says so).
pub fn detect(v: &Json) -> bool {
    let Some(m) = v.as_object() else { return false };
    if m.get("format_version").is_some_and(Json::is_string) {
        return [
            "planned_values",
            "resource_changes",
            "values",
            "prior_state",
            "configuration",
            "terraform_version",
        ]
        .iter()
        .any(|k| m.contains_key(*k));
    }
    m.get("version").is_some_and(Json::is_u64)
        && m.get("lineage").is_some_and(Json::is_string)
        && (m.get("resources").is_some_and(Json::is_array)
            || m.get("modules").is_some_and(Json::is_array))
}

/// Resources of a plan or state, with JSON pointers into the document. Parts of `value`
/// are taken out (values, `after_unknown`, declarations); pointers describe the original.
pub fn load(name: &str, value: &mut Json) -> Result<LoadedResources, Diagnostic> {
    let Some(root) = value.as_object_mut() else {
        return Err(shape(
            name,
            "a Terraform plan or state is an object".to_string(),
        ));
    };
    let mut b = Builder::new(name);
    if root.contains_key("format_version") {
        if root.contains_key("planned_values") || root.contains_key("resource_changes") {
            b.plan(root)?;
        } else if let Some(values) = root.get_mut("values") {
            let mut values = std::mem::take(values);
            b.values(&mut values, "/values")?;
            b.link_depends_on();
        }
        // Only `format_version` (and `terraform_version`): the output for an empty state.
    } else if root.contains_key("version") {
        b.raw_state(root)?;
    } else {
        return Err(shape(
            name,
            "not a Terraform plan or state: no `format_version` (`terraform show -json`) \
             nor `version` (a state file)"
                .to_string(),
        ));
    }
    Ok(LoadedResources {
        kind: Some(InputKind::Terraform),
        resources: b.resources,
        root: Json::Null,
        warnings: b.warnings,
    })
}

fn shape(name: &str, what: String) -> Diagnostic {
    Diagnostic::error(Code::BadTemplateShape, format!("`{name}`: {what}"))
}

use super::locate::escape_key as escape;

use super::locate::json_kind as kind_of;

/// A resource another one refers to: an address in the configuration (no instance keys,
/// `module.net.aws_subnet.a`) and, when the reference named one instance, its key (`[0]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Target {
    config: String,
    key: String,
    /// The attribute path of the reference (`bucket`, `logging.target_bucket`); empty for
    /// `depends_on`.
    at: String,
}

/// A resource instance address taken apart: `module.net["a"].aws_subnet.a[0]`.
struct Address {
    /// Module calls from the root, each with its instance key (`["a"]`, `[0]` or empty).
    modules: Vec<(String, String)>,
    /// The configuration address: module calls without keys, then the resource.
    config: String,
    /// The instance key of the resource (`[0]`, `["x"]` or empty).
    key: String,
}

/// Split a Terraform address or reference into its steps, each a name with the instance
/// key written after it (`a[0]` → `("a", "[0]")`). Dots and brackets inside quoted keys
/// do not split.
fn steps(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut depth, mut quoted, mut i) = (0, 0usize, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'[' if !quoted => depth += 1,
            b']' if !quoted => depth = depth.saturating_sub(1),
            b'.' if !quoted && depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&text[start..]);
    out.into_iter()
        .map(|s| match s.find('[') {
            Some(at) => (&s[..at], &s[at..]),
            None => (s, ""),
        })
        .collect()
}

impl Address {
    fn parse(address: &str) -> Address {
        let parts = steps(address);
        let mut modules = Vec::new();
        let mut i = 0;
        while i + 1 < parts.len() && parts[i].0 == "module" && parts[i].1.is_empty() {
            modules.push((parts[i + 1].0.to_string(), parts[i + 1].1.to_string()));
            i += 2;
        }
        let mut config = String::new();
        for (m, _) in &modules {
            config.push_str("module.");
            config.push_str(m);
            config.push('.');
        }
        let rest = &parts[i.min(parts.len())..];
        for (j, (name, _)) in rest.iter().enumerate() {
            if j > 0 {
                config.push('.');
            }
            config.push_str(name);
        }
        let key = rest.last().map(|(_, k)| k.to_string()).unwrap_or_default();
        Address {
            modules,
            config,
            key,
        }
    }
}

/// What `resource_changes` says of one planned resource: whether it is going away, and
/// which of its values are known only after apply.
struct Change {
    gone: bool,
    after_unknown: Json,
}

/// Whether `flags` (a tree of `after_unknown` booleans) marks anything.
fn marks_any(flags: &Json) -> bool {
    let mut stack = vec![flags];
    while let Some(f) = stack.pop() {
        match f {
            Json::Bool(true) => return true,
            Json::Object(m) => stack.extend(m.values()),
            Json::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    false
}

/// Put unknown markers in `target` wherever `flags` (the `after_unknown` tree mirroring it)
/// says `true`, adding the attributes Terraform left out because they are unknown.
/// Recursion follows the nesting of `flags`, which is bounded by the JSON parser's limit.
fn mark_unknown(target: &mut Json, flags: &Json) {
    match flags {
        Json::Bool(true) => *target = unknown(AFTER_APPLY),
        Json::Object(f) => {
            if target.is_null() && marks_any(flags) {
                *target = Json::Object(Map::new());
            }
            let Json::Object(t) = target else { return };
            for (k, flag) in f {
                match t.get_mut(k) {
                    Some(child) => mark_unknown(child, flag),
                    None if marks_any(flag) => {
                        let mut child = Json::Null;
                        mark_unknown(&mut child, flag);
                        t.insert(k.clone(), child);
                    }
                    None => {}
                }
            }
        }
        Json::Array(f) => {
            if target.is_null() && marks_any(flags) {
                *target = Json::Array(Vec::new());
            }
            let Json::Array(t) = target else { return };
            for (i, flag) in f.iter().enumerate() {
                if i >= t.len() {
                    if !marks_any(flag) {
                        continue;
                    }
                    t.resize(i + 1, Json::Null);
                }
                mark_unknown(&mut t[i], flag);
            }
        }
        _ => {}
    }
}

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
type RefList = (String, Vec<String>);

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
struct Configuration {
    scopes: Vec<Scope>,
    /// Configuration address of each managed resource → its references, with the scope they
    /// are written in.
    resources: Vec<(String, usize, Vec<RefList>)>,
}

impl Configuration {
    fn read(config: &Json, name: &str, warnings: &mut Vec<(Diagnostic, String)>) -> Configuration {
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
    fn targets(&self, scope: usize, lists: &[RefList]) -> Vec<Target> {
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

struct Builder<'n> {
    name: &'n str,
    resources: Vec<Resource>,
    warnings: Vec<(Diagnostic, String)>,
    /// `depends_on` (state) or `dependencies` (state file) of each resource: configuration
    /// addresses.
    depends_on: Vec<Vec<String>>,
}

impl<'n> Builder<'n> {
    fn new(name: &'n str) -> Builder<'n> {
        Builder {
            name,
            resources: Vec::new(),
            warnings: Vec::new(),
            depends_on: Vec::new(),
        }
    }

    fn skip(&mut self, message: String, pointer: String) {
        self.warnings.push((
            Diagnostic::warning(Code::SkippedInput, format!("`{}`: {message}", self.name)),
            pointer,
        ));
    }

    fn push(&mut self, resource: Resource, depends_on: Vec<String>) {
        self.resources.push(resource);
        self.depends_on.push(depends_on);
    }

    /// A plan: `planned_values` with `after_unknown` applied, or `resource_changes` alone;
    /// then references from `configuration`.
    fn plan(&mut self, root: &mut Map<String, Json>) -> Result<(), Diagnostic> {
        let name = self.name;
        if root.get("errored") == Some(&Json::Bool(true)) {
            // An error, not a warning: the resources Terraform did not plan go unchecked, so
            // the run must not pass (exit 2), though what was planned is still reported.
            self.warnings.push((
                Diagnostic::error(
                    Code::SkippedInput,
                    format!(
                        "`{name}`: Terraform could not finish this plan; \
                         resources it did not plan are not checked"
                    ),
                )
                .help("fix the errors `terraform plan` reported and plan again"),
                "/errored".to_string(),
            ));
        }
        let fallback = !root.contains_key("planned_values");
        let mut changes: HashMap<String, Change> = HashMap::new();
        match root.get_mut("resource_changes") {
            None | Some(Json::Null) => {}
            Some(Json::Array(list)) => {
                for (i, rc) in list.iter_mut().enumerate() {
                    let pointer = format!("/resource_changes/{i}");
                    self.change(rc, pointer, fallback, &mut changes);
                }
            }
            Some(other) => {
                return Err(shape(
                    name,
                    format!(
                        "`resource_changes` is {}; Terraform writes a list of changes",
                        kind_of(other)
                    ),
                ))
            }
        }
        if !fallback {
            let mut planned = root
                .get_mut("planned_values")
                .map(std::mem::take)
                .unwrap_or_default();
            if !planned.is_object() {
                return Err(shape(
                    name,
                    format!(
                        "`planned_values` is {}; Terraform writes an object with `root_module`",
                        kind_of(&planned)
                    ),
                ));
            }
            self.modules(&mut planned, "/planned_values", Some(&mut changes))?;
        }
        if let Some(config) = root.get("configuration") {
            let config = Configuration::read(config, name, &mut self.warnings);
            let by_config: HashMap<&str, &(String, usize, Vec<RefList>)> =
                config.resources.iter().map(|r| (r.0.as_str(), r)).collect();
            let addresses: Vec<Address> = self
                .resources
                .iter()
                .map(|r| Address::parse(&r.name))
                .collect();
            let mut memo: HashMap<&str, Vec<Target>> = HashMap::new();
            for a in &addresses {
                if let Some((c, scope, lists)) = by_config.get(a.config.as_str()) {
                    memo.entry(c.as_str())
                        .or_insert_with(|| config.targets(*scope, lists));
                }
            }
            let targets: Vec<&[Target]> = addresses
                .iter()
                .map(|a| memo.get(a.config.as_str()).map_or(&[][..], Vec::as_slice))
                .collect();
            link(&mut self.resources, &addresses, &targets);
        }
        Ok(())
    }

    /// One entry of `resource_changes`: its `after_unknown` kept by address, and in plans
    /// without `planned_values` the resource itself from `change.after`.
    fn change(
        &mut self,
        rc: &mut Json,
        pointer: String,
        fallback: bool,
        changes: &mut HashMap<String, Change>,
    ) {
        let Some(m) = rc.as_object_mut() else {
            self.skip(
                format!("a resource change is {}; it is not checked", kind_of(rc)),
                pointer,
            );
            return;
        };
        let Some(address) = m.get("address").and_then(Json::as_str).map(str::to_string) else {
            self.skip(
                "a resource change has no `address`; it is not checked".to_string(),
                pointer,
            );
            return;
        };
        if m.get("mode")
            .and_then(Json::as_str)
            .is_some_and(|x| x != "managed")
            || m.get("deposed").is_some_and(|d| !d.is_null())
        {
            return;
        }
        let Some(change) = m.get_mut("change").and_then(Json::as_object_mut) else {
            self.skip(
                format!("the change of `{address}` is not an object; it is not checked"),
                format!("{pointer}/change"),
            );
            return;
        };
        let actions: Vec<&str> = match change.get("actions") {
            Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        let gone = matches!(actions.as_slice(), ["delete"] | ["forget"]);
        let after_unknown = change.shift_remove("after_unknown").unwrap_or_default();
        if !fallback {
            changes.insert(
                address,
                Change {
                    gone,
                    after_unknown,
                },
            );
            return;
        }
        if gone {
            return;
        }
        let mut properties = match change.shift_remove("after") {
            Some(p @ Json::Object(_)) => p,
            None | Some(Json::Null) if after_unknown == Json::Bool(true) => Json::Null,
            None | Some(Json::Null) => Json::Object(Map::new()),
            Some(other) => {
                self.skip(
                    format!(
                        "the planned values of `{address}` are {}; it is not checked",
                        kind_of(&other)
                    ),
                    format!("{pointer}/change/after"),
                );
                return;
            }
        };
        mark_unknown(&mut properties, &after_unknown);
        let Some(type_name) = m.get("type").and_then(Json::as_str).map(str::to_string) else {
            self.skip(
                format!("resource `{address}` has no string `type`; it is not checked"),
                format!("{pointer}/type"),
            );
            return;
        };
        let entry = std::mem::take(rc);
        self.push(
            Resource {
                type_name,
                name: address,
                properties,
                entry,
                pointer: format!("{pointer}/change/after"),
                entry_pointer: pointer.clone(),
                refs: Vec::new(),
                variants: Vec::new(),
            },
            Vec::new(),
        );
    }

    /// The resources of `holder.root_module` and its child modules, depth first. `changes`
    /// (plans) gives `after_unknown` by address and the resources going away.
    fn modules(
        &mut self,
        holder: &mut Json,
        pointer: &str,
        mut changes: Option<&mut HashMap<String, Change>>,
    ) -> Result<(), Diagnostic> {
        let name = self.name;
        let root = match holder.get_mut("root_module").map(std::mem::take) {
            None | Some(Json::Null) => return Ok(()),
            Some(r @ Json::Object(_)) => r,
            Some(other) => {
                return Err(shape(
                    name,
                    format!(
                        "`{}/root_module` is {}; Terraform writes an object with `resources`",
                        pointer.trim_start_matches('/'),
                        kind_of(&other)
                    ),
                ))
            }
        };
        let mut stack = vec![(root, format!("{pointer}/root_module"))];
        while let Some((mut module, mp)) = stack.pop() {
            let Some(m) = module.as_object_mut() else {
                self.skip(
                    format!(
                        "a child module is {}; its resources are not checked",
                        kind_of(&module)
                    ),
                    mp,
                );
                continue;
            };
            match m.get_mut("resources").map(std::mem::take) {
                None | Some(Json::Null) => {}
                Some(Json::Array(list)) => {
                    for (i, r) in list.into_iter().enumerate() {
                        self.resource(r, format!("{mp}/resources/{i}"), changes.as_deref_mut());
                    }
                }
                Some(other) => self.skip(
                    format!(
                        "`resources` of a module is {}; its resources are not checked",
                        kind_of(&other)
                    ),
                    format!("{mp}/resources"),
                ),
            }
            match m.get_mut("child_modules").map(std::mem::take) {
                None | Some(Json::Null) => {}
                Some(Json::Array(list)) => {
                    let children: Vec<_> = list
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| (c, format!("{mp}/child_modules/{i}")))
                        .collect();
                    stack.extend(children.into_iter().rev());
                }
                Some(other) => self.skip(
                    format!(
                        "`child_modules` of a module is {}; their resources are not checked",
                        kind_of(&other)
                    ),
                    format!("{mp}/child_modules"),
                ),
            }
        }
        Ok(())
    }

    /// One resource of `planned_values` or of a state's `values`.
    fn resource(
        &mut self,
        mut r: Json,
        pointer: String,
        changes: Option<&mut HashMap<String, Change>>,
    ) {
        let Some(m) = r.as_object_mut() else {
            self.skip(
                format!("a resource is {}; it is not checked", kind_of(&r)),
                pointer,
            );
            return;
        };
        if m.get("mode")
            .and_then(Json::as_str)
            .is_some_and(|x| x != "managed")
            || m.get("deposed_key").is_some_and(|d| !d.is_null())
        {
            return;
        }
        let Some(address) = m.get("address").and_then(Json::as_str).map(str::to_string) else {
            self.skip(
                "a resource has no string `address`; it is not checked".to_string(),
                pointer,
            );
            return;
        };
        let Some(type_name) = m.get("type").and_then(Json::as_str).map(str::to_string) else {
            self.skip(
                format!("resource `{address}` has no string `type`; it is not checked"),
                pointer,
            );
            return;
        };
        let mut properties = match m.shift_remove("values") {
            Some(p @ Json::Object(_)) => p,
            None | Some(Json::Null) => Json::Object(Map::new()),
            Some(other) => {
                self.skip(
                    format!(
                        "the values of `{address}` are {}; it is not checked",
                        kind_of(&other)
                    ),
                    format!("{pointer}/values"),
                );
                return;
            }
        };
        if let Some(change) = changes.and_then(|c| c.get(&address)) {
            if change.gone {
                return;
            }
            mark_unknown(&mut properties, &change.after_unknown);
        }
        let depends_on = match m.get("depends_on") {
            Some(Json::Array(d)) => d
                .iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        self.push(
            Resource {
                type_name,
                name: address,
                properties,
                entry: r,
                pointer: format!("{pointer}/values"),
                entry_pointer: pointer.clone(),
                refs: Vec::new(),
                variants: Vec::new(),
            },
            depends_on,
        );
    }

    /// `terraform show -json` of a state: `values.root_module`.
    fn values(&mut self, values: &mut Json, pointer: &str) -> Result<(), Diagnostic> {
        if !values.is_object() && !values.is_null() {
            return Err(shape(
                self.name,
                format!(
                    "`values` is {}; Terraform writes an object with `root_module`",
                    kind_of(values)
                ),
            ));
        }
        self.modules(values, pointer, None)
    }

    /// A raw state file (format version 4): `resources[*].instances[*].attributes`.
    fn raw_state(&mut self, root: &mut Map<String, Json>) -> Result<(), Diagnostic> {
        let name = self.name;
        let version = root.get("version").and_then(Json::as_u64);
        if version != Some(4) {
            let shown = root.get("version").map(Json::to_string).unwrap_or_default();
            return Err(shape(
                name,
                format!(
                    "state file format version {shown} is not read; \
                     buttress reads version 4 (Terraform 0.12 and later)"
                ),
            )
            .help("check the output of `terraform show -json` made by Terraform 0.12 or later"));
        }
        let list = match root.get_mut("resources").map(std::mem::take) {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(list)) => list,
            Some(other) => {
                return Err(shape(
                    name,
                    format!(
                        "`resources` is {}; a state file holds a list of resources",
                        kind_of(&other)
                    ),
                ))
            }
        };
        for (i, mut r) in list.into_iter().enumerate() {
            let pointer = format!("/resources/{i}");
            let Some(m) = r.as_object_mut() else {
                self.skip(
                    format!("a resource is {}; it is not checked", kind_of(&r)),
                    pointer,
                );
                continue;
            };
            if m.get("mode")
                .and_then(Json::as_str)
                .is_some_and(|x| x != "managed")
            {
                continue;
            }
            let (Some(ty), Some(rname)) = (
                m.get("type").and_then(Json::as_str),
                m.get("name").and_then(Json::as_str),
            ) else {
                self.skip(
                    "a resource has no string `type` or `name`; it is not checked".to_string(),
                    pointer,
                );
                continue;
            };
            let (ty, rname) = (ty.to_string(), rname.to_string());
            let module = match m.get("module").and_then(Json::as_str) {
                Some(module) if !module.is_empty() => format!("{module}."),
                _ => String::new(),
            };
            let instances = match m.shift_remove("instances") {
                Some(Json::Array(list)) => list,
                None | Some(Json::Null) => Vec::new(),
                Some(other) => {
                    self.skip(
                        format!(
                            "the instances of `{module}{ty}.{rname}` are {}; they are not checked",
                            kind_of(&other)
                        ),
                        format!("{pointer}/instances"),
                    );
                    continue;
                }
            };
            for (j, mut inst) in instances.into_iter().enumerate() {
                let ip = format!("{pointer}/instances/{j}");
                let Some(im) = inst.as_object_mut() else {
                    self.skip(
                        format!(
                            "an instance of `{module}{ty}.{rname}` is {}; it is not checked",
                            kind_of(&inst)
                        ),
                        ip,
                    );
                    continue;
                };
                if im.get("deposed").is_some_and(|d| !d.is_null()) {
                    continue;
                }
                let key = match im.get("index_key") {
                    Some(Json::Number(n)) => format!("[{n}]"),
                    Some(Json::String(s)) => format!("[{}]", Json::String(s.clone())),
                    _ => String::new(),
                };
                let address = format!("{module}{ty}.{rname}{key}");
                let properties = match im.shift_remove("attributes") {
                    Some(p @ Json::Object(_)) => p,
                    None | Some(Json::Null) => Json::Object(Map::new()),
                    Some(other) => {
                        self.skip(
                            format!(
                                "the attributes of `{address}` are {}; it is not checked",
                                kind_of(&other)
                            ),
                            format!("{ip}/attributes"),
                        );
                        continue;
                    }
                };
                let depends_on = match im.get("dependencies") {
                    Some(Json::Array(d)) => d
                        .iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect(),
                    _ => Vec::new(),
                };
                self.push(
                    Resource {
                        type_name: ty.clone(),
                        name: address,
                        properties,
                        entry: inst,
                        pointer: format!("{ip}/attributes"),
                        entry_pointer: ip.clone(),
                        refs: Vec::new(),
                        variants: Vec::new(),
                    },
                    depends_on,
                );
            }
        }
        self.link_depends_on();
        Ok(())
    }

    /// Edges from the `depends_on` of states: absolute configuration addresses.
    fn link_depends_on(&mut self) {
        let addresses: Vec<Address> = self
            .resources
            .iter()
            .map(|r| Address::parse(&r.name))
            .collect();
        let targets: Vec<Vec<Target>> = self
            .depends_on
            .iter()
            .map(|d| {
                d.iter()
                    .filter(|a| !a.starts_with("data.") && !a.contains(".data."))
                    .map(|a| {
                        let parsed = Address::parse(a);
                        Target {
                            config: parsed.config,
                            key: parsed.key,
                            at: String::new(),
                        }
                    })
                    .collect()
            })
            .collect();
        let targets: Vec<&[Target]> = targets.iter().map(Vec::as_slice).collect();
        link(&mut self.resources, &addresses, &targets);
    }
}

/// Set `refs` of each resource to the instances of the resources it targets (all instances,
/// or the one whose key the reference named), within the same module instances.
///
/// Linear in the edges: the instances of a target are grouped by the instance keys of the
/// module calls the two addresses share, so a reference from `module.m["k"]` looks only at the
/// instances in `module.m["k"]`, not at those of every other instance of the module.
fn link(resources: &mut [Resource], addresses: &[Address], targets: &[&[Target]]) {
    let mut instances: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, a) in addresses.iter().enumerate() {
        instances
            .entry(a.config.as_str())
            .or_default()
            .push(i as u32);
    }
    // (target configuration, shared module calls) → instances by the keys of those calls.
    let mut by_keys: HashMap<(&str, usize), HashMap<String, Vec<u32>>> = HashMap::new();
    let keys_of = |a: &Address, k: usize| -> String {
        a.modules[..k]
            .iter()
            .map(|(_, key)| key.as_str())
            .collect::<Vec<_>>()
            .join("\u{1}")
    };
    for (i, r) in resources.iter_mut().enumerate() {
        let from = &addresses[i];
        let mut refs = Vec::new();
        for t in targets[i] {
            let Some(candidates) = instances.get(t.config.as_str()) else {
                continue;
            };
            let to_modules = &addresses[candidates[0] as usize].modules;
            let shared = from
                .modules
                .iter()
                .zip(to_modules)
                .take_while(|(a, b)| a.0 == b.0)
                .count();
            let groups = by_keys
                .entry((t.config.as_str(), shared))
                .or_insert_with(|| {
                    let mut g: HashMap<String, Vec<u32>> = HashMap::new();
                    for &j in candidates {
                        g.entry(keys_of(&addresses[j as usize], shared))
                            .or_default()
                            .push(j);
                    }
                    g
                });
            let Some(same) = groups.get(&keys_of(from, shared)) else {
                continue;
            };
            let at = (!t.at.is_empty()).then(|| t.at.clone());
            refs.extend(
                same.iter()
                    .copied()
                    .filter(|&j| {
                        j as usize != i && (t.key.is_empty() || t.key == addresses[j as usize].key)
                    })
                    .map(|to| Edge { to, at: at.clone() }),
            );
        }
        r.refs = model::edges(refs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_outside_quoted_keys() {
        let a = Address::parse(r#"module.net["a.b[c]"].module.sub[0].aws_subnet.a["x.y"]"#);
        assert_eq!(a.config, "module.net.module.sub.aws_subnet.a");
        assert_eq!(a.key, r#"["x.y"]"#);
        assert_eq!(
            a.modules,
            vec![
                ("net".to_string(), r#"["a.b[c]"]"#.to_string()),
                ("sub".to_string(), "[0]".to_string())
            ]
        );
        let d = Address::parse("data.aws_iam_policy_document.p");
        assert_eq!(d.config, "data.aws_iam_policy_document.p");
        assert!(d.key.is_empty() && d.modules.is_empty());
    }

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

    #[test]
    fn unknown_flags_mark_nested_and_absent_values() {
        let mut v = serde_json::json!({"a": 1, "list": [{"x": 1}, null], "obj": {"k": "v"}});
        let flags = serde_json::json!(
            {"id": true, "list": [{"y": true}, true], "obj": {}, "gone": {"z": false}}
        );
        mark_unknown(&mut v, &flags);
        assert_eq!(v["id"], unknown(AFTER_APPLY));
        assert_eq!(v["list"][0]["y"], unknown(AFTER_APPLY));
        assert_eq!(v["list"][1], unknown(AFTER_APPLY));
        assert_eq!(v["obj"], serde_json::json!({"k": "v"}));
        assert!(v.get("gone").is_none());
    }
}
