//! Rule metadata: pillar, best practices checked against the catalogue, risk, texts.

use crate::ast::{Meta, MetaValue, Rule};
use crate::catalogue::{Catalogue, Pillar, Risk, PILLARS};
use crate::diagnostics::{closest, Code, Diagnostic};

const FIELDS: [&str; 7] = [
    "pillar",
    "practice",
    "risk",
    "title",
    "rationale",
    "fix",
    "link",
];

/// The checked metadata of one rule.
pub struct RuleMeta {
    pub pillar: Pillar,
    pub practices: Vec<String>,
    pub risk: Risk,
    pub title: String,
    pub rationale: String,
    pub fix: String,
    pub links: Vec<String>,
}

/// The span of a field's value (not of the whole `key value` line).
fn value_span(m: &Meta) -> crate::source::Span {
    match &m.value {
        MetaValue::Word(w) => w.span,
        MetaValue::Strings(s) => s
            .first()
            .map_or(m.span, |x| x.span)
            .to(s.last().map_or(m.span, |x| x.span)),
    }
}

fn word<'a>(m: &'a Meta, diags: &mut Vec<Diagnostic>) -> Option<&'a str> {
    match &m.value {
        MetaValue::Word(w) => Some(&w.name),
        MetaValue::Strings(s) if s.len() == 1 => Some(&s[0].value),
        MetaValue::Strings(_) => {
            diags.push(
                Diagnostic::error(
                    Code::BadMetadataValue,
                    format!("`{}` takes one value", m.key.name),
                )
                .primary(m.span, "several values given"),
            );
            None
        }
    }
}

fn strings(m: &Meta, diags: &mut Vec<Diagnostic>) -> Vec<(String, crate::source::Span)> {
    match &m.value {
        MetaValue::Strings(s) => s.iter().map(|s| (s.value.clone(), s.span)).collect(),
        MetaValue::Word(w) => {
            diags.push(
                Diagnostic::error(
                    Code::BadMetadataValue,
                    format!("`{}` takes a string", m.key.name),
                )
                .primary(w.span, "a bare word")
                .help(format!(
                    "write it in quotes: `{} \"{}\"`",
                    m.key.name, w.name
                )),
            );
            Vec::new()
        }
    }
}

/// Check a rule's metadata; `None` when something required is missing or wrong.
pub fn check(rule: &Rule, catalogue: &Catalogue, diags: &mut Vec<Diagnostic>) -> Option<RuleMeta> {
    let start = diags.len();
    let mut seen: Vec<&Meta> = Vec::new();
    let (mut pillar, mut risk) = (None, None);
    let mut practices = Vec::new();
    let (mut title, mut rationale, mut fix, mut links) =
        (None, String::new(), String::new(), Vec::new());
    for m in &rule.meta {
        let key = m.key.name.as_str();
        if !FIELDS.contains(&key) {
            let mut d = Diagnostic::error(
                Code::UnknownMetadata,
                format!("unknown metadata field `{key}`"),
            )
            .primary(m.key.span, "not a metadata field");
            d = match closest(key, FIELDS) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help(format!("the fields are {}", FIELDS.join(", "))),
            };
            diags.push(d);
            continue;
        }
        if let Some(prev) = seen.iter().find(|p| p.key.name == key && key != "link") {
            diags.push(
                Diagnostic::error(Code::DuplicateMetadata, format!("`{key}` is given twice"))
                    .primary(m.span, "given again here")
                    .secondary(prev.span, "first given here"),
            );
            continue;
        }
        seen.push(m);
        match key {
            "pillar" => {
                let Some(w) = word(m, diags) else { continue };
                pillar = Pillar::parse(w);
                if pillar.is_none() {
                    let words = PILLARS.map(Pillar::word);
                    let mut d =
                        Diagnostic::error(Code::UnknownPillar, format!("unknown pillar `{w}`"))
                            .primary(value_span(m), "not one of the six pillars");
                    d = match closest(w, words) {
                        Some(near) => d.help(format!("did you mean `{near}`?")),
                        None => d.help(format!("the pillars are {}", words.join(", "))),
                    };
                    diags.push(d);
                }
            }
            "risk" => {
                let Some(w) = word(m, diags) else { continue };
                risk = Risk::parse(w);
                if risk.is_none() {
                    diags.push(
                        Diagnostic::error(Code::UnknownRisk, format!("unknown risk `{w}`"))
                            .primary(value_span(m), "not a risk level")
                            .help("risk is `high`, `medium` or `low`"),
                    );
                }
            }
            "practice" => practices = strings(m, diags),
            "title" => title = strings(m, diags).into_iter().next().map(|s| s.0),
            "rationale" => {
                rationale = strings(m, diags)
                    .into_iter()
                    .map(|s| s.0)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "fix" => {
                fix = strings(m, diags)
                    .into_iter()
                    .map(|s| s.0)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            _ => links.extend(strings(m, diags).into_iter().map(|s| s.0)),
        }
    }
    // The first practice belongs to the rule's pillar (its findings count there); the same
    // check may evidence practices of other pillars after it.
    for (i, (id, span)) in practices.iter().enumerate() {
        match catalogue.get(id) {
            None => {
                let ids = catalogue.practices.iter().map(|p| p.id.as_str());
                let mut d = Diagnostic::error(
                    Code::UnknownPractice,
                    format!("unknown best practice `{id}`"),
                )
                .primary(*span, "not in the Well-Architected catalogue");
                d = match closest(id, ids) {
                    Some(near) => d.help(format!("did you mean `{near}`?")),
                    None => d.help(
                        "ids look like `SEC08-BP02`; `docs/rules.md` links the framework's list",
                    ),
                };
                diags.push(d);
            }
            Some(p) => {
                if let Some(pl) = pillar.filter(|&pl| i == 0 && pl != p.pillar) {
                    diags.push(
                        Diagnostic::error(
                            Code::PracticePillarMismatch,
                            format!("`{id}`, the rule's first practice, is a {} practice, but the rule's pillar is {}", p.pillar.id(), pl.id()),
                        )
                        .primary(*span, format!("belongs to {}", p.pillar.id()))
                        .help("name a practice of the rule's own pillar first; practices of other pillars that the same check evidences may follow it"),
                    );
                }
            }
        }
    }
    let mut missing = Vec::new();
    if !seen.iter().any(|m| m.key.name == "pillar") {
        missing.push("pillar");
    }
    if !seen.iter().any(|m| m.key.name == "practice") {
        missing.push("practice");
    }
    if !seen.iter().any(|m| m.key.name == "risk") {
        missing.push("risk");
    }
    if title.is_none() {
        missing.push("title");
    }
    // A misspelt field (`titel`) has already been reported with its correction: it is not
    // reported missing as well.
    let misspelt: Vec<&str> = rule
        .meta
        .iter()
        .filter(|m| !FIELDS.contains(&m.key.name.as_str()))
        .filter_map(|m| closest(&m.key.name, FIELDS))
        .collect();
    missing.retain(|f| !misspelt.contains(f));
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::MissingMetadata,
                format!(
                    "rule `{}` has no {}",
                    rule.name.name,
                    missing
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .primary(rule.name.span, "declared here")
            .help("every rule names its pillar, practice, risk and title, e.g. `pillar security`"),
        );
    }
    if rule.blocks.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::RuleWithoutBlocks,
                format!("rule `{}` has no `on` block", rule.name.name),
            )
            .primary(rule.name.span, "selects no resources")
            .help("add `on cloudformation \"AWS::S3::Bucket\" as b { require … }`"),
        );
    }
    if diags[start..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(RuleMeta {
        pillar: pillar?,
        practices: practices.into_iter().map(|p| p.0).collect(),
        risk: risk?,
        title: title?,
        rationale,
        fix,
        links,
    })
}
