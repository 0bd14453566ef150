//! The `Builder` that gathers the resources of a plan or state, its warnings and dependencies.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Resource;
use serde_json::{Map, Value as Json};

/// Whether a resource object is not a managed resource (a data source): only managed
/// resources are checked.
pub(super) fn unmanaged(m: &Map<String, Json>) -> bool {
    m.get("mode")
        .and_then(Json::as_str)
        .is_some_and(|x| x != "managed")
}

pub(super) struct Builder<'n> {
    pub(super) name: &'n str,
    pub(super) resources: Vec<Resource>,
    pub(super) warnings: Vec<(Diagnostic, String)>,
    /// `depends_on` (state) or `dependencies` (state file) of each resource: configuration
    /// addresses.
    pub(super) depends_on: Vec<Vec<String>>,
}

impl<'n> Builder<'n> {
    pub(super) fn new(name: &'n str) -> Builder<'n> {
        Builder {
            name,
            resources: Vec::new(),
            warnings: Vec::new(),
            depends_on: Vec::new(),
        }
    }

    pub(super) fn skip(&mut self, message: String, pointer: String) {
        self.warnings.push((
            Diagnostic::warning(Code::SkippedInput, format!("`{}`: {message}", self.name)),
            pointer,
        ));
    }

    pub(super) fn push(&mut self, resource: Resource, depends_on: Vec<String>) {
        self.resources.push(resource);
        self.depends_on.push(depends_on);
    }
}
