//! `buttress review`: the Well-Architected review from evidence and answers. The phases, one
//! file each: the framework lens as data, the workload file, answering each practice, the
//! roll-up and improvement plan, milestones, and the renderers.

pub mod answer;
pub mod framework;
pub mod html;
pub mod lens;
pub mod markdown;
pub mod milestone;
pub mod model;
pub mod packs;
pub mod rollup;
pub mod terminal;
pub mod wa;
pub mod workload;

use crate::catalogue::Pillar;
use answer::Outcomes;
use framework::Framework;
use model::{Checked, LensReview, PillarReview, QuestionReview, Review, RiskCounts, Source};
use workload::Workload;

/// The Tool's `PillarId` of a pillar.
pub fn tool_pillar_id(p: Pillar) -> &'static str {
    match p {
        Pillar::OperationalExcellence => "operationalExcellence",
        Pillar::Security => "security",
        Pillar::Reliability => "reliability",
        Pillar::PerformanceEfficiency => "performance",
        Pillar::CostOptimization => "costOptimization",
        Pillar::Sustainability => "sustainability",
    }
}

/// The pillar's name as people write it.
pub fn pillar_name(p: Pillar) -> &'static str {
    match p {
        Pillar::OperationalExcellence => "Operational excellence",
        Pillar::Security => "Security",
        Pillar::Reliability => "Reliability",
        Pillar::PerformanceEfficiency => "Performance efficiency",
        Pillar::CostOptimization => "Cost optimization",
        Pillar::Sustainability => "Sustainability",
    }
}

/// A custom lens to review beside the framework, with the name the workload gave it.
pub struct CustomLens<'a> {
    pub alias: String,
    pub lens: &'a lens::Lens,
}

fn framework_lens(w: &Workload, out: &Outcomes) -> LensReview {
    let fw = Framework::embedded();
    let mut pillars: Vec<PillarReview> = Vec::new();
    for q in &fw.questions {
        let practices: Vec<_> = q
            .practices
            .iter()
            .map(|&i| {
                let manual = w.answers.iter().find(|a| a.practice == i);
                answer::answer(&fw.practices[i], out, manual)
            })
            .collect();
        let question = QuestionReview {
            question_id: q.tool_id.clone(),
            id: q.id.clone(),
            title: q.title.clone(),
            risk: rollup::question_risk(&practices),
            selected_choices: rollup::selected_choices(&practices, &q.none_choice),
            best_practices: practices,
        };
        let pid = tool_pillar_id(q.pillar);
        if pillars.last().is_none_or(|p| p.pillar_id != pid) {
            pillars.push(PillarReview {
                pillar_id: pid.to_string(),
                name: pillar_name(q.pillar).to_string(),
                risk_counts: RiskCounts::default(),
                questions: Vec::new(),
            });
        }
        if let Some(p) = pillars.last_mut() {
            p.risk_counts.add(question.risk);
            p.questions.push(question);
        }
    }
    lens_review(
        framework::LENS_ALIAS,
        "AWS Well-Architected Framework",
        pillars,
    )
}

fn lens_review(alias: &str, name: &str, pillars: Vec<PillarReview>) -> LensReview {
    let mut counts = RiskCounts::default();
    for p in &pillars {
        counts.sum(&p.risk_counts);
    }
    LensReview {
        lens_alias: alias.to_string(),
        lens_name: name.to_string(),
        risk_counts: counts,
        pillars,
    }
}

/// A custom lens: each choice answered from the rule it names and the workload's `choices`,
/// each question rated by its `riskRules`.
fn custom_lens(w: &Workload, out: &Outcomes, c: &CustomLens) -> LensReview {
    let pillars = c
        .lens
        .pillars
        .iter()
        .map(|p| {
            let mut pillar = PillarReview {
                pillar_id: p.id.clone(),
                name: p.name.clone(),
                risk_counts: RiskCounts::default(),
                questions: Vec::new(),
            };
            for q in &p.questions {
                let practices: Vec<_> = q
                    .choices
                    .iter()
                    .map(|ch| {
                        let link = ch
                            .improvement_plan
                            .as_ref()
                            .and_then(|r| r.url.clone())
                            .or_else(|| ch.helpful_resource.as_ref().and_then(|r| r.url.clone()))
                            .unwrap_or_default();
                        let subject = answer::Subject {
                            id: &ch.id,
                            choice_id: &ch.id,
                            title: &ch.title,
                            risk: "none",
                            link: &link,
                        };
                        let manual = w
                            .choices
                            .iter()
                            .find(|a| a.choice == ch.id)
                            .map(|a| &a.answer);
                        answer::answer_with(&subject, out.rules_for_choice(&ch.id), out, manual)
                    })
                    .collect();
                let none = format!("{}_no", q.id);
                let risk = rollup::lens_question_risk(q, &practices, &none);
                pillar.risk_counts.add(risk);
                pillar.questions.push(QuestionReview {
                    question_id: q.id.clone(),
                    id: q.id.clone(),
                    title: q.title.clone(),
                    risk,
                    selected_choices: rollup::selected_choices(&practices, &none),
                    best_practices: practices,
                });
            }
            pillar
        })
        .collect();
    lens_review(&c.alias, &c.lens.name, pillars)
}

/// Review the framework lens and the custom lenses: answer every practice and choice, roll
/// up, and plan improvements.
pub fn review(w: &Workload, out: &Outcomes, mut checked: Checked, custom: &[CustomLens]) -> Review {
    let mut lenses = vec![framework_lens(w, out)];
    lenses.extend(custom.iter().map(|c| custom_lens(w, out, c)));
    let mut counts = RiskCounts::default();
    for l in &lenses {
        counts.sum(&l.risk_counts);
    }
    for bp in lenses
        .iter()
        .flat_map(|l| &l.pillars)
        .flat_map(|p| &p.questions)
        .flat_map(|q| &q.best_practices)
    {
        match bp.answered_by {
            Source::Evidence => checked.from_evidence += 1,
            Source::Person => checked.from_people += 1,
            Source::Both => {
                checked.from_evidence += 1;
                checked.from_people += 1;
            }
            Source::Nobody => {}
        }
    }
    let mut review = Review {
        workload: model::WorkloadInfo {
            name: w.name.clone(),
            description: w.description.clone(),
            environment: w.environment.clone(),
            regions: w.regions.clone(),
            review_owner: w.review_owner.clone(),
            lenses: w.lenses.clone(),
            inputs: w.inputs.clone(),
        },
        checked,
        risk_counts: counts,
        lenses,
        improvement_plan: Vec::new(),
    };
    let fix = |rule_id: &str| {
        out.program
            .rules
            .iter()
            .find(|r| r.id == rule_id)
            .filter(|r| !r.fix.is_empty())
            .map(|r| format!("{}: {}", r.id, r.fix))
    };
    review.improvement_plan = rollup::improvement_plan(&review, fix);
    review
}
