//! `ndjson`: one finding per line, in the JSON report's finding schema, written as inputs
//! finish (for pipes and large runs).

use super::schema::FindingRecord;
use super::Finding;
use crate::ir::Program;
use std::io::Write;

pub fn write(prog: &Program, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, &FindingRecord::of(prog, f))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
