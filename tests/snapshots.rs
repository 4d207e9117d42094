//! Snapshots of what users read: the table, Markdown and CSV output of `solve`
//! on every bundled scenario (`scenarios/*.yaml`), and of one `simulate`, one
//! budget `sweep`, one weight `sweep`, one `frontier` and one `compare`, each
//! run through the built binary from the repository root. Any change of these
//! outputs fails the test until the stored snapshot in `tests/snapshots/` is
//! updated, so it shows up as a diff to review.
//!
//! Wall-clock seconds are the only thing masked (`microlp [time] s`,
//! `in [time] s`). Every run names its solver, so the snapshots are the same
//! on the default build and with `--features highs`; `agency-roster.yaml`,
//! where microlp stops at its time limit, is pinned on HiGHS only, by a test
//! that exists with `--features highs`. Standard error is part of a snapshot
//! when the command writes to it.
//!
//! To accept a deliberate change, either run `cargo insta test --review`
//! (`cargo install cargo-insta`), which shows each changed snapshot and asks
//! whether to accept it (`cargo insta review` does the same for the
//! `.snap.new` files a failed `cargo test` left), or run
//! `INSTA_UPDATE=always cargo test --test snapshots`, which rewrites the
//! snapshot files, and review the change with `git diff tests/snapshots`.
//! Add `--features highs` to pin the HiGHS-only snapshots as well.

use assert_cmd::Command;

/// The formats every command here is pinned in.
const FORMATS: [&str; 3] = ["table", "markdown", "csv"];

/// Runs creatormix from the repository root and returns what it printed: standard
/// output, then standard error under a marker line if there was any. Fails unless it
/// exits 0.
fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("creatormix")
        .expect("the binary is built")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("creatormix runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 on stdout");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 on stderr");
    assert!(
        out.status.success(),
        "creatormix {} exited with {:?}\n{stderr}",
        args.join(" "),
        out.status.code()
    );
    if stderr.is_empty() {
        stdout
    } else {
        format!("{stdout}----- stderr -----\n{stderr}")
    }
}

/// Runs creatormix and compares its output with the snapshot `name`, whose header
/// records the command line. Wall-clock seconds are masked: the solve table's
/// `microlp 0.029 s` and every `in 0.02 s`.
fn snapshot(name: &str, args: &[&str]) {
    let text = run(args);
    let mut settings = insta::Settings::clone_current();
    settings.set_description(format!("creatormix {}", args.join(" ")));
    settings.set_omit_expression(true);
    settings.add_filter(r"\b(microlp|highs|in) \d+\.\d+ s\b", "$1 [time] s");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// The stems of the bundled scenarios, sorted.
fn scenarios() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .expect("scenarios/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    assert!(stems.len() > 1, "bundled scenarios found: {stems:?}");
    stems
}

/// The scenario whose roster microlp cannot prove optimal within its time limit.
const HIGHS_ONLY: &str = "agency-roster";

fn solve(stem: &str, solver: &str) {
    let path = format!("scenarios/{stem}.yaml");
    for format in FORMATS {
        snapshot(
            &format!("solve-{stem}-{format}"),
            &["solve", &path, "--solver", solver, "--format", format],
        );
    }
}

#[test]
fn solve_every_bundled_scenario() {
    for stem in scenarios() {
        if stem != HIGHS_ONLY {
            solve(&stem, "microlp");
        }
    }
}

#[cfg(feature = "highs")]
#[test]
fn solve_the_agency_roster_on_highs() {
    assert!(scenarios().iter().any(|stem| stem == HIGHS_ONLY));
    solve(HIGHS_ONLY, "highs");
}

#[test]
fn simulate() {
    for format in FORMATS {
        snapshot(
            &format!("simulate-product-launch-{format}"),
            &[
                "simulate",
                "scenarios/product-launch.yaml",
                "--samples",
                "300",
                "--seed",
                "7",
                // Standard error names the number of threads.
                "--threads",
                "2",
                "--solver",
                "microlp",
                "--format",
                format,
            ],
        );
    }
}

#[test]
fn sweep() {
    for format in FORMATS {
        snapshot(
            &format!("sweep-budget-product-launch-{format}"),
            &[
                "sweep",
                "scenarios/product-launch.yaml",
                "--budget",
                "20000:140000:20000",
                "--solver",
                "microlp",
                "--format",
                format,
            ],
        );
    }
    snapshot(
        "sweep-weight-ten-micro-vs-one-mega-table",
        &[
            "sweep",
            "scenarios/ten-micro-vs-one-mega.yaml",
            "--weight",
            "conversions=0:1:0.1",
            "--solver",
            "microlp",
        ],
    );
}

#[test]
fn frontier() {
    for format in FORMATS {
        snapshot(
            &format!("frontier-product-launch-{format}"),
            &[
                "frontier",
                "scenarios/product-launch.yaml",
                "--goals",
                "awareness,conversions",
                "--points",
                "6",
                "--solver",
                "microlp",
                "--format",
                format,
            ],
        );
    }
}

#[test]
fn compare() {
    for format in FORMATS {
        snapshot(
            &format!("compare-ten-micro-vs-one-mega-{format}"),
            &[
                "compare",
                "scenarios/ten-micro-vs-one-mega.yaml",
                "scenarios/ten-micro-vs-one-mega-conversions.yaml",
                "scenarios/cheapest-launch.yaml",
                "--solver",
                "microlp",
                "--format",
                format,
            ],
        );
    }
}
