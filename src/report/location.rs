//! Findings of one document → report findings with line, column and a snippet of the line.
//!
//! Linear in the document: positions are computed in offset order with columns counted
//! incrementally, and a snippet is a bounded window of its line (a template minified to a
//! single 10 MB line must not be copied once per finding).

use super::{Finding, Location};
use crate::input::Locator;
use crate::ir::Program;
use crate::model::Document;

/// Characters of context kept on each side of the value in a snippet.
const CONTEXT: usize = 60;
const ELLIPSIS: &str = "…";
/// The widest underline, in bytes.
const MAX_UNDERLINE: usize = 80;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The window of the line `[start, end)` around `[offset, offset + len)`, with the offset
/// of the value inside the returned text.
fn snippet(text: &str, start: usize, end: usize, offset: usize, len: usize) -> (String, usize) {
    let from = floor_boundary(text, offset.saturating_sub(CONTEXT * 2).max(start));
    let to = ceil_boundary(text, (offset + len + CONTEXT * 2).min(end));
    let mut out = String::new();
    if from > start {
        out.push_str(ELLIPSIS);
    }
    let at = out.len() + (offset - from);
    out.push_str(text[from..to].trim_end_matches('\r'));
    if to < end {
        out.push_str(ELLIPSIS);
    }
    (out, at)
}

/// The resource type a `document` block's finding reports.
pub const DOCUMENT_TYPE: &str = "document";

/// The line and column just after the `len` bytes at `offset`, which start at `line`,
/// `column` (a value may span lines: an object, a block scalar).
fn end_of(text: &str, offset: usize, len: usize, line: usize, column: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset);
    let value = &text[offset..ceil_boundary(text, (offset + len).min(text.len()))];
    match value.rfind('\n') {
        None => (line, column + value.chars().count()),
        Some(nl) => (
            line + value.matches('\n').count(),
            value[nl + 1..].chars().count() + 1,
        ),
    }
}

/// Locate the findings of one document; with `snippets`, each with the window of its line a
/// report shows (otherwise the snippet is empty).
pub fn locate(
    prog: &Program,
    doc: &Document,
    found: Vec<crate::eval::Finding>,
    snippets: bool,
) -> Vec<Finding> {
    if found.is_empty() {
        return Vec::new();
    }
    let text = &doc.text;
    let starts = crate::source::line_starts(text);
    let mut locator = Locator::new(doc);
    let positions: Vec<(usize, usize)> =
        found.iter().map(|f| locator.position(&f.pointer)).collect();
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| positions[i].0);

    // Line and column of each finding, counting characters only once over the text.
    let mut line_col = vec![(0, 0); found.len()];
    let (mut at, mut line, mut col) = (0usize, 0usize, 1usize);
    for &i in &order {
        let offset = positions[i].0.min(text.len());
        let l = starts.partition_point(|&s| s <= offset).max(1) - 1;
        if l != line || offset < at {
            line = l;
            at = starts[l];
            col = 1;
        }
        col += text[at..floor_boundary(text, offset)].chars().count();
        at = floor_boundary(text, offset);
        line_col[i] = (line + 1, col);
    }

    found
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let (offset, len) = positions[i];
            // A long string (an inline policy, a script) is underlined at its start only.
            let len = len.min(MAX_UNDERLINE);
            let (line, column) = line_col[i];
            let start = starts[line - 1];
            let end = starts.get(line).map_or(text.len(), |next| next - 1);
            let (source_line, at) = if snippets {
                snippet(text, start, end, offset.min(end), len)
            } else {
                (String::new(), 0)
            };
            let underline_end = floor_boundary(&source_line, (at + len).min(source_line.len()));
            let (end_line, end_column) =
                end_of(text, offset.min(text.len()), positions[i].1, line, column);
            // A `document` block's finding is about the document as a whole.
            let (resource, resource_type) =
                match f.resource.and_then(|r| doc.resources.get(r as usize)) {
                    Some(res) => (res.name.clone(), res.type_name.clone()),
                    None => (doc.name.clone(), DOCUMENT_TYPE.to_string()),
                };
            Finding {
                rule: f.rule,
                status: f.status,
                file: doc.name.clone(),
                resource,
                resource_type,
                pointer: f.pointer,
                location: Location {
                    line,
                    column,
                    end_line,
                    end_column,
                    underline: at.min(underline_end)..underline_end,
                    source_line,
                },
                message: f.message,
                waiver: None,
                rule_id: prog.rules[f.rule as usize].id.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{locate, snippet};

    /// Without snippets a finding stands at the same line and columns, with an empty line.
    #[test]
    fn findings_without_snippets_keep_their_positions() {
        let set = crate::engine::Engine::new().with_stdlib().compile();
        let text = crate::report::FAILING_TEMPLATE.replace(",\"", ",\n  \"");
        let doc = crate::input::test_document("t.json", &text);
        let found = crate::eval::evaluate(&set.program, &doc).findings;
        let with = locate(&set.program, &doc, found.clone(), true);
        let without = locate(&set.program, &doc, found, false);
        assert!(with.len() > 3 && with.len() == without.len());
        assert!(with.iter().any(|f| f.location.line > 1));
        for (a, b) in with.iter().zip(&without) {
            assert!(!a.location.source_line.is_empty());
            assert!(b.location.source_line.is_empty() && b.location.underline.is_empty());
            let at = |f: &super::Finding| {
                let l = &f.location;
                (
                    l.line,
                    l.column,
                    l.end_line,
                    l.end_column,
                    f.pointer.clone(),
                )
            };
            assert_eq!(at(a), at(b));
        }
    }

    #[test]
    fn snippets_are_windows_of_long_lines() {
        let line = format!("{}\"x\": 1{}", "a".repeat(500), "b".repeat(500));
        let at = line.find("\"x\"").unwrap();
        let (s, o) = snippet(&line, 0, line.len(), at, 3);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(&s[o..o + 3], "\"x\"");
        assert!(s.len() < 300);
        let (s, o) = snippet("  \"x\": 1", 0, 8, 2, 3);
        assert_eq!((s.as_str(), o), ("  \"x\": 1", 2));
    }
}
