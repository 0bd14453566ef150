//! The waiver file: `[[waiver]]` entries (in `buttress.toml` or the file `--waivers` names)
//! matched by rule, resource and file globs, each with a required reason and an optional
//! expiry; and `[suppressions]`, which maps other tools' rule names to buttress rule ids.

use super::{Waiver, WaiverKind};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::Glob;
use crate::report::Finding;
use crate::source::{FileId, SourceFile, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    rule: toml::Spanned<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    expires: Option<toml::Spanned<String>>,
    #[serde(default)]
    by: Option<String>,
}

/// The parts of a file this module reads; other keys belong to the configuration.
#[derive(Deserialize)]
struct Part {
    #[serde(default)]
    waiver: Vec<toml::Spanned<Raw>>,
    #[serde(default)]
    suppressions: BTreeMap<String, Vec<String>>,
}

/// A waiver file's entry.
#[derive(Clone, Debug)]
pub struct Entry {
    pub rule: Glob,
    pub resource: Glob,
    pub file: Glob,
    pub waiver: Waiver,
    pub expired: bool,
    /// The entry's text in the file.
    pub span: Span,
    /// Findings it waived (or, when expired, would have).
    pub matched: usize,
}

/// Waivers from a file, the diagnostics about them, and the text they point into.
#[derive(Clone, Debug, Default)]
pub struct WaiverFile {
    pub entries: Vec<Entry>,
    pub suppressions: BTreeMap<String, Vec<String>>,
    pub source: Option<Arc<SourceFile>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl WaiverFile {
    /// Read the `[[waiver]]` entries and `[suppressions]` of a TOML text, in which `other`
    /// keys (those of a configuration file) may stand too. Labels of the diagnostics point into
    /// `source` (file id 0).
    pub fn parse(name: &str, text: &str, today: Date, other: &[&str]) -> WaiverFile {
        let source = Arc::new(SourceFile::new(name.to_string(), text.to_string()));
        let mut out = WaiverFile {
            source: Some(source),
            ..Default::default()
        };
        let span = |r: std::ops::Range<usize>| Span::new(FileId(0), r);
        let part: Part = match toml::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                let d = Diagnostic::error(Code::BadWaiver, format!("`{name}` has invalid waivers"));
                let msg = e.message().to_string();
                out.diagnostics.push(match e.span() {
                    Some(r) => d.primary(span(r), msg),
                    None => d.help(msg),
                }.help("a waiver has `rule`, `reason` and optionally `resource`, `file`, `expires` (YYYY-MM-DD) and `by`"));
                return out;
            }
        };
        out.suppressions = part.suppressions;
        out.unknown_keys(text, other);
        for w in part.waiver {
            let at = span(w.span());
            let w = w.into_inner();
            let Some(reason) = w.reason.filter(|r| !r.trim().is_empty()) else {
                out.diagnostics.push(
                    Diagnostic::error(Code::BadWaiver, "a waiver needs a reason")
                        .primary(at, "this waiver gives no `reason`")
                        .help("say why the risk is accepted: `reason = \"…\"`"),
                );
                continue;
            };
            let until = match &w.expires {
                None => None,
                Some(e) => match Date::parse(e.get_ref()) {
                    Some(d) => Some(d),
                    None => {
                        out.diagnostics.push(
                            Diagnostic::error(Code::BadWaiver, format!("`{}` is not a date", e.get_ref()))
                                .primary(span(e.span()), "expected YYYY-MM-DD")
                                .help("`expires` is the last day the waiver applies, e.g. `expires = \"2027-03-31\"`"),
                        );
                        continue;
                    }
                },
            };
            out.entries.push(Entry {
                rule: Glob::new(w.rule.get_ref()),
                resource: Glob::new(w.resource.as_deref().unwrap_or("*")),
                file: Glob::new(w.file.as_deref().unwrap_or("*")),
                waiver: Waiver {
                    kind: WaiverKind::File,
                    reason: reason.trim().to_string(),
                    by: w.by,
                    until: until.map(|d| d.to_string()),
                },
                expired: until.is_some_and(|d| d < today),
                span: at,
                matched: 0,
            });
        }
        out
    }

    /// An error for each top-level key that is neither a waiver key nor one of `other`.
    fn unknown_keys(&mut self, text: &str, other: &[&str]) {
        let Ok(table) = toml::from_str::<toml::Table>(text) else {
            return;
        };
        let known: Vec<&str> = ["waiver", "suppressions"]
            .into_iter()
            .chain(other.iter().copied())
            .collect();
        for key in table.keys().filter(|k| !known.contains(&k.as_str())) {
            let mut d = Diagnostic::error(
                Code::BadWaiver,
                format!("unknown key `{key}` in a waiver file"),
            );
            if let Some(r) = key_span(text, key) {
                d = d.primary(Span::new(FileId(0), r), "unknown key");
            }
            if let Some(near) = crate::diagnostics::closest(key, known.iter().copied()) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            self.diagnostics.push(
                d.help("a waiver file holds `[[waiver]]` entries and a `[suppressions]` table"),
            );
        }
    }

    /// Waive the findings an entry matches (the first entry that matches decides); findings
    /// already waived in the input keep their waiver.
    pub fn apply(&mut self, findings: &mut [Finding]) {
        for f in findings.iter_mut().filter(|f| f.waiver.is_none()) {
            let file = f.file.replace('\\', "/");
            let hit = self.entries.iter_mut().find(|e| {
                e.rule.matches(&f.rule_id)
                    && e.resource.matches(&f.resource)
                    && e.file.matches(&file)
            });
            if let Some(e) = hit {
                e.matched += 1;
                if !e.expired {
                    f.waiver = Some(e.waiver.clone());
                }
            }
        }
    }

    /// After [`apply`](Self::apply): a warning for each expired entry that still matched,
    /// and for each entry that matched nothing (an error when `strict`).
    pub fn report(&self, strict: bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for e in &self.entries {
            let until = e.waiver.until.as_deref().unwrap_or("");
            if e.expired && e.matched > 0 {
                out.push(
                    Diagnostic::warning(
                        Code::WaiverExpired,
                        format!("a waiver of `{}` expired on {until}", e.rule.as_str()),
                    )
                    .primary(e.span, format!("{} finding{} count again", e.matched, if e.matched == 1 { "" } else { "s" }))
                    .help("fix the findings, or renew the waiver with a new `expires` and a reason that still holds"),
                );
            } else if e.matched == 0 {
                let d = if strict {
                    Diagnostic::error(
                        Code::UnusedWaiver,
                        format!("the waiver of `{}` matches no finding", e.rule.as_str()),
                    )
                } else {
                    Diagnostic::warning(
                        Code::UnusedWaiver,
                        format!("the waiver of `{}` matches no finding", e.rule.as_str()),
                    )
                };
                out.push(
                    d.primary(e.span, "unused")
                        .help("remove it if the finding is fixed; check the rule, resource and file globs otherwise"),
                );
            }
        }
        out
    }
}

/// Where a top-level key is written: the first line that starts with it (as `key =`,
/// `[key]` or `[[key]]`).
fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let name = body.trim_start_matches('[').trim_start_matches(['"', '\'']);
        let skip = body.len() - name.len();
        if name.starts_with(key)
            && name[key.len()..]
                .trim_start()
                .starts_with(['=', ']', '.', '"', '\''])
        {
            let start = at + lead + skip;
            return Some(start..start + key.len());
        }
        at += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{key_span, WaiverFile};
    use crate::date::Date;

    #[test]
    fn keys_are_found_at_their_line() {
        let text = "# c\nrules = []\n[[waiverz]]\nrule = \"x\"\n";
        assert_eq!(key_span(text, "waiverz"), Some(17..24));
        assert_eq!(key_span(text, "rule"), Some(27..31));
        assert_eq!(key_span(text, "absent"), None);
    }

    #[test]
    fn entries_need_a_reason_and_a_real_date_and_expire_after_their_day() {
        let today = Date::parse("2027-04-01").unwrap();
        let text = "[[waiver]]\nrule = \"a.*\"\nreason = \"r\"\nexpires = \"2027-03-31\"\n\
                    [[waiver]]\nrule = \"b.*\"\nreason = \"r\"\nexpires = \"2027-04-01\"\n\
                    [[waiver]]\nrule = \"c\"\n";
        let w = WaiverFile::parse("w.toml", text, today, &[]);
        assert_eq!(w.entries.len(), 2);
        assert!(w.entries[0].expired, "the day after `expires`");
        assert!(!w.entries[1].expired, "on the day of `expires`");
        assert_eq!(w.diagnostics.len(), 1);
        assert!(w.diagnostics[0].message.contains("needs a reason"));
        let w = WaiverFile::parse("w.toml", "rules = []\n", today, &[]);
        assert!(w.diagnostics[0].message.contains("unknown key `rules`"));
        let w = WaiverFile::parse("w.toml", "rules = []\n", today, &["rules"]);
        assert!(w.diagnostics.is_empty());
    }
}
