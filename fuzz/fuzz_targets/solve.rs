//! Load → build → solve (time-limited; bnb and microlp) → simulate on small scenarios: every
//! plan passes the independent check and, where enumeration is cheap, is the
//! enumerated optimum.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    creatormix_fuzz::harness::check_solve(data);
});
