//! The microlp adapter: good_lp's pure-Rust solver, the one the default
//! build has.

use std::collections::HashMap;
use std::time::Instant;

use good_lp::{
    Expression, ResolutionError, Solution as _, SolverModel, Variable, WithInitialSolution,
    WithMipGap, WithTimeLimit,
};

use super::backend::{Adapter, Solved, unsolved};
use super::settings::{Failure, Limits, SolveStatus};
use crate::model::{Scenario, Sense};
use crate::program::{Columns, Formulation, Program, Row};

/// Time limit applied to microlp when none is given, in seconds: past it the
/// best plan found is returned (status `time_limit`) rather than waiting on a
/// solver that may need hours for a large roster.
pub const DEFAULT_SECONDS: f64 = 60.0;

/// microlp as a [`super::Backend`].
pub(crate) const ADAPTER: Adapter = Adapter {
    name: "microlp",
    default_time_limit: Some(DEFAULT_SECONDS),
    formulation,
    run,
    relaxation: None,
};

/// microlp's branching proves optimality far sooner on chains.
fn formulation(_: &Scenario) -> Formulation {
    Formulation::Chains
}

fn run(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    keep: &dyn Fn(&Row) -> bool,
    limits: Limits,
    start: Option<&HashMap<Variable, f64>>,
) -> Result<Solved, Failure> {
    let started = Instant::now();
    let mut model = unsolved(program, objective, sense)
        .using(good_lp::microlp)
        .with_mip_gap(limits.mip_gap as f32)
        .map_err(|e| Failure::Error(e.to_string()))?;
    if let Some(t) = limits.time_limit {
        model = model.with_time_limit(t.max(0.0));
    }
    if let Some(start) = start {
        model = model.with_initial_solution(start.iter().map(|(v, x)| (*v, *x)));
    }
    for row in program.rows.iter().filter(|r| keep(r)) {
        model.add_constraint(row.constraint.clone());
    }
    let setup_seconds = started.elapsed().as_secs_f64();
    match model.solve() {
        Ok(solution) => {
            let status = match solution.status() {
                good_lp::SolutionStatus::TimeLimit => SolveStatus::TimeLimit,
                _ => SolveStatus::Optimal,
            };
            let values: HashMap<Variable, f64> = Columns::variables(&program.vars)
                .map(|v| (v, solution.value(v)))
                .collect();
            let objective = solution.eval(objective);
            let gap = solution.into_inner().gap().unwrap_or(0.0);
            Ok(Solved {
                status,
                values,
                objective,
                gap: if status == SolveStatus::Optimal {
                    gap.min(limits.mip_gap)
                } else {
                    gap
                },
                setup_seconds,
            })
        }
        Err(ResolutionError::Infeasible) => Err(Failure::Infeasible),
        Err(ResolutionError::Other(m)) if m.contains("Time limit") => Err(Failure::NoPlan),
        Err(e) => Err(Failure::Error(format!("microlp: {e}"))),
    }
}
