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
//!
//! The parts: `plan` reads plans (`resource_changes`, then `planned_values` through
//! `state`, which walks the module trees of `planned_values` and of a state's `values`);
//! `state_file` reads raw state files; `changes` applies `after_unknown`; `references`
//! reads the `configuration` section; `address` takes resource addresses apart; `links`
//! turns references and dependencies into `refs`; `builder` holds what they gather.

mod address;
mod builder;
mod changes;
mod links;
mod plan;
mod references;
mod state;
mod state_file;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::InputKind;
use crate::model::LoadedResources;
use builder::Builder;
use serde_json::Value as Json;

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
