//! Loading and compiling the embedded standard library (target: under 10 ms).
//!
//! Run: `cargo bench --bench compile_stdlib`
//!
//! * `stdlib/parse_only`    — every embedded `.btr` file through the syntax front end.
//! * `stdlib/load_compile`  — `Engine::new().with_stdlib().compile()`, what every `buttress check`
//!   pays before reading its first input.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    // Once, outside the timed loops: the stdlib must compile cleanly, or the figures mean nothing.
    let rules = buttress::Engine::new().with_stdlib().compile();
    let errors: Vec<_> = rules.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "the embedded stdlib has error diagnostics: {errors:#?}");
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
    g.bench_function("load_compile", |b| b.iter(|| black_box(buttress::Engine::new().with_stdlib().compile())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
