//! The regular expression of a `matches`: checked when the rules compile, built when a rule
//! first needs it, so that loading rules does not pay for patterns a run never reaches.

use regex_automata::meta;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use std::sync::OnceLock;

/// How large a compiled pattern may grow (the `regex` crate's size limit).
const SIZE_LIMIT: usize = 1 << 20;

/// A pattern whose forward NFA takes more than this share of the limit is built at once.
const BUILT_AT_ONCE_FROM: usize = 64;

/// A syntactically valid regular expression within the size limit, built on first use.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: String,
    built: OnceLock<Option<meta::Regex>>,
}

impl Pattern {
    /// Check `text` as the `regex` crate would: its syntax (regex-syntax, the same errors) and
    /// the size of its compiled program (a full build only when a forward Thompson NFA, without
    /// the prefilters and DFAs that make a full build several times dearer, is not small).
    pub fn new(text: &str) -> Result<Pattern, regex::Error> {
        let hir = regex_syntax::parse(text).map_err(|e| regex::Error::Syntax(e.to_string()))?;
        // The forward NFA is cheap to build and tells a small pattern from one that may
        // come near the limit; only the latter pays for a full build now (whose reverse NFA,
        // larger than the forward one for Unicode classes, is what usually passes the limit).
        let config = thompson::Config::new()
            .nfa_size_limit(Some(SIZE_LIMIT))
            .shrink(false);
        let forward = thompson::Compiler::new()
            .configure(config)
            .build_from_hir(&hir)
            .map_err(|_| regex::Error::CompiledTooBig(SIZE_LIMIT))?;
        if forward.memory_usage() >= SIZE_LIMIT / BUILT_AT_ONCE_FROM {
            check(text)?;
        }
        Ok(Pattern::unchecked(text))
    }

    /// A pattern a test has checked with [`Pattern::new`] (the standard library's literals):
    /// built when first used, like every small pattern. Should it not build after all, matching
    /// it is undecided, never a pass.
    pub fn unchecked(text: &str) -> Pattern {
        Pattern {
            text: text.to_string(),
            built: OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern matches somewhere in `s`; `None` if it could not be built.
    pub fn is_match(&self, s: &str) -> Option<bool> {
        let re = self.built.get_or_init(|| build(&self.text));
        re.as_ref().map(|re| re.is_match(s))
    }
}

/// Whether the `regex` crate builds `text` within the size limit, with its error if not: the
/// errors rules are told of read as that crate writes them.
fn check(text: &str) -> Result<(), regex::Error> {
    regex::RegexBuilder::new(text)
        .size_limit(SIZE_LIMIT)
        .build()
        .map(drop)
}

/// The regular expression of `text` as `matches` tests with it: whether it matches, no match
/// offsets nor capture groups, and none of the engines that only serve those (the one-pass
/// DFA, the backtracker), nor a literal prefilter (the texts tested are property values,
/// short): half the cost of building what `regex::Regex::new` builds, which a short run paid
/// for every pattern it reached. It matches as that does, within the same size limit.
fn build(text: &str) -> Option<meta::Regex> {
    build_with(text, WhichCaptures::None)
}

/// [`build`] for a search that reports where the match is (`regex_find`): the same, with the
/// offsets of the whole match (without them `find` finds nothing).
pub fn build_finder(text: &str) -> Option<meta::Regex> {
    build_with(text, WhichCaptures::Implicit)
}

/// `None` when `text` does not build within the size limit.
fn build_with(text: &str, captures: WhichCaptures) -> Option<meta::Regex> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(SIZE_LIMIT))
        .which_captures(captures)
        .onepass(false)
        .backtrack(false)
        .auto_prefilter(false);
    meta::Regex::builder().configure(config).build(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_is_checked_at_once_and_built_when_used() {
        let p = Pattern::new(r"^arn:aws:s3:::").unwrap();
        assert!(p.built.get().is_none());
        assert_eq!(p.is_match("arn:aws:s3:::bucket"), Some(true));
        assert_eq!(p.is_match("arn:aws:iam::1:role/x"), Some(false));
        assert!(p.built.get().is_some());
        assert_eq!(p.is_match("s3://arn:aws:s3:::"), Some(false));
        let finder = build_finder("[0-9]+").unwrap();
        assert_eq!(finder.find("m5.large").map(|m| m.range()), Some(1..2));
    }

    #[test]
    #[allow(clippy::invalid_regex)] // the invalid pattern is the point
    fn syntax_errors_read_as_the_regex_crate_writes_them() {
        let ours = Pattern::new(r"(?<=a)b").unwrap_err().to_string();
        let theirs = regex::Regex::new(r"(?<=a)b").unwrap_err().to_string();
        assert_eq!(ours, theirs);
        assert!(Pattern::new("[a-").is_err());
    }

    #[test]
    fn a_pattern_too_large_to_build_is_an_error_at_once() {
        // 50 Unicode word classes in 100 characters pass the limit, as a counted repetition does.
        for text in [r"\w{1000}\w{1000}".to_string(), r"\w".repeat(50)] {
            let ours = Pattern::new(&text).unwrap_err().to_string();
            let theirs = check(&text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
        // Around the limit the check and a full build agree, pattern by pattern.
        for n in 10..50 {
            for text in [r"\w".repeat(n), format!(r"(?i)[a-z]\w{{{}}}", n * 10)] {
                assert_eq!(Pattern::new(&text).is_ok(), check(&text).is_ok(), "{text}");
            }
        }
    }
}
