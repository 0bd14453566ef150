//! Resource schemas embedded from `data/` and the lookups the schema check makes: the
//! CloudFormation types (from cfn-lint's provider schemas, `scripts/gen-cfn-schema.py`) and
//! the Terraform AWS provider's (from the `@cdktf/provider-aws` bindings,
//! `scripts/gen-tf-schema.py`). Only the lines of the types a rule set names are parsed.

mod check;
mod shape;

pub use check::check;
pub use shape::{Kind, Step, TypeSchema};

use std::collections::HashMap;
use std::sync::OnceLock;

const CFN: &str = include_str!("../../data/cfn-schema.txt");
const TF: &str = include_str!("../../data/tf-schema.txt");

/// One kind's embedded schemas: the header line and each type's line, unparsed.
pub struct Catalogue {
    /// Whose types these are, for messages: "CloudFormation", "Terraform AWS provider".
    pub kind: &'static str,
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
    CAT.get_or_init(|| index("CloudFormation", CFN))
}

/// The Terraform AWS provider's catalogue, indexed on first use.
pub fn terraform() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| index("Terraform AWS provider", TF))
}

/// The catalogue of an input kind, and whether a type pattern of it is one the schemas
/// describe: not custom resources or those a transform expands (SAM), not other Terraform
/// providers than AWS.
pub fn for_pattern(kind: &str, pattern: &str) -> Option<&'static Catalogue> {
    match kind {
        "cloudformation"
            if !pattern.starts_with("Custom::") && !pattern.starts_with("AWS::Serverless::") =>
        {
            Some(cloudformation())
        }
        "terraform" if pattern.starts_with("aws_") => Some(terraform()),
        _ => None,
    }
}

fn index(kind: &'static str, text: &'static str) -> Catalogue {
    {
        let mut version = "";
        let mut names = Vec::new();
        let mut lines = HashMap::new();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("# ") {
                version = header.split(';').next().unwrap_or(header);
            } else if let Some((name, rest)) = line.split_once('\t') {
                names.push(name);
                lines.insert(name, rest);
            }
        }
        names.sort_unstable();
        Catalogue {
            kind,
            version,
            names,
            lines,
        }
    }
}
