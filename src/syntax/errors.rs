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

/// The token found where the error is, for "found `x`".
fn found_at(src: &str, pos: usize) -> String {
    let rest = &src[pos.min(src.len())..];
    let Some(first) = rest.chars().next() else {
        return "end of file".to_string();
    };
    let token: String = if first.is_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    } else {
        first.to_string()
    };
    if token.trim().is_empty() {
        "a line break".to_string()
    } else {
        format!("`{token}`")
    }
}

const KEYWORDS: &[&str] = &[
    "pack", "use", "param", "pred", "rule", "on", "as", "let", "when", "require", "else", "and",
    "or", "not", "in", "matches", "exists", "empty", "is", "some", "all", "none", "count", "true",
    "false", "null",
];

/// One diagnostic for a pest error in `src`, whose text starts at byte `base` of `file`.
pub fn from_pest(error: &Error<Rule>, src: &str, file: FileId, base: usize) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let end = (pos
        + src[pos.min(src.len())..]
            .chars()
            .next()
            .map_or(0, char::len_utf8))
    .max(pos);
    let span = Span::new(file, base + pos..base + end);

    if src[pos.min(src.len())..].starts_with('"') || src[pos.min(src.len())..].starts_with("r\"") {
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

    let mut expected: Vec<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let found = found_at(src, pos);
    let message = match expected.as_slice() {
        [] => format!("unexpected {found}"),
        [one] => format!("expected {one}, found {found}"),
        [init @ .., last] => format!("expected {} or {last}, found {found}", init.join(", ")),
    };
    let mut d = Diagnostic::error(Code::SyntaxError, message).primary(span, "unexpected here");
    let word = found.trim_matches('`');
    if KEYWORDS.contains(&word) && expected.contains(&"a name") {
        d = d.help(format!("`{word}` is a keyword; choose another name"));
    }
    if src[pos.min(src.len())..].starts_with("///") {
        d = d.help(
            "doc comments (`///`) go right before `pack`, `param`, `pred` or `rule`; use `//` here",
        );
    }
    d
}
