//! The schema check: every `on cloudformation` (and `on terraform "aws_…"`) type glob names
//! a real type, and every property path read from such a resource exists in its schema,
//! with did-you-mean help.
//! Comparisons of a schema-typed property with a literal of another type are flagged too.
//! Runs over the AST after compilation; warnings, or errors under `--strict`.

use super::{for_pattern, Kind, Step, TypeSchema};
use crate::ast::{BinaryOp, Expr, ExprKind, Item, OnBlock, PackFile, Segment, Stmt, TemplatePart};
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::ir::Glob;
use crate::source::{SourceMap, Span};
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// A glob matching more types than this reads properties no one schema decides; only the
/// glob itself is checked.
const MAX_TYPES: usize = 32;

/// How deep predicate calls are followed (the compiler refuses deeper chains anyway).
const MAX_CALLS: usize = 16;

/// Check every `on cloudformation` block of the packs `which` selects (all of `packs` are
/// seen for predicate calls).
pub fn check(
    packs: &[PackFile],
    which: impl Fn(usize) -> bool,
    sources: &SourceMap,
    strict: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut parsed = HashMap::new();
    for (pi, pack) in packs.iter().enumerate().filter(|(pi, _)| which(*pi)) {
        for item in &pack.items {
            let Item::Rule(rule) = item else { continue };
            for block in &rule.blocks {
                check_block(packs, pi, block, sources, &mut parsed, &mut out);
            }
        }
    }
    if strict {
        for d in &mut out {
            d.severity = crate::diagnostics::Severity::Error;
        }
    }
    out
}

fn check_block(
    packs: &[PackFile],
    pack: usize,
    block: &OnBlock,
    sources: &SourceMap,
    parsed: &mut HashMap<&'static str, Option<TypeSchema>>,
    out: &mut Vec<Diagnostic>,
) {
    if block.document {
        // A document block selects no resource type; its `resources(…)` reads are not followed.
        return;
    }
    let pattern = &block.pattern.value;
    let Some(cat) = for_pattern(&block.kind.name, pattern) else {
        return;
    };
    let glob = Glob::new(pattern);
    let matched: Vec<&'static str> = match glob.exact() {
        Some(name) => cat
            .names()
            .iter()
            .copied()
            .filter(|t| *t == name)
            .take(1)
            .collect(),
        None => cat
            .names()
            .iter()
            .copied()
            .filter(|t| glob.matches(t))
            .collect(),
    };
    if matched.is_empty() {
        let mut d = Diagnostic::warning(
            Code::SchemaUnknownType,
            format!("no {} resource type matches `{pattern}`", cat.kind),
        )
        .primary(block.pattern.span, "matches no type");
        if let Some(near) = closest(pattern, cat.names().iter().copied()) {
            d = d.help(format!("did you mean `{near}`?"));
        }
        out.push(d.help(format!("the types are those of {}", cat.version)));
        return;
    }
    if matched.len() > MAX_TYPES {
        return;
    }
    // A problem counts when it holds for every matched type: a rule over several types may
    // read a property only some of them have.
    let mut seen: HashMap<(Code, u32, u32), (usize, Diagnostic)> = HashMap::new();
    let mut order = Vec::new();
    for name in &matched {
        let Some(ty) = parsed.entry(name).or_insert_with(|| cat.get(name)) else {
            continue;
        };
        let mut w = Walker {
            packs,
            sources,
            ty,
            found: Vec::new(),
            followed: HashSet::new(),
            calls: 0,
        };
        let ty: &TypeSchema = ty;
        let mut env = vec![(block.binding.name.as_str(), Some(Shape::new(ty.root())))];
        w.stmts(pack, &block.stmts, &mut env);
        let mut once = HashSet::new();
        for d in w.found {
            let span = d.labels[0].span;
            let key = (d.code, span.start, span.end);
            if !once.insert(key) {
                continue;
            }
            match seen.get_mut(&key) {
                Some(entry) => entry.0 += 1,
                None => {
                    order.push(key);
                    seen.insert(key, (1, d));
                }
            }
        }
    }
    for key in order {
        if let Some((count, mut d)) = seen.remove(&key) {
            if count == matched.len() {
                if matched.len() > 1 {
                    let first = format!("`{}`", matched[0]);
                    let all = format!("any of the {} types `{pattern}` matches", matched.len());
                    d.message = d.message.replace(&first, &all);
                }
                out.push(d);
            }
        }
    }
}

/// A schema node an expression denotes, and how.
#[derive(Clone, Copy)]
struct Shape<'s> {
    node: &'s Json,
    form: Form,
}

#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// One value of the node.
    One,
    /// Inside a path after a wildcard: each further step applies to every element.
    Many,
    /// A finished projection (a name bound to one): a list of values of the node.
    ListOf,
}

impl<'s> Shape<'s> {
    fn new(node: &'s Json) -> Shape<'s> {
        Shape {
            node,
            form: Form::One,
        }
    }

    fn many(node: &'s Json) -> Shape<'s> {
        Shape {
            node,
            form: Form::Many,
        }
    }
}

type Env<'a, 's> = Vec<(&'a str, Option<Shape<'s>>)>;

struct Walker<'a, 's> {
    packs: &'a [PackFile],
    sources: &'a SourceMap,
    ty: &'s TypeSchema,
    found: Vec<Diagnostic>,
    /// Predicate bodies already walked with these argument shapes.
    followed: HashSet<(usize, usize, Vec<usize>)>,
    calls: usize,
}

/// A name's shape; a projection bound to a name is a list from then on.
fn lookup<'s>(env: &Env<'_, 's>, name: &str) -> Option<Shape<'s>> {
    let mut s = env
        .iter()
        .rev()
        .find(|(n, _)| *n == name)
        .and_then(|e| e.1)?;
    if s.form == Form::Many {
        s.form = Form::ListOf;
    }
    Some(s)
}

impl<'a, 's> Walker<'a, 's> {
    fn stmts(&mut self, pack: usize, stmts: &'a [Stmt], env: &mut Env<'a, 's>) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { name, value } => {
                    let shape = self.expr(pack, value, env);
                    env.push((name.name.as_str(), shape));
                }
                Stmt::When { cond } => {
                    self.expr(pack, cond, env);
                }
                Stmt::Require { cond, message, .. } => {
                    self.expr(pack, cond, env);
                    for part in message.iter().flat_map(|m| &m.parts) {
                        if let TemplatePart::Hole(e) = part {
                            self.expr(pack, e, env);
                        }
                    }
                }
            }
        }
    }

    fn expr(&mut self, pack: usize, e: &'a Expr, env: &mut Env<'a, 's>) -> Option<Shape<'s>> {
        match &e.kind {
            ExprKind::Name(n) => lookup(env, n),
            ExprKind::Current => lookup(env, "@"),
            ExprKind::Path(base, seg) => {
                let b = self.expr(pack, base, env);
                self.segment(pack, e, b, seg, env)
            }
            ExprKind::List(items) => {
                for i in items {
                    self.expr(pack, i, env);
                }
                None
            }
            ExprKind::Call(name, args) => {
                let shapes: Vec<_> = args.iter().map(|a| self.expr(pack, a, env)).collect();
                self.call(pack, &name.name, &shapes);
                None
            }
            ExprKind::Unary(_, x) | ExprKind::Is(x, _) => {
                self.expr(pack, x, env);
                None
            }
            ExprKind::Binary(op, l, r) => {
                let ls = self.expr(pack, l, env);
                let rs = self.expr(pack, r, env);
                match op {
                    BinaryOp::Coalesce => ls,
                    BinaryOp::Eq | BinaryOp::Ne => {
                        self.compare(ls, l, r, e.span);
                        self.compare(rs, r, l, e.span);
                        None
                    }
                    BinaryOp::In | BinaryOp::NotIn => {
                        if let ExprKind::List(items) = &r.kind {
                            for item in items {
                                self.compare(ls, l, item, item.span);
                            }
                        }
                        None
                    }
                    _ => None,
                }
            }
            ExprKind::Quant(_, var, over, body) => {
                let c = self.expr(pack, over, env);
                env.push((var.name.as_str(), c.map(|s| self.element(s))));
                self.expr(pack, body, env);
                env.pop();
                None
            }
            ExprKind::If(c, a, b) => {
                self.expr(pack, c, env);
                let sa = self.expr(pack, a, env);
                let sb = self.expr(pack, b, env);
                sa.or(sb)
            }
            ExprKind::Object(entries) => {
                for (_, v) in entries {
                    self.expr(pack, v, env);
                }
                None
            }
            _ => None,
        }
    }

    /// The element a quantifier over `s` binds.
    fn element(&self, s: Shape<'s>) -> Shape<'s> {
        match s.form {
            Form::One => Shape::new(self.ty.element(s.node)),
            Form::Many | Form::ListOf => Shape::new(s.node),
        }
    }

    fn segment(
        &mut self,
        pack: usize,
        e: &'a Expr,
        base: Option<Shape<'s>>,
        seg: &'a Segment,
        env: &mut Env<'a, 's>,
    ) -> Option<Shape<'s>> {
        // The element a step over `base` sees: each element of a projection's list, or of
        // the node's own list.
        let step = |s: Shape<'s>| match s.form {
            Form::ListOf => s.node,
            Form::One | Form::Many => self.ty.element(s.node),
        };
        match seg {
            Segment::Key(k) => {
                let s = base?;
                if s.form == Form::ListOf {
                    return self.not_object(Kind::List, k, e.span);
                }
                self.key(s, k, e.span)
            }
            Segment::Index(_) => base.map(|s| Shape {
                node: step(s),
                form: if s.form == Form::Many {
                    Form::Many
                } else {
                    Form::One
                },
            }),
            Segment::Wild => base.map(|s| Shape::many(step(s))),
            Segment::Values => {
                let s = base.filter(|s| s.form != Form::ListOf)?;
                self.ty.values(s.node).map(Shape::many)
            }
            Segment::Lookup(key) => {
                // A key computed at run time: nothing to check it against.
                self.expr(pack, key, env);
                None
            }
            Segment::Filter(cond) => {
                let el = base.map(|s| Shape::new(step(s)));
                env.push(("@", el));
                self.expr(pack, cond, env);
                env.pop();
                el.map(|s| Shape::many(s.node))
            }
        }
    }

    fn key(&mut self, s: Shape<'s>, k: &str, path: Span) -> Option<Shape<'s>> {
        let span = self.key_span(path, k);
        match self.ty.key(s.node, k) {
            Step::Found(node) => Some(Shape { node, form: s.form }),
            Step::Open => None,
            Step::Missing(known) => {
                let mut d = Diagnostic::warning(
                    Code::SchemaUnknownProperty,
                    format!("`{k}` is not a property here in `{}`", self.ty.name),
                )
                .primary(span, "not in the resource schema");
                match closest(k, known.iter().copied()) {
                    Some(near) => d = d.help(format!("did you mean `{near}`?")),
                    None if !known.is_empty() && known.len() <= 12 => {
                        let mut known = known;
                        known.sort_unstable();
                        d = d.help(format!("the properties here are {}", known.join(", ")));
                    }
                    None => {}
                }
                self.found.push(d);
                None
            }
            Step::NotObject(kind) => self.not_object(kind, k, path),
        }
    }

    fn not_object(&mut self, kind: Kind, k: &str, path: Span) -> Option<Shape<'s>> {
        let span = self.key_span(path, k);
        let mut d = Diagnostic::warning(
            Code::SchemaNotObject,
            format!(
                "`{k}` is read from {} in `{}`, which has no properties",
                kind.word(),
                self.ty.name
            ),
        )
        .primary(span, "always absent");
        if kind == Kind::List {
            d = d.help("read it from each element: `[*].…`, or a quantifier");
        }
        self.found.push(d);
        None
    }

    /// The span of the key at the end of a path expression, or the whole path.
    fn key_span(&self, path: Span, k: &str) -> Span {
        let text = self.sources.text(path);
        if text.ends_with(k) {
            let end = path.end as usize;
            return Span::new(path.file, end - k.len()..end);
        }
        path
    }

    /// A comparison of a schema-typed value with a literal of another type never holds.
    fn compare(&mut self, shape: Option<Shape<'s>>, read: &Expr, other: &Expr, span: Span) {
        let Some(s) = shape.filter(|s| s.form == Form::One) else {
            return;
        };
        let kind = self.ty.kind(s.node);
        let (lit, word) = match &other.kind {
            ExprKind::Bool(b) => (Lit::Bool, b.to_string()),
            ExprKind::Int(i) => (Lit::Number, i.to_string()),
            ExprKind::Float(f) => (Lit::Number, f.to_string()),
            ExprKind::Str(t) => (Lit::Str(t), format!("{t:?}")),
            _ => return,
        };
        let mismatch = match (&kind, &lit) {
            (Kind::Object | Kind::List, _) => true,
            (Kind::Boolean, Lit::Number) => true,
            (Kind::Boolean, Lit::Str(t)) => {
                !matches!(t.to_ascii_lowercase().as_str(), "true" | "false")
            }
            (Kind::Integer | Kind::Number, Lit::Bool) => true,
            (Kind::Integer | Kind::Number, Lit::Str(t)) => t.trim().parse::<f64>().is_err(),
            (Kind::String(values), Lit::Str(t)) if !values.is_empty() => {
                if !values.iter().any(|v| v == t) {
                    let mut d = Diagnostic::warning(
                        Code::SchemaNotInEnum,
                        format!(
                            "{word} is not a value `{}` can have in `{}`",
                            self.describe(read),
                            self.ty.name
                        ),
                    )
                    .primary(other.span, "never equal");
                    d = match closest(t, values.iter().map(String::as_str)) {
                        Some(near) => d.help(format!("did you mean {near:?}?")),
                        None => d.help(format!("the values are {}", values.join(", "))),
                    };
                    self.found.push(d);
                }
                false
            }
            _ => false,
        };
        if mismatch {
            let mut d = Diagnostic::warning(
                Code::SchemaTypeMismatch,
                format!(
                    "`{}` is {} in `{}`, compared here with {word}",
                    self.describe(read),
                    kind.word(),
                    self.ty.name
                ),
            )
            .primary(span, format!("{} is never {word}", kind.word()));
            if let Step::Missing(mut keys) = self.ty.key(s.node, "\u{0}") {
                keys.sort_unstable();
                keys.truncate(8);
                if !keys.is_empty() {
                    d = d.help(format!(
                        "compare one of its properties: {}",
                        keys.join(", ")
                    ));
                }
            }
            self.found.push(d);
        }
    }

    /// The text of a path, for messages (at most a line's worth); of `a ?? default`, `a`.
    fn describe(&self, read: &Expr) -> String {
        let read = match &read.kind {
            ExprKind::Binary(BinaryOp::Coalesce, l, _) => l,
            _ => read,
        };
        let text = self.sources.text(read.span);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match text.char_indices().nth(60) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text,
        }
    }

    /// Follow a predicate call into its body with the shapes of its arguments.
    fn call(&mut self, pack: usize, name: &str, args: &[Option<Shape<'s>>]) {
        if args.iter().all(Option::is_none) || self.calls >= MAX_CALLS {
            return;
        }
        let Some((pi, pred)) = self.find_pred(pack, name) else {
            return;
        };
        if pred.params.len() != args.len() {
            return;
        }
        let key = (
            pi,
            pred as *const crate::ast::Pred as usize,
            args.iter()
                .map(|a| a.map_or(0, |s| s.node as *const Json as usize * 4 + s.form as usize))
                .collect(),
        );
        if !self.followed.insert(key) {
            return;
        }
        let mut env: Env<'a, 's> = pred
            .params
            .iter()
            .zip(args)
            .map(|(p, a)| (p.name.as_str(), *a))
            .collect();
        self.calls += 1;
        self.expr(pi, &pred.body, &mut env);
        self.calls -= 1;
    }

    /// A predicate as the compiler resolves it: `pack.name`, or a name of this pack or of
    /// a pack it uses.
    fn find_pred(&self, pack: usize, name: &str) -> Option<(usize, &'a crate::ast::Pred)> {
        let in_pack = |pi: usize, n: &str| {
            self.packs[pi].items.iter().find_map(|i| match i {
                Item::Pred(p) if p.name.name == n => Some((pi, p)),
                _ => None,
            })
        };
        let by_name = |pack_name: &str| self.packs.iter().position(|p| p.name.name == pack_name);
        if let Some((qual, n)) = name.rsplit_once('.') {
            return by_name(qual).and_then(|pi| in_pack(pi, n));
        }
        std::iter::once(pack)
            .chain(
                self.packs[pack]
                    .uses
                    .iter()
                    .filter_map(|u| by_name(&u.name)),
            )
            .find_map(|pi| in_pack(pi, name))
    }
}

enum Lit<'e> {
    Bool,
    Number,
    Str(&'e str),
}
