//! Builtin functions, one file per family (see [`Family`]). Each takes the values of its
//! arguments and, for the resource and document families, the document: never the
//! evaluator. An unknown argument makes the result unknown; an absent or ill-typed argument
//! makes it absent.

mod collections;
mod iam;
mod net;
mod resource;
mod strings;

use super::value::Val;
use crate::ir::{Builtin, Family};
use crate::model::Document;

pub fn call<'a>(doc: Option<&'a Document>, b: Builtin, args: &[Val<'a>]) -> Val<'a> {
    if b == Builtin::SsmParameter {
        // The one builtin that reads an unknown value: where it will come from.
        return strings::ssm_parameter(&args[0]);
    }
    if let Some(u) = first_unknown(args) {
        return u;
    }
    let out = match b.family() {
        Family::Strings => strings::call(doc, b, args),
        Family::Collections => collections::call(b, args),
        Family::Net => net::call(b, args),
        Family::Iam => iam::call(b, args),
        Family::Resource | Family::Document => resource::call(doc, b, args),
        // The run's context is a constant by the time rules run (`compile::lower`).
        Family::Run => None,
    };
    out.unwrap_or(Val::Missing(None))
}

/// The first unknown argument, which a builtin gives as its value.
fn first_unknown<'a>(args: &[Val<'a>]) -> Option<Val<'a>> {
    args.iter().find(|a| a.is_unknown()).cloned()
}

/// `split(text, sep)[i]`: what `call` of `split` and then the index give, without the list of
/// parts (`split(entry, " ")[0]` over a table of entries is how rules read one).
pub fn split_part<'a>(args: &[Val<'a>], i: usize) -> Val<'a> {
    if let Some(u) = first_unknown(args) {
        return u;
    }
    strings::split_part(args, i).unwrap_or(Val::Missing(None))
}

/// A resource's name, for display.
pub fn names(doc: Option<&Document>) -> impl Fn(u32) -> String + '_ {
    move |r| {
        doc.and_then(|d| d.resources.get(r as usize))
            .map_or_else(String::new, |r| r.name.clone())
    }
}
