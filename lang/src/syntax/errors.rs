//! Turns pest's errors into diagnostics worded for people: grammar rule names never leak.

use super::parser::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// What a grammar rule is called in an error message, or `None` to leave it out.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "end of file",
        pack_decl | kw_pack => "`pack`",
        use_decl | kw_use => "`use`",
        item | param_decl | pred_decl | rule_decl => "`param`, `pred` or `rule`",
        kw_param => "`param`",
        kw_pred => "`pred`",
        kw_rule => "`rule`",
        doc => "a doc comment",
        meta | meta_value | meta_word => "rule metadata such as `pillar security`",
        on_block | kw_on => "`on`",
        kw_as => "`as`",
        let_stmt | kw_let => "`let`",
        when_stmt | kw_when => "`when`",
        require_stmt | kw_require => "`require`",
        kw_else => "`else`",
        expr | expr_only | operand | group | list | call | callee | quantifier | current
        | number | int | prefix | op_not | op_neg | op_exists | op_empty | kw_true | kw_false
        | kw_null | kw_exists | kw_empty | kw_some | kw_all | kw_none | kw_count | quant_kind
        | conditional | object | entry | kw_if => "an expression",
        kw_then => "`then`",
        kw_document => "`document`",
        message | msg_hole | hole_body => "a message",
        infix | op_or | op_and | op_coalesce | op_eq | op_ne | op_le | op_ge | op_lt | op_gt
        | op_not_in | op_in | op_matches | op_add | op_sub | op_mul | op_div | kw_and | kw_or
        | kw_not | kw_in | kw_matches => "an operator",
        postfix | is_test | kw_is => "`is`",
        segment | seg_key | seg_wild_values | seg_quoted | seg_index | seg_wild | seg_filter
        | seg_lookup | index => "a path step such as `.Key` or `[0]`",
        key => "a property name",
        string | plain_string | raw_string => "a string",
        qname => "a name",
        ident => "a name",
        _ => return None,
    })
}

/// Where a message on the line before `pos` opened a `{` that a `"` inside it cut short:
/// `else "{v.Type ?? "gp2"}"` ends the message at the second quote when the hole is not
/// well formed.
fn unclosed_hole_before(src: &str, pos: usize) -> Option<usize> {
    let line_start = src[..pos].rfind('\n').map_or(0, |i| i + 1);
    let before = &src[line_start..pos];
    let msg = before.rfind("else \"")? + "else \"".len();
    let body = &before[msg..];
    let close = body.find('"')?;
    let text = &body[..close];
    let mut depth = 0i32;
    let mut open = None;
    for (i, c) in text.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    (depth > 0).then(|| line_start + msg + open.unwrap_or(0))
}

fn first_char_len(src: &str, pos: usize) -> usize {
    src[pos..].chars().next().map_or(0, char::len_utf8)
}

/// The `{` of `src` that is most likely never closed: of the braces still open at the end,
/// one whose partner was taken by a `}` at another indentation (the innermost such), else
/// the outermost. Strings and comments are skipped.
fn unclosed_brace(src: &str) -> Option<usize> {
    let indent = |at: usize| {
        let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        src[start..].len() - src[start..].trim_start_matches([' ', '\t']).len()
    };
    let bytes = src.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut misfit: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
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
            b'{' => open.push(i),
            b'}' => {
                if let Some(o) = open.pop() {
                    if indent(o) != indent(i) && src[o..i].contains('\n') {
                        misfit = Some(o);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let first = *open.first()?;
    Some(misfit.filter(|m| *m > first).unwrap_or(first))
}

/// The token at `pos`: a word, a run of operator characters, or one character.
fn token_at(src: &str, pos: usize) -> &str {
    let rest = &src[pos.min(src.len())..];
    let Some(first) = rest.chars().next() else {
        return "";
    };
    let len = if !first.is_ascii() && first.is_alphanumeric() {
        // Point at the one character a name cannot hold.
        first.len_utf8()
    } else if first.is_ascii_alphanumeric() || first == '_' {
        rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(rest.len())
    } else if "=!<>&|?+-*/".contains(first) {
        rest.find(|c: char| !"=!<>&|?+-*/".contains(c))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    &rest[..len]
}

/// The token found where the error is, for "found `x`".
fn found_at(token: &str, end_word: &str) -> String {
    if token.is_empty() {
        end_word.to_string()
    } else if token.trim().is_empty() {
        "a line break".to_string()
    } else {
        format!("`{token}`")
    }
}

/// Advice for tokens people bring from other languages.
fn advice(token: &str) -> Option<&'static str> {
    Some(match token {
        "&&" | "&" => "write `and` for a conjunction",
        "||" | "|" => "write `or` for a disjunction",
        "!" => "write `not` to negate",
        "=" => "write `==` to compare; `let name = …` binds a name",
        "'" => "strings are written in double quotes",
        _ => return None,
    })
}

const KEYWORDS: &[&str] = &[
    "pack", "use", "param", "pred", "rule", "on", "as", "let", "when", "require", "else", "and",
    "or", "not", "in", "matches", "exists", "empty", "is", "some", "all", "none", "count", "true",
    "false", "null", "if", "then",
];

/// The structural punctuation people forget; operators are "an operator".
const PUNCTUATION: &[&str] = &[")", "]", "}", "{", ":", ",", "="];

/// What the end of the parsed text is, for the words of an error there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The end of the file.
    File,
    /// One item re-parsed alone: its end is where the next item starts.
    Item,
    /// The expression inside a message's `{…}`.
    Hole,
}

/// One diagnostic for a pest error in `src`, whose text starts at byte `base` of `file`.
pub fn from_pest(
    error: &Error<Rule>,
    src: &str,
    file: FileId,
    base: usize,
    end: End,
) -> Diagnostic {
    let whole_file = end == End::File;
    let reported = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
    .min(src.len());
    // pest reports where the failing rule started; the detail records how far it got. When
    // it got further, the mistake is there, and only the punctuation expected there applies.
    let furthest = error
        .parse_attempts()
        .map(|a| a.max_position)
        .filter(|&m| m > reported && m <= src.len() && src.is_char_boundary(m))
        .filter(|_| {
            error.parse_attempts().is_some_and(|a| {
                a.expected_tokens()
                    .iter()
                    .any(|t| PUNCTUATION.contains(&t.to_string().as_str()))
            })
        });
    let pos = furthest.unwrap_or(reported);
    if src[pos..].trim().is_empty() || end == End::Item && pos + 1 >= src.trim_end().len() {
        if let Some(open) = unclosed_brace(src) {
            return Diagnostic::error(Code::SyntaxError, "this `{` is never closed")
                .primary(
                    Span::new(file, base + open..base + open + 1),
                    "never closed",
                )
                .secondary(
                    Span::new(file, base + pos..base + pos + first_char_len(src, pos)),
                    "the item ends here",
                )
                .help("add the missing `}`; each `{` closes at the same indentation it opens");
        }
    }
    let token = token_at(src, pos);
    let first_len = src[pos..].chars().next().map_or(0, char::len_utf8);
    let span = Span::new(file, base + pos..base + pos + token.len().max(first_len));

    if src[pos..].starts_with('"') || src[pos..].starts_with("r\"") {
        let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        if !src[pos + 1..line_end].contains('"') {
            return Diagnostic::error(Code::UnterminatedString, "unterminated string")
                .primary(
                    Span::new(file, base + pos..base + line_end),
                    "this string has no closing `\"`",
                )
                .help("strings end on the line they start; write `\\n` for a line break");
        }
    }

    let mut expected: Vec<String> = match &error.variant {
        _ if furthest.is_some() => Vec::new(),
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .filter(|r| whole_file || **r != Rule::EOI)
            .filter_map(|r| describe(*r))
            .map(str::to_string)
            .collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    // Punctuation pest was looking for (recorded while error detail is on).
    if let Some(attempts) = error.parse_attempts() {
        for t in attempts.expected_tokens() {
            // Only the structural punctuation people forget; operators are "an operator".
            let token = t.to_string();
            if PUNCTUATION.contains(&token.as_str()) {
                expected.push(format!("`{token}`"));
            }
        }
    }
    // An object literal's `{` is part of "an expression".
    if expected.iter().any(|e| e == "an expression") {
        expected.retain(|e| e != "`{`");
    }
    expected.sort_unstable_by_key(|e| (!e.starts_with('`'), e.clone()));
    expected.dedup();
    // Where only the end of the file would do, an item would too.
    if expected == ["end of file"] {
        expected = vec!["`param`, `pred` or `rule`".to_string()];
    }
    let end_word = match end {
        End::File => "end of file",
        End::Item => "the next item",
        End::Hole => "the closing `}`",
    };
    let found = found_at(token, end_word);
    let message = match expected.as_slice() {
        [] => format!("unexpected {found}"),
        [one] => format!("expected {one}, found {found}"),
        [init @ .., last] => format!("expected {} or {last}, found {found}", init.join(", ")),
    };
    let mut d = Diagnostic::error(Code::SyntaxError, message).primary(span, "unexpected here");
    if let Some(a) = advice(token) {
        d = d.help(a);
    }
    if KEYWORDS.contains(&token) && expected.iter().any(|e| e == "a name") {
        d = d.help(format!("`{token}` is a keyword; choose another name"));
    }
    let lower = token.to_ascii_lowercase();
    if token != lower && KEYWORDS.contains(&lower.as_str()) {
        d = d.help(format!("keywords are lower case: write `{lower}`"));
    }
    if token
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii() && c.is_alphanumeric())
    {
        d = d.help("names are ASCII letters, digits and `_`");
    }
    if let Some(open) = unclosed_hole_before(src, pos) {
        d = d
            .secondary(
                Span::new(file, base + open..base + open + 1),
                "this `{` of the message is not closed before the quote that ended the message",
            )
            .help("a string inside a message's `{…}` needs both its quotes, and the hole its `}`");
    }
    if token == "if" && expected.iter().any(|e| e == "`require`") {
        d = d.help(
            "`if c then a else b` is an expression; to check a resource only when `c` holds, write `when c` in the block",
        );
    }
    if token == "." {
        let next = token_at(src, pos + 1);
        if KEYWORDS.contains(&next) {
            d = d.help(format!(
                "`{next}` is a keyword, so it cannot be a part of a name; choose another word"
            ));
        }
    }
    if src[pos..].starts_with("///") {
        d = d.help(
            "doc comments (`///`) go right before `pack`, `param`, `pred` or `rule`; use `//` here",
        );
    }
    d
}
