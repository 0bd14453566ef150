//! Every span of a syntax tree, visited mutably: how a tree parsed under one set of file ids
//! is moved to another (the standard library, parsed at build time, loads after other files).

use super::*;

impl PackFile {
    /// Add `by` to the file id of every span in the pack.
    pub fn shift_files(&mut self, by: u32) {
        if by != 0 {
            self.for_each_span(&mut |s: &mut Span| s.file.0 += by);
        }
    }

    /// Call `f` on every span in the pack.
    pub fn for_each_span(&mut self, f: &mut impl FnMut(&mut Span)) {
        ident(&mut self.name, f);
        for u in &mut self.uses {
            ident(u, f);
        }
        for item in &mut self.items {
            match item {
                Item::Param(p) => {
                    ident(&mut p.name, f);
                    ident(&mut p.ty, f);
                    expr(&mut p.default, f);
                }
                Item::Pred(p) => {
                    ident(&mut p.name, f);
                    p.params.iter_mut().for_each(|i| ident(i, f));
                    expr(&mut p.body, f);
                }
                Item::Rule(r) => rule(r, f),
            }
        }
    }
}

fn ident(i: &mut Ident, f: &mut impl FnMut(&mut Span)) {
    f(&mut i.span);
}

fn string(s: &mut StrLit, f: &mut impl FnMut(&mut Span)) {
    f(&mut s.span);
}

fn rule(r: &mut Rule, f: &mut impl FnMut(&mut Span)) {
    ident(&mut r.name, f);
    f(&mut r.span);
    for m in &mut r.meta {
        ident(&mut m.key, f);
        f(&mut m.span);
        match &mut m.value {
            MetaValue::Word(w) => ident(w, f),
            MetaValue::Strings(list) => list.iter_mut().for_each(|s| string(s, f)),
        }
    }
    for b in &mut r.blocks {
        ident(&mut b.kind, f);
        string(&mut b.pattern, f);
        ident(&mut b.binding, f);
        f(&mut b.span);
        for s in &mut b.stmts {
            stmt(s, f);
        }
    }
}

fn stmt(s: &mut Stmt, f: &mut impl FnMut(&mut Span)) {
    match s {
        Stmt::Let { name, value } => {
            ident(name, f);
            expr(value, f);
        }
        Stmt::When { cond } => expr(cond, f),
        Stmt::Require { cond, message, .. } => {
            expr(cond, f);
            if let Some(t) = message {
                f(&mut t.span);
                for part in &mut t.parts {
                    if let TemplatePart::Hole(e) = part {
                        expr(e, f);
                    }
                }
            }
        }
    }
}

fn expr(e: &mut Expr, f: &mut impl FnMut(&mut Span)) {
    f(&mut e.span);
    match &mut e.kind {
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Name(_)
        | ExprKind::Current => {}
        ExprKind::List(items) => items.iter_mut().for_each(|x| expr(x, f)),
        ExprKind::Path(base, seg) => {
            expr(base, f);
            match seg {
                Segment::Filter(x) | Segment::Lookup(x) => expr(x, f),
                Segment::Key(_) | Segment::Index(_) | Segment::Wild | Segment::Values => {}
            }
        }
        ExprKind::Call(name, args) => {
            ident(name, f);
            args.iter_mut().for_each(|x| expr(x, f));
        }
        ExprKind::Unary(_, x) => expr(x, f),
        ExprKind::Binary(_, a, b) => {
            expr(a, f);
            expr(b, f);
        }
        ExprKind::Is(x, ty) => {
            expr(x, f);
            ident(ty, f);
        }
        ExprKind::Quant(_, var, domain, body) => {
            ident(var, f);
            expr(domain, f);
            expr(body, f);
        }
        ExprKind::If(c, a, b) => {
            expr(c, f);
            expr(a, f);
            expr(b, f);
        }
        ExprKind::Object(fields) => {
            for (k, v) in fields {
                string(k, f);
                expr(v, f);
            }
        }
    }
}
