//! Plans: `planned_values` with `after_unknown` applied, or `resource_changes` alone.

use super::address::{Address, Target};
use super::builder::{unmanaged, Builder};
use super::changes::{mark_unknown, Change};
use super::links::link;
use super::references::{Configuration, RefList};
use super::shape;
use crate::diagnostics::{Code, Diagnostic};
use crate::input::locate::json_kind as kind_of;
use crate::model::Resource;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

impl<'n> Builder<'n> {
    /// A plan: `planned_values` with `after_unknown` applied, or `resource_changes` alone;
    /// then references from `configuration`.
    pub(super) fn plan(&mut self, root: &mut Map<String, Json>) -> Result<(), Diagnostic> {
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
        if unmanaged(m) || m.get("deposed").is_some_and(|d| !d.is_null()) {
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
}
