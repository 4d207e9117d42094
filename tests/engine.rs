//! The engine (`creatormix::solve::engine`), the exact branch and bound
//! behind `--solver auto`: against enumeration on small random scenarios
//! with every feature of MODEL.md, in both objective modes, and against the
//! MILP solvers on larger rosters and on the samples of every bundled
//! scenario.

mod common;

use std::path::Path;

use creatormix::model::evaluate::{check, evaluate};
use creatormix::model::{Decisions, Objective, Scenario};
use creatormix::scenario;
use creatormix::solve::engine::{self, Aim, Problem, Search};
use creatormix::solve::{SolveSettings, SolverChoice};
use creatormix::uncertainty::shard::Shard;
use creatormix::uncertainty::simulate::{self, SampleSolver, SimulateSettings, Task};

use common::enumerate::feasible_totals;
use common::{Rng, Size, random_scenario};

/// The best feasible plan's objective by enumeration, or `None`.
fn enumerated(s: &Scenario, aim: Aim) -> Option<f64> {
    let totals = feasible_totals(s);
    match aim {
        Aim::Maximise(c) => totals.iter().map(|e| e.weighted(c)).reduce(f64::max),
        Aim::Profit(c) => totals
            .iter()
            .map(|e| e.weighted(c) - e.spend)
            .reduce(f64::max),
        Aim::MinimiseSpend => totals.iter().map(|e| e.spend).reduce(f64::min),
    }
}

/// The engine's optimum, checked to be a plan whose evaluated objective is
/// the one reported; `Err` describes a failure.
fn engine_optimum(s: &Scenario, aim: Aim, starts: &[&Decisions]) -> Result<Option<f64>, String> {
    let problem = Problem::of(s, aim).ok_or("not taken")?;
    match engine::search(&problem, starts, 1e-9, usize::MAX, None) {
        Search::Infeasible { .. } => Ok(None),
        Search::Stopped { .. } => Err("stopped without a node limit".into()),
        Search::Optimal { found, .. } => {
            let e = evaluate(s, &found.decisions);
            let violations = check(s, &found.decisions, &e);
            if !violations.is_empty() {
                return Err(format!("its plan breaks {violations:?}"));
            }
            let value = match aim {
                Aim::Maximise(c) => e.weighted(c),
                Aim::Profit(c) => e.weighted(c) - e.spend,
                Aim::MinimiseSpend => e.spend,
            };
            if !close(value, found.objective) {
                return Err(format!("reports {} for a plan of {value}", found.objective));
            }
            Ok(Some(value))
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-8 * a.abs().max(b.abs()).max(1.0)
}

/// Random coefficients of every size, some zero: goals per unit of reach,
/// engagement and conversion.
fn coefficients(seed: u64) -> [f64; 3] {
    let mut r = Rng::new(seed ^ 0x5eed);
    let mut coefficient = |scale: f64| {
        if r.chance(0.2) { 0.0 } else { scale * r.unit() }
    };
    [coefficient(1e-3), coefficient(1e-2), coefficient(1.0)]
}

/// The aim of a seed: on a third of seeds profit, its coefficients scaled
/// up (by 5 to 100) so that some posts pay back and others do not;
/// otherwise value.
fn profit_or_value(seed: u64) -> Aim {
    let mut r = Rng::new(seed ^ 0x9f0f);
    if r.chance(1.0 / 3.0) {
        let k = 5.0 + 95.0 * r.unit();
        Aim::Profit(coefficients(seed).map(|c| k * c))
    } else {
        Aim::Maximise(coefficients(seed))
    }
}

/// Runs the engine against enumeration on `count` random scenarios of a
/// size; returns (agreed, infeasible) and fails on any mismatch.
fn against_enumeration(size: &Size, seeds: std::ops::Range<u64>, spend: bool) -> (usize, usize) {
    let mut failures = Vec::new();
    let (mut agreed, mut infeasible) = (0, 0);
    for seed in seeds {
        let mut text = random_scenario(seed, size);
        if spend {
            // Target mode: the goal replaced by spend, under a target.
            let mut r = Rng::new(seed ^ 0x7a29);
            let (goal, target) = match r.int(0, 2) {
                0 => ("awareness", r.int(100, 30_000)),
                1 => ("engagement", r.int(10, 3_000)),
                _ => ("conversions", r.int(1, 40)),
            };
            let start = text.find("goal:").unwrap();
            let end = start + text[start..].find("limits:").unwrap();
            text.replace_range(
                start..end,
                &format!("goal:\n  minimize: spend\n  targets: {{ {goal}: {target} }}\n"),
            );
        }
        let s = match scenario::load_str(&text, Path::new("random.yaml")) {
            Ok(s) => s,
            Err(e) => panic!("seed {seed}: {e}\n{text}"),
        };
        let aim = if spend {
            Aim::MinimiseSpend
        } else {
            profit_or_value(seed)
        };
        let expected = enumerated(&s, aim);
        match (expected, engine_optimum(&s, aim, &[])) {
            (None, Ok(None)) => infeasible += 1,
            (Some(best), Ok(Some(value))) if close(best, value) => agreed += 1,
            (expected, got) => failures.push(format!(
                "seed {seed}: enumeration {expected:?}, engine {got:?}\n{text}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (agreed, infeasible)
}

/// Named creators with every feature: post counts, decay, fees, delivery,
/// require and exclude, tier shares, niche and creator minimums, creator
/// caps, audience caps and targets.
#[test]
fn engine_matches_enumeration_on_creators() {
    let size = Size {
        creators: 6,
        max_posts: 3,
        pools: 0,
        available: 0,
    };
    at_least(against_enumeration(&size, 0..1000, false), (480, 300));
}

/// Pools beside named creators.
#[test]
fn engine_matches_enumeration_with_pools() {
    let size = Size {
        creators: 4,
        max_posts: 2,
        pools: 2,
        available: 3,
    };
    at_least(against_enumeration(&size, 1000..1800, false), (450, 100));
}

/// Target mode: the least spend that meets a target.
#[test]
fn engine_matches_enumeration_in_target_mode() {
    let size = Size {
        creators: 5,
        max_posts: 3,
        pools: 1,
        available: 3,
    };
    at_least(against_enumeration(&size, 2000..2800, true), (250, 100));
}

/// The random scenarios cover both outcomes: plans agreed on and
/// scenarios proven infeasible, at least as many as given of each.
fn at_least((agreed, infeasible): (usize, usize), (plans, none): (usize, usize)) {
    assert!(
        agreed > plans && infeasible > none,
        "{agreed} agreed, {infeasible} infeasible"
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
fn engine_matches_the_milp_solver_on_mixed_rosters() {
    let mut nodes = Vec::new();
    for seed in 0..12 {
        let text = mixed_roster(seed, 40);
        let s = scenario::load_str(&text, Path::new("mixed.yaml")).expect("valid scenario");
        let settings = SolveSettings {
            mip_gap: 1e-9,
            solver: SolverChoice::Microlp,
            ..SolveSettings::default()
        };
        let outcome = creatormix::solve::optimise(&s, &settings).expect("solved");
        let goal = s.goal(outcome.best);
        let coefficients = goal.coefficients();
        let milp = evaluate(&s, &outcome.decisions).weighted(coefficients);
        let problem = Problem::of(&s, Aim::Maximise(coefficients)).expect("taken");
        let Search::Optimal {
            found, nodes: n, ..
        } = engine::search(&problem, &[], 1e-9, usize::MAX, None)
        else {
            panic!("seed {seed}: no plan\n{text}");
        };
        let e = evaluate(&s, &found.decisions);
        assert!(check(&s, &found.decisions, &e).is_empty(), "seed {seed}");
        let value = e.weighted(coefficients);
        assert!(
            (value - milp).abs() <= 2e-8 * milp.abs().max(1.0),
            "seed {seed}: MILP {milp}, engine {value}\n{text}"
        );
        nodes.push(n);
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
        // Re-optimisation scores plans by a goal to maximise; the MILP
        // run of the 1,000-creator roster is for the benchmarks.
        if s.objective == Objective::MinimiseSpend || s.creators.len() > 300 {
            continue;
        }
        taken += 1;
        same_optimum_either_way(&s, SolveSettings::default(), 24, 5);
    }
    assert!(taken >= 4, "{taken} bundled scenarios");
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

/// A time limit that stops a G* solve early never lifts a weights
/// objective above 1 or a goal above 100% of its best: the unproven best
/// is taken at its proven bound, named, and folded into the gap.
#[test]
fn stopped_goal_bests_keep_the_objective_within_one() {
    let s = scenario::load(Path::new("scenarios/agency-roster.yaml")).unwrap();
    let settings = SolveSettings {
        time_limit: Some(0.02),
        ..SolveSettings::default()
    };
    let plan = creatormix::plan::solve(&s, &settings).unwrap();
    assert!(
        plan.objective <= 1.0 + 1e-12,
        "objective {}",
        plan.objective
    );
    for u in &plan.unproven_bests {
        assert!(u.bound >= u.found, "{u:?}");
        let gap = plan.solver.gap.expect("a gap");
        assert!(
            gap >= (u.bound - u.found) / u.found - 1e-12,
            "gap {gap}, {u:?}"
        );
    }
    // 20 ms is far too short to prove the awareness G* here.
    assert!(!plan.unproven_bests.is_empty(), "every best proven in 1 s");
    for g in &plan.goals {
        assert!(g.attainment <= 1.0 + 1e-12, "{g:?}");
    }
}

/// Larger rosters, up to 2,000 creators: every program of `solve` (the G*
/// solves and the weighted objective) settled by the engine alone and by
/// HiGHS alone reaches the same objective.
#[cfg(feature = "highs")]
#[test]
fn engine_matches_highs_on_rosters_of_up_to_2000_creators() {
    for (seed, creators) in [(1, 200), (2, 500), (3, 1000), (4, 2000)] {
        let text = mixed_roster(seed, creators);
        let s = scenario::load_str(&text, Path::new("mixed.yaml")).expect("valid scenario");
        let solve = |solver| {
            let settings = SolveSettings {
                solver,
                ..SolveSettings::default()
            };
            creatormix::plan::solve(&s, &settings).expect("solved")
        };
        let (bnb, highs) = (solve(SolverChoice::Bnb), solve(SolverChoice::Highs));
        assert_eq!(
            bnb.status,
            creatormix::solve::SolveStatus::Optimal,
            "{creators}"
        );
        assert_eq!(bnb.solver.name, "bnb");
        assert!(
            (bnb.objective - highs.objective).abs() <= 2e-6 * highs.objective.abs(),
            "{creators} creators: bnb {}, HiGHS {}",
            bnb.objective,
            highs.objective
        );
    }
}

/// Rosters where several audience groups' caps bind: most creators belong
/// to one of three small groups, a creator limit binds, and prices are
/// whole numbers or not (whole spends let the engine round its bound).
fn grouped_roster(seed: u64, spend: bool) -> String {
    let mut r = Rng::new(seed);
    let goal = if spend {
        let mut targets = format!("awareness: {}", r.int(2_000, 40_000));
        if r.chance(0.3) {
            targets.push_str(&format!(", conversions: {}", r.int(1, 20)));
        }
        format!("goal:\n  minimize: spend\n  targets: {{ {targets} }}\n")
    } else {
        format!(
            "goal:\n  weights: {{ awareness: {:.2}, engagement: {:.2}, conversions: {:.2} }}\n",
            0.3 + r.unit(),
            r.unit(),
            r.unit()
        )
    };
    let mut y = format!(
        "name: grouped {seed}\nbudget: {}\nrepeat_decay: {}\n{goal}",
        r.int(3_000, 20_000),
        if r.chance(0.5) { "0.8" } else { "1" }
    );
    y.push_str(&format!(
        "limits:\n  max_creators: {}\n  fee_per_creator: {}\n",
        r.int(2, 5),
        r.int(0, 150)
    ));
    if r.chance(0.3) {
        y.push_str(&format!(
            "  tier_share: {{ nano: {{ min: {:.2} }} }}\n",
            0.1 * r.unit()
        ));
    }
    y.push_str("audiences:\n");
    for g in 0..3 {
        y.push_str(&format!("  g{g}: {{ size: {} }}\n", r.int(1_000, 12_000)));
    }
    y.push_str("creators:\n");
    let whole = r.chance(0.5);
    for i in 0..7 {
        let followers = r.int(2_000, 60_000);
        let price = followers as f64 * (0.01 + 0.03 * r.unit());
        let price = if whole {
            format!("{price:.0}")
        } else {
            format!("{price:.3}")
        };
        y.push_str(&format!(
            "  - handle: \"@g{i}\"\n    followers: {followers}\n    price_per_post: {price}\n    reach_rate: {:.2}\n    conversion_rate: 0.01\n    max_posts: {}\n",
            0.1 + 0.3 * r.unit(),
            r.int(1, 3)
        ));
        if r.chance(0.8) {
            y.push_str(&format!("    audience: g{}\n", r.int(0, 2)));
        }
    }
    y
}

/// The audience-group bound (each group's members chosen together, caps
/// exact) and the plans built from it, against enumeration.
#[test]
fn engine_matches_enumeration_with_several_audience_groups() {
    let mut failures = Vec::new();
    let mut agreed = [0usize; 2];
    for (k, spend) in [false, true].into_iter().enumerate() {
        for seed in 0..300 {
            let text = grouped_roster(seed, spend);
            let s = scenario::load_str(&text, Path::new("grouped.yaml")).expect("valid scenario");
            // Without target mode, the values of some seeds as profit.
            let aim = match (spend, profit_or_value(seed)) {
                (true, _) => Aim::MinimiseSpend,
                (false, Aim::Profit(_)) => Aim::Profit(s.goal(None).coefficients()),
                (false, _) => Aim::Maximise(s.goal(None).coefficients()),
            };
            match (enumerated(&s, aim), engine_optimum(&s, aim, &[])) {
                (None, Ok(None)) => {}
                (Some(best), Ok(Some(value))) if close(best, value) => agreed[k] += 1,
                (expected, got) => failures.push(format!(
                    "seed {seed}: enumeration {expected:?}, engine {got:?}\n{text}"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(agreed[0] > 250 && agreed[1] > 150, "agreed {agreed:?}");
}
