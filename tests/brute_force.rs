//! The solver against exhaustive enumeration: on tiny random scenarios every
//! plan is enumerated, scored with MODEL.md's objective (G* found by
//! enumeration too), and the best must equal the solver's optimum; a
//! scenario with no feasible plan must be reported infeasible. Run for every
//! solver compiled in.

mod common;

use std::path::Path;

use creatormix::evaluate::{check, evaluate, objective};
use creatormix::model::{GoalKind, Objective, Scenario};
use creatormix::plan::{Decisions, Plan};
use creatormix::solve::{SolveSettings, SolverChoice, optimise};
use creatormix::{Error, scenario};

use common::{Size, random_scenario};

/// Every plan of a scenario (posts per creator, hires per pool).
fn all_plans(s: &Scenario) -> Vec<Decisions> {
    let mut plans = vec![Decisions::default()];
    for c in &s.creators {
        plans = plans
            .into_iter()
            .flat_map(|d| {
                (0..=c.max_posts).map(move |n| {
                    let mut d = d.clone();
                    d.posts.push(n);
                    d
                })
            })
            .collect();
    }
    for p in &s.pools {
        plans = plans
            .into_iter()
            .flat_map(|d| {
                (0..=p.available).map(move |z| {
                    let mut d = d.clone();
                    d.hires.push(z);
                    d
                })
            })
            .collect();
    }
    plans
}

/// The optimum by enumeration, or None if no plan is feasible.
fn brute_force(s: &Scenario) -> Option<f64> {
    let feasible: Vec<_> = all_plans(s)
        .into_iter()
        .map(|d| {
            let e = evaluate(s, &d);
            (check(s, &d, &e).is_empty(), e)
        })
        .filter(|(ok, _)| *ok)
        .map(|(_, e)| e)
        .collect();
    if feasible.is_empty() {
        return None;
    }
    let best = match &s.objective {
        Objective::Values(_) => None,
        Objective::Weights(_) => {
            Some(GoalKind::ALL.map(|g| feasible.iter().map(|e| e.goal(g)).fold(0.0, f64::max)))
        }
    };
    Some(
        feasible
            .iter()
            .map(|e| objective(s, e, best))
            .fold(f64::MIN, f64::max),
    )
}

fn compare_on(choice: SolverChoice, seeds: std::ops::Range<u64>) {
    let size = Size {
        creators: 4,
        max_posts: 2,
        pools: 1,
        available: 2,
    };
    let settings = SolveSettings {
        solver: choice,
        ..SolveSettings::default()
    };
    let mut failures = Vec::new();
    let (mut feasible, mut infeasible) = (0, 0);
    for seed in seeds {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml"))
            .unwrap_or_else(|e| panic!("seed {seed}: generated scenario invalid: {e}\n{text}"));
        let expected = brute_force(&s);
        // The budget-only fractional relaxation bounds every plan.
        if let (Objective::Values(v), Some(best)) = (&s.objective, expected) {
            let bound = creatormix::heuristic::upper_bound(&s, [v[0] / 1000.0, v[1], v[2]]);
            assert!(
                bound >= best - 1e-9 * best.abs().max(1.0),
                "seed {seed}: bound {bound} < optimum {best}"
            );
        }
        let got = optimise(&s, &settings).and_then(|o| Plan::new(&s, &o, settings.mip_gap));
        match (expected, got) {
            (None, Err(Error::Infeasible(_))) => infeasible += 1,
            (Some(best), Ok(plan))
                if (best - plan.objective).abs() <= 1e-6 * best.abs().max(1.0) =>
            {
                feasible += 1
            }
            (expected, got) => failures.push(format!(
                "seed {seed}: enumeration {expected:?}, solver {:?}\n{text}",
                got.map(|p| p.objective)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        feasible > 0 && infeasible > 0,
        "the sample covers both outcomes ({feasible} feasible, {infeasible} infeasible)"
    );
}

#[test]
fn microlp_matches_enumeration() {
    compare_on(SolverChoice::Microlp, 0..300);
}

#[cfg(feature = "highs")]
#[test]
fn highs_matches_enumeration() {
    compare_on(SolverChoice::Highs, 0..300);
}
