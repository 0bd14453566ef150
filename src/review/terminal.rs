//! The terminal report: headline counts per pillar, the questions at risk with their
//! evidence, the improvement plan and the disagreements between evidence and people.

use super::model::{QuestionRisk, Review, RiskCounts, Status};
use std::fmt::Write;

/// Gaps of the improvement plan shown on a terminal; the other formats show all.
const PLAN_SHOWN: usize = 10;

fn counts_row(out: &mut String, name: &str, c: &RiskCounts) {
    let _ = writeln!(
        out,
        "  {name:<24} {:>4} {:>6} {:>4} {:>10} {:>4}",
        c.high, c.medium, c.none, c.unanswered, c.not_applicable
    );
}

/// Render the review for a terminal (no colour).
pub fn render(r: &Review) -> String {
    let mut out = String::new();
    let w = &r.workload;
    let mut about: Vec<String> = w.environment.iter().cloned().collect();
    about.extend(w.regions.iter().cloned());
    let _ = writeln!(
        out,
        "review of `{}`{}",
        w.name,
        if about.is_empty() {
            String::new()
        } else {
            format!(" ({})", about.join(" · "))
        }
    );
    let c = &r.checked;
    let _ = writeln!(
        out,
        "checked {} input{} ({} resources) with {} rules; {} practices answered from evidence, {} by people\n",
        c.inputs,
        if c.inputs == 1 { "" } else { "s" },
        c.resources,
        c.rules,
        c.from_evidence,
        c.from_people
    );
    for lens in &r.lenses {
        let _ = writeln!(out, "{} — questions by risk", lens.lens_name);
        let _ = writeln!(
            out,
            "  {:<24} {:>4} {:>6} {:>4} {:>10} {:>4}",
            "pillar", "high", "medium", "none", "unanswered", "n/a"
        );
        for p in &lens.pillars {
            counts_row(&mut out, &p.name, &p.risk_counts);
        }
        counts_row(&mut out, "total", &lens.risk_counts);
        out.push('\n');
        for q in lens
            .pillars
            .iter()
            .flat_map(|p| &p.questions)
            .filter(|q| matches!(q.risk, QuestionRisk::High | QuestionRisk::Medium))
        {
            let ids = if q.id == q.question_id {
                q.id.clone()
            } else {
                format!("{} {}", q.id, q.question_id)
            };
            let _ = writeln!(out, "{ids} · {}: {}", q.risk.words(), q.title);
            let unanswered = q
                .best_practices
                .iter()
                .filter(|b| b.status == Status::Unanswered)
                .count();
            for bp in q
                .best_practices
                .iter()
                .filter(|b| matches!(b.status, Status::NotMet | Status::Unknown))
            {
                let risk = if bp.risk == "none" {
                    String::new()
                } else {
                    format!(" ({} risk)", bp.risk)
                };
                let _ = writeln!(
                    out,
                    "  {:<8} {} {}{risk}",
                    bp.status.words(),
                    bp.id,
                    bp.title
                );
                for e in &bp.evidence {
                    let _ = writeln!(
                        out,
                        "           {}:{} {} {}: {}",
                        e.file, e.line, e.status, e.resource, e.message
                    );
                }
            }
            if unanswered > 0 {
                let _ = writeln!(out, "  and {unanswered} unanswered");
            }
        }
    }
    if r.lenses.len() > 1 {
        let _ = writeln!(out, "\nworkload, all lenses: {}", r.risk_counts.summary());
    }
    if !r.improvement_plan.is_empty() {
        let _ = writeln!(out, "\nimprovement plan");
        for (i, g) in r.improvement_plan.iter().take(PLAN_SHOWN).enumerate() {
            let _ = writeln!(
                out,
                "  {:>2}. {} {} ({} risk, {}, {} resource{})",
                i + 1,
                g.practice,
                g.title,
                g.risk,
                g.status.words(),
                g.resources,
                if g.resources == 1 { "" } else { "s" }
            );
            for f in &g.fixes {
                let _ = writeln!(out, "      fix: {f}");
            }
            let _ = writeln!(out, "      {}", g.link);
        }
        let more = r.improvement_plan.len().saturating_sub(PLAN_SHOWN);
        if more > 0 {
            let _ = writeln!(
                out,
                "  … and {more} more (`--format markdown` lists them all)"
            );
        }
    }
    let conflicts: Vec<_> = r
        .practices()
        .filter_map(|(_, p)| p.conflict.as_ref().map(|c| (p, c)))
        .collect();
    if !conflicts.is_empty() {
        let _ = writeln!(out, "\nevidence and people disagree");
        for (p, c) in conflicts {
            let _ = writeln!(out, "  {}: {c}", p.id);
        }
    }
    out
}
