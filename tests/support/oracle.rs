//! The reference evaluator: a small tree-walker over the AST, written apart from the
//! compiler and the IR. It is a check on lowering (name resolution, paths and wildcards,
//! quantifiers, statement order, folding), not on the value semantics: by design it shares
//! those (equality, ordering, `in`, arithmetic, type tests, builtins) with the IR evaluator
//! through `buttress::eval::value` and `buttress::eval::builtins`, which have tests of their
//! own. The property tests check that both evaluators give the same findings.

use buttress::ast::{
    BinaryOp, Expr, ExprKind, Item, PackFile, Quant, Segment, Stmt, TemplatePart, UnaryOp,
};
use buttress::eval::builtins;
use buttress::eval::expr::Evaluator;
use buttress::eval::value::{
    arith, contains, display, empty, equal, exists, order, type_test, Num, Truth, Val, Why,
};
use buttress::eval::Status;
use buttress::ir::{ArithOp, Builtin, Glob, Program, TypeTest};
use buttress::model::Document;
use buttress::model::InputKind;
use serde_json::Value as Json;
use std::cmp::Ordering;
use std::rc::Rc;

/// (rule id, resource index, status, message) of every failing or unknown `require`.
pub type OracleFinding = (String, Option<u32>, Status, String);

struct Oracle<'a> {
    packs: &'a [PackFile],
    params: Vec<(&'a str, Json)>,
    ev: Evaluator<'a>,
    env: Vec<(&'a str, Val<'a>)>,
    current: Vec<Val<'a>>,
}

/// Evaluate packs over a document, the slow and obvious way.
pub fn evaluate(packs: &[PackFile], doc: &Document) -> Vec<OracleFinding> {
    let empty: &'static Program = Box::leak(Box::default());
    let params = packs
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Param(p) => Some((
                p.name.name.as_str(),
                buttress::compile::constant(&p.default)?,
            )),
            _ => None,
        })
        .collect();
    let mut o = Oracle {
        packs,
        params,
        ev: Evaluator::new(empty, Some(doc)),
        env: Vec::new(),
        current: Vec::new(),
    };
    let mut out = Vec::new();
    for pack in packs {
        for item in &pack.items {
            let Item::Rule(rule) = item else { continue };
            let id = format!("{}.{}", pack.name.name, rule.name.name);
            for (ri, res) in doc.resources.iter().enumerate() {
                for block in &rule.blocks {
                    if InputKind::parse(&block.kind.name) != Some(doc.kind)
                        || !Glob::new(&block.pattern.value).matches(&res.type_name)
                    {
                        continue;
                    }
                    o.env = vec![(block.binding.name.as_str(), Val::Resource(ri as u32))];
                    // A `when` guards the whole block: lets and whens first, then requires.
                    let mut stmts: Vec<&Stmt> = block
                        .stmts
                        .iter()
                        .filter(|s| !matches!(s, Stmt::Require { .. }))
                        .collect();
                    stmts.extend(
                        block
                            .stmts
                            .iter()
                            .filter(|s| matches!(s, Stmt::Require { .. })),
                    );
                    for stmt in stmts {
                        match stmt {
                            Stmt::Let { name, value } => {
                                let v = o.eval(value);
                                o.env.push((&name.name, v));
                            }
                            Stmt::When { cond } => match o.truth(cond) {
                                Truth::True => continue,
                                Truth::False => break,
                                Truth::Unknown => {
                                    out.push((
                                        id.clone(),
                                        Some(ri as u32),
                                        Status::Unknown,
                                        String::new(),
                                    ));
                                    break;
                                }
                            },
                            Stmt::Require {
                                cond,
                                message,
                                source,
                            } => {
                                let status = match o.truth(cond) {
                                    Truth::True => continue,
                                    Truth::False => Status::Fail,
                                    Truth::Unknown => Status::Unknown,
                                };
                                let msg = match (status, message) {
                                    (Status::Unknown, _) => String::new(),
                                    (_, None) => format!("`{source}` does not hold"),
                                    (_, Some(t)) => t
                                        .parts
                                        .iter()
                                        .map(|p| match p {
                                            TemplatePart::Text(s) => s.clone(),
                                            TemplatePart::Hole(e) => {
                                                let v = o.eval(e);
                                                display(&v, &|r| {
                                                    doc.resources[r as usize].name.clone()
                                                })
                                            }
                                        })
                                        .collect(),
                                };
                                out.push((id.clone(), Some(ri as u32), status, msg));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

impl<'a> Oracle<'a> {
    fn truth(&mut self, e: &'a Expr) -> Truth {
        let v = self.eval(e);
        match v.as_bool() {
            _ if v.is_unknown() => Truth::Unknown,
            Some(b) => Truth::from_bool(b),
            None => Truth::False,
        }
    }

    fn bool_val(t: Truth) -> Val<'a> {
        match t {
            Truth::True => Val::Bool(true),
            Truth::False => Val::Bool(false),
            Truth::Unknown => Val::Unknown(Why::Unstated),
        }
    }

    fn eval(&mut self, e: &'a Expr) -> Val<'a> {
        match &e.kind {
            ExprKind::Null => Val::Owned(Rc::new(Json::Null)),
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Int(i) => Val::Int(*i),
            ExprKind::Float(f) => Val::Float(*f),
            ExprKind::Str(s) => Val::str(s),
            ExprKind::List(items) => {
                Val::List(Rc::new(items.iter().map(|i| self.eval(i)).collect()))
            }
            ExprKind::Name(n) => {
                if let Some((_, v)) = self.env.iter().rev().find(|(k, _)| k == n) {
                    return v.clone();
                }
                match self.params.iter().find(|(k, _)| k == n) {
                    Some((_, v)) => Val::Owned(Rc::new(v.clone())),
                    None => Val::Missing(None),
                }
            }
            ExprKind::Current => self.current.last().cloned().unwrap_or(Val::Missing(None)),
            ExprKind::Path(..) => {
                let mut segs = Vec::new();
                let mut cur = e;
                while let ExprKind::Path(base, seg) = &cur.kind {
                    segs.push(seg);
                    cur = base;
                }
                segs.reverse();
                let root = self.eval(cur);
                self.walk(root, &segs)
            }
            ExprKind::Call(name, args) => {
                let vals: Vec<Val<'a>> = args.iter().map(|a| self.eval(a)).collect();
                if let Some(pred) = self.pred(&name.name) {
                    let saved = std::mem::take(&mut self.env);
                    self.env = pred
                        .params
                        .iter()
                        .map(|p| p.name.as_str())
                        .zip(vals)
                        .collect();
                    let t = self.truth(&pred.body);
                    self.env = saved;
                    return Self::bool_val(t);
                }
                match Builtin::lookup(&name.name) {
                    Some(b) => builtins::call(self.ev.doc, b, &vals),
                    None => Val::Missing(None),
                }
            }
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner);
                match op {
                    UnaryOp::Not => Self::bool_val(self.truth_of(&v).negate()),
                    UnaryOp::Neg => arith(ArithOp::Sub, &Val::Int(0), &v),
                    UnaryOp::Exists => Val::Bool(exists(&v)),
                    UnaryOp::Empty => Self::bool_val(empty(&v)),
                }
            }
            ExprKind::Is(inner, ty) => {
                let v = self.eval(inner);
                match TypeTest::ALL.iter().find(|(n, _)| *n == ty.name) {
                    Some(&(_, t)) => Self::bool_val(type_test(&v, t)),
                    None => Val::Missing(None),
                }
            }
            ExprKind::If(c, a, b) => match self.truth(c) {
                Truth::True => self.eval(a),
                Truth::False => self.eval(b),
                Truth::Unknown => {
                    let (x, y) = (self.eval(a), self.eval(b));
                    if equal(&x, &y) == Truth::True {
                        x
                    } else {
                        Val::Unknown(Why::Unstated)
                    }
                }
            },
            ExprKind::Object(entries) => {
                let mut m = serde_json::Map::new();
                for (k, v) in entries {
                    let v = self.eval(v);
                    if v.is_missing() {
                        continue;
                    }
                    let names = |_| String::new();
                    let j = v
                        .to_json(&names)
                        .unwrap_or_else(|| buttress::model::unknown(""));
                    m.insert(k.value.clone(), j);
                }
                Val::Owned(Rc::new(Json::Object(m)))
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r),
            ExprKind::Quant(q, var, over, body) => {
                let coll = self.eval(over);
                let Some(items) = self.ev.members(&coll) else {
                    return Val::Unknown(Why::Unstated);
                };
                let truths: Vec<Truth> = items
                    .into_iter()
                    .map(|item| {
                        self.env.push((&var.name, item));
                        let t = self.truth(body);
                        self.env.pop();
                        t
                    })
                    .collect();
                let any = |t: Truth| truths.contains(&t);
                let unknown = any(Truth::Unknown);
                let t = match q {
                    Quant::Some if any(Truth::True) => Truth::True,
                    Quant::All if any(Truth::False) => Truth::False,
                    Quant::None if any(Truth::True) => Truth::False,
                    _ if unknown => Truth::Unknown,
                    Quant::Some => Truth::False,
                    Quant::All | Quant::None => Truth::True,
                    Quant::Count => {
                        return Val::Int(truths.iter().filter(|t| **t == Truth::True).count() as i64)
                    }
                };
                if *q == Quant::Count {
                    return Val::Unknown(Why::Unstated);
                }
                Self::bool_val(t)
            }
        }
    }

    fn truth_of(&self, v: &Val<'a>) -> Truth {
        match v.as_bool() {
            _ if v.is_unknown() => Truth::Unknown,
            Some(b) => Truth::from_bool(b),
            None => Truth::False,
        }
    }

    fn pred(&self, name: &str) -> Option<&'a buttress::ast::Pred> {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.packs
            .iter()
            .flat_map(|p| &p.items)
            .find_map(|i| match i {
                Item::Pred(p) if p.name.name == short => Some(p),
                _ => None,
            })
    }

    /// Apply path steps; after a wildcard the remaining steps map over each element.
    fn walk(&mut self, mut v: Val<'a>, segs: &[&'a Segment]) -> Val<'a> {
        for (i, seg) in segs.iter().enumerate() {
            let members = match seg {
                Segment::Key(k) => {
                    v = self.ev.get(&v, k);
                    continue;
                }
                Segment::Index(n) => {
                    v = match v.elements() {
                        _ if v.is_unknown() => v,
                        Some(items) => {
                            let at = if *n < 0 { items.len() as i64 + n } else { *n };
                            usize::try_from(at)
                                .ok()
                                .and_then(|a| items.get(a).cloned())
                                .unwrap_or(Val::Missing(None))
                        }
                        None => Val::Missing(None),
                    };
                    continue;
                }
                Segment::Lookup(key) => {
                    let k = self.eval(key);
                    v = match (k.as_str(), k.as_num()) {
                        _ if k.is_unknown() => k,
                        _ if v.is_unknown() => v,
                        (Some(s), _) if !k.is_number() => match &v {
                            Val::Resource(_) => self.ev.get_dyn(&v, s),
                            other => other.field(s).unwrap_or(Val::Missing(None)),
                        },
                        (_, Some(Num::I(i))) if k.is_number() => {
                            let items = v.elements().unwrap_or_default();
                            let at = if i < 0 { items.len() as i64 + i } else { i };
                            usize::try_from(at)
                                .ok()
                                .and_then(|a| items.get(a).cloned())
                                .unwrap_or(Val::Missing(None))
                        }
                        _ => Val::Missing(None),
                    };
                    continue;
                }
                Segment::Wild => match &v {
                    Val::Missing(_) | Val::Unknown(_) => return v,
                    _ => self.ev.members(&v).unwrap_or_default(),
                },
                Segment::Values => match v.object_values() {
                    Some(vals) => vals,
                    None if v.is_unknown() => return v,
                    None => return Val::Missing(None),
                },
                Segment::Filter(cond) => {
                    let Some(items) = (match &v {
                        Val::Missing(_) | Val::Unknown(_) => return v,
                        _ => self.ev.members(&v),
                    }) else {
                        return v;
                    };
                    let mut kept = Vec::new();
                    for item in items {
                        self.current.push(item.clone());
                        let t = self.truth(cond);
                        self.current.pop();
                        match t {
                            Truth::True => kept.push(item),
                            Truth::False => {}
                            Truth::Unknown => return Val::Unknown(Why::Unstated),
                        }
                    }
                    kept
                }
            };
            let rest = &segs[i + 1..];
            if rest.is_empty() {
                return Val::List(Rc::new(members));
            }
            let flatten = rest
                .iter()
                .any(|s| matches!(s, Segment::Wild | Segment::Values | Segment::Filter(_)));
            let mut out = Vec::new();
            for m in members {
                match self.walk(m, rest) {
                    Val::Missing(_) => {}
                    Val::List(inner) if flatten => out.extend(inner.iter().cloned()),
                    other => out.push(other),
                }
            }
            return Val::List(Rc::new(out));
        }
        v
    }

    fn binary(&mut self, op: BinaryOp, l: &'a Expr, r: &'a Expr) -> Val<'a> {
        match op {
            BinaryOp::And => {
                let a = self.truth(l);
                if a == Truth::False {
                    return Val::Bool(false);
                }
                let b = self.truth(r);
                Self::bool_val(match (a, b) {
                    (_, Truth::False) => Truth::False,
                    (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
                    _ => Truth::True,
                })
            }
            BinaryOp::Or => {
                let a = self.truth(l);
                if a == Truth::True {
                    return Val::Bool(true);
                }
                let b = self.truth(r);
                Self::bool_val(match (a, b) {
                    (_, Truth::True) => Truth::True,
                    (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
                    _ => Truth::False,
                })
            }
            BinaryOp::Coalesce => {
                let a = self.eval(l);
                if a.is_missing() || a.is_null() {
                    self.eval(r)
                } else {
                    a
                }
            }
            BinaryOp::Matches => {
                let a = self.eval(l);
                let ExprKind::Str(p) = &r.kind else {
                    return Val::Missing(None);
                };
                match a.as_str() {
                    _ if a.is_unknown() => Val::Unknown(Why::Unstated),
                    Some(s) => Val::Bool(regex::Regex::new(p).is_ok_and(|re| re.is_match(s))),
                    None => Val::Bool(false),
                }
            }
            _ => {
                let (a, b) = (self.eval(l), self.eval(r));
                match op {
                    BinaryOp::Eq => Self::bool_val(equal(&a, &b)),
                    BinaryOp::Ne => Self::bool_val(equal(&a, &b).negate()),
                    BinaryOp::In => Self::bool_val(contains(&b, &a)),
                    BinaryOp::NotIn => Self::bool_val(contains(&b, &a).negate()),
                    BinaryOp::Add => arith(ArithOp::Add, &a, &b),
                    BinaryOp::Sub => arith(ArithOp::Sub, &a, &b),
                    BinaryOp::Mul => arith(ArithOp::Mul, &a, &b),
                    BinaryOp::Div => arith(ArithOp::Div, &a, &b),
                    _ if a.is_unknown() || b.is_unknown() => Val::Unknown(Why::Unstated),
                    _ => {
                        let o = order(&a, &b);
                        Val::Bool(match op {
                            BinaryOp::Lt => o == Some(Ordering::Less),
                            BinaryOp::Le => matches!(o, Some(Ordering::Less | Ordering::Equal)),
                            BinaryOp::Gt => o == Some(Ordering::Greater),
                            _ => matches!(o, Some(Ordering::Greater | Ordering::Equal)),
                        })
                    }
                }
            }
        }
    }
}
