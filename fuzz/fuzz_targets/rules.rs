//! Rule sources: parse and compile any text; diagnostics, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut engine = buttress::Engine::new();
    engine.add_source("fuzz.btr", &text);
    let set = engine.compile();
    // Rendering the diagnostics must not panic either.
    let _ = buttress::diagnostics::render_all(
        &set.sources,
        &set.diagnostics,
        buttress::diagnostics::ColorMode::Never,
    );
});
