//! A cheap scan that rejects sources nested deeper than the parser may safely recurse.

/// Brackets, quantifiers, prefix and infix operators each count as one level.
pub const MAX_DEPTH: usize = 200;

/// The byte offset at which the nesting estimate first exceeds [`MAX_DEPTH`].
pub fn too_deep(src: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut saved: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                saved.push(depth);
                depth += 1;
            }
            b')' | b']' | b'}' => depth = saved.pop().unwrap_or(0),
            // Every operator character counts, so that a run of prefix signs (`- - -1`,
            // `---1`) is as deep as it is long.
            b'+' | b'-' | b'*' | b'/' | b'<' | b'>' | b'=' | b'!' | b'?' => depth += 1,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i + 1 < bytes.len()
                    && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] == b'_')
                {
                    i += 1;
                }
                let word = &src[start..=i];
                if matches!(
                    word,
                    "pack" | "use" | "param" | "pred" | "rule" | "on" | "let" | "when" | "require"
                ) {
                    // A new item or statement: no expression continues across it.
                    depth = saved.last().map_or(0, |d| d + 1);
                } else if matches!(
                    word,
                    "and"
                        | "or"
                        | "not"
                        | "in"
                        | "matches"
                        | "exists"
                        | "empty"
                        | "is"
                        | "some"
                        | "all"
                        | "none"
                        | "count"
                        | "if"
                        | "then"
                        | "else"
                ) {
                    depth += 1;
                }
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_sources_pass_and_deep_ones_stop() {
        assert_eq!(too_deep("a and (b or c)"), None);
        let deep = "(".repeat(500);
        assert_eq!(too_deep(&deep), Some(MAX_DEPTH));
        let chain = "1 + ".repeat(300);
        assert!(too_deep(&chain).is_some());
        let flat: String = (0..500)
            .map(|i| format!("pred p{i}(x) = x == {i} and x > 0\n"))
            .collect();
        assert_eq!(too_deep(&flat), None);
        let requires = format!(
            "on json \"*\" as d {{\n{}}}",
            "  require d.a == 1 and not d.b\n".repeat(500)
        );
        assert_eq!(too_deep(&requires), None);
        let quoted = format!("\"{}\"", "(".repeat(500));
        assert_eq!(too_deep(&quoted), None);
        let signs = format!("{}1", "-".repeat(30_000));
        assert!(too_deep(&signs).is_some(), "a run of unary signs is deep");
        let spaced = format!("{}1", "- ".repeat(30_000));
        assert!(too_deep(&spaced).is_some());
    }
}
