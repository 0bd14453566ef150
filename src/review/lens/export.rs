//! A lens from loaded rules, so an organisation's packs become a lens its reviewers see in
//! the console: a pillar per framework pillar, a question per pack (split at fifteen rules),
//! a choice per rule, and risk rules that rate a question as its missing rules do.

use super::format::{Choice, Lens, LensPillar, LensQuestion, Resource, RiskRule, SCHEMA_VERSION};
use super::validate::{MAX_CHOICES, MAX_QUESTIONS};
use crate::catalogue::{Risk, PILLARS};
use crate::ir::RuleInfo;
use crate::review::{pillar_name, tool_pillar_id};

/// A lens id from a rule or pack id: `security.s3` → `security_s3`.
pub fn lens_id(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while s.len() < 3 {
        s.push('_');
    }
    s.truncate(128);
    s
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

fn or_else(text: &str, other: &str) -> String {
    if text.trim().is_empty() {
        other.to_string()
    } else {
        text.to_string()
    }
}

fn choice(r: &RuleInfo) -> Choice {
    let link = r.links.first().cloned().or_else(|| {
        let fw = crate::review::framework::Framework::embedded();
        r.practices
            .first()
            .and_then(|p| fw.practice(p))
            .map(|i| fw.practices[i].link.clone())
    });
    Choice {
        id: lens_id(&r.id),
        title: cut(&r.title, 128),
        helpful_resource: Some(Resource {
            display_text: cut(&or_else(&r.rationale, &or_else(&r.doc, &r.title)), 1024),
            url: link.clone(),
        }),
        improvement_plan: Some(Resource {
            display_text: cut(&or_else(&r.fix, &r.title), 1024),
            url: link,
        }),
        additional_resources: Vec::new(),
    }
}

/// `a && b && c`, or `None` for no choices.
fn all(ids: &[&str]) -> Option<String> {
    (!ids.is_empty()).then(|| ids.join(" && "))
}

fn risk_rules(rules: &[&RuleInfo]) -> Vec<RiskRule> {
    let ids: Vec<String> = rules.iter().map(|r| lens_id(&r.id)).collect();
    let every: Vec<&str> = ids.iter().map(String::as_str).collect();
    let high: Vec<&str> = rules
        .iter()
        .zip(&ids)
        .filter(|(r, _)| r.risk == Risk::High)
        .map(|(_, id)| id.as_str())
        .collect();
    let mut out = vec![RiskRule {
        condition: all(&every).unwrap_or_else(|| "default".into()),
        risk: "NO_RISK".into(),
    }];
    let has_high = !high.is_empty();
    if has_high && high.len() < every.len() {
        // Every high-risk rule in place but not every rule: disjoint from the first rule.
        out.push(RiskRule {
            condition: format!("{} && !({})", high.join(" && "), every.join(" && ")),
            risk: "MEDIUM_RISK".into(),
        });
    }
    out.push(RiskRule {
        condition: "default".into(),
        risk: if has_high { "HIGH_RISK" } else { "MEDIUM_RISK" }.into(),
    });
    out
}

/// The lens of `rules` (the rules with blocks only, in pillar and pack order), and the
/// questions left out because a pillar would have more than the Tool takes.
pub fn export(name: &str, description: &str, rules: &[&RuleInfo]) -> (Lens, Vec<String>) {
    let mut left_out = Vec::new();
    let mut pillars = Vec::new();
    for p in PILLARS {
        let mut packs: Vec<&str> = rules
            .iter()
            .filter(|r| r.pillar == p)
            .map(|r| r.pack.as_str())
            .collect();
        packs.dedup();
        packs.sort();
        packs.dedup();
        let mut questions = Vec::new();
        for pack in packs {
            let in_pack: Vec<&RuleInfo> = rules
                .iter()
                .copied()
                .filter(|r| r.pillar == p && r.pack == pack)
                .collect();
            let parts = in_pack.chunks(MAX_CHOICES).count();
            for (i, chunk) in in_pack.chunks(MAX_CHOICES).enumerate() {
                let suffix = if parts > 1 {
                    format!("_{}", i + 1)
                } else {
                    String::new()
                };
                questions.push(LensQuestion {
                    id: lens_id(&format!("{pack}{suffix}")),
                    title: cut(&format!("Does the workload follow the `{pack}` rules?"), 128),
                    description: cut(
                        &format!("Rules of the buttress pack `{pack}`; each choice is one rule, in place when it passes."),
                        2048,
                    ),
                    helpful_resource: None,
                    choices: chunk.iter().map(|r| choice(r)).collect(),
                    risk_rules: risk_rules(chunk),
                });
            }
        }
        if questions.len() > MAX_QUESTIONS {
            left_out.extend(questions.drain(MAX_QUESTIONS..).map(|q| q.id));
        }
        if !questions.is_empty() {
            pillars.push(LensPillar {
                id: tool_pillar_id(p).to_string(),
                name: pillar_name(p).to_string(),
                questions,
            });
        }
    }
    let lens = Lens {
        schema_version: SCHEMA_VERSION.to_string(),
        name: cut(name, 128),
        description: cut(description, 2048),
        pillars,
    };
    (lens, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Pillar;
    use crate::source::{FileId, Span};

    fn rule(pack: &str, name: &str, risk: Risk) -> RuleInfo {
        RuleInfo {
            id: format!("{pack}.{name}"),
            pack: pack.into(),
            name: name.into(),
            doc: String::new(),
            pillar: Pillar::Security,
            practices: vec!["SEC08-BP02".into()],
            risk,
            title: format!("Rule {name}"),
            rationale: String::new(),
            fix: String::new(),
            links: vec![],
            kinds: vec![],
            span: Span::new(FileId(0), 0..0),
        }
    }

    #[test]
    fn packs_split_at_fifteen_rules_and_pillars_stop_at_twenty_questions() {
        let mut rules: Vec<RuleInfo> = (0..17)
            .map(|i| {
                rule(
                    "org.big",
                    &format!("r{i:02}"),
                    if i == 0 { Risk::High } else { Risk::Low },
                )
            })
            .collect();
        rules.extend((0..21).map(|i| rule(&format!("org.p{i:02}"), "only", Risk::Medium)));
        let refs: Vec<&RuleInfo> = rules.iter().collect();
        let (lens, left_out) = export("Org", "", &refs);
        let qs = &lens.pillars[0].questions;
        assert_eq!(lens.pillars[0].id, "security");
        assert_eq!(qs.len(), 20);
        assert_eq!((qs[0].id.as_str(), qs[0].choices.len()), ("org_big_1", 15));
        assert_eq!((qs[1].id.as_str(), qs[1].choices.len()), ("org_big_2", 2));
        // 2 + 21 questions: the last three are left out, and said to be.
        assert_eq!(left_out, ["org_p18", "org_p19", "org_p20"]);
        // A high-risk rule: no risk, medium when every high-risk rule passes, else high.
        let risks: Vec<&str> = qs[0].risk_rules.iter().map(|r| r.risk.as_str()).collect();
        assert_eq!(risks, ["NO_RISK", "MEDIUM_RISK", "HIGH_RISK"]);
        // Medium-risk rules only: no risk, else medium.
        let risks: Vec<&str> = qs[2].risk_rules.iter().map(|r| r.risk.as_str()).collect();
        assert_eq!(risks, ["NO_RISK", "MEDIUM_RISK"]);
        // Help falls back to the title; the improvement plan links the practice.
        let c = &qs[2].choices[0];
        assert_eq!(
            c.helpful_resource.as_ref().unwrap().display_text,
            "Rule only"
        );
        assert!(c
            .improvement_plan
            .as_ref()
            .unwrap()
            .url
            .as_deref()
            .unwrap()
            .ends_with("sec_protect_data_rest_encrypt.html"));
    }
}
