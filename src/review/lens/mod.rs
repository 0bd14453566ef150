//! Custom lenses in the Well-Architected Tool's JSON format (`schemaVersion` "2021-11-01"):
//! the data types (tolerant of real-world spellings), `riskRules` conditions, validation
//! against ImportLens's limits, and the export of loaded rule packs as a lens.

pub mod condition;
pub mod export;
pub mod format;
pub mod validate;

pub use format::{Choice, Lens, LensPillar, LensQuestion, Resource, RiskRule};
