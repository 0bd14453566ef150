//! Resource instance addresses taken apart: module paths, configuration address, keys.

/// A resource another one refers to: an address in the configuration (no instance keys,
/// `module.net.aws_subnet.a`) and, when the reference named one instance, its key (`[0]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Target {
    pub(super) config: String,
    pub(super) key: String,
    /// The attribute path of the reference (`bucket`, `logging.target_bucket`); empty for
    /// `depends_on`.
    pub(super) at: String,
}

/// A resource instance address taken apart: `module.net["a"].aws_subnet.a[0]`.
pub(super) struct Address {
    /// Module calls from the root, each with its instance key (`["a"]`, `[0]` or empty).
    pub(super) modules: Vec<(String, String)>,
    /// The configuration address: module calls without keys, then the resource.
    pub(super) config: String,
    /// The instance key of the resource (`[0]`, `["x"]` or empty).
    pub(super) key: String,
}

/// Split a Terraform address or reference into its steps, each a name with the instance
/// key written after it (`a[0]` → `("a", "[0]")`). Dots and brackets inside quoted keys
/// do not split.
pub(super) fn steps(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut depth, mut quoted, mut i) = (0, 0usize, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'[' if !quoted => depth += 1,
            b']' if !quoted => depth = depth.saturating_sub(1),
            b'.' if !quoted && depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&text[start..]);
    out.into_iter()
        .map(|s| match s.find('[') {
            Some(at) => (&s[..at], &s[at..]),
            None => (s, ""),
        })
        .collect()
}

impl Address {
    pub(super) fn parse(address: &str) -> Address {
        let parts = steps(address);
        let mut modules = Vec::new();
        let mut i = 0;
        while i + 1 < parts.len() && parts[i].0 == "module" && parts[i].1.is_empty() {
            modules.push((parts[i + 1].0.to_string(), parts[i + 1].1.to_string()));
            i += 2;
        }
        let mut config = String::new();
        for (m, _) in &modules {
            config.push_str("module.");
            config.push_str(m);
            config.push('.');
        }
        let rest = &parts[i.min(parts.len())..];
        for (j, (name, _)) in rest.iter().enumerate() {
            if j > 0 {
                config.push('.');
            }
            config.push_str(name);
        }
        let key = rest.last().map(|(_, k)| k.to_string()).unwrap_or_default();
        Address {
            modules,
            config,
            key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_outside_quoted_keys() {
        let a = Address::parse(r#"module.net["a.b[c]"].module.sub[0].aws_subnet.a["x.y"]"#);
        assert_eq!(a.config, "module.net.module.sub.aws_subnet.a");
        assert_eq!(a.key, r#"["x.y"]"#);
        assert_eq!(
            a.modules,
            vec![
                ("net".to_string(), r#"["a.b[c]"]"#.to_string()),
                ("sub".to_string(), "[0]".to_string())
            ]
        );
        let d = Address::parse("data.aws_iam_policy_document.p");
        assert_eq!(d.config, "data.aws_iam_policy_document.p");
        assert!(d.key.is_empty() && d.modules.is_empty());
    }
}
