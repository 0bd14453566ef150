//! Edges between resources: `refs` from configuration references or state dependencies.

use super::address::{Address, Target};
use super::builder::Builder;
use crate::model::{self, Edge, Resource};
use std::collections::HashMap;

impl<'n> Builder<'n> {
    /// Edges from the `depends_on` of states: absolute configuration addresses.
    pub(super) fn link_depends_on(&mut self) {
        let addresses: Vec<Address> = self
            .resources
            .iter()
            .map(|r| Address::parse(&r.name))
            .collect();
        let targets: Vec<Vec<Target>> = self
            .depends_on
            .iter()
            .map(|d| {
                d.iter()
                    .filter(|a| !a.starts_with("data.") && !a.contains(".data."))
                    .map(|a| {
                        let parsed = Address::parse(a);
                        Target {
                            config: parsed.config,
                            key: parsed.key,
                            at: String::new(),
                        }
                    })
                    .collect()
            })
            .collect();
        let targets: Vec<&[Target]> = targets.iter().map(Vec::as_slice).collect();
        link(&mut self.resources, &addresses, &targets);
    }
}

/// Set `refs` of each resource to the instances of the resources it targets (all instances,
/// or the one whose key the reference named), within the same module instances.
///
/// Linear in the edges: the instances of a target are grouped by the instance keys of the
/// module calls the two addresses share, so a reference from `module.m["k"]` looks only at the
/// instances in `module.m["k"]`, not at those of every other instance of the module.
pub(super) fn link(resources: &mut [Resource], addresses: &[Address], targets: &[&[Target]]) {
    let mut instances: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, a) in addresses.iter().enumerate() {
        instances
            .entry(a.config.as_str())
            .or_default()
            .push(i as u32);
    }
    // (target configuration, shared module calls) → instances by the keys of those calls.
    let mut by_keys: HashMap<(&str, usize), HashMap<String, Vec<u32>>> = HashMap::new();
    let keys_of = |a: &Address, k: usize| -> String {
        a.modules[..k]
            .iter()
            .map(|(_, key)| key.as_str())
            .collect::<Vec<_>>()
            .join("\u{1}")
    };
    for (i, r) in resources.iter_mut().enumerate() {
        let from = &addresses[i];
        let mut refs = Vec::new();
        for t in targets[i] {
            let Some(candidates) = instances.get(t.config.as_str()) else {
                continue;
            };
            let to_modules = &addresses[candidates[0] as usize].modules;
            let shared = from
                .modules
                .iter()
                .zip(to_modules)
                .take_while(|(a, b)| a.0 == b.0)
                .count();
            let groups = by_keys
                .entry((t.config.as_str(), shared))
                .or_insert_with(|| {
                    let mut g: HashMap<String, Vec<u32>> = HashMap::new();
                    for &j in candidates {
                        g.entry(keys_of(&addresses[j as usize], shared))
                            .or_default()
                            .push(j);
                    }
                    g
                });
            let Some(same) = groups.get(&keys_of(from, shared)) else {
                continue;
            };
            let at = (!t.at.is_empty()).then(|| t.at.clone());
            refs.extend(
                same.iter()
                    .copied()
                    .filter(|&j| {
                        j as usize != i && (t.key.is_empty() || t.key == addresses[j as usize].key)
                    })
                    .map(|to| Edge { to, at: at.clone() }),
            );
        }
        r.refs = model::edges(refs);
    }
}
