//! `buttress.toml`: rule paths, the stdlib, parameters, disabled rules, default report formats
//! and gate, and (read by `waiver::file`) waivers and suppression names. Found in the working
//! folder or the nearest parent, stopping at the repository root (docs/configuration.md).

use crate::compile::{Override, OverrideValue};
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::Engine;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every key of the file, for the did-you-mean of an unknown one.
pub const KEYS: &[&str] = &[
    "rules",
    "no_stdlib",
    "replace_packs",
    "max_steps",
    "disable",
    "params",
    "format",
    "fail_on",
    "fail_on_unknown",
    "max_findings",
    "honour_suppressions",
    "strict",
    "baseline",
    "waiver",
    "suppressions",
];

type Spanned<T> = toml::Spanned<T>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    no_stdlib: bool,
    #[serde(default)]
    replace_packs: Vec<String>,
    #[serde(default)]
    max_steps: Option<u64>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    params: BTreeMap<Spanned<String>, toml::Value>,
    #[serde(default)]
    format: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    fail_on_unknown: bool,
    #[serde(default)]
    max_findings: Option<usize>,
    #[serde(default)]
    honour_suppressions: Vec<Spanned<String>>,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    baseline: Option<String>,
    /// Read by the waiver file reader (`waiver::file`).
    #[serde(default, rename = "waiver")]
    _waiver: Option<toml::Value>,
    #[serde(default, rename = "suppressions")]
    _suppressions: Option<toml::Value>,
}

/// What the configuration file says `check` does when its options do not say otherwise.
#[derive(Clone, Debug, Default)]
pub struct CheckDefaults {
    pub formats: Vec<super::outputs::Output>,
    pub fail_on: Option<crate::gate::FailOn>,
    pub fail_on_unknown: bool,
    pub max_findings: Option<usize>,
    pub honour_suppressions: Vec<String>,
    pub strict: bool,
    pub baseline: Option<PathBuf>,
}

/// What the configuration file says.
#[derive(Default)]
pub struct Config {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    pub rules: Vec<PathBuf>,
    pub no_stdlib: bool,
    pub replace_packs: Vec<String>,
    pub max_steps: Option<u64>,
    /// Rule ids or globs that do not run.
    pub disable: Vec<String>,
    pub overrides: Vec<Override>,
    pub check: CheckDefaults,
}

/// The configuration file a run reads when none is named: `buttress.toml` in the working
/// folder or the nearest parent, not looking above the repository root (a folder with `.git`).
pub fn discover() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    for dir in cwd.ancestors() {
        let candidate = dir.join("buttress.toml");
        if candidate.is_file() {
            // Relative to the working folder when it is there, as users wrote it.
            return Some(if dir == cwd {
                PathBuf::from("buttress.toml")
            } else {
                candidate
            });
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Read the given file, or the discovered `buttress.toml`. Errors become diagnostics.
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
            let mut bad = Vec::new();
            let check = defaults(&cfg, base, file, &mut bad);
            for d in bad {
                engine.push_diagnostic(d);
            }
            Config {
                path: Some(path.to_path_buf()),
                rules: cfg.rules.iter().map(|r| base.join(r)).collect(),
                no_stdlib: cfg.no_stdlib,
                replace_packs: cfg.replace_packs,
                max_steps: cfg.max_steps,
                disable: cfg.disable,
                check,
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
            let unknown = msg
                .strip_prefix("unknown field `")
                .and_then(|m| m.split('`').next())
                .map(str::to_string);
            let label = match &unknown {
                Some(key) => format!("unknown key `{key}`"),
                None => msg.clone(),
            };
            d = match e.span() {
                Some(r) => d.primary(Span::new(file, r), label),
                None => d.help(msg),
            };
            if let Some(near) = unknown
                .as_deref()
                .and_then(|k| closest(k, KEYS.iter().copied()))
            {
                d = d.help(format!("did you mean `{near}`?"));
            }
            engine.push_diagnostic(d.help(format!(
                "the keys are {} (docs/configuration.md)",
                KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            )));
            Config::default()
        }
    }
}

/// The `check` settings, each value checked; a bad one is a diagnostic at its place.
fn defaults(
    cfg: &ConfigFile,
    base: &Path,
    file: FileId,
    bad: &mut Vec<Diagnostic>,
) -> CheckDefaults {
    let at = |s: std::ops::Range<usize>| Span::new(file, s);
    let wrong = |span: Span, msg: String, help: &str| {
        Diagnostic::error(Code::BadConfig, "invalid value in buttress.toml")
            .primary(span, msg)
            .help(help.to_string())
    };
    let mut formats = Vec::new();
    for f in &cfg.format {
        match super::outputs::parse_output(f.get_ref()) {
            Ok(mut o) => {
                o.path = o.path.map(|p| base.join(p));
                formats.push(o);
            }
            Err(e) => bad.push(wrong(at(f.span()), e, "a format is FORMAT or FORMAT=PATH")),
        }
    }
    let fail_on = cfg.fail_on.as_ref().and_then(|f| {
        let parsed = crate::gate::FailOn::parse(f.get_ref());
        if parsed.is_none() {
            bad.push(wrong(
                at(f.span()),
                format!("`{}` is no risk", f.get_ref()),
                "one of: high, medium, low, never",
            ));
        }
        parsed
    });
    let mut honour = Vec::new();
    for t in &cfg.honour_suppressions {
        if ["guard", "cfn-nag"].contains(&t.get_ref().as_str()) {
            honour.push(t.get_ref().clone());
        } else {
            bad.push(wrong(
                at(t.span()),
                format!("`{}` is not a tool buttress reads", t.get_ref()),
                "one of: guard, cfn-nag",
            ));
        }
    }
    CheckDefaults {
        formats,
        fail_on,
        fail_on_unknown: cfg.fail_on_unknown,
        max_findings: cfg.max_findings,
        honour_suppressions: honour,
        strict: cfg.strict,
        baseline: cfg.baseline.as_ref().map(|b| base.join(b)),
    }
}
