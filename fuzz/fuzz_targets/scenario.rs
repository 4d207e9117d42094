//! Scenario loading and validation (YAML scenario, CSV roster, market model):
//! a valid scenario or input errors naming their file, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    creatormix_fuzz::harness::check_load(data);
});
