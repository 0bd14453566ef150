//! Inputs read as `x.json` (Config): one document or one error, never a panic.
#![no_main]
use buttress::input::{load, InputFormat, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions {
        format: Some(InputFormat::Config),
        ..LoadOptions::default()
    };
    let _ = load("x.json", data.to_vec(), &opts);
});
