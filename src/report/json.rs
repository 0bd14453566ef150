//! The JSON report: the documented schema (docs/report-schema.md, [`super::schema`]),
//! written as a stream: the head and each finding as inputs finish, the passing pairs,
//! errors, warnings and summary when the run ends. Written whole, it is the same bytes.

use super::finding_json::{FindingWriter, Layout};
use super::schema::{PassRecord, Summary, Tool, SCHEMA_VERSION};
use super::{Finding, Report, WriteOptions};
use crate::ir::Program;
use std::io::Write;

/// Write the report as pretty-printed JSON followed by a newline.
pub fn write(report: &Report, opts: &WriteOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let mut stream = Stream::start(out)?;
    stream.findings(report.program, &report.findings, out)?;
    stream.finish(report, opts.include_passing, out)
}

/// `value` pretty-printed as it stands `indent` spaces in (JSON strings hold no raw line
/// break, so every line break of the text is one of the layout's).
fn pretty_at(value: &impl serde::Serialize, indent: usize) -> std::io::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    Ok(text.replace('\n', &format!("\n{:indent$}", "")))
}

/// A JSON report being written: its head is out, findings follow one by one.
pub struct Stream {
    /// No finding written yet.
    empty: bool,
    writer: FindingWriter,
}

impl Stream {
    /// Write the head of the report, up to the opening of its findings.
    pub fn start(out: &mut dyn Write) -> std::io::Result<Stream> {
        write!(
            out,
            "{{\n  \"version\": {SCHEMA_VERSION},\n  \"tool\": {},\n  \"findings\": [",
            pretty_at(&Tool::this(), 2)?
        )?;
        Ok(Stream {
            empty: true,
            writer: FindingWriter::new(Layout::Pretty { indent: 4 }),
        })
    }

    /// Write findings, in order.
    pub fn findings(
        &mut self,
        prog: &Program,
        findings: &[Finding],
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let first = self.empty;
        self.empty &= findings.is_empty();
        let before = |i| -> &'static [u8] {
            if first && i == 0 {
                b"\n    "
            } else {
                b",\n    "
            }
        };
        self.writer.write_batch(prog, findings, before, b"", out)
    }

    /// Close the findings and write what the report says once the run is over.
    pub fn finish(
        self,
        report: &Report,
        include_passing: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        out.write_all(if self.empty { b"]" } else { b"\n  ]" })?;
        if include_passing {
            let prog = report.program;
            let passing: Vec<PassRecord> = report
                .passed
                .iter()
                .map(|p| PassRecord::of(prog, p))
                .collect();
            write!(out, ",\n  \"passing\": {}", pretty_at(&passing, 2)?)?;
        }
        write!(
            out,
            ",\n  \"errors\": {},\n  \"warnings\": {},\n  \"summary\": {}\n}}\n",
            pretty_at(&report.errors, 2)?,
            pretty_at(&report.warnings, 2)?,
            pretty_at(&Summary::of(report), 2)?
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::schema::JsonReport;

    /// The streamed report is exactly the serialised schema document, with and without
    /// findings and passing pairs.
    #[test]
    fn streamed_report_is_the_schema_document() {
        let set = crate::engine::Engine::new().with_stdlib().compile();
        let prog = &set.program;
        let findings = crate::report::findings_of(prog, "t.json", crate::report::FAILING_TEMPLATE);
        assert!(findings.len() > 2, "the sample fails several rules");
        for (findings, passing) in [(findings, false), (Vec::new(), true), (Vec::new(), false)] {
            let report = Report::with_findings(prog, 1, findings);
            let opts = WriteOptions {
                color: false,
                include_passing: passing,
            };
            let mut streamed = Vec::new();
            write(&report, &opts, &mut streamed).expect("writes");
            let whole = serde_json::to_string_pretty(&JsonReport::from_report(&report, passing))
                .expect("serialises")
                + "\n";
            assert_eq!(String::from_utf8(streamed).expect("utf-8"), whole);
        }
    }
}
