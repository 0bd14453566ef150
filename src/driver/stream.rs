//! JSON-lines streams: one document per line, read in batches so that memory stays bounded
//! by a batch (at most [`BATCH_BYTES`] of text, or one line when a line is larger), not by the
//! stream. Batches are evaluated in parallel; findings keep their line in the stream.

use super::{unreadable, Input, InputOutcome};
use crate::input::{self, model::Document, InputFormat, LoadError, LoadOptions};
use crate::ir::{InputKind, Program};
use crate::report::Finding;
use rayon::prelude::*;
use std::io::BufRead;

const BATCH_BYTES: usize = 8 << 20;
const BATCH_LINES: usize = 4096;
/// The longest line read; a longer one is an error for that line and the stream goes on.
pub const MAX_LINE_BYTES: usize = 64 << 20;
/// How much of one overlong line is skipped, at most, before the stream is given up (a
/// stream with no line breaks at all, such as `/dev/zero`, must end).
const MAX_SKIP_BYTES: u64 = 1 << 30;
/// Unreadable lines reported one by one before the rest are only counted.
const MAX_LINE_ERRORS: usize = 20;

/// What one line gave.
enum LineResult {
    Blank,
    Checked(Box<InputOutcome>),
    Error(LoadError),
}

fn check_line(
    prog: &Program,
    name: &str,
    line_no: usize,
    text: String,
    opts: &LoadOptions,
) -> LineResult {
    if text.trim().is_empty() {
        return LineResult::Blank;
    }
    // A stream holds JSON documents; each line is detected on its own unless forced.
    let format = match opts.format() {
        InputFormat::Ndjson => None,
        other => Some(other),
    };
    let line_opts = LoadOptions {
        format,
        pseudo: opts.pseudo.clone(),
    };
    match input::load_json_line(name, text, &line_opts) {
        Err(e) => LineResult::Error(on_line(e, line_no)),
        Ok(loaded) => {
            let mut out = InputOutcome::new(prog, name);
            for mut doc in loaded.documents {
                name_line(&mut doc, name, line_no);
                let found = out.add_document(prog, &doc);
                out.findings
                    .extend(found.into_iter().map(|f| at_line(f, name, line_no)));
            }
            LineResult::Checked(Box::new(out))
        }
    }
}

/// An error about one line, shown at its place in the stream.
fn on_line(mut e: LoadError, line_no: usize) -> LoadError {
    e.diagnostic.message = format!("line {line_no}: {}", e.diagnostic.message);
    // Put the line at its place so that rendering shows the right line number.
    e.text = format!("{}{}", "\n".repeat(line_no - 1), e.text);
    for l in &mut e.diagnostic.labels {
        l.span.start += (line_no - 1) as u32;
        l.span.end += (line_no - 1) as u32;
    }
    e
}

/// One line of a stream, read with bounded memory.
enum Line {
    Text(Vec<u8>),
    /// Longer than [`MAX_LINE_BYTES`]: skipped up to its end.
    TooLong(u64),
    /// Longer than [`MAX_SKIP_BYTES`]: the rest of the stream is not read.
    Endless,
}

/// The next line of `r` (without its `\n`), `None` at the end.
fn next_line(r: &mut dyn BufRead) -> std::io::Result<Option<Line>> {
    let mut line = Vec::new();
    let mut skipped: u64 = 0;
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(match (any, skipped) {
                (false, _) => None,
                (true, 0) => Some(Line::Text(line)),
                (true, n) => Some(Line::TooLong(n)),
            });
        }
        any = true;
        let (chunk, done) = match memchr_newline(buf) {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if skipped == 0 && line.len() + chunk.len() <= MAX_LINE_BYTES {
            line.extend_from_slice(chunk);
        } else {
            skipped += (line.len() + chunk.len()) as u64;
            line = Vec::new();
        }
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        if done.is_some() {
            return Ok(Some(if skipped == 0 {
                Line::Text(line)
            } else {
                Line::TooLong(skipped)
            }));
        }
        if skipped > MAX_SKIP_BYTES {
            return Ok(Some(Line::Endless));
        }
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

fn line_error(name: &str, line_no: usize, message: String, help: &str) -> LoadError {
    on_line(
        LoadError {
            diagnostic: crate::diagnostics::Diagnostic::error(
                crate::diagnostics::Code::LineTooLong,
                format!("`{name}`: {message}"),
            )
            .help(help.to_string()),
            text: String::new(),
        },
        line_no,
    )
}

/// A plain JSON line is one resource, named after the stream and its line.
pub(crate) fn name_line(doc: &mut Document, name: &str, line_no: usize) {
    doc.name = name.to_string();
    if doc.kind == InputKind::Json {
        for r in &mut doc.resources {
            r.type_name = name.to_string();
            r.name = format!("{name}:{line_no}");
        }
    }
}

fn at_line(mut f: Finding, name: &str, line_no: usize) -> Finding {
    f.file = name.to_string();
    f.location.line = line_no;
    f
}

/// Check a stream, batch by batch.
pub fn check(prog: &Program, input: &Input, opts: &LoadOptions) -> InputOutcome {
    let name = input.name();
    let mut out = InputOutcome::new(prog, &name);
    let reader: Box<dyn BufRead> = match input {
        Input::Stdin => Box::new(std::io::BufReader::new(std::io::stdin())),
        Input::File(p) => match std::fs::File::open(p) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 20, f)),
            Err(e) => {
                out.errors.push(unreadable(&name, &e));
                return out;
            }
        },
    };
    let mut reader = reader;
    let mut line_no = 0;
    let mut skipped_errors = 0;
    let mut ended = false;
    let mut early: Vec<LoadError> = Vec::new();
    while !ended {
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut bytes = 0;
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            match next_line(reader.as_mut()) {
                Ok(Some(Line::Text(line))) => {
                    line_no += 1;
                    bytes += line.len();
                    batch.push((line_no, line));
                }
                Ok(Some(Line::TooLong(n))) => {
                    line_no += 1;
                    early.push(line_error(
                        &name,
                        line_no,
                        format!("the line is {n} bytes, over the limit of {MAX_LINE_BYTES}; it is skipped"),
                        "a stream holds one JSON document per line; split the document, or check it as a file of its own",
                    ));
                }
                Ok(Some(Line::Endless)) => {
                    line_no += 1;
                    early.push(line_error(
                        &name,
                        line_no,
                        format!("no line break in over {MAX_SKIP_BYTES} bytes; the rest of the stream is not read"),
                        "is this a stream of JSON lines?",
                    ));
                    ended = true;
                    break;
                }
                Ok(None) => {
                    ended = true;
                    break;
                }
                Err(e) => {
                    out.errors.push(unreadable(&name, &e));
                    ended = true;
                    break;
                }
            }
        }
        for e in early.drain(..) {
            if out.errors.len() < MAX_LINE_ERRORS {
                out.errors.push(e);
            } else {
                skipped_errors += 1;
            }
        }
        if batch.is_empty() {
            continue;
        }
        let results: Vec<LineResult> = batch
            .into_par_iter()
            .map(|(n, bytes)| match input::decode(&name, bytes) {
                Ok(text) => check_line(
                    prog,
                    &name,
                    n,
                    text.trim_end_matches('\r').to_string(),
                    opts,
                ),
                Err(e) => LineResult::Error(on_line(e, n)),
            })
            .collect();
        for r in results {
            match r {
                LineResult::Blank => {}
                LineResult::Error(e) if out.errors.len() < MAX_LINE_ERRORS => out.errors.push(e),
                LineResult::Error(_) => skipped_errors += 1,
                LineResult::Checked(o) => {
                    out.documents += o.documents;
                    out.resources += o.resources;
                    for (t, x) in out.tally.iter_mut().zip(&o.tally) {
                        t.add(x);
                    }
                    out.findings.extend(o.findings);
                }
            }
        }
    }
    if out.documents == 0 && out.errors.is_empty() {
        // As for an empty file: a stream with no document checks nothing, which is no pass.
        out.errors.push(LoadError {
            diagnostic: crate::diagnostics::Diagnostic::error(
                crate::diagnostics::Code::InvalidJson,
                format!("`{name}` is empty: it holds no JSON line"),
            )
            .help("a stream holds one JSON document per line"),
            text: String::new(),
        });
    }
    if skipped_errors > 0 {
        out.errors.push(LoadError {
            diagnostic: crate::diagnostics::Diagnostic::error(
                crate::diagnostics::Code::InvalidJson,
                format!("`{name}`: {skipped_errors} more lines could not be read"),
            ),
            text: String::new(),
        });
    }
    out.sort();
    out
}
