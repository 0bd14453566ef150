//! The public entry point: rule sources in, a compiled [`RuleSet`] out.
//!
//! ```no_run
//! let rules = buttress::Engine::new().with_stdlib().compile();
//! assert!(rules.diagnostics.iter().all(|d| !d.is_error()));
//! ```

use crate::ast::PackFile;
use crate::catalogue::{Pillar, Risk};
use crate::compile::{compile_tested, Override, ParamSlot};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::Program;
use crate::source::SourceMap;

/// Collects rule sources and parameter overrides, then compiles them.
#[derive(Default)]
pub struct Engine {
    sources: SourceMap,
    packs: Vec<PackFile>,
    /// Whether each pack came from the embedded standard library.
    embedded: Vec<bool>,
    diagnostics: Vec<Diagnostic>,
    overrides: Vec<Override>,
    /// Standard-library packs the user means to replace: no note when they are.
    replaces: Vec<String>,
    /// Schema check findings are errors, not warnings.
    strict: bool,
    /// The value of `today()`; today's date in UTC unless set.
    today: Option<crate::date::Date>,
}

/// Compiled rules with everything needed to report on them.
pub struct RuleSet {
    pub sources: SourceMap,
    pub program: Program,
    pub packs: Vec<PackFile>,
    pub params: Vec<ParamSlot>,
    pub diagnostics: Vec<Diagnostic>,
    /// What `today()` was when the rules compiled.
    pub today: crate::date::Date,
}

impl RuleSet {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Add the embedded standard library: the syntax trees the build script parsed, or, if it
    /// left them out, its files parsed here in parallel.
    pub fn with_stdlib(self) -> Engine {
        self.with_stdlib_trees(crate::stdlib::parsed())
    }

    /// [`Engine::with_stdlib`] with the trees given, or parsing the sources when there are none.
    fn with_stdlib_trees(mut self, trees: Option<Vec<PackFile>>) -> Engine {
        use rayon::prelude::*;
        let files: Vec<_> = crate::stdlib::FILES
            .iter()
            .map(|(name, text)| (self.sources.add_static(*name, text), *text))
            .collect();
        if let (Some(mut packs), Some(&(first, _))) = (trees, files.first()) {
            for pack in &mut packs {
                pack.shift_files(first.0);
            }
            self.packs.extend(packs);
        } else {
            let parsed: Vec<_> = files
                .par_iter()
                .map(|&(file, text)| crate::syntax::parse_file(file, text))
                .collect();
            for (pack, mut diags) in parsed {
                self.diagnostics.append(&mut diags);
                self.packs.extend(pack);
            }
        }
        self.embedded.resize(self.packs.len(), true);
        self
    }

    /// Parse one rule file and keep it (its syntax errors are kept as diagnostics).
    pub fn add_source(&mut self, name: &str, text: &str) {
        let file = self.sources.add(name, text);
        let (pack, mut diags) = crate::syntax::parse_file(file, text);
        self.diagnostics.append(&mut diags);
        self.embedded.resize(self.packs.len(), false);
        self.packs.extend(pack);
    }

    /// The source map, for diagnostics about overrides written on a command line.
    pub fn sources_mut(&mut self) -> &mut SourceMap {
        &mut self.sources
    }

    pub fn push_diagnostic(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn add_override(&mut self, o: Override) {
        self.overrides.push(o);
    }

    /// Say that a pack loaded from disk is meant to replace the standard-library pack of the
    /// same name (no note is given for it).
    pub fn replaces(&mut self, pack: &str) {
        self.replaces.push(pack.to_string());
    }

    /// Make the schema check's findings errors (`--strict`).
    pub fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Set what `today()` returns (`--today`, a fixture's `today`); otherwise it is
    /// today's date in UTC (or `BUTTRESS_TODAY`).
    pub fn set_today(&mut self, today: crate::date::Date) {
        self.today = Some(today);
    }

    /// Compile. A pack loaded from disk replaces the embedded pack of the same name, so an
    /// organisation can ship its own version of a standard-library pack.
    pub fn compile(mut self) -> RuleSet {
        self.embedded.resize(self.packs.len(), false);
        let from_disk: Vec<String> = self
            .packs
            .iter()
            .zip(&self.embedded)
            .filter(|(_, e)| !**e)
            .map(|(p, _)| p.name.name.clone())
            .collect();
        let keep: Vec<bool> = self
            .embedded
            .iter()
            .zip(&self.packs)
            .map(|(e, p)| !*e || !from_disk.contains(&p.name.name))
            .collect();
        for (pack, kept) in self.packs.iter().zip(&keep) {
            if *kept || self.replaces.contains(&pack.name.name) {
                continue;
            }
            let rules: Vec<String> = pack
                .items
                .iter()
                .filter_map(|i| match i {
                    crate::ast::Item::Rule(r) => {
                        Some(format!("`{}.{}`", pack.name.name, r.name.name))
                    }
                    _ => None,
                })
                .collect();
            let by = self
                .packs
                .iter()
                .zip(&self.embedded)
                .find(|(p, e)| !**e && p.name.name == pack.name.name)
                .map(|(p, _)| p.name.span);
            let mut d = Diagnostic::warning(
                Code::ReplacedPack,
                format!(
                    "pack `{}` replaces the standard library's pack of that name",
                    pack.name.name
                ),
            )
            .help(format!(
                "its rules {} are not run; rename the pack to run both, or pass `--replace-pack {}` (or `replace_packs` in buttress.toml) to say it is meant",
                if rules.is_empty() { "(none)".to_string() } else { rules.join(", ") },
                pack.name.name
            ));
            if let Some(span) = by {
                d = d.primary(span, "this pack takes its place");
            }
            self.diagnostics.push(d);
        }
        let mut kept = keep.iter();
        self.packs.retain(|_| *kept.next().unwrap_or(&true));
        let mut kept = keep.iter();
        self.embedded.retain(|_| *kept.next().unwrap_or(&true));
        let today = self.today.unwrap_or_else(crate::date::Date::today);
        let (program, params, mut diags) =
            compile_tested(&self.packs, &self.overrides, today, &self.embedded);
        self.diagnostics.append(&mut diags);
        // The standard library's schema check is a test (tests/stdlib.rs), not a cost of
        // every run.
        let embedded = &self.embedded;
        self.diagnostics.extend(crate::schema::check(
            &self.packs,
            |i| !embedded.get(i).copied().unwrap_or(false),
            &self.sources,
            self.strict,
        ));
        RuleSet {
            sources: self.sources,
            program,
            packs: self.packs,
            params,
            diagnostics: self.diagnostics,
            today,
        }
    }
}

/// Which rules to run.
#[derive(Clone, Debug, Default)]
pub struct RuleFilter {
    pub pillars: Vec<Pillar>,
    pub min_risk: Option<Risk>,
    /// Rule ids or globs over ids (`security.*`).
    pub only: Vec<String>,
    /// Rule ids or globs of rules that do not run (`disable` in buttress.toml).
    pub exclude: Vec<String>,
}

impl RuleFilter {
    pub fn admits(&self, rule: &crate::ir::RuleInfo) -> bool {
        (self.pillars.is_empty() || self.pillars.contains(&rule.pillar))
            && self.min_risk.is_none_or(|m| rule.risk >= m)
            && (self.only.is_empty()
                || self
                    .only
                    .iter()
                    .any(|g| crate::ir::Glob::new(g).matches(&rule.id)))
            && !self
                .exclude
                .iter()
                .any(|g| crate::ir::Glob::new(g).matches(&rule.id))
    }
}

impl Program {
    /// Keep the blocks of the rules `filter` admits; the rules themselves keep their indices.
    /// The index is built again only when a block went.
    pub fn retain(&mut self, filter: &RuleFilter) {
        let rules = &self.rules;
        let before = self.blocks.len();
        self.blocks
            .retain(|b| filter.admits(&rules[b.rule as usize]));
        if self.blocks.len() != before {
            self.build_index();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// When the build script embeds no trees, the sources parsed at run time give the same
    /// packs and the same program.
    #[test]
    fn the_stdlib_parsed_at_run_time_is_the_one_parsed_at_build_time() {
        let mut config = Engine::new();
        config.sources_mut().add("buttress.toml", "x = 1\n");
        let built = config.with_stdlib().compile();
        let mut config = Engine::new();
        config.sources_mut().add("buttress.toml", "x = 1\n");
        let parsed = config.with_stdlib_trees(None).compile();
        assert!(parsed.diagnostics.is_empty() && built.diagnostics.is_empty());
        assert!(built.packs == parsed.packs, "the packs differ");
        assert_eq!(built.program.dump(), parsed.program.dump());
    }
}
