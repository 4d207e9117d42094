//! Solvers: one closed set of backends behind one function, and the
//! two-stage solve of MODEL.md (each goal's own optimum G*, then the
//! weighted or valued objective).
//!
//! The default build has good_lp's pure-Rust `microlp`; the `highs` feature
//! adds HiGHS. Both honour the time limit and the relative MIP gap, and
//! report the gap they reached.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use good_lp::{
    Expression, IntoAffineExpression, ResolutionError, Solution as _, SolverModel, Variable,
    WithInitialSolution, WithMipGap, WithTimeLimit,
};

use crate::error::Error;
use crate::model::{GoalKind, Objective, Scenario};
use crate::plan::Decisions;
use crate::program::{self, Goal, Program, Row};

/// Default relative MIP gap (MODEL.md, Optimality).
pub const DEFAULT_MIP_GAP: f64 = 1e-6;

/// Time limit applied to microlp when none is given, in seconds: past it the
/// best plan found is returned (status `time_limit`) rather than waiting on a
/// solver that may need hours for a large roster.
pub const DEFAULT_MICROLP_SECONDS: f64 = 60.0;

/// Which solver the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SolverChoice {
    /// The best solver compiled in: HiGHS if present, else microlp.
    #[default]
    Auto,
    /// good_lp's pure-Rust microlp.
    Microlp,
    /// HiGHS (needs the `highs` feature).
    Highs,
}

/// Offers from which HiGHS's programs use [`program::Formulation::AllChoices`]
/// (see [`Backend::formulation`]).
pub const ALL_CHOICES_FROM: usize = 5_000;

/// A solver backend compiled into this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// good_lp's pure-Rust microlp.
    Microlp,
    /// HiGHS.
    #[cfg(feature = "highs")]
    Highs,
}

impl Backend {
    /// The backend's name in output.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Microlp => "microlp",
            #[cfg(feature = "highs")]
            Backend::Highs => "highs",
        }
    }

    /// The program formulation this backend solves fastest for a scenario,
    /// by its offers, creators and pools (measured with `benches/scaling.py`).
    ///
    /// HiGHS solves rosters below [`crate::shortlist::MIN_OFFERS`] whole,
    /// fastest on counts and chains. Larger rosters are screened on the
    /// LP relaxation of the whole program (and solved whole when the screen
    /// keeps too many), where choices are much faster; below
    /// [`ALL_CHOICES_FROM`] offers creators without decay keep their counts
    /// (the whole MILP at 1,000 creators: 0.15 s on counts, 0.29 s on
    /// choices; at 5,000, 0.63 and 0.58 s; at 10,000, 7.5 and 1.4 s).
    #[cfg_attr(not(feature = "highs"), allow(unused_variables))]
    pub fn formulation(self, scenario: &Scenario) -> program::Formulation {
        use program::Formulation;
        match self {
            // microlp's branching proves optimality far sooner on chains.
            Backend::Microlp => Formulation::Chains,
            #[cfg(feature = "highs")]
            Backend::Highs => match crate::shortlist::offers(scenario) {
                n if n < crate::shortlist::MIN_OFFERS => Formulation::Counts,
                n if n < ALL_CHOICES_FROM => Formulation::Choices,
                _ => Formulation::AllChoices,
            },
        }
    }

    /// The program of a scenario as this backend solves it: its
    /// formulation, without what no feasible plan can use, identical
    /// creators merged.
    pub fn program(self, scenario: &Scenario) -> Program {
        program::build(scenario, self.formulation(scenario), program::Reduce::Merge)
    }

    /// Every backend compiled into this build.
    pub fn available() -> Vec<Backend> {
        vec![
            Backend::Microlp,
            #[cfg(feature = "highs")]
            Backend::Highs,
        ]
    }
}

impl SolverChoice {
    /// Resolves the choice to a compiled-in backend.
    pub fn backend(self) -> Result<Backend, Error> {
        match self {
            SolverChoice::Microlp => Ok(Backend::Microlp),
            #[cfg(feature = "highs")]
            SolverChoice::Auto | SolverChoice::Highs => Ok(Backend::Highs),
            #[cfg(not(feature = "highs"))]
            SolverChoice::Auto => Ok(Backend::Microlp),
            #[cfg(not(feature = "highs"))]
            SolverChoice::Highs => Err(Error::Usage(
                "this build has no HiGHS solver; rebuild with `cargo build --release --features highs` \
                 or use `--solver microlp`"
                    .into(),
            )),
        }
    }
}

/// How to solve: solver, time limit and gap. Every field has a documented default.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveSettings {
    /// The solver; default `auto`.
    pub solver: SolverChoice,
    /// Wall-clock limit for the whole solve (all stages), in seconds; default
    /// none for HiGHS and [`DEFAULT_MICROLP_SECONDS`] for microlp.
    pub time_limit: Option<f64>,
    /// Relative MIP gap at which a plan counts as optimal; default 1e-6.
    pub mip_gap: f64,
    /// HiGHS solves rosters of at least this many creators and pools on a
    /// shortlist screened by the LP relaxation ([`crate::shortlist`]; the
    /// optimum is the same). 0 screens every roster, starts from the
    /// tightest shortlist (the offers the relaxation uses) and keeps any
    /// shortlist, however long; `usize::MAX` never screens. Default
    /// [`crate::shortlist::MIN_OFFERS`].
    pub shortlist_from: usize,
}

impl Default for SolveSettings {
    fn default() -> Self {
        SolveSettings {
            solver: SolverChoice::Auto,
            time_limit: None,
            mip_gap: DEFAULT_MIP_GAP,
            shortlist_from: crate::shortlist::MIN_OFFERS,
        }
    }
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolveStatus {
    /// Proven optimal within the MIP gap.
    Optimal,
    /// Stopped at the time limit with a feasible plan.
    TimeLimit,
}

impl SolveStatus {
    /// The status word of INTERFACE.md.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::TimeLimit => "time_limit",
        }
    }
}

/// Direction of optimisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Maximise the objective.
    Maximise,
    /// Minimise the objective.
    Minimise,
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

/// Why a single solve produced no plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No plan satisfies the rows given.
    Infeasible,
    /// The time limit passed before a plan was found.
    NoPlan,
    /// The solver failed.
    Error(String),
}

/// Limits for one solve.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Seconds left, if limited.
    pub time_limit: Option<f64>,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// Whether HiGHS runs its sub-MIP and reduced-cost heuristics (RINS,
    /// RENS, root reduced cost). Off when the start is already the optimum
    /// of a shortlist and what remains is to prove it for the whole roster:
    /// they then only cost time (10,000 creators, weights goal: 38.8 s -> 12.2 s).
    pub heuristics: bool,
}

/// Solves the program with an objective, keeping only the rows `keep` accepts.
pub fn run(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    keep: &dyn Fn(&Row) -> bool,
    backend: Backend,
    limits: Limits,
) -> Result<Solved, Failure> {
    run_from(program, objective, sense, keep, backend, limits, None)
}

/// [`run`] starting from a known feasible plan (a warm start): every variable's value.
pub fn run_from(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    keep: &dyn Fn(&Row) -> bool,
    backend: Backend,
    limits: Limits,
    start: Option<&HashMap<Variable, f64>>,
) -> Result<Solved, Failure> {
    let result = match backend {
        Backend::Microlp => run_microlp(program, objective, sense, keep, limits, start),
        #[cfg(feature = "highs")]
        Backend::Highs => run_highs(program, objective, sense, keep, limits, start),
    };
    match (result, start) {
        // The limit passed before the solver had a plan of its own: the
        // starting plan is feasible, so it is the best plan known. No bound
        // was proven, so the gap is unknown (infinite).
        (Err(Failure::NoPlan), Some(start)) => Ok(Solved {
            status: SolveStatus::TimeLimit,
            values: start.clone(),
            objective: objective.eval_with(start),
            gap: f64::INFINITY,
            // Unknown without the solver's timing: the whole call counts as solving.
            setup_seconds: 0.0,
        }),
        (result, _) => result,
    }
}

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

fn run_microlp(
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
            let values: HashMap<Variable, f64> = program
                .vars
                .iter_variables_with_def()
                .map(|(v, _)| (v, solution.value(v)))
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

#[cfg(feature = "highs")]
fn run_highs(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    keep: &dyn Fn(&Row) -> bool,
    limits: Limits,
    start: Option<&HashMap<Variable, f64>>,
) -> Result<Solved, Failure> {
    use highs::HighsModelStatus;
    let started = Instant::now();
    let mut model = highs_model(program, objective, sense, keep, limits.time_limit)
        .map_err(|e| Failure::Error(format!("HiGHS: {e}")))?;
    model.set_option("mip_rel_gap", limits.mip_gap);
    model.set_option("mip_abs_gap", 0.0);
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
        let columns: Vec<f64> = program
            .vars
            .iter_variables_with_def()
            .map(|(v, _)| start.get(&v).copied().unwrap_or(0.0))
            .collect();
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
    let values: HashMap<Variable, f64> = program
        .vars
        .iter_variables_with_def()
        .zip(columns)
        .map(|((v, _), &x)| (v, x))
        .collect();
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
            (false, SolveStatus::TimeLimit) => f64::INFINITY,
        },
        setup_seconds,
    })
}

/// The result of optimising a scenario.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The chosen plan.
    pub decisions: Decisions,
    /// How the final solve ended (time_limit if any stage hit it).
    pub status: SolveStatus,
    /// The solver's objective value.
    pub objective: f64,
    /// The relative gap of the final solve.
    pub gap: f64,
    /// G* per goal (weights mode; 0 for goals not solved).
    pub best: Option<[f64; 3]>,
    /// Wall-clock seconds of all solves.
    pub seconds: f64,
    /// Seconds spent building the model: the program, and handing it to the
    /// solver for each MILP (summed over the MILPs, which may run in parallel).
    pub build_seconds: f64,
    /// The backend used.
    pub backend: Backend,
    /// How many MILPs were solved.
    pub solves: usize,
    /// The time limit in force (given, or the solver's default).
    pub time_limit: Option<f64>,
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

    /// Seconds left, if limited.
    pub fn left(&self) -> Option<f64> {
        self.end
            .map(|end| end.saturating_duration_since(Instant::now()).as_secs_f64())
    }
}

/// Maps a single-solve failure to a user-facing error.
pub fn failure_error(
    failure: Failure,
    scenario: &Scenario,
    backend: Backend,
    deadline: &Deadline,
) -> Error {
    match failure {
        Failure::Infeasible => Error::Infeasible(crate::diagnose::explain(scenario, backend)),
        Failure::NoPlan => Error::NoPlan {
            seconds: deadline.seconds.unwrap_or(0.0),
            hint: hint_for(backend),
        },
        Failure::Error(m) => Error::Solver(m),
    }
}

fn hint_for(backend: Backend) -> String {
    match backend {
        Backend::Microlp if !cfg!(feature = "highs") => {
            "; raise --time-limit, or build with `--features highs` for a much faster solver".into()
        }
        _ => "; raise --time-limit".into(),
    }
}

/// Optimises a scenario: G* per weighted goal, then the scenario's objective.
pub fn optimise(scenario: &Scenario, settings: &SolveSettings) -> Result<Outcome, Error> {
    let backend = settings.solver.backend()?;
    let started = Instant::now();
    let program = backend.program(scenario);
    let built = started.elapsed().as_secs_f64();
    let mut outcome = optimise_program(scenario, &program, backend, settings)?;
    outcome.build_seconds += built;
    outcome.seconds += built;
    Ok(outcome)
}

/// [`optimise`] on a program already built for the scenario.
pub fn optimise_program(
    scenario: &Scenario,
    program: &Program,
    backend: Backend,
    settings: &SolveSettings,
) -> Result<Outcome, Error> {
    let started = Instant::now();
    let run = Run::new(backend, settings);
    let best = match &scenario.objective {
        Objective::Values(_) | Objective::MinimiseSpend => None,
        Objective::Weights(w) => {
            let goals: Vec<GoalKind> = GoalKind::ALL
                .into_iter()
                .filter(|g| w[g.index()] > 0.0)
                .collect();
            Some(goal_bests(scenario, program, &run, &goals)?)
        }
    };
    let goal = program::scenario_goal(scenario, best.as_ref().map(|b| b.best));
    // The G* plans are feasible starting plans for the weighted objective.
    let starts: Vec<&Decisions> = best.iter().flat_map(|b| &b.plans).collect();
    let solution = optimise_goal(scenario, program, &run, &goal, &starts)?;
    let (status, solves, setup) = match &best {
        Some(b) => (
            b.status.worse(solution.status),
            b.solves + 1,
            b.setup_seconds + solution.setup_seconds,
        ),
        None => (solution.status, 1, solution.setup_seconds),
    };
    Ok(Outcome {
        decisions: solution.decisions,
        status,
        objective: solution.objective,
        gap: solution.gap,
        best: best.map(|b| b.best),
        seconds: started.elapsed().as_secs_f64(),
        build_seconds: setup,
        backend,
        solves,
        time_limit: run.deadline.seconds,
    })
}

/// One optimisation's solver, gap and deadline, shared by all its stages.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// The solver.
    pub backend: Backend,
    /// The deadline of all stages together.
    pub deadline: Deadline,
    /// Relative MIP gap.
    pub mip_gap: f64,
    /// See [`SolveSettings::shortlist_from`].
    pub shortlist_from: usize,
}

impl Run {
    /// A run starting now: the settings' time limit, or the solver's default.
    pub fn new(backend: Backend, settings: &SolveSettings) -> Run {
        let time_limit = settings.time_limit.or(match backend {
            Backend::Microlp => Some(DEFAULT_MICROLP_SECONDS),
            #[cfg(feature = "highs")]
            Backend::Highs => None,
        });
        Run {
            backend,
            deadline: Deadline::after(time_limit),
            mip_gap: settings.mip_gap,
            shortlist_from: settings.shortlist_from,
        }
    }

    /// Limits of the next solve: the time left and the gap.
    pub fn limits(&self) -> Limits {
        Limits {
            time_limit: self.deadline.left(),
            mip_gap: self.mip_gap,
            heuristics: true,
        }
    }
}

impl SolveStatus {
    /// The worse of two statuses (time_limit if either stopped early).
    pub fn worse(self, other: SolveStatus) -> SolveStatus {
        if self == SolveStatus::TimeLimit || other == SolveStatus::TimeLimit {
            SolveStatus::TimeLimit
        } else {
            SolveStatus::Optimal
        }
    }
}

/// G* of some goals (MODEL.md, Objective), solved in parallel.
#[derive(Debug, Clone)]
pub struct Bests {
    /// G* per goal (0 for goals not solved).
    pub best: [f64; 3],
    /// time_limit if any G* solve stopped early.
    pub status: SolveStatus,
    /// MILPs solved.
    pub solves: usize,
    /// Seconds spent handing the program to the solver, summed over the solves.
    pub setup_seconds: f64,
    /// The plan that reached each G*, in the order of the goals solved.
    pub plans: Vec<Decisions>,
}

/// Solves G* for each goal in `goals`, in parallel.
pub fn goal_bests(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goals: &[GoalKind],
) -> Result<Bests, Error> {
    use rayon::prelude::*;
    let results: Vec<Result<Solution, Error>> = goals
        .par_iter()
        .map(|g| optimise_goal(scenario, program, run, &Goal::Single(*g), &[]))
        .collect();
    let mut out = Bests {
        best: [0.0; 3],
        status: SolveStatus::Optimal,
        solves: 0,
        setup_seconds: 0.0,
        plans: Vec::with_capacity(goals.len()),
    };
    for (g, result) in goals.iter().zip(results) {
        let solution = result?;
        out.solves += 1;
        out.setup_seconds += solution.setup_seconds;
        out.status = out.status.worse(solution.status);
        // G* is the goal's total of the best plan, recomputed exactly from
        // its (integer) decisions, so solver round-off never counts as reach.
        out.best[g.index()] = crate::evaluate::evaluate(scenario, &solution.decisions).goal(*g);
        out.plans.push(solution.decisions);
    }
    Ok(out)
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
}

/// Solves one objective on the program, starting from the best on that
/// objective of the greedy plan and the feasible plans in `starts`.
pub fn optimise_goal(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goal: &Goal,
    starts: &[&Decisions],
) -> Result<Solution, Error> {
    let objective = program.objective(goal);
    let sense = goal.sense();
    let coefficients = match goal {
        Goal::Spend => target_coefficients(scenario),
        _ => goal.coefficients(),
    };
    let greedy = crate::heuristic::greedy(scenario, coefficients);
    // The best feasible candidate on the goal (a given plan wins a tie).
    let mut first: Option<(&Decisions, f64)> = None;
    for d in starts.iter().copied().chain(greedy.as_ref()) {
        let e = crate::evaluate::evaluate(scenario, d);
        if !crate::evaluate::check(scenario, d, &e).is_empty() {
            continue;
        }
        let value = match goal {
            Goal::Spend => -e.spend,
            _ => e.weighted(goal.coefficients()),
        };
        if first.is_none_or(|(_, best)| value > best) {
            first = Some((d, value));
        }
    }
    let first = first.map(|(d, _)| d);
    let (start_plan, limits, setup_seconds) =
        match shortlisted(scenario, program, run, goal, (&objective, sense), first)? {
            Shortlisted::Solved(solution) => return Ok(with_known_gap(scenario, goal, solution)),
            Shortlisted::Whole { start, setup } => match start {
                // A shortlist's optimum: the whole program only has to prove it.
                Some(plan) => (
                    Some(plan),
                    Limits {
                        heuristics: false,
                        ..run.limits()
                    },
                    setup,
                ),
                None => (first.cloned(), run.limits(), setup),
            },
        };
    let start = start_plan
        .as_ref()
        .map(|d| encode_start(scenario, program, d));
    let all = |_: &Row| true;
    let solved = run_from(
        program,
        &objective,
        sense,
        &all,
        run.backend,
        limits,
        start.as_ref(),
    )
    .map_err(|f| failure_error(f, scenario, run.backend, &run.deadline))?;
    let decisions = program
        .map
        .decisions(|v| solved.values.get(&v).copied().unwrap_or(0.0));
    Ok(with_known_gap(
        scenario,
        goal,
        Solution {
            decisions,
            status: solved.status,
            objective: solved.objective,
            gap: solved.gap,
            setup_seconds: setup_seconds + solved.setup_seconds,
        },
    ))
}

/// A solution whose gap is stated: when the solver stopped before proving
/// any bound, a maximisation's gap is taken against the budget-only
/// fractional relaxation, a valid bound.
fn with_known_gap(scenario: &Scenario, goal: &Goal, mut solution: Solution) -> Solution {
    if !solution.gap.is_finite() && goal.sense() == Sense::Maximise {
        let bound = crate::heuristic::upper_bound(scenario, goal.coefficients());
        solution.gap = if bound > 0.0 {
            ((bound - solution.objective) / bound).max(0.0)
        } else {
            0.0
        };
    }
    solution
}

/// Solves on a shortlist where that applies: HiGHS, and a roster of at
/// least [`Run::shortlist_from`] offers.
fn shortlisted(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goal: &Goal,
    objective: (&Expression, Sense),
    first: Option<&Decisions>,
) -> Result<Shortlisted, Error> {
    #[cfg(feature = "highs")]
    if run.backend == Backend::Highs && crate::shortlist::offers(scenario) >= run.shortlist_from {
        return on_shortlist(scenario, program, run, goal, objective, first);
    }
    let _ = (scenario, program, run, goal, objective, first);
    Ok(Shortlisted::Whole {
        start: None,
        setup: 0.0,
    })
}

/// How a shortlist solve ended.
enum Shortlisted {
    /// Solved on the shortlist, and proven for the whole roster.
    #[cfg_attr(not(feature = "highs"), allow(dead_code))]
    Solved(Solution),
    /// The whole program is to be solved, from this plan if any.
    Whole {
        /// The best plan found on the way.
        start: Option<Decisions>,
        /// Seconds spent building models on the way.
        setup: f64,
    },
}

/// Solves one objective on a shortlist of the roster (see [`crate::shortlist`]):
/// the LP relaxation screens every offer, the MILP is solved on the
/// shortlist, and offers the screen cannot rule out against that plan are
/// added for one more solve.
#[cfg(feature = "highs")]
fn on_shortlist(
    scenario: &Scenario,
    program: &Program,
    run: &Run,
    goal: &Goal,
    (objective, sense): (&Expression, Sense),
    first: Option<&Decisions>,
) -> Result<Shortlisted, Error> {
    use crate::shortlist::{self, Shortlist};
    let whole = |start: Option<Decisions>, setup: f64| Ok(Shortlisted::Whole { start, setup });
    let Some((duals, columns)) = highs_relaxation(program, objective, sense, run.limits()) else {
        return whole(None, 0.0);
    };
    let scaled = scaled(objective);
    let Some(screen) = shortlist::screen(scenario, program, &scaled, sense, &duals, &columns)
    else {
        return whole(None, 0.0);
    };
    let total = shortlist::offers(scenario) as f64;
    let used = screen
        .creators_used
        .iter()
        .chain(&screen.pools_used)
        .filter(|&&u| u)
        .count();
    // The most promising offers beyond those the relaxation uses, so that
    // one solve usually settles it; none when every roster is screened (a
    // check of the screen itself).
    let extra = if run.shortlist_from == 0 {
        0
    } else {
        (4 * used).max(200)
    };
    let mut list = Shortlist::first(scenario, &screen, extra);
    let mut start = first.filter(|d| list.holds(d)).cloned();
    let mut setup = 0.0;
    for attempt in 0..2 {
        if run.shortlist_from > 0 && list.len() as f64 > shortlist::MAX_SHARE * total {
            return whole(start, setup);
        }
        let started = Instant::now();
        let restricted = list.restrict(scenario);
        // The shortlist's MILP is small: counts and chains solve it fastest
        // (on choices, HiGHS's root cuts on them take longer than they save).
        let sub = program::build(
            &restricted,
            program::Formulation::Counts,
            program::Reduce::Merge,
        );
        let sub_objective = sub.objective(goal);
        let start_values = start.as_ref().map(|d| encode_start(&restricted, &sub, d));
        setup += started.elapsed().as_secs_f64();
        let all = |_: &Row| true;
        let solved = match run_from(
            &sub,
            &sub_objective,
            sense,
            &all,
            run.backend,
            run.limits(),
            start_values.as_ref(),
        ) {
            Ok(solved) => solved,
            // Infeasible on the shortlist is not infeasible on the roster.
            Err(Failure::Infeasible) => return whole(start, setup),
            Err(f) => return Err(failure_error(f, scenario, run.backend, &run.deadline)),
        };
        setup += solved.setup_seconds;
        let decisions = sub
            .map
            .decisions(|v| solved.values.get(&v).copied().unwrap_or(0.0));
        let value =
            shortlist::screened_value(&scaled, sense, &encode_start(scenario, program, &decisions));
        let missing = list.missing(&screen, value);
        let mut solution = Solution {
            decisions,
            status: solved.status,
            objective: solved.objective,
            gap: solved.gap,
            setup_seconds: setup,
        };
        if missing.is_empty() {
            return Ok(Shortlisted::Solved(solution));
        }
        if solved.status == SolveStatus::TimeLimit || attempt == 1 {
            // Out of time (or, on the second list, round-off in the screen):
            // the best bound of an offer left out widens the gap.
            let outside = missing.best_bound(&screen);
            let reach = ((outside - value) / value.abs().max(1e-300)).max(0.0);
            solution.gap = solution.gap.max(reach);
            if solved.status == SolveStatus::TimeLimit {
                return Ok(Shortlisted::Solved(solution));
            }
            return whole(Some(solution.decisions), setup);
        }
        list = list.union(&missing);
        start = Some(solution.decisions);
    }
    whole(start, setup)
}

/// The program (its rows that `keep` accepts) as a quiet HiGHS model with
/// the time limit set, before any option of a particular solve.
#[cfg(feature = "highs")]
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
#[cfg(feature = "highs")]
fn highs_relaxation(
    program: &Program,
    objective: &Expression,
    sense: Sense,
    limits: Limits,
) -> Option<(Vec<f64>, Vec<f64>)> {
    use highs::HighsModelStatus;
    let mut model = highs_model(program, objective, sense, &|_| true, limits.time_limit).ok()?;
    model.set_option("solve_relaxation", true);
    let solved = model.try_solve().ok()?;
    if solved.status() != HighsModelStatus::Optimal {
        return None;
    }
    let solution = solved.get_solution();
    Some((solution.dual_rows().to_vec(), solution.columns().to_vec()))
}

/// Greedy ranking weights for target mode: each targeted goal per unit of
/// its target, so the greedy plan heads for every target at once.
fn target_coefficients(scenario: &Scenario) -> [f64; 3] {
    let mut c = [0.0; 3];
    for (i, t) in scenario.targets.iter().enumerate() {
        if let Some(t) = t
            && *t > 0.0
        {
            c[i] = 1.0 / t;
        }
    }
    c
}

/// Every variable's value for a plan: a solver's starting point.
pub fn encode_start(
    scenario: &Scenario,
    program: &Program,
    plan: &Decisions,
) -> HashMap<Variable, f64> {
    let e = crate::evaluate::evaluate(scenario, plan);
    let mut values: HashMap<Variable, f64> = program.map.encode(plan).into_iter().collect();
    for ((r, group), members) in program
        .map
        .group_reach
        .iter()
        .zip(&scenario.audiences)
        .zip(&e.group_members_reach)
    {
        let share = if group.size > 0.0 {
            members.min(group.size) / group.size
        } else {
            0.0
        };
        values.insert(*r, share);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A solver's own failure reaches the user with its words and exit 3;
    /// running out of time without a plan is `no_plan`, also exit 3.
    #[test]
    fn solver_failures_exit_3_with_the_solvers_message() {
        let s = crate::scenario::load_str(
            "budget: 100\ngoal: { weights: { awareness: 1 } }\n\
             creators: [{ handle: a, followers: 1000, price_per_post: 10 }]\n",
            std::path::Path::new("s.yaml"),
        )
        .unwrap();
        let deadline = Deadline::after(Some(2.0));
        let error = failure_error(
            Failure::Error("HiGHS ended with status SolveError".into()),
            &s,
            Backend::Microlp,
            &deadline,
        );
        assert_eq!(error.exit_code(), 3);
        assert_eq!(error.status(), "error");
        assert!(
            error
                .to_string()
                .contains("HiGHS ended with status SolveError")
        );
        let error = failure_error(Failure::NoPlan, &s, Backend::Microlp, &deadline);
        assert_eq!((error.exit_code(), error.status()), (3, "no_plan"));
        assert!(error.to_string().contains("time limit of 2 s"), "{error}");
    }
}
