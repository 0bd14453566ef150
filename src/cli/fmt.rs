//! `buttress fmt`: rewrite `.btr` files in the canonical layout, or `--check` that they are.

use super::{rule_files, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostics::{color_for_stderr, render_all, Code, Diagnostic};
use crate::format::{format_checked, Refusal};
use crate::source::SourceMap;
use clap::Args;
use std::path::PathBuf;

/// Lay out rule files canonically (every comment kept; the result must parse to the same tree)
#[derive(Args)]
#[command(after_help = "Examples:\n  buttress fmt rules/\n  buttress fmt --check stdlib/")]
pub struct FmtArgs {
    /// Rule files or folders of them
    #[arg(default_value = ".", value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Change nothing; exit 1 when a file is not formatted
    #[arg(long)]
    check: bool,
}

pub fn run(args: FmtArgs) -> i32 {
    let mut files = Vec::new();
    for p in &args.paths {
        rule_files(p, &mut files);
    }
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let (mut unformatted, mut errors) = (0, 0);
    for path in &files {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                errors += 1;
                diags.push(Diagnostic::error(
                    Code::UnreadableRules,
                    format!("cannot read `{name}`: {e}"),
                ));
                continue;
            }
        };
        let file = sources.add(name.clone(), text.clone());
        match format_checked(file, &text) {
            Ok(out) if out == text => {}
            Ok(out) if args.check => {
                unformatted += 1;
                diags.push(
                    Diagnostic::error(Code::NotFormatted, format!("`{name}` is not formatted"))
                        .help(format!("run `buttress fmt {name}`")),
                );
                drop(out);
            }
            Ok(out) => match std::fs::write(path, out) {
                Ok(()) => println!("formatted {name}"),
                Err(e) => {
                    errors += 1;
                    diags.push(Diagnostic::error(
                        Code::UnreadableRules,
                        format!("cannot write `{name}`: {e}"),
                    ));
                }
            },
            Err(Refusal::Syntax(mut d)) => {
                errors += 1;
                diags.append(&mut d);
            }
            Err(Refusal::Changed(why)) => {
                errors += 1;
                diags.push(
                    Diagnostic::error(
                        Code::FormatUnsafe,
                        format!("`{name}` is left as it is: {why}"),
                    )
                    .help("this is a bug of the formatter; please report it with the file"),
                );
            }
        }
    }
    if !diags.is_empty() {
        eprint!("{}", render_all(&sources, &diags, color_for_stderr()));
    }
    if errors > 0 {
        EXIT_ERROR
    } else if unformatted > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
