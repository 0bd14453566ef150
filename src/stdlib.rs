//! The standard library's rule sources, embedded at build time from `stdlib/`, and their syntax
//! trees, parsed by the build script.

use crate::ast::PackFile;

include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));

/// The pack of each file of [`FILES`], in order, as the build script parsed it (file `i` with
/// `FileId(i)`), decoded in parallel; `None` when the build script left them to be parsed at
/// run time.
pub fn parsed() -> Option<Vec<PackFile>> {
    use rayon::prelude::*;
    let encoded: Vec<&[u8]> = postcard::from_bytes(PARSED).ok()?;
    let packs: Option<Vec<PackFile>> = encoded
        .par_iter()
        .map(|bytes| postcard::from_bytes(bytes).ok())
        .collect();
    packs.filter(|packs| packs.len() == FILES.len())
}
