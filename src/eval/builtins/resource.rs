//! Resource and document builtins: name, resource_type, entry, the relationships refs and
//! referrers (optionally at a property path), and resources, the document query.

use crate::eval::value::Val;
use crate::ir::{glob_matcher, Builtin};
use crate::model::Document;
use std::rc::Rc;

/// A property path as rules write it (`LoggingConfig.DestinationBucketName`); the loaders
/// record reference paths in the same form.
fn property_path(text: &str) -> &str {
    text.trim_matches('.')
}

pub fn call<'a>(doc: Option<&'a Document>, b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let doc = doc?;
    if b == Builtin::Resources {
        let matches = glob_matcher(args[0].as_str()?);
        let found = doc
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| matches(&r.type_name))
            .map(|(i, _)| Val::Resource(i as u32))
            .collect();
        return Some(Val::List(Rc::new(found)));
    }
    let Val::Resource(r) = args[0] else {
        return None;
    };
    let res = doc.resources.get(r as usize)?;
    Some(match b {
        Builtin::Name => Val::str(&res.name),
        Builtin::ResourceType => Val::str(&res.type_name),
        Builtin::Refs | Builtin::Referrers => {
            let of_type = glob_matcher(args[1].as_str()?);
            let at = match args.get(2) {
                Some(p) => Some(property_path(p.as_str()?)),
                None => None,
            };
            let matches = |i: u32| {
                doc.resources
                    .get(i as usize)
                    .is_some_and(|t| of_type(&t.type_name))
            };
            // One list: the related resources of the type, none twice in a row.
            let mut related: Vec<Val<'a>> = Vec::new();
            let mut last = None;
            let mut add = |i: u32| {
                if matches(i) && last != Some(i) {
                    related.push(Val::Resource(i));
                    last = Some(i);
                }
            };
            if b == Builtin::Refs {
                res.refs
                    .iter()
                    .filter(|e| at.is_none_or(|p| e.made_at(p)))
                    .for_each(|e| add(e.to));
            } else {
                doc.referrers
                    .get(r as usize)?
                    .iter()
                    .filter(|&&(from, edge)| {
                        at.is_none_or(|p| {
                            doc.resources
                                .get(from as usize)
                                .and_then(|x| x.refs.get(edge as usize))
                                .is_some_and(|e| e.made_at(p))
                        })
                    })
                    .for_each(|&(from, _)| add(from));
            }
            Val::List(Rc::new(related))
        }
        _ => Val::Doc(&res.entry),
    })
}
