//! `buttress fmt`: the layout is idempotent and safe (the formatted text parses to the same
//! tree and keeps every comment) on every rule file of the repository, the standard library
//! is kept formatted, and a carelessly laid out file gets the layout pinned in a golden file.

use buttress::format::{format, format_checked, Refusal};
use buttress::source::FileId;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn btr_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|e| e.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            btr_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "btr") {
            out.push(p);
        }
    }
}

#[test]
fn every_rule_file_formats_safely_and_twice_the_same() {
    let mut files = Vec::new();
    for dir in ["stdlib", "tests", "examples"] {
        btr_files(&root().join(dir), &mut files);
    }
    let mut formatted = 0;
    let mut problems = Vec::new();
    for path in &files {
        let src = std::fs::read_to_string(path).expect("a rule file");
        match format_checked(FileId(0), &src) {
            // Files with syntax errors (diagnostic cases) are refused, not laid out.
            Err(Refusal::Syntax(_)) => {}
            Err(Refusal::Changed(why)) => problems.push(format!("{}: {why}", path.display())),
            Ok(once) => {
                formatted += 1;
                let twice = format(&once);
                if twice != once {
                    problems.push(format!("{}: a second format changes it", path.display()));
                }
                if format_checked(FileId(0), &once) != Ok(once.clone()) {
                    problems.push(format!("{}: the formatted text is refused", path.display()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(formatted > 60, "only {formatted} files formatted");
}

#[test]
fn the_stdlib_is_formatted() {
    let mut files = Vec::new();
    btr_files(&root().join("stdlib"), &mut files);
    let unformatted: Vec<String> = files
        .iter()
        .filter(|p| {
            let src = std::fs::read_to_string(p).expect("a rule file");
            format(&src) != src
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        unformatted.is_empty(),
        "run `buttress fmt stdlib/`: {}",
        unformatted.join(", ")
    );
}

#[test]
fn a_messy_file_gets_the_canonical_layout() {
    let src = std::fs::read_to_string(root().join("tests/golden/fmt-messy.btr")).unwrap();
    let out = format_checked(FileId(0), &src).expect("the messy file formats");
    let golden = root().join("tests/golden/fmt-messy.formatted.btr");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    assert_eq!(out, std::fs::read_to_string(&golden).unwrap());
    assert_ne!(out, src);
}

#[test]
fn a_layout_that_would_change_the_tree_is_refused() {
    // A comment token inside a string is text, not a comment: lexing it must not move it.
    let src = "pack t\nparam p: string = \"a // b\"  // real\n";
    assert_eq!(
        format_checked(FileId(0), src),
        Ok("pack t\nparam p: string = \"a // b\" // real\n".to_string())
    );
    assert!(matches!(
        format_checked(FileId(0), "pack t\nrule {"),
        Err(Refusal::Syntax(_))
    ));
}

#[test]
fn strings_are_single_tokens_whatever_they_hold() {
    // A quote inside a message hole opens a string of its own; `{{` is a literal brace; a
    // pattern with an unclosed brace is a plain string.
    let src = "pack t\nparam p: list = [\"{f(\\\"a, b\\\")}x\" , \"{{ \" , \"a{\" ]\n";
    let out = format(src);
    assert_eq!(
        out,
        "pack t\nparam p: list = [\"{f(\\\"a, b\\\")}x\", \"{{ \", \"a{\"]\n"
    );
    let nested = "pack t\nparam p: string = \"{join(x, \", \")}\"  \n";
    assert_eq!(
        format(nested),
        "pack t\nparam p: string = \"{join(x, \", \")}\"\n"
    );
}
