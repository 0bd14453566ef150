//! File IO and parallelism: finds inputs, loads and evaluates them on rayon, and returns
//! per-input outcomes in input order. The only module that reads input files.

pub(crate) mod stream;

use crate::diagnostics::{Code, Diagnostic};
use crate::eval::{evaluate, Tally};
use crate::input::{self, InputFormat, LoadError, LoadOptions};
use crate::ir::Program;
use crate::report::Finding;
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// An input to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// File names a folder walk picks up.
const EXTENSIONS: &[&str] = &["json", "template", "yaml", "yml", "jsonl", "ndjson"];

/// Whether a file name ends in one of [`EXTENSIONS`], in any case (`.JSON`, `.Yaml`).
fn is_input_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The inputs under `dir`, without recursion: every real folder and file is visited once
/// (links are followed, so a link loop or a link to a file already seen adds nothing), and
/// special files (FIFOs, sockets, devices) are skipped with a warning instead of blocking.
fn walk(
    dir: &Path,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if !seen.insert(real) {
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::error(
                    Code::UnreadableInput,
                    format!("cannot read folder `{}`: {e}", dir.display()),
                ));
                continue;
            }
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.path());
        let mut dirs = Vec::new();
        for entry in entries {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // Follow links: what matters is what they lead to.
            let Ok(meta) = std::fs::metadata(&path) else {
                errors.push(Diagnostic::warning(
                    Code::UnreadableInput,
                    format!(
                        "`{}` leads nowhere (a broken link?); skipped",
                        path.display()
                    ),
                ));
                continue;
            };
            if meta.is_dir() {
                dirs.push(path);
            } else if !is_input_name(&path) {
                continue;
            } else if !meta.is_file() {
                errors.push(
                    Diagnostic::warning(
                        Code::UnreadableInput,
                        format!(
                            "`{}` is not a regular file (a FIFO, socket or device); skipped",
                            path.display()
                        ),
                    )
                    .help("give it by name, or as `-` on standard input, to read it"),
                );
            } else {
                let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if seen.insert(real) {
                    out.push(path);
                }
            }
        }
        stack.extend(dirs.into_iter().rev());
    }
}

/// Expand paths: files as given, folders walked for inputs, `-` for standard input.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Diagnostic>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut seen, &mut found, &mut errors);
            found.sort();
            if found.is_empty() {
                errors.push(
                    Diagnostic::error(Code::NoInputs, format!("no inputs in `{}`", p.display()))
                        .help(format!(
                            "folders are searched for files ending in {}",
                            EXTENSIONS
                                .iter()
                                .map(|e| format!(".{e}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                );
            }
            inputs.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            // A file given by name is read whatever it is, once.
            if seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())) {
                inputs.push(Input::File(p.clone()));
            }
        } else {
            errors.push(Diagnostic::error(
                Code::UnreadableInput,
                format!("`{}` does not exist", p.display()),
            ));
        }
    }
    (inputs, errors)
}

/// The result of one input.
#[derive(Debug, Default)]
pub struct InputOutcome {
    pub name: String,
    pub documents: usize,
    pub resources: usize,
    pub findings: Vec<Finding>,
    pub tally: Vec<Tally>,
    /// Warnings about the input, each with the input's text (labels use `FileId(0)`).
    pub warnings: Vec<Diagnostic>,
    /// What could not be read: the input, or lines of a stream.
    pub errors: Vec<LoadError>,
    pub text_for_warnings: Option<String>,
}

impl InputOutcome {
    fn new(prog: &Program, name: &str) -> InputOutcome {
        InputOutcome {
            name: name.to_string(),
            tally: vec![Tally::default(); prog.rules.len()],
            ..Default::default()
        }
    }

    /// Evaluate one loaded document into this outcome.
    fn add_document(&mut self, prog: &Program, doc: &input::model::Document) -> Vec<Finding> {
        let result = evaluate(prog, doc);
        self.documents += 1;
        self.resources += doc.resources.len();
        for (t, r) in self.tally.iter_mut().zip(&result.tally) {
            t.add(r);
        }
        crate::report::location::locate(prog, doc, result.findings)
    }

    fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (a.location.line, a.location.column, &a.rule_id, &a.message).cmp(&(
                b.location.line,
                b.location.column,
                &b.rule_id,
                &b.message,
            ))
        });
    }
}

fn unreadable(name: &str, e: &std::io::Error) -> LoadError {
    LoadError {
        diagnostic: Diagnostic::error(Code::UnreadableInput, format!("cannot read `{name}`: {e}")),
        text: String::new(),
    }
}

fn read(input: &Input) -> std::io::Result<Vec<u8>> {
    match input {
        Input::File(p) => std::fs::read(p),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

/// Whether an input is a stream of one JSON document per line.
fn is_stream(input: &Input, opts: &LoadOptions) -> bool {
    let name = input.name().to_ascii_lowercase();
    opts.format() == InputFormat::Ndjson || name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// Load and evaluate one input.
pub fn check_one(prog: &Program, input: &Input, opts: &LoadOptions) -> InputOutcome {
    if is_stream(input, opts) {
        return stream::check(prog, input, opts);
    }
    match read(input) {
        Ok(bytes) => check_bytes(prog, &input.name(), bytes, opts),
        Err(e) => {
            let mut out = InputOutcome::new(prog, &input.name());
            out.errors.push(unreadable(&input.name(), &e));
            out
        }
    }
}

/// Load and evaluate one input already in memory.
pub fn check_bytes(prog: &Program, name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> InputOutcome {
    let mut out = InputOutcome::new(prog, name);
    match input::load(name, bytes, opts) {
        Err(e) => out.errors.push(e),
        Ok(loaded) => {
            out.warnings = loaded.warnings;
            for doc in loaded.documents {
                if let Some(w) = unselected(prog, &doc) {
                    out.warnings.push(w);
                }
                let found = out.add_document(prog, &doc);
                out.findings.extend(found);
                // Warnings are rendered against the text; the document is done with it.
                if !out.warnings.is_empty() && out.text_for_warnings.is_none() {
                    out.text_for_warnings = Some(doc.text);
                }
            }
        }
    }
    out.sort();
    out
}

/// A document that is none of the known formats and that no rule selects as plain JSON is
/// reported as skipped, with the reason, rather than passing silently.
fn unselected(prog: &Program, doc: &input::model::Document) -> Option<Diagnostic> {
    use crate::ir::InputKind;
    let selected = doc
        .resources
        .iter()
        .any(|r| !prog.blocks_for(doc.kind, &r.type_name).is_empty());
    (doc.kind == InputKind::Json && !selected).then(|| {
        Diagnostic::warning(
            Code::SkippedInput,
            format!(
                "`{}` is not a CloudFormation template, a Terraform plan or state, or AWS Config items, and no rule checks it as plain JSON; it is skipped",
                doc.name
            ),
        )
        .help("`--input-format` names the format if detection is wrong; `on json \"…\"` rules check any document")
    })
}

/// Check inputs in parallel; outcomes come back in input order whatever the thread count.
pub fn check_all(
    prog: &Program,
    inputs: &[Input],
    opts: &LoadOptions,
    threads: Option<usize>,
) -> Vec<InputOutcome> {
    let run = || {
        inputs
            .par_iter()
            .map(|i| check_one(prog, i, opts))
            .collect::<Vec<_>>()
    };
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(64 << 20);
    if let Some(n) = threads {
        builder = builder.num_threads(n.max(1));
    }
    match builder.build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}
