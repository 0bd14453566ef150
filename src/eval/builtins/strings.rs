//! String builtins: lower, upper, trim, starts_with, ends_with, split, join, to_string,
//! to_number, regex_find, url_decode, ssm_parameter.

use crate::eval::value::{display, Val, Why};
use crate::ir::Builtin;
use crate::model::{unknown_ssm_parameter, Document};
use foldhash::HashMap;
use std::rc::Rc;
use std::sync::{OnceLock, RwLock};

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
            let found = regex_find(pattern, args[0].as_str());
            let Some(found) = found else {
                return Some(Val::unknown_because(format!(
                    "`{pattern}` is not a valid regular expression"
                )));
            };
            let (start, end) = found?;
            s(&text()?[start..end])
        }
        Builtin::UrlDecode => match url_decode(text()?) {
            Some(t) => s(t),
            None => Val::unknown_because("the text's %-escapes are not UTF-8"),
        },
        _ => return None,
    })
}

/// The patterns `regex_find` was given, built once per process: a rule calls it with the same
/// literal for every resource, and building a pattern costs as much as checking dozens of
/// resources. At most this many are kept (the others are built for each call), so patterns
/// taken from the documents cannot grow it without bound.
const FOUND_PATTERNS_KEPT: usize = 256;

type Built = Option<regex_automata::meta::Regex>;

static FOUND_PATTERNS: OnceLock<RwLock<HashMap<String, Built>>> = OnceLock::new();

/// Where `pattern` first matches in `text`: `None` when the pattern is not a valid regular
/// expression, `Some(None)` when there is no text or no match.
fn regex_find(pattern: &str, text: Option<&str>) -> Option<Option<(usize, usize)>> {
    let search = |re: &Built| {
        let re = re.as_ref()?;
        Some(text.and_then(|t| re.find(t)).map(|m| (m.start(), m.end())))
    };
    let kept = FOUND_PATTERNS.get_or_init(RwLock::default);
    if let Some(re) = kept.read().ok()?.get(pattern) {
        return search(re);
    }
    let re = crate::ir::pattern::build_finder(pattern);
    let found = search(&re);
    if let Ok(mut kept) = kept.write() {
        if kept.len() < FOUND_PATTERNS_KEPT {
            kept.insert(pattern.to_string(), re);
        }
    }
    found
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

    #[test]
    fn regex_find_keeps_its_patterns_and_finds_the_same_again() {
        for _ in 0..2 {
            assert_eq!(
                super::regex_find("[0-9]+", Some("m5.large")),
                Some(Some((1, 2)))
            );
            assert_eq!(super::regex_find("[0-9]+", Some("large")), Some(None));
            assert_eq!(super::regex_find("[0-9]+", None), Some(None));
            assert_eq!(super::regex_find("(", Some("x")), None);
        }
        let kept = super::FOUND_PATTERNS.get().unwrap().read().unwrap();
        assert!(kept.contains_key("[0-9]+") && kept.contains_key("("));
    }
}
