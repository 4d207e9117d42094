//! Robust plans by sample average approximation: one MILP over S sampled
//! scenarios that share the plan's decisions, optimising the mean objective
//! or its CVaR at 5% (Rockafellar–Uryasev linearisation), or the mean
//! objective with every target met in at least a given share of the
//! samples (a chance constraint, exact over them: one binary per sample
//! says whether the plan must meet the targets there). The plan satisfies
//! the nominal scenario's constraints, like the nominal plan, but for the
//! chance constraint, which stands in for the targets; only the objective
//! and the chance look across samples.

use good_lp::{Expression, variable};
use serde::{Deserialize, Serialize};

use super::sample::sampled_scenario;
use super::stats::CVAR_LEVEL;
use crate::error::Error;
use crate::model::Decisions;
use crate::model::Goal;
use crate::model::Scenario;
use crate::model::Sense;
use crate::model::evaluate::{evaluate, reaches};
use crate::model::{Family, GoalKind};
use crate::program::Row;
use crate::solve::{self, Backend, Limits};

/// What the robust plan optimises across samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RobustGoal {
    /// The mean objective.
    Mean,
    /// The mean of the worst 5% of sample objectives.
    Cvar,
    /// The mean objective, every target met in at least a share of samples.
    Chance,
}

/// The robust plan asked for: what it optimises, on how many training
/// samples, and for [`RobustGoal::Chance`] the share of them in which every
/// target must be met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustSpec {
    /// What the plan optimises.
    pub goal: RobustGoal,
    /// Training samples.
    pub training: u64,
    /// The chance level, in (0, 1] (chance only).
    pub level: f64,
}

/// The training samples in which a chance plan must meet every target: at
/// least `level` of them.
pub fn needed(level: f64, samples: u64) -> u64 {
    ((level * samples as f64) - 1e-9).ceil().max(0.0) as u64
}

/// The seed of the training samples: distinct from the evaluation streams.
pub fn training_seed(seed: u64) -> u64 {
    // A different, well-mixed key for the same user seed.
    super::streams::mix(seed)
}

/// A plan on the training samples (sampled rates, realised delivery): its
/// objective on each, in the maximised form, and the share of them in
/// which it meets every target.
pub fn training_outcomes(
    s: &Scenario,
    plan: &Decisions,
    goal: &Goal,
    seed: u64,
    samples: u64,
) -> (Vec<f64>, f64) {
    let objective = goal.linear();
    let mut met = 0u64;
    let values = (0..samples)
        .map(|i| {
            let e = evaluate(&sampled_scenario(s, i, seed, true), plan);
            if meets_targets(s, &e) {
                met += 1;
            }
            e.score(objective)
        })
        .collect();
    (values, met as f64 / samples.max(1) as f64)
}

/// Whether outcomes meet every target of the scenario.
pub fn meets_targets(s: &Scenario, e: &crate::model::evaluate::Evaluation) -> bool {
    GoalKind::ALL
        .iter()
        .all(|g| s.targets[g.index()].is_none_or(|t| reaches(e.goal(*g), t)))
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

/// Solves the robust program: the plan optimising the mean or CVaR of the
/// objective over the training samples, or its mean under the chance
/// constraint.
pub fn robust_plan(
    s: &Scenario,
    goal: &Goal,
    spec: RobustSpec,
    seed: u64,
    backend: Backend,
    limits: Limits,
) -> Result<Decisions, Error> {
    let RobustSpec {
        goal: kind,
        training: samples,
        level,
    } = spec;
    // The samples' creators differ where the nominal ones are identical:
    // no classes.
    let form = backend.formulation(s);
    let mut program = crate::program::build(s, form, crate::program::Reduce::Yes);
    if kind == RobustGoal::Chance {
        // The chance constraint stands in for the nominal targets.
        program
            .rows
            .retain(|r| !matches!(r.family, Family::Target(_)));
    }
    let linear = goal.linear();
    let mut meets = Expression::from(0.0);
    let mut outcomes: Vec<Expression> = Vec::with_capacity(samples as usize);
    for i in 0..samples {
        let o = program.add_outcomes(&sampled_scenario(s, i, seed, true));
        if kind == RobustGoal::Chance {
            // y = 1: every target met in this sample. Outcomes are never
            // negative, so y = 0 leaves the sample free.
            let y = program.vars.add(variable().binary());
            for g in GoalKind::ALL {
                if let Some(t) = s.targets[g.index()] {
                    program.rows.push(Row {
                        family: Family::Target(g),
                        constraint: (o.goal(g).clone() - t * y).geq(0.0),
                    });
                }
            }
            meets += y;
        }
        outcomes.push(o.objective(linear));
    }
    if kind == RobustGoal::Chance {
        program.rows.push(Row {
            family: Family::Link,
            constraint: meets.geq(needed(level, samples) as f64),
        });
    }
    let n = samples as f64;
    let objective = match kind {
        RobustGoal::Mean | RobustGoal::Chance => {
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
        solve::Failure::Infeasible if kind == RobustGoal::Chance => Error::Infeasible(format!(
            "no plan within the scenario's limits meets every target in {} of the {samples} \
             training samples (--level {level}); lower --level or the targets, or raise the budget",
            needed(level, samples)
        )),
        solve::Failure::Infeasible => {
            Error::Infeasible("the robust program has no feasible plan".into())
        }
        solve::Failure::NoPlan => Error::NoPlan {
            limit: crate::error::time_limit(limits.time_limit.unwrap_or(0.0)),
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
