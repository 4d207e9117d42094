//! The HiGHS adapter (the `highs` feature): a state-of-the-art MILP solver,
//! with the options these programs solve fastest under, and the LP
//! relaxation whose duals screen a shortlist.

use std::collections::HashMap;
use std::time::Instant;

use good_lp::{Expression, SolverModel, Variable};

use super::backend::{Adapter, Solved, unsolved};
use super::settings::{Failure, Limits, MIN_OFFERS, SolveStatus};
use super::shortlist;
use crate::model::{Scenario, Sense};
use crate::program::{Columns, Formulation, Program, Row};

/// Offers from which HiGHS's programs use [`Formulation::AllChoices`]
/// (see [`formulation`]).
pub const ALL_CHOICES_FROM: usize = 5_000;

/// HiGHS as a [`super::Backend`].
pub(crate) const ADAPTER: Adapter = Adapter {
    name: "highs",
    default_time_limit: None,
    formulation,
    run,
    relaxation: Some(relaxation),
};

/// The formulation HiGHS solves fastest, by the scenario's offers
/// (creators and pools; measured with `benches/scaling.py`).
///
/// Rosters below [`MIN_OFFERS`] are solved whole, fastest on
/// counts and chains. Larger rosters are screened on the LP relaxation of
/// the whole program (and solved whole when the screen keeps too many),
/// where choices are much faster; below [`ALL_CHOICES_FROM`] offers
/// creators without decay keep their counts (the whole MILP at 1,000
/// creators: 0.15 s on counts, 0.29 s on choices; at 5,000, 0.63 and
/// 0.58 s; at 10,000, 7.5 and 1.4 s).
fn formulation(scenario: &Scenario) -> Formulation {
    match shortlist::offers(scenario) {
        n if n < MIN_OFFERS => Formulation::Counts,
        n if n < ALL_CHOICES_FROM => Formulation::Choices,
        _ => Formulation::AllChoices,
    }
}

fn run(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    keep: &dyn Fn(&Row) -> bool,
    limits: Limits,
    start: Option<&HashMap<Variable, f64>>,
) -> Result<Solved, Failure> {
    use ::highs::HighsModelStatus;
    let started = Instant::now();
    let mut model = highs_model(program, objective, sense, keep, limits.time_limit)
        .map_err(|e| Failure::Error(format!("HiGHS: {e}")))?;
    model.set_option("mip_rel_gap", limits.mip_gap);
    model.set_option("mip_abs_gap", 0.0);
    if let Some(nodes) = limits.node_limit {
        model.set_option("mip_max_nodes", i32::try_from(nodes).unwrap_or(i32::MAX));
    }
    // HiGHS restarts its search whenever it can fix a share of the columns.
    // On these programs (few of many creators chosen) it restarts many
    // times after the optimum is found, each with a fresh presolve and
    // sub-MIPs; without restarts the 1,000-creator instances of
    // benches/scaling.py solve 1.2-2.6x faster and none slower.
    model.set_option("mip_allow_restart", false);
    // Presolve without probing and enumeration (bits 15 and 16 of HiGHS's
    // presolve rules): on thousands of hire and post binaries tied by one
    // budget row they take seconds and find little. Measured with
    // benches/scaling.py: 10,000-creator values instances 33.6 s -> 27.7 s
    // and 46 s -> 9.8 s; 1,000 creators 0-40% faster; the agency roster
    // alone is slower (3.3 s -> 4.3 s).
    model.set_option("presolve_rule_off", (1 << 15) | (1 << 16));
    if !limits.heuristics {
        // The start is a shortlist's optimum: search for the proof only.
        model.set_option("mip_heuristic_run_rins", false);
        model.set_option("mip_heuristic_run_rens", false);
        model.set_option("mip_heuristic_run_root_reduced_cost", false);
    }
    if let Some(start) = start {
        let columns = Columns::dense(&program.vars, start);
        // A start HiGHS cannot use is only a lost hint, never an error.
        if model
            .try_set_solution(Some(&columns), None, None, None)
            .is_ok()
        {
            // Every start given here is a feasible plan. Feasibility jump
            // only looks for a first feasible plan, and HiGHS runs it in
            // every sub-MIP as well. Measured with the instances of
            // benches/scaling.py, medians of 3: 1,000 creators, values
            // 0.18 -> 0.13 s and weights 0.53 -> 0.47 s; the benchmark
            // roster 0.32 -> 0.27 s; 5,000 and 10,000 creators unchanged;
            // the same optima.
            model.set_option("mip_heuristic_run_feasibility_jump", false);
        }
    }
    let setup_seconds = started.elapsed().as_secs_f64();
    let solved = model
        .try_solve()
        .map_err(|e| Failure::Error(format!("HiGHS: {e:?}")))?;
    // Read the solution status as a number: the bindings' typed accessor
    // panics on HiGHS's "no solution" value (-1).
    let has_plan = solved.int_info_value(c"primal_solution_status") == Ok(2);
    let status = match solved.status() {
        HighsModelStatus::Optimal
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => SolveStatus::Optimal,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(Failure::Infeasible);
        }
        // HiGHS reports its node limit (mip_max_nodes) as a solution limit.
        HighsModelStatus::ReachedSolutionLimit if limits.node_limit.is_some() => {
            if has_plan {
                SolveStatus::NodeLimit
            } else {
                return Err(Failure::NoPlan);
            }
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => {
            if has_plan {
                SolveStatus::TimeLimit
            } else {
                return Err(Failure::NoPlan);
            }
        }
        other => return Err(Failure::Error(format!("HiGHS ended with status {other:?}"))),
    };
    if !has_plan {
        return Err(Failure::Error("HiGHS reported no feasible solution".into()));
    }
    let solution = solved.get_solution();
    let columns = solution.columns();
    let values = Columns::sparse(&program.vars, columns);
    let gap = solved
        .double_info_value(c"mip_gap")
        .unwrap_or(f64::INFINITY);
    let objective = objective.eval_with(&values);
    Ok(Solved {
        status,
        values,
        objective,
        // HiGHS reports an infinite gap when it stopped before proving any
        // bound: that is unknown, not zero (optimise_goal then states the
        // gap against a valid bound of its own).
        gap: match (gap.is_finite(), status) {
            (true, _) => gap.max(0.0),
            (false, SolveStatus::Optimal) => 0.0,
            (false, SolveStatus::TimeLimit | SolveStatus::NodeLimit) => f64::INFINITY,
        },
        setup_seconds,
    })
}

/// The program (its rows that `keep` accepts) as a quiet HiGHS model with
/// the time limit set, before any option of a particular solve.
fn highs_model(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    keep: &dyn Fn(&Row) -> bool,
    time_limit: Option<f64>,
) -> Result<highs::Model, String> {
    let mut problem = unsolved(program, objective, sense).using(good_lp::highs);
    for row in program.rows.iter().filter(|r| keep(r)) {
        problem.add_constraint(row.constraint.clone());
    }
    let mut model = problem.try_into_inner().map_err(|e| e.to_string())?;
    model.make_quiet();
    if let Some(t) = time_limit {
        model.set_option("time_limit", t.max(0.0));
    }
    Ok(model)
}

/// The LP relaxation of a program on HiGHS: its row duals and column
/// values, or `None` if it did not solve to optimality.
fn relaxation(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    limits: Limits,
) -> Option<(Vec<f64>, Vec<f64>)> {
    use ::highs::HighsModelStatus;
    let mut model = highs_model(program, objective, sense, &|_| true, limits.time_limit).ok()?;
    model.set_option("solve_relaxation", true);
    let solved = model.try_solve().ok()?;
    if solved.status() != HighsModelStatus::Optimal {
        return None;
    }
    let solution = solved.get_solution();
    Some((solution.dual_rows().to_vec(), solution.columns().to_vec()))
}
