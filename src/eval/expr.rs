//! Evaluation of IR nodes to values, and of conditions to a truth with the value to blame.

use super::builtins;
use super::value::{display, equal, order, wrap_doc, wrap_owned, Absent, Num, Truth, Val};
use crate::input::model::Document;
use crate::ir::{ArithOp, CmpOp, Node, NodeId, Program, QuantKind, TypeTest};
use serde_json::Value as Json;
use std::cmp::Ordering;
use std::rc::Rc;

/// The value a condition's outcome is pinned on, for the finding's location.
#[derive(Clone, Copy, Debug)]
pub enum Blame<'a> {
    Node(&'a Json),
    Absent(Absent<'a>),
}

/// Pick the first operand that can be located in the document.
pub fn blame_of<'a>(vals: &[&Val<'a>]) -> Option<Blame<'a>> {
    vals.iter().find_map(|v| match v {
        Val::Doc(j) => Some(Blame::Node(j)),
        Val::Unknown(Some(j)) => Some(Blame::Node(j)),
        Val::Missing(Some(a)) => Some(Blame::Absent(*a)),
        Val::List(items) => blame_of(&items.iter().collect::<Vec<_>>()),
        _ => None,
    })
}

/// Evaluates nodes of one program over one document.
pub struct Evaluator<'a> {
    pub prog: &'a Program,
    pub doc: Option<&'a Document>,
    pub locals: Vec<Val<'a>>,
    pub base: usize,
    /// For each slot of the block being run, the node a `let` bound it to, so that a
    /// finding on a `let` name can point where its value came from.
    pub let_sources: Vec<Option<NodeId>>,
}

impl<'a> Evaluator<'a> {
    pub fn new(prog: &'a Program, doc: Option<&'a Document>) -> Evaluator<'a> {
        Evaluator {
            prog,
            doc,
            locals: Vec::new(),
            base: 0,
            let_sources: Vec::new(),
        }
    }

    pub fn resource_name(&self, r: u32) -> String {
        self.doc
            .and_then(|d| d.resources.get(r as usize))
            .map_or_else(String::new, |r| r.name.clone())
    }

    pub fn display(&self, v: &Val<'a>) -> String {
        display(v, &|r| self.resource_name(r))
    }

    fn local(&self, slot: u32) -> Val<'a> {
        self.locals
            .get(self.base + slot as usize)
            .cloned()
            .unwrap_or(Val::Missing(None))
    }

    fn set_local(&mut self, slot: u32, v: Val<'a>) {
        let i = self.base + slot as usize;
        if i >= self.locals.len() {
            self.locals.resize(i + 1, Val::Missing(None));
        }
        self.locals[i] = v;
    }

    /// `base.key`
    pub fn get(&self, base: &Val<'a>, key: &'a str) -> Val<'a> {
        match base {
            Val::Resource(r) => match self.doc.and_then(|d| d.resources.get(*r as usize)) {
                Some(res) => self.get(&Val::Doc(&res.properties), key),
                None => Val::Missing(None),
            },
            Val::Doc(j @ Json::Object(m)) => m
                .get(key)
                .map_or(Val::Missing(Some(Absent { parent: j, key })), wrap_doc),
            Val::Const(Json::Object(m)) => m.get(key).map_or(Val::Missing(None), Val::Const),
            Val::Owned(j) => j.get(key).map_or(Val::Missing(None), wrap_owned),
            Val::Unknown(_) => base.clone(),
            _ => Val::Missing(None),
        }
    }

    fn index(&self, base: &Val<'a>, i: i64) -> Val<'a> {
        if base.is_unknown() {
            return base.clone();
        }
        let Some(items) = base.elements() else {
            return Val::Missing(None);
        };
        let at = if i < 0 { items.len() as i64 + i } else { i };
        usize::try_from(at)
            .ok()
            .and_then(|at| items.into_iter().nth(at))
            .unwrap_or(Val::Missing(None))
    }

    /// The elements a wildcard or quantifier ranges over: a list's elements; one element for a
    /// single value; none for an absent value. `None` for an unknown value.
    pub fn members(&self, v: &Val<'a>) -> Option<Vec<Val<'a>>> {
        match v {
            Val::Unknown(_) => None,
            Val::Missing(_) => Some(Vec::new()),
            other => Some(other.elements().unwrap_or_else(|| vec![other.clone()])),
        }
    }

    pub fn eval(&mut self, id: NodeId) -> Val<'a> {
        let prog = self.prog;
        match &prog.nodes[id as usize] {
            Node::Const(c) => Val::Const(&prog.consts[*c as usize]),
            Node::Local(s) => self.local(*s),
            Node::Get(b, k) => {
                let base = self.eval(*b);
                self.get(&base, prog.key(*k))
            }
            Node::Index(b, i) => {
                let base = self.eval(*b);
                self.index(&base, *i)
            }
            Node::Elements(b) => {
                let base = self.eval(*b);
                match base {
                    Val::Missing(_) | Val::Unknown(_) => base,
                    other => match self.members(&other) {
                        Some(items) => Val::List(Rc::new(items)),
                        None => other,
                    },
                }
            }
            Node::Values(b) => {
                let base = self.eval(*b);
                match base.object_values() {
                    Some(vals) => Val::List(Rc::new(vals)),
                    None if base.is_unknown() => base,
                    None => Val::Missing(None),
                }
            }
            Node::Map {
                over,
                slot,
                body,
                flatten,
            } => {
                let coll = self.eval(*over);
                let Some(items) = coll.elements() else {
                    return coll;
                };
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    self.set_local(*slot, item);
                    let v = self.eval(*body);
                    match v {
                        Val::Missing(_) => {}
                        Val::List(inner) if *flatten => out.extend(inner.iter().cloned()),
                        other => out.push(other),
                    }
                }
                Val::List(Rc::new(out))
            }
            Node::Filter { over, slot, cond } => {
                let coll = self.eval(*over);
                let Some(items) = coll.elements() else {
                    return coll;
                };
                let mut out = Vec::new();
                for item in items {
                    self.set_local(*slot, item.clone());
                    match self.cond(*cond).0 {
                        Truth::True => out.push(item),
                        Truth::False => {}
                        Truth::Unknown => return Val::Unknown(None),
                    }
                }
                Val::List(Rc::new(out))
            }
            Node::Neg(a) => {
                let v = self.eval(*a);
                match v.as_num() {
                    _ if v.is_unknown() => v,
                    Some(Num::I(i)) => i.checked_neg().map_or(Val::Float(-(i as f64)), Val::Int),
                    Some(Num::F(f)) => Val::Float(-f),
                    None => Val::Missing(None),
                }
            }
            Node::Coalesce(a, b) => {
                let v = self.eval(*a);
                if v.is_missing() || v.is_null() {
                    self.eval(*b)
                } else {
                    v
                }
            }
            Node::Arith(op, a, b) => {
                let (x, y) = (self.eval(*a), self.eval(*b));
                arith(*op, &x, &y)
            }
            Node::List(items) => Val::List(Rc::new(items.iter().map(|i| self.eval(*i)).collect())),
            Node::Builtin(b, args) => {
                let vals: Vec<Val<'a>> = args.iter().map(|a| self.eval(*a)).collect();
                builtins::call(self, *b, vals)
            }
            Node::Quant {
                kind: QuantKind::Count,
                ..
            } => {
                let (t, _, n) = self.quant(id);
                match t {
                    Truth::Unknown => Val::Unknown(None),
                    _ => Val::Int(n as i64),
                }
            }
            _ => match self.cond(id).0 {
                Truth::True => Val::Bool(true),
                Truth::False => Val::Bool(false),
                Truth::Unknown => Val::Unknown(None),
            },
        }
    }

    /// Evaluate a condition: its truth, and the document value that decided it.
    pub fn cond(&mut self, id: NodeId) -> (Truth, Option<Blame<'a>>) {
        let prog = self.prog;
        match &prog.nodes[id as usize] {
            Node::Not(a) => {
                let (t, b) = self.cond(*a);
                (t.negate(), b)
            }
            Node::And(a, b) => {
                let (ta, ba) = self.cond(*a);
                if ta == Truth::False {
                    return (ta, ba);
                }
                let (tb, bb) = self.cond(*b);
                match (ta, tb) {
                    (_, Truth::False) => (Truth::False, bb),
                    (Truth::Unknown, _) => (Truth::Unknown, ba),
                    _ => (tb, bb),
                }
            }
            Node::Or(a, b) => {
                let (ta, ba) = self.cond(*a);
                if ta == Truth::True {
                    return (ta, ba);
                }
                let (tb, bb) = self.cond(*b);
                match (ta, tb) {
                    (_, Truth::True) => (Truth::True, bb),
                    (Truth::Unknown, _) => (Truth::Unknown, ba),
                    _ => (tb, ba.or(bb)),
                }
            }
            Node::Compare(op, a, b) => {
                let (x, y) = (self.eval(*a), self.eval(*b));
                let blame = blame_of(&[&x, &y])
                    .or_else(|| self.defaulted(*a))
                    .or_else(|| self.defaulted(*b));
                let t = match op {
                    CmpOp::Eq => equal(&x, &y),
                    CmpOp::Ne => equal(&x, &y).negate(),
                    _ if x.is_unknown() || y.is_unknown() => Truth::Unknown,
                    _ => {
                        let o = order(&x, &y);
                        Truth::from_bool(match op {
                            CmpOp::Lt => o == Some(Ordering::Less),
                            CmpOp::Le => matches!(o, Some(Ordering::Less | Ordering::Equal)),
                            CmpOp::Gt => o == Some(Ordering::Greater),
                            _ => matches!(o, Some(Ordering::Greater | Ordering::Equal)),
                        })
                    }
                };
                (t, blame)
            }
            Node::In(a, b) => {
                let (x, y) = (self.eval(*a), self.eval(*b));
                let blame = blame_of(&[&x])
                    .or_else(|| self.defaulted(*a))
                    .or_else(|| blame_of(&[&y]));
                (contains(&y, &x), blame)
            }
            Node::Matches(a, r) => {
                let x = self.eval(*a);
                let t = match x.as_str() {
                    _ if x.is_unknown() => Truth::Unknown,
                    Some(s) => Truth::from_bool(prog.regexes[*r as usize].is_match(s)),
                    None => Truth::False,
                };
                (t, blame_of(&[&x]).or_else(|| self.defaulted(*a)))
            }
            Node::Exists(a) => {
                let x = self.eval(*a);
                (Truth::from_bool(!x.is_missing()), blame_of(&[&x]))
            }
            Node::Empty(a) => {
                let x = self.eval(*a);
                let t = if x.is_unknown() {
                    Truth::Unknown
                } else {
                    let empty = match &x {
                        Val::Str(s) => s.is_empty(),
                        Val::List(l) => l.is_empty(),
                        other => match other.json() {
                            Some(Json::String(s)) => s.is_empty(),
                            Some(Json::Array(a)) => a.is_empty(),
                            Some(Json::Object(m)) => m.is_empty(),
                            _ => false,
                        },
                    };
                    Truth::from_bool(empty)
                };
                (t, blame_of(&[&x]))
            }
            Node::Is(a, ty) => {
                let x = self.eval(*a);
                (type_test(&x, *ty), blame_of(&[&x]))
            }
            Node::Quant { kind, .. } if *kind != QuantKind::Count => {
                let (t, b, _) = self.quant(id);
                (t, b)
            }
            Node::Call(f, args) => {
                let func = &prog.funcs[*f as usize];
                let vals: Vec<Val<'a>> = args.iter().map(|a| self.eval(*a)).collect();
                let saved = self.base;
                let new_base = self.locals.len();
                self.locals.extend(vals);
                self.locals
                    .resize(new_base + func.slots as usize, Val::Missing(None));
                self.base = new_base;
                let out = self.cond(func.body);
                self.locals.truncate(new_base);
                self.base = saved;
                out
            }
            _ => {
                let v = self.eval(id);
                let t = match v.as_bool() {
                    _ if v.is_unknown() => Truth::Unknown,
                    Some(b) => Truth::from_bool(b),
                    None => Truth::False,
                };
                (t, blame_of(&[&v]).or_else(|| self.defaulted(id)))
            }
        }
    }

    /// The document value a computed operand came from: the absent value a `??` defaulted,
    /// or the first located argument of a builtin or arithmetic. Only called when the
    /// operand's own value cannot be located (a finding is being explained).
    fn defaulted(&mut self, id: NodeId) -> Option<Blame<'a>> {
        let prog = self.prog;
        let sources: Vec<NodeId> = match &prog.nodes[id as usize] {
            Node::Coalesce(a, _) | Node::Neg(a) => vec![*a],
            Node::Builtin(_, args) => args.clone(),
            Node::Arith(_, a, b) => vec![*a, *b],
            Node::Index(b, _) | Node::Get(b, _) => vec![*b],
            Node::Local(slot) if self.base == 0 => match self.let_sources.get(*slot as usize) {
                Some(Some(n)) => vec![*n],
                _ => return None,
            },
            _ => return None,
        };
        sources.into_iter().find_map(|s| {
            let v = self.eval(s);
            blame_of(&[&v]).or_else(|| self.defaulted(s))
        })
    }

    /// Evaluate a quantifier: its truth, blame, and how many elements held.
    fn quant(&mut self, id: NodeId) -> (Truth, Option<Blame<'a>>, usize) {
        let Node::Quant {
            kind,
            slot,
            over,
            body,
        } = &self.prog.nodes[id as usize]
        else {
            unreachable!("quant is called on quantifier nodes")
        };
        let coll = self.eval(*over);
        let coll_blame = blame_of(&[&coll]);
        let Some(items) = self.members(&coll) else {
            return (Truth::Unknown, coll_blame, 0);
        };
        let (mut held, mut unknown, mut first_false, mut first_true, mut first_unknown) =
            (0, false, None, None, None);
        for item in items {
            self.set_local(*slot, item);
            let (t, b) = self.cond(*body);
            match t {
                Truth::True => {
                    held += 1;
                    first_true = first_true.or(Some(b));
                    if *kind == QuantKind::Some {
                        return (Truth::True, b, held);
                    }
                }
                Truth::False => {
                    first_false = first_false.or(Some(b));
                    if *kind == QuantKind::All {
                        return (Truth::False, b.or(coll_blame), held);
                    }
                }
                Truth::Unknown => {
                    unknown = true;
                    first_unknown = first_unknown.or(Some(b));
                }
            }
        }
        let unknown_blame = first_unknown.flatten().or(coll_blame);
        match kind {
            QuantKind::Some if unknown => (Truth::Unknown, unknown_blame, held),
            QuantKind::Some => (Truth::False, coll_blame, held),
            QuantKind::All if unknown => (Truth::Unknown, unknown_blame, held),
            QuantKind::All => (Truth::True, coll_blame, held),
            QuantKind::None if held > 0 => {
                (Truth::False, first_true.flatten().or(coll_blame), held)
            }
            QuantKind::None if unknown => (Truth::Unknown, unknown_blame, held),
            QuantKind::None => (Truth::True, coll_blame, held),
            QuantKind::Count if unknown => (Truth::Unknown, unknown_blame, held),
            QuantKind::Count => (Truth::True, first_false.flatten().or(coll_blame), held),
        }
    }
}

/// `needle in haystack`: element of a list, key of an object, substring of a string.
pub fn contains(haystack: &Val<'_>, needle: &Val<'_>) -> Truth {
    if haystack.is_unknown() || needle.is_unknown() {
        return Truth::Unknown;
    }
    if let Some(items) = haystack.elements() {
        let mut out = Truth::False;
        for item in &items {
            match equal(item, needle) {
                Truth::True => return Truth::True,
                Truth::Unknown => out = Truth::Unknown,
                Truth::False => {}
            }
        }
        return out;
    }
    if let Some(m) = haystack.object() {
        return Truth::from_bool(needle.as_str().is_some_and(|k| m.contains_key(k)));
    }
    match (haystack.as_str(), needle.as_str()) {
        (Some(h), Some(n)) => Truth::from_bool(h.contains(n)),
        _ => Truth::False,
    }
}

fn type_test(x: &Val<'_>, ty: TypeTest) -> Truth {
    if ty == TypeTest::Unknown {
        return Truth::from_bool(x.is_unknown());
    }
    if x.is_unknown() {
        return Truth::Unknown;
    }
    Truth::from_bool(match ty {
        TypeTest::String => matches!(x, Val::Str(_)) || matches!(x.json(), Some(Json::String(_))),
        TypeTest::Number => x.is_number(),
        TypeTest::Int => {
            matches!(x, Val::Int(_)) || x.json().is_some_and(|j| j.is_i64() || j.is_u64())
        }
        TypeTest::Bool => matches!(x, Val::Bool(_)) || matches!(x.json(), Some(Json::Bool(_))),
        TypeTest::List => matches!(x, Val::List(_)) || matches!(x.json(), Some(Json::Array(_))),
        TypeTest::Object => matches!(x.json(), Some(Json::Object(_))),
        TypeTest::Null => x.is_null(),
        TypeTest::Resource => matches!(x, Val::Resource(_)),
        TypeTest::Unknown => false,
    })
}

/// Arithmetic on numbers (numeric strings included) and `+` on two strings; absent otherwise.
pub fn arith<'a>(op: ArithOp, x: &Val<'a>, y: &Val<'a>) -> Val<'a> {
    if x.is_unknown() || y.is_unknown() {
        return Val::Unknown(None);
    }
    if op == ArithOp::Add && !x.is_number() && !y.is_number() {
        if let (Some(a), Some(b)) = (x.as_str(), y.as_str()) {
            return Val::Str(Rc::from(format!("{a}{b}")));
        }
    }
    let (Some(a), Some(b)) = (x.as_num(), y.as_num()) else {
        return Val::Missing(None);
    };
    let int = |r: Option<i64>, f: fn(f64, f64) -> f64| {
        r.map_or_else(|| Val::Float(f(a.f(), b.f())), Val::Int)
    };
    match (op, a, b) {
        (ArithOp::Add, Num::I(p), Num::I(q)) => int(p.checked_add(q), |p, q| p + q),
        (ArithOp::Sub, Num::I(p), Num::I(q)) => int(p.checked_sub(q), |p, q| p - q),
        (ArithOp::Mul, Num::I(p), Num::I(q)) => int(p.checked_mul(q), |p, q| p * q),
        (ArithOp::Div, _, _) if b.f() == 0.0 => Val::Missing(None),
        (ArithOp::Div, Num::I(p), Num::I(q)) if p.checked_rem(q) == Some(0) => {
            int(p.checked_div(q), |p, q| p / q)
        }
        (ArithOp::Add, ..) => Val::Float(a.f() + b.f()),
        (ArithOp::Sub, ..) => Val::Float(a.f() - b.f()),
        (ArithOp::Mul, ..) => Val::Float(a.f() * b.f()),
        (ArithOp::Div, ..) => Val::Float(a.f() / b.f()),
    }
}
