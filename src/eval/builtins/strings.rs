//! String builtins: lower, upper, trim, starts_with, ends_with, split, join, to_string,
//! to_number, regex_find, url_decode, ssm_parameter.

use crate::eval::value::{display, Val, Why};
use crate::ir::Builtin;
use crate::model::{unknown_ssm_parameter, Document};
use std::rc::Rc;

fn s(text: impl Into<Rc<str>>) -> Val<'static> {
    Val::Str(text.into())
}

/// The string `v` holds when it is a known string (of the document, the program or computed),
/// which a builtin that would give the same text back returns as it is, without a copy.
fn known_str<'v>(v: &'v Val<'_>) -> Option<&'v str> {
    match v {
        Val::Doc(_) | Val::Const(_) | Val::Str(_) | Val::Owned(_) => v.as_str(),
        _ => None,
    }
}

/// `split(args…)[i]` without the list of parts (`split` below, then the index); `None` for
/// ill-typed arguments.
pub fn split_part<'a>(args: &[Val<'a>], i: usize) -> Option<Val<'a>> {
    let (text, sep) = (args[0].as_str()?, args[1].as_str()?);
    let part = if sep.is_empty() {
        text.chars().nth(i).map(|c| s(c.to_string()))
    } else {
        text.split(sep).nth(i).map(s)
    };
    Some(part.unwrap_or(Val::Missing(None)))
}

/// `%XX` escapes and `+` decoded (a `%` that starts no escape stays as it is); `None` when
/// the decoded bytes are not UTF-8.
pub fn url_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => match bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// `ssm_parameter(v)`: the Systems Manager parameter an unknown value comes from; absent for a
/// value known now; the unknown itself when nothing says where it comes from.
pub fn ssm_parameter<'a>(v: &Val<'a>) -> Val<'a> {
    let marker = match v {
        Val::Unknown(Why::Node(j)) => unknown_ssm_parameter(j),
        Val::Unknown(Why::Held(j)) => unknown_ssm_parameter(j),
        Val::Unknown(_) => None,
        _ => return Val::Missing(None),
    };
    match marker {
        Some(name) => s(name),
        None => v.clone(),
    }
}

pub fn call<'a>(doc: Option<&'a Document>, b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let names = super::names(doc);
    let text = || args[0].as_str();
    Some(match b {
        Builtin::Lower => match known_str(&args[0]) {
            Some(t) if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_uppercase()) => {
                args[0].clone()
            }
            _ => s(text()?.to_lowercase()),
        },
        Builtin::Upper => s(text()?.to_uppercase()),
        Builtin::Trim => s(text()?.trim()),
        Builtin::StartsWith => Val::Bool(text()?.starts_with(args[1].as_str()?)),
        Builtin::EndsWith => Val::Bool(text()?.ends_with(args[1].as_str()?)),
        // An empty separator splits into characters (as `split_part` above does).
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
                        .or_else(|| i.as_num().map(|n| display(&n.into_val(), &names)))
                })
                .collect();
            s(parts?.join(args[1].as_str()?))
        }
        Builtin::ToString => {
            if args[0].is_missing() {
                return None;
            }
            if known_str(&args[0]).is_some() {
                return Some(args[0].clone());
            }
            s(display(&args[0], &names))
        }
        Builtin::ToNumber => args[0].as_num()?.into_val(),
        Builtin::RegexFind => {
            let pattern = args[1].as_str()?;
            let Ok(re) = regex::RegexBuilder::new(pattern)
                .size_limit(1 << 20)
                .build()
            else {
                return Some(Val::unknown_because(format!(
                    "`{pattern}` is not a valid regular expression"
                )));
            };
            s(re.find(text()?)?.as_str())
        }
        Builtin::UrlDecode => match url_decode(text()?) {
            Some(t) => s(t),
            None => Val::unknown_because("the text's %-escapes are not UTF-8"),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn url_decoding() {
        assert_eq!(super::url_decode("a%20b+c%7B").as_deref(), Some("a b c{"));
        assert_eq!(super::url_decode("%zz").as_deref(), Some("%zz"));
        assert_eq!(super::url_decode("%ff"), None);
        assert_eq!(super::url_decode("100%").as_deref(), Some("100%"));
    }
}
