//! File IO and parallelism: finds inputs, loads and evaluates them on rayon, and returns
//! per-input outcomes in input order (what an input gives is decided in `run`). The only
//! module that reads input files.

mod stream;

use crate::diagnostics::{Code, Diagnostic};
use crate::input::{InputFormat, LoadOptions};
use crate::ir::Program;
pub use crate::run::{check_bytes, InputOutcome};
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
        Err(e) => InputOutcome::unreadable(prog, &input.name(), &e),
    }
}

/// Check inputs in parallel; outcomes come back in input order whatever the thread count.
pub fn check_all(
    prog: &Program,
    inputs: &[Input],
    opts: &LoadOptions,
    threads: Option<usize>,
) -> Vec<InputOutcome> {
    let mut all = Vec::with_capacity(inputs.len());
    check_each(prog, inputs, opts, threads, |o| all.push(o));
    all
}

/// Inputs handed to the workers at a time: enough to keep them busy, few enough that
/// outcomes reach `sink` while later inputs are still being read.
const WINDOW_PER_THREAD: usize = 4;

/// Check inputs in parallel and hand each outcome to `sink` as soon as it and every input
/// before it are done, in input order whatever the thread count.
pub fn check_each(
    prog: &Program,
    inputs: &[Input],
    opts: &LoadOptions,
    threads: Option<usize>,
    mut sink: impl FnMut(InputOutcome) + Send,
) {
    let mut run = move || {
        let window = rayon::current_num_threads().max(1) * WINDOW_PER_THREAD;
        for chunk in inputs.chunks(window) {
            let outcomes: Vec<InputOutcome> =
                chunk.par_iter().map(|i| check_one(prog, i, opts)).collect();
            outcomes.into_iter().for_each(&mut sink);
        }
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
