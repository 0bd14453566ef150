//! Builtin functions, one file per family. An unknown argument makes the result unknown;
//! an absent or ill-typed argument makes it absent.

mod collections;
mod iam;
mod net;
mod resource;
mod strings;

use super::expr::Evaluator;
use super::value::Val;
use crate::ir::Builtin;

pub(crate) fn call<'a>(ev: &Evaluator<'a>, b: Builtin, args: Vec<Val<'a>>) -> Val<'a> {
    if let Some(u) = args.iter().find(|a| a.is_unknown()) {
        return u.clone();
    }
    let out = match b {
        Builtin::Lower
        | Builtin::Upper
        | Builtin::Trim
        | Builtin::StartsWith
        | Builtin::EndsWith
        | Builtin::Split
        | Builtin::Join
        | Builtin::ToString
        | Builtin::ToNumber
        | Builtin::RegexFind => strings::call(ev, b, &args),
        Builtin::Contains
        | Builtin::Len
        | Builtin::Keys
        | Builtin::Values
        | Builtin::Any
        | Builtin::All
        | Builtin::Min
        | Builtin::Max
        | Builtin::Sum
        | Builtin::Flatten
        | Builtin::JsonParse => collections::call(b, &args),
        Builtin::CidrContains | Builtin::IsPublicCidr => net::call(b, &args),
        Builtin::ArnParse | Builtin::Statements | Builtin::ActionMatches => iam::call(b, &args),
        Builtin::Name
        | Builtin::ResourceType
        | Builtin::Entry
        | Builtin::Refs
        | Builtin::Referrers => resource::call(ev, b, &args),
    };
    out.unwrap_or(Val::Missing(None))
}
