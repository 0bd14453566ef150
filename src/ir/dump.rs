//! A readable text form of the IR (`buttress compile --emit ir`), stable for golden tests.

use super::{ArithOp, CmpOp, MessagePart, Node, NodeId, Program, QuantKind, Stmt};
use std::fmt::Write;

impl Program {
    /// The whole program as text.
    pub fn dump(&self) -> String {
        let mut s = String::new();
        for (i, f) in self.funcs.iter().enumerate() {
            let _ = writeln!(
                s,
                "pred #{i} {} (arity {}, slots {})",
                f.name, f.arity, f.slots
            );
            let _ = writeln!(s, "  {}", self.expr(f.body));
        }
        for (ri, rule) in self.rules.iter().enumerate() {
            let _ = writeln!(
                s,
                "rule #{ri} {} [{} {} {}]",
                rule.id,
                rule.pillar.id(),
                rule.risk.id(),
                rule.practices.join(",")
            );
            for (bi, b) in self
                .blocks
                .iter()
                .enumerate()
                .filter(|(_, b)| b.rule as usize == ri)
            {
                let target = if b.document {
                    "document".to_string()
                } else {
                    format!("{:?}", b.pattern.as_str())
                };
                let _ = writeln!(
                    s,
                    "  block #{bi} on {} {target} (slots {})",
                    b.kind.id(),
                    b.slots
                );
                for st in &b.stmts {
                    let _ = match st {
                        Stmt::Let {
                            slot,
                            value,
                            for_messages,
                        } => {
                            let when = if *for_messages { " (for messages)" } else { "" };
                            writeln!(s, "    let ${slot}{when} = {}", self.expr(*value))
                        }
                        Stmt::When(c) => writeln!(s, "    when {}", self.expr(*c)),
                        Stmt::Require {
                            cond,
                            message,
                            offenders,
                            ..
                        } => {
                            let msg: String = message
                                .iter()
                                .map(|p| match p {
                                    MessagePart::Text(t) => t.clone(),
                                    MessagePart::Value(n) => format!("{{{}}}", self.expr(*n)),
                                })
                                .collect();
                            let broke = offenders.map_or(String::new(), |(slot, _)| {
                                format!(" (offenders in ${slot})")
                            });
                            if msg.is_empty() {
                                writeln!(s, "    require {}{broke}", self.expr(*cond))
                            } else {
                                writeln!(s, "    require {} else {msg:?}{broke}", self.expr(*cond))
                            }
                        }
                    };
                }
            }
        }
        let mut exact: Vec<_> = self.index.exact.iter().collect();
        exact.sort_by(|a, b| (a.0 .0, &a.0 .1).cmp(&(b.0 .0, &b.0 .1)));
        let _ = writeln!(s, "index");
        for ((kind, ty), blocks) in exact {
            let _ = writeln!(s, "  {} {ty} -> {blocks:?}", kind.id());
        }
        for (kind, b) in &self.index.patterns {
            let _ = writeln!(
                s,
                "  {} {:?} -> [{b}]",
                kind.id(),
                self.blocks[*b as usize].pattern.as_str()
            );
        }
        s
    }

    /// One expression as an s-expression.
    pub fn expr(&self, id: NodeId) -> String {
        self.expr_named(id, &[])
    }

    /// One expression as an s-expression, slots written by the names they were bound to
    /// (`db.StorageEncrypted` rather than `$0.StorageEncrypted`) where `names` has them.
    pub fn expr_named(&self, id: NodeId, names: &[String]) -> String {
        let e = |n: &NodeId| self.expr_named(*n, names);
        match &self.nodes[id as usize] {
            Node::Const(c) => self.consts[*c as usize].to_string(),
            Node::Local(s) => match names.get(*s as usize) {
                Some(n) if !n.is_empty() => n.clone(),
                Some(_) => "@".to_string(),
                None => format!("${s}"),
            },
            Node::Get(b, k) => format!("{}.{}", e(b), self.key(*k)),
            Node::Index(b, i) => format!("{}[{i}]", e(b)),
            Node::Elements(b) => format!("{}[*]", e(b)),
            Node::Values(b) => format!("{}.*", e(b)),
            Node::Map {
                over,
                slot,
                body,
                flatten,
            } => {
                format!(
                    "(map{} ${slot} {} {})",
                    if *flatten { "-flat" } else { "" },
                    e(over),
                    e(body)
                )
            }
            Node::Filter { over, slot, cond } => {
                format!("(filter ${slot} {} {})", e(over), e(cond))
            }
            Node::Not(a) => format!("(not {})", e(a)),
            Node::Neg(a) => format!("(- {})", e(a)),
            Node::Exists(a) => format!("(exists {})", e(a)),
            Node::Empty(a) => format!("(empty {})", e(a)),
            Node::Is(a, t) => format!("(is {} {t:?})", e(a)),
            Node::And(a, b) => format!("(and {} {})", e(a), e(b)),
            Node::Or(a, b) => format!("(or {} {})", e(a), e(b)),
            Node::Coalesce(a, b) => format!("(?? {} {})", e(a), e(b)),
            Node::Compare(op, a, b) => {
                let o = match op {
                    CmpOp::Eq => "==",
                    CmpOp::Ne => "!=",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                };
                format!("({o} {} {})", e(a), e(b))
            }
            Node::In(a, b) => format!("(in {} {})", e(a), e(b)),
            Node::Matches(a, r) => format!(
                "(matches {} /{}/)",
                e(a),
                self.regexes[*r as usize].as_str()
            ),
            Node::Arith(op, a, b) => {
                let o = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "-",
                    ArithOp::Mul => "*",
                    ArithOp::Div => "/",
                };
                format!("({o} {} {})", e(a), e(b))
            }
            Node::List(items) => format!("[{}]", items.iter().map(e).collect::<Vec<_>>().join(" ")),
            Node::Quant {
                kind,
                slot,
                over,
                body,
            } => {
                let k = match kind {
                    QuantKind::Some => "some",
                    QuantKind::All => "all",
                    QuantKind::None => "none",
                    QuantKind::Count => "count",
                };
                format!("({k} ${slot} {} {})", e(over), e(body))
            }
            Node::Builtin(b, args) => {
                format!(
                    "({} {})",
                    b.name(),
                    args.iter().map(e).collect::<Vec<_>>().join(" ")
                )
            }
            Node::If(c, a, b) => format!("(if {} {} {})", e(c), e(a), e(b)),
            Node::Object(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k:?}: {}", e(v)))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Node::Lookup(b, k) => format!("{}[{}]", e(b), e(k)),
            Node::Call(f, args) => {
                format!(
                    "(call {} {})",
                    self.funcs[*f as usize].name,
                    args.iter().map(e).collect::<Vec<_>>().join(" ")
                )
            }
        }
    }
}
