//! The round trip to the Well-Architected Tool: per question, the body of its UpdateAnswer
//! call (only choices the evidence or a person supports are selected; the evidence goes in
//! the notes), and the Tool's ListAnswers output read back as `workload.toml` answers.

use super::framework::Framework;
use super::model::{PracticeReview, QuestionRisk, Review, Status};
use super::workload::{Answer, REASONS};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// The Tool's limit on a question's notes.
pub const NOTES_MAX: usize = 2084;
/// The Tool's limit on a choice's notes.
pub const CHOICE_NOTES_MAX: usize = 250;

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// The Tool's reason word: `out_of_scope` → `OUT_OF_SCOPE`.
fn reason(p: &PracticeReview) -> String {
    p.manual
        .as_ref()
        .and_then(|m| m.reason.as_deref())
        .unwrap_or("none")
        .to_ascii_uppercase()
}

fn evidence_notes(q_practices: &[PracticeReview]) -> String {
    let mut notes = String::from("From buttress review.");
    for p in q_practices {
        let why = match (p.status, p.evidence.is_empty()) {
            (Status::NotMet | Status::Unknown, false) => {
                let first = &p.evidence[0];
                let more = p.evidence.len() - 1;
                format!(
                    " {} {}: {}:{} {}{}.",
                    p.id,
                    p.status.words(),
                    first.file,
                    first.line,
                    first.message,
                    if more > 0 {
                        format!(" (+{more} more)")
                    } else {
                        String::new()
                    }
                )
            }
            (Status::Met, _) if p.passing > 0 => {
                format!(
                    " {} met: {} passing outcome(s) of {}.",
                    p.id,
                    p.passing,
                    p.rules.join(", ")
                )
            }
            _ => match &p.manual {
                Some(m) => format!(
                    " {} answered {}{}{}.",
                    p.id,
                    m.answer,
                    m.by.as_ref().map_or(String::new(), |b| format!(" by {b}")),
                    m.date
                        .as_ref()
                        .map_or(String::new(), |d| format!(" on {d}"))
                ),
                None => String::new(),
            },
        };
        notes.push_str(&why);
        if let Some(c) = &p.conflict {
            let _ = write!(notes, " {}: {c}.", p.id);
        }
    }
    cut(&notes, NOTES_MAX)
}

/// Per question with anything known, `{lens_alias, question_id, body}` where `body` is the
/// UpdateAnswer request body.
pub fn answers(r: &Review) -> Value {
    let mut out = Vec::new();
    for lens in &r.lenses {
        for q in lens.pillars.iter().flat_map(|p| &p.questions) {
            if q.risk == QuestionRisk::Unanswered {
                continue;
            }
            let mut body = Map::new();
            let applicable = q.risk != QuestionRisk::NotApplicable;
            let mut updates = Map::new();
            for p in &q.best_practices {
                let note = p.manual.as_ref().and_then(|m| m.note.clone());
                let status = match p.status {
                    Status::Met => "SELECTED",
                    Status::NotApplicable => "NOT_APPLICABLE",
                    _ => "UNSELECTED",
                };
                if p.status == Status::NotApplicable
                    || note.is_some()
                    || p.manual.as_ref().is_some_and(|m| m.reason.is_some())
                {
                    let mut u = Map::new();
                    u.insert("Status".into(), json!(status));
                    if status != "SELECTED" {
                        u.insert("Reason".into(), json!(reason(p)));
                    }
                    if let Some(n) = note {
                        u.insert("Notes".into(), json!(cut(&n, CHOICE_NOTES_MAX)));
                    }
                    updates.insert(p.choice_id.clone(), Value::Object(u));
                }
            }
            body.insert("SelectedChoices".into(), json!(q.selected_choices));
            body.insert("ChoiceUpdates".into(), Value::Object(updates));
            body.insert("Notes".into(), json!(evidence_notes(&q.best_practices)));
            body.insert("IsApplicable".into(), json!(applicable));
            if !applicable {
                let r = q.best_practices.first().map_or("NONE".to_string(), reason);
                body.insert("Reason".into(), json!(r));
            }
            out.push(json!({
                "lens_alias": lens.lens_alias,
                "question_id": q.question_id,
                "body": Value::Object(body),
            }));
        }
    }
    json!({ "workload": r.workload.name, "answers": out })
}

/// One answer read back from the Tool.
#[derive(Debug, PartialEq)]
pub struct Imported {
    pub practice: String,
    pub answer: Answer,
    pub reason: Option<String>,
}

/// The framework practices a ListAnswers output answers, in framework order. Questions the
/// Tool has as unanswered give nothing; other lenses are skipped.
pub fn from_list_answers(v: &Value) -> Result<Vec<Imported>, String> {
    let fw = Framework::embedded();
    let alias = v
        .get("LensAlias")
        .and_then(Value::as_str)
        .unwrap_or("wellarchitected");
    if alias != super::framework::LENS_ALIAS && !alias.ends_with("/wellarchitected") {
        return Err(format!(
            "the answers are for the lens `{alias}`, not `wellarchitected`"
        ));
    }
    let summaries = v
        .get("AnswerSummaries")
        .and_then(Value::as_array)
        .ok_or("no `AnswerSummaries`: not the output of ListAnswers")?;
    let mut out = Vec::new();
    for s in summaries {
        let Some(qi) = s
            .get("QuestionId")
            .and_then(Value::as_str)
            .and_then(|q| fw.question(q))
        else {
            continue;
        };
        let q = &fw.questions[qi];
        let strs = |k: &str| -> Vec<&str> {
            s.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default()
        };
        let selected = strs("SelectedChoices");
        let applicable = s
            .get("IsApplicable")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let unanswered = s.get("Risk").and_then(Value::as_str) == Some("UNANSWERED");
        if applicable && (unanswered || selected.is_empty()) {
            continue;
        }
        let word = |r: Option<&str>| {
            r.map(str::to_ascii_lowercase)
                .filter(|r| REASONS.contains(&r.as_str()) && r != "none")
        };
        let question_reason = word(s.get("Reason").and_then(Value::as_str));
        let choice_summaries = s
            .get("ChoiceAnswerSummaries")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for &pi in &q.practices {
            let p = &fw.practices[pi];
            let summary = choice_summaries
                .iter()
                .find(|c| c.get("ChoiceId").and_then(Value::as_str) == Some(&p.choice_id));
            let status = summary
                .and_then(|c| c.get("Status"))
                .and_then(Value::as_str);
            let (answer, reason) = if !applicable {
                (Answer::NotApplicable, question_reason.clone())
            } else if status == Some("NOT_APPLICABLE") {
                (
                    Answer::NotApplicable,
                    word(
                        summary
                            .and_then(|c| c.get("Reason"))
                            .and_then(Value::as_str),
                    ),
                )
            } else if selected.contains(&p.choice_id.as_str()) {
                (Answer::Yes, None)
            } else {
                (
                    Answer::No,
                    word(
                        summary
                            .and_then(|c| c.get("Reason"))
                            .and_then(Value::as_str),
                    ),
                )
            };
            out.push(Imported {
                practice: p.id.clone(),
                answer,
                reason,
            });
        }
    }
    Ok(out)
}

/// The imported answers as `[answers.…]` tables to append to a workload file.
pub fn to_toml(imported: &[&Imported], by: &str, date: &str) -> String {
    let mut s = String::new();
    for a in imported {
        let _ = writeln!(
            s,
            "\n[answers.{}]\nanswer = \"{}\"",
            a.practice,
            a.answer.word()
        );
        if let Some(r) = &a.reason {
            let _ = writeln!(s, "reason = \"{r}\"");
        }
        let _ = writeln!(s, "by = \"{by}\"\ndate = {date}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_answers_become_answers() {
        let v = json!({
            "WorkloadId": "abc",
            "LensAlias": "wellarchitected",
            "AnswerSummaries": [
                {
                    "QuestionId": "priorities",
                    "SelectedChoices": ["ops_priorities_ext_cust_needs"],
                    "ChoiceAnswerSummaries": [
                        { "ChoiceId": "ops_priorities_int_cust_needs", "Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE" }
                    ],
                    "IsApplicable": true,
                    "Risk": "HIGH"
                },
                { "QuestionId": "ops-model", "SelectedChoices": [], "IsApplicable": true, "Risk": "UNANSWERED" },
                { "QuestionId": "sus_region", "SelectedChoices": [], "IsApplicable": false, "Reason": "ARCHITECTURE_CONSTRAINTS" }
            ]
        });
        let got = from_list_answers(&v).unwrap();
        assert_eq!(got.len(), 6 + 1);
        assert_eq!(
            got[0],
            Imported {
                practice: "OPS01-BP01".into(),
                answer: Answer::Yes,
                reason: None
            }
        );
        assert_eq!(got[1].answer, Answer::NotApplicable);
        assert_eq!(got[1].reason.as_deref(), Some("out_of_scope"));
        assert_eq!(got[2].answer, Answer::No);
        assert_eq!(got[6].practice, "SUS01-BP01");
        assert_eq!(got[6].reason.as_deref(), Some("architecture_constraints"));
        assert!(
            from_list_answers(&json!({"LensAlias": "serverless", "AnswerSummaries": []})).is_err()
        );
        assert!(from_list_answers(&json!({})).is_err());
    }
}
