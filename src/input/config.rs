//! AWS Config configuration items (snapshots, histories, batch results, query results,
//! one item per line) → resources.

use super::model::Loaded;
use crate::diagnostics::Diagnostic;
use serde_json::Value as Json;

/// Whether a JSON document holds AWS Config configuration items.
pub fn detect(_v: &Json) -> bool {
    false
}

/// Resources of the configuration items, with JSON pointers into the document.
pub fn load(name: &str, _value: &mut Json) -> Result<Loaded, Diagnostic> {
    Err(Diagnostic::error(crate::diagnostics::Code::BadTemplateShape, format!("`{name}`: AWS Config is not read yet")))
}
