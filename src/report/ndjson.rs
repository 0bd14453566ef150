//! `ndjson`: one finding per line, in the JSON report's finding schema, written as inputs
//! finish (for pipes and large runs).

use super::finding_json::{FindingWriter, Layout};
use super::Finding;
use crate::ir::Program;
use std::io::Write;

/// Writes findings one per line; keeps what each rule's findings share between calls.
pub struct Writer(FindingWriter);

impl Default for Writer {
    fn default() -> Writer {
        Writer(FindingWriter::new(Layout::Compact))
    }
}

impl Writer {
    /// Write `findings`, one JSON object per line, in one write.
    pub fn write(
        &mut self,
        prog: &Program,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        self.0.write_batch(prog, findings, |_| b"", b"\n", out)
    }
}

/// Write `findings` one per line.
pub fn write(prog: &Program, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    Writer::default().write(prog, findings, out)
}
