//! The token stream `buttress fmt` lays out: a logos lexer over `.btr` text that keeps
//! comments and line breaks, and what the layout needs to know of each token. This file is
//! the formatter's only knowledge of the grammar.

use logos::Logos;

#[derive(Logos, Debug, PartialEq, Clone, Copy)]
#[logos(skip r"[ \t\r\f]+")]
pub enum Tok {
    #[token("\n")]
    Newline,
    /// `//`, `///` and `////` comments, to the end of the line.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    Comment,
    /// A plain string, whose `{…}` holes may hold strings of their own, or a raw string.
    #[token("\"", plain_string)]
    #[regex(r#"r"[^"\n]*""#)]
    Str,
    #[regex(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    Number,
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Word,
    #[regex(r"==|!=|<=|>=|\?\?|[{}()\[\],:.=<>+\-*/@?]")]
    Punct,
}

fn plain_string(lex: &mut logos::Lexer<Tok>) -> bool {
    let rest = lex.remainder().as_bytes();
    match string_end(rest, 0).or_else(|| simple_end(rest)) {
        Some(n) => {
            lex.bump(n);
            true
        }
        None => false,
    }
}

/// How many bytes after an opening quote the string ends (its closing quote included):
/// escapes are skipped, `{{` is a literal brace, and a quote inside a `{…}` hole opens a
/// nested string. `None` for a string that does not end on its line.
fn string_end(b: &[u8], depth: usize) -> Option<usize> {
    let (mut i, mut holes) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b'"' if holes == 0 => return Some(i + 1),
            b'"' if depth < 8 => i += 1 + string_end(&b[i + 1..], depth + 1)?,
            b'"' => return None,
            b'{' if holes == 0 && b.get(i + 1) == Some(&b'{') => i += 2,
            b'{' => {
                holes += 1;
                i += 1;
            }
            b'}' if holes > 0 => {
                holes -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The end of a string read without holes: to the first unescaped quote of its line (a
/// pattern such as `"a{"` is a plain string, not a template).
fn simple_end(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// One token with its text and whether whitespace stood before it on its line.
#[derive(Clone, Debug)]
pub struct Token<'s> {
    pub kind: Option<Tok>,
    pub text: &'s str,
    pub spaced: bool,
}

/// Split source into tokens; a character the lexer does not know is a token of its own
/// (the re-parse check refuses any layout that would change meaning).
pub fn lex(src: &str) -> Vec<Token<'_>> {
    let mut lexer = Tok::lexer(src);
    let mut out = Vec::new();
    let mut end = 0;
    while let Some(tok) = lexer.next() {
        let span = lexer.span();
        let gap = &src[end..span.start];
        out.push(Token {
            kind: tok.ok(),
            text: lexer.slice(),
            spaced: !gap.is_empty(),
        });
        end = span.end;
    }
    out
}

/// Keywords that begin a statement or an item: a line starting with one is not the
/// continuation of the line before.
const STARTS: &[&str] = &[
    "pack", "use", "param", "pred", "rule", "on", "let", "when", "require",
];

/// Words that join two operands: a line ending or starting with one continues.
const INFIX_WORDS: &[&str] = &[
    "and", "or", "in", "matches", "not", "is", "else", "then", "as",
];

/// Operators that are always written with a space on each side.
const SPACED_OPS: &[&str] = &["==", "!=", "<=", ">=", "<", ">", "??", "=", "+", "/"];

impl Token<'_> {
    pub fn is(&self, text: &str) -> bool {
        self.text == text && matches!(self.kind, Some(Tok::Punct) | Some(Tok::Word) | None)
    }

    pub fn word(&self) -> Option<&str> {
        (self.kind == Some(Tok::Word)).then_some(self.text)
    }

    pub fn is_comment(&self) -> bool {
        self.kind == Some(Tok::Comment)
    }

    pub fn starts_statement(&self) -> bool {
        self.word().is_some_and(|w| STARTS.contains(&w))
    }

    pub fn opens(&self) -> bool {
        self.kind == Some(Tok::Punct) && matches!(self.text, "(" | "[")
    }

    pub fn closes(&self) -> bool {
        self.kind == Some(Tok::Punct) && matches!(self.text, ")" | "]")
    }

    /// A line ending with this token goes on.
    pub fn continues_after(&self) -> bool {
        match self.kind {
            Some(Tok::Punct) => !matches!(self.text, ")" | "]" | "}" | "{" | "@" | "*" | "?"),
            Some(Tok::Word) => INFIX_WORDS.contains(&self.text),
            _ => false,
        }
    }

    /// A line starting with this token continues the one before.
    pub fn continues_before(&self) -> bool {
        match self.kind {
            Some(Tok::Punct) => !matches!(self.text, "{" | "}" | "(" | "[" | "@"),
            Some(Tok::Word) => INFIX_WORDS.contains(&self.text) && self.text != "not",
            _ => false,
        }
    }
}

/// Whether to write a space between two tokens of one line; `param` when the line declares
/// a parameter (`name: type`, where a quantifier writes ` : `).
pub fn space_between(prev: &Token, next: &Token, param: bool) -> bool {
    if next.is_comment() {
        return true;
    }
    let p = prev.kind == Some(Tok::Punct);
    let n = next.kind == Some(Tok::Punct);
    if p && prev.text == ":" {
        return true;
    }
    if n && next.text == ":" && param {
        return false;
    }
    if n && matches!(next.text, "," | ")" | "]" | ".") {
        return false;
    }
    if p && matches!(prev.text, "(" | "[" | ".") {
        return false;
    }
    if p && prev.text == "," {
        return true;
    }
    if (p && SPACED_OPS.contains(&prev.text)) || (n && SPACED_OPS.contains(&next.text)) {
        return true;
    }
    if p && prev.text == "{" || n && matches!(next.text, "{" | "}") {
        return true;
    }
    // Ambiguous pairs (`-`, `*`, `:`, a call's `(`…) keep what the author wrote.
    next.spaced
}
