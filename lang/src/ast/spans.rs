//! Every part of a syntax tree that depends on where and how its text was laid out, visited
//! mutably: how a tree parsed under one set of file ids is moved to another (the standard
//! library, parsed at build time, loads after other files), and how two layouts of one file are
//! compared (`buttress fmt`).

use super::*;

/// One part of a tree that the layout of its text decides.
pub enum Layout<'a> {
    Span(&'a mut Span),
    /// [`StrLit::content_start`].
    ContentStart(&'a mut u32),
    /// The condition text of a `require`, kept for its default message.
    Source(&'a mut String),
}

impl PackFile {
    /// Add `by` to the file id of every span in the pack.
    pub fn shift_files(&mut self, by: u32) {
        if by != 0 {
            self.for_each_layout(&mut |part| {
                if let Layout::Span(s) = part {
                    s.file.0 += by;
                }
            });
        }
    }

    /// The pack without its layout: no spans or offsets, and conditions' texts without white
    /// space, so that two layouts of one file give equal trees.
    pub fn without_layout(&self) -> PackFile {
        let mut pack = self.clone();
        pack.for_each_layout(&mut |part| match part {
            Layout::Span(s) => *s = Span::new(crate::source::FileId(0), 0..0),
            Layout::ContentStart(c) => *c = 0,
            Layout::Source(text) => *text = text.split_whitespace().collect(),
        });
        pack
    }

    /// Call `f` on every part of the pack that its layout decides.
    pub fn for_each_layout(&mut self, f: &mut impl FnMut(Layout<'_>)) {
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

fn ident(i: &mut Ident, f: &mut impl FnMut(Layout<'_>)) {
    f(Layout::Span(&mut i.span));
}

fn string(s: &mut StrLit, f: &mut impl FnMut(Layout<'_>)) {
    f(Layout::Span(&mut s.span));
    f(Layout::ContentStart(&mut s.content_start));
}

fn rule(r: &mut Rule, f: &mut impl FnMut(Layout<'_>)) {
    ident(&mut r.name, f);
    f(Layout::Span(&mut r.span));
    for m in &mut r.meta {
        ident(&mut m.key, f);
        f(Layout::Span(&mut m.span));
        match &mut m.value {
            MetaValue::Word(w) => ident(w, f),
            MetaValue::Strings(list) => list.iter_mut().for_each(|s| string(s, f)),
        }
    }
    for b in &mut r.blocks {
        ident(&mut b.kind, f);
        string(&mut b.pattern, f);
        ident(&mut b.binding, f);
        f(Layout::Span(&mut b.span));
        for s in &mut b.stmts {
            stmt(s, f);
        }
    }
}

fn stmt(s: &mut Stmt, f: &mut impl FnMut(Layout<'_>)) {
    match s {
        Stmt::Let { name, value } => {
            ident(name, f);
            expr(value, f);
        }
        Stmt::When { cond } => expr(cond, f),
        Stmt::Require {
            cond,
            message,
            source,
        } => {
            expr(cond, f);
            f(Layout::Source(source));
            if let Some(t) = message {
                f(Layout::Span(&mut t.span));
                for part in &mut t.parts {
                    if let TemplatePart::Hole(e) = part {
                        expr(e, f);
                    }
                }
            }
        }
    }
}

fn expr(e: &mut Expr, f: &mut impl FnMut(Layout<'_>)) {
    f(Layout::Span(&mut e.span));
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
