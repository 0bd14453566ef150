//! `buttress review`: evaluates a workload's inputs, answers every best practice from the
//! evidence and the workload file's answers, and reports; saves and compares milestones.

use super::{eprint_diagnostics, load_rules, RuleOptions, EXIT_ERROR, EXIT_OK};
use crate::diagnostics::{color_for_stderr, Code, Diagnostic};
use crate::driver::{check_all, discover};
use crate::eval::Tally;
use crate::input::LoadOptions;
use crate::review::answer::Outcomes;
use crate::review::lens::Lens;
use crate::review::milestone::{self, Snapshot};
use crate::review::model::{Checked, Review};
use crate::review::workload::{self, Workload};
use crate::review::CustomLens;
use crate::source::SourceMap;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Markdown,
    Json,
    Html,
    /// The Tool's UpdateAnswer bodies, per question
    WaAnswers,
}

/// Review a workload against the Well-Architected Framework
#[derive(Args)]
#[command(
    after_help = "Examples:\n  buttress review examples/review/workload.toml\n  \
    buttress review --format markdown --output review.md\n  \
    buttress review --milestone \"before launch\"\n  \
    buttress review --compare \"before launch\" \"after launch\"\n  \
    buttress review --format wa-answers --output answers.json\n  \
    aws wellarchitected list-answers --workload-id W --lens-alias wellarchitected > tool.json && \
    buttress review --import-answers tool.json\n\n\
    Exit codes: 0 the review was written; 2 the workload file, a rule or an input could not be read."
)]
pub struct ReviewArgs {
    /// The workload file [default: ./workload.toml]
    #[arg(value_name = "WORKLOAD")]
    workload: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleOptions,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also save the review as this milestone (milestones/<name>.json beside the workload)
    #[arg(long, value_name = "NAME")]
    milestone: Option<String>,
    /// Compare two saved milestones instead of reviewing
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with = "milestone")]
    compare: Option<Vec<String>>,
    /// Read the Tool's ListAnswers output and add its answers to the workload file
    #[arg(long, value_name = "FILE", conflicts_with_all = ["compare", "milestone"])]
    import_answers: Option<PathBuf>,
    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// Read and parse the workload file; diagnostics go to standard error. The source map holds
/// the file, for diagnostics found later.
pub fn read_workload(path: &Path) -> Option<(Workload, SourceMap)> {
    let mut sources = SourceMap::new();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::error(
                Code::WorkloadUnreadable,
                format!("cannot read `{}`: {e}", path.display()),
            )
            .help("`buttress init` writes a workload file for the inputs it finds");
            eprint_diagnostics(&sources, &[d]);
            return None;
        }
    };
    let file = sources.add(path.display().to_string(), text.clone());
    let (w, diags) = workload::parse(file, &text);
    eprint_diagnostics(&sources, &diags);
    w.map(|w| (w, sources))
}

/// The custom lenses the workload lists (packs by name, files relative to the workload),
/// checked as `buttress lens import` checks them, and the workload's `choices` checked
/// against them. `None` after printing the errors.
fn load_lenses(w: &Workload, base: &Path, sources: &mut SourceMap) -> Option<Vec<(String, Lens)>> {
    let mut lenses = Vec::new();
    let mut diags = Vec::new();
    for name in w
        .lenses
        .iter()
        .filter(|l| *l != crate::review::framework::LENS_ALIAS)
    {
        let text = match crate::review::packs::get(name) {
            Some(t) => t.to_string(),
            None => match std::fs::read_to_string(base.join(name)) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        Code::LensInvalid,
                        format!("cannot read the lens `{name}`: {e}"),
                    ));
                    continue;
                }
            },
        };
        let file = sources.add(name.clone(), text.clone());
        let (lens, mut d) = crate::review::lens::validate::read(file, &text);
        diags.append(&mut d);
        lenses.extend(lens.map(|l| (name.clone(), l)));
    }
    let known: Vec<&str> = lenses
        .iter()
        .flat_map(|(_, l)| &l.pillars)
        .flat_map(|p| &p.questions)
        .flat_map(|q| &q.choices)
        .map(|c| c.id.as_str())
        .collect();
    for a in w
        .choices
        .iter()
        .filter(|a| !known.contains(&a.choice.as_str()))
    {
        let mut d = Diagnostic::error(
            Code::WorkloadUnknownPractice,
            format!(
                "unknown choice `{}`: no lens of the workload has it",
                a.choice
            ),
        )
        .primary(a.span, "not a choice of the workload's custom lenses");
        if let Some(near) = crate::diagnostics::closest(&a.choice, known.iter().copied()) {
            d = d.help(format!("did you mean `{near}`?"));
        }
        diags.push(d);
    }
    eprint_diagnostics(sources, &diags);
    (!diags.iter().any(Diagnostic::is_error)).then_some(lenses)
}

fn milestone_error(message: String) -> i32 {
    eprint_diagnostics(
        &SourceMap::new(),
        &[Diagnostic::error(Code::MilestoneError, message)],
    );
    EXIT_ERROR
}

fn read_snapshot(dir: &Path, name: &str) -> Result<Snapshot, String> {
    let path = dir.join("milestones").join(milestone::file_name(name));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read milestone `{name}` ({}): {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a milestone snapshot: {e}", path.display()))
}

fn write_out(output: Option<&Path>, text: &str) -> i32 {
    let written = match output {
        Some(p) => std::fs::write(p, text),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|_| out.flush())
        }
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the report: {e}");
            EXIT_ERROR
        }
        _ => EXIT_OK,
    }
}

/// Evaluate the workload's inputs and answer the review. `None` when inputs failed to load
/// (the diagnostics are printed) alongside the review of what could be read.
fn evaluate(
    args: &ReviewArgs,
    w: &Workload,
    base: &Path,
    lenses: &[(String, Lens)],
) -> Option<(Review, bool)> {
    let ruleset = load_rules(&args.rules);
    eprint_diagnostics(&ruleset.sources, &ruleset.diagnostics);
    if ruleset.has_errors() {
        return None;
    }
    let paths: Vec<PathBuf> = w.inputs.iter().map(|i| base.join(i)).collect();
    let (inputs, discovered) = discover(&paths);
    let mut diags: Vec<crate::run::InputDiagnostic> = discovered
        .into_iter()
        .map(crate::run::InputDiagnostic::bare)
        .collect();
    let prog = &ruleset.program;
    let outcomes = check_all(prog, &inputs, &LoadOptions::default(), args.threads);
    let mut findings = Vec::new();
    let mut tally = vec![Tally::default(); prog.rules.len()];
    let mut resources = 0;
    for o in outcomes {
        resources += o.resources;
        for (t, x) in tally.iter_mut().zip(&o.tally) {
            t.add(x);
        }
        diags.extend(o.errors);
        findings.extend(o.findings.into_iter().map(|mut f| {
            f.file = relative(&f.file, base);
            f
        }));
    }
    if !diags.is_empty() {
        let each = diags.iter().map(|d| {
            (
                &*d.source as &dyn crate::diagnostics::TextSource,
                &d.diagnostic,
            )
        });
        eprint!(
            "{}",
            crate::diagnostics::render_each(each, color_for_stderr())
        );
    }
    let mut active = vec![false; prog.rules.len()];
    for b in &prog.blocks {
        active[b.rule as usize] = true;
    }
    let checked = Checked {
        inputs: inputs.len(),
        resources,
        rules: active.iter().filter(|a| **a).count(),
        ..Checked::default()
    };
    let out = Outcomes {
        program: prog,
        findings: &findings,
        tally: &tally,
    };
    let custom: Vec<CustomLens> = lenses
        .iter()
        .map(|(alias, lens)| CustomLens {
            alias: alias.clone(),
            lens,
        })
        .collect();
    let review = crate::review::review(w, &out, checked, &custom);
    Some((review, diags.iter().any(|d| d.diagnostic.is_error())))
}

/// Append the answers of a ListAnswers output to the workload file, keeping the answers it
/// already has.
fn import_answers(path: &Path, w: &Workload, file: &Path) -> i32 {
    let fail = |message: String| {
        eprint_diagnostics(
            &SourceMap::new(),
            &[Diagnostic::error(Code::ImportAnswers, message)],
        );
        EXIT_ERROR
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read `{}`: {e}", file.display())),
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return fail(format!("`{}` is not JSON: {e}", file.display())),
    };
    let imported = match crate::review::wa::from_list_answers(&value) {
        Ok(i) => i,
        Err(e) => return fail(format!("`{}`: {e}", file.display())),
    };
    let fw = crate::review::framework::Framework::embedded();
    let answered: Vec<&str> = w
        .answers
        .iter()
        .map(|a| fw.practices[a.practice].id.as_str())
        .collect();
    let new: Vec<_> = imported
        .iter()
        .filter(|a| !answered.contains(&a.practice.as_str()))
        .collect();
    let date = milestone::now();
    let mut appended = format!(
        "\n# Imported from the Well-Architected Tool (ListAnswers, `{}`) on {}.\n",
        file.display(),
        &date[..10]
    );
    appended.push_str(&crate::review::wa::to_toml(
        &new,
        "Well-Architected Tool",
        &date[..10],
    ));
    let mut whole = std::fs::read_to_string(path).unwrap_or_default();
    whole.push_str(&appended);
    // What is written must still be a valid workload file.
    let (ok, diags) = workload::parse(crate::source::FileId(0), &whole);
    if ok.is_none() {
        return fail(format!(
            "the imported answers do not parse: {:?}",
            diags.first().map(|d| &d.message)
        ));
    }
    if !new.is_empty() {
        if let Err(e) = std::fs::write(path, whole) {
            return fail(format!("cannot write `{}`: {e}", path.display()));
        }
    }
    eprintln!(
        "imported {} answers into {} ({} practices it already answered were kept)",
        new.len(),
        path.display(),
        imported.len() - new.len()
    );
    EXIT_OK
}

/// The saved milestones beside the workload, oldest first.
fn milestones(base: &Path) -> Vec<Snapshot> {
    let mut snaps: Vec<Snapshot> = std::fs::read_dir(base.join("milestones"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| serde_json::from_str(&t).ok())
        .collect();
    snaps.sort_by(|a, b| (&a.saved, &a.milestone).cmp(&(&b.saved, &b.milestone)));
    snaps
}

/// The HTML report: the risk trend over the milestones and now, and what changed since the
/// last milestone.
fn html(base: &Path, review: &Review) -> String {
    use crate::review::html::TrendPoint;
    let snaps = milestones(base);
    let now = Snapshot {
        milestone: "now".to_string(),
        saved: String::new(),
        review: review.clone(),
    };
    let since = snaps.last().map(|last| milestone::compare(last, &now));
    let points: Vec<TrendPoint> = snaps
        .iter()
        .chain([&now])
        .map(|s| TrendPoint {
            name: s.milestone.clone(),
            date: s.saved.get(..10).unwrap_or(&s.saved).to_string(),
            counts: s.review.risk_counts,
        })
        .collect();
    crate::review::html::render(review, &points, since.as_ref())
}

/// A path relative to the workload's folder, with `/` separators, for stable reports.
fn relative(file: &str, base: &Path) -> String {
    let p = Path::new(file);
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn run(args: ReviewArgs) -> i32 {
    crate::driver::use_threads(args.threads);
    let path = args
        .workload
        .clone()
        .unwrap_or_else(|| PathBuf::from("workload.toml"));
    let Some((w, mut sources)) = read_workload(&path) else {
        return EXIT_ERROR;
    };
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    if let Some(file) = &args.import_answers {
        return import_answers(&path, &w, file);
    }
    if let Some(pair) = &args.compare {
        let (a, b) = match (
            read_snapshot(&base, &pair[0]),
            read_snapshot(&base, &pair[1]),
        ) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return milestone_error(e),
        };
        let c = milestone::compare(&a, &b);
        return write_out(args.output.as_deref(), &milestone::render(&c));
    }
    let Some(lenses) = load_lenses(&w, &base, &mut sources) else {
        return EXIT_ERROR;
    };
    let Some((review, input_failed)) = evaluate(&args, &w, &base, &lenses) else {
        return EXIT_ERROR;
    };
    let json = || serde_json::to_string_pretty(&review).unwrap_or_default() + "\n";
    let text = match args.format {
        Format::Human => crate::review::terminal::render(&review),
        Format::Markdown => crate::review::markdown::render(&review),
        Format::Json => json(),
        Format::Html => html(&base, &review),
        Format::WaAnswers => {
            serde_json::to_string_pretty(&crate::review::wa::answers(&review)).unwrap_or_default()
                + "\n"
        }
    };
    let mut code = write_out(args.output.as_deref(), &text);
    if let Some(name) = &args.milestone {
        let snap = Snapshot {
            milestone: name.clone(),
            saved: milestone::now(),
            review,
        };
        let dir = base.join("milestones");
        let file = dir.join(milestone::file_name(name));
        let text = serde_json::to_string_pretty(&snap).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&file, text)) {
            return milestone_error(format!("cannot write `{}`: {e}", file.display()));
        }
        eprintln!("saved milestone `{name}` to {}", file.display());
    }
    if input_failed {
        code = EXIT_ERROR;
    }
    code
}
