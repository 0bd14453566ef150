//! The review as data, shaped like the Tool's consolidated report: workload → lens → pillar →
//! question → best practices, with the improvement plan beside it. Serialised as the JSON
//! report and as milestone snapshots.

use serde::{Deserialize, Serialize};

/// How a best practice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    Unknown,
    Unanswered,
    NotApplicable,
}

impl Status {
    pub fn words(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not met",
            Status::Unknown => "unknown",
            Status::Unanswered => "unanswered",
            Status::NotApplicable => "not applicable",
        }
    }
}

/// Who answered a practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Evidence,
    Person,
    /// Both evidence and a person; they agree, or the report says which one won.
    Both,
    Nobody,
}

/// A question's risk, as the Tool names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionRisk {
    High,
    Medium,
    None,
    Unanswered,
    NotApplicable,
}

impl QuestionRisk {
    pub fn words(self) -> &'static str {
        match self {
            QuestionRisk::High => "high risk",
            QuestionRisk::Medium => "medium risk",
            QuestionRisk::None => "no risk",
            QuestionRisk::Unanswered => "unanswered",
            QuestionRisk::NotApplicable => "not applicable",
        }
    }
}

/// Counts of questions by risk: the Tool's headline numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskCounts {
    pub high: usize,
    pub medium: usize,
    pub none: usize,
    pub unanswered: usize,
    pub not_applicable: usize,
}

impl RiskCounts {
    pub fn add(&mut self, r: QuestionRisk) {
        match r {
            QuestionRisk::High => self.high += 1,
            QuestionRisk::Medium => self.medium += 1,
            QuestionRisk::None => self.none += 1,
            QuestionRisk::Unanswered => self.unanswered += 1,
            QuestionRisk::NotApplicable => self.not_applicable += 1,
        }
    }

    /// `18 high, 1 medium, 3 none, 37 unanswered, 1 not applicable`.
    pub fn summary(&self) -> String {
        format!(
            "{} high, {} medium, {} none, {} unanswered, {} not applicable",
            self.high, self.medium, self.none, self.unanswered, self.not_applicable
        )
    }

    pub fn sum(&mut self, o: &RiskCounts) {
        self.high += o.high;
        self.medium += o.medium;
        self.none += o.none;
        self.unanswered += o.unanswered;
        self.not_applicable += o.not_applicable;
    }
}

/// One failing or undecided outcome behind a practice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub rule: String,
    /// `fail` or `unknown`.
    pub status: String,
    pub file: String,
    pub resource: String,
    pub resource_type: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One best practice (a choice of its question).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeReview {
    pub id: String,
    pub choice_id: String,
    pub title: String,
    /// The risk when it is missing: `high`, `medium`, `low` or `none`.
    pub risk: String,
    pub status: Status,
    pub answered_by: Source,
    /// Rules that evidence it, and how many of their (rule, resource) outcomes passed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub passing: usize,
    /// Failing and unknown outcomes, by resource and line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Where evidence and a person disagree, what the report decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<Manual>,
    pub link: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A person's answer as the workload file gave it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manual {
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionReview {
    /// The Tool's `QuestionId`.
    pub question_id: String,
    /// The framework's id: `SEC01`.
    pub id: String,
    pub title: String,
    pub risk: QuestionRisk,
    /// The choices the Tool would show selected.
    pub selected_choices: Vec<String>,
    pub best_practices: Vec<PracticeReview>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PillarReview {
    /// The Tool's `PillarId`: `operationalExcellence`.
    pub pillar_id: String,
    pub name: String,
    pub risk_counts: RiskCounts,
    pub questions: Vec<QuestionReview>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LensReview {
    pub lens_alias: String,
    pub lens_name: String,
    pub risk_counts: RiskCounts,
    pub pillars: Vec<PillarReview>,
}

/// A gap of the improvement plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub practice: String,
    pub question_id: String,
    pub pillar_id: String,
    pub title: String,
    pub risk: String,
    pub status: Status,
    /// Distinct resources whose failing outcomes show the gap.
    pub resources: usize,
    /// The fix text of the failing rules.
    pub fixes: Vec<String>,
    pub link: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkloadInfo {
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    pub regions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_owner: Option<String>,
    pub lenses: Vec<String>,
    pub inputs: Vec<String>,
}

/// How the evidence was gathered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    pub inputs: usize,
    pub resources: usize,
    pub rules: usize,
    pub from_evidence: usize,
    pub from_people: usize,
}

/// The whole review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub workload: WorkloadInfo,
    pub checked: Checked,
    pub risk_counts: RiskCounts,
    pub lenses: Vec<LensReview>,
    pub improvement_plan: Vec<Gap>,
}

impl Review {
    /// Every practice of every lens, with its lens alias.
    pub fn practices(&self) -> impl Iterator<Item = (&str, &PracticeReview)> {
        self.lenses.iter().flat_map(|l| {
            l.pillars.iter().flat_map(move |p| {
                p.questions.iter().flat_map(move |q| {
                    q.best_practices
                        .iter()
                        .map(move |bp| (l.lens_alias.as_str(), bp))
                })
            })
        })
    }
}
