//! Source files and byte spans: every diagnostic and finding points into a `SourceMap`.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ops::Range;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One named text: a rule file, an input document, or a command line.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    /// Borrowed for the texts built into the binary (the standard library's), which are not
    /// copied.
    pub text: Cow<'static, str>,
    /// Computed when first asked for: most files (the standard library's) never are.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The number of the text's first line in its input (a line of a stream starts later).
    first_line: usize,
}

impl SourceFile {
    pub fn new(name: String, text: impl Into<Cow<'static, str>>) -> SourceFile {
        let line_starts = std::sync::OnceLock::new();
        SourceFile {
            name,
            text: text.into(),
            line_starts,
            first_line: 1,
        }
    }

    /// The same text standing at line `first` of its input.
    pub fn starting_at(mut self, first: usize) -> SourceFile {
        self.first_line = first.max(1);
        self
    }

    /// The line number of the text's first line.
    pub fn first_line(&self) -> usize {
        self.first_line
    }

    /// Line (counted from the input's start) and column (in characters), both from 1, of a
    /// byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (l, c) = line_col(&self.text, self.line_starts(), offset);
        (l + self.first_line - 1, c)
    }

    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }
}

/// Byte offsets at which the lines of `text` start. A line ends at `\n`, `\r\n` or a lone
/// `\r` (old Mac files), so that findings in CR-only text are not all on line 1.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    // Searched with memchr: a large template has few line ends among many bytes.
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts
}

/// 1-based line and column (in characters) of a byte offset, given the line starts.
pub fn line_col(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = starts.partition_point(|&s| s <= offset).max(1) - 1;
    let start = starts[line];
    let column = text
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count());
    (line + 1, column + 1)
}

/// All the texts of one run, addressed by [`FileId`].
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_file(SourceFile::new(name.into(), text.into()))
    }

    /// [`SourceMap::add`] for a text built into the binary: it is kept, not copied.
    pub fn add_static(&mut self, name: impl Into<String>, text: &'static str) -> FileId {
        self.add_file(SourceFile::new(name.into(), text))
    }

    fn add_file(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn text(&self, span: Span) -> &str {
        self.get(span.file)
            .text
            .get(span.range())
            .unwrap_or_default()
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_chars() {
        let f = SourceFile::new("x".into(), "ab\né d\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(6), (2, 3));
        assert_eq!(f.line_col(999), (3, 1));
        let f = SourceFile::new("x".into(), "{}").starting_at(7);
        assert_eq!(f.line_col(1), (7, 2));
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        assert_eq!(line_starts(""), vec![0]);
        assert_eq!(line_starts("a\nb\r\nc\rd\r"), vec![0, 2, 5, 7, 9]);
        assert_eq!(line_starts("\r\r\n\n"), vec![0, 1, 3, 4]);
        // Each byte checked on its own: the same as scanning one by one.
        let text = "x\r\n".repeat(40) + "é\r" + &"\n".repeat(3);
        let slow: Vec<usize> = std::iter::once(0)
            .chain(text.bytes().enumerate().filter_map(|(i, b)| {
                let next = text.as_bytes().get(i + 1);
                (b == b'\n' || (b == b'\r' && next != Some(&b'\n'))).then_some(i + 1)
            }))
            .collect();
        assert_eq!(line_starts(&text), slow);
    }
}
