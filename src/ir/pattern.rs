//! The regular expression of a `matches`: checked when the rules compile, built when a rule
//! first needs it, so that loading rules does not pay for patterns a run never reaches.

use std::sync::OnceLock;

/// How large a compiled pattern may grow (the `regex` crate's size limit).
const SIZE_LIMIT: usize = 1 << 20;

/// A pattern shorter than this without a counted repetition (`{n}`) cannot reach the size
/// limit; any other is built at once, so that one that does is an error at compile time.
const BUILT_AT_ONCE_FROM: usize = 1000;

/// A syntactically valid regular expression, built on first use.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: String,
    built: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// Check `text`; the error is the `regex` crate's, as it would report it.
    pub fn new(text: &str) -> Result<Pattern, regex::Error> {
        let pattern = Pattern {
            text: text.to_string(),
            built: OnceLock::new(),
        };
        if text.contains('{') || text.len() >= BUILT_AT_ONCE_FROM {
            let re = build(text)?;
            pattern.built.get_or_init(|| Some(re));
        } else if let Err(e) = regex_syntax::parse(text) {
            return Err(regex::Error::Syntax(e.to_string()));
        }
        Ok(pattern)
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
        let err = Pattern::new(r"\w{1000}\w{1000}").unwrap_err();
        assert!(matches!(err, regex::Error::CompiledTooBig(_)), "{err}");
    }
}
