//! buttress: policy-as-code for the AWS Well-Architected Framework.

pub mod ast;
pub mod diagnostics;
pub mod source;
pub mod syntax;
pub mod catalogue;
pub mod ir;
pub mod compile;
pub mod eval;
pub mod input;
pub mod engine;
pub mod stdlib;

pub use engine::{Engine, RuleFilter, RuleSet};
pub mod driver;
pub mod report;
pub mod fixtures;
pub mod cli;
#[doc(hidden)]
pub mod oracle;
