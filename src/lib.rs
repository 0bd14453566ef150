//! buttress: policy-as-code for the AWS Well-Architected Framework.

pub mod ast;
pub mod diagnostics;
pub mod source;
pub mod syntax;
