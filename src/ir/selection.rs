//! The blocks that select each resource type, worked out once per (input kind, type) and
//! kept for the run: every document of a stream asks again for the same few types.

use crate::model::InputKind;
use foldhash::HashMap;
use std::sync::{Arc, RwLock};

/// Types kept per kind, at most: past that (an input with ever new type names) the
/// selection is worked out each time rather than kept without bound.
const MAX_KEPT: usize = 4096;

/// Per kind, per type name: the blocks, in block order.
type Kept = HashMap<InputKind, HashMap<Box<str>, Arc<[u32]>>>;

/// Kept selections, shared by the threads of a run. A clone starts empty: it may belong to
/// a program whose index changes.
#[derive(Default)]
pub struct Selections {
    kept: RwLock<Kept>,
}

impl Selections {
    pub fn get(&self, kind: InputKind, type_name: &str) -> Option<Arc<[u32]>> {
        let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
        kept.get(&kind)?.get(type_name).cloned()
    }

    pub fn keep(&self, kind: InputKind, type_name: &str, blocks: Arc<[u32]>) {
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        let of_kind = kept.entry(kind).or_default();
        if of_kind.len() < MAX_KEPT {
            of_kind.insert(type_name.into(), blocks);
        }
    }
}

impl Clone for Selections {
    fn clone(&self) -> Selections {
        Selections::default()
    }
}

impl std::fmt::Debug for Selections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Selections")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_selections_are_found_by_kind_and_type_and_bounded() {
        let s = Selections::default();
        assert!(s.get(InputKind::Json, "a").is_none());
        s.keep(InputKind::Json, "a", Arc::from(vec![1, 2]));
        assert_eq!(s.get(InputKind::Json, "a").as_deref(), Some(&[1, 2][..]));
        assert!(s.get(InputKind::CloudFormation, "a").is_none());
        for i in 0..MAX_KEPT + 10 {
            s.keep(InputKind::Terraform, &format!("t{i}"), Arc::from(vec![]));
        }
        assert!(s.get(InputKind::Terraform, "t0").is_some());
        assert!(s
            .get(InputKind::Terraform, &format!("t{}", MAX_KEPT + 5))
            .is_none());
        assert!(
            s.clone().get(InputKind::Json, "a").is_none(),
            "a clone starts empty"
        );
    }
}
