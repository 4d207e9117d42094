//! The roster branch and bound (`creatormix::solve::branch`) that settles
//! re-optimised samples: against enumeration on small random rosters, and
//! against the MILP solver on the samples of every bundled scenario it takes.

mod common;

use std::path::Path;

use creatormix::model::Scenario;
use creatormix::model::evaluate::{check, evaluate};
use creatormix::scenario;
use creatormix::solve::SolveSettings;
use creatormix::solve::branch::{self, Problem};
use creatormix::uncertainty::shard::Shard;
use creatormix::uncertainty::simulate::{self, SampleSolver, SimulateSettings, Task};

use common::enumerate::feasible_totals;
use common::{Rng, Size, random_scenario};

/// The best feasible plan's objective by enumeration, or `None`.
fn enumerated(s: &Scenario, coefficients: [f64; 3]) -> Option<f64> {
    feasible_totals(s)
        .iter()
        .map(|e| e.weighted(coefficients))
        .reduce(f64::max)
}

#[test]
fn branch_and_bound_matches_enumeration() {
    let size = Size {
        creators: 6,
        max_posts: 3,
        pools: 0,
        available: 0,
    };
    let mut failures = Vec::new();
    let (mut agreed, mut infeasible, mut skipped) = (0, 0, 0);
    for seed in 0..1000 {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml")).expect("valid scenario");
        // Coefficients of every size, some zero: goals per unit of reach,
        // engagement and conversion.
        let mut r = Rng::new(seed ^ 0x5eed);
        let mut coefficient = |scale: f64| {
            if r.chance(0.2) { 0.0 } else { scale * r.unit() }
        };
        let coefficients = [coefficient(1e-3), coefficient(1e-2), coefficient(1.0)];
        let Some(problem) = Problem::of(&s, coefficients) else {
            skipped += 1;
            continue;
        };
        let got = branch::solve(&problem, None, 1e-9, usize::MAX, None);
        match (enumerated(&s, coefficients), got) {
            (None, Err(None)) => infeasible += 1,
            (Some(best), Ok(solved)) => {
                let e = evaluate(&s, &solved.decisions);
                let violations = check(&s, &solved.decisions, &e);
                let value = e.weighted(coefficients);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
                if !violations.is_empty() || !close(best, value) || !close(value, solved.objective)
                {
                    failures.push(format!(
                        "seed {seed}: enumeration {best}, branch and bound {} (evaluated {value}, {} violations)\n{text}",
                        solved.objective,
                        violations.len()
                    ));
                } else {
                    agreed += 1;
                }
            }
            (expected, got) => failures.push(format!(
                "seed {seed}: enumeration {expected:?}, branch and bound {:?}\n{text}",
                got.map(|s| s.objective)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Targets and niche or creator minimums are left to the MILP solver.
    assert!(
        agreed > 300 && infeasible > 20 && skipped > 100,
        "{agreed} agreed, {infeasible} infeasible, {skipped} not taken"
    );
}

/// A roster where the budget and the number of creators both bind: one
/// budget buys a few large creators or many small ones, as in the
/// benchmark roster, so the search must branch on how many of each tier.
fn mixed_roster(seed: u64, creators: usize) -> String {
    let mut r = Rng::new(seed);
    let mut y = format!(
        "name: mixed {seed}\nbudget: {}\nrepeat_decay: 0.8\ngoal:\n  weights: {{ awareness: {:.2}, engagement: {:.2}, conversions: {:.2} }}\n",
        r.int(20_000, 60_000),
        r.unit(),
        r.unit(),
        0.2 + r.unit()
    );
    y.push_str(&format!(
        "limits:\n  max_creators: {}\n  fee_per_creator: 200\n  tier_share: {{ mega: {{ max: {:.2} }} }}\n",
        r.int(4, 12),
        0.3 + 0.5 * r.unit()
    ));
    y.push_str("audiences:\n  fans: { size: 60000 }\n  gamers: { size: 30000 }\n");
    y.push_str("creators:\n");
    for i in 0..creators {
        let followers = match r.int(0, 9) {
            0 => r.int(1_000_000, 3_000_000),
            1..=3 => r.int(100_000, 900_000),
            _ => r.int(5_000, 90_000),
        };
        let price = followers as f64 * (0.005 + 0.01 * r.unit());
        y.push_str(&format!(
            "  - handle: \"@m{i}\"\n    followers: {followers}\n    price_per_post: {price:.0}\n    engagement_rate: {:.3}\n    max_posts: {}\n",
            0.01 + 0.05 * r.unit(),
            r.int(1, 4)
        ));
        match r.int(0, 5) {
            0 => y.push_str("    audience: fans\n"),
            1 => y.push_str("    audience: gamers\n"),
            _ => {}
        }
    }
    y
}

#[test]
fn branch_and_bound_matches_the_milp_solver_on_mixed_rosters() {
    let mut nodes = Vec::new();
    for seed in 0..12 {
        let text = mixed_roster(seed, 40);
        let s = scenario::load_str(&text, Path::new("mixed.yaml")).expect("valid scenario");
        let settings = SolveSettings {
            mip_gap: 1e-9,
            ..SolveSettings::default()
        };
        let outcome = creatormix::solve::optimise(&s, &settings).expect("solved");
        let goal = s.goal(outcome.best);
        let coefficients = goal.coefficients();
        let milp = evaluate(&s, &outcome.decisions).weighted(coefficients);
        let problem = Problem::of(&s, coefficients).expect("a roster the method takes");
        let solved = branch::solve(&problem, None, 1e-9, usize::MAX, None)
            .unwrap_or_else(|_| panic!("seed {seed}: no plan\n{text}"));
        let e = evaluate(&s, &solved.decisions);
        assert!(check(&s, &solved.decisions, &e).is_empty(), "seed {seed}");
        let value = e.weighted(coefficients);
        assert!(
            (value - milp).abs() <= 2e-8 * milp.abs().max(1.0),
            "seed {seed}: MILP {milp}, branch and bound {value}\n{text}"
        );
        nodes.push(solved.nodes);
    }
    // The rosters make the search branch, not stop at the root.
    assert!(nodes.iter().any(|&n| n > 10), "nodes {nodes:?}");
}

/// Re-optimises `samples` samples of a scenario with each sample solver and
/// requires the same optimum of every sample.
fn same_optimum_either_way(s: &Scenario, solve: SolveSettings, samples: u64, seed: u64) {
    let run = |sample_solver| {
        let settings = SimulateSettings {
            samples,
            seed,
            threads: Some(2),
            task: Task::Reoptimize(sample_solver),
            shard: Shard::ALL,
            solve: solve.clone(),
            tornado: false,
        };
        simulate::run(s, &settings).unwrap()
    };
    let (auto, milp) = (run(SampleSolver::Auto), run(SampleSolver::Milp));
    for (a, m) in auto.rows.iter().zip(&milp.rows) {
        assert!(
            (a.objective - m.objective).abs() <= 2e-6 * m.objective.abs().max(1.0),
            "{}: sample {}: {} against {}",
            s.name,
            a.index,
            a.objective,
            m.objective
        );
    }
}

/// Every re-optimised sample of every bundled scenario: the same optimum
/// whichever way the samples are solved.
#[test]
fn samples_reach_the_same_optimum_with_either_sample_solver() {
    let mut taken = 0;
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let s = scenario::load(&path).unwrap();
        // Only the scenarios the method takes: the others are solved the
        // same way in both runs.
        let coefficients = s.goal(None).coefficients();
        if s.objective == creatormix::model::Objective::MinimiseSpend
            || Problem::of(&s, coefficients).is_none()
        {
            continue;
        }
        taken += 1;
        same_optimum_either_way(&s, SolveSettings::default(), 24, 5);
    }
    assert!(
        taken >= 2,
        "{taken} bundled scenarios taken by the branch and bound"
    );
}

/// The benchmark roster's samples (200 creators, where the search branches
/// on tier counts): the same optimum as HiGHS on every sample.
#[cfg(feature = "highs")]
#[test]
fn benchmark_roster_samples_match_highs() {
    let s = scenario::load(Path::new("benches/scenarios/roster-200.yaml")).unwrap();
    let highs = SolveSettings {
        solver: creatormix::solve::SolverChoice::Highs,
        ..SolveSettings::default()
    };
    same_optimum_either_way(&s, highs, 60, 11);
}
