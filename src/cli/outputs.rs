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

/// Outputs written finding by finding while inputs finish (`ndjson`).
pub struct Streams<'p> {
    program: &'p crate::ir::Program,
    open: Vec<(Output, Box<dyn Write + Send>)>,
    failed: Vec<Diagnostic>,
}

impl<'p> Streams<'p> {
    pub fn open(outs: &[Output], program: &'p crate::ir::Program) -> Streams<'p> {
        let mut s = Streams {
            program,
            open: Vec::new(),
            failed: Vec::new(),
        };
        for o in outs.iter().filter(|o| o.format.is_streamed()) {
            let w: Box<dyn Write + Send> = match &o.path {
                None => Box::new(std::io::LineWriter::new(std::io::stdout())),
                Some(p) => match std::fs::File::create(p) {
                    Ok(f) => Box::new(std::io::BufWriter::new(f)),
                    Err(e) => {
                        s.failed.push(unwritable(o, &e));
                        continue;
                    }
                },
            };
            s.open.push((o.clone(), w));
        }
        s
    }

    /// Write one input's findings to every stream.
    pub fn findings(&mut self, findings: &[crate::report::Finding]) {
        let prog = self.program;
        let mut i = 0;
        while i < self.open.len() {
            let (o, w) = &mut self.open[i];
            match report::ndjson::write(prog, findings, w.as_mut()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    self.open.remove(i);
                }
                Err(e) => {
                    self.failed.push(unwritable(o, &e));
                    self.open.remove(i);
                }
                Ok(()) => i += 1,
            }
        }
    }

    /// Flush the streams; every one that could not be written is reported.
    pub fn finish(mut self) -> Result<(), ()> {
        for (o, mut w) in self.open.drain(..) {
            if let Err(e) = w.flush() {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    self.failed.push(unwritable(&o, &e));
                }
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
