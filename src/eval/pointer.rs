//! JSON pointers of blamed values, found by identity in the resource's properties.

use super::expr::Blame;
use crate::model::Resource;
use serde_json::Value as Json;

use crate::input::locate::escape_key as escape;

/// The path from `root` to the node at address `target`, iteratively (no deep recursion).
fn path_to(root: &Json, target: *const Json) -> Option<String> {
    let mut stack: Vec<(&Json, String)> = vec![(root, String::new())];
    while let Some((node, path)) = stack.pop() {
        if std::ptr::eq(node, target) {
            return Some(path);
        }
        match node {
            Json::Object(m) => {
                stack.extend(m.iter().map(|(k, v)| (v, format!("{path}/{}", escape(k)))))
            }
            Json::Array(a) => stack.extend(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| (v, format!("{path}/{i}"))),
            ),
            _ => {}
        }
    }
    None
}

/// The pointer of the blamed value in the document, or of the resource when there is none.
pub fn of(res: &Resource, blame: Option<Blame<'_>>) -> String {
    // A value is in the properties, or elsewhere in the declaration (`entry(r)`).
    // A value is in the properties (or a variant of them), or elsewhere in the declaration
    // (`entry(r)`).
    let find = |target: &Json| {
        std::iter::once(&res.properties)
            .chain(&res.variants)
            .find_map(|props| path_to(props, target))
            .map(|p| format!("{}{p}", res.pointer))
            .or_else(|| path_to(&res.entry, target).map(|p| format!("{}{p}", res.entry_pointer)))
    };
    let found = match blame {
        Some(Blame::Node(j)) => find(j),
        Some(Blame::Absent(a)) => find(a.parent).map(|p| format!("{p}/{}", escape(a.key))),
        None => None,
    };
    found.unwrap_or_else(|| res.entry_pointer.clone())
}

/// The pointer of a blamed value in a document's root (for `document` blocks); the root
/// itself when there is none.
pub fn in_root(root: &Json, blame: Option<Blame<'_>>) -> String {
    let found = match blame {
        Some(Blame::Node(j)) => path_to(root, j),
        Some(Blame::Absent(a)) => path_to(root, a.parent).map(|p| format!("{p}/{}", escape(a.key))),
        None => None,
    };
    found.unwrap_or_default()
}
