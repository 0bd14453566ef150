//! The framework lens as data: pillars, questions and best practices with the ids the
//! Well-Architected Tool uses, embedded from `data/wellarchitected.tsv`.

use crate::catalogue::{Pillar, Risk};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The Tool's alias of the framework lens.
pub const LENS_ALIAS: &str = "wellarchitected";

/// One question of a lens.
#[derive(Debug)]
pub struct Question {
    /// The framework's id: `SEC01`.
    pub id: String,
    /// The Tool's `QuestionId`: `securely-operate`.
    pub tool_id: String,
    pub pillar: Pillar,
    pub title: String,
    /// The "none of these" choice: `sec_securely_operate_no`.
    pub none_choice: String,
    /// Indices into [`Framework::practices`], in order.
    pub practices: Vec<usize>,
}

/// One best practice: a choice of its question.
#[derive(Debug)]
pub struct Practice {
    /// The framework's id: `SEC01-BP01`.
    pub id: String,
    /// Index into [`Framework::questions`].
    pub question: usize,
    /// The Tool's `ChoiceId`: `sec_securely_operate_multi_accounts`.
    pub choice_id: String,
    /// The risk when the practice is not in place (none for a few practices).
    pub risk: Option<Risk>,
    pub title: String,
    pub link: String,
}

/// The whole framework lens.
#[derive(Debug)]
pub struct Framework {
    pub questions: Vec<Question>,
    pub practices: Vec<Practice>,
    by_id: HashMap<String, usize>,
}

const TSV: &str = include_str!("../../data/wellarchitected.tsv");

impl Framework {
    /// The lens shipped in `data/wellarchitected.tsv`.
    pub fn embedded() -> &'static Framework {
        static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
        FRAMEWORK.get_or_init(|| Framework::from_tsv(TSV))
    }

    fn from_tsv(tsv: &str) -> Framework {
        let mut fw = Framework {
            questions: Vec::new(),
            practices: Vec::new(),
            by_id: HashMap::new(),
        };
        for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let [id, pillar, q, qid, qtitle, choice, none, risk, title, link] = f[..] else {
                continue;
            };
            let Some(pillar) = Pillar::parse(pillar) else {
                continue;
            };
            if fw.questions.last().is_none_or(|last| last.id != q) {
                fw.questions.push(Question {
                    id: q.to_string(),
                    tool_id: qid.to_string(),
                    pillar,
                    title: qtitle.to_string(),
                    none_choice: none.to_string(),
                    practices: Vec::new(),
                });
            }
            let question = fw.questions.len() - 1;
            fw.questions[question].practices.push(fw.practices.len());
            fw.by_id.insert(id.to_string(), fw.practices.len());
            fw.practices.push(Practice {
                id: id.to_string(),
                question,
                choice_id: choice.to_string(),
                risk: Risk::parse(risk),
                title: title.to_string(),
                link: link.to_string(),
            });
        }
        fw
    }

    /// The index of a practice by its framework id (`SEC08-BP02`).
    pub fn practice(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The index of a practice by its Tool choice id.
    pub fn practice_by_choice(&self, choice: &str) -> Option<usize> {
        self.practices.iter().position(|p| p.choice_id == choice)
    }

    /// The index of a question by its framework id or Tool id.
    pub fn question(&self, id: &str) -> Option<usize> {
        self.questions
            .iter()
            .position(|q| q.id == id || q.tool_id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use std::collections::HashSet;

    #[test]
    fn every_practice_of_the_catalogue_has_unique_tool_ids() {
        let fw = Framework::embedded();
        let cat = Catalogue::embedded();
        assert_eq!(fw.practices.len(), cat.practices.len());
        assert_eq!(fw.practices.len(), 307);
        assert_eq!(fw.questions.len(), 57);
        let mut choices = HashSet::new();
        for p in &fw.practices {
            let c = cat.get(&p.id).expect("the practice is in the catalogue");
            let q = &fw.questions[p.question];
            assert_eq!(q.pillar, c.pillar, "{}", p.id);
            assert_eq!(q.id, c.question, "{}", p.id);
            assert!(!p.choice_id.is_empty(), "{} has no choice id", p.id);
            assert!(
                choices.insert(p.choice_id.as_str()),
                "{} twice",
                p.choice_id
            );
            let prefix = q.none_choice.trim_end_matches("_no");
            assert!(p.choice_id.starts_with(prefix), "{}: {}", p.id, p.choice_id);
        }
        let mut qids = HashSet::new();
        for q in &fw.questions {
            assert!(qids.insert(q.tool_id.as_str()), "{} twice", q.tool_id);
            assert!(choices.insert(q.none_choice.as_str()), "{}", q.none_choice);
            assert!(!q.practices.is_empty());
            assert!(q.title.ends_with('?'), "{}", q.id);
        }
    }

    #[test]
    fn known_tool_ids_are_as_the_tool_spells_them() {
        let fw = Framework::embedded();
        let sec01 = &fw.questions[fw.question("SEC01").unwrap()];
        assert_eq!(sec01.tool_id, "securely-operate");
        assert_eq!(sec01.none_choice, "sec_securely_operate_no");
        let p = &fw.practices[fw.practice("SEC01-BP01").unwrap()];
        assert_eq!(p.choice_id, "sec_securely_operate_multi_accounts");
        let p = &fw.practices[fw.practice("SEC05-BP04").unwrap()];
        assert_eq!(p.choice_id, "sec_network_protection_auto_protect");
        assert_eq!(
            fw.questions[fw.question("SUS01").unwrap()].tool_id,
            "sus_region"
        );
        assert_eq!(
            fw.questions[fw.question("COST11").unwrap()].tool_id,
            "evaluate-cost-effort"
        );
        assert_eq!(
            fw.practice_by_choice("ops_priorities_ext_cust_needs"),
            Some(0)
        );
    }
}
