//! Milestones: a saved snapshot of a review (JSON in `milestones/` beside the workload file,
//! meant to be committed) and the comparison of two: what was fixed, what is new, and the
//! risk counts of each. Pure; the command line reads and writes the files.

use super::model::{Review, RiskCounts, Status};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// A saved review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub milestone: String,
    /// When it was saved, UTC: `YYYY-MM-DDTHH:MM:SSZ`.
    pub saved: String,
    pub review: Review,
}

/// The file name of a milestone: lower case, runs of other characters as one `-`.
pub fn file_name(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    format!("{}.json", s.trim_matches('-'))
}

/// The time now, UTC, from the system clock: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    timestamp(secs)
}

fn timestamp(secs: u64) -> String {
    let day = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::date::Date::from_days((secs / 86_400) as i64),
        day / 3600,
        day % 3600 / 60,
        day % 60
    )
}

/// One practice whose standing changed between two milestones.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub practice: String,
    pub title: String,
    pub risk: String,
    pub before: Status,
    pub after: Status,
}

/// What changed from `a` to `b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub before: (String, String, RiskCounts),
    pub after: (String, String, RiskCounts),
    /// Not in place before, in place after.
    pub fixed: Vec<Change>,
    /// Not known to be missing before, missing after.
    pub new: Vec<Change>,
}

pub fn compare(a: &Snapshot, b: &Snapshot) -> Comparison {
    let mut fixed = Vec::new();
    let mut new = Vec::new();
    for (lens, pb) in b.review.practices() {
        let before = a
            .review
            .practices()
            .find(|(l, pa)| *l == lens && pa.id == pb.id)
            .map_or(Status::Unanswered, |(_, pa)| pa.status);
        let change = Change {
            practice: pb.id.clone(),
            title: pb.title.clone(),
            risk: pb.risk.clone(),
            before,
            after: pb.status,
        };
        if before != Status::Met && pb.status == Status::Met {
            fixed.push(change);
        } else if before != Status::NotMet && pb.status == Status::NotMet {
            new.push(change);
        }
    }
    let head = |s: &Snapshot| (s.milestone.clone(), s.saved.clone(), s.review.risk_counts);
    Comparison {
        before: head(a),
        after: head(b),
        fixed,
        new,
    }
}

/// The comparison as text (Markdown-friendly).
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## `{}` ({}) → `{}` ({})\n",
        c.before.0, c.before.1, c.after.0, c.after.1
    );
    let _ = writeln!(
        out,
        "| milestone | high | medium | none | unanswered | not applicable |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for (name, _, k) in [&c.before, &c.after] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} |",
            k.high, k.medium, k.none, k.unanswered, k.not_applicable
        );
    }
    for (title, list) in [("Fixed", &c.fixed), ("New", &c.new)] {
        let _ = writeln!(out, "\n### {title} ({})\n", list.len());
        for ch in list {
            let _ = writeln!(
                out,
                "- **{}** {} ({} risk): {} → {}",
                ch.practice,
                ch.title,
                ch.risk,
                ch.before.words(),
                ch.after.words()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_file_names() {
        let civil_date = |days| crate::date::Date::from_days(days).to_string();
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_788), "2026-12-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(timestamp(20_788 * 86_400 + 3_723), "2026-12-01T01:02:03Z");
        assert_eq!(file_name("Before launch!"), "before-launch.json");
        assert_eq!(file_name("  v2 / GA "), "v2-ga.json");
    }
}
