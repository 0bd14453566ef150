//! String builtins: lower, upper, trim, starts_with, ends_with, split, join, to_string,
//! to_number, regex_find.

use crate::eval::expr::Evaluator;
use crate::eval::value::Val;
use crate::ir::Builtin;
use std::rc::Rc;

fn s(text: impl Into<Rc<str>>) -> Val<'static> {
    Val::Str(text.into())
}

pub fn call<'a>(ev: &Evaluator<'a>, b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let text = || args[0].as_str();
    Some(match b {
        Builtin::Lower => s(text()?.to_lowercase()),
        Builtin::Upper => s(text()?.to_uppercase()),
        Builtin::Trim => s(text()?.trim()),
        Builtin::StartsWith => Val::Bool(text()?.starts_with(args[1].as_str()?)),
        Builtin::EndsWith => Val::Bool(text()?.ends_with(args[1].as_str()?)),
        Builtin::Split => {
            let sep = args[1].as_str()?;
            let parts: Vec<Val<'a>> = if sep.is_empty() {
                text()?.chars().map(|c| s(c.to_string())).collect()
            } else {
                text()?.split(sep).map(|p| s(p)).collect()
            };
            Val::List(Rc::new(parts))
        }
        Builtin::Join => {
            let items = args[0].elements()?;
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .or_else(|| i.as_num().map(|n| ev.display(&n.into_val())))
                })
                .collect();
            s(parts?.join(args[1].as_str()?))
        }
        Builtin::ToString => {
            if args[0].is_missing() {
                return None;
            }
            s(ev.display(&args[0]))
        }
        Builtin::ToNumber => args[0].as_num()?.into_val(),
        Builtin::RegexFind => {
            let re = regex::RegexBuilder::new(args[1].as_str()?)
                .size_limit(1 << 20)
                .build()
                .ok()?;
            s(re.find(text()?)?.as_str())
        }
        _ => return None,
    })
}
