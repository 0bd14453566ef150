//! File IO and parallelism: finds inputs, loads and evaluates them on rayon, and returns
//! per-input outcomes in input order. The only module that reads input files.

use crate::diagnostics::{Code, Diagnostic};
use crate::eval::{evaluate, Tally};
use crate::input::{self, InputFormat, LoadError};
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
const EXTENSIONS: &[&str] = &["json", "template"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(Diagnostic::error(
                Code::UnreadableInput,
                format!("cannot read folder `{}`: {e}", dir.display()),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, errors);
        } else if path
            .extension()
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
}

/// Expand paths: files as given, folders walked for inputs, `-` for standard input.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Diagnostic>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut errors);
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
            inputs.push(Input::File(p.clone()));
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
    pub error: Option<LoadError>,
    pub text_for_warnings: Option<String>,
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

/// Load and evaluate one input.
pub fn check_one(prog: &Program, input: &Input, format: InputFormat) -> InputOutcome {
    let name = input.name();
    let mut out = InputOutcome {
        name: name.clone(),
        tally: vec![Tally::default(); prog.rules.len()],
        ..Default::default()
    };
    let bytes = match read(input) {
        Ok(b) => b,
        Err(e) => {
            out.error = Some(LoadError {
                diagnostic: Diagnostic::error(
                    Code::UnreadableInput,
                    format!("cannot read `{name}`: {e}"),
                ),
                text: String::new(),
            });
            return out;
        }
    };
    check_bytes(prog, &name, bytes, format)
}

/// Load and evaluate one input already in memory.
pub fn check_bytes(
    prog: &Program,
    name: &str,
    bytes: Vec<u8>,
    format: InputFormat,
) -> InputOutcome {
    let mut out = InputOutcome {
        name: name.to_string(),
        tally: vec![Tally::default(); prog.rules.len()],
        ..Default::default()
    };
    match input::load(name, bytes, format) {
        Err(e) => out.error = Some(e),
        Ok(loaded) => {
            out.warnings = loaded.warnings;
            for doc in &loaded.documents {
                let result = evaluate(prog, doc);
                out.documents += 1;
                out.resources += doc.resources.len();
                for (t, r) in out.tally.iter_mut().zip(&result.tally) {
                    t.add(r);
                }
                out.findings
                    .extend(crate::report::location::locate(prog, doc, result.findings));
            }
            if !out.warnings.is_empty() {
                out.text_for_warnings = loaded.documents.first().map(|d| d.text.clone());
            }
        }
    }
    out.findings.sort_by(|a, b| {
        (a.location.line, a.location.column, &a.rule_id, &a.message).cmp(&(
            b.location.line,
            b.location.column,
            &b.rule_id,
            &b.message,
        ))
    });
    out
}

/// Check inputs in parallel; outcomes come back in input order whatever the thread count.
pub fn check_all(
    prog: &Program,
    inputs: &[Input],
    format: InputFormat,
    threads: Option<usize>,
) -> Vec<InputOutcome> {
    let run = || {
        inputs
            .par_iter()
            .map(|i| check_one(prog, i, format))
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
