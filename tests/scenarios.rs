//! Every bundled scenario runs as it is and keeps its stored optimum
//! (tests/expected/NAME.json, within 5e-6 relative: a few times the MIP gap), and the seed questions
//! keep the answers the README gives. `CREATORMIX_BLESS=1 cargo test --test
//! scenarios` rewrites the expectations after a deliberate change.
//!
//! The 1,000-creator agency roster needs HiGHS (microlp cannot prove it
//! optimal in reasonable time), so it runs only with `--features highs`.

use std::path::{Path, PathBuf};

use creatormix::plan::{self, Plan};
use creatormix::scenario;
use creatormix::solve::{SolveSettings, SolveStatus, SolverChoice};

fn solve(path: &Path, solver: SolverChoice) -> Plan {
    let s = scenario::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let settings = SolveSettings {
        solver,
        ..SolveSettings::default()
    };
    plan::solve(&s, &settings).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every bundled scenario: `scenarios/NAME.yaml` and `scenarios/NAME/scenario.yaml`.
fn bundled() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            if p.is_dir() {
                Some(p.join("scenario.yaml")).filter(|s| s.is_file())
            } else {
                p.extension().is_some_and(|x| x == "yaml").then_some(p)
            }
        })
        .collect();
    paths.sort();
    paths
}

/// A scenario's name: its file's stem, or its folder's for `scenario.yaml`.
fn name_of(path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    if stem == "scenario" {
        let folder = path.parent().and_then(Path::file_name).unwrap();
        folder.to_string_lossy().into_owned()
    } else {
        stem
    }
}

/// The rosters of hundreds of creators take microlp minutes to prove.
fn needs_highs(path: &Path) -> bool {
    ["agency-roster", "platform-export"].contains(&name_of(path).as_str())
}

fn check_expectations(solver: SolverChoice) {
    let bless = std::env::var_os("CREATORMIX_BLESS").is_some();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in bundled() {
        if needs_highs(&path) && solver == SolverChoice::Microlp {
            continue;
        }
        let plan = solve(&path, solver);
        assert_eq!(plan.status, SolveStatus::Optimal, "{}", path.display());
        let stem = name_of(&path);
        let expected_path = PathBuf::from(format!("tests/expected/{stem}.json"));
        let got = serde_json::json!({
            "objective": plan.objective,
            "spend": plan.spend,
            "reach": plan.totals.reach,
            "engagements": plan.totals.engagements,
            "conversions": plan.totals.conversions,
            "creators": plan.totals.creators,
        });
        if bless {
            let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
            std::fs::write(&expected_path, text).unwrap();
            continue;
        }
        let text = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "no {}: run with CREATORMIX_BLESS=1",
                expected_path.display()
            )
        });
        let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
        let want = expected["objective"].as_f64().unwrap();
        // Objectives must match; the plan behind them may differ between
        // solvers where several plans tie, so totals are not compared.
        if (want - plan.objective).abs() > 5e-6 * want.abs().max(1.0) {
            failures.push(format!(
                "{stem}: objective {} but expected {want}",
                plan.objective
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(bless || checked >= 5, "only {checked} scenarios checked");
}

#[test]
fn bundled_scenarios_keep_their_optimum_bnb() {
    check_expectations(SolverChoice::Bnb);
}

#[test]
fn bundled_scenarios_keep_their_optimum_microlp() {
    check_expectations(SolverChoice::Microlp);
}

#[cfg(feature = "highs")]
#[test]
fn bundled_scenarios_keep_their_optimum_highs() {
    check_expectations(SolverChoice::Highs);
}

fn hires_by_tier(plan: &Plan, tier: &str) -> u32 {
    plan.tiers
        .iter()
        .find(|t| t.tier == tier)
        .map_or(0, |t| t.creators)
}

/// Seed 000: for awareness the one mega-influencer wins; for conversions the ten micro-creators do.
#[test]
fn ten_micro_vs_one_mega_depends_on_the_goal() {
    let awareness = solve(
        Path::new("scenarios/ten-micro-vs-one-mega.yaml"),
        SolverChoice::Microlp,
    );
    assert_eq!(hires_by_tier(&awareness, "mega"), 1);
    assert_eq!(hires_by_tier(&awareness, "micro"), 0);
    let conversions = solve(
        Path::new("scenarios/ten-micro-vs-one-mega-conversions.yaml"),
        SolverChoice::Microlp,
    );
    assert_eq!(hires_by_tier(&conversions, "mega"), 0);
    assert_eq!(hires_by_tier(&conversions, "micro"), 10);
    assert!(conversions.totals.conversions > awareness.totals.conversions);
    assert!(awareness.totals.reach > conversions.totals.reach);
}

/// Seed 001: with a management fee per creator, neither extreme wins: the
/// big creator for cheap reach plus a few hundred small ones for engagement.
#[test]
fn thousand_vs_one_is_a_blend_once_management_costs_count() {
    let plan = solve(
        Path::new("scenarios/thousand-vs-one.yaml"),
        SolverChoice::Microlp,
    );
    assert_eq!(plan.creators.len(), 1, "the 1M-follower creator is hired");
    let small = plan.pools[0].hired;
    assert!(small > 100 && small < 1000, "{small} small creators");
}
