//! `buttress rules`: list rules with their metadata, or the parameters they take.

use super::rules_markdown::{catalogue, kinds, one_line};
use super::{eprint_diagnostics, load_rules, FilterOptions, RuleOptions, EXIT_ERROR, EXIT_OK};
use crate::ir::RuleInfo;
use crate::model::InputKind;
use clap::{Args, ValueEnum};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    Markdown,
}

/// List the loaded rules with their pillar, best practice, risk and input kinds
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress rules\n  buttress rules --pillar security --min-risk high\n  \
    buttress rules --format markdown --examples stdlib > docs/rules.md\n  buttress rules --params"
)]
pub struct RulesArgs {
    #[command(flatten)]
    rules: RuleOptions,
    #[command(flatten)]
    filter: FilterOptions,
    /// Only rules with a block for this input kind: cloudformation, terraform, config, json
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    kind: Option<InputKind>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// List the parameters the rules take, with their values, instead of the rules
    #[arg(long = "params")]
    show_params: bool,
    /// With `--format markdown`: show each rule failing on its first `fail-` fixture found
    /// under this folder (repeatable)
    #[arg(long = "examples", value_name = "DIR")]
    examples: Vec<std::path::PathBuf>,
}

fn parse_kind(s: &str) -> Result<InputKind, String> {
    InputKind::parse(s).ok_or_else(|| "one of: cloudformation, terraform, config, json".to_string())
}

pub fn run(args: RulesArgs) -> i32 {
    let ruleset = load_rules(&args.rules);
    eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
    if ruleset.has_errors() {
        return EXIT_ERROR;
    }
    if args.show_params {
        for p in &ruleset.params {
            match args.format {
                ListFormat::Json => println!(
                    "{}",
                    json!({"pack": p.pack, "name": p.name, "type": p.ty.name(), "value": p.value})
                ),
                _ => println!("{}.{}: {} = {}", p.pack, p.name, p.ty.name(), p.value),
            }
        }
        return EXIT_OK;
    }
    let filter = args.filter.filter();
    let mut rules: Vec<&RuleInfo> = ruleset
        .program
        .rules
        .iter()
        .filter(|r| filter.admits(r) && args.kind.is_none_or(|k| r.kinds.contains(&k)))
        .collect();
    rules.sort_by(|a, b| {
        (a.pillar, std::cmp::Reverse(a.risk), &a.id).cmp(&(
            b.pillar,
            std::cmp::Reverse(b.risk),
            &b.id,
        ))
    });
    match args.format {
        ListFormat::Human => {
            for r in &rules {
                println!(
                    "{:<48} {:<22} {:<6} {:<12} {:<28} {}",
                    r.id,
                    r.pillar.id(),
                    r.risk.id(),
                    r.practices.first().map_or("", String::as_str),
                    kinds(r),
                    r.title
                );
                if !r.doc.is_empty() {
                    println!("    {}", one_line(&r.doc));
                }
            }
            println!(
                "\n{} rule{}",
                rules.len(),
                if rules.len() == 1 { "" } else { "s" }
            );
        }
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    json!({
                        "rule": r.id, "doc": r.doc, "pillar": r.pillar.id(), "practice": r.practices.first(),
                        "practices": r.practices, "risk": r.risk.id(), "title": r.title,
                        "rationale": r.rationale, "fix": r.fix, "links": r.links,
                        "kinds": r.kinds.iter().map(|k| k.id()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        ListFormat::Markdown => print!("{}", catalogue(&ruleset, &rules, &args.examples)),
    }
    EXIT_OK
}
