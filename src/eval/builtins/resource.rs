//! Resource builtins: name, resource_type, entry, and the relationships refs and referrers.

use crate::eval::expr::Evaluator;
use crate::eval::value::Val;
use crate::ir::Builtin;

pub fn call<'a>(ev: &Evaluator<'a>, b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let Val::Resource(r) = args[0] else {
        return None;
    };
    let res = ev.doc?.resources.get(r as usize)?;
    let doc = ev.doc?;
    Some(match b {
        Builtin::Name => Val::str(&res.name),
        Builtin::ResourceType => Val::str(&res.type_name),
        Builtin::Refs | Builtin::Referrers => {
            let glob = crate::ir::Glob::new(args[1].as_str()?);
            let edges = if b == Builtin::Refs {
                &res.refs
            } else {
                doc.referrers.get(r as usize)?
            };
            let related = edges
                .iter()
                .filter(|&&i| {
                    doc.resources
                        .get(i as usize)
                        .is_some_and(|t| glob.matches(&t.type_name))
                })
                .map(|&i| Val::Resource(i))
                .collect();
            Val::List(std::rc::Rc::new(related))
        }
        _ => Val::Doc(&res.entry),
    })
}
