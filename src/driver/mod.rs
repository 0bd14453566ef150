//! File IO and parallelism: finds inputs, loads and evaluates them on rayon, and returns
//! per-input outcomes in input order (what an input gives is decided in `run`). The only
//! module that reads input files.

mod pipeline;
pub(crate) mod stream;

use crate::diagnostics::{Code, Diagnostic};
use crate::input::{InputFormat, LoadOptions};
use crate::ir::Program;
pub use crate::run::{check_bytes, InputOutcome};
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
    // The same set of inputs gives the same report, whatever order they were named in:
    // files by path, standard input last.
    inputs.sort_by(|a, b| match (a, b) {
        (Input::File(x), Input::File(y)) => x.cmp(y),
        (Input::File(_), Input::Stdin) => std::cmp::Ordering::Less,
        (Input::Stdin, Input::File(_)) => std::cmp::Ordering::Greater,
        (Input::Stdin, Input::Stdin) => std::cmp::Ordering::Equal,
    });
    (inputs, errors)
}

/// An input's bytes, at most `limit` of them: `Ok(Err(size))` when it holds more.
fn read(input: &Input, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    let mut buf = Vec::new();
    match input {
        Input::File(p) => {
            let size = std::fs::metadata(p)?.len();
            if size > limit {
                return Ok(Err(size));
            }
            // Sized once from the file's length (reading in growing steps costs more than
            // the parse); a file that grows meanwhile is still read to `limit + 1`.
            buf.reserve_exact(size as usize + 1);
            std::fs::File::open(p)?
                .take(limit + 1)
                .read_to_end(&mut buf)?;
        }
        Input::Stdin => {
            std::io::stdin().take(limit + 1).read_to_end(&mut buf)?;
        }
    }
    let read = buf.len() as u64;
    Ok(if read > limit { Err(read) } else { Ok(buf) })
}

/// Whether an input is a stream of one JSON document per line.
fn is_stream(input: &Input, opts: &LoadOptions) -> bool {
    let name = input.name().to_ascii_lowercase();
    opts.format() == InputFormat::Ndjson || name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// Load and evaluate one input.
pub fn check_one(prog: &Program, input: &Input, opts: &LoadOptions) -> InputOutcome {
    if is_stream(input, opts) {
        return stream::check_whole(prog, input, opts);
    }
    let limit = opts.limits.max_input_bytes;
    match read(input, limit) {
        Ok(Ok(bytes)) => check_bytes(prog, &input.name(), bytes, opts),
        Ok(Err(size)) => {
            let mut out = InputOutcome::new(prog, &input.name());
            out.errors.push(crate::run::InputDiagnostic::about(
                Diagnostic::error(
                    Code::InputTooLarge,
                    format!(
                        "`{}` is {}{size} bytes, over the limit of {limit}; it is not read",
                        input.name(),
                        if matches!(input, Input::Stdin) {
                            "over "
                        } else {
                            ""
                        }
                    ),
                )
                .help("raise the limit with --max-input-bytes, or split the input"),
                &input.name(),
            ));
            out
        }
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

/// Bound the parallel parts of this process's runs to `threads` (one per core when `None`):
/// the chunks of a large document are evaluated on rayon's global pool, which gets that many
/// threads, so that `--threads 1` is one thread throughout. Called once, before any run; a
/// later call changes nothing.
pub fn use_threads(threads: Option<usize>) {
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    // An error means the pool exists already (a second call, or a test harness).
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(64 << 20)
        .build_global();
}

/// Check inputs in parallel and hand each outcome to `sink` as soon as it and every input
/// before it are done, in input order whatever the thread count. Files are checked on worker
/// threads a bounded window ahead of `sink` ([`pipeline`]); a stream is checked batch by
/// batch on a rayon pool, each batch's outcome handed on as a part
/// (see [`InputOutcome::continues`]), so that no outcome holds a whole stream's findings.
pub fn check_each(
    prog: &Program,
    inputs: &[Input],
    opts: &LoadOptions,
    threads: Option<usize>,
    mut sink: impl FnMut(InputOutcome) + Send,
) {
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let mut pool = None;
    let mut rest = inputs;
    while let Some(first) = rest.first() {
        if is_stream(first, opts) {
            let pool = pool.get_or_insert_with(|| {
                rayon::ThreadPoolBuilder::new()
                    .stack_size(64 << 20)
                    .num_threads(threads)
                    .build()
                    .ok()
            });
            match pool {
                Some(pool) => pool.install(|| stream::check(prog, first, opts, &mut sink)),
                None => stream::check(prog, first, opts, &mut sink),
            }
            rest = &rest[1..];
            continue;
        }
        let files = rest.iter().take_while(|i| !is_stream(i, opts)).count();
        let (chunk, after) = rest.split_at(files);
        pipeline::check_files(prog, chunk, opts, threads, &mut sink);
        rest = after;
    }
}
