//! The rule language of buttress, up to the syntax tree: source files and spans, diagnostics
//! with stable codes, the pest grammar, and the AST. A crate of its own so that the build
//! script of `buttress` can parse the standard library once, at build time.

pub mod ast;
pub mod diagnostics;
pub mod source;
pub mod syntax;
