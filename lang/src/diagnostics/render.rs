//! The only place that knows codespan-reporting: turns diagnostics into text.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceFile, SourceMap};
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

/// Where diagnostics find the text their labels point into.
pub trait TextSource {
    fn file(&self, id: FileId) -> &SourceFile;
}

impl TextSource for SourceMap {
    fn file(&self, id: FileId) -> &SourceFile {
        self.get(id)
    }
}

/// One text, whatever file id a label names: an input's diagnostics carry their own text.
impl TextSource for SourceFile {
    fn file(&self, _: FileId) -> &SourceFile {
        self
    }
}

/// The files of a run as codespan sees them, for one diagnostic: lines longer than
/// [`LONG_LINE`] are clipped to a window around that diagnostic's labels, so that a
/// minified one-line document is not printed whole.
struct Db<'a> {
    sources: &'a dyn TextSource,
    labels: Vec<(FileId, Range<usize>)>,
}

const LONG_LINE: usize = 400;
const WINDOW: usize = 120;

impl<'a> Files<'a> for Db<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.sources.file(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.sources.file(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let starts = self.sources.file(id).line_starts();
        Ok(starts.partition_point(|&s| s <= byte_index).max(1) - 1)
    }

    fn line_number(&'a self, id: FileId, line_index: usize) -> Result<usize, FilesError> {
        Ok(line_index + self.sources.file(id).first_line())
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let file = self.sources.file(id);
        let start = file.line_starts().get(line_index).copied().unwrap_or(0);
        let chars = file
            .text
            .get(start..byte_index)
            .map_or(byte_index.saturating_sub(start), |s| s.chars().count());
        Ok(chars + 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.sources.file(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        if end - start <= LONG_LINE {
            return Ok(start..end);
        }
        // Clip a long line to a window around this diagnostic's labels on it.
        let on_line = self
            .labels
            .iter()
            .filter(|(f, r)| *f == id && r.start < end && r.end >= start);
        let (lo, hi) = on_line.fold((end, start), |(lo, hi), (_, r)| {
            (lo.min(r.start), hi.max(r.end))
        });
        let (lo, hi) = if lo > hi { (start, start) } else { (lo, hi) };
        let text = &file.text;
        let mut from = lo.saturating_sub(WINDOW).max(start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (hi + WINDOW).min(end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        Ok(from..to)
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

fn write(out: &mut dyn WriteColor, sources: &dyn TextSource, d: &Diagnostic) {
    let config = term::Config::default();
    let cd = convert(d);
    let db = Db {
        sources,
        labels: d
            .labels
            .iter()
            .map(|l| (l.span.file, l.span.range()))
            .collect(),
    };
    if term::emit_to_write_style(out, &config, &db, &cd).is_err() {
        // A span outside its file: still say what went wrong, without the snippet.
        let plain = cs::Diagnostic {
            labels: Vec::new(),
            ..cd
        };
        let _ = term::emit_to_write_style(out, &config, &db, &plain);
    }
}

/// Render diagnostics, in order, with or without colour.
pub fn render_all(sources: &SourceMap, diagnostics: &[Diagnostic], color: ColorMode) -> String {
    render_each(
        diagnostics.iter().map(|d| (sources as &dyn TextSource, d)),
        color,
    )
}

/// Render diagnostics, each against its own text, in order.
pub fn render_each<'a>(
    diagnostics: impl IntoIterator<Item = (&'a dyn TextSource, &'a Diagnostic)>,
    color: ColorMode,
) -> String {
    let mut buffer = match color {
        ColorMode::Always => Buffer::ansi(),
        ColorMode::Never => Buffer::no_color(),
    };
    for (sources, d) in diagnostics {
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
