//! Every input the fuzzers saved (`tests/fuzz/<target>/`: crashes they found,
//! then fixed, and seeds worth keeping) replayed through the checks of its
//! fuzz target. See `fuzz/README.md` for running the fuzzers.

mod common;

use std::path::Path;

fn cases(target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every case of `target`, reporting all that panic together.
fn replay(target: &str, check: fn(&[u8])) {
    let files = cases(target);
    assert!(!files.is_empty(), "no saved cases for {target}");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let data = std::fs::read(path).expect("a saved case");
            std::panic::catch_unwind(|| check(&data))
                .err()
                .map(|_| path.display().to_string())
        })
        .collect();
    assert!(failures.is_empty(), "cases that fail: {failures:#?}");
}

#[test]
fn saved_scenario_inputs_load_or_are_refused_cleanly() {
    replay("scenario", |data| {
        common::fuzz::check_load(data);
    });
}

#[test]
fn saved_solve_inputs_give_checked_plans() {
    replay("solve", common::fuzz::check_solve);
}
