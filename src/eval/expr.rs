//! Evaluation of IR nodes to values, and of conditions to a truth with the value to blame.

use super::builtins;
use super::value::{
    arith, contains, display, empty, equal, exists, order, type_test, wrap_doc, wrap_owned, Absent,
    Num, Truth, Val, Why,
};
use crate::ir::{CmpOp, Node, NodeId, Program, QuantKind};
use crate::model::Document;
use foldhash::HashMap;
use serde_json::Value as Json;
use std::cmp::Ordering;
use std::rc::Rc;

/// Steps (nodes evaluated) one block may take for one resource, unless the run sets another.
pub const DEFAULT_MAX_STEPS: u64 = 1_000_000;

/// The reason of the unknown an exhausted budget gives.
pub const BUDGET_REASON: &str = "the evaluation budget ran out";

/// The value a condition's outcome is pinned on, for the finding's location.
#[derive(Clone, Copy, Debug)]
pub enum Blame<'a> {
    Node(&'a Json),
    Absent(Absent<'a>),
}

/// Pick the first operand that can be located in the document.
pub fn blame_of<'a>(vals: &[&Val<'a>]) -> Option<Blame<'a>> {
    vals.iter().find_map(|v| blame_in(v))
}

/// The first value in `v` (itself, or an element of a computed list) that can be located.
fn blame_in<'a>(v: &Val<'a>) -> Option<Blame<'a>> {
    match v {
        Val::Doc(j) => Some(Blame::Node(j)),
        Val::Unknown(Why::Node(j)) => Some(Blame::Node(j)),
        Val::Missing(Some(a)) => Some(Blame::Absent(*a)),
        Val::List(items) => items.iter().find_map(blame_in),
        _ => None,
    }
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
    /// The arguments of the builtin calls being evaluated (a call's are on top).
    args: Vec<Val<'a>>,
    /// While deciding an undecided `Fn::If` branch by branch: the resource and the variant
    /// of its properties to read instead.
    pub variant: Option<(u32, usize)>,
    /// Nodes evaluated since the budget was last reset, and the budget.
    pub steps: u64,
    pub max_steps: u64,
    /// Nodes evaluated in all (the operation count cost-growth tests compare).
    pub work: u64,
    /// The reason of the last unknown a builtin gave (unreadable policy text, a bad
    /// pattern), for the message of an undecided `require`.
    pub said: Option<Rc<str>>,
    /// What evaluation read and decided, when a decision is being explained
    /// (`check --explain`); `None` otherwise, at no cost.
    pub trace: Option<Vec<Event<'a>>>,
    /// The predicate being evaluated, if any (for the names an explanation uses).
    pub frame: Option<u32>,
    /// The decided value of each constant predicate ([`crate::ir::Func::constant`]) in this
    /// document, by predicate and whether its blame was [`Evaluator::lean`].
    pub memo: HashMap<(u32, bool), (Truth, Option<Blame<'a>>)>,
    /// Whether conditions are decided for their truth alone: a computed operand that cannot
    /// be located is not traced back to the document value it came from (see
    /// [`Evaluator::decide_guard`]). The truth is the same either way.
    lean: bool,
    /// The list `resources(pattern)` gave in this document, by pattern: a rule may ask for
    /// every alarm once per queue, and the document's resources are scanned once.
    pub queried: HashMap<String, Val<'a>>,
}

/// One thing evaluation did that explains a decision.
#[derive(Clone, Debug)]
pub enum Event<'a> {
    /// A path step read a value of the document, in the block or in predicate `frame`.
    Read {
        node: NodeId,
        value: Val<'a>,
        frame: Option<u32>,
    },
    /// A `??` replaced an absent or null value by its default.
    Default { node: NodeId, value: Val<'a> },
    /// A quantifier was decided by one element.
    Decided {
        node: NodeId,
        index: usize,
        element: Val<'a>,
    },
}

/// Events recorded per statement at most (a quantifier over a long list reads much).
const MAX_EVENTS: usize = 200;

impl<'a> Evaluator<'a> {
    pub fn new(prog: &'a Program, doc: Option<&'a Document>) -> Evaluator<'a> {
        Evaluator {
            prog,
            doc,
            locals: Vec::new(),
            base: 0,
            let_sources: Vec::new(),
            args: Vec::new(),
            variant: None,
            steps: 0,
            max_steps: DEFAULT_MAX_STEPS,
            work: 0,
            said: None,
            trace: None,
            frame: None,
            memo: HashMap::default(),
            lean: false,
            queried: HashMap::default(),
        }
    }

    /// Whether the budget has run out.
    pub fn exhausted(&self) -> bool {
        self.steps > self.max_steps
    }

    fn record(&mut self, event: Event<'a>) {
        if let Some(t) = &mut self.trace {
            if t.len() < MAX_EVENTS {
                t.push(event);
            }
        }
    }

    /// Record a read when explaining, of a value that comes from the document.
    fn read(&mut self, node: NodeId, base: &Val<'a>, value: &Val<'a>) {
        if self.trace.is_some()
            && matches!(
                base,
                Val::Resource(_) | Val::Doc(_) | Val::Unknown(Why::Node(_))
            )
        {
            let frame = self.frame;
            self.record(Event::Read {
                node,
                value: value.clone(),
                frame,
            });
        }
    }

    fn tick(&mut self) -> bool {
        self.steps += 1;
        self.work += 1;
        self.exhausted()
    }

    /// The properties a rule reads of resource `r`.
    fn properties(&self, r: u32) -> Option<&'a Json> {
        let res = self.doc?.resources.get(r as usize)?;
        match self.variant {
            Some((vr, i)) if vr == r => res.variants.get(i).or(Some(&res.properties)),
            _ => Some(&res.properties),
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
        self.get_key(base, key, Some(key))
    }

    /// `base[key]` with a key computed at run time.
    pub fn get_dyn(&self, base: &Val<'a>, key: &str) -> Val<'a> {
        self.get_key(base, key, None)
    }

    /// `base[key]`; `blame_key` names where an absent value
    /// would have been, when the key lives as long as the document.
    fn get_key(&self, base: &Val<'a>, key: &str, blame_key: Option<&'a str>) -> Val<'a> {
        // Keys are stored escaped when they look internal (see `model::escape_key`).
        let key = &*crate::model::escape_key(key);
        match base {
            Val::Resource(r) => match self.properties(*r) {
                // Properties given whole as an undecided `Fn::If` are unknown as a whole.
                Some(props) => self.get_key(&wrap_doc(props), key, blame_key),
                None => Val::Missing(None),
            },
            Val::Doc(j @ Json::Object(m)) => crate::model::member(m, key).map_or_else(
                || Val::Missing(blame_key.map(|key| Absent { parent: j, key })),
                wrap_doc,
            ),
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

    /// `split(text, sep)[i]` for `i >= 0`: [`builtins::split_part`], with the steps the two
    /// nodes would count. `None` when `node` is not such a call.
    fn split_part(&mut self, node: NodeId, i: i64) -> Option<Val<'a>> {
        let prog = self.prog;
        let Node::Builtin(crate::ir::Builtin::Split, args) = &prog.nodes[node as usize] else {
            return None;
        };
        let (&[text, sep], Ok(i)) = (args.as_slice(), usize::try_from(i)) else {
            return None;
        };
        if self.tick() {
            return Some(Val::unknown_because(BUDGET_REASON));
        }
        let args = [self.eval(text), self.eval(sep)];
        let out = builtins::split_part(&args, i);
        self.note_said(&out);
        Some(out)
    }

    /// Keep the reason of an unknown a builtin gave, for the message of an undecided
    /// `require`.
    fn note_said(&mut self, out: &Val<'a>) {
        if let Val::Unknown(Why::Said(r)) = out {
            self.said = Some(r.clone());
        }
    }

    /// `resources(pattern)`, answered from [`Evaluator::queried`] once asked.
    fn resources(&mut self, vals: &[Val<'a>]) -> Val<'a> {
        let Some(pattern) = vals.first().and_then(|v| v.as_str()) else {
            return builtins::call(self.doc, crate::ir::Builtin::Resources, vals);
        };
        if let Some(found) = self.queried.get(pattern) {
            return found.clone();
        }
        let found = builtins::call(self.doc, crate::ir::Builtin::Resources, vals);
        self.queried.insert(pattern.to_string(), found.clone());
        found
    }

    pub fn eval(&mut self, id: NodeId) -> Val<'a> {
        if self.tick() {
            return Val::unknown_because(BUDGET_REASON);
        }
        let prog = self.prog;
        match &prog.nodes[id as usize] {
            Node::Const(c) => Val::Const(&prog.consts[*c as usize]),
            Node::Local(s) => self.local(*s),
            Node::Get(b, k) => {
                let base = self.eval(*b);
                let v = self.get(&base, prog.key(*k));
                self.read(id, &base, &v);
                v
            }
            Node::Index(b, i) => {
                if let Some(part) = self.split_part(*b, *i) {
                    return part;
                }
                let base = self.eval(*b);
                let v = self.index(&base, *i);
                self.read(id, &base, &v);
                v
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
                        Truth::Unknown => return Val::Unknown(Why::Unstated),
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
                    let d = self.eval(*b);
                    if self.trace.is_some() {
                        self.record(Event::Default {
                            node: id,
                            value: d.clone(),
                        });
                    }
                    d
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
                // Arguments go on a stack the evaluator keeps, not into a list per call.
                let start = self.args.len();
                for a in args {
                    let v = self.eval(*a);
                    self.args.push(v);
                }
                let vals = std::mem::take(&mut self.args);
                let out = if *b == crate::ir::Builtin::Resources {
                    self.resources(&vals[start..])
                } else {
                    builtins::call(self.doc, *b, &vals[start..])
                };
                self.args = vals;
                self.args.truncate(start);
                self.note_said(&out);
                out
            }
            // The blame of an undecided condition can become the value: it is always traced.
            Node::If(c, a, b) => match self.cond_traced(*c) {
                (Truth::True, _) => self.eval(*a),
                (Truth::False, _) => self.eval(*b),
                (Truth::Unknown, blame) => {
                    // Both branches, and their value if they agree.
                    let (x, y) = (self.eval(*a), self.eval(*b));
                    if equal(&x, &y) == Truth::True {
                        x
                    } else {
                        // Unknown, with the reason of the condition's unknown value when
                        // the blame is one (the blame may also be a known operand).
                        match blame {
                            Some(Blame::Node(j)) if crate::model::unknown_reason(j).is_some() => {
                                wrap_doc(j)
                            }
                            _ => Val::Unknown(Why::Unstated),
                        }
                    }
                }
            },
            Node::Object(fields) => {
                let mut m = serde_json::Map::new();
                for (k, n) in fields {
                    let v = self.eval(*n);
                    if let Some(j) = v.to_json(&|r| self.resource_name(r)) {
                        m.insert(k.clone(), j);
                    }
                }
                Val::Owned(Rc::new(Json::Object(m)))
            }
            Node::Lookup(b, k) => {
                let base = self.eval(*b);
                let key = self.eval(*k);
                if key.is_unknown() {
                    return key;
                }
                match (key.as_str(), key.as_num()) {
                    (Some(s), _) if !key.is_number() => self.get_key(&base, s, None),
                    (_, Some(Num::I(i))) if key.is_number() => self.index(&base, i),
                    _ => Val::Missing(None),
                }
            }
            Node::Quant {
                kind: QuantKind::Count,
                ..
            } => {
                let (t, _, n) = self.quant(id);
                match t {
                    Truth::Unknown => Val::Unknown(Why::Unstated),
                    _ => Val::Int(n as i64),
                }
            }
            _ => match self.cond(id).0 {
                Truth::True => Val::Bool(true),
                Truth::False => Val::Bool(false),
                Truth::Unknown => Val::Unknown(Why::Unstated),
            },
        }
    }

    /// Evaluate a statement's condition afresh (forgetting why an earlier one was unknown).
    pub fn decide(&mut self, id: NodeId) -> (Truth, Option<Blame<'a>>) {
        self.said = None;
        self.cond(id)
    }

    /// [`Evaluator::decide`] for a `when`: first for the truth alone, and again for the blame
    /// only when the truth is unknown (a `when` that is true or false makes no finding, so
    /// nothing is located). Tracing back computed operands (`defaulted`) is most of what a
    /// guard such as `resource_type(r) in types` would cost beside its truth. The second run
    /// gets the budget the first one started with, so it decides as a single run would have.
    /// (A `require` is decided once, traced: one that fails would be decided twice, and on
    /// the generated Config items that costs more than it saves.)
    pub fn decide_guard(&mut self, id: NodeId) -> (Truth, Option<Blame<'a>>) {
        if self.trace.is_some() {
            return self.decide(id);
        }
        let steps = self.steps;
        self.lean = true;
        let lean = self.decide(id);
        self.lean = false;
        if lean.0 != Truth::Unknown {
            return lean;
        }
        self.steps = steps;
        self.decide(id)
    }

    /// [`Evaluator::defaulted`], unless only the truth is wanted.
    fn traced(&mut self, id: NodeId) -> Option<Blame<'a>> {
        if self.lean {
            None
        } else {
            self.defaulted(id)
        }
    }

    /// Evaluate a condition: its truth, and the document value that decided it.
    pub fn cond(&mut self, id: NodeId) -> (Truth, Option<Blame<'a>>) {
        if self.tick() {
            return (Truth::Unknown, None);
        }
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
                    .or_else(|| self.traced(*a))
                    .or_else(|| self.traced(*b));
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
                    .or_else(|| self.traced(*a))
                    .or_else(|| blame_of(&[&y]));
                (contains(&y, &x), blame)
            }
            Node::Matches(a, r) => {
                let x = self.eval(*a);
                let t = match x.as_str() {
                    _ if x.is_unknown() => Truth::Unknown,
                    Some(s) => prog.regexes[*r as usize]
                        .is_match(s)
                        .map_or(Truth::Unknown, Truth::from_bool),
                    None => Truth::False,
                };
                (t, blame_of(&[&x]).or_else(|| self.traced(*a)))
            }
            Node::Exists(a) => {
                let x = self.eval(*a);
                (Truth::from_bool(exists(&x)), blame_of(&[&x]))
            }
            Node::Empty(a) => {
                let x = self.eval(*a);
                (empty(&x), blame_of(&[&x]))
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
                // A constant predicate is decided once per document; not while a decision is
                // explained (the explanation shows each step) or a variant of a resource's
                // properties is read.
                let memoised = func.constant && self.trace.is_none() && self.variant.is_none();
                if memoised {
                    if let Some(known) = self.memo.get(&(*f, self.lean)) {
                        return *known;
                    }
                }
                // The arguments become the first slots of the callee's frame, which starts
                // where the caller's ends (a call made while evaluating one truncates back).
                let saved = (self.base, self.frame);
                let new_base = self.locals.len();
                for a in args {
                    let v = self.eval(*a);
                    self.locals.push(v);
                }
                self.locals
                    .resize(new_base + func.slots as usize, Val::Missing(None));
                self.base = new_base;
                self.frame = Some(*f);
                let out = self.cond(func.body);
                self.locals.truncate(new_base);
                (self.base, self.frame) = saved;
                // Unknowns are not kept: their reason (`said`) goes with each evaluation.
                if memoised && out.0 != Truth::Unknown {
                    self.memo.insert((*f, self.lean), out);
                }
                out
            }
            _ => {
                let v = self.eval(id);
                let t = match v.as_bool() {
                    _ if v.is_unknown() => Truth::Unknown,
                    Some(b) => Truth::from_bool(b),
                    None => Truth::False,
                };
                (t, blame_of(&[&v]).or_else(|| self.traced(id)))
            }
        }
    }

    /// [`Evaluator::cond`] with its blame traced back even while deciding lean.
    fn cond_traced(&mut self, id: NodeId) -> (Truth, Option<Blame<'a>>) {
        let lean = std::mem::replace(&mut self.lean, false);
        let out = self.cond(id);
        self.lean = lean;
        out
    }

    /// The document value a computed operand came from: the absent value a `??` defaulted,
    /// or the first located argument of a builtin or arithmetic. Only called when the
    /// operand's own value cannot be located (a finding is being explained).
    fn defaulted(&mut self, id: NodeId) -> Option<Blame<'a>> {
        let prog = self.prog;
        let (one, two): (NodeId, [NodeId; 2]);
        let sources: &[NodeId] = match &prog.nodes[id as usize] {
            Node::Coalesce(a, _) | Node::Neg(a) => std::slice::from_ref(a),
            Node::Builtin(_, args) => args,
            Node::Arith(_, a, b) => {
                two = [*a, *b];
                &two
            }
            Node::Index(b, _) | Node::Get(b, _) => std::slice::from_ref(b),
            Node::Local(slot) if self.base == 0 => match self.let_sources.get(*slot as usize) {
                Some(Some(n)) => {
                    one = *n;
                    std::slice::from_ref(&one)
                }
                _ => return None,
            },
            _ => return None,
        };
        sources.iter().find_map(|&s| {
            let v = self.eval(s);
            blame_of(&[&v]).or_else(|| self.defaulted(s))
        })
    }

    /// What a quantifier ranges over: the members of `over` (`None` when unknown), and the
    /// value to blame for the collection. `x[*]`, the usual collection, is not built as a
    /// list to be taken apart again: its members are those of `x`.
    fn range(&mut self, over: NodeId) -> (Option<Vec<Val<'a>>>, Option<Blame<'a>>) {
        let Node::Elements(b) = &self.prog.nodes[over as usize] else {
            let coll = self.eval(over);
            return (self.members(&coll), blame_of(&[&coll]));
        };
        // As `eval` of the `Elements` node would count it.
        if self.tick() {
            return (None, None);
        }
        let base = self.eval(*b);
        match base {
            Val::Missing(_) | Val::Unknown(_) => (self.members(&base), blame_of(&[&base])),
            other => {
                let items = self.members(&other);
                let blame = items.as_ref().and_then(|i| i.iter().find_map(blame_in));
                (items, blame)
            }
        }
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
        let (items, coll_blame) = self.range(*over);
        let Some(items) = items else {
            return (Truth::Unknown, coll_blame, 0);
        };
        let (mut held, mut unknown, mut first_false, mut first_true, mut first_unknown) =
            (0, false, None, None, None);
        for (index, item) in items.into_iter().enumerate() {
            let element = self.trace.as_ref().map(|_| item.clone());
            self.set_local(*slot, item);
            let (t, b) = self.cond(*body);
            // The first element that holds decides `some` and `none`; the first that does not
            // decides `all`.
            let decides = match (kind, t) {
                (QuantKind::Some | QuantKind::None, Truth::True) => first_true.is_none(),
                (QuantKind::All, Truth::False) => first_false.is_none(),
                _ => false,
            };
            if let (true, Some(element)) = (decides, element) {
                self.record(Event::Decided {
                    node: id,
                    index,
                    element,
                });
            }
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

    /// The elements that broke a failed `all` (those for which the condition is false) or
    /// `none` (those for which it is true), for the message; with `undecided`, those that
    /// may have broken it too (the condition unknown).
    pub fn offenders(&mut self, id: NodeId, undecided: bool) -> Val<'a> {
        let Node::Quant {
            kind,
            slot,
            over,
            body,
        } = &self.prog.nodes[id as usize]
        else {
            return Val::Missing(None);
        };
        let want = if *kind == QuantKind::All {
            Truth::False
        } else {
            Truth::True
        };
        let coll = self.eval(*over);
        let mut out = Vec::new();
        for item in self.members(&coll).unwrap_or_default() {
            self.set_local(*slot, item.clone());
            let t = self.cond(*body).0;
            if t == want || (undecided && t == Truth::Unknown) {
                out.push(item);
            }
        }
        Val::List(Rc::new(out))
    }
}
