//! `buttress init`: writes a commented `workload.toml` for the inputs it finds in a folder.

use super::{eprint_diagnostics, EXIT_ERROR, EXIT_OK};
use crate::diagnostics::{Code, Diagnostic};
use crate::driver::{discover, Input};
use crate::source::SourceMap;
use clap::Args;
use std::path::{Path, PathBuf};

/// Write a commented workload.toml for the inputs found in a folder
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress init\n  buttress init infra/ --name orders\n\n\
    Exit codes: 0 the file was written; 2 it exists already (use --force) or could not be written."
)]
pub struct InitArgs {
    /// The folder to look in and write workload.toml to
    #[arg(default_value = ".", value_name = "DIR")]
    dir: PathBuf,
    /// The workload's name [default: the folder's name]
    #[arg(long)]
    name: Option<String>,
    /// Overwrite an existing workload.toml
    #[arg(long)]
    force: bool,
}

/// The inputs as the workload file lists them: the first folder under `dir` that holds
/// them, or the file itself when it is at the top.
fn input_entries(dir: &Path, inputs: &[Input]) -> Vec<String> {
    let mut entries: Vec<String> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => p.strip_prefix(dir).ok().map(Path::to_path_buf),
            Input::Stdin => None,
        })
        .filter(|p| !p.starts_with("milestones"))
        .filter_map(|p| {
            let mut parts = p.components();
            let first = parts.next()?.as_os_str().to_string_lossy().into_owned();
            Some(first)
        })
        .collect();
    entries.sort();
    entries.dedup();
    entries
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub fn template(name: &str, inputs: &[String]) -> String {
    let list = inputs
        .iter()
        .map(|i| toml_string(i))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"# The workload `buttress review` reviews against the AWS Well-Architected Framework.
# Paths are relative to this file. docs/review.md describes every key.
name = {name}
description = ""
# production or preproduction
environment = "production"
regions = []
# The framework lens, lens packs ("serverless"), or custom lens files ("lenses/org.json").
lenses = ["wellarchitected"]
# Templates, plans, state files or Config items to evaluate (files or folders).
inputs = [{list}]
review_owner = ""

# Answers to the practices configuration cannot show, keyed by best-practice id:
# answer = "yes" | "no" | "unknown" | "not_applicable", with an optional reason
# ("out_of_scope", "business_priorities", "architecture_constraints", "other", "none"),
# a note, who answered and when. Evidence from the rules wins over a "yes" it contradicts.
#
# [answers.OPS01-BP01]
# answer = "yes"
# note = "Quarterly customer council sets the roadmap."
# by = "ana"
# date = 2026-11-20
"#,
        name = toml_string(name),
    )
}

pub fn run(args: InitArgs) -> i32 {
    let path = args.dir.join("workload.toml");
    let fail = |d: Diagnostic| {
        eprint_diagnostics(&SourceMap::new(), &[d]);
        EXIT_ERROR
    };
    if path.exists() && !args.force {
        return fail(
            Diagnostic::error(
                Code::WorkloadExists,
                format!("`{}` exists already", path.display()),
            )
            .help("edit it, or pass --force to write a new one over it"),
        );
    }
    let (inputs, _) = discover(std::slice::from_ref(&args.dir));
    let entries = input_entries(&args.dir, &inputs);
    let name = args.name.clone().unwrap_or_else(|| {
        std::fs::canonicalize(&args.dir)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "workload".into())
    });
    if let Err(e) = std::fs::write(&path, template(&name, &entries)) {
        return fail(Diagnostic::error(
            Code::WorkloadUnreadable,
            format!("cannot write `{}`: {e}", path.display()),
        ));
    }
    eprintln!(
        "wrote {} with {} input{}; answer the practices there, then run `buttress review {}`",
        path.display(),
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        path.display()
    );
    EXIT_OK
}
