//! buttress: policy-as-code for the AWS Well-Architected Framework.

pub mod ast;
pub mod catalogue;
pub mod compile;
pub mod date;
pub mod diagnostics;
pub mod engine;
pub mod eval;
pub mod input;
pub mod ir;
pub mod model;
pub mod source;
pub mod stdlib;
pub mod syntax;

pub use engine::{Engine, RuleFilter, RuleSet};
pub mod baseline;
pub mod cli;
pub mod driver;
pub mod fixtures;
pub mod format;
pub mod gate;
#[doc(hidden)]
pub mod report;
pub mod review;
pub mod run;
pub mod scaffold;
pub mod schema;
pub mod waiver;
