//! `buttress lens`: read a custom lens in the Tool's JSON format (checked against ImportLens's
//! limits, written back in the Tool's spelling), or export the loaded rules as one.

use super::{eprint_diagnostics, load_rules, RuleOptions, EXIT_ERROR, EXIT_OK};
use crate::diagnostics::{Code, Diagnostic};
use crate::review::lens::{export, validate};
use crate::source::SourceMap;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// Import or export custom lenses in the Well-Architected Tool's JSON format
#[derive(Args)]
#[command(after_help = "Examples:\n  buttress lens import org-lens.json\n  \
    buttress lens import downloaded.json --output clean.json\n  \
    buttress lens export --rules org-rules/ --name \"Org policy\" --output org-lens.json\n\n\
    Exit codes: 0 the lens is valid and was written; 2 it is not, or could not be read.")]
pub struct LensArgs {
    #[command(subcommand)]
    command: LensCommand,
}

#[derive(Subcommand)]
enum LensCommand {
    /// Check a lens file and write it in the Tool's own spelling
    Import {
        /// The lens JSON file
        file: PathBuf,
        /// Write the lens here instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the loaded rules as a custom lens (a question per pack, a choice per rule)
    Export {
        #[command(flatten)]
        rules: RuleOptions,
        /// The lens name
        #[arg(long, default_value = "buttress rules")]
        name: String,
        /// The lens description
        #[arg(
            long,
            default_value = "Rules checked by buttress, one choice per rule; a choice is in place when its rule passes."
        )]
        description: String,
        /// Write the lens here instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn write(output: Option<&std::path::Path>, text: &str) -> i32 {
    let result = match output {
        Some(p) => std::fs::write(p, text),
        None => {
            print!("{text}");
            Ok(())
        }
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write the lens: {e}");
            EXIT_ERROR
        }
    }
}

pub fn run(args: LensArgs) -> i32 {
    match args.command {
        LensCommand::Import { file, output } => {
            let mut sources = SourceMap::new();
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    let d = Diagnostic::error(
                        Code::LensInvalid,
                        format!("cannot read `{}`: {e}", file.display()),
                    );
                    eprint_diagnostics(&sources, &[d]);
                    return EXIT_ERROR;
                }
            };
            let id = sources.add(file.display().to_string(), text.clone());
            let (lens, diags) = validate::read(id, &text);
            eprint_diagnostics(&sources, &diags);
            match lens {
                Some(l) => write(output.as_deref(), &l.to_json()),
                None => EXIT_ERROR,
            }
        }
        LensCommand::Export {
            rules,
            name,
            description,
            output,
        } => {
            let ruleset = load_rules(&rules);
            eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
            if ruleset.has_errors() {
                return EXIT_ERROR;
            }
            let prog = &ruleset.program;
            let mut active = vec![false; prog.rules.len()];
            for b in &prog.blocks {
                active[b.rule as usize] = true;
            }
            let rules: Vec<_> = prog
                .rules
                .iter()
                .zip(&active)
                .filter(|(_, a)| **a)
                .map(|(r, _)| r)
                .collect();
            let (lens, left_out) = export::export(&name, &description, &rules);
            let warnings: Vec<Diagnostic> = left_out
                .iter()
                .map(|q| {
                    Diagnostic::warning(
                        Code::LensLimit,
                        format!(
                            "the question `{q}` is left out: its pillar already has 20 questions"
                        ),
                    )
                    .help("the Tool takes 20 questions a pillar; export fewer packs with --rules")
                })
                .collect();
            eprint_diagnostics(&SourceMap::new(), &warnings);
            let text = lens.to_json();
            // What we write must be what ImportLens accepts.
            let mut sources = SourceMap::new();
            let id = sources.add("<exported lens>", text.clone());
            let (ok, diags) = validate::read(id, &text);
            eprint_diagnostics(&sources, &diags);
            if ok.is_none() {
                return EXIT_ERROR;
            }
            write(output.as_deref(), &text)
        }
    }
}
