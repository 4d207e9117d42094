//! The checks of the fuzz targets (`fuzz/fuzz_targets/`), kept here so that
//! `cargo test` replays every saved case (`tests/fuzz/`) through exactly the
//! code the fuzzer ran.
//!
//! One input is up to three files, separated by a line `--8<--`: the scenario
//! (`scenario.yaml`), a CSV roster (`roster.csv`) and a market model
//! (`custom.market.yaml`). They are written side by side in a private
//! directory, so the scenario reaches the others by name
//! (`creators_csv: roster.csv`, `market: custom.market.yaml`); a missing part
//! is a missing file. The bytes are written as they are: binary and
//! non-UTF-8 input reaches the loader too.

use std::cell::RefCell;
use std::path::PathBuf;

use creatormix::model::{Objective, Scenario};
use creatormix::plan;
use creatormix::solve::{SolveSettings, SolverChoice};
use creatormix::uncertainty::shard::Shard;
use creatormix::uncertainty::simulate::{self, SimulateSettings, Task};
use creatormix::uncertainty::summary;
use creatormix::{Error, scenario};

use super::enumerate::{brute_force, plan_count};

/// The line between the files of one input.
pub const SEPARATOR: &[u8] = b"\n--8<--\n";

/// The names the parts of an input are written under, in order.
pub const FILES: [&str; 3] = ["scenario.yaml", "roster.csv", "custom.market.yaml"];

/// Largest scenario the solve target solves: beyond this it only loads it.
const MAX_SOLVED_PLANS: u64 = 1 << 20;

/// Largest scenario whose optimum is checked by enumeration.
const MAX_ENUMERATED_PLANS: u64 = 4_096;

/// Time limit of each solve, in seconds: the fuzzer looks for crashes and
/// wrong plans, not slow solves.
const SOLVE_SECONDS: f64 = 5.0;

thread_local! {
    static DIR: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

/// Splits an input into its files (at most [`FILES`]`.len()`).
pub fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < FILES.len() {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// Writes the files of `data` into this thread's directory and returns the
/// scenario's path.
fn write_files(data: &[u8]) -> PathBuf {
    DIR.with(|dir| {
        let mut dir = dir.borrow_mut();
        let dir = dir.get_or_insert_with(|| tempfile::tempdir().expect("a temporary directory"));
        let parts = split(data);
        for (i, name) in FILES.iter().enumerate() {
            let path = dir.path().join(name);
            match parts.get(i) {
                Some(bytes) => std::fs::write(&path, bytes).expect("write a fuzz file"),
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        dir.path().join(FILES[0])
    })
}

/// Loads the scenario of one input.
pub fn load(data: &[u8]) -> Result<Scenario, Error> {
    scenario::load(&write_files(data))
}

/// The loader's contract: a scenario, or input errors (exit 2) that each name
/// a file and say what is wrong; never a panic.
pub fn check_load(data: &[u8]) -> Option<Scenario> {
    match load(data) {
        Ok(s) => {
            check_scenario(&s);
            Some(s)
        }
        Err(Error::Input(errors)) => {
            assert!(!errors.is_empty(), "an input error with no problems listed");
            for e in &errors {
                assert!(!e.file.as_os_str().is_empty(), "no file named: {e}");
                assert!(!e.message.trim().is_empty(), "no message: {e:?}");
            }
            None
        }
        Err(other) => panic!("loading failed with a non-input error: {other}"),
    }
}

/// What validation promises every later stage: finite, non-negative money
/// and outcomes for every creator and pool.
fn check_scenario(s: &Scenario) {
    assert!(
        s.budget.is_finite() && s.budget >= 0.0,
        "budget {}",
        s.budget
    );
    let offers = s
        .creators
        .iter()
        .map(|c| (&c.handle, c.price_per_post, c.fee, &c.audience));
    let pools = s
        .pools
        .iter()
        .map(|p| (&p.name, p.price_per_post, p.fee, &p.audience));
    for (name, price, fee, audience) in offers.chain(pools) {
        let numbers = [
            price,
            fee,
            audience.reach(),
            audience.engagements(),
            audience.conversions(),
        ];
        assert!(
            numbers.iter().all(|x| x.is_finite() && *x >= 0.0),
            "{name}: {numbers:?}"
        );
    }
}

/// The whole pipeline's contract on a small scenario: load, build, solve
/// with a time limit (creatormix's own branch and bound and microlp) and
/// simulate. Every plan passes the independent check;
/// on scenarios small enough to enumerate, the optimum (or infeasibility) is
/// the enumerated one; failures are errors with their exit code, never panics.
pub fn check_solve(data: &[u8]) {
    let Some(s) = check_load(data) else { return };
    let plans = plan_count(&s);
    if plans > MAX_SOLVED_PLANS {
        return;
    }
    let expected = (plans <= MAX_ENUMERATED_PLANS).then(|| brute_force(&s));
    // creatormix's own branch and bound, then the MILP solver whose plan
    // the simulation below takes.
    let _ = solved_as_enumerated(&s, SolverChoice::Bnb, expected);
    let plan = solved_as_enumerated(&s, SolverChoice::Microlp, expected);
    if let Ok(p) = &plan
        && s.objective != Objective::MinimiseSpend
        && p.objective.is_finite()
    {
        let settings = SimulateSettings {
            samples: 16,
            seed: 7,
            threads: Some(1),
            task: Task::Evaluate { robust: None },
            shard: Shard::ALL,
            solve: SolveSettings {
                solver: SolverChoice::Microlp,
                time_limit: Some(SOLVE_SECONDS),
                ..SolveSettings::default()
            },
            tornado: false,
        };
        match simulate::run(&s, &settings) {
            Ok(file) => {
                let report = summary::report(&file.context, &file.rows);
                let _ = format!("{report:?}");
            }
            Err(e) => assert!(matches!(e.exit_code(), 1..=3), "{e}"),
        }
    }
}

/// Solves a scenario with one solver (time-limited) and checks the result
/// against enumeration, when `expected` holds its optimum (`Some(None)`: no
/// plan).
fn solved_as_enumerated(
    s: &Scenario,
    solver: SolverChoice,
    expected: Option<Option<f64>>,
) -> Result<creatormix::plan::Plan, Error> {
    let settings = SolveSettings {
        solver,
        time_limit: Some(SOLVE_SECONDS),
        ..SolveSettings::default()
    };
    // Plan::new runs the independent evaluator: a plan it refuses is Error::Check.
    let plan = plan::solve(s, &settings);
    match (&plan, expected) {
        (Err(Error::Check(m)), _) => panic!("a plan that fails the independent check: {m}"),
        (Err(Error::Solver(m)), _) => panic!("solver failure on a valid scenario: {m}"),
        (Ok(p), Some(Some(best))) if p.status == creatormix::solve::SolveStatus::Optimal => {
            let tolerance = 1e-6 * best.abs().max(1.0);
            assert!(
                (p.objective - best).abs() <= tolerance,
                "optimum {} but enumeration finds {best}",
                p.objective
            );
        }
        (Ok(p), Some(None)) => {
            panic!(
                "a plan of objective {} where enumeration finds none",
                p.objective
            )
        }
        (Err(Error::Infeasible(why)), Some(Some(best))) => {
            panic!("called infeasible ({why}) but enumeration finds {best}")
        }
        (Err(Error::Infeasible(why)), _) => assert!(!why.trim().is_empty()),
        (Err(e), _) => assert!(matches!(e.exit_code(), 1..=3), "{e}"),
        _ => {}
    }
    plan
}
