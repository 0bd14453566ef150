//! JSON-lines streams: one document per line, read in batches so that memory stays bounded
//! by a batch (at most [`BATCH_BYTES`] of text, or one line when a line is larger), not by the
//! stream. Batches are evaluated in parallel; findings keep their line in the stream.

use super::Input;
use crate::input::LoadOptions;
use crate::ir::Program;
use crate::run::{check_line, InputDiagnostic, InputOutcome};
use rayon::prelude::*;
use std::io::BufRead;

const BATCH_BYTES: usize = 8 << 20;
const BATCH_LINES: usize = 4096;
/// Unreadable lines reported one by one before the rest are only counted.
const MAX_LINE_ERRORS: usize = 20;

/// Check a stream, batch by batch.
pub fn check(prog: &Program, input: &Input, opts: &LoadOptions) -> InputOutcome {
    let name = input.name();
    let mut out = InputOutcome::new(prog, &name);
    let reader: Box<dyn BufRead> = match input {
        Input::Stdin => Box::new(std::io::BufReader::new(std::io::stdin())),
        Input::File(p) => match std::fs::File::open(p) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 20, f)),
            Err(e) => return InputOutcome::unreadable(prog, &name, &e),
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
                    out.absorb(InputOutcome::unreadable(prog, &name, &e));
                    break;
                }
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<InputOutcome> = batch
            .into_par_iter()
            .filter_map(|(n, bytes)| check_line(prog, &name, n, bytes, opts))
            .collect();
        for mut r in results {
            let room = MAX_LINE_ERRORS.saturating_sub(out.errors.len());
            if r.errors.len() > room {
                skipped_errors += r.errors.len() - room;
                r.errors.truncate(room);
            }
            out.absorb(r);
        }
    }
    if skipped_errors > 0 {
        out.errors.push(InputDiagnostic::bare(
            crate::diagnostics::Diagnostic::error(
                crate::diagnostics::Code::InvalidJson,
                format!("`{name}`: {skipped_errors} more lines could not be read"),
            ),
        ));
    }
    out.sort();
    out
}
