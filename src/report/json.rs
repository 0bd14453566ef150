//! The JSON report: the documented schema (docs/report-schema.md, [`super::schema`]).

use super::schema::JsonReport;
use super::{Report, WriteOptions};
use std::io::Write;

/// Write the report as pretty-printed JSON followed by a newline.
pub fn write(report: &Report, opts: &WriteOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = JsonReport::from_report(report, opts.include_passing);
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
