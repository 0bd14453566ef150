//! The only place that knows codespan-reporting: turns diagnostics into text.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use std::ops::Range;

/// Whether rendered text carries colour escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    Never,
    Always,
}

struct Db<'a>(&'a SourceMap);

impl<'a> Files<'a> for Db<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .0
            .get(id)
            .line_starts()
            .partition_point(|&s| s <= byte_index)
            - 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

fn convert(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let style = if l.primary {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, l.span.file, l.span.range()).with_message(&l.message)
        })
        .collect();
    base.with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.help.iter().map(|h| format!("help: {h}")).collect())
}

fn write(out: &mut dyn WriteColor, sources: &SourceMap, d: &Diagnostic) {
    let config = term::Config::default();
    let cd = convert(d);
    if term::emit_to_write_style(out, &config, &Db(sources), &cd).is_err() {
        // A span outside its file: still say what went wrong, without the snippet.
        let plain = cs::Diagnostic {
            labels: Vec::new(),
            ..cd
        };
        let _ = term::emit_to_write_style(out, &config, &Db(sources), &plain);
    }
}

/// Render diagnostics, in order, with or without colour.
pub fn render_all(sources: &SourceMap, diagnostics: &[Diagnostic], color: ColorMode) -> String {
    let mut buffer = match color {
        ColorMode::Always => Buffer::ansi(),
        ColorMode::Never => Buffer::no_color(),
    };
    for d in diagnostics {
        write(&mut buffer, sources, d);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Render one diagnostic without colour (tests, JSON reports).
pub fn render_plain(sources: &SourceMap, d: &Diagnostic) -> String {
    render_all(sources, std::slice::from_ref(d), ColorMode::Never)
}

/// The colour choice for a stream: colour only on a terminal and never with `NO_COLOR`.
pub fn color_for_stderr() -> ColorMode {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if !no_color && std::io::stderr().is_terminal() {
        ColorMode::Always
    } else {
        ColorMode::Never
    }
}
