//! The standard library's rule sources, embedded at build time from `stdlib/`.

include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));
