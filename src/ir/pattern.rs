//! The regular expression of a `matches`: checked when the rules compile, built when a rule
//! first needs it, so that loading rules does not pay for patterns a run never reaches.

use regex_automata::nfa::thompson;
use std::sync::OnceLock;

/// How large a compiled pattern may grow (the `regex` crate's size limit).
const SIZE_LIMIT: usize = 1 << 20;

/// A pattern whose forward NFA takes more than this share of the limit is built at once.
const BUILT_AT_ONCE_FROM: usize = 64;

/// A syntactically valid regular expression within the size limit, built on first use.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: String,
    built: OnceLock<Option<regex::Regex>>,
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
        let built = OnceLock::new();
        if forward.memory_usage() >= SIZE_LIMIT / BUILT_AT_ONCE_FROM {
            let re = build(text)?;
            let _ = built.set(Some(re));
        }
        Ok(Pattern {
            text: text.to_string(),
            built,
        })
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
        let re = self.built.get_or_init(|| build(&self.text).ok());
        re.as_ref().map(|re| re.is_match(s))
    }
}

fn build(text: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(text)
        .size_limit(SIZE_LIMIT)
        .build()
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
            let theirs = build(&text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
        // Around the limit the check and a full build agree, pattern by pattern.
        for n in 10..50 {
            for text in [r"\w".repeat(n), format!(r"(?i)[a-z]\w{{{}}}", n * 10)] {
                assert_eq!(Pattern::new(&text).is_ok(), build(&text).is_ok(), "{text}");
            }
        }
    }
}
