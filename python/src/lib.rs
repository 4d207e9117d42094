//! The native module of the `creatormix` Python package: each command of
//! the binary as a function from a scenario (a file, or the text of one)
//! and options (JSON) to the command's `--format json` output (JSON), or to
//! a description of its error. Every call runs on a thread of its own with
//! the interpreter released, so other Python threads go on; Ctrl-C stops it
//! between samples or points, as it stops the binary, and raises
//! `KeyboardInterrupt`. `creatormix/__init__.py` turns the JSON into Python
//! objects and the errors into exceptions.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use pyo3::prelude::*;
use serde_json::{Value, json};

use creatormix::error::Error;
use creatormix::explore::grid::Range;
use creatormix::explore::sweep::{Axis, WeightAxis};
use creatormix::explore::{alternatives, frontier, regions, sweep};
use creatormix::model::{GoalKind, Scenario};
use creatormix::solve::{SolveSettings, SolverChoice};
use creatormix::uncertainty::robust::{RobustGoal, RobustSpec};
use creatormix::uncertainty::shard::Shard;
use creatormix::uncertainty::simulate::{self, SampleSolver, SimulateSettings, Task};
use creatormix::uncertainty::summary;
use creatormix::{plan, scenario};

/// The options of a call, as the Python side passes them.
type Options = serde_json::Map<String, Value>;

/// An option's value, if given (and not `None`).
fn option<'a>(options: &'a Options, key: &str) -> Option<&'a Value> {
    options.get(key).filter(|v| !v.is_null())
}

/// A number option.
fn number(options: &Options, key: &str) -> Result<Option<f64>, Error> {
    option(options, key)
        .map(|v| {
            v.as_f64()
                .ok_or_else(|| Error::Usage(format!("`{key}` is a number, not {v}")))
        })
        .transpose()
}

/// A whole-number option.
fn whole(options: &Options, key: &str) -> Result<Option<u64>, Error> {
    option(options, key)
        .map(|v| {
            v.as_u64()
                .ok_or_else(|| Error::Usage(format!("`{key}` is a whole number, not {v}")))
        })
        .transpose()
}

/// A text option.
fn text<'a>(options: &'a Options, key: &str) -> Result<Option<&'a str>, Error> {
    option(options, key)
        .map(|v| {
            v.as_str()
                .ok_or_else(|| Error::Usage(format!("`{key}` is text, not {v}")))
        })
        .transpose()
}

/// A yes/no option (false unless given).
fn flag(options: &Options, key: &str) -> Result<bool, Error> {
    option(options, key)
        .map(|v| {
            v.as_bool()
                .ok_or_else(|| Error::Usage(format!("`{key}` is True or False, not {v}")))
        })
        .transpose()
        .map(|b| b.unwrap_or(false))
}

/// The solver settings: `solver`, `time_limit`, `node_limit`, `mip_gap`.
fn solve_settings(options: &Options) -> Result<SolveSettings, Error> {
    let mut settings = SolveSettings::default();
    if let Some(name) = text(options, "solver")? {
        settings.solver = match name {
            "auto" => SolverChoice::Auto,
            "bnb" => SolverChoice::Bnb,
            "microlp" => SolverChoice::Microlp,
            "highs" => SolverChoice::Highs,
            other => {
                return Err(Error::Usage(format!(
                    "`solver` is auto, bnb, microlp or highs, not `{other}`"
                )));
            }
        };
    }
    settings.time_limit = number(options, "time_limit")?.or(settings.time_limit);
    if let Some(gap) = number(options, "mip_gap")? {
        settings.mip_gap = gap;
    }
    settings.node_limit = whole(options, "node_limit")?.or(settings.node_limit);
    settings
        .check()
        .map_err(|m| Error::Usage(m.replace("--node-limit", "`node_limit`")))?;
    Ok(settings)
}

/// Goals written `awareness,conversions`.
fn goals(options: &Options) -> Result<Vec<GoalKind>, Error> {
    let goals = text(options, "goals")?
        .ok_or_else(|| Error::Usage("`goals` is needed, e.g. \"awareness,conversions\"".into()))?;
    frontier::parse_goals(goals).map_err(Error::Usage)
}

/// The scenario of a call: its file, or its text (read as if it were a file
/// in the working directory, so that relative paths in it resolve there).
fn load(path: Option<&str>, source: Option<&str>) -> Result<Scenario, Error> {
    match (path, source) {
        (Some(path), _) => scenario::load(Path::new(path)),
        (None, Some(source)) => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            scenario::load_str(source, &here.join("<scenario>"))
        }
        (None, None) => Err(Error::Usage("a scenario is needed".into())),
    }
}

/// Runs `job` on `threads` worker threads (default: one per core).
fn in_pool<T: Send>(
    options: &Options,
    job: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    let threads = whole(options, "threads")?.unwrap_or(0) as usize;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?
        .install(job)
}

/// A result as JSON text.
fn to_json(value: &impl serde::Serialize) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Solver(format!("cannot write JSON: {e}")))
}

/// An error as the Python side reads it: its kind (for the exception's
/// class), its message, and for invalid input every problem with file,
/// line, column, field and hint.
fn error_json(error: &Error) -> Value {
    let problems: Vec<Value> = match error {
        Error::Input(problems) => problems
            .iter()
            .map(|p| {
                json!({
                    "file": p.file.display().to_string(),
                    "line": p.line,
                    "column": p.column,
                    "field": p.field,
                    "message": p.message,
                    "hint": p.hint,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    json!({ "error": {
        "kind": error.status(),
        "exit_code": error.exit_code(),
        "message": error.to_string(),
        "problems": problems,
    }})
}

/// Runs a command with the interpreter released, checking for Ctrl-C
/// every tenth of a second: on one, the command is asked to stop (as the
/// binary's Ctrl-C does), and once it has, `KeyboardInterrupt` is raised.
fn detached(py: Python<'_>, job: impl FnOnce() -> Result<Value, Error> + Send) -> PyResult<String> {
    creatormix::interrupt::clear();
    let (tx, rx) = mpsc::channel();
    // Waited on with the interpreter released: shared through a lock.
    let rx = std::sync::Mutex::new(rx);
    let wait = |timeout: Option<Duration>| {
        let rx = rx.lock().expect("one waiter");
        match timeout {
            Some(t) => rx.recv_timeout(t),
            None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = tx.send(job());
        });
        loop {
            match py.detach(|| wait(Some(Duration::from_millis(100)))) {
                Ok(result) => {
                    let value = match result {
                        Ok(value) => json!({ "ok": value }),
                        Err(error) => error_json(&error),
                    };
                    return Ok(value.to_string());
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Err(interrupt) = py.check_signals() {
                        creatormix::interrupt::request();
                        // The command stops at its next sample or point.
                        let _ = py.detach(|| wait(None));
                        creatormix::interrupt::clear();
                        return Err(interrupt);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(pyo3::exceptions::PyRuntimeError::new_err(
                        "the creatormix command stopped without a result",
                    ));
                }
            }
        }
    })
}

/// Runs one command (detached, see [`detached`]) on the scenario and the
/// options of a call.
fn command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
    body: impl FnOnce(&Scenario, &Options) -> Result<Value, Error> + Send,
) -> PyResult<String> {
    detached(py, move || {
        let options = parse_options(&options)?;
        let s = load(path.as_deref(), source.as_deref())?;
        body(&s, &options)
    })
}

/// Reads the options of a call.
fn parse_options(options: &str) -> Result<Options, Error> {
    match serde_json::from_str(options) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Error::Usage("options are a JSON object".into())),
    }
}

/// `creatormix solve`: the optimal plan, its alternatives and its weight
/// margin (`no_alternatives`, `no_weight_margin` skip them).
#[pyfunction]
#[pyo3(name = "solve", signature = (path, source, options))]
fn solve_command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
) -> PyResult<String> {
    command(py, path, source, options, |s, options| {
        let settings = solve_settings(options)?;
        in_pool(options, || {
            let mut plan = plan::solve(s, &settings)?;
            if !flag(options, "no_alternatives")? {
                plan.alternatives = alternatives::alternatives(s, &plan, &settings)?;
            }
            if !flag(options, "no_weight_margin")? {
                plan.weight_margin = regions::weight_margin(s, &plan, &settings)?;
            }
            to_json(&plan)
        })
    })
}

/// `creatormix validate`: whether the scenario is valid, and the summary of
/// what was understood.
#[pyfunction]
#[pyo3(name = "validate", signature = (path, source, options))]
fn validate_command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
) -> PyResult<String> {
    command(py, path, source, options, |s, _| {
        Ok(json!({
            "valid": true,
            "name": s.name,
            "creators": s.creators.len(),
            "pools": s.pools.len(),
            "summary": creatormix::report::summary(s),
        }))
    })
}

/// `creatormix simulate`: the summary, as `--format json` gives it, and
/// every sample in columns under `samples`.
#[pyfunction]
#[pyo3(name = "simulate", signature = (path, source, options))]
fn simulate_command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
) -> PyResult<String> {
    command(py, path, source, options, |s, options| {
        let reoptimize = flag(options, "reoptimize")?;
        let robust = match text(options, "robust")? {
            None => None,
            Some("mean") => Some(RobustGoal::Mean),
            Some("cvar") => Some(RobustGoal::Cvar),
            Some("chance") => Some(RobustGoal::Chance),
            Some(other) => {
                return Err(Error::Usage(format!(
                    "`robust` is mean, cvar or chance, not `{other}`"
                )));
            }
        };
        let training = whole(options, "robust_samples")?.unwrap_or(1000);
        let level = number(options, "level")?;
        if level.is_some() && robust != Some(RobustGoal::Chance) {
            return Err(Error::Usage(
                "`level` sets the chance of `robust=\"chance\"`".into(),
            ));
        }
        let level = level.unwrap_or(0.9);
        if !(level > 0.0 && level <= 1.0) {
            return Err(Error::Usage(format!(
                "`level` is a share above 0 and at most 1, not {level}"
            )));
        }
        let task = match (reoptimize, robust) {
            (true, Some(_)) => {
                return Err(Error::Usage(
                    "`robust` compares plans on fixed samples; drop `reoptimize`".into(),
                ));
            }
            (true, None) => Task::Reoptimize(match text(options, "sample_solver")? {
                None | Some("auto") => SampleSolver::Auto,
                Some("milp") => SampleSolver::Milp,
                Some(other) => {
                    return Err(Error::Usage(format!(
                        "`sample_solver` is auto or milp, not `{other}`"
                    )));
                }
            }),
            (false, robust) => Task::Evaluate {
                robust: robust.map(|goal| RobustSpec {
                    goal,
                    training,
                    level,
                }),
            },
        };
        let settings = SimulateSettings {
            samples: whole(options, "samples")?.unwrap_or(1000),
            seed: whole(options, "seed")?.unwrap_or(1),
            threads: whole(options, "threads")?.map(|t| t as usize),
            task,
            shard: Shard::ALL,
            solve: solve_settings(options)?,
            tornado: flag(options, "tornado")?,
        };
        let file = simulate::run_with_progress(s, &settings, &simulate::no_progress)?;
        let report = summary::report(&file.context, &file.rows);
        let mut value = to_json(&report)?;
        value["samples"] = columns(&file.rows);
        Ok(value)
    })
}

/// The samples as columns (one list per field), for a data frame.
fn columns(rows: &[creatormix::uncertainty::sample::SampleRow]) -> Value {
    let column = |f: &dyn Fn(&creatormix::uncertainty::sample::SampleRow) -> Value| -> Value {
        Value::Array(rows.iter().map(f).collect())
    };
    let mut out = json!({
        "sample": column(&|r| json!(r.index)),
        "budget": column(&|r| json!(r.budget)),
        "reach": column(&|r| json!(r.reach)),
        "engagements": column(&|r| json!(r.engagements)),
        "conversions": column(&|r| json!(r.conversions)),
        "spend": column(&|r| json!(r.spend)),
        "objective": column(&|r| json!(r.objective)),
    });
    if rows.iter().any(|r| r.reoptimized.is_some()) {
        out["feasible"] = column(&|r| json!(r.reoptimized.as_ref().map(|d| d.feasible)));
        out["nominal_objective"] =
            column(&|r| json!(r.reoptimized.as_ref().map(|d| d.nominal_objective)));
        out["regret"] = column(&|r| json!(r.reoptimized.as_ref().and_then(|d| d.regret)));
    }
    if rows.iter().any(|r| r.robust.is_some()) {
        out["robust_objective"] = column(&|r| json!(r.robust.as_ref().map(|x| x.objective)));
        out["robust_spend"] = column(&|r| json!(r.robust.as_ref().map(|x| x.spend)));
    }
    out
}

/// `creatormix sweep`: `budget="FROM:TO:STEP"` or `weight=["GOAL=FROM:TO:STEP", ...]`.
#[pyfunction]
#[pyo3(name = "sweep", signature = (path, source, options))]
fn sweep_command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
) -> PyResult<String> {
    command(py, path, source, options, |s, options| {
        let settings = solve_settings(options)?;
        let axis = match (text(options, "budget")?, option(options, "weight")) {
            (Some(budget), None) => Axis::Budget(Range::parse(budget).map_err(Error::Usage)?),
            (None, Some(weights)) => {
                let list: Vec<&str> = match weights {
                    Value::String(one) => vec![one.as_str()],
                    Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                    other => {
                        return Err(Error::Usage(format!(
                            "`weight` is \"GOAL=FROM:TO:STEP\" or a list of them, not {other}"
                        )));
                    }
                };
                Axis::Weights(
                    list.into_iter()
                        .map(WeightAxis::parse)
                        .collect::<Result<_, _>>()
                        .map_err(Error::Usage)?,
                )
            }
            _ => {
                return Err(Error::Usage(
                    "a sweep moves exactly one of `budget` and `weight`".into(),
                ));
            }
        };
        in_pool(options, || to_json(&sweep::run(s, &axis, &settings)?))
    })
}

/// `creatormix frontier`: `goals="awareness,conversions"`, `points`.
#[pyfunction]
#[pyo3(name = "frontier", signature = (path, source, options))]
fn frontier_command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
) -> PyResult<String> {
    command(py, path, source, options, |s, options| {
        let settings = solve_settings(options)?;
        let goals = goals(options)?;
        let points = whole(options, "points")?.unwrap_or(21).clamp(2, 1001) as usize;
        in_pool(options, || {
            to_json(&frontier::run(s, &goals, points, &settings)?)
        })
    })
}

/// `creatormix regions`: `goals="awareness,engagement,conversions"`.
#[pyfunction]
#[pyo3(name = "regions", signature = (path, source, options))]
fn regions_command(
    py: Python<'_>,
    path: Option<String>,
    source: Option<String>,
    options: String,
) -> PyResult<String> {
    command(py, path, source, options, |s, options| {
        let settings = solve_settings(options)?;
        let goals = goals(options)?;
        in_pool(options, || to_json(&regions::run(s, &goals, &settings)?))
    })
}

/// The native module.
#[pymodule]
fn _creatormix(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve_command, m)?)?;
    m.add_function(wrap_pyfunction!(validate_command, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_command, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_command, m)?)?;
    m.add_function(wrap_pyfunction!(frontier_command, m)?)?;
    m.add_function(wrap_pyfunction!(regions_command, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
