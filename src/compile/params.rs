//! Parameters: typed defaults declared in packs, overridden from `--param` and `buttress.toml`.

use crate::diagnostics::{closest, Code, Diagnostic};
use crate::source::Span;
use serde_json::Value as Json;

/// The declared type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    Number,
    String,
    Bool,
    List,
    Any,
}

impl ParamType {
    pub fn parse(word: &str) -> Option<ParamType> {
        Some(match word {
            "number" => ParamType::Number,
            "string" => ParamType::String,
            "bool" => ParamType::Bool,
            "list" => ParamType::List,
            "any" => ParamType::Any,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ParamType::Number => "number",
            ParamType::String => "string",
            ParamType::Bool => "bool",
            ParamType::List => "list",
            ParamType::Any => "any",
        }
    }

    pub fn accepts(self, v: &Json) -> bool {
        match self {
            ParamType::Number => v.is_number(),
            ParamType::String => v.is_string(),
            ParamType::Bool => v.is_boolean(),
            ParamType::List => v.is_array(),
            ParamType::Any => true,
        }
    }

    /// Read a value given as text on the command line.
    pub fn parse_text(self, text: &str) -> Option<Json> {
        let text = text.trim();
        match self {
            ParamType::String => Some(Json::String(text.to_string())),
            ParamType::Number => serde_json::from_str::<Json>(text)
                .ok()
                .filter(Json::is_number),
            ParamType::Bool => match text {
                "true" => Some(Json::Bool(true)),
                "false" => Some(Json::Bool(false)),
                _ => None,
            },
            ParamType::List => {
                if text.starts_with('[') {
                    serde_json::from_str::<Json>(text)
                        .ok()
                        .filter(Json::is_array)
                } else if text.is_empty() {
                    Some(Json::Array(Vec::new()))
                } else {
                    Some(Json::Array(
                        text.split(',')
                            .map(|s| Json::String(s.trim().to_string()))
                            .collect(),
                    ))
                }
            }
            ParamType::Any => {
                Some(serde_json::from_str(text).unwrap_or_else(|_| Json::String(text.to_string())))
            }
        }
    }
}

/// A value for a parameter from outside the rules.
#[derive(Clone, Debug)]
pub struct Override {
    /// `name` or `pack.name`.
    pub name: String,
    pub value: OverrideValue,
    /// Where it was written (a command line or buttress.toml), for diagnostics.
    pub span: Option<Span>,
}

#[derive(Clone, Debug)]
pub enum OverrideValue {
    /// From the command line: read according to the parameter's type.
    Text(String),
    /// From buttress.toml: already typed.
    Typed(Json),
}

/// A declared parameter with its final value.
#[derive(Clone, Debug)]
pub struct ParamSlot {
    pub pack: String,
    pub name: String,
    pub ty: ParamType,
    pub value: Json,
    pub span: Span,
}

/// Apply overrides to declared parameters, reporting unknown names and ill-typed values.
pub fn apply_overrides(
    params: &mut [ParamSlot],
    overrides: &[Override],
    diags: &mut Vec<Diagnostic>,
) {
    for o in overrides {
        let matching: Vec<usize> = params
            .iter()
            .enumerate()
            .filter(|(_, p)| o.name == p.name || o.name == format!("{}.{}", p.pack, p.name))
            .map(|(i, _)| i)
            .collect();
        if matching.is_empty() {
            // A qualified name is compared with qualified names (`org.dta.x` → `org.data.x`).
            let names: Vec<String> = params
                .iter()
                .map(|p| {
                    if o.name.contains('.') {
                        format!("{}.{}", p.pack, p.name)
                    } else {
                        p.name.clone()
                    }
                })
                .collect();
            let mut d = Diagnostic::error(
                Code::UnknownParam,
                format!("unknown parameter `{}`", o.name),
            );
            if let Some(span) = o.span {
                d = d.primary(span, "no pack declares this parameter");
            }
            if let Some(near) = closest(&o.name, names.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{near}`?"));
            } else if params.is_empty() {
                d = d.help("the loaded rules declare no parameters");
            } else {
                d = d.help("`buttress rules --params` lists the parameters");
            }
            diags.push(d);
            continue;
        }
        for i in matching {
            let p = &mut params[i];
            let value = match &o.value {
                OverrideValue::Text(t) => p.ty.parse_text(t),
                OverrideValue::Typed(v) => Some(v.clone()).filter(|v| p.ty.accepts(v)),
            };
            match value {
                Some(v) => p.value = v,
                None => {
                    let shown = match &o.value {
                        OverrideValue::Text(t) => format!("`{t}`"),
                        OverrideValue::Typed(v) => format!("`{v}`"),
                    };
                    let mut d = Diagnostic::error(
                        Code::ParamType,
                        format!("parameter `{}` is a {}, not {shown}", o.name, p.ty.name()),
                    );
                    if let Some(span) = o.span {
                        d = d.primary(span, format!("expected a {}", p.ty.name()));
                    }
                    diags.push(d.secondary(p.span, "declared here"));
                }
            }
        }
    }
}

/// Split `name=value` from the command line.
pub fn parse_cli_override(arg: &str, span: Span) -> Result<Override, Diagnostic> {
    match arg.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok(Override {
            name: name.trim().to_string(),
            value: OverrideValue::Text(value.to_string()),
            span: Some(span),
        }),
        _ => Err(Diagnostic::error(
            Code::BadParamSyntax,
            format!("`--param {arg}` is not `name=value`"),
        )
        .primary(span, "expected `name=value`")
        .help("for example `--param min_retention_days=30` or `--param required_tags=owner,team`")),
    }
}
