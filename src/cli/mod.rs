//! The command line (clap): parses arguments, runs a command, owns the exit codes.

mod check;
mod config;
mod explain_check;
mod fmt;
mod init;
mod inspect;
mod lens;
mod new;
mod outputs;
mod progress;
mod review;
mod rules;
mod rules_markdown;
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
    Fmt(fmt::FmtArgs),
    New(new::NewArgs),
    Review(review::ReviewArgs),
    Lens(lens::LensArgs),
    Init(init::InitArgs),
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
    /// A pack of yours meant to replace the standard library's pack of that name (repeatable;
    /// without it, a replacement is noted)
    #[arg(long = "replace-pack", value_name = "PACK")]
    pub replace_packs: Vec<String>,
    /// Steps one rule may take on one resource before it is undecided [default: 1000000]
    #[arg(long, value_name = "N")]
    pub max_steps: Option<u64>,
    /// Warnings that may hide a mistake are errors: the schema check's (unknown resource types
    /// and properties) and, for `check`, waivers that match no finding
    #[arg(long)]
    pub strict: bool,
    /// The date `today()` returns to rules, YYYY-MM-DD [default: today in UTC, or
    /// BUTTRESS_TODAY]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<crate::date::Date>,
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

fn parse_date(s: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(s).ok_or_else(|| "a date written YYYY-MM-DD".to_string())
}

fn parse_risk(s: &str) -> Result<Risk, String> {
    Risk::parse(s).ok_or_else(|| "one of: low, medium, high".to_string())
}

/// `.btr` files under a path (the path itself when it is a file). Folders are walked without
/// recursion and each real folder once, so a link loop ends.
fn rule_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !seen.insert(std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        let mut dirs = Vec::new();
        for p in entries {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("btr")) {
                out.push(p);
            }
        }
        stack.extend(dirs.into_iter().rev());
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
    engine.set_strict(opts.strict || cfg.check.strict);
    if let Some(today) = opts.today {
        engine.set_today(today);
    }
    let no_stdlib = opts.no_stdlib || cfg.no_stdlib;
    if !no_stdlib {
        engine = engine.with_stdlib();
    }
    for pack in cfg.replace_packs.iter().chain(&opts.replace_packs) {
        engine.replaces(pack);
    }
    // Each rule file once, however many of the paths lead to it.
    let mut loaded = std::collections::HashSet::new();
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
        if files.is_empty() {
            engine.push_diagnostic(
                Diagnostic::error(
                    Code::NoRules,
                    format!("`{}` holds no `.btr` rule file", path.display()),
                )
                .help("rule files end in `.btr`; give the folder that holds them"),
            );
        }
        files.retain(|f| loaded.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
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
    ruleset.program.max_steps = opts.max_steps.or(cfg.max_steps);
    (ruleset, cfg)
}

/// An error when a filter leaves no rule to run (a typo in `--rule` must not pass silently).
pub fn no_rules_left(program: &crate::ir::Program, filter: &FilterOptions) -> Option<Diagnostic> {
    let f = filter.filter();
    if program.rules.iter().any(|r| f.admits(r)) {
        return None;
    }
    let what = if filter.only.is_empty() && filter.pillars.is_empty() && filter.min_risk.is_none() {
        "no rules are loaded".to_string()
    } else {
        "no loaded rule matches the `--rule`, `--pillar` and `--min-risk` filters".to_string()
    };
    Some(
        Diagnostic::error(Code::NoRules, what)
            .help("`buttress rules` lists the loaded rules and their ids"),
    )
}

/// Print diagnostics to standard error.
pub fn eprint_diagnostics(sources: &crate::source::SourceMap, diags: &[Diagnostic]) {
    if !diags.is_empty() {
        eprint!("{}", render_all(sources, diags, color_for_stderr()));
    }
}

/// Exit quietly when standard output is closed (`buttress rules | head -1`): writing to a
/// closed pipe is the reader's choice, not an error of ours. Other panics keep the default
/// report.
fn exit_quietly_on_closed_output() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("Broken pipe") || text.contains("os error 32") {
            std::process::exit(EXIT_OK);
        }
        default(info);
    }));
}

/// Run the command line; returns the exit code.
pub fn main() -> i32 {
    exit_quietly_on_closed_output();
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
        Command::Fmt(a) => fmt::run(a),
        Command::New(a) => new::run(a),
        Command::Review(a) => review::run(a),
        Command::Lens(a) => lens::run(a),
        Command::Init(a) => init::run(a),
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
