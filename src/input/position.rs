//! Where a JSON pointer stands in a document's text: by scanning JSON text (only for the
//! values a finding names), or from the position map a YAML document was parsed with.

use super::locate;
use crate::model::{Document, TextFormat};
use std::collections::{HashMap, HashSet};

/// Finds the positions of JSON pointers in one document, remembering where each resource
/// starts so that many findings do not each scan from the top.
pub struct Locator<'d> {
    doc: &'d Document,
    /// Offsets of the members of every container indexed so far, by pointer.
    starts: HashMap<String, usize>,
    /// Containers (objects or lists) whose members are in `starts`.
    indexed: HashSet<String>,
}

use super::locate::escape_key as escape;

impl<'d> Locator<'d> {
    pub fn new(doc: &'d Document) -> Locator<'d> {
        Locator {
            doc,
            starts: HashMap::new(),
            indexed: HashSet::new(),
        }
    }

    /// The offset of a declaration (`/Resources/Db`, `/configurationItems/3`): its parent is
    /// indexed in one pass the first time one of its members is asked for, so finding every
    /// resource of a large document stays linear.
    fn entry_start(&mut self, entry_pointer: &str) -> usize {
        let text = &self.doc.text;
        if let Some((parent, _)) = entry_pointer.rsplit_once('/') {
            if self.indexed.insert(parent.to_string()) {
                let at = locate::json_offset(text, parent);
                for (key, offset) in locate::members(text, at) {
                    self.starts
                        .insert(format!("{parent}/{}", escape(&key)), offset);
                }
                for (i, offset) in locate::elements(text, at).into_iter().enumerate() {
                    self.starts.insert(format!("{parent}/{i}"), offset);
                }
            }
        }
        match self.starts.get(entry_pointer) {
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
    pub fn position(&mut self, res: Option<u32>, pointer: &str) -> (usize, usize) {
        let doc = self.doc;
        let text = &doc.text;
        if doc.format == TextFormat::Yaml {
            let at = self.mapped(pointer).min(text.len());
            let line_end = text[at..].find('\n').map_or(text.len(), |e| at + e);
            let len = text[at..line_end].trim_end().len().max(1);
            return (at, len);
        }
        let entry = res
            .and_then(|r| doc.resources.get(r as usize))
            .map_or("", |r| r.entry_pointer.as_str());
        let at = match pointer.strip_prefix(entry) {
            Some(rest) if !entry.is_empty() => {
                let start = self.entry_start(entry);
                locate::json_offset_from(text, start, rest)
            }
            _ => locate::json_offset(text, pointer),
        };
        (at, locate::token_len(text, at))
    }
}

impl Locator<'_> {
    /// The offset of a pointer that is, or lies under, a resource's declaration (skipped
    /// resources included: their parent object is indexed with the others).
    pub fn offset(&mut self, pointer: &str) -> usize {
        match self.doc.format {
            TextFormat::Yaml => self.mapped(pointer),
            TextFormat::Json if pointer.is_empty() => 0,
            TextFormat::Json => self.entry_start(pointer),
        }
    }
}
