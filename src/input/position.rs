//! Where a JSON pointer stands in a document's text: by scanning JSON text (only for the
//! values a finding names), or from the position map a YAML document was parsed with.

use super::locate;
use crate::model::{Document, TextFormat};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The members of one container of the text, found in one pass the first time a pointer
/// goes through it: a document's findings often share their first steps (a Config item's
/// `configuration`, a resource's `Properties`), which are then not scanned again.
enum Members<'d> {
    /// An object's keys and value offsets, in the order written (the first of duplicate
    /// keys is found, as a scan would); large objects also by key.
    Object(Vec<(Cow<'d, str>, usize)>, HashMap<Cow<'d, str>, usize>),
    List(Vec<usize>),
    Scalar,
}

/// Objects with more members than this are also indexed by key.
const HASHED_FROM: usize = 32;

impl<'d> Members<'d> {
    fn of(text: &'d str, at: usize) -> Members<'d> {
        match text.as_bytes().get(at) {
            Some(b'{') => {
                let members = locate::members(text, at);
                let mut by_key = HashMap::new();
                if members.len() > HASHED_FROM {
                    for (k, o) in &members {
                        by_key.entry(k.clone()).or_insert(*o);
                    }
                }
                Members::Object(members, by_key)
            }
            Some(b'[') => Members::List(locate::elements(text, at)),
            _ => Members::Scalar,
        }
    }

    /// The offset of the member `segment` names.
    fn get(&self, segment: &str) -> Option<usize> {
        match self {
            Members::Object(members, by_key) if by_key.is_empty() => members
                .iter()
                .find_map(|(k, o)| (k == segment).then_some(*o)),
            Members::Object(_, by_key) => by_key.get(segment).copied(),
            Members::List(items) => items.get(segment.parse::<usize>().ok()?).copied(),
            Members::Scalar => None,
        }
    }
}

/// Finds the positions of JSON pointers in one document, remembering where each resource
/// starts so that many findings do not each scan from the top.
pub struct Locator<'d> {
    doc: &'d Document,
    /// Offsets of the members of every container indexed so far, by pointer.
    starts: HashMap<String, usize>,
    /// Containers (objects or lists) whose members are in `starts`.
    indexed: HashSet<String>,
    /// The containers pointers have gone through, by offset.
    containers: HashMap<usize, Members<'d>>,
}

use super::locate::escape_key as escape;

impl<'d> Locator<'d> {
    pub fn new(doc: &'d Document) -> Locator<'d> {
        Locator {
            doc,
            starts: HashMap::new(),
            indexed: HashSet::new(),
            containers: HashMap::new(),
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
                self.walk(start, rest)
            }
            _ => self.walk(0, pointer),
        };
        (at, locate::token_len(text, at))
    }

    /// The offset of the deepest node on `pointer` (relative to the value at `start`) that
    /// exists: [`locate::json_offset_from`], through the containers' members.
    fn walk(&mut self, start: usize, pointer: &str) -> usize {
        let text: &'d str = &self.doc.text;
        let mut at = locate::skip_ws(text.as_bytes(), start);
        for segment in pointer.split('/').skip(1) {
            let segment = locate::unescape_segment(segment);
            let members = self
                .containers
                .entry(at)
                .or_insert_with(|| Members::of(text, at));
            match members.get(&segment) {
                Some(next) => at = next,
                None => break,
            }
        }
        at
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InputKind;

    fn doc(text: &str) -> Document {
        Document {
            name: "t.json".into(),
            kind: InputKind::Json,
            format: TextFormat::Json,
            text: text.into(),
            resources: Vec::new(),
            positions: Default::default(),
            referrers: Vec::new(),
            root: serde_json::Value::Null,
        }
    }

    /// Every pointer is found where a plain scan finds it, however many findings share a
    /// container, in whatever order they are asked for.
    #[test]
    fn walking_through_indexed_containers_agrees_with_a_scan() {
        let wide: Vec<String> = (0..40)
            .map(|i| format!("\"k{i}\": {{\"v\": {i}}}"))
            .collect();
        let text = format!(
            r#"{{"a": {{"b~c": [1, {{"d/e": true}}], "a\u0062": 2, "dup": 1, "dup": 2}}, "wide": {{{}}}, "s": "x\"y"}}"#,
            wide.join(", ")
        );
        let d = doc(&text);
        let pointers = [
            "/a/b~0c/1/d~1e",
            "/a/b~0c/0",
            "/a/b~0c/7",
            "/a/ab",
            "/a/dup",
            "/a/missing/deeper",
            "/wide/k39/v",
            "/wide/k0",
            "/wide/k40",
            "/s",
            "/s/x",
            "",
            "/a/b~0c/1/d~1e",
        ];
        let mut locator = Locator::new(&d);
        for p in pointers {
            assert_eq!(
                locator.walk(0, p),
                locate::json_offset(&text, p),
                "pointer {p:?}"
            );
        }
    }
}
