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
        Err(mut e) => {
            e.diagnostic.message = format!("line {line_no}: {}", e.diagnostic.message);
            // Put the line at its place so that rendering shows the right line number.
            e.text = format!("{}{}", "\n".repeat(line_no - 1), e.text);
            for l in &mut e.diagnostic.labels {
                l.span.start += (line_no - 1) as u32;
                l.span.end += (line_no - 1) as u32;
            }
            LineResult::Error(e)
        }
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
    let mut lines = reader.split(b'\n');
    let mut line_no = 0;
    let mut skipped_errors = 0;
    loop {
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut bytes = 0;
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            match lines.next() {
                Some(Ok(line)) => {
                    line_no += 1;
                    bytes += line.len();
                    batch.push((line_no, line));
                }
                Some(Err(e)) => {
                    out.errors.push(unreadable(&name, &e));
                    break;
                }
                None => break,
            }
        }
        if batch.is_empty() {
            break;
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
                Err(e) => LineResult::Error(e),
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
