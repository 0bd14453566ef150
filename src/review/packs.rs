//! Lens packs shipped in the binary: custom lenses whose choices are standard-library rules
//! (choice id = rule id with `.` written `_`), named in `workload.toml` by name.

/// The names a workload file can list under `lenses`.
pub const NAMES: [&str; 1] = ["serverless"];

/// The lens JSON of a pack.
pub fn get(name: &str) -> Option<&'static str> {
    match name {
        "serverless" => Some(include_str!("../../data/lenses/serverless.json")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn every_pack_is_a_valid_lens_whose_choices_are_rules() {
        let rules = crate::Engine::new().with_stdlib().compile();
        let ids: Vec<String> = rules
            .program
            .rules
            .iter()
            .map(|r| crate::review::lens::export::lens_id(&r.id))
            .collect();
        for name in NAMES {
            let (lens, diags) = crate::review::lens::validate::read(FileId(0), get(name).unwrap());
            assert!(diags.is_empty(), "{name}: {diags:?}");
            for q in lens.unwrap().pillars.iter().flat_map(|p| &p.questions) {
                for c in &q.choices {
                    assert!(ids.contains(&c.id), "{name}: `{}` is no rule", c.id);
                }
            }
        }
    }
}
