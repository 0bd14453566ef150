//! `buttress check`: evaluate inputs against the rules and report.

use super::config::CheckDefaults;
use super::outputs::{self, Output};
use super::progress;
use super::{
    eprint_diagnostics, load_rules_and_config, FilterOptions, RuleOptions, EXIT_ERROR,
    EXIT_FINDINGS, EXIT_OK,
};
use crate::catalogue::Risk;
use crate::date::Date;
use crate::diagnostics::{color_for_stderr, render_each, Diagnostic, TextSource};
use crate::driver::{check_each, discover};
use crate::gate::{FailOn, Gate};
use crate::input::cloudformation::Pseudo;
use crate::input::{InputFormat, LoadOptions};
use crate::report::BaselineCounts;
use crate::run::{Collector, InputDiagnostic};
use crate::waiver::inline::InlineOptions;
use clap::Args;
use std::path::PathBuf;

/// Check templates and documents against the rules
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress check examples/\n  buttress check stack.json --pillar security --min-risk high\n  \
    cat stack.json | buttress check - --format json --output report.json\n  \
    buttress check infra/ --rules org-rules/ --param min_log_retention_days=90\n  \
    terraform show -json plan.tfplan > plan.json && buttress check plan.json\n  \
    buttress check config-items.jsonl --region eu-west-1\n  \
    buttress check infra/ --format github --format sarif=buttress.sarif --fail-on high\n  \
    buttress check infra/ --write-baseline .buttress-baseline.json   (then: --baseline .buttress-baseline.json)\n\n\
    Exit codes: 0 the findings pass the gate (by default: no failing finding); 1 they fail it; 2 a usage error, \
    a rule that does not compile, an invalid waiver, or an input that could not be read (the other inputs are \
    still checked and reported)."
)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads standard input
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleOptions,
    #[command(flatten)]
    filter: FilterOptions,
    /// Report format, repeatable, each to its own file: human, json, … [default: human]
    #[arg(long = "format", value_name = "FORMAT[=PATH]", value_parser = outputs::parse_output)]
    formats: Vec<Output>,
    /// Write the report to this file instead of standard output (formats without `=PATH`)
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// List the resources that passed each rule in the JSON report, not only their count
    #[arg(long)]
    include_passing: bool,
    /// Instead of the report, show how RULE decided on each resource it selects (or on those
    /// whose name matches the glob after `:`): lets, whens, each require with the values it
    /// read and where, quantifier elements, `??` defaults, unknown reasons
    #[arg(long, value_name = "RULE[:RESOURCE]")]
    explain: Option<String>,
    /// The largest input read, in bytes; a larger one is an error (B0609)
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::Limits::default().max_input_bytes)]
    max_input_bytes: u64,
    /// The longest line of a JSON-lines stream, in bytes; a longer one is an error (B0608)
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::Limits::default().max_line_bytes)]
    max_line_bytes: usize,
    /// The deepest nesting of a JSON or YAML input, 1 to 128; a deeper one is an error (B0602)
    #[arg(long, value_name = "LEVELS", default_value_t = crate::input::Limits::default().max_depth,
          value_parser = parse_depth)]
    max_depth: usize,
    /// The most nodes YAML aliases may expand to; more is an error (B0602)
    /// [default: 1,000,000 or 20 times the nodes written, whichever is more]
    #[arg(long, value_name = "NODES")]
    max_alias_nodes: Option<usize>,
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
    /// Fail the run on failing findings of this risk or higher, or never [default: low, any finding]
    #[arg(long, value_name = "RISK", value_parser = parse_fail_on)]
    fail_on: Option<FailOn>,
    /// Fail the run on unknown outcomes too, not only on failures
    #[arg(long)]
    fail_on_unknown: bool,
    /// Fail the run only when more than N failing findings remain
    #[arg(long, value_name = "N")]
    max_findings: Option<usize>,
    /// Waiver file ([[waiver]] entries) [default: the waivers of buttress.toml]
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Honour other tools' inline suppressions: guard, cfn-nag (comma-separated)
    #[arg(long, value_name = "TOOLS", value_delimiter = ',', value_parser = ["guard", "cfn-nag"])]
    honour_suppressions: Vec<String>,
    /// Leave out the findings this baseline (a JSON report) holds; report only new ones
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record this run's findings as a baseline
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    FailOn::parse(s).ok_or_else(|| "one of: high, medium, low, never".to_string())
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    InputFormat::parse(s).ok_or_else(|| format!("one of: {}", InputFormat::NAMES.join(", ")))
}

impl CheckArgs {
    /// The pseudo parameters the options give.
    fn pseudo(&self) -> Pseudo {
        Pseudo {
            region: self.region.clone(),
            account: self.account_id.clone(),
            partition: Some(self.partition.clone()),
        }
    }

    /// The input limits the options give.
    fn limits(&self) -> crate::input::Limits {
        crate::input::Limits {
            max_input_bytes: self.max_input_bytes,
            max_line_bytes: self.max_line_bytes,
            max_depth: self.max_depth,
            max_alias_nodes: self.max_alias_nodes,
        }
    }

    /// Options the command line leaves unset take their value from buttress.toml.
    fn with_defaults(mut self, d: &CheckDefaults) -> CheckArgs {
        if self.formats.is_empty() {
            self.formats.clone_from(&d.formats);
        }
        self.fail_on = self.fail_on.or(d.fail_on);
        self.fail_on_unknown |= d.fail_on_unknown;
        self.max_findings = self.max_findings.or(d.max_findings);
        if self.honour_suppressions.is_empty() {
            self.honour_suppressions.clone_from(&d.honour_suppressions);
        }
        self.rules.strict |= d.strict;
        if self.baseline.is_none() {
            self.baseline.clone_from(&d.baseline);
        }
        self
    }
}

pub fn run(args: CheckArgs) -> i32 {
    // Before the rules load: decoding the stdlib is the first parallel work.
    crate::driver::use_threads(args.threads);
    let (mut ruleset, cfg) = load_rules_and_config(&args.rules);
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
    if let Some(target) = &args.explain {
        let opts = LoadOptions {
            format: Some(args.input_format),
            pseudo: args.pseudo(),
            limits: args.limits(),
            ..LoadOptions::default()
        };
        let json = args
            .formats
            .iter()
            .any(|o| o.format == crate::report::Format::Json);
        return super::explain_check::run(&ruleset, target, &args.paths, &opts, json);
    }
    ruleset.program.retain(&args.filter.filter());
    let args = args.with_defaults(&cfg.check);
    let outs = match outputs::resolve(&args.formats, args.output.as_ref()) {
        Ok(o) => o,
        Err(d) => return usage_error(d),
    };
    let today = Date::today();
    let mut waivers = super::waivers::load(args.waivers.as_deref(), cfg.path.as_deref(), today);
    let mut baseline = match args.baseline.as_deref().map(super::waivers::baseline) {
        None => None,
        Some(Ok(b)) => Some(b),
        Some(Err(d)) => return usage_error(d),
    };

    let (inputs, discover_errors) = discover(&args.paths);
    let keep_passing = args.include_passing || outs.iter().any(|o| o.format.needs_passing());
    let opts = LoadOptions {
        format: Some(args.input_format),
        pseudo: args.pseudo(),
        waivers: InlineOptions {
            guard: args.honour_suppressions.iter().any(|t| t == "guard"),
            cfn_nag: args.honour_suppressions.iter().any(|t| t == "cfn-nag"),
            map: std::sync::Arc::new(waivers.suppressions.clone()),
            today: Some(today),
        },
        limits: args.limits(),
        omit_passes: !keep_passing,
        omit_snippets: !outs.iter().any(|o| o.format.shows_snippets()),
        // The driver decides, input by input.
        whole_documents: false,
    };
    // Streamed reports write findings as inputs finish; the others, and a new baseline,
    // need them all at the end.
    let keep_findings =
        outs.iter().any(|o| !o.format.is_streamed()) || args.write_baseline.is_some();
    let mut collector = Collector::new(&ruleset.program, inputs.len(), keep_findings, keep_passing);
    for d in discover_errors {
        collector.diagnostic(InputDiagnostic::bare(d));
    }
    let mut streams = outputs::Streams::open(&outs, &ruleset.program, stdout_color());
    let (tty, no_color) = progress::terminal();
    let machine = outs
        .iter()
        .any(|o| o.path.is_none() && o.format.is_machine());
    let mut bar = progress::Progress::new(
        progress::wanted(tty, no_color, args.quiet, machine),
        inputs.len(),
    );
    // Findings the baseline left out, kept when a new baseline is written.
    let mut known = Vec::new();
    check_each(&ruleset.program, &inputs, &opts, args.threads, |mut o| {
        bar.tick(&o);
        waivers.apply(&mut o.findings);
        if let Some(b) = baseline.as_mut() {
            let gone = b.filter(&mut o.findings);
            if args.write_baseline.is_some() {
                known.extend(gone);
            }
        }
        bar.suspend(|| streams.findings(&o.findings));
        collector.add(o)
    });
    bar.finish();
    for diagnostic in waivers.report(args.rules.strict) {
        collector.diagnostic(InputDiagnostic::in_file(diagnostic, waivers.source.clone()));
    }
    for diagnostic in waivers.diagnostics.drain(..) {
        collector.diagnostic(InputDiagnostic::in_file(diagnostic, waivers.source.clone()));
    }
    let (mut report, diags) = collector.finish();
    report.baseline = baseline.as_ref().map(|b| BaselineCounts {
        matched: b.matched,
        fixed: b.fixed(),
    });
    let gate = Gate {
        fail_on: args.fail_on.unwrap_or(FailOn::Risk(Risk::Low)),
        fail_on_unknown: args.fail_on_unknown,
        max_findings: args.max_findings,
    };
    report.gate = gate.judge(&report);
    if !diags.is_empty() {
        let each = diags
            .iter()
            .map(|d| (&*d.source as &dyn TextSource, &d.diagnostic));
        eprint!("{}", render_each(each, color_for_stderr()));
    }

    let mut write_failed = streams.finish(&report, args.include_passing).is_err();
    write_failed |= !outputs::write_all(&report, &outs, args.include_passing, stdout_color());
    if let Some(path) = &args.write_baseline {
        if let Err(d) = outputs::write_baseline(&report, known, path) {
            eprint_diagnostics(&Default::default(), &[d]);
            write_failed = true;
        }
    }

    let input_failed = diags.iter().any(|d| d.diagnostic.is_error());
    let code = if input_failed || write_failed {
        EXIT_ERROR
    } else if !report.gate.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends with this run (`cli::main` returns its code): the system takes the
    // memory back at once, where freeing the compiled rules and the report value by value
    // would add a tenth to a short run.
    std::mem::forget(report);
    std::mem::forget(ruleset);
    code
}

fn usage_error(d: Diagnostic) -> i32 {
    eprint_diagnostics(&Default::default(), &[d]);
    EXIT_ERROR
}

fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// `--max-depth`: 1 to 128 levels (128 is the JSON reader's own bound).
fn parse_depth(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=crate::input::json::MAX_DEPTH).contains(&n) => Ok(n),
        _ => Err(format!(
            "a number of levels from 1 to {}",
            crate::input::json::MAX_DEPTH
        )),
    }
}
