//! Lowering expressions and statements to IR nodes, resolving names and checking types.

use super::{Compiler, Lowered};
use crate::ast::{
    BinaryOp, Expr, ExprKind, OnBlock, Pred, Quant, Segment, Stmt as AstStmt, TemplatePart, UnaryOp,
};
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::ir::{
    ArithOp, Builtin, CmpOp, Func, KeyId, MessagePart, Node, NodeId, QuantKind, Slot, Stmt, Ty,
    TypeTest,
};
use crate::source::Span;
use serde_json::Value as Json;

/// A name bound in a body: the resource binding, a `let`, a quantifier or predicate variable.
struct Local {
    name: String,
    slot: Slot,
    ty: Ty,
    span: Span,
    is_let: bool,
    used: bool,
}

/// What reads the names being resolved in a block: a condition, the `let` of a statement, or
/// a message.
#[derive(Clone, Copy, PartialEq)]
enum Reader {
    Condition,
    Let(usize),
    Message,
}

/// The state of lowering one block or predicate body.
pub(super) struct Body {
    pack: usize,
    /// The name of every named slot, by slot.
    names: Vec<String>,
    locals: Vec<Local>,
    current: Vec<Slot>,
    next_slot: u32,
    unused: Vec<(String, Span)>,
    /// The slots names resolved to, and what read them (not messages).
    reader: Reader,
    reads: Vec<(Reader, Slot)>,
}

impl Body {
    fn new(pack: usize) -> Body {
        Body {
            pack,
            names: Vec::new(),
            locals: Vec::new(),
            current: Vec::new(),
            next_slot: 0,
            unused: Vec::new(),
            reader: Reader::Condition,
            reads: Vec::new(),
        }
    }

    fn slot(&mut self) -> Slot {
        self.next_slot += 1;
        self.next_slot - 1
    }

    fn bind(&mut self, name: &str, ty: Ty, span: Span, is_let: bool) -> Slot {
        let slot = self.slot();
        if self.names.len() <= slot as usize {
            self.names.resize(slot as usize + 1, String::new());
        }
        self.names[slot as usize] = name.to_string();
        self.locals.push(Local {
            name: name.to_string(),
            slot,
            ty,
            span,
            is_let,
            used: false,
        });
        slot
    }

    fn unbind(&mut self) {
        if let Some(l) = self.locals.pop() {
            if l.is_let && !l.used {
                self.unused.push((l.name, l.span));
            }
        }
    }
}

/// The value of a constant expression (parameter defaults).
pub fn constant(e: &Expr) -> Option<Json> {
    Some(match &e.kind {
        ExprKind::Null => Json::Null,
        ExprKind::Bool(b) => Json::Bool(*b),
        ExprKind::Int(i) => Json::from(*i),
        ExprKind::Float(f) => Json::from(*f),
        ExprKind::Str(s) => Json::String(s.clone()),
        ExprKind::List(items) => Json::Array(items.iter().map(constant).collect::<Option<_>>()?),
        ExprKind::Unary(UnaryOp::Neg, inner) => match constant(inner)? {
            Json::Number(n) if n.is_i64() => Json::from(-n.as_i64()?),
            Json::Number(n) => Json::from(-n.as_f64()?),
            _ => return None,
        },
        _ => return None,
    })
}

impl<'a> Compiler<'a> {
    fn node(&mut self, n: Node) -> NodeId {
        self.program.nodes.push(n);
        self.program.nodes.len() as NodeId - 1
    }

    fn constant_node(&mut self, v: Json) -> NodeId {
        self.program.consts.push(v);
        let c = self.program.consts.len() as u32 - 1;
        self.node(Node::Const(c))
    }

    fn key(&mut self, k: &str) -> KeyId {
        if let Some(&id) = self.keys.get(k) {
            return id;
        }
        let id = KeyId(self.program.keys.len() as u32);
        self.program.keys.push(k.to_string());
        self.keys.insert(k.to_string(), id);
        id
    }

    fn error(&mut self, d: Diagnostic) -> (NodeId, Ty) {
        self.diagnostics.push(d);
        (self.constant_node(Json::Null), Ty::Any)
    }

    /// Replace a node whose operands are all constants by its value.
    fn fold(&mut self, id: NodeId) -> NodeId {
        let n = &self.program.nodes[id as usize];
        let children: Vec<NodeId> = match n {
            Node::Not(a) | Node::Neg(a) | Node::Is(a, _) | Node::Matches(a, _) => vec![*a],
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Coalesce(a, b)
            | Node::Compare(_, a, b)
            | Node::In(a, b)
            | Node::Arith(_, a, b) => {
                vec![*a, *b]
            }
            Node::List(items) => items.clone(),
            Node::If(c, a, b) => vec![*c, *a, *b],
            Node::Object(fields) => fields.iter().map(|(_, n)| *n).collect(),
            Node::Lookup(a, b) => vec![*a, *b],
            Node::Builtin(b, args) if b.family().is_pure() => args.clone(),
            _ => return id,
        };
        if !children
            .iter()
            .all(|&c| matches!(self.program.nodes[c as usize], Node::Const(_)))
        {
            return id;
        }
        match crate::eval::fold(&self.program, id) {
            Some(v) => {
                self.program.nodes.truncate(id as usize);
                self.constant_node(v)
            }
            None => id,
        }
    }

    pub(super) fn lower_pred(&mut self, pack: usize, pred: &Pred) -> Option<u32> {
        let errors = self.diagnostics.len();
        let mut body = Body::new(pack);
        for p in &pred.params {
            body.bind(&p.name, Ty::Any, p.span, false);
        }
        let (node, ty) = self.expr(&mut body, &pred.body);
        self.expect(ty, Ty::Bool, pred.body.span, "a predicate's body");
        if self.diagnostics[errors..].iter().any(Diagnostic::is_error) {
            return None;
        }
        let mut slot_names = body.names;
        slot_names.resize(body.next_slot as usize, String::new());
        let arity = pred.params.len() as u32;
        let constant = !crate::ir::reads_slots_below(&self.program.nodes, node, arity);
        self.program.funcs.push(Func {
            name: format!("{}.{}", self.packs[pack].name.name, pred.name.name),
            arity,
            slots: body.next_slot,
            body: node,
            slot_names,
            constant,
        });
        Some(self.program.funcs.len() as u32 - 1)
    }

    pub(super) fn lower_block(&mut self, pack: usize, block: &OnBlock) -> Option<Lowered> {
        let errors = self.diagnostics.len();
        let mut body = Body::new(pack);
        let binding_ty = if block.document {
            Ty::Object
        } else {
            Ty::Resource
        };
        body.bind(&block.binding.name, binding_ty, block.binding.span, false);
        let mut stmts = Vec::new();
        let mut lets = 0;
        let mut spans = Vec::new();
        for s in &block.stmts {
            spans.push(match s {
                AstStmt::Let { name, value } => name.span.to(value.span),
                AstStmt::When { cond } => cond.span,
                AstStmt::Require { cond, message, .. } => {
                    message.as_ref().map_or(cond.span, |m| cond.span.to(m.span))
                }
            });
            match s {
                AstStmt::Let { name, value } => {
                    body.reader = Reader::Let(stmts.len());
                    let (node, ty) = self.expr(&mut body, value);
                    body.reader = Reader::Condition;
                    let slot = body.bind(&name.name, ty, name.span, true);
                    lets += 1;
                    stmts.push(Stmt::Let {
                        slot,
                        value: node,
                        for_messages: false,
                    });
                }
                AstStmt::When { cond } => {
                    let (node, ty) = self.expr(&mut body, cond);
                    self.expect(ty, Ty::Bool, cond.span, "a `when` condition");
                    stmts.push(Stmt::When(node));
                }
                AstStmt::Require {
                    cond,
                    message,
                    source,
                } => {
                    let (node, ty) = self.expr(&mut body, cond);
                    self.expect(ty, Ty::Bool, cond.span, "a `require` condition");
                    // In the message of `require all x in …` or `none x in …`, `x` names the
                    // elements that broke the condition.
                    let offenders = match (&cond.kind, &self.program.nodes[node as usize]) {
                        (
                            ExprKind::Quant(Quant::All | Quant::None, var, ..),
                            Node::Quant { .. },
                        ) if message.is_some() => {
                            Some((body.bind(&var.name, Ty::List, var.span, false), node))
                        }
                        _ => None,
                    };
                    body.reader = Reader::Message;
                    let message = match message {
                        Some(t) => t
                            .parts
                            .iter()
                            .map(|p| match p {
                                TemplatePart::Text(s) => MessagePart::Text(s.clone()),
                                TemplatePart::Hole(e) => {
                                    MessagePart::Value(self.expr(&mut body, e).0)
                                }
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    body.reader = Reader::Condition;
                    // Only a message that names the variable needs the offenders worked out.
                    let offenders = match offenders {
                        Some(o) => body.locals.pop().filter(|l| l.used).map(|_| o),
                        None => None,
                    };
                    stmts.push(Stmt::Require {
                        cond: node,
                        message,
                        text: source.clone(),
                        offenders,
                    });
                }
            }
        }
        for _ in 0..lets {
            body.unbind();
        }
        defer_message_lets(&body.reads, &mut stmts);
        // A `when` guards the whole block wherever it stands: the `let`s and `when`s run
        // first, in order, then the `require`s. Names were resolved in source order above,
        // and `let`s are pure, so running a `require` later changes nothing else.
        let (mut order, requires): (Vec<usize>, Vec<usize>) =
            (0..stmts.len()).partition(|&i| !matches!(stmts[i], Stmt::Require { .. }));
        order.extend(requires);
        let spans: Vec<Span> = order.iter().map(|&i| spans[i]).collect();
        let mut slots: Vec<Option<Stmt>> = stmts.into_iter().map(Some).collect();
        let stmts: Vec<Stmt> = order.iter().filter_map(|&i| slots[i].take()).collect();
        for (name, span) in body.unused.drain(..) {
            self.diagnostics.push(
                Diagnostic::warning(Code::UnusedLet, format!("`{name}` is never used"))
                    .primary(span, "bound here")
                    .help("remove the `let`, or use the name in a `require` or a message"),
            );
        }
        if self.diagnostics[errors..].iter().any(Diagnostic::is_error) {
            return None;
        }
        let mut names = body.names;
        names.resize(body.next_slot as usize, String::new());
        Some(Lowered {
            slots: body.next_slot,
            stmts,
            spans,
            names,
        })
    }

    fn expect(&mut self, got: Ty, want: Ty, span: Span, what: &str) {
        if !got.fits(want) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!("{what} must be {}, not {}", want.name(), got.name()),
                )
                .primary(span, format!("this is {}", got.name())),
            );
        }
    }

    pub(super) fn expr(&mut self, body: &mut Body, e: &Expr) -> (NodeId, Ty) {
        match &e.kind {
            ExprKind::Null => (self.constant_node(Json::Null), Ty::Any),
            ExprKind::Bool(b) => (self.constant_node(Json::Bool(*b)), Ty::Bool),
            ExprKind::Int(i) => (self.constant_node(Json::from(*i)), Ty::Number),
            ExprKind::Float(f) => (self.constant_node(Json::from(*f)), Ty::Number),
            ExprKind::Str(s) => (self.constant_node(Json::String(s.clone())), Ty::String),
            ExprKind::List(items) => {
                let ids = items.iter().map(|i| self.expr(body, i).0).collect();
                let id = self.node(Node::List(ids));
                (self.fold(id), Ty::List)
            }
            ExprKind::Name(n) => self.name(body, n, e.span),
            ExprKind::Current => match body.current.last() {
                Some(&slot) => (self.node(Node::Local(slot)), Ty::Any),
                None => self.error(
                    Diagnostic::error(
                        Code::CurrentOutsideFilter,
                        "`@` is only meaningful inside a filter",
                    )
                    .primary(e.span, "no filter encloses this")
                    .help("`@` is the element under test in `xs[?(@.Port == 22)]`"),
                ),
            },
            ExprKind::Path(..) => self.path(body, e),
            ExprKind::Call(name, args) => self.call(body, name, args, e.span),
            ExprKind::Unary(op, inner) => {
                let (a, ty) = self.expr(body, inner);
                let (node, out) = match op {
                    UnaryOp::Not => {
                        self.expect(ty, Ty::Bool, inner.span, "the operand of `not`");
                        (Node::Not(a), Ty::Bool)
                    }
                    UnaryOp::Neg => {
                        self.expect(ty, Ty::Number, inner.span, "the operand of `-`");
                        (Node::Neg(a), Ty::Number)
                    }
                    UnaryOp::Exists => (Node::Exists(a), Ty::Bool),
                    UnaryOp::Empty => (Node::Empty(a), Ty::Bool),
                };
                let id = self.node(node);
                (self.fold(id), out)
            }
            ExprKind::Is(inner, ty) => {
                let (a, _) = self.expr(body, inner);
                match TypeTest::ALL.iter().find(|(n, _)| *n == ty.name) {
                    Some(&(_, t)) => (self.node(Node::Is(a, t)), Ty::Bool),
                    None => {
                        let names = TypeTest::ALL.map(|(n, _)| n);
                        let mut d = Diagnostic::error(
                            Code::UnknownType,
                            format!("unknown type `{}`", ty.name),
                        )
                        .primary(ty.span, "not a type");
                        d = match closest(&ty.name, names) {
                            Some(near) => d.help(format!("did you mean `{near}`?")),
                            None => d.help(format!("the types are {}", names.join(", "))),
                        };
                        self.error(d)
                    }
                }
            }
            ExprKind::Binary(op, l, r) => self.binary(body, *op, l, r),
            ExprKind::If(c, a, b) => {
                let (cn, ct) = self.expr(body, c);
                self.expect(ct, Ty::Bool, c.span, "the condition of `if`");
                let (an, at) = self.expr(body, a);
                let (bn, bt) = self.expr(body, b);
                let id = self.node(Node::If(cn, an, bn));
                (self.fold(id), if at == bt { at } else { Ty::Any })
            }
            ExprKind::Object(entries) => {
                let mut fields: Vec<(String, NodeId)> = Vec::new();
                for (k, v) in entries {
                    let (n, _) = self.expr(body, v);
                    if fields.iter().any(|(name, _)| *name == k.value) {
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::Duplicate,
                                format!("key `{}` is given twice in this object", k.value),
                            )
                            .primary(k.span, "given again here"),
                        );
                    }
                    fields.push((crate::model::escape_owned_key(k.value.clone()), n));
                }
                let id = self.node(Node::Object(fields));
                (self.fold(id), Ty::Object)
            }
            ExprKind::Quant(q, var, over, inner) => {
                let (over_node, over_ty) = self.expr(body, over);
                if matches!(over_ty, Ty::Number | Ty::Bool | Ty::String) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!(
                                "`{}` ranges over a list, not {}",
                                q.keyword(),
                                over_ty.name()
                            ),
                        )
                        .primary(over.span, format!("this is {}", over_ty.name())),
                    );
                }
                let slot = body.bind(&var.name, Ty::Any, var.span, false);
                let (b, bty) = self.expr(body, inner);
                body.unbind();
                self.expect(bty, Ty::Bool, inner.span, "a quantifier's condition");
                let kind = match q {
                    Quant::Some => QuantKind::Some,
                    Quant::All => QuantKind::All,
                    Quant::None => QuantKind::None,
                    Quant::Count => QuantKind::Count,
                };
                let ty = if kind == QuantKind::Count {
                    Ty::Number
                } else {
                    Ty::Bool
                };
                (
                    self.node(Node::Quant {
                        kind,
                        slot,
                        over: over_node,
                        body: b,
                    }),
                    ty,
                )
            }
        }
    }

    fn name(&mut self, body: &mut Body, name: &str, span: Span) -> (NodeId, Ty) {
        if let Some(l) = body.locals.iter_mut().rev().find(|l| l.name == name) {
            l.used = true;
            let (slot, ty) = (l.slot, l.ty);
            if body.reader != Reader::Message {
                body.reads.push((body.reader, slot));
            }
            return (self.node(Node::Local(slot)), ty);
        }
        for pack in self.visible(body.pack) {
            if let Some(&i) = self.param_index.get(&(pack, name.to_string())) {
                let v = self.params[i].value.clone();
                let ty = match &v {
                    Json::Number(_) => Ty::Number,
                    Json::String(_) => Ty::String,
                    Json::Bool(_) => Ty::Bool,
                    Json::Array(_) => Ty::List,
                    _ => Ty::Any,
                };
                let node = self.constant_node(v);
                self.param_nodes.insert(node, self.params[i].name.clone());
                return (node, ty);
            }
        }
        let mut candidates: Vec<String> = body.locals.iter().map(|l| l.name.clone()).collect();
        for pack in self.visible(body.pack) {
            candidates.extend(
                self.params
                    .iter()
                    .filter(|p| p.pack == self.packs[pack].name.name)
                    .map(|p| p.name.clone()),
            );
        }
        if self.broken_uses.contains(&body.pack) {
            // The name may come from the pack the failed `use` names: that error says it.
            return (self.constant_node(Json::Null), Ty::Any);
        }
        let mut d = Diagnostic::error(Code::UnknownName, format!("unknown name `{name}`"))
            .primary(span, "not bound here");
        if self
            .visible(body.pack)
            .iter()
            .any(|&p| self.preds.contains_key(&(p, name.to_string())))
        {
            d = d.help(format!("`{name}` is a predicate: call it, `{name}(…)`"));
        } else if let Some(near) = closest(name, candidates.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{near}`?"));
            // The misspelt use was meant for it: it is not also reported unused.
            if let Some(l) = body.locals.iter_mut().rev().find(|l| l.name == near) {
                l.used = true;
            }
        } else {
            d = d
                .help("names are the block's binding, `let`s, quantifier variables and parameters");
        }
        self.error(d)
    }

    fn path(&mut self, body: &mut Body, e: &Expr) -> (NodeId, Ty) {
        let mut segs = Vec::new();
        let mut cur = e;
        while let ExprKind::Path(base, seg) = &cur.kind {
            segs.push(seg);
            cur = base;
        }
        segs.reverse();
        let (root, _) = self.expr(body, cur);
        self.segments(body, root, &segs)
    }

    fn segments(&mut self, body: &mut Body, mut node: NodeId, segs: &[&Segment]) -> (NodeId, Ty) {
        for (i, seg) in segs.iter().enumerate() {
            let collection = match seg {
                Segment::Key(k) => {
                    let key = self.key(k);
                    node = self.node(Node::Get(node, key));
                    continue;
                }
                Segment::Index(n) => {
                    node = self.node(Node::Index(node, *n));
                    continue;
                }
                Segment::Lookup(key) => {
                    let (k, ty) = self.expr(body, key);
                    if matches!(ty, Ty::Bool | Ty::List | Ty::Object | Ty::Resource) {
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::TypeMismatch,
                                format!("a lookup takes a key or an index, not {}", ty.name()),
                            )
                            .primary(key.span, format!("this is {}", ty.name())),
                        );
                    }
                    node = self.node(Node::Lookup(node, k));
                    node = self.fold(node);
                    continue;
                }
                Segment::Wild => self.node(Node::Elements(node)),
                Segment::Values => self.node(Node::Values(node)),
                Segment::Filter(cond) => {
                    let elements = self.node(Node::Elements(node));
                    let slot = body.slot();
                    body.current.push(slot);
                    let (c, ty) = self.expr(body, cond);
                    body.current.pop();
                    self.expect(ty, Ty::Bool, cond.span, "a filter's condition");
                    self.node(Node::Filter {
                        over: elements,
                        slot,
                        cond: c,
                    })
                }
            };
            let rest = &segs[i + 1..];
            if rest.is_empty() {
                return (collection, Ty::List);
            }
            let slot = body.slot();
            let start = self.node(Node::Local(slot));
            let (inner, _) = self.segments(body, start, rest);
            let flatten = rest
                .iter()
                .any(|s| matches!(s, Segment::Wild | Segment::Values | Segment::Filter(_)));
            return (
                self.node(Node::Map {
                    over: collection,
                    slot,
                    body: inner,
                    flatten,
                }),
                Ty::List,
            );
        }
        (node, Ty::Any)
    }

    fn call(
        &mut self,
        body: &mut Body,
        name: &crate::ast::Ident,
        args: &[Expr],
        span: Span,
    ) -> (NodeId, Ty) {
        let lowered: Vec<(NodeId, Ty, Span)> = args
            .iter()
            .map(|a| {
                let (n, t) = self.expr(body, a);
                (n, t, a.span)
            })
            .collect();
        let ids: Vec<NodeId> = lowered.iter().map(|x| x.0).collect();
        if let Some(key) = self.find_pred(body.pack, &name.name) {
            let arity = self.preds[&key].0.params.len();
            if arity != args.len() {
                return self.arity_error(name, arity, args.len(), span);
            }
            return match self.pred_func(&key, Some(name.span)) {
                Some(f) => (self.node(Node::Call(f, ids)), Ty::Bool),
                None => (self.constant_node(Json::Null), Ty::Any),
            };
        }
        let Some(builtin) = Builtin::lookup(&name.name) else {
            if self.broken_uses.contains(&body.pack) {
                return (self.constant_node(Json::Null), Ty::Any);
            }
            let mut names: Vec<String> =
                Builtin::ALL.iter().map(|b| b.name().to_string()).collect();
            for p in self.visible(body.pack) {
                names.extend(self.preds.keys().filter(|k| k.0 == p).map(|k| k.1.clone()));
            }
            let mut d = Diagnostic::error(
                Code::UnknownFunction,
                format!("unknown function `{}`", name.name),
            )
            .primary(name.span, "no builtin or predicate has this name");
            d = match closest(&name.name, names.iter().map(String::as_str)) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help("`buttress explain B0202` lists the builtins"),
            };
            return self.error(d);
        };
        let params = builtin.params();
        if args.len() < builtin.required() || args.len() > params.len() {
            return self.arity_error(name, builtin.required(), args.len(), span);
        }
        if builtin == Builtin::RegexFind {
            if let Some(d) = self.check_constant_pattern(body.pack, ids[1], &args[1]) {
                return self.error(d);
            }
        }
        for (&(_, ty, s), &want) in lowered.iter().zip(params) {
            if !ty.fits(want) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!(
                            "`{}` takes {} here, not {}",
                            builtin.name(),
                            want.name(),
                            ty.name()
                        ),
                    )
                    .primary(s, format!("this is {}", ty.name())),
                );
            }
        }
        if builtin == Builtin::Today {
            let today = Json::String(self.today.clone());
            return (self.constant_node(today), Ty::String);
        }
        let id = self.node(Node::Builtin(builtin, ids));
        (self.fold(id), builtin.result())
    }

    /// A pattern known at compile time (a literal or a parameter) must be a valid regex.
    fn check_constant_pattern(&self, pack: usize, node: NodeId, expr: &Expr) -> Option<Diagnostic> {
        let Node::Const(c) = &self.program.nodes[node as usize] else {
            return None;
        };
        if self.is_tested_literal(pack, expr) {
            return None;
        }
        let text = self.program.consts[*c as usize].as_str()?;
        let err = crate::ir::Pattern::new(text).err()?;
        Some(bad_regex(
            &err,
            text,
            expr.span,
            self.param_nodes.get(&node),
        ))
    }

    /// The pattern `expr` gives, checked unless it is a tested literal.
    fn pattern(
        &self,
        pack: usize,
        expr: &Expr,
        text: &str,
    ) -> Result<crate::ir::Pattern, regex::Error> {
        if self.is_tested_literal(pack, expr) {
            Ok(crate::ir::Pattern::unchecked(text))
        } else {
            crate::ir::Pattern::new(text)
        }
    }

    /// Whether `expr` is a string literal of a pack whose patterns a test checks (the embedded
    /// standard library): such a pattern is not checked again on every run. Anything else,
    /// a parameter or an expression over one, may hold the user's text and is always checked.
    fn is_tested_literal(&self, pack: usize, expr: &Expr) -> bool {
        self.tested_packs.get(pack).copied().unwrap_or(false)
            && matches!(expr.kind, ExprKind::Str(_))
    }

    fn find_pred(&self, pack: usize, name: &str) -> Option<(usize, String)> {
        if let Some((p, n)) = name.rsplit_once('.') {
            let key = (*self.pack_index.get(p)?, n.to_string());
            return self.preds.contains_key(&key).then_some(key);
        }
        self.visible(pack)
            .into_iter()
            .map(|p| (p, name.to_string()))
            .find(|key| self.preds.contains_key(key))
    }

    fn arity_error(
        &mut self,
        name: &crate::ast::Ident,
        want: usize,
        got: usize,
        span: Span,
    ) -> (NodeId, Ty) {
        let plural = if want == 1 { "" } else { "s" };
        self.error(
            Diagnostic::error(
                Code::WrongArity,
                format!("`{}` takes {want} argument{plural}, not {got}", name.name),
            )
            .primary(span, format!("{got} given")),
        )
    }

    fn binary(&mut self, body: &mut Body, op: BinaryOp, l: &Expr, r: &Expr) -> (NodeId, Ty) {
        let (a, lt) = self.expr(body, l);
        if op == BinaryOp::Matches {
            return self.matches(a, r, body);
        }
        let (b, rt) = self.expr(body, r);
        let (node, ty) = match op {
            BinaryOp::And | BinaryOp::Or => {
                self.expect(
                    lt,
                    Ty::Bool,
                    l.span,
                    &format!("the left side of `{}`", op.symbol()),
                );
                self.expect(
                    rt,
                    Ty::Bool,
                    r.span,
                    &format!("the right side of `{}`", op.symbol()),
                );
                (
                    if op == BinaryOp::And {
                        Node::And(a, b)
                    } else {
                        Node::Or(a, b)
                    },
                    Ty::Bool,
                )
            }
            BinaryOp::Coalesce => (Node::Coalesce(a, b), if lt == rt { lt } else { Ty::Any }),
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let cmp = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                (Node::Compare(cmp, a, b), Ty::Bool)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                if matches!(rt, Ty::Number | Ty::Bool) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!(
                                "`{}` looks into a list, object or string, not {}",
                                op.symbol(),
                                rt.name()
                            ),
                        )
                        .primary(r.span, format!("this is {}", rt.name())),
                    );
                }
                let inn = self.node(Node::In(a, b));
                let inn = self.fold(inn);
                if op == BinaryOp::In {
                    return (inn, Ty::Bool);
                }
                (Node::Not(inn), Ty::Bool)
            }
            _ => {
                let arith = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let strings = arith == ArithOp::Add && (lt == Ty::String || rt == Ty::String);
                let lists = arith == ArithOp::Add && (lt == Ty::List || rt == Ty::List);
                if lists {
                    self.expect(lt, Ty::List, l.span, "a list concatenation's left side");
                    self.expect(rt, Ty::List, r.span, "a list concatenation's right side");
                } else if strings {
                    self.expect(lt, Ty::String, l.span, "a string concatenation's left side");
                    self.expect(
                        rt,
                        Ty::String,
                        r.span,
                        "a string concatenation's right side",
                    );
                } else {
                    self.expect(
                        lt,
                        Ty::Number,
                        l.span,
                        &format!("the left side of `{}`", op.symbol()),
                    );
                    self.expect(
                        rt,
                        Ty::Number,
                        r.span,
                        &format!("the right side of `{}`", op.symbol()),
                    );
                }
                let ty = if lists {
                    Ty::List
                } else if strings {
                    Ty::String
                } else if lt == Ty::Any && rt == Ty::Any && arith == ArithOp::Add {
                    Ty::Any
                } else {
                    Ty::Number
                };
                (Node::Arith(arith, a, b), ty)
            }
        };
        let id = self.node(node);
        (self.fold(id), ty)
    }

    fn matches(&mut self, subject: NodeId, pattern: &Expr, body: &mut Body) -> (NodeId, Ty) {
        let (p, _) = self.expr(body, pattern);
        let param = self.param_nodes.get(&p).cloned();
        let text = match &self.program.nodes[p as usize] {
            Node::Const(c) => self.program.consts[*c as usize]
                .as_str()
                .map(str::to_string),
            _ => None,
        };
        let Some(text) = text else {
            return self.error(
                Diagnostic::error(Code::TypeMismatch, "the pattern of `matches` must be a constant string")
                    .primary(pattern.span, "not known before evaluation")
                    .help("patterns are compiled once; for a pattern computed per resource use `regex_find(s, pattern)`"),
            );
        };
        // Each pattern is checked once, however many rules and predicate calls use it.
        let known = self.program.regexes.iter().position(|r| r.as_str() == text);
        let id = match known {
            Some(i) => i as u32,
            None => match self.pattern(body.pack, pattern, &text) {
                Ok(re) => {
                    self.program.regexes.push(re);
                    self.program.regexes.len() as u32 - 1
                }
                Err(err) => {
                    let d = bad_regex(&err, &text, pattern.span, param.as_ref());
                    return self.error(d);
                }
            },
        };
        let n = self.node(Node::Matches(subject, id));
        (self.fold(n), Ty::Bool)
    }
}

/// B0402 for a pattern that does not compile; the pattern is shown, since it may come from a
/// parameter rather than the text under the caret.
fn bad_regex(err: &regex::Error, pattern: &str, span: Span, param: Option<&String>) -> Diagnostic {
    let detail = err.to_string();
    let last = detail.lines().last().unwrap_or("").trim();
    let last = last.strip_prefix("error: ").unwrap_or(last).to_string();
    let shown = match param {
        Some(p) => format!(
            "the pattern is `{pattern}`, the value of parameter `{p}` (its default, `--param` or buttress.toml)"
        ),
        None => format!("the pattern is `{pattern}`"),
    };
    Diagnostic::error(Code::BadRegex, "invalid regular expression")
        .primary(span, last)
        .help(shown)
        .help("the syntax is that of the Rust `regex` crate (no look-around, no back-references)")
}

/// Mark the `let`s that no condition reads, directly or through another `let`, as
/// [`Stmt::Let::for_messages`] (`stmts` in source order): a block's messages are rendered for
/// its findings only, and a `let` that builds a message (the ports a group opens) need not
/// run for every resource.
fn defer_message_lets(reads: &[(Reader, Slot)], stmts: &mut [Stmt]) {
    let mut needed: Vec<Slot> = reads
        .iter()
        .filter(|(r, _)| *r == Reader::Condition)
        .map(|(_, s)| *s)
        .collect();
    // A `let` reads only those before it: from the last back, each needed one adds its own.
    for (i, s) in stmts.iter_mut().enumerate().rev() {
        if let Stmt::Let {
            slot, for_messages, ..
        } = s
        {
            if needed.contains(slot) {
                needed.extend(
                    reads
                        .iter()
                        .filter(|(r, _)| *r == Reader::Let(i))
                        .map(|(_, s)| *s),
                );
            } else {
                *for_messages = true;
            }
        }
    }
}
