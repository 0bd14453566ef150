//! String literals: escape processing, and the logos lexer for `{expr}` message templates.

use logos::Logos;

/// The escapes a plain string may use.
pub fn unescape(content: &str) -> Result<String, (usize, usize)> {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, '/')) => out.push('/'),
            Some((j, 'u')) => {
                let rest = &content[j + 1..];
                let close = rest.find('}').filter(|_| rest.starts_with('{'));
                let decoded = close
                    .and_then(|e| u32::from_str_radix(&rest[1..e], 16).ok())
                    .and_then(char::from_u32);
                match (decoded, close) {
                    (Some(ch), Some(e)) => {
                        out.push(ch);
                        for _ in 0..=e {
                            chars.next();
                        }
                    }
                    _ => return Err((i, j + 1 + close.map_or(0, |e| e + 1))),
                }
            }
            Some((j, other)) => return Err((i, j + other.len_utf8())),
            None => return Err((i, i + 1)),
        }
    }
    Ok(out)
}

/// Tokens of a message template's raw text. Strings are tokens of their own so that a
/// hole may hold one (`{join(ports, ", ")}`); braces are counted so that it may hold an
/// object (`{tags ?? {}}`).
#[derive(Logos, Debug, PartialEq, Clone, Copy)]
pub enum TemplateToken {
    #[token("{{")]
    OpenBrace,
    #[token("}}")]
    CloseBrace,
    #[token("{")]
    Open,
    #[token("}")]
    Close,
    #[regex(r#""([^"\\\n]|\\.)*""#)]
    Quoted,
    #[regex(r#"([^{}"\\]|\\.)+"#)]
    Text,
}

/// A piece of a template, with byte ranges relative to the raw text.
#[derive(Debug, PartialEq)]
pub enum Piece {
    Text(std::ops::Range<usize>),
    Literal(&'static str),
    /// The range of the expression between the braces.
    Hole(std::ops::Range<usize>),
}

/// Split a template's raw text; `Err` carries the range of a stray or unclosed brace.
pub fn split_template(raw: &str) -> Result<Vec<Piece>, std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let mut lexer = TemplateToken::lexer(raw);
    // The opening brace of the hole being read, and how many braces are open in it.
    let mut hole: Option<(usize, usize)> = None;
    while let Some(token) = lexer.next() {
        let span = lexer.span();
        let token = token.map_err(|_| span.start..span.start + 1)?;
        let Some((open, depth)) = hole else {
            pieces.push(match token {
                TemplateToken::OpenBrace => Piece::Literal("{"),
                TemplateToken::CloseBrace => Piece::Literal("}"),
                TemplateToken::Close => return Err(span.start..span.start + 1),
                TemplateToken::Open => {
                    hole = Some((span.start, 1));
                    continue;
                }
                TemplateToken::Quoted | TemplateToken::Text => Piece::Text(span),
            });
            continue;
        };
        let (opens, closes) = match token {
            TemplateToken::Open => (1, 0),
            TemplateToken::OpenBrace => (2, 0),
            TemplateToken::Close => (0, 1),
            TemplateToken::CloseBrace => (0, 2),
            TemplateToken::Quoted | TemplateToken::Text => (0, 0),
        };
        let depth = depth + opens;
        if closes >= depth {
            if closes > depth {
                return Err(span.end - 1..span.end);
            }
            pieces.push(Piece::Hole(open + 1..span.end - 1));
            hole = None;
        } else {
            hole = Some((open, depth - closes));
        }
    }
    match hole {
        Some((open, _)) => Err(open..open + 1),
        None => Ok(pieces),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape(r#"a\n\"b\u{e9}"#).unwrap(), "a\n\"bé");
        assert_eq!(unescape(r"\d"), Err((0, 2)));
        assert!(unescape(r"\u{zz}").is_err());
    }

    #[test]
    fn templates_split_into_text_and_holes() {
        let p = split_template("{name(db)} has {{x}} {n}").unwrap();
        assert_eq!(
            p,
            vec![
                Piece::Hole(1..9),
                Piece::Text(10..15),
                Piece::Literal("{"),
                Piece::Text(17..18),
                Piece::Literal("}"),
                Piece::Text(20..21),
                Piece::Hole(22..23),
            ]
        );
        assert_eq!(split_template("a { b"), Err(2..3));
        assert_eq!(split_template("a } b"), Err(2..3));
    }

    #[test]
    fn holes_hold_strings_and_objects() {
        let raw = r#"ports {join(p, ", ")} tags {t ?? {}} {x ?? "}"}"#;
        let p = split_template(raw).unwrap();
        let holes: Vec<&str> = p
            .iter()
            .filter_map(|x| match x {
                Piece::Hole(r) => Some(&raw[r.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(holes, vec![r#"join(p, ", ")"#, "t ?? {}", r#"x ?? "}""#]);
        assert_eq!(split_template(r#"say \"hi\" {n}"#).unwrap().len(), 2);
        assert_eq!(split_template("a {b"), Err(2..3));
    }
}
