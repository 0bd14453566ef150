//! Where a JSON pointer stands in a document's text: by scanning JSON text (only for the
//! values a finding names), or from the position map a YAML document was parsed with.

use super::locate;
use crate::model::{Document, TextFormat};
use std::borrow::Cow;
use std::collections::HashMap;

/// The members of one container of the text, found in one pass the first time a pointer
/// goes through it or its parent: a document's findings often share their first steps
/// (`/Resources` of a template, a Config item's `configuration`), which are then not scanned
/// again, so finding every resource of a large document stays linear.
enum Members<'d> {
    /// A small object's keys and value offsets, in the order written: the first of
    /// duplicate keys is found, as a scan would.
    Few(Vec<(Cow<'d, str>, usize)>),
    /// A large object's (a template's `Resources`), by key; the first of duplicates kept.
    Many(HashMap<Cow<'d, str>, usize>),
    List(Vec<usize>),
    Scalar,
}

/// Objects with more members than this are looked up by key rather than scanned.
const HASHED_FROM: usize = 32;

impl<'d> Members<'d> {
    fn of(entries: Option<locate::Entries<'d>>) -> Members<'d> {
        match entries {
            Some(locate::Entries::Object(members)) if members.len() <= HASHED_FROM => {
                Members::Few(members)
            }
            Some(locate::Entries::Object(members)) => {
                let mut by_key = HashMap::with_capacity(members.len());
                for (k, o) in members {
                    by_key.entry(k).or_insert(o);
                }
                Members::Many(by_key)
            }
            Some(locate::Entries::List(items)) => Members::List(items),
            None => Members::Scalar,
        }
    }

    /// The offset of the member `segment` names.
    fn get(&self, segment: &str) -> Option<usize> {
        match self {
            Members::Few(members) => members
                .iter()
                .find_map(|(k, o)| (k == segment).then_some(*o)),
            Members::Many(by_key) => by_key.get(segment).copied(),
            Members::List(items) => items.get(segment.parse::<usize>().ok()?).copied(),
            Members::Scalar => None,
        }
    }
}

/// Hashes the byte offsets of containers: one multiply of the offset mixed with a key drawn
/// per locator (SipHash took a fifth of locating a finding). Distinct offsets keep distinct
/// hashes, and without the key an input cannot line its containers up on one bucket.
#[derive(Clone)]
struct OffsetHash {
    key: u64,
}

impl OffsetHash {
    fn new() -> OffsetHash {
        use std::hash::BuildHasher;
        OffsetHash {
            key: std::collections::hash_map::RandomState::new().hash_one(0u64),
        }
    }
}

impl std::hash::BuildHasher for OffsetHash {
    type Hasher = OffsetHasher;
    fn build_hasher(&self) -> OffsetHasher {
        OffsetHasher(self.key)
    }
}

struct OffsetHasher(u64);

impl std::hash::Hasher for OffsetHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits: bring the well-mixed high ones down.
        self.0.rotate_left(26)
    }
}

/// Finds the positions of JSON pointers in one document, indexing each container a pointer
/// goes through once, so that many findings do not each scan from the top.
pub struct Locator<'d> {
    doc: &'d Document,
    /// The containers pointers have gone through, by offset.
    containers: HashMap<usize, Members<'d>, OffsetHash>,
}

impl<'d> Locator<'d> {
    pub fn new(doc: &'d Document) -> Locator<'d> {
        Locator {
            doc,
            containers: HashMap::with_hasher(OffsetHash::new()),
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

    /// Byte offset and underline length of `pointer`.
    pub fn position(&mut self, pointer: &str) -> (usize, usize) {
        let doc = self.doc;
        let text = &doc.text;
        if doc.format == TextFormat::Yaml {
            let at = self.mapped(pointer).min(text.len());
            let line_end = text[at..].find('\n').map_or(text.len(), |e| at + e);
            let len = text[at..line_end].trim_end().len().max(1);
            return (at, len);
        }
        let at = self.walk(pointer);
        (at, locate::token_len(text, at))
    }

    /// The offset of the deepest node on `pointer` that exists: [`locate::json_offset`],
    /// through the containers' members.
    fn walk(&mut self, pointer: &str) -> usize {
        let text: &'d str = &self.doc.text;
        let mut at = locate::skip_ws(text.as_bytes(), 0);
        for segment in pointer.split('/').skip(1) {
            let segment = locate::unescape_segment(segment);
            let next = match self.containers.get(&at) {
                Some(members) => members.get(&segment),
                None => self.index(at).get(&segment),
            };
            match next {
                Some(next) => at = next,
                None => break,
            }
        }
        at
    }

    /// Index the container at `at`, and in the same pass its child containers (the next
    /// step of most pointers) unless they are indexed already.
    fn index(&mut self, at: usize) -> &Members<'d> {
        let text: &'d str = &self.doc.text;
        let (own, children) = locate::entries_two_deep(text, at).unzip();
        for (child_at, child) in children.into_iter().flatten() {
            self.containers
                .entry(child_at)
                .or_insert_with(|| Members::of(Some(child)));
        }
        self.containers.entry(at).or_insert(Members::of(own))
    }

    /// The offset of a pointer that is, or lies under, a resource's declaration (skipped
    /// resources included: their parent object is indexed with the others).
    pub fn offset(&mut self, pointer: &str) -> usize {
        match self.doc.format {
            TextFormat::Yaml => self.mapped(pointer),
            TextFormat::Json if pointer.is_empty() => 0,
            TextFormat::Json => self.walk(pointer),
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
                locator.walk(p),
                locate::json_offset(&text, p),
                "pointer {p:?}"
            );
        }
    }
}
