//! `--format FORMAT[=PATH]`: which reports to write, and where.

use crate::diagnostics::{Code, Diagnostic};
use crate::report::{self, Format, Report, WriteOptions};
use std::io::Write;
use std::path::PathBuf;

/// One report to write: a format and a file, or standard output.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// Parse `FORMAT` or `FORMAT=PATH` (clap value parser).
pub fn parse_output(text: &str) -> Result<Output, String> {
    let (name, path) = match text.split_once('=') {
        Some((n, p)) if !p.is_empty() => (n, Some(PathBuf::from(p))),
        Some((n, _)) => return Err(format!("`{n}=` names no file; write `{n}=PATH` or `{n}`")),
        None => (text, None),
    };
    let format = Format::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
        format!("unknown format `{name}`; one of: {}", names.join(", "))
    })?;
    Ok(Output { format, path })
}

/// The outputs of a run: formats without a path go to `--output`, else standard output;
/// two reports may not share a destination.
pub fn resolve(given: &[Output], output: Option<&PathBuf>) -> Result<Vec<Output>, Diagnostic> {
    let mut outs: Vec<Output> = given
        .iter()
        .map(|o| Output {
            format: o.format,
            path: o.path.clone().or_else(|| output.cloned()),
        })
        .collect();
    if outs.is_empty() {
        outs.push(Output {
            format: Format::Human,
            path: output.cloned(),
        });
    }
    for (i, a) in outs.iter().enumerate() {
        if let Some(b) = outs[..i].iter().find(|b| b.path == a.path) {
            let to = a.path.as_ref().map_or("standard output".to_string(), |p| {
                format!("`{}`", p.display())
            });
            return Err(Diagnostic::error(
                Code::ReportDestination,
                format!(
                    "the {} and {} reports would both be written to {to}",
                    b.format.id(),
                    a.format.id()
                ),
            )
            .help("give each extra format its own file: `--format sarif=buttress.sarif`"));
        }
    }
    Ok(outs)
}

/// Write one report; a closed pipe is not an error.
pub fn write(report: &Report, out: &Output, opts: &WriteOptions) -> Result<(), Diagnostic> {
    let mut w: Box<dyn Write> = match &out.path {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => return Err(unwritable(out, &e)),
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match report::write(report, out.format, opts, &mut w).and_then(|_| w.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(unwritable(out, &e)),
        _ => Ok(()),
    }
}

fn unwritable(out: &Output, e: &std::io::Error) -> Diagnostic {
    let to = out
        .path
        .as_ref()
        .map_or("standard output".to_string(), |p| {
            format!("`{}`", p.display())
        });
    Diagnostic::error(
        Code::ReportUnwritable,
        format!("cannot write the {} report to {to}: {e}", out.format.id()),
    )
}

/// How a streamed report goes on once its head is out.
enum Streamed {
    Ndjson(report::ndjson::Writer),
    Json(report::json::Stream),
    /// The human report: findings with their snippets as inputs finish; the waived ones are
    /// listed after them, with the summary.
    Human {
        color: bool,
        waived: Vec<crate::report::Finding>,
    },
}

/// One report being written while the run goes on.
struct Open {
    output: Output,
    to: Box<dyn Write + Send>,
    kind: Streamed,
    /// Flushed after each input's findings (a pipe reading `ndjson` from standard output
    /// gets them as each input, or each batch of a stream, finishes).
    flush_each: bool,
}

impl Open {
    fn findings(
        &mut self,
        prog: &crate::ir::Program,
        findings: &[crate::report::Finding],
    ) -> std::io::Result<()> {
        let w = self.to.as_mut();
        match &mut self.kind {
            Streamed::Ndjson(writer) => writer.write(prog, findings, w)?,
            Streamed::Json(stream) => stream.findings(prog, findings, w)?,
            Streamed::Human { color, waived } => {
                waived.extend(findings.iter().filter(|f| !f.counts()).cloned());
                let counted = findings.iter().filter(|f| f.counts());
                w.write_all(report::human::render_findings(prog, counted, *color).as_bytes())?
            }
        }
        if self.flush_each {
            w.flush()?;
        }
        Ok(())
    }

    fn finish(self, report: &Report, include_passing: bool) -> std::io::Result<()> {
        let mut w = self.to;
        match self.kind {
            Streamed::Ndjson(_) => {}
            Streamed::Json(stream) => stream.finish(report, include_passing, w.as_mut())?,
            Streamed::Human { waived, .. } => {
                w.write_all(report::human::tail(report, &waived).as_bytes())?
            }
        }
        w.flush()
    }
}

/// Reports written finding by finding while inputs finish (`ndjson`, `json`, `human`), in
/// input order, so that a run holds no more findings than its window of inputs.
pub struct Streams<'p> {
    program: &'p crate::ir::Program,
    open: Vec<Open>,
    failed: Vec<Diagnostic>,
}

impl<'p> Streams<'p> {
    /// Open every streamed output and write its head; `color`: colour the human report when
    /// it goes to standard output.
    pub fn open(outs: &[Output], program: &'p crate::ir::Program, color: bool) -> Streams<'p> {
        let mut s = Streams {
            program,
            open: Vec::new(),
            failed: Vec::new(),
        };
        for o in outs.iter().filter(|o| o.format.is_streamed()) {
            let mut to: Box<dyn Write + Send> = match (&o.path, o.format) {
                (None, _) => Box::new(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout(),
                )),
                (Some(p), _) => match std::fs::File::create(p) {
                    Ok(f) => Box::new(std::io::BufWriter::new(f)),
                    Err(e) => {
                        s.failed.push(unwritable(o, &e));
                        continue;
                    }
                },
            };
            let kind = match o.format {
                Format::Json => match report::json::Stream::start(to.as_mut()) {
                    Ok(stream) => Streamed::Json(stream),
                    Err(e) => {
                        s.fail(o, &e);
                        continue;
                    }
                },
                Format::Human => Streamed::Human {
                    color: color && o.path.is_none(),
                    waived: Vec::new(),
                },
                _ => Streamed::Ndjson(Default::default()),
            };
            s.open.push(Open {
                output: o.clone(),
                to,
                kind,
                flush_each: o.path.is_none() && o.format == Format::Ndjson,
            });
        }
        s
    }

    /// A closed pipe ends its stream quietly; any other error is reported at the end.
    fn fail(&mut self, o: &Output, e: &std::io::Error) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            self.failed.push(unwritable(o, e));
        }
    }

    /// Write one input's findings to every stream.
    pub fn findings(&mut self, findings: &[crate::report::Finding]) {
        let prog = self.program;
        let mut i = 0;
        while i < self.open.len() {
            match self.open[i].findings(prog, findings) {
                Err(e) => {
                    let o = self.open.remove(i);
                    self.fail(&o.output, &e);
                }
                Ok(()) => i += 1,
            }
        }
    }

    /// Write what each stream says at the end and flush it; every one that could not be
    /// written is reported.
    pub fn finish(mut self, report: &Report, include_passing: bool) -> Result<(), ()> {
        for o in std::mem::take(&mut self.open) {
            let output = o.output.clone();
            if let Err(e) = o.finish(report, include_passing) {
                self.fail(&output, &e);
            }
        }
        if self.failed.is_empty() {
            return Ok(());
        }
        super::eprint_diagnostics(&Default::default(), &self.failed);
        Err(())
    }
}

/// With the `github` format, append the Markdown summary to `$GITHUB_STEP_SUMMARY` when set.
pub fn step_summary(report: &Report) -> Result<(), Diagnostic> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let out = Output {
        format: Format::Markdown,
        path: Some(PathBuf::from(path)),
    };
    let text = report::render(report, Format::Markdown, &WriteOptions::default());
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out.path.as_ref().unwrap_or(&PathBuf::new()))
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| unwritable(&out, &e))
}

/// Write every report that is not streamed; `false` when one could not be written (each
/// failure is reported on standard error).
pub fn write_all(report: &Report, outs: &[Output], include_passing: bool, color: bool) -> bool {
    let mut ok = true;
    for out in outs.iter().filter(|o| !o.format.is_streamed()) {
        let opts = WriteOptions {
            color: color && out.path.is_none() && out.format == Format::Human,
            include_passing,
        };
        let written = write(report, out, &opts).and_then(|_| match out.format {
            Format::Github => step_summary(report),
            _ => Ok(()),
        });
        if let Err(d) = written {
            super::eprint_diagnostics(&Default::default(), &[d]);
            ok = false;
        }
    }
    ok
}

/// Write a baseline: the JSON report, with the findings an applied baseline left out (`known`)
/// added back, so that the new baseline still holds them.
pub fn write_baseline(
    report: &Report,
    known: Vec<crate::report::Finding>,
    path: &std::path::Path,
) -> Result<(), Diagnostic> {
    use crate::report::schema::{FindingRecord, JsonReport};
    let out = Output {
        format: Format::Json,
        path: Some(path.to_path_buf()),
    };
    let mut doc = JsonReport::from_report(report, false);
    doc.findings
        .extend(known.iter().map(|f| FindingRecord::of(report.program, f)));
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    std::fs::write(path, text).map_err(|e| unwritable(&out, &e))
}
