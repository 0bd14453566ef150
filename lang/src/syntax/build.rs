//! Parse tree → AST, one function per grammar rule, so pest's untyped tree is read in one place.

use super::parser::{BtrParser, Rule};
use super::strings::{split_template, unescape, Piece};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;
use std::sync::OnceLock;

/// Builds AST nodes for text that starts at byte `base` of `file`.
pub struct Builder<'s> {
    pub file: FileId,
    pub base: usize,
    pub src: &'s str,
    pub diagnostics: Vec<Diagnostic>,
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::infix(Rule::op_in, Assoc::Left)
                | Op::infix(Rule::op_not_in, Assoc::Left)
                | Op::infix(Rule::op_matches, Assoc::Left))
            .op(Op::infix(Rule::op_coalesce, Assoc::Left))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg) | Op::prefix(Rule::op_exists) | Op::prefix(Rule::op_empty))
            .op(Op::postfix(Rule::is_test))
    })
}

/// The first inner pair; the grammar guarantees it exists where this is called.
fn first(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    pair.into_inner()
        .next()
        .expect("grammar guarantees an inner pair")
}

impl<'s> Builder<'s> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.base + s.start()..self.base + s.end())
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn docs(&self, pairs: &mut std::iter::Peekable<Pairs<'_, Rule>>) -> String {
        let mut lines = Vec::new();
        while let Some(p) = pairs.next_if(|p| p.as_rule() == Rule::doc) {
            let text = p.as_str().trim_start_matches("///");
            lines.push(
                text.strip_prefix(' ')
                    .unwrap_or(text)
                    .trim_end()
                    .to_string(),
            );
        }
        lines.join("\n")
    }

    pub fn file(&mut self, pair: Pair<'_, Rule>) -> Option<PackFile> {
        let mut pack = None;
        let mut uses = Vec::new();
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::pack_decl => pack = Some(self.pack_decl(p)),
                Rule::use_decl => uses.push(self.use_decl(p)),
                Rule::item => items.extend(self.item(p)),
                _ => {}
            }
        }
        let (doc, name) = pack?;
        Some(PackFile {
            doc,
            name,
            uses,
            items,
        })
    }

    pub fn pack_decl(&mut self, pair: Pair<'_, Rule>) -> (String, Ident) {
        let mut inner = pair.into_inner().peekable();
        let doc = self.docs(&mut inner);
        let name = inner
            .find(|p| p.as_rule() == Rule::qname)
            .map(|p| self.ident(p));
        (doc, name.expect("grammar: pack has a name"))
    }

    pub fn use_decl(&mut self, pair: Pair<'_, Rule>) -> Ident {
        let name = pair.into_inner().find(|p| p.as_rule() == Rule::qname);
        self.ident(name.expect("grammar: use has a name"))
    }

    pub fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let mut inner = pair.into_inner().peekable();
        let doc = self.docs(&mut inner);
        let decl = inner.next()?;
        Some(match decl.as_rule() {
            Rule::param_decl => {
                let mut p = decl.into_inner().skip(1);
                let name = self.ident(p.next()?);
                let ty = self.ident(p.next()?);
                let default = self.expr(p.next()?);
                Item::Param(Param {
                    doc,
                    name,
                    ty,
                    default,
                })
            }
            Rule::pred_decl => {
                let mut p: Vec<_> = decl.into_inner().skip(1).collect();
                let body = self.expr(p.pop()?);
                let mut p = p.into_iter();
                let name = self.ident(p.next()?);
                let params = p.map(|i| self.ident(i)).collect();
                Item::Pred(Pred {
                    doc,
                    name,
                    params,
                    body,
                })
            }
            Rule::rule_decl => Item::Rule(self.rule(decl, doc)?),
            _ => return None,
        })
    }

    fn rule(&mut self, pair: Pair<'_, Rule>, doc: String) -> Option<Rule_> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next()?);
        let mut meta = Vec::new();
        let mut blocks = Vec::new();
        for p in inner {
            match p.as_rule() {
                Rule::meta => meta.push(self.meta(p)?),
                Rule::on_block => blocks.push(self.on_block(p)?),
                _ => {}
            }
        }
        Some(Rule_ {
            doc,
            name,
            meta,
            blocks,
            span,
        })
    }

    fn meta(&mut self, pair: Pair<'_, Rule>) -> Option<Meta> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let key = self.ident(inner.next()?);
        let value_pair = inner.next()?;
        let parts: Vec<_> = value_pair.into_inner().collect();
        let value = if parts.len() == 1 && parts[0].as_rule() == Rule::meta_word {
            MetaValue::Word(self.ident(parts[0].clone()))
        } else {
            MetaValue::Strings(parts.into_iter().map(|p| self.string(p)).collect())
        };
        Some(Meta { key, value, span })
    }

    fn on_block(&mut self, pair: Pair<'_, Rule>) -> Option<OnBlock> {
        let span = self.span(&pair);
        let mut inner = pair
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_on | Rule::kw_as))
            .peekable();
        let kind = self.ident(inner.next()?);
        let target = inner.next()?;
        let document = target.as_rule() == Rule::kw_document;
        let (pattern, binding) = if document {
            let at = self.span(&target);
            let binding = match inner.next_if(|p| p.as_rule() == Rule::ident) {
                Some(b) => self.ident(b),
                None => Ident {
                    name: String::new(),
                    span: at,
                },
            };
            let pattern = StrLit {
                value: String::new(),
                span: at,
                content_start: at.start,
                raw: false,
            };
            (pattern, binding)
        } else {
            let pattern = self.string(target);
            (pattern, self.ident(inner.next()?))
        };
        let stmts = inner.filter_map(|p| self.stmt(p)).collect();
        Some(OnBlock {
            kind,
            pattern,
            document,
            binding,
            stmts,
            span,
        })
    }

    fn stmt(&mut self, pair: Pair<'_, Rule>) -> Option<Stmt> {
        let rule = pair.as_rule();
        let mut inner = pair.into_inner().skip(1);
        Some(match rule {
            Rule::let_stmt => {
                let name = self.ident(inner.next()?);
                Stmt::Let {
                    name,
                    value: self.expr(inner.next()?),
                }
            }
            Rule::when_stmt => Stmt::When {
                cond: self.expr(inner.next()?),
            },
            Rule::require_stmt => {
                let cond_pair = inner.next()?;
                let source = cond_pair
                    .as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let cond = self.expr(cond_pair);
                let message = inner.nth(1).map(|s| self.template(s));
                Stmt::Require {
                    cond,
                    message,
                    source,
                }
            }
            _ => return None,
        })
    }

    /// A string literal (the `string` pair).
    pub fn string(&mut self, pair: Pair<'_, Rule>) -> StrLit {
        let span = self.span(&pair);
        let inner = first(pair);
        let raw = inner.as_rule() == Rule::raw_string;
        let text = inner.as_str();
        let open = if raw { 2 } else { 1 };
        let content = &text[open..text.len() - 1];
        let content_start = span.start + open as u32;
        let value = if raw {
            content.to_string()
        } else {
            match unescape(content) {
                Ok(v) => v,
                Err((s, e)) => {
                    let at = Span::new(
                        self.file,
                        content_start as usize + s..content_start as usize + e,
                    );
                    self.diagnostics.push(
                        Diagnostic::error(Code::BadEscape, "invalid escape in a string")
                            .primary(at, "not one of \\n \\t \\r \\\" \\\\ \\/ \\u{…}")
                            .help("for a regular expression write a raw string, r\"^\\d+$\", in which `\\` is plain"),
                    );
                    content.to_string()
                }
            }
        };
        StrLit {
            value,
            span,
            content_start,
            raw,
        }
    }

    /// A message: a `message` pair (holes may hold strings) or a raw string.
    fn template(&mut self, pair: Pair<'_, Rule>) -> Template {
        let lit = if pair.as_rule() == Rule::message {
            let span = self.span(&pair);
            let text = pair.as_str();
            StrLit {
                value: text[1..text.len() - 1].to_string(),
                span,
                content_start: span.start + 1,
                raw: false,
            }
        } else {
            self.string(pair)
        };
        let text = &self.src
            [lit.content_start as usize - self.base..lit.span.end as usize - self.base - 1];
        let start = lit.content_start as usize;
        let pieces = match split_template(text) {
            Ok(p) => p,
            Err(r) => {
                self.diagnostics.push(
                    Diagnostic::error(Code::BadTemplate, "stray brace in a message")
                        .primary(
                            Span::new(self.file, start + r.start..start + r.end),
                            "this brace opens or closes nothing",
                        )
                        .help("write `{{` or `}}` for a literal brace, `{expr}` to insert a value; a string in a hole needs its closing quote"),
                );
                return Template {
                    parts: vec![TemplatePart::Text(lit.value)],
                    span: lit.span,
                };
            }
        };
        let mut parts = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Literal(s) => parts.push(TemplatePart::Text(s.to_string())),
                Piece::Text(r) => {
                    let t = &text[r];
                    let t = if lit.raw {
                        t.to_string()
                    } else {
                        unescape(t).unwrap_or_else(|_| t.to_string())
                    };
                    parts.push(TemplatePart::Text(t));
                }
                Piece::Hole(r) => {
                    let hole = &text[r.clone()];
                    let at = start + r.start;
                    match BtrParser::parse(Rule::expr_only, hole) {
                        Ok(mut pairs) => {
                            let mut sub = Builder {
                                file: self.file,
                                base: at,
                                src: hole,
                                diagnostics: Vec::new(),
                            };
                            let expr = sub.expr(first(pairs.next().expect("expr_only")));
                            self.diagnostics.append(&mut sub.diagnostics);
                            parts.push(TemplatePart::Hole(expr));
                        }
                        Err(e) => {
                            let mut d = super::errors::from_pest(
                                &e,
                                hole,
                                self.file,
                                at,
                                super::errors::End::Hole,
                            );
                            d.code = Code::BadTemplate;
                            d.message = format!("in a message's `{{…}}`: {}", d.message);
                            self.diagnostics.push(d.help(
                                "a `{…}` in a message holds an expression, such as `{name(b)}`",
                            ));
                        }
                    }
                }
            }
        }
        Template {
            parts,
            span: lit.span,
        }
    }

    pub fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let pairs = pair.into_inner();
        let this = std::cell::RefCell::new(self);
        let expr = pratt()
            .map_primary(|p| this.borrow_mut().operand(p))
            .map_prefix(|op, rhs| {
                let span = this.borrow().span(&op).to(rhs.span);
                let op = match op.as_rule() {
                    Rule::op_not => UnaryOp::Not,
                    Rule::op_neg => UnaryOp::Neg,
                    Rule::op_exists => UnaryOp::Exists,
                    _ => UnaryOp::Empty,
                };
                Expr {
                    kind: ExprKind::Unary(op, Box::new(rhs)),
                    span,
                }
            })
            .map_postfix(|lhs, op| {
                let b = this.borrow();
                let span = lhs.span.to(b.span(&op));
                let ty = b.ident(op.into_inner().nth(1).expect("grammar: is has a type"));
                Expr {
                    kind: ExprKind::Is(Box::new(lhs), ty),
                    span,
                }
            })
            .map_infix(|lhs, op, rhs| {
                let op = match op.as_rule() {
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_and => BinaryOp::And,
                    Rule::op_coalesce => BinaryOp::Coalesce,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_in => BinaryOp::In,
                    Rule::op_not_in => BinaryOp::NotIn,
                    Rule::op_matches => BinaryOp::Matches,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    _ => BinaryOp::Div,
                };
                let span = lhs.span.to(rhs.span);
                Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                }
            })
            .parse(pairs);
        expr
    }

    fn operand(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let mut inner = pair.into_inner();
        let mut expr = self.atom(inner.next().expect("grammar: operand has an atom"));
        for seg in inner {
            let span = expr.span.to(self.span(&seg));
            let segment = match seg.as_rule() {
                Rule::seg_key => Segment::Key(first(seg).as_str().to_string()),
                Rule::seg_quoted => Segment::Key(self.string(first(seg)).value),
                Rule::seg_index => {
                    let s = first(seg);
                    Segment::Index(self.int(&s).unwrap_or(0))
                }
                Rule::seg_wild => Segment::Wild,
                Rule::seg_wild_values => Segment::Values,
                Rule::seg_lookup => Segment::Lookup(Box::new(self.expr(first(seg)))),
                _ => Segment::Filter(Box::new(self.expr(first(seg)))),
            };
            expr = Expr {
                kind: ExprKind::Path(Box::new(expr), segment),
                span,
            };
        }
        expr
    }

    fn int(&mut self, pair: &Pair<'_, Rule>) -> Option<i64> {
        match pair.as_str().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.diagnostics.push(
                    Diagnostic::error(Code::BadNumber, "integer out of range")
                        .primary(self.span(pair), "does not fit in 64 bits")
                        .help("integers range from -9223372036854775808 to 9223372036854775807"),
                );
                None
            }
        }
    }

    fn atom(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::kw_true => ExprKind::Bool(true),
            Rule::kw_false => ExprKind::Bool(false),
            Rule::kw_null => ExprKind::Null,
            Rule::number => {
                let text = pair.as_str();
                if text.contains(['.', 'e', 'E']) {
                    match text.parse::<f64>() {
                        Ok(f) if f.is_finite() => ExprKind::Float(f),
                        _ => {
                            self.diagnostics.push(
                                Diagnostic::error(Code::BadNumber, "number out of range")
                                    .primary(span, "not a finite 64-bit float"),
                            );
                            ExprKind::Float(0.0)
                        }
                    }
                } else {
                    ExprKind::Int(self.int(&pair).unwrap_or(0))
                }
            }
            Rule::string => ExprKind::Str(self.string(pair).value),
            Rule::ident => ExprKind::Name(pair.as_str().to_string()),
            Rule::current => ExprKind::Current,
            Rule::group => {
                // The parentheses belong to the expression's span (`(a ?? 8) > 0` reads whole).
                let mut e = self.expr(first(pair));
                e.span = span;
                return e;
            }
            Rule::list => ExprKind::List(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::conditional => {
                let mut parts = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr)
                    .map(|p| Box::new(self.expr(p)));
                let (c, a, b) = (parts.next(), parts.next(), parts.next());
                match (c, a, b) {
                    (Some(c), Some(a), Some(b)) => ExprKind::If(c, a, b),
                    _ => unreachable!("grammar: if has three expressions"),
                }
            }
            Rule::object => {
                let mut entries = Vec::new();
                for entry in pair.into_inner() {
                    let mut kv = entry.into_inner();
                    let (Some(k), Some(v)) = (kv.next(), kv.next()) else {
                        continue;
                    };
                    let key = if k.as_rule() == Rule::string {
                        self.string(k)
                    } else {
                        let span = self.span(&k);
                        StrLit {
                            value: k.as_str().to_string(),
                            span,
                            content_start: span.start,
                            raw: true,
                        }
                    };
                    entries.push((key, self.expr(v)));
                }
                ExprKind::Object(entries)
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next().expect("grammar: call has a callee"));
                ExprKind::Call(name, inner.map(|p| self.expr(p)).collect())
            }
            _ => {
                // quantifier
                let mut inner = pair.into_inner();
                let kind = match first(inner.next().expect("grammar: quantifier kind")).as_rule() {
                    Rule::kw_some => Quant::Some,
                    Rule::kw_all => Quant::All,
                    Rule::kw_none => Quant::None,
                    _ => Quant::Count,
                };
                let var = self.ident(inner.next().expect("grammar: quantifier variable"));
                let mut rest = inner.filter(|p| p.as_rule() != Rule::kw_in);
                let over = self.operand(rest.next().expect("grammar: quantifier collection"));
                let body = self.expr(rest.next().expect("grammar: quantifier body"));
                ExprKind::Quant(kind, var, Box::new(over), Box::new(body))
            }
        };
        Expr { kind, span }
    }
}

/// `Rule` is pest's; the AST's rule type is re-exported under this name here.
type Rule_ = crate::ast::Rule;
