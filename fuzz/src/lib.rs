//! The fuzz harness, shared with the test suite: `cargo test` replays the
//! saved cases of `tests/fuzz/` through the same checks.
#![allow(dead_code)]

#[path = "../../tests/common/enumerate.rs"]
pub mod enumerate;
#[path = "../../tests/common/fuzz.rs"]
pub mod harness;
