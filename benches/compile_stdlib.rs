//! buttress benchmarks (criterion). Run: `cargo bench --bench compile_stdlib`.
//!
//! Groups:
//! * `stdlib/parse_only`, `stdlib/decode_only`, `stdlib/compile_only`, `stdlib/load_compile` —
//!   the embedded standard library through the syntax front end (what the build script does
//!   once), decoding the syntax trees the build script wrote, compiling them, and the whole of
//!   `Engine::new().with_stdlib().compile()` (target: under 10 ms).
//! * `corpus/*` — the phases of `buttress check` over the JSON templates of a corpus folder
//!   (`$BUTTRESS_CORPUS`, default `../shared/corpus/aws-cloudformation-templates` beside the
//!   repository); skipped with a message when the folder is absent. Pick a group with a filter:
//!   `cargo bench --bench compile_stdlib -- corpus/`.
//!
//! The same binary has a second use, for `benches/vs-cfn-guard.sh`: with
//! `BUTTRESS_BENCH_PARSE_ONLY=1` in the environment it reads the files named on its command line,
//! parses each with `serde_json::from_slice::<serde_json::Value>` (the `Value` buttress uses), prints
//! a count and exits — the "plain JSON parsing" process baseline. With
//! `BUTTRESS_BENCH_PARSE_ONLY=lines` each file is a JSON-lines stream, read in 1 MiB blocks and
//! parsed line by line (blank lines skipped): the floor of `--input-format ndjson`.

/// The allocator of the `buttress` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use buttress::driver::{check_all, discover, Input};
use buttress::input::{self, LoadOptions};
use criterion::{BatchSize, Criterion};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn stdlib(c: &mut Criterion) {
    // Once, outside the timed loops: the stdlib must compile cleanly, or the figures mean nothing.
    let rules = buttress::Engine::new().with_stdlib().compile();
    let errors: Vec<_> = rules.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the embedded stdlib has error diagnostics: {errors:#?}"
    );
    let bytes: usize = buttress::stdlib::FILES.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "stdlib: {} files, {} bytes, {} rules, {} blocks",
        buttress::stdlib::FILES.len(),
        bytes,
        rules.program.rules.len(),
        rules.program.blocks.len()
    );

    let mut g = c.benchmark_group("stdlib");
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            let mut sources = buttress::source::SourceMap::new();
            for (name, text) in buttress::stdlib::FILES {
                let file = sources.add(*name, *text);
                black_box(buttress::syntax::parse_file(file, text));
            }
        })
    });
    g.bench_function("decode_only", |b| {
        b.iter_with_large_drop(|| {
            buttress::stdlib::parsed().expect("the build script parsed the stdlib")
        })
    });
    let packs = buttress::stdlib::parsed().expect("the build script parsed the stdlib");
    g.bench_function("compile_only", |b| {
        b.iter_with_large_drop(|| buttress::compile::compile(&packs, &[]))
    });
    g.bench_function("load_compile", |b| {
        // The compiled rules are dropped outside the timing: a run keeps them to its end.
        b.iter_with_large_drop(|| buttress::Engine::new().with_stdlib().compile())
    });
    g.finish();
}

/// The corpus folder, if present.
fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BUTTRESS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/corpus/aws-cloudformation-templates")
        });
    dir.is_dir().then_some(dir)
}

fn corpus(c: &mut Criterion) {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus/*: skipped — no corpus folder (set BUTTRESS_CORPUS to a folder of CloudFormation JSON templates)");
        return;
    };
    // `buttress check DIR` walks `.json` and `.template`; this corpus has only `.json` of those.
    let (inputs, _) = discover(std::slice::from_ref(&dir));
    let paths: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.clone()),
            Input::Stdin => None,
        })
        .collect();
    let texts: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).expect("corpus file readable"))
        .collect();
    let total: usize = texts.iter().map(Vec::len).sum();
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let rules = buttress::Engine::new().with_stdlib().compile();
    let prog = &rules.program;
    let docs: Vec<_> = names
        .iter()
        .zip(&texts)
        .filter_map(|(n, t)| input::load(n, t.clone(), &LoadOptions::default()).ok())
        .flat_map(|l| l.documents)
        .collect();
    eprintln!(
        "corpus: {} files, {} bytes, {} documents, {} resources, {} rules",
        paths.len(),
        total,
        docs.len(),
        docs.iter().map(|d| d.resources.len()).sum::<usize>(),
        prog.rules.len()
    );

    let mut g = c.benchmark_group("corpus");
    g.sample_size(30);
    g.bench_function("discover", |b| {
        b.iter(|| black_box(discover(std::slice::from_ref(&dir))))
    });
    g.bench_function("read_files", |b| {
        b.iter(|| {
            paths
                .iter()
                .map(|p| std::fs::read(p).map(|v| v.len()).unwrap_or(0))
                .sum::<usize>()
        })
    });
    g.bench_function("clone_bytes", |b| b.iter(|| black_box(texts.clone())));
    g.bench_function("serde_json_value", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(serde_json::from_slice::<serde_json::Value>(t).ok());
            }
        })
    });
    g.bench_function("serde_json_ignored", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(t).ok());
            }
        })
    });
    g.bench_function("input_load", |b| {
        b.iter_batched(
            || texts.clone(),
            |texts| {
                for (n, t) in names.iter().zip(texts) {
                    black_box(input::load(n, t, &LoadOptions::default()).ok());
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("evaluate", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(buttress::eval::evaluate(prog, d));
            }
        })
    });
    // Where each finding is in its document's text (what `driver::check_bytes` does per finding),
    // by the JSON pointer of each.
    let found: Vec<(usize, Vec<String>)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let f = buttress::eval::evaluate(prog, d).findings;
            (i, f.into_iter().map(|f| f.pointer).collect())
        })
        .collect();
    eprintln!(
        "corpus: {} findings to locate",
        found.iter().map(|(_, p)| p.len()).sum::<usize>()
    );
    g.bench_function("locate_findings", |b| {
        b.iter(|| {
            for (i, findings) in &found {
                let mut locator = input::Locator::new(&docs[*i]);
                for pointer in findings {
                    black_box(locator.position(pointer));
                }
            }
        })
    });
    g.bench_function("check_bytes", |b| {
        b.iter_batched(
            || texts.clone(),
            |texts| {
                for (n, t) in names.iter().zip(texts) {
                    black_box(buttress::driver::check_bytes(
                        prog,
                        n,
                        t,
                        &LoadOptions::default(),
                    ));
                }
            },
            BatchSize::LargeInput,
        )
    });
    for threads in [1, 2] {
        g.bench_function(format!("check_all_threads{threads}"), |b| {
            b.iter(|| {
                black_box(check_all(
                    prog,
                    &inputs,
                    &LoadOptions::default(),
                    Some(threads),
                ))
            })
        });
    }
    g.bench_function("report_json", |b| {
        let outcomes = check_all(prog, &inputs, &LoadOptions::default(), Some(1));
        let findings: Vec<_> = outcomes
            .iter()
            .flat_map(|o| o.findings.iter().cloned())
            .collect();
        b.iter(|| {
            let report =
                buttress::report::Report::with_findings(prog, inputs.len(), findings.clone());
            black_box(buttress::report::render(
                &report,
                buttress::report::Format::Json,
                &Default::default(),
            ))
        })
    });
    g.finish();
}

/// `BUTTRESS_BENCH_PARSE_ONLY=1 compile_stdlib FILE...`: read and parse each file, print a count;
/// with `lines`, parse each line of each file instead.
fn parse_only_process(lines: bool) {
    let (mut files, mut bytes, mut docs, mut failed) = (0usize, 0usize, 0usize, 0usize);
    for arg in std::env::args_os().skip(1) {
        let parsed = if lines {
            parse_lines(std::path::Path::new(&arg))
        } else {
            std::fs::read(&arg).map(|text| {
                let ok = black_box(serde_json::from_slice::<serde_json::Value>(&text)).is_ok();
                (text.len(), 1, usize::from(!ok))
            })
        };
        match parsed {
            Ok((b, d, f)) => {
                files += 1;
                bytes += b;
                docs += d;
                failed += f;
            }
            Err(_) => failed += 1,
        }
    }
    println!("parsed {files} files, {docs} documents, {bytes} bytes, {failed} failed");
}

/// Bytes, documents and failures of one JSON-lines file, parsed line by line.
fn parse_lines(path: &Path) -> std::io::Result<(usize, usize, usize)> {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let (mut bytes, mut docs, mut failed) = (0, 0, 0);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok((bytes, docs, failed));
        }
        bytes += n;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        docs += 1;
        if black_box(serde_json::from_slice::<serde_json::Value>(&line)).is_err() {
            failed += 1;
        }
    }
}

fn main() {
    if let Some(mode) = std::env::var_os("BUTTRESS_BENCH_PARSE_ONLY").filter(|v| !v.is_empty()) {
        parse_only_process(mode == "lines");
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    stdlib(&mut c);
    corpus(&mut c);
    c.final_summary();
}
