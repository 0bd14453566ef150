//! JSON-lines streams: one document per line, read in batches so that memory stays bounded
//! by a batch (at most [`BATCH_BYTES`] of text, or one line when a line is larger), not by the
//! stream. Batches are evaluated in parallel; findings keep their line in the stream.

use super::Input;
use crate::diagnostics::{Code, Diagnostic};
use crate::input::LoadOptions;
use crate::ir::Program;
use crate::run::{check_line, line_options, InputDiagnostic, InputOutcome};
use rayon::prelude::*;
use std::io::BufRead;

const BATCH_BYTES: usize = 8 << 20;
const BATCH_LINES: usize = 1024;
/// Checked batches that may wait for the writer: enough to keep the workers busy while it
/// writes, few enough that memory stays a few batches.
const PARTS_AHEAD: usize = 1;
/// How much of one overlong line is skipped, at most, before the stream is given up (a
/// stream with no line breaks at all, such as `/dev/zero`, must end).
const MAX_SKIP_BYTES: u64 = 1 << 30;
/// Unreadable lines reported one by one before the rest are only counted.
const MAX_LINE_ERRORS: usize = 20;

/// One line of a stream, read with bounded memory.
enum Line {
    Text(Vec<u8>),
    /// Longer than the line limit: skipped up to its end.
    TooLong(u64),
    /// Longer than [`MAX_SKIP_BYTES`]: the rest of the stream is not read.
    Endless,
}

/// The next line of `r` (without its `\n`), `None` at the end.
fn next_line(r: &mut dyn BufRead, max_line: usize) -> std::io::Result<Option<Line>> {
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
        let available = buf.len();
        let newline = memchr::memchr(b'\n', buf);
        let chunk = &buf[..newline.unwrap_or(buf.len())];
        if skipped == 0 && line.len() + chunk.len() <= max_line {
            line.extend_from_slice(chunk);
        } else {
            skipped += (line.len() + chunk.len()) as u64;
            line = Vec::new();
        }
        r.consume(newline.map_or(available, |i| i + 1));
        if newline.is_some() {
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

/// An error about one line of the stream that is not the line's own text.
fn line_error(name: &str, line_no: usize, message: String, help: &str) -> InputDiagnostic {
    InputDiagnostic::about(
        Diagnostic::error(
            Code::LineTooLong,
            format!("line {line_no}: `{name}`: {message}"),
        )
        .help(help.to_string()),
        name,
    )
}

/// Check a stream as one outcome (its parts absorbed into one).
pub fn check_whole(prog: &Program, input: &Input, opts: &LoadOptions) -> InputOutcome {
    let mut whole = InputOutcome::new(prog, &input.name());
    check_batches(prog, input, opts, &mut |part| whole.absorb(part));
    whole.continues = false;
    whole
}

/// Check a stream batch by batch, handing `sink` each batch's outcome as it is done, in
/// stream order: every part but the last `continues`. On more than one thread the sink runs
/// on a thread of its own, so that writing one batch's findings overlaps checking the next;
/// at most [`PARTS_AHEAD`] parts wait for it.
pub fn check(
    prog: &Program,
    input: &Input,
    opts: &LoadOptions,
    sink: &mut (dyn FnMut(InputOutcome) + Send),
) {
    if rayon::current_num_threads() <= 1 {
        return check_batches(prog, input, opts, sink);
    }
    let overlapped = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<InputOutcome>(PARTS_AHEAD);
        let sink = &mut *sink;
        let writer = std::thread::Builder::new()
            .name("buttress-write".to_string())
            .spawn_scoped(scope, move || rx.into_iter().for_each(sink));
        if writer.is_err() {
            return false;
        }
        // A writer that stopped (it panicked) drops its parts; the panic is re-raised when
        // the scope ends.
        check_batches(prog, input, opts, &mut |part| drop(tx.send(part)));
        true
    });
    if !overlapped {
        check_batches(prog, input, opts, sink);
    }
}

/// One batch of lines, read while the batch before it is checked.
#[derive(Default)]
struct Batch {
    /// Line numbers (from 1) and text.
    lines: Vec<(usize, Vec<u8>)>,
    /// The stream could not be read on: the outcome that says so.
    unreadable: Option<InputOutcome>,
    /// Lines that are no document (too long), in stream order.
    early: Vec<InputDiagnostic>,
    /// Nothing follows this batch.
    ended: bool,
}

/// Reads a stream batch by batch: at most [`BATCH_LINES`] lines or [`BATCH_BYTES`] of text.
struct BatchReader<'a> {
    reader: Box<dyn BufRead + 'a>,
    name: &'a str,
    max_line: usize,
    line_no: usize,
}

impl BatchReader<'_> {
    fn next_batch(&mut self, prog: &Program) -> Batch {
        let mut batch = Batch::default();
        let mut bytes = 0;
        let name = self.name;
        while batch.lines.len() < BATCH_LINES && bytes < BATCH_BYTES {
            match next_line(self.reader.as_mut(), self.max_line) {
                Ok(Some(Line::Text(line))) => {
                    self.line_no += 1;
                    bytes += line.len();
                    batch.lines.push((self.line_no, line));
                }
                Ok(Some(Line::TooLong(n))) => {
                    self.line_no += 1;
                    batch.early.push(line_error(
                        name,
                        self.line_no,
                        format!(
                            "the line is {n} bytes, over the limit of {}; it is skipped",
                            self.max_line
                        ),
                        "a stream holds one JSON document per line; check a large document as a file of its own",
                    ));
                }
                Ok(Some(Line::Endless)) => {
                    self.line_no += 1;
                    batch.early.push(line_error(
                        name,
                        self.line_no,
                        format!("no line break in over {MAX_SKIP_BYTES} bytes; the rest of the stream is not read"),
                        "is this a stream of JSON lines?",
                    ));
                    batch.ended = true;
                    break;
                }
                Ok(None) => {
                    batch.ended = true;
                    break;
                }
                Err(e) => {
                    batch.unreadable = Some(InputOutcome::unreadable(prog, name, &e));
                    batch.ended = true;
                    break;
                }
            }
        }
        batch
    }
}

/// Check `lines` on the pool: each worker gathers a run of consecutive lines into one
/// outcome; the runs come back in stream order.
fn check_lines(
    prog: &Program,
    name: &str,
    lines: Vec<(usize, Vec<u8>)>,
    line_opts: &LoadOptions,
) -> Vec<InputOutcome> {
    lines
        .into_par_iter()
        .fold(
            || InputOutcome::new(prog, name),
            |mut acc, (n, bytes)| {
                check_line(&mut acc, prog, name, n, bytes, line_opts);
                acc
            },
        )
        .collect()
}

/// [`check`] on this thread: batches are read here, each while the one before it is checked
/// on the pool, and handed to `sink` in turn.
fn check_batches(
    prog: &Program,
    input: &Input,
    opts: &LoadOptions,
    sink: &mut dyn FnMut(InputOutcome),
) {
    let name = input.name();
    let line_opts = line_options(opts);
    let mut out = InputOutcome::new(prog, &name);
    let reader: Box<dyn BufRead> = match input {
        // Locked once, read in large blocks: standard input's own reader locks on every call
        // and fills 8 KiB at a time.
        Input::Stdin => Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            std::io::stdin().lock(),
        )),
        Input::File(p) => match std::fs::File::open(p) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 20, f)),
            Err(e) => return sink(InputOutcome::unreadable(prog, &name, &e)),
        },
    };
    let mut reader = BatchReader {
        reader,
        name: &name,
        max_line: opts.limits.max_line_bytes,
        line_no: 0,
    };
    // Over the whole stream, not the part: documents read and line errors reported.
    let mut documents = 0;
    let mut errors = 0;
    let mut skipped_errors = 0;
    let mut next = Some(reader.next_batch(prog));
    while let Some(Batch {
        lines,
        unreadable,
        early,
        ended,
    }) = next.take()
    {
        if let Some(unreadable) = unreadable {
            out.absorb(unreadable);
            errors += 1;
        }
        for e in early {
            if errors < MAX_LINE_ERRORS {
                out.errors.push(e);
                errors += 1;
            } else {
                skipped_errors += 1;
            }
        }
        let results = if ended {
            check_lines(prog, &name, lines, &line_opts)
        } else {
            // The next batch is read on this thread while the pool checks this one.
            let mut results = Vec::new();
            next = rayon::in_place_scope(|scope| {
                scope.spawn(|_| results = check_lines(prog, &name, lines, &line_opts));
                Some(reader.next_batch(prog))
            });
            results
        };
        for mut r in results {
            let room = MAX_LINE_ERRORS.saturating_sub(errors);
            if r.errors.len() > room {
                skipped_errors += r.errors.len() - room;
                r.errors.truncate(room);
            }
            errors += r.errors.len();
            documents += r.documents;
            out.absorb(r);
        }
        if !ended {
            let mut part = std::mem::replace(&mut out, InputOutcome::new(prog, &name));
            part.continues = true;
            part.sort();
            sink(part);
        }
    }
    if documents == 0 && errors == 0 {
        // As for an empty file: a stream with no document checks nothing, which is no pass.
        out.errors.push(InputDiagnostic::about(
            Diagnostic::error(
                Code::InvalidJson,
                format!("`{name}` is empty: it holds no JSON line"),
            )
            .help("a stream holds one JSON document per line"),
            &name,
        ));
    }
    if skipped_errors > 0 {
        out.errors.push(InputDiagnostic::about(
            Diagnostic::error(
                Code::InvalidJson,
                format!("`{name}`: {skipped_errors} more lines could not be read"),
            ),
            &name,
        ));
    }
    out.sort();
    sink(out);
}
