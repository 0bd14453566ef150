//! The roll-up, as the Tool does it for the framework lens: a question is high risk when a
//! high-risk practice is not in place, else medium when a medium-risk one is not, else no
//! risk; unanswered when nothing about it is known, not applicable when none of its practices
//! apply. Pillar and workload counts are counts of questions. Then the improvement plan.

use super::lens::{condition, LensQuestion};
use super::model::{Gap, PracticeReview, QuestionReview, QuestionRisk, Review, Status};
use std::collections::BTreeSet;

/// The risk of a question of the framework lens from its practices.
pub fn question_risk(practices: &[PracticeReview]) -> QuestionRisk {
    let applicable: Vec<&PracticeReview> = practices
        .iter()
        .filter(|p| p.status != Status::NotApplicable)
        .collect();
    if applicable.is_empty() {
        return QuestionRisk::NotApplicable;
    }
    if applicable.iter().all(|p| p.status == Status::Unanswered) {
        return QuestionRisk::Unanswered;
    }
    let missing = |risk: &str| {
        applicable
            .iter()
            .any(|p| p.status != Status::Met && p.risk == risk)
    };
    if missing("high") {
        QuestionRisk::High
    } else if missing("medium") {
        QuestionRisk::Medium
    } else {
        QuestionRisk::None
    }
}

/// The risk of a question of a custom lens: its `riskRules`, first match, `default` last;
/// unanswered and not applicable as for the framework lens.
pub fn lens_question_risk(
    q: &LensQuestion,
    practices: &[PracticeReview],
    none: &str,
) -> QuestionRisk {
    let framework = question_risk(practices);
    if matches!(
        framework,
        QuestionRisk::Unanswered | QuestionRisk::NotApplicable
    ) {
        return framework;
    }
    let chosen = selected_choices(practices, none);
    let selected: BTreeSet<&str> = chosen.iter().map(String::as_str).collect();
    for r in &q.risk_rules {
        let Ok(cond) = condition::parse(&r.condition) else {
            continue;
        };
        if cond.eval(&selected) {
            return match r.risk.as_str() {
                "HIGH_RISK" => QuestionRisk::High,
                "MEDIUM_RISK" => QuestionRisk::Medium,
                _ => QuestionRisk::None,
            };
        }
    }
    QuestionRisk::High
}

/// The choices the Tool would show selected: the practices in place, or "none of these"
/// when every applicable practice is known not to be.
pub fn selected_choices(practices: &[PracticeReview], none_choice: &str) -> Vec<String> {
    let met: Vec<String> = practices
        .iter()
        .filter(|p| p.status == Status::Met)
        .map(|p| p.choice_id.clone())
        .collect();
    let applicable = practices
        .iter()
        .filter(|p| p.status != Status::NotApplicable);
    if met.is_empty()
        && applicable.clone().count() > 0
        && applicable.clone().all(|p| p.status == Status::NotMet)
    {
        return vec![none_choice.to_string()];
    }
    met
}

fn risk_rank(risk: &str) -> u8 {
    match risk {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    }
}

/// Gaps: the high- and medium-risk practices not in place in questions that carry a risk,
/// ordered by risk, then by how many resources they touch, then by id.
pub fn improvement_plan(review: &Review, fixes: impl Fn(&str) -> Option<String>) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for lens in &review.lenses {
        for pillar in &lens.pillars {
            for q in &pillar.questions {
                if !matches!(q.risk, QuestionRisk::High | QuestionRisk::Medium) {
                    continue;
                }
                let custom = lens.lens_alias != super::framework::LENS_ALIAS;
                gaps.extend(
                    q.best_practices
                        .iter()
                        .filter_map(|p| gap(q, p, &pillar.pillar_id, custom, &fixes)),
                );
            }
        }
    }
    gaps.sort_by(|a, b| {
        (
            risk_rank(&a.risk),
            std::cmp::Reverse(a.resources),
            &a.practice,
        )
            .cmp(&(
                risk_rank(&b.risk),
                std::cmp::Reverse(b.resources),
                &b.practice,
            ))
    });
    gaps
}

fn gap(
    q: &QuestionReview,
    p: &PracticeReview,
    pillar: &str,
    custom: bool,
    fixes: &impl Fn(&str) -> Option<String>,
) -> Option<Gap> {
    // A custom lens's choices carry no risk of their own: the question's stands for them.
    let risk = if custom {
        if q.risk == QuestionRisk::High {
            "high"
        } else {
            "medium"
        }
        .to_string()
    } else {
        p.risk.clone()
    };
    if matches!(p.status, Status::Met | Status::NotApplicable) || risk_rank(&risk) > 1 {
        return None;
    }
    let failing: Vec<_> = p.evidence.iter().filter(|e| e.status == "fail").collect();
    let resources: BTreeSet<(&str, &str)> = failing
        .iter()
        .map(|e| (e.file.as_str(), e.resource.as_str()))
        .collect();
    let rules: BTreeSet<&str> = failing.iter().map(|e| e.rule.as_str()).collect();
    Some(Gap {
        practice: p.id.clone(),
        question_id: q.question_id.clone(),
        pillar_id: pillar.to_string(),
        title: p.title.clone(),
        risk,
        status: p.status,
        resources: resources.len(),
        fixes: rules.into_iter().filter_map(fixes).collect(),
        link: p.link.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::model::Source;

    fn p(risk: &str, status: Status) -> PracticeReview {
        PracticeReview {
            id: format!("X-{risk}"),
            choice_id: format!("x_{risk}"),
            title: String::new(),
            risk: risk.into(),
            status,
            answered_by: Source::Nobody,
            rules: vec![],
            passing: 0,
            evidence: vec![],
            conflict: None,
            manual: None,
            link: String::new(),
        }
    }

    #[test]
    fn the_risk_of_a_question_is_that_of_its_worst_missing_practice() {
        use Status::*;
        let q = |v: &[(&str, Status)]| {
            question_risk(&v.iter().map(|(r, s)| p(r, *s)).collect::<Vec<_>>())
        };
        assert_eq!(
            q(&[("high", Met), ("medium", NotMet)]),
            QuestionRisk::Medium
        );
        assert_eq!(q(&[("high", Unknown), ("medium", Met)]), QuestionRisk::High);
        assert_eq!(q(&[("high", Unanswered), ("low", Met)]), QuestionRisk::High);
        assert_eq!(q(&[("high", Met), ("low", NotMet)]), QuestionRisk::None);
        assert_eq!(
            q(&[("high", Unanswered), ("low", Unanswered)]),
            QuestionRisk::Unanswered
        );
        assert_eq!(
            q(&[("high", NotApplicable), ("low", Unanswered)]),
            QuestionRisk::Unanswered
        );
        assert_eq!(
            q(&[("high", NotApplicable), ("low", Met)]),
            QuestionRisk::None
        );
        assert_eq!(q(&[("high", NotApplicable)]), QuestionRisk::NotApplicable);
    }

    #[test]
    fn none_of_these_is_selected_only_when_every_practice_is_known_missing() {
        use Status::*;
        let v = vec![p("high", NotMet), p("low", NotApplicable)];
        assert_eq!(selected_choices(&v, "x_no"), ["x_no"]);
        let v = vec![p("high", NotMet), p("low", Unanswered)];
        assert!(selected_choices(&v, "x_no").is_empty());
        let v = vec![p("high", Met), p("low", NotMet)];
        assert_eq!(selected_choices(&v, "x_no"), ["x_high"]);
    }
}
