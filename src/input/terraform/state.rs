//! States (`values` of `terraform show -json`) and the module trees `planned_values` shares.

use super::builder::{unmanaged, Builder};
use super::changes::{mark_unknown, Change};
use super::shape;
use crate::diagnostics::Diagnostic;
use crate::input::locate::json_kind as kind_of;
use crate::model::Resource;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

impl<'n> Builder<'n> {
    /// The resources of `holder.root_module` and its child modules, depth first. `changes`
    /// (plans) gives `after_unknown` by address and the resources going away.
    pub(super) fn modules(
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
        if unmanaged(m) || m.get("deposed_key").is_some_and(|d| !d.is_null()) {
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
    pub(super) fn values(&mut self, values: &mut Json, pointer: &str) -> Result<(), Diagnostic> {
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
}
