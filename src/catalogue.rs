//! The Well-Architected catalogue as data: pillars, risks and the best-practice ids rules cite.

use foldhash::HashMap;
use std::sync::OnceLock;

/// The six pillars, in the framework's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pillar {
    OperationalExcellence,
    Security,
    Reliability,
    PerformanceEfficiency,
    CostOptimization,
    Sustainability,
}

pub const PILLARS: [Pillar; 6] = [
    Pillar::OperationalExcellence,
    Pillar::Security,
    Pillar::Reliability,
    Pillar::PerformanceEfficiency,
    Pillar::CostOptimization,
    Pillar::Sustainability,
];

impl Pillar {
    /// The id used in reports and the catalogue: `operational-excellence`.
    pub fn id(self) -> &'static str {
        match self {
            Pillar::OperationalExcellence => "operational-excellence",
            Pillar::Security => "security",
            Pillar::Reliability => "reliability",
            Pillar::PerformanceEfficiency => "performance-efficiency",
            Pillar::CostOptimization => "cost-optimization",
            Pillar::Sustainability => "sustainability",
        }
    }

    /// The word used in rule sources: `operational_excellence`.
    pub fn word(self) -> &'static str {
        match self {
            Pillar::OperationalExcellence => "operational_excellence",
            Pillar::PerformanceEfficiency => "performance_efficiency",
            Pillar::CostOptimization => "cost_optimization",
            other => other.id(),
        }
    }

    /// The prefix of its best-practice ids: `OPS`, `SEC`, …
    pub fn prefix(self) -> &'static str {
        match self {
            Pillar::OperationalExcellence => "OPS",
            Pillar::Security => "SEC",
            Pillar::Reliability => "REL",
            Pillar::PerformanceEfficiency => "PERF",
            Pillar::CostOptimization => "COST",
            Pillar::Sustainability => "SUS",
        }
    }

    /// Accepts the source word, the report id, or the prefix.
    pub fn parse(text: &str) -> Option<Pillar> {
        let t = text.to_ascii_lowercase().replace('-', "_");
        PILLARS
            .into_iter()
            .find(|p| p.word() == t || p.prefix().eq_ignore_ascii_case(&t))
    }
}

/// AWS's level of risk when a best practice is not in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub fn id(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Risk> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Some(Risk::Low),
            "medium" => Some(Risk::Medium),
            "high" => Some(Risk::High),
            _ => None,
        }
    }
}

/// One best practice of the framework.
#[derive(Debug)]
pub struct Practice {
    pub id: String,
    pub pillar: Pillar,
    pub question: String,
    pub question_title: String,
    pub title: String,
    pub risk: Option<Risk>,
    pub link: String,
}

/// Every best practice, keyed by id (`SEC08-BP02`).
pub struct Catalogue {
    pub practices: Vec<Practice>,
    by_id: HashMap<String, usize>,
}

const TSV: &str = include_str!("../data/best-practices.tsv");

impl Catalogue {
    /// The catalogue shipped in `data/best-practices.tsv`.
    pub fn embedded() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::from_tsv(TSV))
    }

    fn from_tsv(tsv: &str) -> Catalogue {
        let practices: Vec<Practice> = tsv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                let [id, pillar, question, question_title, title, risk, link] = f[..] else {
                    return None;
                };
                Some(Practice {
                    id: id.to_string(),
                    pillar: Pillar::parse(pillar)?,
                    question: question.to_string(),
                    question_title: question_title.to_string(),
                    title: title.to_string(),
                    risk: Risk::parse(risk),
                    link: link.to_string(),
                })
            })
            .collect();
        let by_id = practices
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Catalogue { practices, by_id }
    }

    pub fn get(&self, id: &str) -> Option<&Practice> {
        self.by_id.get(id).map(|&i| &self.practices[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_has_every_pillar() {
        let c = Catalogue::embedded();
        assert_eq!(c.practices.len(), 307);
        let p = c.get("SEC08-BP02").unwrap();
        assert_eq!(p.pillar, Pillar::Security);
        assert_eq!(p.risk, Some(Risk::High));
        for pillar in PILLARS {
            assert!(c.practices.iter().any(|p| p.pillar == pillar));
            assert_eq!(Pillar::parse(pillar.word()), Some(pillar));
            assert_eq!(Pillar::parse(pillar.id()), Some(pillar));
        }
    }
}
