//! The Markdown report: the headline counts, every question by pillar, the issues with their
//! evidence, the improvement plan, and where evidence and people disagree.

use super::model::{PracticeReview, QuestionRisk, Review, Source, Status};
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn met(ps: &[PracticeReview]) -> usize {
    ps.iter().filter(|p| p.status == Status::Met).count()
}

fn by(ps: &[PracticeReview], s: Source) -> usize {
    ps.iter()
        .filter(|p| p.answered_by == s || (p.answered_by == Source::Both && s != Source::Nobody))
        .count()
}

/// Render the review as Markdown.
pub fn render(r: &Review) -> String {
    let mut out = String::new();
    let w = &r.workload;
    let _ = writeln!(out, "# Well-Architected review: {}\n", w.name);
    if !w.description.is_empty() {
        let _ = writeln!(out, "{}\n", w.description);
    }
    let mut facts = Vec::new();
    if let Some(e) = &w.environment {
        facts.push(format!("environment: {e}"));
    }
    if !w.regions.is_empty() {
        facts.push(format!("regions: {}", w.regions.join(", ")));
    }
    if let Some(o) = &w.review_owner {
        facts.push(format!("review owner: {o}"));
    }
    facts.push(format!("lenses: {}", w.lenses.join(", ")));
    let _ = writeln!(out, "{}\n", facts.join(" · "));
    let c = &r.checked;
    let _ = writeln!(
        out,
        "Checked {} inputs ({} resources) with {} rules. {} practices answered from evidence, {} by people.\n",
        c.inputs, c.resources, c.rules, c.from_evidence, c.from_people
    );
    for lens in &r.lenses {
        let _ = writeln!(out, "## {}\n", lens.lens_name);
        let _ = writeln!(
            out,
            "| pillar | high | medium | none | unanswered | not applicable |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        let rows = lens
            .pillars
            .iter()
            .map(|p| (p.name.as_str(), &p.risk_counts))
            .chain([("**total**", &lens.risk_counts)]);
        for (name, k) in rows {
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} |",
                k.high, k.medium, k.none, k.unanswered, k.not_applicable
            );
        }
        out.push('\n');
        for p in &lens.pillars {
            let _ = writeln!(out, "### {}\n", p.name);
            let _ = writeln!(out, "| question | risk | met | from evidence | by people |");
            let _ = writeln!(out, "|---|---|---:|---:|---:|");
            for q in &p.questions {
                let bps = &q.best_practices;
                let _ = writeln!(
                    out,
                    "| {} {} | {} | {}/{} | {} | {} |",
                    q.id,
                    cell(&q.title),
                    q.risk.words(),
                    met(bps),
                    bps.len(),
                    by(bps, Source::Evidence),
                    by(bps, Source::Person)
                );
            }
            out.push('\n');
            for q in p
                .questions
                .iter()
                .filter(|q| matches!(q.risk, QuestionRisk::High | QuestionRisk::Medium))
            {
                let _ = writeln!(
                    out,
                    "#### {} {} ({})\n",
                    q.id,
                    cell(&q.title),
                    q.risk.words()
                );
                for bp in q
                    .best_practices
                    .iter()
                    .filter(|b| !matches!(b.status, Status::Met | Status::NotApplicable))
                {
                    let risk = if bp.risk == "none" {
                        String::new()
                    } else {
                        format!(", {} risk", bp.risk)
                    };
                    let title = if bp.link.is_empty() {
                        cell(&bp.title)
                    } else {
                        format!("[{}]({})", cell(&bp.title), bp.link)
                    };
                    let _ = writeln!(out, "- **{}** {title} — {}{risk}", bp.id, bp.status.words());
                    for e in &bp.evidence {
                        let _ = writeln!(
                            out,
                            "  - `{}:{}` {} `{}` ({}): {}",
                            e.file,
                            e.line,
                            e.status,
                            e.resource,
                            e.resource_type,
                            cell(&e.message)
                        );
                    }
                }
                out.push('\n');
            }
        }
    }
    if r.lenses.len() > 1 {
        let _ = writeln!(
            out,
            "**Workload, all lenses:** {}.\n",
            r.risk_counts.summary()
        );
    }
    if !r.improvement_plan.is_empty() {
        let _ = writeln!(out, "## Improvement plan\n");
        for (i, g) in r.improvement_plan.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **{}** [{}]({}) — {} risk, {}, {} resource{}",
                i + 1,
                g.practice,
                cell(&g.title),
                g.link,
                g.risk,
                g.status.words(),
                g.resources,
                if g.resources == 1 { "" } else { "s" }
            );
            for f in &g.fixes {
                let _ = writeln!(out, "   - fix: {}", cell(f));
            }
        }
        out.push('\n');
    }
    let conflicts: Vec<_> = r
        .practices()
        .filter_map(|(_, p)| p.conflict.as_ref().map(|c| (p, c)))
        .collect();
    if !conflicts.is_empty() {
        let _ = writeln!(out, "## Where evidence and people disagree\n");
        for (p, c) in conflicts {
            let _ = writeln!(out, "- **{}** {}", p.id, cell(c));
        }
        out.push('\n');
    }
    out
}
