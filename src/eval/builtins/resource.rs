//! Resource builtins: name, resource_type, entry.

use crate::eval::expr::Evaluator;
use crate::eval::value::Val;
use crate::ir::Builtin;

pub fn call<'a>(ev: &Evaluator<'a>, b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let Val::Resource(r) = args[0] else {
        return None;
    };
    let res = ev.doc?.resources.get(r as usize)?;
    Some(match b {
        Builtin::Name => Val::str(&res.name),
        Builtin::ResourceType => Val::str(&res.type_name),
        _ => Val::Doc(&res.entry),
    })
}
