//! Raw state files (format version 4): `resources[*].instances[*].attributes`.

use super::builder::{unmanaged, Builder};
use super::shape;
use crate::diagnostics::Diagnostic;
use crate::input::locate::json_kind as kind_of;
use crate::model::Resource;
use serde_json::{Map, Value as Json};

impl<'n> Builder<'n> {
    /// A raw state file (format version 4): `resources[*].instances[*].attributes`.
    pub(super) fn raw_state(&mut self, root: &mut Map<String, Json>) -> Result<(), Diagnostic> {
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
            if unmanaged(m) {
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
}
