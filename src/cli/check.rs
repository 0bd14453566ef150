//! `buttress check`: evaluate inputs against the rules and report.

use super::{
    eprint_diagnostics, load_rules, FilterOptions, RuleOptions, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK,
};
use crate::diagnostics::{color_for_stderr, render_all, Diagnostic};
use crate::driver::{check_all, discover};
use crate::eval::{Status, Tally};
use crate::input::cloudformation::Pseudo;
use crate::input::{InputFormat, LoadOptions};
use crate::report::{ErrorEntry, Report};
use crate::source::{FileId, SourceMap};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Check templates and documents against the rules
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress check examples/\n  buttress check stack.json --pillar security --min-risk high\n  \
    cat stack.json | buttress check - --format json --output report.json\n  \
    buttress check infra/ --rules org-rules/ --param min_log_retention_days=90\n  \
    terraform show -json plan.tfplan > plan.json && buttress check plan.json\n  \
    buttress check config-items.jsonl --region eu-west-1\n\n\
    Exit codes: 0 no failing finding; 1 failing findings; 2 a usage error, a rule that does not compile, \
    or an input that could not be read (the other inputs are still checked and reported)."
)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads standard input
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleOptions,
    #[command(flatten)]
    filter: FilterOptions,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// How to read inputs: auto, cloudformation, terraform, config, json, ndjson
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = parse_format)]
    input_format: InputFormat,
    /// The AWS Region CloudFormation's `AWS::Region` stands for [default: unknown]
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// The account id `AWS::AccountId` stands for [default: unknown]
    #[arg(long, value_name = "ID")]
    account_id: Option<String>,
    /// The partition `AWS::Partition` stands for
    #[arg(long, value_name = "PARTITION", default_value = "aws")]
    partition: String,
    /// Exit 1 on unknown outcomes too, not only on failures
    #[arg(long)]
    fail_on_unknown: bool,
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    InputFormat::parse(s).ok_or_else(|| format!("one of: {}", InputFormat::NAMES.join(", ")))
}

/// Move a diagnostic about an input's own text (`FileId(0)`) into `sources`.
pub(super) fn rehome(mut d: Diagnostic, file: FileId) -> Diagnostic {
    for l in &mut d.labels {
        l.span.file = file;
    }
    d
}

pub fn run(args: CheckArgs) -> i32 {
    let mut ruleset = load_rules(&args.rules);
    eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
    // A rule that does not compile, or a bad parameter, stops the run before any rule runs:
    // checking with part of the rules, or with a default the user overrode, would mislead.
    if ruleset.has_errors() {
        return EXIT_ERROR;
    }
    if let Some(d) = super::no_rules_left(&ruleset.program, &args.filter) {
        eprint_diagnostics(&ruleset.sources, &[d]);
        return EXIT_ERROR;
    }
    ruleset.program.retain(&args.filter.filter());

    let (inputs, discover_errors) = discover(&args.paths);
    let opts = LoadOptions {
        format: Some(args.input_format),
        pseudo: Pseudo {
            region: args.region.clone(),
            account: args.account_id.clone(),
            partition: Some(args.partition.clone()),
        },
    };
    let outcomes = check_all(&ruleset.program, &inputs, &opts, args.threads);

    let mut input_sources = SourceMap::new();
    let mut diags: Vec<Diagnostic> = discover_errors;
    let mut report = Report {
        program: &ruleset.program,
        inputs: inputs.len(),
        documents: 0,
        resources: 0,
        findings: Vec::new(),
        tally: vec![Tally::default(); ruleset.program.rules.len()],
        errors: Vec::new(),
    };
    for o in outcomes {
        report.documents += o.documents;
        report.resources += o.resources;
        for (t, x) in report.tally.iter_mut().zip(&o.tally) {
            t.add(x);
        }
        report.findings.extend(o.findings);
        if let Some(text) = o.text_for_warnings {
            let file = input_sources.add(o.name.clone(), text);
            diags.extend(o.warnings.into_iter().map(|d| rehome(d, file)));
        }
        for e in o.errors {
            let file = input_sources.add(o.name.clone(), e.text);
            diags.push(rehome(e.diagnostic, file));
        }
    }
    for d in diags.iter().filter(|d| d.is_error()) {
        let at = d
            .labels
            .first()
            .map(|l| (input_sources.get(l.span.file), l.span.start as usize));
        report.errors.push(ErrorEntry {
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            file: at.map(|(f, _)| f.name.clone()),
            line: at.map(|(f, o)| f.line_col(o).0),
            column: at.map(|(f, o)| f.line_col(o).1),
        });
    }
    if !diags.is_empty() {
        eprint!("{}", render_all(&input_sources, &diags, color_for_stderr()));
    }

    let color = args.output.is_none() && args.format == Format::Human && stdout_color();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return EXIT_ERROR;
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = match args.format {
        Format::Human => out.write_all(crate::report::human::render(&report, color).as_bytes()),
        Format::Json => crate::report::json::write(&report, &mut out),
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
            return EXIT_ERROR;
        }
    }

    let input_failed = diags.iter().any(Diagnostic::is_error);
    let failing = report
        .findings
        .iter()
        .any(|f| f.status == Status::Fail || (args.fail_on_unknown && f.status == Status::Unknown));
    if input_failed {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}
