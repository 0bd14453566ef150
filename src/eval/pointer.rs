//! JSON pointers of blamed values, found by identity in the resource's properties.

use super::expr::Blame;
use crate::model::Resource;
use serde_json::Value as Json;

use crate::input::locate::escape_key as escape;

/// One step of a path while it is searched: a key, an index, or the root itself.
#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// The path from `root` to the node at address `target`: a depth-first search with its own
/// stack (no deep recursion) that keeps only the steps of the current branch and writes the
/// pointer once, when the node is found, after `prefix` (the pointer of `root`).
fn path_to(root: &Json, target: *const Json, prefix: &str) -> Option<String> {
    let mut stack: Vec<(&Json, usize, Step<'_>)> = vec![(root, 0, Step::Root)];
    let mut branch: Vec<Step<'_>> = Vec::new();
    while let Some((node, depth, step)) = stack.pop() {
        branch.truncate(depth);
        branch.push(step);
        if std::ptr::eq(node, target) {
            let mut path = String::with_capacity(prefix.len() + 64);
            path.push_str(prefix);
            for s in &branch[1..] {
                match s {
                    Step::Key(k) => {
                        path.push('/');
                        path.push_str(&escape(k));
                    }
                    Step::Index(i) => {
                        use std::fmt::Write;
                        let _ = write!(path, "/{i}");
                    }
                    Step::Root => {}
                }
            }
            return Some(path);
        }
        match node {
            Json::Object(m) => {
                stack.extend(m.iter().map(|(k, v)| (v, depth + 1, Step::Key(k.as_str()))))
            }
            Json::Array(a) => stack.extend(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| (v, depth + 1, Step::Index(i))),
            ),
            _ => {}
        }
    }
    None
}

/// The pointer of the blamed value in the document, or of the resource when there is none.
pub fn of(res: &Resource, blame: Option<Blame<'_>>) -> String {
    // A value is in the properties (or a variant of them), or elsewhere in the declaration
    // (`entry(r)`).
    let find = |target: &Json| {
        std::iter::once(&res.properties)
            .chain(&res.variants)
            .find_map(|props| path_to(props, target, &res.pointer))
            .or_else(|| path_to(&res.entry, target, &res.entry_pointer))
    };
    let found = match blame {
        Some(Blame::Node(j)) => find(j),
        Some(Blame::Absent(a)) => find(a.parent).map(|p| absent_key(p, a.key)),
        None => None,
    };
    found.unwrap_or_else(|| res.entry_pointer.clone())
}

/// The pointer of an absent `key` under the object at `pointer`.
fn absent_key(mut pointer: String, key: &str) -> String {
    pointer.push('/');
    pointer.push_str(&escape(key));
    pointer
}

/// The pointer of a blamed value in a document's root (for `document` blocks); the root
/// itself when there is none.
pub fn in_root(root: &Json, blame: Option<Blame<'_>>) -> String {
    let found = match blame {
        Some(Blame::Node(j)) => path_to(root, j, ""),
        Some(Blame::Absent(a)) => path_to(root, a.parent, "").map(|p| absent_key(p, a.key)),
        None => None,
    };
    found.unwrap_or_default()
}
