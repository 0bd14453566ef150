//! YAML text → JSON values with CloudFormation's short-form tags (`!Ref`, `!GetAtt a.b`, …)
//! read as their long forms, and the byte offset of every node by JSON pointer.

use super::model::Positions;
use crate::diagnostics::Diagnostic;
use serde_json::Value as Json;

/// A parsed YAML document.
#[derive(Debug)]
pub struct Parsed {
    pub value: Json,
    pub positions: Positions,
}

/// Parse one YAML document. Errors carry labels in the input's own text (`FileId(0)`).
pub fn parse(name: &str, _text: &str) -> Result<Parsed, Diagnostic> {
    Err(Diagnostic::error(crate::diagnostics::Code::InvalidJson, format!("`{name}`: YAML is not read yet")))
}
