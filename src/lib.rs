//! buttress: policy-as-code for the AWS Well-Architected Framework.

pub use buttress_lang::{ast, diagnostics, source, syntax};
pub mod catalogue;
pub mod compile;
pub mod date;
pub mod engine;
pub mod eval;
pub mod input;
pub mod ir;
pub mod model;
pub mod stdlib;

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
