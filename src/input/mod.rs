//! Loaders: input files → the resource model.

pub mod model;
