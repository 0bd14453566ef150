//! `workload.toml`: what is reviewed (name, environment, regions, lenses, inputs, owner) and
//! the answers people give to the practices configuration cannot show. Parsed strictly:
//! unknown keys, unknown practice ids and values of the wrong form are errors with their
//! span and, where one is close, a did-you-mean.

use super::framework::Framework;
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::source::{FileId, Span};
use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A person's answer to one best practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Unknown,
    NotApplicable,
}

impl Answer {
    pub const WORDS: [(&'static str, Answer); 4] = [
        ("yes", Answer::Yes),
        ("no", Answer::No),
        ("unknown", Answer::Unknown),
        ("not_applicable", Answer::NotApplicable),
    ];

    pub fn word(self) -> &'static str {
        Answer::WORDS
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("unknown", |(w, _)| w)
    }
}

/// Why a practice is not in place or not applicable: the Tool's `ChoiceReason` values.
pub const REASONS: [&str; 5] = [
    "out_of_scope",
    "business_priorities",
    "architecture_constraints",
    "other",
    "none",
];

/// One manual answer, keyed by practice.
#[derive(Clone, Debug, PartialEq)]
pub struct ManualAnswer {
    /// Index into the framework's practices (0, unused, in a [`ChoiceAnswer`]).
    pub practice: usize,
    pub answer: Answer,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub by: Option<String>,
    pub date: Option<String>,
}

/// A manual answer to a choice of a custom lens, keyed by choice id; the command line checks
/// the id once the lenses are loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceAnswer {
    pub choice: String,
    pub span: Span,
    pub answer: ManualAnswer,
}

/// The workload file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workload {
    pub name: String,
    pub description: String,
    pub environment: Option<String>,
    pub regions: Vec<String>,
    pub lenses: Vec<String>,
    pub inputs: Vec<String>,
    pub review_owner: Option<String>,
    pub answers: Vec<ManualAnswer>,
    pub choices: Vec<ChoiceAnswer>,
}

const TOP_KEYS: [&str; 9] = [
    "name",
    "description",
    "environment",
    "regions",
    "lenses",
    "inputs",
    "review_owner",
    "answers",
    "choices",
];
const ANSWER_KEYS: [&str; 5] = ["answer", "reason", "note", "by", "date"];
/// The Tool's environments.
pub const ENVIRONMENTS: [&str; 2] = ["production", "preproduction"];

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

struct Parser<'f> {
    file: FileId,
    fw: &'f Framework,
    diags: Vec<Diagnostic>,
}

/// Parse a workload file. Every problem is a diagnostic; the workload is returned only when
/// there were no errors.
pub fn parse(file: FileId, text: &str) -> (Option<Workload>, Vec<Diagnostic>) {
    let mut p = Parser {
        file,
        fw: Framework::embedded(),
        diags: Vec::new(),
    };
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::error(Code::WorkloadSyntax, "invalid workload file");
            let d = match e.span() {
                Some(r) => d.primary(Span::new(file, r), e.message().trim().to_string()),
                None => d.help(e.message().trim().to_string()),
            };
            return (None, vec![d]);
        }
    };
    let w = p.workload(table.get_ref(), text.len());
    let ok = !p.diags.iter().any(Diagnostic::is_error);
    (ok.then_some(w), p.diags)
}

fn sorted<'a, 'i>(t: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

impl Parser<'_> {
    fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span::new(self.file, r)
    }

    fn unknown_key(&mut self, key: &Spanned<std::borrow::Cow<str>>, known: &[&str], what: &str) {
        let mut d = Diagnostic::error(
            Code::WorkloadUnknownKey,
            format!("unknown key `{}` in {what}", key.get_ref()),
        )
        .primary(self.span(key.span()), "not a key here");
        if let Some(near) = closest(key.get_ref(), known.iter().copied()) {
            d = d.help(format!("did you mean `{near}`?"));
        }
        self.diags
            .push(d.help(format!("the keys are {}", quoted(known))));
    }

    fn bad(&mut self, v: &Spanned<DeValue>, message: String, label: &str) {
        self.diags.push(
            Diagnostic::error(Code::WorkloadBadValue, message).primary(self.span(v.span()), label),
        );
    }

    fn string(&mut self, key: &str, v: &Spanned<DeValue>) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            DeValue::Datetime(d) if key == "date" => Some(d.to_string()),
            _ => {
                self.bad(v, format!("`{key}` must be a string"), "expected a string");
                None
            }
        }
    }

    fn strings(&mut self, key: &str, v: &Spanned<DeValue>) -> Vec<String> {
        match v.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|i| self.string(key, i)).collect(),
            _ => {
                self.bad(
                    v,
                    format!("`{key}` must be a list of strings"),
                    "expected a list",
                );
                Vec::new()
            }
        }
    }

    fn workload(&mut self, t: &DeTable, len: usize) -> Workload {
        let mut w = Workload::default();
        let mut seen_name = false;
        for (k, v) in sorted(t) {
            match k.get_ref().as_ref() {
                "name" => {
                    seen_name = true;
                    w.name = self.string("name", v).unwrap_or_default();
                }
                "description" => w.description = self.string("description", v).unwrap_or_default(),
                "environment" => {
                    w.environment = self.string("environment", v);
                    if let Some(e) = &w.environment {
                        if !ENVIRONMENTS.contains(&e.as_str()) {
                            let msg = format!("unknown environment `{e}`");
                            self.bad(v, msg, "not an environment");
                            if let Some(d) = self.diags.last_mut() {
                                d.help.push(format!("one of {}", quoted(&ENVIRONMENTS)));
                            }
                        }
                    }
                }
                "regions" => w.regions = self.strings("regions", v),
                "lenses" => {
                    w.lenses = self.strings("lenses", v);
                    self.check_lenses(&w.lenses, v);
                }
                "inputs" => w.inputs = self.strings("inputs", v),
                "review_owner" => w.review_owner = self.string("review_owner", v),
                "answers" => match v.get_ref() {
                    DeValue::Table(answers) => w.answers = self.answers(answers),
                    _ => self.bad(v, "`answers` must be a table".into(), "expected a table"),
                },
                "choices" => match v.get_ref() {
                    DeValue::Table(choices) => w.choices = self.choices(choices),
                    _ => self.bad(v, "`choices` must be a table".into(), "expected a table"),
                },
                _ => self.unknown_key(k, &TOP_KEYS, "the workload file"),
            }
        }
        if !seen_name {
            self.diags.push(
                Diagnostic::error(Code::WorkloadMissingKey, "the workload file has no `name`")
                    .primary(self.span(0..len.min(1)), "the file starts here")
                    .help("add `name = \"…\"` at the top"),
            );
        }
        if w.lenses.is_empty() {
            w.lenses.push(super::framework::LENS_ALIAS.to_string());
        }
        w
    }

    fn check_lenses(&mut self, lenses: &[String], v: &Spanned<DeValue>) {
        for l in lenses {
            if l != super::framework::LENS_ALIAS
                && !super::packs::NAMES.contains(&l.as_str())
                && !l.ends_with(".json")
            {
                let msg = format!("unknown lens `{l}`");
                self.bad(v, msg, "not a lens buttress knows");
                if let Some(d) = self.diags.last_mut() {
                    d.help.push(format!(
                        "the framework lens is `{}`; lens packs: {}; a custom lens is a path ending in `.json`",
                        super::framework::LENS_ALIAS,
                        quoted(&super::packs::NAMES)
                    ));
                }
            }
        }
    }

    fn answers(&mut self, t: &DeTable) -> Vec<ManualAnswer> {
        let mut out = Vec::new();
        for (k, v) in sorted(t) {
            let id = k.get_ref().as_ref();
            let Some(practice) = self.fw.practice(id) else {
                let mut d = Diagnostic::error(
                    Code::WorkloadUnknownPractice,
                    format!("unknown best practice `{id}`"),
                )
                .primary(self.span(k.span()), "not a best practice of the framework");
                let ids = self.fw.practices.iter().map(|p| p.id.as_str());
                if let Some(near) = closest(id, ids) {
                    d = d.help(format!("did you mean `{near}`?"));
                }
                self.diags
                    .push(d.help("answers are keyed by practice id, such as `SEC01-BP01`"));
                continue;
            };
            let DeValue::Table(fields) = v.get_ref() else {
                self.bad(
                    v,
                    format!("the answer to `{id}` must be a table"),
                    "expected a table such as { answer = \"yes\" }",
                );
                continue;
            };
            if let Some(a) = self.answer(practice, fields, k) {
                out.push(a);
            }
        }
        out
    }

    fn choices(&mut self, t: &DeTable) -> Vec<ChoiceAnswer> {
        let mut out = Vec::new();
        for (k, v) in sorted(t) {
            let DeValue::Table(fields) = v.get_ref() else {
                self.bad(
                    v,
                    format!("the answer to `{}` must be a table", k.get_ref()),
                    "expected a table such as { answer = \"yes\" }",
                );
                continue;
            };
            if let Some(a) = self.answer(0, fields, k) {
                out.push(ChoiceAnswer {
                    choice: k.get_ref().to_string(),
                    span: self.span(k.span()),
                    answer: a,
                });
            }
        }
        out
    }

    fn answer(
        &mut self,
        practice: usize,
        t: &DeTable,
        key: &Spanned<std::borrow::Cow<str>>,
    ) -> Option<ManualAnswer> {
        let mut answer = None;
        let mut a = ManualAnswer {
            practice,
            answer: Answer::Unknown,
            reason: None,
            note: None,
            by: None,
            date: None,
        };
        for (k, v) in sorted(t) {
            match k.get_ref().as_ref() {
                "answer" => {
                    let word = self.string("answer", v)?;
                    let words = Answer::WORDS.map(|(w, _)| w);
                    answer = Answer::WORDS
                        .iter()
                        .find(|(w, _)| *w == word)
                        .map(|(_, a)| *a);
                    if answer.is_none() {
                        let mut d = Diagnostic::error(
                            Code::WorkloadBadValue,
                            format!("unknown answer `{word}`"),
                        )
                        .primary(self.span(v.span()), "not an answer");
                        if let Some(near) = closest(&word, words) {
                            d = d.help(format!("did you mean `{near}`?"));
                        }
                        self.diags
                            .push(d.help(format!("one of {}", quoted(&words))));
                        return None;
                    }
                }
                "reason" => {
                    let r = self.string("reason", v)?;
                    if !REASONS.contains(&r.as_str()) {
                        let mut d = Diagnostic::error(
                            Code::WorkloadBadValue,
                            format!("unknown reason `{r}`"),
                        )
                        .primary(self.span(v.span()), "not a reason the Tool knows");
                        if let Some(near) = closest(&r, REASONS) {
                            d = d.help(format!("did you mean `{near}`?"));
                        }
                        self.diags.push(
                            d.help(format!("one of {}; say more in `note`", quoted(&REASONS))),
                        );
                    }
                    a.reason = Some(r);
                }
                "note" => a.note = self.string("note", v),
                "by" => a.by = self.string("by", v),
                "date" => a.date = self.string("date", v),
                _ => self.unknown_key(k, &ANSWER_KEYS, "an answer"),
            }
        }
        match answer {
            Some(x) => {
                a.answer = x;
                Some(a)
            }
            None => {
                self.diags.push(
                    Diagnostic::error(
                        Code::WorkloadMissingKey,
                        format!("the answer to `{}` has no `answer`", key.get_ref()),
                    )
                    .primary(self.span(key.span()), "this answer")
                    .help("add `answer = \"yes\"` (or \"no\", \"unknown\", \"not_applicable\")"),
                );
                None
            }
        }
    }
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Option<Workload>, Vec<Code>) {
        let (w, d) = parse(FileId(0), text);
        (w, d.iter().map(|d| d.code).collect())
    }

    #[test]
    fn a_complete_workload_parses() {
        let (w, codes) = parse_text(
            "name = \"orders\"\nenvironment = \"production\"\nregions = [\"eu-west-1\"]\n\
             inputs = [\"stacks\"]\n[answers.OPS01-BP01]\nanswer = \"yes\"\nby = \"ana\"\ndate = 2026-11-30\n",
        );
        assert!(codes.is_empty(), "{codes:?}");
        let w = w.unwrap();
        assert_eq!(w.name, "orders");
        assert_eq!(w.lenses, ["wellarchitected"]);
        assert_eq!(w.answers.len(), 1);
        assert_eq!(w.answers[0].answer, Answer::Yes);
        assert_eq!(w.answers[0].date.as_deref(), Some("2026-11-30"));
    }

    #[test]
    fn mistakes_are_errors_with_codes() {
        let (w, codes) = parse_text("name = \"x\"\nregion = []\n");
        assert!(w.is_none());
        assert_eq!(codes, [Code::WorkloadUnknownKey]);
        let (_, codes) = parse_text("name = \"x\"\n[answers.SEC01-BP99]\nanswer = \"yes\"\n");
        assert_eq!(codes, [Code::WorkloadUnknownPractice]);
        let (_, codes) = parse_text("name = \"x\"\n[answers.SEC01-BP01]\nanswer = \"maybe\"\n");
        assert_eq!(codes, [Code::WorkloadBadValue]);
        let (_, codes) = parse_text("description = \"x\"\n");
        assert_eq!(codes, [Code::WorkloadMissingKey]);
        let (_, codes) = parse_text("name = \n");
        assert_eq!(codes, [Code::WorkloadSyntax]);
    }
}
