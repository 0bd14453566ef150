//! Where a JSON pointer stands in a document's text: by scanning JSON text (only for the
//! values a finding names), or from the position map a YAML document was parsed with.

use super::locate;
use super::model::{Document, TextFormat};
use std::collections::HashMap;

/// Finds the positions of JSON pointers in one document, remembering where each resource
/// starts so that many findings do not each scan from the top.
pub struct Locator<'d> {
    doc: &'d Document,
    /// Offsets of the declarations of the document's resources, by entry pointer; filled
    /// on first use with one pass over each parent object or list.
    starts: Option<HashMap<String, usize>>,
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl<'d> Locator<'d> {
    pub fn new(doc: &'d Document) -> Locator<'d> {
        Locator { doc, starts: None }
    }

    fn entry_start(&mut self, entry_pointer: &str) -> usize {
        let doc = self.doc;
        let text = &doc.text;
        let starts = self.starts.get_or_insert_with(|| {
            let mut parents: Vec<&str> = doc
                .resources
                .iter()
                .filter_map(|r| r.entry_pointer.rsplit_once('/').map(|(parent, _)| parent))
                .collect();
            parents.sort_unstable();
            parents.dedup();
            let mut map = HashMap::new();
            for parent in parents {
                let at = locate::json_offset(text, parent);
                for (key, offset) in locate::members(text, at) {
                    map.insert(format!("{parent}/{}", escape(&key)), offset);
                }
                for (i, offset) in locate::elements(text, at).into_iter().enumerate() {
                    map.insert(format!("{parent}/{i}"), offset);
                }
            }
            map
        });
        match starts.get(entry_pointer) {
            Some(&at) => at,
            None => locate::json_offset(text, entry_pointer),
        }
    }

    /// The offset of the deepest node on `pointer` that the position map knows.
    fn mapped(&self, pointer: &str) -> usize {
        let mut p = pointer;
        loop {
            if let Some(&at) = self.doc.positions.get(p) {
                return at;
            }
            match p.rsplit_once('/') {
                Some((parent, _)) => p = parent,
                None => return 0,
            }
        }
    }

    /// Byte offset and underline length of `pointer`, which lies within resource `res`.
    pub fn position(&mut self, res: u32, pointer: &str) -> (usize, usize) {
        let doc = self.doc;
        let text = &doc.text;
        if doc.format == TextFormat::Yaml {
            let at = self.mapped(pointer).min(text.len());
            let line_end = text[at..].find('\n').map_or(text.len(), |e| at + e);
            let len = text[at..line_end].trim_end().len().max(1);
            return (at, len);
        }
        let resource = &doc.resources[res as usize];
        let at = match pointer.strip_prefix(resource.entry_pointer.as_str()) {
            Some(rest) if !resource.entry_pointer.is_empty() => {
                let start = self.entry_start(&resource.entry_pointer);
                locate::json_offset_from(text, start, rest)
            }
            _ => locate::json_offset(text, pointer),
        };
        (at, locate::token_len(text, at))
    }
}

/// The offset of a pointer in a document (for warnings; findings use a [`Locator`]).
pub fn offset_of(doc: &Document, pointer: &str) -> usize {
    match doc.format {
        TextFormat::Json => locate::json_offset(&doc.text, pointer),
        TextFormat::Yaml => Locator::new(doc).mapped(pointer),
    }
}
