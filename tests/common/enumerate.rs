//! Exhaustive enumeration of a tiny scenario's plans: the oracle the
//! brute-force tests and the fuzz harness hold the solver to.

use creatormix::model::Decisions;
use creatormix::model::evaluate::{Evaluation, check, evaluate, objective};
use creatormix::model::{GoalKind, Objective, Scenario};

/// How many plans [`all_plans`] would list: the product of every creator's
/// post choices and every pool's hire choices (saturating).
pub fn plan_count(s: &Scenario) -> u64 {
    let posts = s.creators.iter().map(|c| u64::from(c.max_posts) + 1);
    let hires = s.pools.iter().map(|p| u64::from(p.available) + 1);
    posts.chain(hires).fold(1u64, |n, k| n.saturating_mul(k))
}

/// Every plan of a scenario (posts per creator, hires per pool).
pub fn all_plans(s: &Scenario) -> Vec<Decisions> {
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

/// The totals of every feasible plan of a scenario.
pub fn feasible_totals(s: &Scenario) -> Vec<Evaluation> {
    all_plans(s)
        .into_iter()
        .filter_map(|d| {
            let e = evaluate(s, &d);
            check(s, &d, &e).is_empty().then_some(e)
        })
        .collect()
}

/// The optimum by enumeration (the least spend in target mode), or None if
/// no plan is feasible.
pub fn brute_force(s: &Scenario) -> Option<f64> {
    let feasible = feasible_totals(s);
    if feasible.is_empty() {
        return None;
    }
    let best = match &s.objective {
        Objective::Values(_) | Objective::Profit(_) | Objective::MinimiseSpend => None,
        Objective::Weights(_) => {
            Some(GoalKind::ALL.map(|g| feasible.iter().map(|e| e.goal(g)).fold(0.0, f64::max)))
        }
    };
    let scores = feasible.iter().map(|e| objective(s, e, best));
    Some(match s.objective {
        Objective::MinimiseSpend => scores.fold(f64::MAX, f64::min),
        _ => scores.fold(f64::MIN, f64::max),
    })
}
