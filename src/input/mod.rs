//! Loaders: input bytes → the resource model, with the kind of each input detected from its
//! content or forced by the user.

pub mod cloudformation;
pub mod config;
pub mod locate;
pub mod model;
pub mod terraform;
pub mod yaml;

use crate::diagnostics::{Code, Diagnostic};
use crate::ir::InputKind;
use crate::source::{FileId, SourceFile, Span};
use model::{Document, Resource, TextFormat};
use serde_json::Value as Json;

/// How to read an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Detect from the content.
    Auto,
    CloudFormation,
    Json,
}

impl InputFormat {
    pub const NAMES: [&'static str; 3] = ["auto", "cloudformation", "json"];

    pub fn parse(text: &str) -> Option<InputFormat> {
        Some(match text {
            "auto" => InputFormat::Auto,
            "cloudformation" | "cfn" => InputFormat::CloudFormation,
            "json" => InputFormat::Json,
            _ => return None,
        })
    }
}

/// What loading one input produced.
#[derive(Debug)]
pub struct Loaded {
    pub documents: Vec<Document>,
    /// Warnings about parts not checked; labels point into the input's own text (`FileId(0)`).
    pub warnings: Vec<Diagnostic>,
}

/// Why an input could not be loaded; labels point into `text` as `FileId(0)`.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostic: Diagnostic,
    pub text: String,
}

/// The span of a 1-based line and column in `text`, as `FileId(0)`.
fn span_at(text: &str, line: usize, column: usize) -> Span {
    let f = SourceFile::new(String::new(), text.to_string());
    let start = f
        .line_starts()
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or(text.len());
    let offset = (start + column.saturating_sub(1)).min(text.len());
    let mut end = (offset + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    let mut offset = offset;
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    Span::new(FileId(0), offset..end)
}

fn parse_json(name: &str, text: String) -> Result<(Json, String), LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError {
            diagnostic: Diagnostic::error(Code::InvalidJson, format!("`{name}` is empty"))
                .help("an input holds one JSON document"),
            text,
        });
    }
    match serde_json::from_str::<Json>(&text) {
        Ok(v) => Ok((v, text)),
        Err(e) => {
            let span = span_at(&text, e.line(), e.column());
            let detail = e.to_string();
            let detail = detail.split(" at line ").next().unwrap_or(&detail);
            let detail = match detail {
                "EOF while parsing an object" => {
                    "the text ends before this object is closed with `}`"
                }
                "EOF while parsing a list" => "the text ends before this list is closed with `]`",
                "EOF while parsing a string" => "the text ends inside a string",
                "EOF while parsing a value" => "the text ends where a value should be",
                other => other,
            }
            .to_string();
            let mut d = Diagnostic::error(Code::InvalidJson, format!("`{name}` is not valid JSON"))
                .primary(span, detail.clone());
            if detail.contains("recursion limit") {
                d = d.help("documents may nest at most 128 levels deep");
            }
            Err(LoadError {
                diagnostic: d,
                text,
            })
        }
    }
}

/// Decode bytes as UTF-8, or say where they stop being so.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let start = prefix.len();
        LoadError {
            diagnostic: Diagnostic::error(Code::NotUtf8, format!("`{name}` is not UTF-8"))
                .primary(
                    Span::new(FileId(0), start..(start + 3).min(text.len())),
                    "invalid byte sequence here",
                )
                .help("save the file as UTF-8"),
            text,
        }
    })
}

/// A plain JSON document: one resource, whose type and name are the input's name.
fn plain_json(name: &str, text: String, value: Json) -> Document {
    Document {
        name: name.to_string(),
        kind: InputKind::Json,
        format: TextFormat::Json,
        text,
        resources: vec![Resource {
            type_name: name.to_string(),
            name: name.to_string(),
            properties: value,
            entry: Json::Null,
            pointer: String::new(),
            entry_pointer: String::new(),
            refs: Vec::new(),
        }],
        positions: Default::default(),
    }
}

/// Load one input's bytes.
pub fn load(name: &str, bytes: Vec<u8>, format: InputFormat) -> Result<Loaded, LoadError> {
    let text = decode(name, bytes)?;
    let (value, text) = parse_json(name, text)?;
    let as_template = match format {
        InputFormat::CloudFormation => true,
        InputFormat::Json => false,
        InputFormat::Auto => cloudformation::is_template(&value),
    };
    if !as_template {
        return Ok(Loaded {
            documents: vec![plain_json(name, text, value)],
            warnings: Vec::new(),
        });
    }
    let resources_span = |text: &str| {
        let at = locate::json_offset(text, "/Resources");
        Span::new(FileId(0), at..(at + 1).min(text.len()))
    };
    match cloudformation::load(name, String::new(), TextFormat::Json, value) {
        Ok((mut doc, warnings)) => {
            // Warnings are about resources: find them all in one pass over `Resources`.
            let members: std::collections::HashMap<String, usize> = if warnings.is_empty() {
                Default::default()
            } else {
                locate::members(&text, locate::json_offset(&text, "/Resources"))
                    .into_iter()
                    .collect()
            };
            let warnings = warnings
                .into_iter()
                .map(|(d, pointer)| {
                    let name = pointer
                        .trim_start_matches("/Resources/")
                        .replace("~1", "/")
                        .replace("~0", "~");
                    let at = members
                        .get(&name)
                        .copied()
                        .unwrap_or_else(|| locate::json_offset(&text, &pointer));
                    let end = (at + locate::token_len(&text, at)).min(text.len());
                    d.primary(Span::new(FileId(0), at..end), "not checked")
                })
                .collect();
            doc.text = text;
            Ok(Loaded {
                documents: vec![doc],
                warnings,
            })
        }
        Err(d) => {
            let span = resources_span(&text);
            Err(LoadError {
                diagnostic: d.primary(span, "expected a map of resources here"),
                text,
            })
        }
    }
}

/// Finds the positions of JSON pointers in one document, remembering where each resource
/// starts so that many findings do not each scan from the top.
pub struct Locator<'d> {
    doc: &'d Document,
    /// Offsets of the declarations of the document's resources, by entry pointer; filled
    /// on first use with one pass over their parent object.
    starts: Option<std::collections::HashMap<String, usize>>,
}

impl<'d> Locator<'d> {
    pub fn new(doc: &'d Document) -> Locator<'d> {
        Locator { doc, starts: None }
    }

    fn entry_start(&mut self, entry_pointer: &str) -> usize {
        let text = &self.doc.text;
        let starts = self.starts.get_or_insert_with(|| {
            let mut parents: Vec<&str> = self
                .doc
                .resources
                .iter()
                .filter_map(|r| r.entry_pointer.rsplit_once('/').map(|(parent, _)| parent))
                .collect();
            parents.sort_unstable();
            parents.dedup();
            let mut map = std::collections::HashMap::new();
            for parent in parents {
                let at = locate::json_offset(text, parent);
                for (key, offset) in locate::members(text, at) {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    map.insert(format!("{parent}/{escaped}"), offset);
                }
            }
            map
        });
        match starts.get(entry_pointer) {
            Some(&at) => at,
            None => locate::json_offset(text, entry_pointer),
        }
    }

    /// Byte offset and underline length of `pointer`, which lies within resource `res`.
    pub fn position(&mut self, res: u32, pointer: &str) -> (usize, usize) {
        let doc = self.doc;
        let text = &doc.text;
        let resource = &doc.resources[res as usize];
        let at = match pointer.strip_prefix(resource.entry_pointer.as_str()) {
            Some(rest) if !resource.entry_pointer.is_empty() => {
                let start = self.entry_start(&resource.entry_pointer);
                locate::json_offset_from(&self.doc.text, start, rest)
            }
            _ => locate::json_offset(text, pointer),
        };
        (at, locate::token_len(text, at))
    }
}
