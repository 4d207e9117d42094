//! Robust plans by sample average approximation: one MILP over S sampled
//! scenarios that share the plan's decisions, maximising the mean objective
//! or its CVaR at 5% (Rockafellar–Uryasev linearisation). The plan satisfies
//! the nominal scenario's constraints, like the nominal plan; only the
//! objective looks across samples.

use good_lp::{Expression, variable};
use serde::{Deserialize, Serialize};

use super::sample::sampled_scenario;
use super::stats::CVAR_LEVEL;
use crate::error::Error;
use crate::model::Decisions;
use crate::model::Goal;
use crate::model::Scenario;
use crate::model::Sense;
use crate::model::evaluate::evaluate;
use crate::program::Row;
use crate::solve::{self, Backend, Limits};

/// What the robust plan maximises across samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RobustGoal {
    /// The mean objective.
    Mean,
    /// The mean of the worst 5% of sample objectives.
    Cvar,
}

/// The seed of the training samples: distinct from the evaluation streams.
pub fn training_seed(seed: u64) -> u64 {
    // A different, well-mixed key for the same user seed.
    super::streams::mix(seed)
}

/// A plan's objective on each training sample (sampled rates, realised delivery).
pub fn objectives_on(
    s: &Scenario,
    plan: &Decisions,
    goal: &Goal,
    seed: u64,
    samples: u64,
) -> Vec<f64> {
    let objective = goal.linear();
    (0..samples)
        .map(|i| evaluate(&sampled_scenario(s, i, seed, true), plan).score(objective))
        .collect()
}

/// Mean of the worst `CVAR_LEVEL` share of values, as in the linearised program:
/// max over η of η − Σ max(0, η − v) / (α·S).
pub fn cvar(values: &[f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let k = CVAR_LEVEL * n as f64;
    // Whole worst values, plus a fraction of the next one.
    let whole = k.floor() as usize;
    let mut sum: f64 = sorted[..whole].iter().sum();
    if whole < n {
        sum += (k - whole as f64) * sorted[whole];
    }
    sum / k
}

/// Solves the robust program: the plan maximising the mean or CVaR of the
/// objective over `samples` training samples.
#[allow(clippy::too_many_arguments)]
pub fn robust_plan(
    s: &Scenario,
    goal: &Goal,
    kind: RobustGoal,
    samples: u64,
    seed: u64,
    backend: Backend,
    limits: Limits,
) -> Result<Decisions, Error> {
    // The samples' creators differ where the nominal ones are identical:
    // no classes.
    let form = backend.formulation(s);
    let mut program = crate::program::build(s, form, crate::program::Reduce::Yes);
    let linear = goal.linear();
    let outcomes: Vec<Expression> = (0..samples)
        .map(|i| {
            program
                .add_outcomes(&sampled_scenario(s, i, seed, true))
                .objective(linear)
        })
        .collect();
    let n = samples as f64;
    let objective = match kind {
        RobustGoal::Mean => {
            let mut e = Expression::from(0.0);
            for o in outcomes {
                e.add_mul(1.0 / n, o);
            }
            e
        }
        RobustGoal::Cvar => {
            let eta = program.vars.add(variable());
            let mut e = Expression::from(eta);
            for o in outcomes {
                let u = program.vars.add(variable().min(0));
                program.rows.push(Row {
                    family: crate::model::Family::Link,
                    constraint: (u - eta + o).geq(0.0),
                });
                e.add_mul(-1.0 / (CVAR_LEVEL * n), u);
            }
            e
        }
    };
    let solution = solve::solve(
        s,
        &program,
        &objective,
        Sense::Maximise,
        backend,
        limits,
        None,
    )
    .map_err(|f| match f {
        solve::Failure::Infeasible => {
            Error::Infeasible("the robust program has no feasible plan".into())
        }
        solve::Failure::NoPlan => Error::NoPlan {
            seconds: limits.time_limit.unwrap_or(0.0),
            hint: "; raise --time-limit or lower --robust-samples".into(),
        },
        solve::Failure::Error(m) => Error::Solver(m),
    })?;
    Ok(solution.decisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvar_is_the_mean_of_the_worst_share() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert!((cvar(&values) - 3.0).abs() < 1e-12);
        let values: Vec<f64> = (1..=30).map(f64::from).collect();
        // 1.5 worst values: 1 and half of 2.
        assert!((cvar(&values) - (1.0 + 0.5 * 2.0) / 1.5).abs() < 1e-12);
    }
}
