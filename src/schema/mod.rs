//! Resource schemas embedded from `data/` and the lookups the schema check makes: the
//! CloudFormation types (generated from cfn-lint's provider schemas by
//! `scripts/gen-cfn-schema.py`). Only the lines of the types a rule set names are parsed.

mod check;
mod shape;

pub use check::check;
pub use shape::{Kind, Step, TypeSchema};

use std::collections::HashMap;
use std::sync::OnceLock;

const CFN: &str = include_str!("../../data/cfn-schema.txt");

/// The embedded CloudFormation schemas: the header line and each type's line, unparsed.
pub struct Catalogue {
    /// The header: which cfn-lint version the schemas come from.
    pub version: &'static str,
    names: Vec<&'static str>,
    lines: HashMap<&'static str, &'static str>,
}

impl Catalogue {
    /// Every type name, sorted.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// The parsed schema of one type, or `None` for a type the schemas do not have.
    pub fn get(&self, name: &str) -> Option<TypeSchema> {
        let (name, rest) = self.lines.get_key_value(name)?;
        TypeSchema::parse(name, rest)
    }
}

/// The CloudFormation catalogue, indexed on first use (one pass over the lines).
pub fn cloudformation() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut version = "";
        let mut names = Vec::new();
        let mut lines = HashMap::new();
        for line in CFN.lines() {
            if let Some(header) = line.strip_prefix("# ") {
                version = header.split(';').next().unwrap_or(header);
            } else if let Some((name, rest)) = line.split_once('\t') {
                names.push(name);
                lines.insert(name, rest);
            }
        }
        names.sort_unstable();
        Catalogue {
            version,
            names,
            lines,
        }
    })
}

/// Types no schema describes: custom resources and those a transform expands (SAM).
pub fn outside_schemas(pattern: &str) -> bool {
    pattern.starts_with("Custom::") || pattern.starts_with("AWS::Serverless::")
}
