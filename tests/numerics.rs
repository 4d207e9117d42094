//! Numerical robustness: plans stay right when money, rates and audiences
//! span many orders of magnitude. Each plan passes the independent evaluator
//! (`Plan::new`), and a solve of the same scenario in other units (cents
//! instead of dollars, billions instead of units) gives the same optimum.

mod common;

use std::path::Path;

use creatormix::model::Objective;
use creatormix::plan::{self, Plan};
use creatormix::solve::{SolveSettings, SolveStatus, SolverChoice};
use creatormix::{Error, scenario};

use common::enumerate::brute_force;
use common::{Size, random_scenario};

fn solvers() -> Vec<SolverChoice> {
    vec![
        SolverChoice::Microlp,
        #[cfg(feature = "highs")]
        SolverChoice::Highs,
    ]
}

fn solve_text(text: &str, solver: SolverChoice) -> Result<Plan, Error> {
    let s = scenario::load_str(text, Path::new("numerics.yaml"))?;
    let settings = SolveSettings {
        solver,
        ..SolveSettings::default()
    };
    plan::solve(&s, &settings)
}

/// Multiplies every amount of money in a scenario by `k`: budget, prices,
/// fees, and the money values of outcomes.
fn rescale_money(text: &str, k: f64) -> String {
    const MONEY: [&str; 7] = [
        "budget",
        "price_per_post",
        "fee",
        "fee_per_creator",
        "per_thousand_reach",
        "per_engagement",
        "per_conversion",
    ];
    let mut out = String::new();
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for key in MONEY {
            let pattern = format!("{key}: ");
            let starts_key = rest.starts_with(&pattern)
                && !out.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
            if starts_key {
                out.push_str(&pattern);
                rest = &rest[pattern.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
                    .unwrap_or(rest.len());
                let value: f64 = rest[..end].parse().expect("a number after a money key");
                out.push_str(&format!("{:e}", value * k));
                rest = &rest[end..];
                continue 'scan;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

/// Money in cents of a cent and in billions: prices from 0.00002 up,
/// budgets up to 4e9. Weighted objectives must not move; valued ones scale
/// with the unit; infeasibility stays infeasibility.
#[test]
fn the_optimum_does_not_depend_on_the_unit_of_money() {
    let size = Size {
        creators: 6,
        max_posts: 3,
        pools: 2,
        available: 4,
    };
    for solver in solvers() {
        let mut compared = 0;
        for seed in 0..60 {
            let text = random_scenario(seed, &size);
            let base = solve_text(&text, solver);
            for k in [1e-3, 1e6] {
                let scaled_text = rescale_money(&text, k);
                let scaled = solve_text(&scaled_text, solver);
                match (&base, &scaled) {
                    (Ok(a), Ok(b)) => {
                        let s = scenario::load_str(&text, Path::new("n.yaml")).unwrap();
                        let expected = match s.objective {
                            Objective::Values(_)
                            | Objective::Profit(_)
                            | Objective::MinimiseSpend => a.objective * k,
                            Objective::Weights(_) => a.objective,
                        };
                        assert!(
                            close(b.objective, expected, 2e-6),
                            "{solver:?} seed {seed} ×{k}: {} vs {expected}\n{scaled_text}",
                            b.objective
                        );
                        compared += 1;
                    }
                    (Err(Error::Infeasible(_)), Err(Error::Infeasible(_))) => {}
                    _ => panic!(
                        "{solver:?} seed {seed} ×{k}: {:?} vs {:?}\n{scaled_text}",
                        base.as_ref().map(|p| p.objective),
                        scaled.as_ref().map(|p| p.objective)
                    ),
                }
            }
        }
        assert!(compared >= 60, "{solver:?}: only {compared} feasible pairs");
    }
}

/// A budget of 1e9 beside posts of 0.01 and 1e6, conversion rates of 1e-6,
/// and audiences of one follower and of a hundred million: the optimum is
/// the enumerated one.
#[test]
fn extreme_magnitudes_in_one_scenario_give_the_enumerated_optimum() {
    let text = "name: extremes
budget: 1e9
goal:
  weights: { awareness: 0.2, engagement: 0.3, conversions: 0.5 }
limits: { max_creators: 4 }
creators:
  - { handle: penny, followers: 1, price_per_post: 0.01, max_posts: 3, conversion_rate: 1e-6, reach_rate: 1 }
  - { handle: dime, followers: 800, price_per_post: 0.1, max_posts: 2, conversion_rate: 1e-6 }
  - { handle: star, followers: 1e8, price_per_post: 999999999, conversion_rate: 1e-6, engagement_rate: 1e-6 }
  - { handle: big, followers: 5e7, price_per_post: 1e6, max_posts: 2, conversion_rate: 2e-6 }
  - { handle: small, followers: 2000, price_per_post: 25, max_posts: 3, conversion_rate: 0.02, engagement_rate: 0.2 }
  - { handle: mid, followers: 90000, price_per_post: 1500, max_posts: 2, conversion_rate: 1e-6 }
";
    let s = scenario::load_str(text, Path::new("extremes.yaml")).unwrap();
    let best = brute_force(&s).expect("feasible");
    for solver in solvers() {
        let plan = solve_text(text, solver).unwrap();
        assert!(
            close(plan.objective, best, 1e-6),
            "{solver:?}: {} vs enumerated {best}",
            plan.objective
        );
    }
}

/// A thousand creators of about a million followers each (a billion in all),
/// prices in the tens of thousands: a proven optimum that passes the
/// independent evaluator, and the same optimum in cents. The team's limit of
/// 40 creators binds before the budget, which keeps the pure-Rust solver
/// within seconds on a thousand creators.
#[test]
fn a_thousand_creators_of_a_million_followers() {
    let mut rng = common::Rng::new(3);
    let mut text = String::from(
        "name: a billion followers\nbudget: 5000000\n\
         goal: { weights: { awareness: 0.5, engagement: 0.2, conversions: 0.3 } }\n\
         limits: { max_creators: 40, fee_per_creator: 500 }\ncreators:\n",
    );
    for i in 0..1000 {
        let followers = rng.int(500_000, 2_000_000);
        text.push_str(&format!(
            "  - {{ handle: c{i}, followers: {followers}, price_per_post: {}, \
             engagement_rate: {:.4}, conversion_rate: {:.5}, max_posts: 2 }}\n",
            rng.int(10_000, 60_000),
            0.005 + 0.03 * rng.unit(),
            0.0005 + 0.004 * rng.unit(),
        ));
    }
    for solver in solvers() {
        let plan = solve_text(&text, solver).unwrap();
        assert_eq!(plan.status, SolveStatus::Optimal, "{solver:?}");
        assert_eq!(plan.creators.len(), 40, "{solver:?}");
        assert!(
            plan.totals.reach > 1e7,
            "{solver:?}: reach {}",
            plan.totals.reach
        );
        let cents = solve_text(&rescale_money(&text, 100.0), solver).unwrap();
        assert_eq!(cents.status, SolveStatus::Optimal, "{solver:?}");
        assert!(
            close(cents.objective, plan.objective, 2e-6),
            "{solver:?}: {} cents vs {} dollars",
            cents.objective,
            plan.objective
        );
    }
}
