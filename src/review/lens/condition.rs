//! `riskRules` conditions: choice ids joined by `&&`, `||`, `!` and parentheses, or `default`.
//! Parsed to a small tree, evaluated over the selected choices, and checked for overlap (two
//! non-default conditions that some selection satisfies both).

use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Default,
    Choice(String),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Id(String),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            '(' => out.push(Tok::Open),
            ')' => out.push(Tok::Close),
            '!' => out.push(Tok::Not),
            '&' | '|' => {
                if chars.next().map(|(_, d)| d) != Some(c) {
                    return Err(format!("`{c}` at {i} must be doubled: `{c}{c}`"));
                }
                out.push(if c == '&' { Tok::And } else { Tok::Or });
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut id = c.to_string();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        id.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Id(id));
            }
            other => return Err(format!("unexpected `{other}` at {i}")),
        }
    }
    Ok(out)
}

struct P {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn or(&mut self) -> Result<Cond, String> {
        let mut l = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            l = Cond::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut l = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.at += 1;
            l = Cond::And(Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Cond, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("the condition nests too deeply".into());
        }
        let tok = self.toks.get(self.at).cloned();
        self.at += 1;
        let c = match tok {
            Some(Tok::Not) => Cond::Not(Box::new(self.unary()?)),
            Some(Tok::Open) => {
                let inner = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err("a `(` is not closed".into());
                }
                self.at += 1;
                inner
            }
            Some(Tok::Id(id)) => Cond::Choice(id),
            Some(t) => return Err(format!("expected a choice id, found {t:?}")),
            None => return Err("the condition ends too soon".into()),
        };
        self.depth -= 1;
        Ok(c)
    }
}

/// Parse a condition.
pub fn parse(text: &str) -> Result<Cond, String> {
    if text.trim() == "default" {
        return Ok(Cond::Default);
    }
    let toks = lex(text)?;
    if toks.is_empty() {
        return Err("the condition is empty".into());
    }
    let mut p = P {
        toks,
        at: 0,
        depth: 0,
    };
    let c = p.or()?;
    if p.at != p.toks.len() {
        return Err("unexpected text after the condition".into());
    }
    Ok(c)
}

impl Cond {
    pub fn eval(&self, selected: &BTreeSet<&str>) -> bool {
        match self {
            Cond::Default => true,
            Cond::Choice(c) => selected.contains(c.as_str()),
            Cond::Not(c) => !c.eval(selected),
            Cond::And(a, b) => a.eval(selected) && b.eval(selected),
            Cond::Or(a, b) => a.eval(selected) || b.eval(selected),
        }
    }

    /// The choice ids it names.
    pub fn choices<'a>(&'a self, out: &mut BTreeSet<&'a str>) {
        match self {
            Cond::Default => {}
            Cond::Choice(c) => {
                out.insert(c);
            }
            Cond::Not(c) => c.choices(out),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.choices(out);
                b.choices(out);
            }
        }
    }
}

/// A condition over choice indices, for the overlap search.
enum Mask {
    True,
    Var(u32),
    Not(Box<Mask>),
    And(Box<Mask>, Box<Mask>),
    Or(Box<Mask>, Box<Mask>),
}

impl Mask {
    fn new(c: &Cond, names: &[&str]) -> Mask {
        match c {
            Cond::Default => Mask::True,
            Cond::Choice(n) => Mask::Var(names.iter().position(|x| x == n).unwrap_or(0) as u32),
            Cond::Not(a) => Mask::Not(Box::new(Mask::new(a, names))),
            Cond::And(a, b) => {
                Mask::And(Box::new(Mask::new(a, names)), Box::new(Mask::new(b, names)))
            }
            Cond::Or(a, b) => {
                Mask::Or(Box::new(Mask::new(a, names)), Box::new(Mask::new(b, names)))
            }
        }
    }

    fn eval(&self, m: u32) -> bool {
        match self {
            Mask::True => true,
            Mask::Var(i) => m & (1 << i) != 0,
            Mask::Not(a) => !a.eval(m),
            Mask::And(a, b) => a.eval(m) && b.eval(m),
            Mask::Or(a, b) => a.eval(m) || b.eval(m),
        }
    }
}

/// A selection of choices that satisfies both conditions, if there is one. Only the choices
/// the two conditions name matter, so at most 2^n selections are tried (`None` past n = 16).
pub fn overlap<'a>(a: &'a Cond, b: &'a Cond) -> Option<BTreeSet<&'a str>> {
    let mut names = BTreeSet::new();
    a.choices(&mut names);
    b.choices(&mut names);
    let names: Vec<&str> = names.into_iter().collect();
    if names.len() > 16 {
        return None;
    }
    let (ma, mb) = (Mask::new(a, &names), Mask::new(b, &names));
    let mask = (0u32..1 << names.len()).find(|&m| ma.eval(m) && mb.eval(m))?;
    Some(
        names
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel<'a>(ids: &[&'a str]) -> BTreeSet<&'a str> {
        ids.iter().copied().collect()
    }

    #[test]
    fn conditions_parse_and_evaluate() {
        let c = parse("a && (b || !c)").unwrap();
        assert!(c.eval(&sel(&["a", "b"])));
        assert!(c.eval(&sel(&["a"])));
        assert!(!c.eval(&sel(&["a", "c"])));
        assert!(!c.eval(&sel(&["b"])));
        assert_eq!(parse(" default ").unwrap(), Cond::Default);
        assert!(parse("a & b").is_err());
        assert!(parse("(a").is_err());
        assert!(parse("a b").is_err());
        assert!(parse("").is_err());
        assert!(parse(&"(".repeat(200)).is_err());
    }

    #[test]
    fn overlapping_conditions_are_found() {
        let a = parse("a && b").unwrap();
        let b = parse("a").unwrap();
        assert_eq!(overlap(&a, &b), Some(sel(&["a", "b"])));
        let c = parse("!a").unwrap();
        assert_eq!(overlap(&a, &c), None);
    }
}
