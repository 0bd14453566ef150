//! The command line (clap): parses arguments, runs a command, owns the exit codes.

mod check;
mod config;
mod inspect;
mod outputs;
mod progress;
mod rules;
mod test;
mod waivers;

use crate::catalogue::{Pillar, Risk};
use crate::diagnostics::{color_for_stderr, render_all, Code, Diagnostic};
use crate::{Engine, RuleSet};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Exit codes (see README): no failing finding; failing findings; usage or input error.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser)]
#[command(
    name = "buttress",
    version,
    about = "Policy-as-code for the AWS Well-Architected Framework",
    long_about = "Checks CloudFormation templates and JSON documents against rules written in the buttress \
                  language. The standard library of rules, covering all six pillars, is built in.",
    after_help = "Examples:\n  buttress check examples/\n  buttress check template.json --pillar security --format json\n  \
                  buttress rules --pillar reliability\n  buttress explain B0201"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Check(Box<check::CheckArgs>),
    Test(test::TestArgs),
    Rules(rules::RulesArgs),
    Explain(inspect::ExplainArgs),
    Compile(inspect::CompileArgs),
}

/// Options every command that loads rules takes.
#[derive(Args, Clone, Debug, Default)]
pub struct RuleOptions {
    /// Rule file or folder to load (repeatable); added to the standard library
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the embedded standard library
    #[arg(long)]
    pub no_stdlib: bool,
    /// Override a rule parameter (repeatable): NAME=VALUE or PACK.NAME=VALUE
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Configuration file [default: ./buttress.toml when present]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Which rules to run or list.
#[derive(Args, Clone, Debug, Default)]
pub struct FilterOptions {
    /// Only rules of this pillar (repeatable): security, reliability, cost_optimization, …
    #[arg(long = "pillar", value_name = "PILLAR", value_parser = parse_pillar)]
    pub pillars: Vec<Pillar>,
    /// Only rules of this risk or higher: low, medium, high
    #[arg(long, value_name = "RISK", value_parser = parse_risk)]
    pub min_risk: Option<Risk>,
    /// Only rules whose id matches (repeatable; `*` globs): security.s3.*
    #[arg(long = "rule", value_name = "ID")]
    pub only: Vec<String>,
}

impl FilterOptions {
    pub fn filter(&self) -> crate::RuleFilter {
        crate::RuleFilter {
            pillars: self.pillars.clone(),
            min_risk: self.min_risk,
            only: self.only.clone(),
            exclude: Vec::new(),
        }
    }
}

fn parse_pillar(s: &str) -> Result<Pillar, String> {
    Pillar::parse(s).ok_or_else(|| {
        format!(
            "unknown pillar; one of: {}",
            crate::catalogue::PILLARS.map(Pillar::word).join(", ")
        )
    })
}

fn parse_risk(s: &str) -> Result<Risk, String> {
    Risk::parse(s).ok_or_else(|| "one of: low, medium, high".to_string())
}

/// `.btr` files under a path (the path itself when it is a file).
fn rule_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "btr") {
            out.push(p);
        }
    }
}

/// Load and compile rules as the options say. Diagnostics stay in the returned rule set.
pub fn load_rules(opts: &RuleOptions) -> RuleSet {
    load_rules_and_config(opts).0
}

/// Load and compile rules, and return what the configuration file says besides; its
/// `disable` list is already applied.
pub fn load_rules_and_config(opts: &RuleOptions) -> (RuleSet, config::Config) {
    let mut engine = Engine::new();
    let mut cfg = config::load(opts.config.as_deref(), &mut engine);
    let no_stdlib = opts.no_stdlib || cfg.no_stdlib;
    if !no_stdlib {
        engine = engine.with_stdlib();
    }
    for path in cfg.rules.iter().chain(&opts.rules) {
        if !path.exists() {
            engine.push_diagnostic(Diagnostic::error(
                Code::UnreadableRules,
                format!("`{}` does not exist", path.display()),
            ));
            continue;
        }
        let mut files = Vec::new();
        rule_files(path, &mut files);
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => engine.add_source(&f.display().to_string(), &text),
                Err(e) => engine.push_diagnostic(Diagnostic::error(
                    Code::UnreadableRules,
                    format!("cannot read `{}`: {e}", f.display()),
                )),
            }
        }
    }
    for o in std::mem::take(&mut cfg.overrides) {
        engine.add_override(o);
    }
    for p in &opts.params {
        let file = engine.sources_mut().add("--param", p.clone());
        let span = crate::source::Span::new(
            file,
            0..p.split('=')
                .next()
                .unwrap_or(p)
                .len()
                .max(1)
                .min(p.len().max(1)),
        );
        match crate::compile::parse_cli_override(p, span) {
            Ok(o) => engine.add_override(o),
            Err(d) => engine.push_diagnostic(d),
        }
    }
    let mut ruleset = engine.compile();
    if !cfg.disable.is_empty() {
        ruleset.program.retain(&crate::RuleFilter {
            exclude: cfg.disable.clone(),
            ..Default::default()
        });
    }
    (ruleset, cfg)
}

/// Print diagnostics to standard error.
pub fn eprint_diagnostics(sources: &crate::source::SourceMap, diags: &[Diagnostic]) {
    if !diags.is_empty() {
        eprint!("{}", render_all(sources, diags, color_for_stderr()));
    }
}

/// Run the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(a) => check::run(*a),
        Command::Test(a) => test::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Explain(a) => inspect::explain(a),
        Command::Compile(a) => inspect::compile(a),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
