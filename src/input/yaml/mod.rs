//! YAML text → JSON values with CloudFormation's short-form tags (`!Ref`, `!GetAtt a.b`, …)
//! read as their long forms, and the byte offset of every node by JSON pointer.
//!
//! The document is built from `saphyr_parser`'s events with an explicit stack (no recursion on
//! nesting), at most [`MAX_DEPTH`] collections deep. Anchors are expanded into copies under a
//! node budget, so an alias bomb stops with an error instead of filling memory.

mod scalars;

use super::Limits;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Positions;
use crate::source::{FileId, Span};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use scalars::*;
use serde_json::{Map, Value as Json};
use std::borrow::Cow;

/// A parsed YAML document.
#[derive(Debug)]
pub struct Parsed {
    pub value: Json,
    pub positions: Positions,
}

/// How many collections may be nested in one another: the JSON reader's limit, so that both
/// syntaxes take the same documents.
pub const MAX_DEPTH: usize = super::json::MAX_DEPTH;
/// Alias expansion may produce at least this many nodes …
const MIN_NODE_BUDGET: usize = 1_000_000;
/// … or this many times the nodes written in the source, whichever is more.
const NODE_BUDGET_FACTOR: usize = 20;

/// Parse one YAML document within the default limits.
pub fn parse(name: &str, text: &str) -> Result<Parsed, Diagnostic> {
    parse_within(name, text, &Limits::default())
}

/// Parse one YAML document, nested at most `limits.max_depth` deep (never more than
/// [`MAX_DEPTH`]) and expanding aliases to at most `limits.max_alias_nodes` nodes. Errors carry
/// labels in the input's own text (`FileId(0)`).
pub fn parse_within(name: &str, text: &str, limits: &Limits) -> Result<Parsed, Diagnostic> {
    let mut b = Builder::new(name, text, limits);
    let mut parser = Parser::new_from_str(text);
    // Whether the first document is read; the documents after it that are not blank, and
    // where the first of them starts.
    let mut first_done = false;
    let mut extra: Option<(usize, usize)> = None;
    let mut extra_documents = 0usize;
    let mut document_start = (0usize, 0usize);
    let mut document_has_content = false;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| b.scan_error(&e))?;
        if first_done {
            // Later documents are only read to count them (and to report their syntax errors).
            match event {
                Event::DocumentStart(_) => {
                    document_start = (b.byte(span.start.index()), b.byte(span.end.index()));
                    document_has_content = false;
                }
                Event::DocumentEnd | Event::StreamEnd => {
                    if document_has_content {
                        extra_documents += 1;
                        extra.get_or_insert(document_start);
                        document_has_content = false;
                    }
                }
                Event::Scalar(ref v, ScalarStyle::Plain, 0, None) if v.is_empty() => {}
                Event::Nothing | Event::StreamStart => {}
                _ => document_has_content = true,
            }
            continue;
        }
        match event {
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
            Event::Scalar(value, style, anchor, tag) => {
                b.scalar(value, style, anchor, tag.as_deref(), span)?
            }
            Event::SequenceStart(anchor, tag) => {
                b.start_collection(false, anchor, tag.as_deref(), span)?
            }
            Event::MappingStart(anchor, tag) => {
                b.start_collection(true, anchor, tag.as_deref(), span)?
            }
            Event::SequenceEnd | Event::MappingEnd => b.end_collection()?,
            Event::Alias(id) => b.alias(id, span)?,
        }
        // Once the first document is complete, the rest are only counted.
        first_done = b.root.is_some();
    }
    let Some(value) = b.root.take() else {
        return Err(empty(name));
    };
    if let Some(at) = extra {
        let n = extra_documents + 1;
        return Err(Diagnostic::error(
            Code::InvalidJson,
            format!("`{name}` holds {n} YAML documents; a template is one"),
        )
        .primary(b.span(at.0, at.1), "a second document starts here")
        .help("split the documents into files of their own"));
    }
    if b.root_is_blank {
        return Err(empty(name));
    }
    Ok(Parsed {
        value,
        positions: b.positions,
    })
}

fn empty(name: &str) -> Diagnostic {
    Diagnostic::error(Code::InvalidJson, format!("`{name}` is empty"))
        .help("an input holds one JSON or YAML document")
}

/// A JSON pointer segment: `~` → `~0`, `/` → `~1`.
fn push_segment(path: &mut String, key: &str) {
    path.push('/');
    if key.bytes().any(|b| b == b'~' || b == b'/') {
        for c in key.chars() {
            match c {
                '~' => path.push_str("~0"),
                '/' => path.push_str("~1"),
                c => path.push(c),
            }
        }
    } else {
        path.push_str(key);
    }
}

fn push_index(path: &mut String, i: usize) {
    path.push('/');
    if i < 10 {
        path.push(char::from(b'0' + i as u8));
    } else {
        use std::fmt::Write;
        let _ = write!(path, "{i}");
    }
}

/// Character indices (saphyr's markers) → byte offsets, by a cursor that mostly moves forward.
struct Offsets<'a> {
    text: &'a [u8],
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl Offsets<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        while self.chars < char_index && self.bytes < self.text.len() {
            self.bytes += 1;
            while self.bytes < self.text.len() && (self.text[self.bytes] & 0xC0) == 0x80 {
                self.bytes += 1;
            }
            self.chars += 1;
        }
        while self.chars > char_index && self.bytes > 0 {
            self.bytes -= 1;
            while self.bytes > 0 && (self.text[self.bytes] & 0xC0) == 0x80 {
                self.bytes -= 1;
            }
            self.chars -= 1;
        }
        self.bytes
    }
}

/// A copy an alias expands to.
struct Anchor {
    value: Json,
    /// Nodes in `value`, for the expansion budget.
    nodes: usize,
    /// Collections nested in `value` (0 for a scalar), for the depth limit.
    height: usize,
}

enum Items {
    Seq(Vec<Json>),
    Map(Map<String, Json>),
}

/// The key whose value is being read.
struct PendingKey {
    name: String,
    start: usize,
    end: usize,
    line: usize,
    /// `<<`: the value is merged into the mapping.
    merge: bool,
    /// Where the value starts (set when it does).
    value_offset: usize,
}

/// A collection being read.
struct Frame {
    items: Items,
    tag: TagKind,
    anchor: usize,
    /// The length of the path before this node's segment.
    restore: usize,
    /// Whether positions are recorded inside (not inside a `<<` value).
    record: bool,
    nodes_at_start: usize,
    height: usize,
    key: Option<PendingKey>,
    /// Where this mapping's key spans start in `Builder::key_spans`.
    key_base: usize,
    /// `<<` values with where they are written.
    merges: Vec<(Json, usize)>,
    merge_key: Option<(usize, usize)>,
}

/// Where a node goes.
enum Role {
    Key,
    Value {
        record: bool,
        restore: usize,
        offset: usize,
    },
}

struct Builder<'a> {
    name: &'a str,
    offsets: Offsets<'a>,
    stack: Vec<Frame>,
    /// The JSON pointer of the node being read.
    path: String,
    positions: Positions,
    anchors: Vec<Option<Anchor>>,
    /// Spans of the keys of the open mappings, in order.
    key_spans: Vec<(usize, usize)>,
    /// Nodes produced, alias copies included.
    nodes: usize,
    /// Nodes written in the source.
    source_nodes: usize,
    /// The nesting and alias bounds of the run's [`Limits`].
    max_depth: usize,
    max_alias_nodes: Option<usize>,
    root: Option<Json>,
    /// The document is an empty scalar (only `---`, say).
    root_is_blank: bool,
}

impl<'a> Builder<'a> {
    fn new(name: &'a str, text: &'a str, limits: &Limits) -> Builder<'a> {
        Builder {
            name,
            offsets: Offsets {
                text: text.as_bytes(),
                ascii: text.is_ascii(),
                chars: 0,
                bytes: 0,
            },
            stack: Vec::new(),
            path: String::with_capacity(128),
            positions: Positions::with_capacity_and_hasher(text.len() / 24, Default::default()),
            anchors: Vec::new(),
            key_spans: Vec::new(),
            nodes: 0,
            source_nodes: 0,
            max_depth: limits.max_depth.min(MAX_DEPTH),
            max_alias_nodes: limits.max_alias_nodes,
            root: None,
            root_is_blank: false,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        self.offsets.byte(char_index)
    }

    /// The span `start..end`, widened to one character when empty and not at the end.
    fn span(&self, start: usize, end: usize) -> Span {
        let text = self.offsets.text;
        let mut end = end.max(start);
        if end == start && start < text.len() {
            end += 1;
            while end < text.len() && (text[end] & 0xC0) == 0x80 {
                end += 1;
            }
        }
        Span::new(FileId(0), start..end)
    }

    fn scan_error(&mut self, e: &ScanError) -> Diagnostic {
        let at = self.byte(e.marker().index());
        if e.info() == "recursion limit exceeded" {
            // The scanner's own limit on `[`/`{` nesting (255), met before ours when it reads
            // ahead.
            return self.too_deep((at, at), "nested too deep here");
        }
        let (start, end) = error_site(self.offsets.text, at, e.info());
        Diagnostic::error(
            Code::InvalidJson,
            format!("`{}` is not valid YAML", self.name),
        )
        .primary(self.span(start, end), e.info())
    }

    fn too_deep(&self, at: (usize, usize), label: &str) -> Diagnostic {
        self.error(
            format!(
                "`{}` is nested more than {} levels",
                self.name, self.max_depth
            ),
            at,
            label,
        )
        .help(format!(
            "documents may nest at most {} levels deep (--max-depth)",
            self.max_depth
        ))
    }

    fn error(&self, message: String, at: (usize, usize), label: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Code::InvalidJson, message).primary(self.span(at.0, at.1), label)
    }

    /// Decide whether the node starting at `start` is a key or a value; for a value, append
    /// its segment to the path and say where its position is.
    fn role(&mut self, start: &Marker, blank: bool) -> Role {
        let offset = self.offsets.byte(start.index());
        let restore = self.path.len();
        let Some(frame) = self.stack.last_mut() else {
            return Role::Value {
                record: true,
                restore,
                offset,
            };
        };
        match &frame.items {
            Items::Seq(items) => {
                push_index(&mut self.path, items.len());
                Role::Value {
                    record: frame.record,
                    restore,
                    offset,
                }
            }
            Items::Map(_) => match &mut frame.key {
                None => Role::Key,
                Some(key) => {
                    push_segment(&mut self.path, &key.name);
                    // A caret on the key's line: for a value that starts on a later line (a
                    // block collection or block scalar) or is empty, point at the key.
                    let offset = if blank || start.line() != key.line {
                        key.start
                    } else {
                        offset
                    };
                    key.value_offset = offset;
                    Role::Value {
                        record: frame.record && !key.merge,
                        restore,
                        offset,
                    }
                }
            },
        }
    }

    fn record(&mut self, offset: usize) {
        self.positions.insert(self.path.clone(), offset);
    }

    /// Put a finished value where it goes; a key given twice is an error.
    fn attach(&mut self, value: Json, height: usize) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        frame.height = frame.height.max(height + 1);
        let Items::Map(map) = &mut frame.items else {
            if let Items::Seq(items) = &mut frame.items {
                items.push(value);
            }
            return Ok(());
        };
        let Some(key) = frame.key.take() else {
            return Ok(());
        };
        if key.merge {
            frame.merges.push((value, key.value_offset));
            return Ok(());
        }
        // One lookup per key: the duplicate is found when its value is put in.
        let name = match map.entry(key.name) {
            serde_json::map::Entry::Vacant(entry) => {
                entry.insert(value);
                return Ok(());
            }
            serde_json::map::Entry::Occupied(entry) => entry.key().clone(),
        };
        let first = map
            .keys()
            .position(|k| *k == name)
            .and_then(|i| self.key_spans.get(frame.key_base + i).copied());
        Err(self.duplicate(&name, (key.start, key.end), first))
    }

    fn duplicate(
        &self,
        name: &str,
        again: (usize, usize),
        first: Option<(usize, usize)>,
    ) -> Diagnostic {
        let mut d = Diagnostic::error(Code::InvalidJson, format!("`{name}` is given twice"))
            .primary(self.span(again.0, again.1), "given again here");
        if let Some(first) = first {
            d = d.secondary(self.span(first.0, first.1), "first given here");
        }
        d.help("keys of a YAML mapping must be unique; remove or rename one of them")
    }

    /// A key of the mapping on top.
    fn set_key(
        &mut self,
        name: String,
        span: (usize, usize),
        line: usize,
        merge: bool,
    ) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.last_mut() else {
            return Ok(());
        };
        if merge {
            if let Some(first) = frame.merge_key.replace(span) {
                return Err(self.duplicate(&name, span, Some(first)));
            }
        } else {
            self.key_spans.push(span);
        }
        frame.key = Some(PendingKey {
            name,
            start: span.0,
            end: span.1,
            line,
            merge,
            value_offset: span.0,
        });
        Ok(())
    }

    /// The string form of a key's value, or an error for a collection or function.
    fn key_name(&self, value: Json, span: (usize, usize)) -> Result<String, Diagnostic> {
        Ok(match value {
            Json::String(s) => crate::model::escape_owned_key(s),
            Json::Null => "null".to_string(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.to_string(),
            Json::Array(_) | Json::Object(_) => {
                return Err(self.error(
                    format!("`{}` has a key that is not a string", self.name),
                    span,
                    "a mapping key must be a string, number or boolean",
                ))
            }
        })
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: saphyr_parser::Span,
    ) -> Result<(), Diagnostic> {
        self.source_nodes += 1;
        let kind = classify(tag);
        let blank = style == ScalarStyle::Plain && text.is_empty() && tag.is_none();
        let role = self.role(&span.start, blank);
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        let merge = matches!(role, Role::Key) && style == ScalarStyle::Plain && tag.is_none();
        let value = match scalar_value(text, style, &kind) {
            Ok(v) => v,
            Err(label) => {
                return Err(self.error(
                    format!("`{}` has a value that does not fit its tag", self.name),
                    (start, end),
                    label,
                ))
            }
        };
        // A wrapped scalar is 2 nodes (`!GetAtt a.b`: 4).
        let nodes = match (&kind, &value) {
            (TagKind::GetAtt, _) => 4,
            (TagKind::Wrap(_), _) => 2,
            _ => 1,
        };
        self.nodes += nodes;
        if anchor > 0 {
            self.set_anchor(anchor, value.clone(), nodes, 0);
        }
        match role {
            Role::Key => {
                let name = self.key_name(value, (start, end))?;
                let merge = merge && name == "<<";
                self.set_key(name, (start, end), span.start.line(), merge)?;
            }
            Role::Value {
                record,
                restore,
                offset,
            } => {
                if self.stack.is_empty() {
                    self.root_is_blank = blank && anchor == 0;
                }
                if record {
                    self.record(offset);
                    if let Some(key) = kind.wrap_key() {
                        push_segment(&mut self.path, key);
                        self.record(offset);
                        if let TagKind::GetAtt = kind {
                            let parts = value.get(key).and_then(Json::as_array).map_or(0, Vec::len);
                            let len = self.path.len();
                            for i in 0..parts {
                                push_index(&mut self.path, i);
                                self.record(offset);
                                self.path.truncate(len);
                            }
                        }
                    }
                }
                self.path.truncate(restore);
                self.attach(value, 0)?;
            }
        }
        Ok(())
    }

    fn set_anchor(&mut self, id: usize, value: Json, nodes: usize, height: usize) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchor {
            value,
            nodes,
            height,
        });
    }

    fn start_collection(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        span: saphyr_parser::Span,
    ) -> Result<(), Diagnostic> {
        self.source_nodes += 1;
        self.nodes += 1;
        let role = self.role(&span.start, false);
        let start = self.byte(span.start.index());
        let Role::Value {
            record,
            restore,
            offset,
        } = role
        else {
            let what = if is_map { "mapping" } else { "list" };
            return Err(self.error(
                format!("`{}` has a key that is not a string", self.name),
                (start, start),
                format!("a {what} as a key; keys must be strings, numbers or booleans"),
            ));
        };
        if self.stack.len() >= self.max_depth {
            let label = format!("level {} starts here", self.max_depth + 1);
            return Err(self.too_deep((start, start), &label));
        }
        let kind = classify(tag);
        if record {
            self.record(offset);
        }
        if let Some(key) = kind.wrap_key() {
            push_segment(&mut self.path, key);
            if record {
                self.record(offset);
            }
            self.nodes += 1;
        }
        let items = if is_map {
            Items::Map(Map::new())
        } else {
            Items::Seq(Vec::new())
        };
        self.stack.push(Frame {
            items,
            tag: kind,
            anchor,
            restore,
            record,
            nodes_at_start: self.nodes - 1,
            height: 1,
            key: None,
            key_base: self.key_spans.len(),
            merges: Vec::new(),
            merge_key: None,
        });
        Ok(())
    }

    fn end_collection(&mut self) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.items {
            Items::Seq(items) => Json::Array(items),
            Items::Map(map) if frame.merges.is_empty() => Json::Object(map),
            Items::Map(map) => {
                let merge_key = frame.merge_key.unwrap_or_default();
                let merged = self.merge(map, frame.merges, frame.record, merge_key)?;
                Json::Object(merged)
            }
        };
        self.key_spans.truncate(frame.key_base);
        let value = frame.tag.wrap(value);
        if frame.anchor > 0 {
            let nodes = self.nodes - frame.nodes_at_start;
            self.set_anchor(frame.anchor, value.clone(), nodes, frame.height);
        }
        self.path.truncate(frame.restore);
        self.attach(value, frame.height)
    }

    /// `<<` merge keys: the merged mappings' keys come first; keys written in the mapping win,
    /// and of the merged mappings, the first to give a key.
    fn merge(
        &mut self,
        explicit: Map<String, Json>,
        merges: Vec<(Json, usize)>,
        record: bool,
        merge_key: (usize, usize),
    ) -> Result<Map<String, Json>, Diagnostic> {
        let mut out = Map::new();
        for (value, offset) in merges {
            let sources = match value {
                Json::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Json::Object(source) = source else {
                    return Err(self
                        .error(
                            format!("`{}` merges something that is not a mapping", self.name),
                            (offset, offset),
                            "`<<` takes a mapping or a list of mappings",
                        )
                        .secondary(self.span(merge_key.0, merge_key.1), "merge key"));
                };
                for (k, v) in source {
                    if explicit.contains_key(&k) || out.contains_key(&k) {
                        continue;
                    }
                    if record {
                        let len = self.path.len();
                        push_segment(&mut self.path, &k);
                        record_tree(&v, &self.path, offset, &mut self.positions);
                        self.path.truncate(len);
                    }
                    out.insert(k, v);
                }
            }
        }
        out.extend(explicit);
        Ok(out)
    }

    fn alias(&mut self, id: usize, span: saphyr_parser::Span) -> Result<(), Diagnostic> {
        self.source_nodes += 1;
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        let Some(anchor) = self.anchors.get(id).and_then(Option::as_ref) else {
            return Err(self.error(
                format!("`{}` has an alias inside its own anchor", self.name),
                (start, end),
                "this alias refers to a node that contains it",
            ));
        };
        let (nodes, height) = (anchor.nodes, anchor.height);
        let budget = self
            .max_alias_nodes
            .unwrap_or_else(|| MIN_NODE_BUDGET.max(NODE_BUDGET_FACTOR * self.source_nodes));
        if self.nodes + nodes > budget {
            return Err(self
                .error(
                    format!(
                        "`{}` expands to more than {budget} nodes through aliases",
                        self.name
                    ),
                    (start, end),
                    "this alias makes the document too large",
                )
                .help("aliases (`*name`) copy their anchor; nested ones multiply it (--max-alias-nodes)"));
        }
        if self.stack.len() + height > self.max_depth {
            return Err(self.too_deep((start, end), "this alias nests its copy too deep"));
        }
        let value = anchor.value.clone();
        self.nodes += nodes;
        match self.role(&span.start, false) {
            Role::Key => {
                let name = self.key_name(value, (start, end))?;
                self.set_key(name, (start, end), span.start.line(), false)?;
            }
            Role::Value {
                record,
                restore,
                offset,
            } => {
                if record {
                    record_tree(&value, &self.path, offset, &mut self.positions);
                }
                self.path.truncate(restore);
                self.attach(value, height)?;
            }
        }
        Ok(())
    }
}

/// Record `offset` for `value` at `path` and for every node inside it (iteratively).
fn record_tree(value: &Json, path: &str, offset: usize, positions: &mut Positions) {
    let mut work: Vec<(&Json, String)> = vec![(value, path.to_string())];
    while let Some((v, p)) = work.pop() {
        match v {
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut q = p.clone();
                    push_index(&mut q, i);
                    work.push((item, q));
                }
            }
            Json::Object(map) => {
                for (k, item) in map {
                    let mut q = p.clone();
                    push_segment(&mut q, k);
                    work.push((item, q));
                }
            }
            _ => {}
        }
        positions.insert(p, offset);
    }
}

/// Where a scan error really is. The scanner marks a bad escape at the start of its quoted
/// scalar, and a tab used as indentation just after the tab: the label goes on the escape
/// (backslash and character) and on the tab themselves.
fn error_site(text: &[u8], at: usize, info: &str) -> (usize, usize) {
    if info.contains("unknown escape") && text.get(at) == Some(&b'"') {
        let mut i = at + 1;
        while i < text.len() && text[i] != b'"' {
            if text[i] == b'\\' {
                match text.get(i + 1) {
                    Some(c) if is_yaml_escape(*c) => i += 2,
                    _ => {
                        // Backslash and the whole character after it.
                        let mut end = (i + 2).min(text.len());
                        while end < text.len() && (text[end] & 0xC0) == 0x80 {
                            end += 1;
                        }
                        return (i, end);
                    }
                }
            } else {
                i += 1;
            }
        }
    }
    if info.contains("tab") && at > 0 && text.get(at - 1) == Some(&b'\t') {
        let mut start = at - 1;
        while start > 0 && text[start - 1] == b'\t' {
            start -= 1;
        }
        return (start, at);
    }
    (at, at)
}

/// Whether `\c` is an escape of a double-quoted YAML scalar (YAML 1.2, 5.7).
fn is_yaml_escape(c: u8) -> bool {
    matches!(
        c,
        b'0' | b'a'
            | b'b'
            | b't'
            | b'\t'
            | b'n'
            | b'v'
            | b'f'
            | b'r'
            | b'e'
            | b' '
            | b'"'
            | b'/'
            | b'\\'
            | b'N'
            | b'_'
            | b'L'
            | b'P'
            | b'x'
            | b'u'
            | b'U'
            | b'\n'
            | b'\r'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_by_the_core_schema() {
        assert_eq!(resolve_plain(""), Some(Json::Null));
        assert_eq!(resolve_plain("0x1F"), Some(Json::from(31)));
        assert_eq!(resolve_plain("0o17"), Some(Json::from(15)));
        assert_eq!(resolve_plain("-12"), Some(Json::from(-12)));
        assert_eq!(resolve_plain("0123"), None);
        assert_eq!(resolve_plain("1e3"), Some(Json::from(1000.0)));
        assert_eq!(resolve_plain("1e999"), None);
        assert_eq!(resolve_plain(".5"), Some(Json::from(0.5)));
        assert_eq!(resolve_plain("."), None);
        assert_eq!(resolve_plain("1.2.3"), None);
        assert_eq!(resolve_plain("2010-09-09"), None);
        assert_eq!(resolve_plain(".inf"), None);
        assert_eq!(
            resolve_plain("18446744073709551616"),
            Some(Json::from(18446744073709551616.0))
        );
        assert_eq!(resolve_plain("0x1ffffffffffffffff"), None);
    }

    #[test]
    fn offsets_convert_characters_to_bytes_both_ways() {
        let text = "aé€😀b";
        let mut o = Offsets {
            text: text.as_bytes(),
            ascii: false,
            chars: 0,
            bytes: 0,
        };
        assert_eq!(o.byte(4), 10);
        assert_eq!(o.byte(2), 3);
        assert_eq!(o.byte(3), 6);
        assert_eq!(o.byte(99), text.len());
        assert_eq!(o.byte(0), 0);
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let mut p = String::new();
        push_segment(&mut p, "a/b~c");
        push_index(&mut p, 3);
        assert_eq!(p, "/a~1b~0c/3");
    }
}
