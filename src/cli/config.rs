//! `buttress.toml`: extra rule paths, whether to load the stdlib, and parameter values.

use crate::compile::{Override, OverrideValue};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::Engine;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    no_stdlib: bool,
    #[serde(default)]
    params: BTreeMap<toml::Spanned<String>, toml::Value>,
    /// Read by the waiver file reader (`waiver::file`).
    #[serde(default, rename = "waiver")]
    _waiver: Option<toml::Value>,
    #[serde(default, rename = "suppressions")]
    _suppressions: Option<toml::Value>,
}

/// What the configuration file says.
#[derive(Default)]
pub struct Config {
    pub rules: Vec<PathBuf>,
    pub no_stdlib: bool,
    pub overrides: Vec<Override>,
}

/// The configuration file a run reads when none is named: `./buttress.toml`.
pub fn discover() -> Option<PathBuf> {
    let default = Path::new("buttress.toml");
    default.is_file().then(|| default.to_path_buf())
}

/// Read the given file, or `./buttress.toml` when present. Errors become diagnostics.
pub fn load(path: Option<&Path>, engine: &mut Engine) -> Config {
    let found = discover();
    let path = match path.or(found.as_deref()) {
        Some(p) => p,
        None => return Config::default(),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            engine.push_diagnostic(Diagnostic::error(
                Code::BadConfig,
                format!("cannot read `{}`: {e}", path.display()),
            ));
            return Config::default();
        }
    };
    let file = engine
        .sources_mut()
        .add(path.display().to_string(), text.clone());
    match toml::from_str::<ConfigFile>(&text) {
        Ok(cfg) => {
            let base = path.parent().unwrap_or(Path::new(""));
            Config {
                rules: cfg.rules.iter().map(|r| base.join(r)).collect(),
                no_stdlib: cfg.no_stdlib,
                overrides: cfg
                    .params
                    .into_iter()
                    .map(|(name, value)| Override {
                        span: Some(Span::new(file, name.span())),
                        name: name.into_inner(),
                        value: OverrideValue::Typed(
                            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
                        ),
                    })
                    .collect(),
            }
        }
        Err(e) => {
            let mut d = Diagnostic::error(
                Code::BadConfig,
                format!("{} is not a valid configuration", path.display()),
            );
            let msg = e.message().to_string();
            d = match e.span() {
                Some(r) => d.primary(Span::new(file, r), msg),
                None => d.help(msg),
            };
            engine.push_diagnostic(
                d.help("the keys are `rules`, `no_stdlib`, the tables `[params]` and `[suppressions]`, and `[[waiver]]` entries (docs/configuration.md)"),
            );
            Config::default()
        }
    }
}
