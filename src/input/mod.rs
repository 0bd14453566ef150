//! Loaders: input bytes → the resource model. The text is read as JSON or YAML, then the
//! kind (CloudFormation, Terraform, AWS Config, plain JSON) is detected from the content or
//! forced by the user, and the format's loader makes the resources.

pub mod cloudformation;
pub mod config;
pub mod json;
pub mod locate;
mod position;
pub mod terraform;
pub mod yaml;

pub use position::Locator;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::InputKind;
use crate::model::{Document, Positions, Resource, TextFormat};
use crate::source::{FileId, Span};
use serde_json::Value as Json;

/// How to read an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Detect from the name and the content.
    Auto,
    CloudFormation,
    Terraform,
    Config,
    Json,
    /// One JSON document per line, streamed.
    Ndjson,
}

impl InputFormat {
    pub const NAMES: [&'static str; 6] = [
        "auto",
        "cloudformation",
        "terraform",
        "config",
        "json",
        "ndjson",
    ];

    pub fn parse(text: &str) -> Option<InputFormat> {
        Some(match text {
            "auto" => InputFormat::Auto,
            "cloudformation" | "cfn" => InputFormat::CloudFormation,
            "terraform" | "tf" => InputFormat::Terraform,
            "config" => InputFormat::Config,
            "json" => InputFormat::Json,
            "ndjson" | "jsonl" => InputFormat::Ndjson,
            _ => return None,
        })
    }

    /// The kind this format forces, if any.
    fn kind(self) -> Option<InputKind> {
        match self {
            InputFormat::CloudFormation => Some(InputKind::CloudFormation),
            InputFormat::Terraform => Some(InputKind::Terraform),
            InputFormat::Config => Some(InputKind::Config),
            InputFormat::Json => Some(InputKind::Json),
            InputFormat::Auto | InputFormat::Ndjson => None,
        }
    }
}

/// How inputs are read.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub format: Option<InputFormat>,
    /// Values of CloudFormation pseudo parameters the user knows (region, account, partition).
    pub pseudo: cloudformation::Pseudo,
    /// Which waivers written in inputs are honoured (read by `run`, not by the loaders).
    pub waivers: crate::waiver::inline::InlineOptions,
    /// How large inputs may be (docs/limits.md).
    pub limits: Limits,
    /// Passes are only counted, not listed (read by `run`: no report of the run lists them).
    pub omit_passes: bool,
    /// Findings carry no snippet of their line (read by `run`: no report of the run shows
    /// one). Their line and columns are the same.
    pub omit_snippets: bool,
    /// Each document is evaluated whole on the thread that loaded it, never split into
    /// chunks on rayon's pool (read by `run`): set by the driver while other inputs keep
    /// every thread busy, and with one thread.
    pub whole_documents: bool,
}

/// The sizes past which an input is refused with an error rather than read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// One input file (or standard input), in bytes (B0609).
    pub max_input_bytes: u64,
    /// One line of a JSON-lines stream, in bytes (B0608).
    pub max_line_bytes: usize,
    /// Nesting of a JSON or YAML document, at most 128 levels (B0602).
    pub max_depth: usize,
    /// Nodes YAML alias expansion may produce; `None` for max(1 M, 20 × the source's nodes)
    /// (B0602).
    pub max_alias_nodes: Option<usize>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input_bytes: 2 << 30,
            max_line_bytes: 64 << 20,
            max_depth: json::MAX_DEPTH,
            max_alias_nodes: None,
        }
    }
}

impl LoadOptions {
    pub fn format(&self) -> InputFormat {
        self.format.unwrap_or(InputFormat::Auto)
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

/// UTF-16 text (with its byte-order mark, as PowerShell writes it) as a string; `None` when
/// the bytes are not UTF-16 with a mark, `Some(Err(offset))` at an unpaired surrogate.
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, usize>> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|c| {
        let pair = [c[0], *c.get(1).unwrap_or(&0)];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Some(Err(2 + 2 * i)),
        }
    }
    Some(Ok(out))
}

/// Decode bytes as UTF-8 (a byte-order mark is dropped) or as UTF-16 with its byte-order
/// mark, or say where they stop being text.
pub fn decode(name: &str, mut bytes: Vec<u8>) -> Result<String, LoadError> {
    if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        bytes.drain(..3);
    }
    match decode_utf16(&bytes) {
        Some(Ok(text)) => return Ok(text.trim_start_matches('\u{feff}').to_string()),
        Some(Err(at)) => {
            return Err(LoadError {
                diagnostic: Diagnostic::error(
                    Code::NotUtf8,
                    format!("`{name}` is UTF-16 with a broken character at byte {at}"),
                )
                .help("save the file as UTF-8 (or valid UTF-16)"),
                text: String::new(),
            })
        }
        None => {}
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let start = String::from_utf8_lossy(&e.as_bytes()[..at]).len();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
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

/// Whether the text is YAML: by the name, else by the first character that is not space
/// or a comment (JSON starts with `{` or `[`).
fn is_yaml(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return true;
    }
    if lower.ends_with(".json") || lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        return false;
    }
    let first = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.chars().next());
    !matches!(first, Some('{') | Some('[') | None)
}

/// The kind of a parsed document.
fn detect(value: &Json) -> InputKind {
    if cloudformation::is_template(value) {
        InputKind::CloudFormation
    } else if terraform::detect(value) {
        InputKind::Terraform
    } else if config::detect(value) {
        InputKind::Config
    } else {
        InputKind::Json
    }
}

/// A plain JSON document: one resource, whose type and name are the input's name.
fn plain(name: &str, value: Json) -> crate::model::LoadedResources {
    crate::model::LoadedResources {
        kind: Some(InputKind::Json),
        resources: vec![Resource {
            type_name: name.to_string(),
            name: name.to_string(),
            properties: value,
            entry: Json::Null,
            pointer: String::new(),
            entry_pointer: String::new(),
            refs: Vec::new(),
            variants: Vec::new(),
        }],
        root: Json::Null,
        warnings: Vec::new(),
    }
}

/// Load one input's bytes.
pub fn load(name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let text = decode(name, bytes)?;
    load_text(name, text, opts)
}

/// The first document of `text`, loaded with the default options, for the crate's unit
/// tests (which hold inputs that load).
#[cfg(test)]
pub(crate) fn test_document(name: &str, text: &str) -> crate::model::Document {
    load(name, text.as_bytes().to_vec(), &LoadOptions::default())
        .expect("the test input loads")
        .documents
        .remove(0)
}

/// Load one input's text (also one line of a stream).
pub fn load_text(name: &str, text: String, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let yaml = is_yaml(name, &text);
    load_syntax(name, text, yaml, opts)
}

/// Load one line of a JSON-lines stream: always JSON, whatever the stream is called.
pub fn load_json_line(name: &str, text: String, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    load_syntax(name, text, false, opts)
}

fn load_syntax(
    name: &str,
    text: String,
    yaml: bool,
    opts: &LoadOptions,
) -> Result<Loaded, LoadError> {
    let (mut value, positions, format) = if yaml {
        match yaml::parse_within(name, &text, &opts.limits) {
            Ok(p) => (p.value, p.positions, TextFormat::Yaml),
            Err(diagnostic) => return Err(LoadError { diagnostic, text }),
        }
    } else {
        match json::parse_input_within(name, &text, opts.limits.max_depth) {
            Ok(v) => (v, Positions::default(), TextFormat::Json),
            Err(diagnostic) => return Err(LoadError { diagnostic, text }),
        }
    };
    let kind = opts.format().kind().unwrap_or_else(|| detect(&value));
    let loaded = match kind {
        InputKind::CloudFormation => cloudformation::load(name, value, &opts.pseudo),
        InputKind::Terraform => terraform::load(name, &mut value),
        InputKind::Config => config::load(name, &mut value),
        InputKind::Json => Ok(plain(name, value)),
    };
    let mut doc = Document {
        name: name.to_string(),
        kind,
        format,
        text,
        resources: Vec::new(),
        positions,
        referrers: Vec::new(),
        root: Json::Null,
    };
    let loaded = match loaded {
        Ok(l) => l,
        Err(d) => {
            let at = Locator::new(&doc).offset("/Resources");
            let d = match (d.labels.is_empty(), kind) {
                (false, _) => d,
                (true, InputKind::CloudFormation) => d.primary(
                    Span::new(FileId(0), at..(at + 1).min(doc.text.len())),
                    "expected a map of resources here",
                ),
                (true, _) => d.primary(
                    Span::new(FileId(0), 0..doc.text.len().min(1)),
                    "in this document",
                ),
            };
            return Err(LoadError {
                diagnostic: d,
                text: doc.text,
            });
        }
    };
    doc.resources = loaded.resources;
    doc.root = loaded.root;
    doc.referrers = crate::model::referrers(&doc.resources);
    let mut locator = Locator::new(&doc);
    let warnings: Vec<Diagnostic> = loaded
        .warnings
        .into_iter()
        .map(|(d, pointer)| {
            let at = locator.offset(&pointer);
            let end = match doc.format {
                TextFormat::Json => at + locate::token_len(&doc.text, at),
                TextFormat::Yaml => doc.text[at..].find('\n').map_or(doc.text.len(), |e| at + e),
            };
            d.primary(
                Span::new(FileId(0), at..end.min(doc.text.len()).max(at)),
                "not checked",
            )
        })
        .collect();
    Ok(Loaded {
        documents: vec![doc],
        warnings,
    })
}
