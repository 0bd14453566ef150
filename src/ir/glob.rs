//! Resource-type globs: `*` matches any run of characters, `?` one; nothing else is special.

#[derive(Clone, Debug, PartialEq)]
pub struct Glob {
    text: String,
    wild: bool,
}

impl Glob {
    pub fn new(text: &str) -> Glob {
        Glob {
            text: text.to_string(),
            wild: text.contains(['*', '?']),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The type this glob names, when it has no wildcard.
    pub fn exact(&self) -> Option<&str> {
        (!self.wild).then_some(self.text.as_str())
    }

    /// Iterative matching with one backtrack point: linear in practice, never exponential.
    pub fn matches(&self, name: &str) -> bool {
        if !self.wild {
            return self.text == name;
        }
        wild_matches(&self.text, name)
    }
}

/// What matches the glob `pattern`, without making a [`Glob`] of it: for a builtin's pattern
/// argument, matched against a document's resources.
pub fn matcher(pattern: &str) -> impl Fn(&str) -> bool + '_ {
    let wild = pattern.contains(['*', '?']);
    move |name| {
        if wild {
            wild_matches(pattern, name)
        } else {
            pattern == name
        }
    }
}

/// [`Glob::matches`] for a pattern with wildcards.
fn wild_matches(pattern: &str, name: &str) -> bool {
    // Resource types and rule ids are ASCII: their bytes are their characters, and no list
    // is built per call.
    if pattern.is_ascii() && name.is_ascii() {
        return glob(pattern.as_bytes(), name.as_bytes(), b'?', b'*');
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    glob(&p, &s, '?', '*')
}

/// Whether `s` matches pattern `p`, where `one` stands for any one element and `any` for any
/// run of them.
fn glob<T: Copy + PartialEq>(p: &[T], s: &[T], one: T, any: T) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == one || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == any)
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn globs() {
        assert!(Glob::new("AWS::S3::*").matches("AWS::S3::Bucket"));
        assert!(!Glob::new("AWS::S3::*").matches("AWS::SQS::Queue"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("aws_?3_*").matches("aws_s3_bucket"));
        assert!(Glob::new("AWS::*::Bucket*").matches("AWS::S3::BucketPolicy"));
        assert!(!Glob::new("AWS::RDS::DBInstance").matches("AWS::RDS::DBCluster"));
        assert_eq!(Glob::new("a").exact(), Some("a"));
    }

    #[test]
    fn a_question_mark_is_one_character_not_one_byte() {
        assert!(Glob::new("a?c").matches("aéc"));
        assert!(!Glob::new("a??c").matches("aéc"));
        assert!(Glob::new("é*").matches("été"));
        assert!(!Glob::new("é*").matches("ete"));
        assert!(Glob::new("*::Bucket").matches("AWS::S3::Bucket"));
        assert!(!Glob::new("*::Bucket").matches("AWS::S3::Buckets"));
    }
}
