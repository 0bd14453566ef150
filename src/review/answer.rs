//! Answering: each best practice from the evidence (the findings and tallies of the rules
//! that cite it) and from a person's answer, evidence winning over a "yes" it contradicts.

use super::framework::Practice;
use super::model::{Evidence, Manual, PracticeReview, Source, Status};
use super::workload::{Answer, ManualAnswer};
use crate::eval::{Status as Outcome, Tally};
use crate::ir::Program;
use crate::report::Finding;

/// What the evaluation found, for the whole workload.
pub struct Outcomes<'a> {
    pub program: &'a Program,
    /// Findings of every input, file names as they should be reported.
    pub findings: &'a [Finding],
    /// Per rule, summed over inputs.
    pub tally: &'a [Tally],
}

impl Outcomes<'_> {
    /// Rules with at least one block to run that `pick` chooses.
    fn active_rules(&self, pick: impl Fn(&crate::ir::RuleInfo) -> bool) -> Vec<u32> {
        let mut active = vec![false; self.program.rules.len()];
        for b in &self.program.blocks {
            active[b.rule as usize] = true;
        }
        (0..self.program.rules.len() as u32)
            .filter(|&r| active[r as usize] && pick(&self.program.rules[r as usize]))
            .collect()
    }

    /// Rules that cite the practice.
    pub fn rules_for(&self, practice: &str) -> Vec<u32> {
        self.active_rules(|r| r.practices.iter().any(|p| p == practice))
    }

    /// Rules that evidence a custom lens choice: the choice id is the rule id with `.` as `_`.
    pub fn rules_for_choice(&self, choice: &str) -> Vec<u32> {
        self.active_rules(|r| super::lens::export::lens_id(&r.id) == choice)
    }
}

/// What is being answered: a framework practice or a custom lens choice.
pub struct Subject<'a> {
    pub id: &'a str,
    pub choice_id: &'a str,
    pub title: &'a str,
    pub risk: &'a str,
    pub link: &'a str,
}

/// What the evidence alone says: `None` when no rule selected any resource.
fn from_evidence(tally: &Tally, evidence: &[Evidence]) -> Option<Status> {
    if evidence.iter().any(|e| e.status == Outcome::Fail.id()) {
        Some(Status::NotMet)
    } else if tally.unknown > 0 {
        Some(Status::Unknown)
    } else if tally.pass > 0 {
        Some(Status::Met)
    } else {
        None
    }
}

fn from_person(a: Answer) -> Status {
    match a {
        Answer::Yes => Status::Met,
        Answer::No => Status::NotMet,
        Answer::Unknown => Status::Unknown,
        Answer::NotApplicable => Status::NotApplicable,
    }
}

/// Answer one practice of the framework.
pub fn answer(p: &Practice, out: &Outcomes, manual: Option<&ManualAnswer>) -> PracticeReview {
    let subject = Subject {
        id: &p.id,
        choice_id: &p.choice_id,
        title: &p.title,
        risk: p.risk.map_or("none", |r| r.id()),
        link: &p.link,
    };
    answer_with(&subject, out.rules_for(&p.id), out, manual)
}

/// Answer from the given rules and a person's answer.
pub fn answer_with(
    p: &Subject,
    rules: Vec<u32>,
    out: &Outcomes,
    manual: Option<&ManualAnswer>,
) -> PracticeReview {
    let mut tally = Tally::default();
    for &r in &rules {
        tally.add(&out.tally[r as usize]);
    }
    let evidence: Vec<Evidence> = out
        .findings
        .iter()
        .filter(|f| rules.contains(&f.rule))
        .map(|f| Evidence {
            rule: f.rule_id.clone(),
            status: f.status.id().to_string(),
            file: f.file.clone(),
            resource: f.resource.clone(),
            resource_type: f.resource_type.clone(),
            line: f.location.line,
            column: f.location.column,
            message: f.message.clone(),
        })
        .collect();
    let shown = from_evidence(&tally, &evidence);
    let said = manual.map(|m| from_person(m.answer));
    let mut conflict = None;
    let (status, source) = match (shown, said) {
        (None, None) => (Status::Unanswered, Source::Nobody),
        (Some(s), None) => (s, Source::Evidence),
        (None, Some(s)) => (s, Source::Person),
        (Some(e), Some(m)) if e == m => (e, Source::Both),
        (Some(Status::NotMet), Some(_)) => {
            let failing = evidence.iter().filter(|e| e.status == "fail").count();
            conflict = Some(format!(
                "answered `{}` by a person, but {failing} failing outcome{} show{} it is not met; the evidence wins",
                manual.map_or("", |m| m.answer.word()),
                if failing == 1 { "" } else { "s" },
                if failing == 1 { "s" } else { "" },
            ));
            (Status::NotMet, Source::Both)
        }
        (Some(e), Some(m)) => {
            conflict = Some(format!(
                "the evidence says {}, a person says {}; the person's answer stands",
                e.words(),
                m.words()
            ));
            (m, Source::Both)
        }
    };
    PracticeReview {
        id: p.id.to_string(),
        choice_id: p.choice_id.to_string(),
        title: p.title.to_string(),
        risk: p.risk.to_string(),
        status,
        answered_by: source,
        rules: rules
            .iter()
            .map(|&r| out.program.rules[r as usize].id.clone())
            .collect(),
        passing: tally.pass,
        evidence,
        conflict,
        manual: manual.map(|m| Manual {
            answer: m.answer.word().to_string(),
            reason: m.reason.clone(),
            note: m.note.clone(),
            by: m.by.clone(),
            date: m.date.clone(),
        }),
        link: p.link.to_string(),
    }
}
