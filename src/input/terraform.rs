//! Terraform plan and state JSON (`terraform show -json`) → resources.

use super::model::Loaded;
use crate::diagnostics::Diagnostic;
use serde_json::Value as Json;

/// Whether a JSON document is a Terraform plan or state.
pub fn detect(_v: &Json) -> bool {
    false
}

/// Resources of a plan or state, with JSON pointers into the document.
pub fn load(name: &str, _value: &mut Json) -> Result<Loaded, Diagnostic> {
    Err(Diagnostic::error(crate::diagnostics::Code::BadTemplateShape, format!("`{name}`: Terraform is not read yet")))
}
