//! Waivers written in the input: a CloudFormation resource's `Metadata.buttress.waive`, a
//! `buttress:waive:RULE` tag (Terraform, where a plan has no comments), and, when asked,
//! cfn-guard's `Metadata.guard.SuppressedRules` and cfn-nag's `Metadata.cfn_nag.rules_to_suppress`.

use super::{Waiver, WaiverKind};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::input::locate::escape_key;
use crate::input::Locator;
use crate::ir::{Glob, Program, RuleInfo};
use crate::model::{Document, Resource};
use crate::source::{FileId, Span};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// The prefix of a waiver tag's key; the rest is the rule id (`buttress:waive:security.x.y`).
pub const TAG_PREFIX: &str = "buttress:waive:";

/// The properties whose tags can waive a rule (`tags_all` also holds the Terraform
/// provider's `default_tags`).
const TAG_FIELDS: [&str; 2] = ["tags", "tags_all"];

/// How inline waivers are read.
#[derive(Clone, Debug, Default)]
pub struct InlineOptions {
    /// Honour cfn-guard's `SuppressedRules`.
    pub guard: bool,
    /// Honour cfn-nag's `rules_to_suppress`.
    pub cfn_nag: bool,
    /// Another tool's rule name → the buttress rule ids it stands for.
    pub map: std::sync::Arc<BTreeMap<String, Vec<String>>>,
    /// The day expiry is judged on; `None` means today.
    pub today: Option<Date>,
}

/// What the input says about one (rule, resource).
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Waived(Waiver),
    /// A waiver that would apply but whose date has passed, or that is malformed.
    Problem {
        expired: bool,
        message: String,
        /// JSON pointer of the waiver in the document.
        pointer: String,
    },
}

/// The inline waiver of each finding, and a diagnostic for each expired or malformed waiver
/// that would have applied (once per rule and resource).
pub fn for_findings(
    prog: &Program,
    doc: &Document,
    findings: &[crate::eval::Finding],
    opts: &InlineOptions,
) -> (Vec<Option<Waiver>>, Vec<Diagnostic>) {
    let carrier = |f: &crate::eval::Finding| {
        f.resource
            .and_then(|r| doc.resources.get(r as usize))
            .is_some_and(may_carry_waivers)
    };
    if !findings.iter().any(carrier) {
        // Most documents: nothing to read, nothing to report.
        return (vec![None; findings.len()], Vec::new());
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut locator = None;
    let mut span_of = |pointer: &str| {
        let at = locator
            .get_or_insert_with(|| Locator::new(doc))
            .offset(pointer);
        Span::new(FileId(0), at..(at + 1).min(doc.text.len()).max(at))
    };
    let mut shaped = std::collections::HashSet::new();
    let waivers = findings
        .iter()
        .map(|f| {
            // A `document` block's finding has no resource to carry a waiver: a waiver file
            // waives it.
            let res = doc.resources.get(f.resource? as usize)?;
            let rule = &prog.rules[f.rule as usize];
            if shaped.insert(f.resource) {
                for (message, pointer) in malformed(res) {
                    problems.push(
                        Diagnostic::error(Code::BadWaiver, format!("a waiver on `{}` cannot be read", res.name))
                            .primary(span_of(&pointer), message)
                            .help("`Metadata.buttress.waive` is a list of `{rule, reason, expires, by}`"),
                    );
                }
            }
            match find(res, rule, opts)? {
                Inline::Waived(w) => Some(w),
                Inline::Problem { expired, message, pointer } => {
                    if seen.insert((f.rule, f.resource)) {
                        let span = span_of(&pointer);
                        let head = format!("the waiver of `{}` on `{}` does not apply", rule.id, res.name);
                        problems.push(if expired {
                            Diagnostic::warning(Code::WaiverExpired, head)
                                .primary(span, message)
                                .help("fix the finding, or renew the waiver with a new `expires`")
                        } else {
                            Diagnostic::error(Code::BadWaiver, head)
                                .primary(span, message)
                                .help("a waiver has `rule`, `reason`, and optionally `expires` (YYYY-MM-DD) and `by`")
                        });
                    }
                    None
                }
            }
        })
        .collect();
    (waivers, problems)
}

/// Whether `res` has anything [`find`] or [`malformed`] reads: a `Metadata` section, or a tag
/// whose key starts with [`TAG_PREFIX`].
fn may_carry_waivers(res: &Resource) -> bool {
    res.entry.get("Metadata").is_some()
        || TAG_FIELDS.into_iter().any(|field| {
            res.properties
                .as_object()
                .and_then(|p| crate::model::member(p, field))
                .and_then(Json::as_object)
                .is_some_and(|tags| tags.keys().any(|k| k.starts_with(TAG_PREFIX)))
        })
}

/// What in `Metadata.buttress.waive` no rule can match: not a list, or an entry without a
/// `rule` string; with the JSON pointer of each.
fn malformed(res: &Resource) -> Vec<(String, String)> {
    let Some(waive) = res.entry.pointer("/Metadata/buttress/waive") else {
        return Vec::new();
    };
    let base = format!("{}/Metadata/buttress/waive", res.entry_pointer);
    match waive {
        Json::Array(list) => list
            .iter()
            .enumerate()
            .filter(|(_, w)| w.get("rule").and_then(Json::as_str).is_none())
            .map(|(i, _)| {
                (
                    "this waiver names no `rule`".to_string(),
                    format!("{base}/{i}"),
                )
            })
            .collect(),
        other => vec![(
            format!(
                "`waive` is {}, not a list of waivers",
                crate::input::locate::json_kind(other)
            ),
            base,
        )],
    }
}

/// The first inline waiver of `res` that names `rule`.
pub fn find(res: &Resource, rule: &RuleInfo, opts: &InlineOptions) -> Option<Inline> {
    let today = || opts.today.unwrap_or_else(Date::today);
    let meta = res.entry.get("Metadata");
    let at = |rest: &str| format!("{}/Metadata{rest}", res.entry_pointer);
    if let Some(list) = meta.and_then(|m| m.pointer("/buttress/waive")) {
        for (i, w) in list.as_array().into_iter().flatten().enumerate() {
            let names = w.get("rule").and_then(Json::as_str).unwrap_or("");
            if Glob::new(names).matches(&rule.id) {
                return Some(judge(
                    w,
                    WaiverKind::Inline,
                    at(&format!("/buttress/waive/{i}")),
                    today(),
                ));
            }
        }
    }
    for field in TAG_FIELDS {
        let tags = res
            .properties
            .as_object()
            .and_then(|p| crate::model::member(p, field));
        let Some(tags) = tags.and_then(Json::as_object) else {
            continue;
        };
        for (key, value) in tags {
            let Some(names) = key.strip_prefix(TAG_PREFIX) else {
                continue;
            };
            if Glob::new(names).matches(&rule.id) {
                let pointer = format!("{}/{field}/{}", res.pointer, escape_key(key));
                return Some(tag(value.as_str().unwrap_or(""), pointer, today()));
            }
        }
    }
    let named = |n: &str| names_rule(n, rule, &opts.map);
    if opts.guard {
        if let Some(list) = meta.and_then(|m| m.pointer("/guard/SuppressedRules")) {
            for (i, n) in list.as_array().into_iter().flatten().enumerate() {
                if n.as_str().is_some_and(named) {
                    return Some(Inline::Waived(Waiver {
                        kind: WaiverKind::Guard,
                        reason: format!(
                            "suppressed for cfn-guard ({})",
                            at(&format!("/guard/SuppressedRules/{i}"))
                        ),
                        by: None,
                        until: None,
                    }));
                }
            }
        }
    }
    if opts.cfn_nag {
        if let Some(list) = meta.and_then(|m| m.pointer("/cfn_nag/rules_to_suppress")) {
            for (i, w) in list.as_array().into_iter().flatten().enumerate() {
                if w.get("id").and_then(Json::as_str).is_some_and(named) {
                    let pointer = at(&format!("/cfn_nag/rules_to_suppress/{i}"));
                    // cfn-nag accepts a suppression without a reason: say where it comes from.
                    let mut w = w.clone();
                    if w.get("reason")
                        .and_then(Json::as_str)
                        .is_none_or(|r| r.trim().is_empty())
                    {
                        w["reason"] = Json::from(format!("suppressed for cfn-nag ({pointer})"));
                    }
                    return Some(judge(&w, WaiverKind::CfnNag, pointer, today()));
                }
            }
        }
    }
    None
}

/// Whether another tool's rule name stands for `rule`: its id, its own name, or the map.
fn names_rule(name: &str, rule: &RuleInfo, map: &BTreeMap<String, Vec<String>>) -> bool {
    name.eq_ignore_ascii_case(&rule.id)
        || name.eq_ignore_ascii_case(&rule.name)
        || map
            .get(name)
            .is_some_and(|ids| ids.iter().any(|g| Glob::new(g).matches(&rule.id)))
}

/// A waiver object: `reason` required, `expires` and `by` optional.
fn judge(w: &Json, kind: WaiverKind, pointer: String, today: Date) -> Inline {
    let text = |k: &str| w.get(k).and_then(Json::as_str).map(str::trim);
    let Some(reason) = text("reason").filter(|r| !r.is_empty()) else {
        return Inline::Problem {
            expired: false,
            message: "this waiver gives no `reason`; it does not apply".to_string(),
            pointer,
        };
    };
    let until = match text("expires") {
        None => None,
        Some(e) => match Date::parse(e) {
            None => {
                return Inline::Problem {
                    expired: false,
                    message: format!(
                        "`expires: {e}` is not a date (YYYY-MM-DD); the waiver does not apply"
                    ),
                    pointer,
                }
            }
            Some(d) if d < today => {
                return Inline::Problem {
                    expired: true,
                    message: format!("this waiver expired on {d}; the finding counts again"),
                    pointer,
                }
            }
            Some(d) => Some(d.to_string()),
        },
    };
    Inline::Waived(Waiver {
        kind,
        reason: reason.to_string(),
        by: text("by").map(str::to_string),
        until,
    })
}

/// A tag's value: the reason, optionally ending in ` expires=YYYY-MM-DD` (tag values allow
/// letters, digits, spaces and `_ . : / = + - @`).
fn tag(value: &str, pointer: String, today: Date) -> Inline {
    let (reason, expires) = match value.rsplit_once("expires=") {
        Some((r, e)) => (r.trim(), Some(e.trim())),
        None => (value.trim(), None),
    };
    let mut w = serde_json::Map::new();
    w.insert("reason".into(), Json::from(reason));
    if let Some(e) = expires {
        w.insert("expires".into(), Json::from(e));
    }
    judge(&Json::Object(w), WaiverKind::Tag, pointer, today)
}
