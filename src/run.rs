//! The run layer: checks one input's bytes (or one line of a stream) against a program, and
//! collects the outcomes of every input into a [`Report`]. No IO and no threads here: the
//! driver reads files and spreads inputs over rayon; this module only decides what they gave.

use crate::diagnostics::{Code, Diagnostic};
use crate::eval::{evaluate_into, Limits, Tally};
use crate::input::{self, InputFormat, LoadError, LoadOptions};
use crate::ir::Program;
use crate::model::Document;
use crate::model::InputKind;
use crate::report::{ErrorEntry, Finding, Passed, Report};
use crate::source::SourceFile;
use crate::waiver::inline;
use std::sync::Arc;

/// A diagnostic about an input, with the text its labels point into (whatever their file
/// id): nothing needs re-pointing before it is rendered.
#[derive(Clone, Debug)]
pub struct InputDiagnostic {
    pub diagnostic: Diagnostic,
    pub source: Arc<SourceFile>,
}

impl InputDiagnostic {
    /// A diagnostic with no text to show (a folder that cannot be read).
    pub fn bare(diagnostic: Diagnostic) -> InputDiagnostic {
        InputDiagnostic {
            diagnostic,
            source: Arc::new(SourceFile::new(String::new(), String::new())),
        }
    }

    /// A diagnostic about the input `name` as a whole (too large, unreadable, empty), with no
    /// text to show: the report still names the file.
    pub fn about(diagnostic: Diagnostic, name: &str) -> InputDiagnostic {
        InputDiagnostic {
            diagnostic,
            source: Arc::new(SourceFile::new(name.to_string(), String::new())),
        }
    }

    /// A diagnostic about a file other than an input (the waiver file), when there is one.
    pub fn in_file(diagnostic: Diagnostic, source: Option<Arc<SourceFile>>) -> InputDiagnostic {
        match source {
            Some(source) => InputDiagnostic { diagnostic, source },
            None => InputDiagnostic::bare(diagnostic),
        }
    }

    fn from_load(name: &str, e: LoadError, first_line: usize) -> InputDiagnostic {
        InputDiagnostic {
            diagnostic: e.diagnostic,
            source: Arc::new(SourceFile::new(name.to_string(), e.text).starting_at(first_line)),
        }
    }

    /// The error as the report lists it: code, message, and where its first label is.
    pub fn entry(&self) -> ErrorEntry {
        let d = &self.diagnostic;
        let at = d
            .labels
            .first()
            .map(|l| self.source.line_col(l.span.start as usize));
        ErrorEntry {
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            // A diagnostic about a whole file names the file, at no line.
            file: (!self.source.name.is_empty()).then(|| self.source.name.clone()),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
        }
    }
}

/// The result of one input.
#[derive(Debug, Default)]
pub struct InputOutcome {
    pub name: String,
    pub documents: usize,
    pub resources: usize,
    pub findings: Vec<Finding>,
    /// The (rule, resource) pairs that passed, in document order.
    pub passed: Vec<Passed>,
    pub tally: Vec<Tally>,
    /// Warnings about parts of the input not checked.
    pub warnings: Vec<InputDiagnostic>,
    /// What could not be read: the input, or lines of a stream.
    pub errors: Vec<InputDiagnostic>,
    /// A part of a stream that more parts of the same input follow (the last part does not).
    pub continues: bool,
}

impl InputOutcome {
    pub fn new(prog: &Program, name: &str) -> InputOutcome {
        InputOutcome {
            name: name.to_string(),
            tally: vec![Tally::default(); prog.rules.len()],
            ..Default::default()
        }
    }

    /// An input that could not be read at all.
    pub fn unreadable(prog: &Program, name: &str, e: &std::io::Error) -> InputOutcome {
        let mut out = InputOutcome::new(prog, name);
        out.errors.push(InputDiagnostic::about(
            Diagnostic::error(Code::UnreadableInput, format!("cannot read `{name}`: {e}")),
            name,
        ));
        out
    }

    /// Evaluate one loaded document into this outcome; findings stand at `first_line` on.
    fn add_document(
        &mut self,
        prog: &Program,
        doc: &Document,
        first_line: usize,
        opts: &LoadOptions,
    ) {
        // An outcome made without `new` has no tally yet.
        self.tally.resize(prog.rules.len(), Tally::default());
        let limits = Limits {
            split: !opts.whole_documents,
            ..Limits::of(prog)
        };
        let result = evaluate_into(prog, doc, limits, &mut self.tally);
        let (waivers, problems) = inline::for_findings(prog, doc, &result.findings, &opts.waivers);
        if !problems.is_empty() {
            let source = Arc::new(
                SourceFile::new(doc.name.clone(), doc.text.clone()).starting_at(first_line),
            );
            for diagnostic in problems {
                let list = if diagnostic.is_error() {
                    &mut self.errors
                } else {
                    &mut self.warnings
                };
                list.push(InputDiagnostic {
                    diagnostic,
                    source: source.clone(),
                });
            }
        }
        self.documents += 1;
        self.resources += doc.resources.len();
        let mut passed = if opts.omit_passes {
            Vec::new()
        } else {
            result.passed
        };
        passed.sort_by(|a, b| {
            (a.1, &prog.rules[a.0 as usize].id).cmp(&(b.1, &prog.rules[b.0 as usize].id))
        });
        self.passed.extend(passed.into_iter().map(|(rule, res)| {
            // A document block's pass names the document, as its findings do.
            let (resource, resource_type) = match res.and_then(|i| doc.resources.get(i as usize)) {
                Some(r) => (r.name.clone(), r.type_name.clone()),
                None => (
                    doc.name.clone(),
                    crate::report::location::DOCUMENT_TYPE.to_string(),
                ),
            };
            Passed {
                rule,
                file: doc.name.clone(),
                resource,
                resource_type,
            }
        }));
        let found =
            crate::report::location::locate(prog, doc, result.findings, !opts.omit_snippets);
        let first = self.findings.len();
        self.findings
            .extend(found.into_iter().zip(waivers).map(|(mut f, waiver)| {
                f.waiver = waiver;
                f.location.line += first_line - 1;
                f.location.end_line += first_line - 1;
                f
            }));
        sort_findings(&mut self.findings, first);
    }

    /// Add what another part of the same input (a batch of a stream) gave.
    pub fn absorb(&mut self, other: InputOutcome) {
        self.documents += other.documents;
        self.resources += other.resources;
        for (t, x) in self.tally.iter_mut().zip(&other.tally) {
            t.add(x);
        }
        append(&mut self.findings, other.findings);
        append(&mut self.passed, other.passed);
        append(&mut self.warnings, other.warnings);
        append(&mut self.errors, other.errors);
    }

    /// Findings in order of line, column, rule id and message.
    /// Documents sort their own findings as they are added, so that an outcome of many
    /// documents in line order (a stream's batch) is usually sorted already.
    pub fn sort(&mut self) {
        sort_findings(&mut self.findings, 0);
    }
}

/// `more` after `list`; into an empty list it moves as it is, not element by element.
fn append<T>(list: &mut Vec<T>, more: Vec<T>) {
    if list.is_empty() {
        *list = more;
    } else {
        list.extend(more);
    }
}

/// Findings few enough to sort where they are: two lists cost more than moving them.
const SORTED_IN_PLACE: usize = 32;

/// Put `findings[from..]` in [`finding_order`] (stable). A finding is a large value, so the
/// order is worked out on indices and each finding is moved once, not at every step of a sort.
fn sort_findings(findings: &mut Vec<Finding>, from: usize) {
    let tail = findings.get(from..).unwrap_or_default();
    if tail.is_sorted_by(|a, b| finding_order(a, b).is_le()) {
        return;
    }
    if tail.len() <= SORTED_IN_PLACE {
        findings[from..].sort_by(finding_order);
        return;
    }
    let mut order: Vec<usize> = (0..tail.len()).collect();
    order.sort_by(|&a, &b| finding_order(&tail[a], &tail[b]));
    let mut slots: Vec<Option<Finding>> = findings.drain(from..).map(Some).collect();
    findings.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// The order of findings in an outcome: line, column, rule id and message.
fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.location.line, a.location.column, &a.rule_id, &a.message).cmp(&(
        b.location.line,
        b.location.column,
        &b.rule_id,
        &b.message,
    ))
}

/// Load and evaluate one input already in memory.
pub fn check_bytes(prog: &Program, name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> InputOutcome {
    let mut out = InputOutcome::new(prog, name);
    match input::load(name, bytes, opts) {
        Err(e) => out.errors.push(InputDiagnostic::from_load(name, e, 1)),
        Ok(loaded) => {
            let mut warnings = loaded.warnings;
            for doc in loaded.documents {
                warnings.extend(unselected(prog, &doc));
                out.add_document(prog, &doc, 1, opts);
                if !warnings.is_empty() {
                    // The document is done with its text: the warnings keep it.
                    let source = Arc::new(SourceFile::new(name.to_string(), doc.text));
                    out.warnings
                        .extend(warnings.drain(..).map(|diagnostic| InputDiagnostic {
                            diagnostic,
                            source: source.clone(),
                        }));
                }
            }
            out.warnings.extend(
                warnings
                    .into_iter()
                    .map(|diagnostic| InputDiagnostic::about(diagnostic, name)),
            );
        }
    }
    out.sort();
    out
}

/// The options each line of a stream is loaded with: a stream holds JSON documents, and each
/// line is detected on its own unless a format is forced. Made once per stream.
pub fn line_options(opts: &LoadOptions) -> LoadOptions {
    LoadOptions {
        format: match opts.format() {
            InputFormat::Ndjson => None,
            other => Some(other),
        },
        ..opts.clone()
    }
}

/// Load and evaluate line `line_no` of a JSON-lines stream into `out`, the outcome of the
/// lines before it (one outcome gathers many lines: a line's own would cost a tally of every
/// rule); a blank line adds nothing. `line_opts`: [`line_options`] of the stream's options.
pub fn check_line(
    out: &mut InputOutcome,
    prog: &Program,
    name: &str,
    line_no: usize,
    bytes: Vec<u8>,
    line_opts: &LoadOptions,
) {
    let mut text = match input::decode(name, bytes) {
        Ok(t) => t,
        Err(mut e) => {
            e.diagnostic.message = format!("line {line_no}: {}", e.diagnostic.message);
            out.errors
                .push(InputDiagnostic::from_load(name, e, line_no));
            return;
        }
    };
    text.truncate(text.trim_end_matches('\r').len());
    if text.trim().is_empty() {
        return;
    }
    match input::load_json_line(name, text, line_opts) {
        Err(mut e) => {
            e.diagnostic.message = format!("line {line_no}: {}", e.diagnostic.message);
            out.errors
                .push(InputDiagnostic::from_load(name, e, line_no));
        }
        Ok(loaded) => {
            for mut doc in loaded.documents {
                name_line(&mut doc, name, line_no);
                out.add_document(prog, &doc, line_no, line_opts);
            }
        }
    }
}

/// A plain JSON line is one resource, named after the stream and its line.
pub(crate) fn name_line(doc: &mut Document, name: &str, line_no: usize) {
    doc.name = name.to_string();
    if doc.kind == InputKind::Json {
        for r in &mut doc.resources {
            r.type_name = name.to_string();
            r.name = format!("{name}:{line_no}");
        }
    }
}

/// A document that is none of the known formats and that no rule selects as plain JSON is
/// reported as skipped, with the reason, rather than passing silently.
fn unselected(prog: &Program, doc: &Document) -> Option<Diagnostic> {
    let selected = doc
        .resources
        .iter()
        .any(|r| !prog.blocks_for(doc.kind, &r.type_name).is_empty());
    (doc.kind == InputKind::Json && !selected).then(|| {
        Diagnostic::warning(
            Code::SkippedInput,
            format!(
                "`{}` is not a CloudFormation template, a Terraform plan or state, or AWS Config items, and no rule checks it as plain JSON; it is skipped",
                doc.name
            ),
        )
        .help("`--input-format` names the format if detection is wrong; `on json \"…\"` rules check any document")
    })
}

/// Collects input outcomes, in input order, into a report and the input diagnostics.
pub struct Collector<'p> {
    report: Report<'p>,
    diagnostics: Vec<InputDiagnostic>,
    keep_findings: bool,
    keep_passing: bool,
}

impl<'p> Collector<'p> {
    /// `keep_findings`: keep the findings, not only their counts (a run whose reports are
    /// all streamed does not); `keep_passing`: keep the passing (rule, resource) pairs.
    pub fn new(
        program: &'p Program,
        inputs: usize,
        keep_findings: bool,
        keep_passing: bool,
    ) -> Collector<'p> {
        Collector {
            report: Report::new(program, inputs),
            diagnostics: Vec::new(),
            keep_findings,
            keep_passing,
        }
    }

    /// A diagnostic found before any input was read (a path that does not exist).
    pub fn diagnostic(&mut self, d: InputDiagnostic) {
        self.diagnostics.push(d);
    }

    pub fn add(&mut self, o: InputOutcome) {
        let r = &mut self.report;
        if !o.continues {
            r.files.push(o.name.clone());
        }
        r.documents += o.documents;
        r.resources += o.resources;
        for (t, x) in r.tally.iter_mut().zip(&o.tally) {
            t.add(x);
        }
        r.add_findings(o.findings, self.keep_findings);
        if self.keep_passing {
            r.passed.extend(o.passed);
        }
        self.diagnostics.extend(o.warnings);
        self.diagnostics.extend(o.errors);
    }

    /// The report (its `errors` are the error diagnostics) and every input diagnostic.
    pub fn finish(mut self) -> (Report<'p>, Vec<InputDiagnostic>) {
        self.report.errors = self
            .diagnostics
            .iter()
            .filter(|d| d.diagnostic.is_error())
            .map(InputDiagnostic::entry)
            .collect();
        self.report.warnings = self
            .diagnostics
            .iter()
            .filter(|d| !d.diagnostic.is_error())
            .map(InputDiagnostic::entry)
            .collect();
        (self.report, self.diagnostics)
    }
}
