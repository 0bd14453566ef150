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
pub mod rollup;
pub mod terminal;
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

/// Review the framework lens: answer every practice, roll up, and plan improvements.
pub fn review(w: &Workload, out: &Outcomes, mut checked: Checked) -> Review {
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
    let mut counts = RiskCounts::default();
    for p in &pillars {
        counts.sum(&p.risk_counts);
    }
    for bp in pillars
        .iter()
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
        lenses: vec![LensReview {
            lens_alias: framework::LENS_ALIAS.to_string(),
            lens_name: "AWS Well-Architected Framework".to_string(),
            risk_counts: counts,
            pillars,
        }],
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
