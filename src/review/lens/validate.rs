//! Reading a lens: the JSON, then the limits ImportLens enforces (500 KB, ten pillars, twenty
//! questions a pillar, fifteen choices a question, ids of 3–128 letters, digits and `_`,
//! unique ids, text lengths) and the `riskRules` (conditions over the question's choices, one
//! `default`, last). Overlapping non-default conditions are a warning: the first match wins.

use super::condition::{self, Cond};
use super::format::{Lens, Resource, SCHEMA_VERSION};
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::input::locate::{json_offset, token_len};
use crate::source::{FileId, Span};
use std::collections::{BTreeSet, HashSet};

pub const MAX_BYTES: usize = 500 * 1024;
pub const MAX_PILLARS: usize = 10;
pub const MAX_QUESTIONS: usize = 20;
pub const MAX_CHOICES: usize = 15;
/// Questions with more non-default risk rules than this are not checked for overlaps.
pub const MAX_OVERLAP_RULES: usize = 16;
pub const RISKS: [&str; 3] = ["HIGH_RISK", "MEDIUM_RISK", "NO_RISK"];

struct Check<'t> {
    file: FileId,
    text: &'t str,
    diags: Vec<Diagnostic>,
}

impl Check<'_> {
    fn span(&self, pointer: &str) -> Span {
        let at = json_offset(self.text, pointer).min(self.text.len());
        let len = token_len(self.text, at).max(1).min(self.text.len() - at);
        Span::new(self.file, at..at + len)
    }

    fn limit(&mut self, pointer: &str, message: String, label: &str) {
        let d = Diagnostic::error(Code::LensLimit, message).primary(self.span(pointer), label);
        self.diags.push(d);
    }

    fn id(&mut self, pointer: &str, what: &str, id: &str) {
        let ok = (3..=128).contains(&id.len())
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            self.limit(
                pointer,
                format!("the {what} id `{id}` is not 3 to 128 letters, digits or `_`"),
                "not an id the Tool accepts",
            );
        }
    }

    fn text(&mut self, pointer: &str, what: &str, text: &str, max: usize) {
        if text.chars().count() > max {
            self.limit(
                pointer,
                format!(
                    "the {what} has {} characters; the Tool takes at most {max}",
                    text.chars().count()
                ),
                "too long",
            );
        }
    }

    fn resource(&mut self, pointer: &str, r: &Resource, max: usize) {
        self.text(
            &format!("{pointer}/displayText"),
            "display text",
            &r.display_text,
            max,
        );
        if let Some(u) = &r.url {
            self.text(&format!("{pointer}/url"), "URL", u, 2048);
        }
    }
}

/// Read a lens file. The lens is returned when it has no errors (warnings may remain).
pub fn read(file: FileId, text: &str) -> (Option<Lens>, Vec<Diagnostic>) {
    let lens: Lens = match serde_json::from_str(text) {
        Ok(l) => l,
        Err(e) => {
            let offset = line_col_offset(text, e.line(), e.column());
            let d = Diagnostic::error(Code::LensInvalid, "not a lens in the Tool's format")
                .primary(Span::new(file, offset..(offset + 1).min(text.len().max(offset))), e.to_string())
                .help("a lens has `schemaVersion`, `name`, `pillars` (with `questions`, their `choices` and `riskRules`)");
            return (None, vec![d]);
        }
    };
    let mut c = Check {
        file,
        text,
        diags: Vec::new(),
    };
    check(&mut c, &lens);
    let ok = !c.diags.iter().any(Diagnostic::is_error);
    (ok.then_some(lens), c.diags)
}

fn line_col_offset(text: &str, line: usize, col: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + col.saturating_sub(1)).min(text.len())
}

fn check(c: &mut Check, lens: &Lens) {
    if c.text.len() > MAX_BYTES {
        c.limit(
            "",
            format!(
                "the lens is {} bytes; the Tool takes at most 500 KB",
                c.text.len()
            ),
            "too large",
        );
    }
    if lens.schema_version != SCHEMA_VERSION {
        let d = Diagnostic::error(
            Code::LensInvalid,
            format!(
                "schema version `{}` is not `{SCHEMA_VERSION}`",
                lens.schema_version
            ),
        )
        .primary(
            c.span("/schemaVersion"),
            "the Tool's lens schema is 2021-11-01",
        );
        c.diags.push(d);
    }
    c.text("/name", "lens name", &lens.name, 128);
    c.text("/description", "lens description", &lens.description, 2048);
    if lens.pillars.len() > MAX_PILLARS {
        c.limit(
            "/pillars",
            format!(
                "the lens has {} pillars; the Tool takes at most {MAX_PILLARS}",
                lens.pillars.len()
            ),
            "too many pillars",
        );
    }
    let mut pillar_ids = HashSet::new();
    let mut question_ids = HashSet::new();
    for (pi, p) in lens.pillars.iter().enumerate() {
        let pp = format!("/pillars/{pi}");
        c.id(&format!("{pp}/id"), "pillar", &p.id);
        if !pillar_ids.insert(p.id.as_str()) {
            c.limit(
                &format!("{pp}/id"),
                format!("the pillar id `{}` is used twice", p.id),
                "used before",
            );
        }
        c.text(&format!("{pp}/name"), "pillar name", &p.name, 128);
        if p.questions.len() > MAX_QUESTIONS {
            c.limit(
                &format!("{pp}/questions"),
                format!(
                    "pillar `{}` has {} questions; the Tool takes at most {MAX_QUESTIONS}",
                    p.id,
                    p.questions.len()
                ),
                "too many questions",
            );
        }
        for (qi, q) in p.questions.iter().enumerate() {
            let qp = format!("{pp}/questions/{qi}");
            c.id(&format!("{qp}/id"), "question", &q.id);
            if !question_ids.insert(q.id.as_str()) {
                c.limit(
                    &format!("{qp}/id"),
                    format!("the question id `{}` is used twice", q.id),
                    "used before",
                );
            }
            c.text(&format!("{qp}/title"), "question title", &q.title, 128);
            c.text(
                &format!("{qp}/description"),
                "question description",
                &q.description,
                2048,
            );
            if let Some(r) = &q.helpful_resource {
                c.resource(&format!("{qp}/helpfulResource"), r, 2048);
            }
            if q.choices.len() > MAX_CHOICES {
                c.limit(
                    &format!("{qp}/choices"),
                    format!(
                        "question `{}` has {} choices; the Tool takes at most {MAX_CHOICES}",
                        q.id,
                        q.choices.len()
                    ),
                    "too many choices",
                );
            }
            let mut choice_ids = BTreeSet::new();
            for (ci, ch) in q.choices.iter().enumerate() {
                let cp = format!("{qp}/choices/{ci}");
                c.id(&format!("{cp}/id"), "choice", &ch.id);
                if !choice_ids.insert(ch.id.as_str()) {
                    c.limit(
                        &format!("{cp}/id"),
                        format!("the choice id `{}` is used twice in `{}`", ch.id, q.id),
                        "used before",
                    );
                }
                c.text(&format!("{cp}/title"), "choice title", &ch.title, 128);
                for (key, r) in [
                    ("helpfulResource", &ch.helpful_resource),
                    ("improvementPlan", &ch.improvement_plan),
                ] {
                    match r {
                        Some(r) => c.resource(&format!("{cp}/{key}"), r, 1024),
                        None => c.limit(
                            &cp,
                            format!("choice `{}` has no `{key}`", ch.id),
                            "the Tool requires one",
                        ),
                    }
                }
            }
            let none = format!("{}_no", q.id);
            risk_rules(c, &qp, q, &choice_ids, &none);
        }
    }
}

fn risk_rules(
    c: &mut Check,
    qp: &str,
    q: &super::LensQuestion,
    choices: &BTreeSet<&str>,
    none: &str,
) {
    let mut parsed: Vec<(usize, Cond)> = Vec::new();
    let mut defaults = 0;
    for (ri, r) in q.risk_rules.iter().enumerate() {
        let rp = format!("{qp}/riskRules/{ri}");
        if !RISKS.contains(&r.risk.as_str()) {
            let mut d = Diagnostic::error(Code::LensRiskRule, format!("unknown risk `{}`", r.risk))
                .primary(c.span(&format!("{rp}/risk")), "not a risk of the Tool");
            if let Some(near) = closest(&r.risk, RISKS) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            c.diags
                .push(d.help("one of `HIGH_RISK`, `MEDIUM_RISK`, `NO_RISK`"));
        }
        match condition::parse(&r.condition) {
            Err(e) => c.diags.push(
                Diagnostic::error(
                    Code::LensRiskRule,
                    format!("the condition `{}` does not parse: {e}", r.condition),
                )
                .primary(c.span(&format!("{rp}/condition")), "not a condition"),
            ),
            Ok(Cond::Default) => {
                defaults += 1;
                if ri + 1 != q.risk_rules.len() {
                    c.diags.push(
                        Diagnostic::error(
                            Code::LensRiskRule,
                            format!("the `default` rule of `{}` is not the last", q.id),
                        )
                        .primary(
                            c.span(&format!("{rp}/condition")),
                            "rules after it never apply",
                        ),
                    );
                }
            }
            Ok(cond) => {
                let mut named = BTreeSet::new();
                cond.choices(&mut named);
                let unknown: Vec<&str> = named
                    .iter()
                    .copied()
                    .filter(|n| !choices.contains(n) && *n != none)
                    .collect();
                for n in &unknown {
                    let mut d = Diagnostic::error(
                        Code::LensRiskRule,
                        format!(
                            "the condition names `{n}`, which is not a choice of `{}`",
                            q.id
                        ),
                    )
                    .primary(c.span(&format!("{rp}/condition")), "unknown choice");
                    if let Some(near) = closest(n, choices.iter().copied()) {
                        d = d.help(format!("did you mean `{near}`?"));
                    }
                    c.diags.push(d);
                }
                // Only conditions over real choices are compared for overlap.
                if unknown.is_empty() {
                    parsed.push((ri, cond.clone()));
                }
            }
        }
    }
    if defaults == 0 {
        c.diags.push(
            Diagnostic::error(
                Code::LensRiskRule,
                format!("question `{}` has no `default` risk rule", q.id),
            )
            .primary(
                c.span(&format!("{qp}/riskRules")),
                "add { \"condition\": \"default\", … } last",
            ),
        );
    }
    // Each pair costs up to 2^16 evaluations; a question with more rules than any real lens
    // has is not searched for overlaps.
    if parsed.len() > MAX_OVERLAP_RULES {
        return;
    }
    for (i, (ra, a)) in parsed.iter().enumerate() {
        for (rb, b) in &parsed[i + 1..] {
            if let Some(sel) = condition::overlap(a, b) {
                let sel: Vec<&str> = sel.into_iter().collect();
                c.diags.push(
                    Diagnostic::warning(
                        Code::LensOverlap,
                        format!(
                            "risk rules {ra} and {rb} of `{}` overlap; the first that matches wins",
                            q.id
                        ),
                    )
                    .primary(
                        c.span(&format!("{qp}/riskRules/{rb}/condition")),
                        "this rule",
                    )
                    .secondary(
                        c.span(&format!("{qp}/riskRules/{ra}/condition")),
                        "also matches",
                    )
                    .help(format!(
                        "both match when the selected choices are [{}]",
                        sel.join(", ")
                    )),
                );
            }
        }
    }
}
