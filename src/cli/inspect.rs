//! `buttress explain` and `buttress compile`: looking inside diagnostics and the IR.

use super::{eprint_diagnostics, load_rules, RuleOptions, EXIT_ERROR, EXIT_OK};
use crate::diagnostics::{explanation, Code, ALL_CODES};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Explain a diagnostic code in full
#[derive(Args)]
#[command(after_help = "Examples:\n  buttress explain B0201\n  buttress explain --list")]
pub struct ExplainArgs {
    /// The code, such as B0201
    #[arg(required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its title
    #[arg(long)]
    list: bool,
}

pub fn explain(args: ExplainArgs) -> i32 {
    if args.list {
        for c in ALL_CODES {
            println!("{}  {}", c.as_str(), c.title());
        }
        return EXIT_OK;
    }
    let text = args.code.unwrap_or_default();
    match Code::parse(&text).and_then(|c| explanation(c).map(|e| (c, e))) {
        Some((_, e)) => {
            println!("{}", e.trim_start_matches("## "));
            EXIT_OK
        }
        None => {
            eprintln!("error: `{text}` is not a buttress diagnostic code");
            eprintln!("help: `buttress explain --list` lists them");
            EXIT_ERROR
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// Only check the rules
    Check,
    /// The IR the evaluator runs
    Ir,
}

/// Compile rules and show the diagnostics or the IR
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress compile my-rules.btr --no-stdlib --emit ir\n  buttress compile   (checks the embedded standard library)"
)]
pub struct CompileArgs {
    /// Rule files or folders
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleOptions,
    /// What to print
    #[arg(long, value_enum, default_value_t = Emit::Check)]
    emit: Emit,
}

pub fn compile(mut args: CompileArgs) -> i32 {
    args.rules.rules.extend(args.paths.iter().cloned());
    let ruleset = load_rules(&args.rules);
    eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
    if ruleset.has_errors() {
        return EXIT_ERROR;
    }
    match args.emit {
        Emit::Ir => print!("{}", ruleset.program.dump()),
        Emit::Check => {
            let n = ruleset.program.rules.len();
            println!(
                "compiled {n} rule{} into {} IR nodes",
                if n == 1 { "" } else { "s" },
                ruleset.program.nodes.len()
            );
        }
    }
    EXIT_OK
}
