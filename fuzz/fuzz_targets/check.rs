//! End to end: a rule source and a document, both fuzzed (split at the first NUL byte), then
//! checked with the rules when they compile. Findings or errors, never a panic or a hang.
#![no_main]
use buttress::driver::check_bytes;
use buttress::input::LoadOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let rules = String::from_utf8_lossy(&data[..cut]);
    let doc = data.get(cut + 1..).unwrap_or_default();
    let mut engine = buttress::Engine::new();
    engine.add_source("fuzz.btr", &rules);
    let mut set = engine.compile();
    if set.has_errors() {
        return;
    }
    set.program.max_steps = Some(100_000);
    for name in ["fuzz.json", "fuzz.yaml"] {
        let _ = check_bytes(&set.program, name, doc.to_vec(), &LoadOptions::default());
    }
});
