//! Solving: the settings and status of a solve, creatormix's own exact
//! branch and bound ([`engine`]), one adapter per MILP solver behind one
//! interface, the two-stage optimisation of MODEL.md, and what serves it
//! (greedy and local-search starts, the shortlist screened by the LP
//! relaxation, and the explanation of infeasibility).
//!
//! `--solver auto` solves every program with the engine first; past its
//! node limit, the MILP solver takes over from the engine's best plan. The
//! default build has good_lp's pure-Rust `microlp`; the `highs` feature
//! adds HiGHS. All honour the time limit and the relative MIP gap, and
//! report the gap they reached. [`optimise`] is the entry point.

pub mod backend;
pub mod diagnose;
pub mod engine;
pub mod greedy;
#[cfg(feature = "highs")]
mod highs;
pub mod local_search;
mod microlp;
pub mod settings;
pub mod shortlist;
pub mod stages;

pub use backend::{Backend, Deadline, Run, Solution, Solved, solve};
pub use microlp::DEFAULT_SECONDS as DEFAULT_MICROLP_SECONDS;
pub use settings::{
    DEFAULT_MIP_GAP, EngineUse, Failure, Limits, MIN_OFFERS, SolveSettings, SolveStatus,
    SolverChoice,
};
pub use stages::{
    Bests, Outcome, Unproven, engine_node_limit, goal_bests, greedy_plan, joined, optimise_goal,
    optimise_program,
};

use std::time::Instant;

use crate::error::Error;
use crate::model::Scenario;

/// The solvers compiled into this build, in order of preference: the last
/// is the best, the one `auto` picks.
const BACKENDS: &[backend::Adapter] = &[
    microlp::ADAPTER,
    #[cfg(feature = "highs")]
    highs::ADAPTER,
];

impl Backend {
    /// good_lp's pure-Rust microlp, in every build.
    pub const MICROLP: Backend = Backend(&microlp::ADAPTER);

    /// Every backend compiled into this build.
    pub fn available() -> Vec<Backend> {
        BACKENDS.iter().map(Backend).collect()
    }

    /// The backend of this name, if it is compiled in.
    pub fn named(name: &str) -> Option<Backend> {
        Backend::available().into_iter().find(|b| b.name() == name)
    }
}

impl SolverChoice {
    /// Resolves the choice to a compiled-in backend.
    pub fn backend(self) -> Result<Backend, Error> {
        match self {
            SolverChoice::Auto => Ok(*Backend::available().last().expect("microlp is always built")),
            // The engine alone; microlp only explains infeasibility.
            SolverChoice::Microlp | SolverChoice::Bnb => Ok(Backend::MICROLP),
            SolverChoice::Highs => Backend::named("highs").ok_or_else(|| {
                Error::Usage(
                    "this build has no HiGHS solver; rebuild with `cargo build --release --features highs` \
                     or use `--solver microlp`"
                        .into(),
                )
            }),
        }
    }
}

/// Optimises a scenario: G* per weighted goal, then the scenario's objective.
pub fn optimise(scenario: &Scenario, settings: &SolveSettings) -> Result<Outcome, Error> {
    let backend = settings.solver.backend()?;
    let started = Instant::now();
    let program = backend.program(scenario);
    let built = started.elapsed().as_secs_f64();
    let mut outcome = stages::optimise_program(scenario, &program, backend, settings)?;
    outcome.build_seconds += built;
    outcome.seconds += built;
    Ok(outcome)
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
        let deadline = backend::Deadline::after(Some(2.0));
        let error = diagnose::failure_error(
            settings::Failure::Error("HiGHS ended with status SolveError".into()),
            &s,
            Backend::MICROLP,
            &deadline,
        );
        assert_eq!(error.exit_code(), 3);
        assert_eq!(error.status(), "error");
        assert!(
            error
                .to_string()
                .contains("HiGHS ended with status SolveError")
        );
        let error =
            diagnose::failure_error(settings::Failure::NoPlan, &s, Backend::MICROLP, &deadline);
        assert_eq!((error.exit_code(), error.status()), (3, "no_plan"));
        assert!(error.to_string().contains("time limit of 2 s"), "{error}");
    }
}
