//! Embeds every `stdlib/**/*.btr` file in the binary, and its syntax tree: the files are
//! parsed here, once, so that loading the standard library at run time only decodes them.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "btr") {
            out.push(path);
        }
    }
}

/// The pack of each of `files`, file `i` parsed as `FileId(i)`, each encoded with postcard (so
/// that they decode in parallel), the list encoded again; empty when any file has a diagnostic
/// of any kind, so that the run-time parse reports it with its source.
fn parsed_stdlib(files: &[PathBuf]) -> Vec<u8> {
    let mut packs: Vec<Vec<u8>> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let file = buttress_lang::source::FileId(i as u32);
        match buttress_lang::syntax::parse_file(file, &text) {
            (Some(pack), diagnostics) if diagnostics.is_empty() => {
                packs.push(postcard::to_stdvec(&pack).unwrap_or_default())
            }
            _ => return Vec::new(),
        }
    }
    postcard::to_stdvec(&packs).unwrap_or_default()
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("stdlib"), &mut files);
    files.sort();
    let mut code = String::from("/// The embedded standard library: (path, source).\npub const FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.to_string_lossy()
        ));
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let ast = out_dir.join("stdlib_ast.postcard");
    std::fs::write(&ast, parsed_stdlib(&files)).expect("OUT_DIR is writable");
    code.push_str(&format!(
        "/// The files' syntax trees, parsed by the build script (postcard; empty when a file\n\
         /// had a diagnostic, which the run-time parse then reports).\n\
         pub const PARSED: &[u8] = include_bytes!({:?});\n",
        ast.to_string_lossy()
    ));
    std::fs::write(out_dir.join("stdlib_files.rs"), code).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=stdlib");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
}
