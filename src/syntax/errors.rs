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
        meta | meta_value => "rule metadata such as `pillar security`",
        on_block | kw_on => "`on`",
        kw_as => "`as`",
        let_stmt | kw_let => "`let`",
        when_stmt | kw_when => "`when`",
        require_stmt | kw_require => "`require`",
        kw_else => "`else`",
        expr | expr_only | operand | group | list | call | callee | quantifier | current
        | number | int | prefix | op_not | op_neg | op_exists | op_empty | kw_true | kw_false
        | kw_null | kw_exists | kw_empty | kw_some | kw_all | kw_none | kw_count | quant_kind => {
            "an expression"
        }
        infix | op_or | op_and | op_coalesce | op_eq | op_ne | op_le | op_ge | op_lt | op_gt
        | op_not_in | op_in | op_matches | op_add | op_sub | op_mul | op_div | kw_and | kw_or
        | kw_not | kw_in | kw_matches => "an operator",
        postfix | is_test | kw_is => "`is`",
        segment | seg_key | seg_wild_values | seg_quoted | seg_index | seg_wild | seg_filter
        | index => "a path step such as `.Key` or `[0]`",
        key => "a property name",
        string | plain_string | raw_string => "a string",
        qname => "a name",
        ident => "a name",
        _ => return None,
    })
}

/// The token at `pos`: a word, a run of operator characters, or one character.
fn token_at(src: &str, pos: usize) -> &str {
    let rest = &src[pos.min(src.len())..];
    let Some(first) = rest.chars().next() else {
        return "";
    };
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !c.is_alphanumeric() && c != '_')
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
    "false", "null",
];

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
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
    .min(src.len());
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
            if [")", "]", "}", "{", ":", ",", "="].contains(&token.as_str()) {
                expected.push(format!("`{token}`"));
            }
        }
    }
    expected.sort_unstable_by_key(|e| (!e.starts_with('`'), e.clone()));
    expected.dedup();
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
    if src[pos..].starts_with("///") {
        d = d.help(
            "doc comments (`///`) go right before `pack`, `param`, `pred` or `rule`; use `//` here",
        );
    }
    d
}
