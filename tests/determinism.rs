//! Determinism: the same scenario and seed give the same bytes of JSON on
//! every run, with any number of threads, and on both solvers where the
//! optimum is unique. Only wall-clock times may differ: those lines are
//! dropped before the comparison, everything else is compared byte for byte.

mod common;

use std::path::PathBuf;

/// The JSON a command prints, with the wall-clock time lines removed.
fn json_without_times(args: &[&str], threads: &str) -> String {
    let args = [args, &["--format", "json"]].concat();
    let text = common::stdout_of(&args, &[("RAYON_NUM_THREADS", threads)]);
    serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
    text.lines()
        .filter(|line| {
            let key = line.trim_start();
            !(key.starts_with("\"seconds\":") || key.starts_with("\"build_seconds\":"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn bundled_for_microlp() -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        // The agency roster takes the pure-Rust solver minutes.
        .filter(|p| !p.ends_with("agency-roster.yaml"))
        .collect();
    paths.sort();
    paths.into_iter().map(|p| p.display().to_string()).collect()
}

#[test]
fn solve_json_is_the_same_on_every_run_and_thread_count() {
    for path in bundled_for_microlp() {
        let args = ["solve", path.as_str(), "--solver", "microlp"];
        let first = json_without_times(&args, "1");
        assert_eq!(first, json_without_times(&args, "1"), "{path}: second run");
        assert_eq!(first, json_without_times(&args, "2"), "{path}: two threads");
    }
}

#[test]
fn simulate_json_is_the_same_on_every_run_and_thread_count() {
    let fixture = "tests/fixtures/uncertain.yaml";
    for mode in [
        &["--samples", "3000"][..],
        &["--samples", "40", "--reoptimize"],
    ] {
        let with = |threads: &str| {
            let mut args = vec!["simulate", fixture, "--seed", "9", "--threads", threads];
            args.extend(mode);
            json_without_times(&args, threads)
        };
        let first = with("1");
        assert_eq!(first, with("1"), "{mode:?}: second run");
        assert_eq!(first, with("2"), "{mode:?}: two threads");
        let other_seed = json_without_times(
            &[
                &["simulate", fixture, "--seed", "10", "--threads", "1"][..],
                mode,
            ]
            .concat(),
            "1",
        );
        assert_ne!(first, other_seed, "{mode:?}: the seed must matter");
    }
}

/// Both solvers print the same plan, byte for byte, when the optimum is
/// unique; only the `solver` block (name, gap, limits) differs.
#[cfg(feature = "highs")]
#[test]
fn both_solvers_print_the_same_unique_optimum() {
    let without_solver = |text: String| -> String {
        let start = text.find("  \"solver\": {").expect("a solver block");
        text[..start].to_string()
    };
    for path in bundled_for_microlp() {
        let plan = |solver: &str| {
            without_solver(json_without_times(
                &["solve", path.as_str(), "--solver", solver],
                "2",
            ))
        };
        assert_eq!(plan("microlp"), plan("highs"), "{path}");
    }
}
