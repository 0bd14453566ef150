//! `buttress fmt`: one canonical layout for `.btr` files, written over the token stream so
//! every comment stays and syntax the formatter does not know passes through.
//!
//! The layout: two spaces of indentation per `{`, two more for a line that continues a
//! statement (inside brackets, after an operator or before `else`); single spaces around
//! binary operators and after commas, none inside brackets; a rule's metadata values
//! aligned; trailing whitespace and repeated blank lines removed. Line breaks are the
//! author's. A layout is only used when the file parses to the same syntax tree after it.

mod tokens;

use tokens::{lex, space_between, Token};

/// What a `{` opened, for metadata alignment.
#[derive(Clone, Copy, PartialEq)]
enum Brace {
    Rule,
    Other,
}

/// One line of output before metadata alignment.
struct Line {
    indent: usize,
    text: String,
    /// The length of the metadata key, when the line is `key value` in a rule body.
    meta_key: Option<usize>,
    /// The rule body the line is in (for alignment), by the position of its `{`.
    rule: Option<usize>,
    /// A line holding only a comment, indented like the code line after it.
    comment: bool,
    /// The line starts with `}`.
    closes: bool,
}

/// Lay out a rule file. The caller checks the result parses to the same tree.
pub fn format(src: &str) -> String {
    let tokens = lex(src);
    let mut lines: Vec<Vec<Token>> = vec![Vec::new()];
    for t in tokens {
        if t.kind == Some(tokens::Tok::Newline) {
            lines.push(Vec::new());
        } else if let Some(last) = lines.last_mut() {
            last.push(t);
        }
    }
    let mut out: Vec<Option<Line>> = Vec::new();
    let mut braces: Vec<(Brace, usize)> = Vec::new();
    // The level of the line that opened each `(` or `[` still open.
    let mut open: Vec<usize> = Vec::new();
    let mut last_code: Option<Token> = None;
    let mut prev_word_rule = false;
    for (n, line) in lines.iter().enumerate() {
        let Some(first) = line.first() else {
            out.push(None);
            continue;
        };
        // Leading `}` set this line's depth.
        let depth = braces.len()
            - line
                .iter()
                .take_while(|t| t.is("}"))
                .count()
                .min(braces.len());
        let code = !first.is_comment();
        let continues = code
            && !first.starts_statement()
            && !first.is("}")
            && (last_code.as_ref().is_some_and(Token::continues_after) || first.continues_before());
        // A closing bracket stands at the level of the line that opened it; a line inside
        // brackets one deeper; a continued statement one deeper than its first line.
        let level = if first.closes() {
            open.last().copied().unwrap_or(0)
        } else if let Some(&opener) = open.last() {
            opener + 1
        } else {
            usize::from(continues)
        };
        let brackets = open.len();
        let in_rule = braces.last().filter(|b| b.0 == Brace::Rule).map(|b| b.1);
        let meta_key = (in_rule.is_some() && code && !continues && brackets == 0)
            .then(|| first.word().filter(|w| *w != "on").map(str::len))
            .flatten();
        let mut text = String::new();
        let param = first.word() == Some("param");
        for (i, t) in line.iter().enumerate() {
            if i > 0 && space_between(&line[i - 1], t, param) {
                text.push(' ');
            }
            text.push_str(t.text.trim_end());
        }
        out.push(Some(Line {
            indent: 2 * (depth + level),
            text,
            meta_key: meta_key.filter(|_| line.len() > 1),
            rule: in_rule,
            comment: !code,
            closes: first.is("}"),
        }));
        for t in line {
            if t.is("{") {
                braces.push((
                    if prev_word_rule {
                        Brace::Rule
                    } else {
                        Brace::Other
                    },
                    n,
                ));
            } else if t.is("}") {
                braces.pop();
            } else if t.opens() {
                open.push(level);
            } else if t.closes() {
                open.pop();
            }
            if !t.is_comment() {
                prev_word_rule = match t.word() {
                    Some("rule") => true,
                    Some(_) => prev_word_rule && t.word().is_some(),
                    None => false,
                };
                // `rule NAME {`: the word after `rule` keeps the flag for the brace.
            }
        }
        if let Some(t) = line.iter().rev().find(|t| !t.is_comment()) {
            last_code = Some(t.clone());
        }
    }
    render(out)
}

/// Align metadata values per rule, indent comment lines like the code after them (unless
/// that closes a block), drop repeated blank lines, end with one newline.
fn render(mut lines: Vec<Option<Line>>) -> String {
    let mut next: Option<usize> = None;
    for l in lines.iter_mut().rev().flatten() {
        if l.comment {
            if let Some(indent) = next {
                l.indent = indent;
            }
        } else {
            next = (!l.closes).then_some(l.indent);
        }
    }
    let mut width = std::collections::HashMap::new();
    for l in lines.iter().flatten() {
        if let (Some(k), Some(r)) = (l.meta_key, l.rule) {
            let w = width.entry(r).or_insert(0);
            *w = (*w).max(k);
        }
    }
    let mut out = String::new();
    let mut blank = true;
    for line in &lines {
        match line {
            None => {
                if !blank {
                    out.push('\n');
                }
                blank = true;
            }
            Some(l) => {
                out.push_str(&" ".repeat(l.indent));
                match (l.meta_key, l.rule.and_then(|r| width.get(&r))) {
                    (Some(k), Some(&w)) => {
                        let (key, rest) = l.text.split_at(k);
                        out.push_str(key);
                        out.push_str(&" ".repeat(w - k + 1));
                        out.push_str(rest.trim_start());
                    }
                    _ => out.push_str(&l.text),
                }
                out.push('\n');
                blank = false;
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.trim().is_empty() {
        return String::new();
    }
    out
}

/// Why a layout was refused.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// The file does not parse; its diagnostics say why.
    Syntax(Vec<crate::diagnostics::Diagnostic>),
    /// The layout would change the tree, or lose a comment (a bug of the formatter).
    Changed(&'static str),
}

/// Format a file and prove it safe: the result parses to the same tree and keeps every
/// comment. `Ok` holds the formatted text (equal to `src` when it is already formatted).
pub fn format_checked(file: crate::source::FileId, src: &str) -> Result<String, Refusal> {
    let (before, diags) = crate::syntax::parse_file(file, src);
    let Some(before) = before else {
        return Err(Refusal::Syntax(diags));
    };
    let out = format(src);
    if out == src {
        return Ok(out);
    }
    let (after, _) = crate::syntax::parse_file(file, &out);
    match after {
        None => Err(Refusal::Changed("the formatted text does not parse")),
        Some(after) if after.without_layout() != before.without_layout() => Err(Refusal::Changed(
            "the formatted text parses to another syntax tree",
        )),
        Some(_) if comments(&out) != comments(src) => Err(Refusal::Changed(
            "the formatted text lost or changed a comment",
        )),
        Some(_) => Ok(out),
    }
}

fn comments(src: &str) -> Vec<&str> {
    lex(src)
        .into_iter()
        .filter(Token::is_comment)
        .map(|t| t.text.trim_end())
        .collect()
}
