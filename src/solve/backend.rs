//! The solver interface: what every adapter provides (a [`Backend`]), one
//! call that solves a program and reads its decisions back ([`solve`]), and
//! the deadline that all stages of one optimisation share ([`Run`]).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use good_lp::{Expression, IntoAffineExpression, Variable};

use super::settings::{EngineUse, Failure, Limits, SolveSettings, SolveStatus};
use crate::model::{Decisions, Scenario, Sense};
use crate::program::{Formulation, Program, Reduce, Row};

/// A solver call: the program with the rows `keep` accepts, an objective
/// and its sense, the limits, and a start (every variable's value) if any.
pub(crate) type RunFn = fn(
    &Program,
    &Expression,
    Sense,
    &dyn Fn(&Row) -> bool,
    Limits,
    Option<&HashMap<Variable, f64>>,
) -> Result<Solved, Failure>;

/// The LP relaxation of a program (all rows): its row duals and column
/// values, or `None` if it did not solve to optimality.
pub(crate) type RelaxFn = fn(&Program, &Expression, Sense, Limits) -> Option<(Vec<f64>, Vec<f64>)>;

/// What one solver adapter provides.
pub(crate) struct Adapter {
    /// The solver's name in output.
    pub name: &'static str,
    /// The time limit when none is given.
    pub default_time_limit: Option<f64>,
    /// The formulation this solver solves fastest for a scenario.
    pub formulation: fn(&Scenario) -> Formulation,
    /// Solves a program.
    pub run: RunFn,
    /// Solves a program's LP relaxation, if the solver gives duals (what
    /// screening a shortlist needs).
    pub relaxation: Option<RelaxFn>,
}

/// A solver backend compiled into this build (see [`Backend::available`]).
#[derive(Clone, Copy)]
pub struct Backend(pub(crate) &'static Adapter);

impl Backend {
    /// The backend's name in output.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The program formulation this backend solves fastest for a scenario
    /// (measured with `benches/scaling.py`).
    pub fn formulation(self, scenario: &Scenario) -> Formulation {
        (self.0.formulation)(scenario)
    }

    /// The program of a scenario as this backend solves it: its
    /// formulation, without what no feasible plan can use, identical
    /// creators merged.
    pub fn program(self, scenario: &Scenario) -> Program {
        crate::program::build(scenario, self.formulation(scenario), Reduce::Merge)
    }

    /// The LP relaxation of a program, where this backend gives duals.
    pub(crate) fn relaxation(
        self,
        program: &Program,
        objective: &Expression,
        sense: Sense,
        limits: Limits,
    ) -> Option<(Vec<f64>, Vec<f64>)> {
        self.0
            .relaxation
            .and_then(|relax| relax(program, objective, sense, limits))
    }

    /// Whether this backend can screen a roster by its LP relaxation.
    pub fn screens(self) -> bool {
        self.0.relaxation.is_some()
    }

    /// Solves the program with an objective, keeping only the rows `keep`
    /// accepts, from a known feasible plan's values if given (a warm start).
    pub fn run(
        self,
        program: &Program,
        objective: &Expression,
        sense: Sense,
        keep: &dyn Fn(&Row) -> bool,
        limits: Limits,
        start: Option<&HashMap<Variable, f64>>,
    ) -> Result<Solved, Failure> {
        match (
            (self.0.run)(program, objective, sense, keep, limits, start),
            start,
        ) {
            // The limit passed before the solver had a plan of its own: the
            // starting plan is feasible, so it is the best plan known. No bound
            // was proven, so the gap is unknown (infinite).
            (Err(Failure::NoPlan), Some(start)) => Ok(Solved {
                status: SolveStatus::stopped(limits.node_limit, limits.time_limit),
                values: start.clone(),
                objective: objective.eval_with(start),
                gap: f64::INFINITY,
                // Unknown without the solver's timing: the whole call counts as solving.
                setup_seconds: 0.0,
            }),
            (result, _) => result,
        }
    }
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Backend {}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A solved program: variable values and how the solve ended.
#[derive(Debug, Clone)]
pub struct Solved {
    /// How it ended.
    pub status: SolveStatus,
    /// Value of every variable.
    pub values: HashMap<Variable, f64>,
    /// Objective value.
    pub objective: f64,
    /// Relative gap reached (0 when proven optimal at gap 0; infinite when no bound is known).
    pub gap: f64,
    /// Seconds spent handing the program to the solver (its model build),
    /// before the solver's own run.
    pub setup_seconds: f64,
}

/// The best plan of one objective.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The plan.
    pub decisions: Decisions,
    /// How the solve ended.
    pub status: SolveStatus,
    /// The solver's objective value.
    pub objective: f64,
    /// The relative gap (against a valid bound when the solver proved none;
    /// infinite when no bound is known).
    pub gap: f64,
    /// Seconds spent handing the program to the solver.
    pub setup_seconds: f64,
    /// The solver that settled it: the engine's name, a MILP solver's, or
    /// both when the MILP solver took over from the engine.
    pub solver: String,
}

/// Solves a program (every row) with an objective and reads its decisions
/// back, from a feasible plan if one is given (encoded by the program's
/// variable map, the only thing that knows its columns).
pub fn solve(
    scenario: &Scenario,
    program: &Program,
    objective: &Expression,
    sense: Sense,
    backend: Backend,
    limits: Limits,
    start: Option<&Decisions>,
) -> Result<Solution, Failure> {
    let start = start.map(|d| program.map.encode_start(scenario, d));
    let solved = backend.run(program, objective, sense, &|_| true, limits, start.as_ref())?;
    Ok(Solution {
        decisions: program
            .map
            .decisions(|v| solved.values.get(&v).copied().unwrap_or(0.0)),
        status: solved.status,
        objective: solved.objective,
        gap: solved.gap,
        setup_seconds: solved.setup_seconds,
        solver: backend.name().to_string(),
    })
}

/// The program as a good_lp problem under an objective (scaled, see
/// [`scaled`]), before its rows: what each adapter hands its solver.
pub(crate) fn unsolved(
    program: &Program,
    objective: &Expression,
    sense: Sense,
) -> good_lp::variable::UnsolvedProblem {
    let mut vars = program.vars.clone();
    if vars.is_empty() {
        // Nothing can be hired: some solvers refuse a model without columns,
        // so give it one column fixed at 0. The rows still decide feasibility.
        vars.add(good_lp::variable().min(0).max(0));
    }
    let objective = scaled(objective);
    match sense {
        Sense::Maximise => vars.maximise(objective),
        Sense::Minimise => vars.minimise(objective),
    }
}

/// The objective times a power of two that brings its largest coefficient
/// into (1/2, 1]. Weighted objectives (Σ w·G/G*) have coefficients of 1e-5
/// and less, under the solvers' optimality tolerances, which would let a
/// solver call a plan optimal that is not. A power of two scales exactly;
/// the gap is relative, and objective values are always read from the
/// unscaled expression.
pub(crate) fn scaled(objective: &Expression) -> Expression {
    let largest = objective
        .linear_coefficients()
        .map(|(_, c)| c.abs())
        .fold(0.0, f64::max);
    if largest > 0.0 && largest.is_finite() {
        let power = (-largest.log2().ceil()).clamp(-1000.0, 1000.0) as i32;
        objective.clone() * 2f64.powi(power)
    } else {
        objective.clone()
    }
}

/// A deadline shared by all stages of one solve.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    end: Option<Instant>,
    /// The limit as given.
    pub seconds: Option<f64>,
}

impl Deadline {
    /// A deadline `seconds` from now (none if `None`).
    pub fn after(seconds: Option<f64>) -> Self {
        Deadline {
            end: seconds.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9))),
            seconds,
        }
    }

    /// The instant it passes, if limited.
    pub fn end(&self) -> Option<Instant> {
        self.end
    }

    /// Seconds left, if limited.
    pub fn left(&self) -> Option<f64> {
        self.end
            .map(|end| end.saturating_duration_since(Instant::now()).as_secs_f64())
    }
}

/// One optimisation's solver, gap and deadline, shared by all its stages.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Whether the engine solves first.
    pub engine: EngineUse,
    /// The MILP solver.
    pub backend: Backend,
    /// The deadline of all stages together.
    pub deadline: Deadline,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// See [`SolveSettings::shortlist_from`].
    pub shortlist_from: usize,
    /// See [`SolveSettings::node_limit`].
    pub node_limit: Option<u64>,
}

impl Run {
    /// A run starting now: the settings' time limit, or the solver's default.
    pub fn new(backend: Backend, settings: &SolveSettings) -> Run {
        let engine = settings.solver.engine();
        // A run limited in work has no default limit in time: it would make
        // the answer depend on the machine's load.
        let time_limit = match (settings.time_limit, settings.node_limit) {
            (Some(t), _) => Some(t),
            (None, Some(_)) => None,
            (None, None) => match engine {
                EngineUse::Alone => Some(super::engine::DEFAULT_SECONDS),
                _ => backend.0.default_time_limit,
            },
        };
        Run {
            engine: settings.solver.engine(),
            backend,
            deadline: Deadline::after(time_limit),
            mip_gap: settings.mip_gap,
            shortlist_from: settings.shortlist_from,
            node_limit: settings.node_limit,
        }
    }

    /// Limits of the next solve: the time left and the gap.
    pub fn limits(&self) -> Limits {
        Limits {
            time_limit: self.deadline.left(),
            mip_gap: self.mip_gap,
            node_limit: self.node_limit,
            heuristics: true,
        }
    }
}
