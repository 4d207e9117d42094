//! Sweeps, frontiers and comparisons: what a researcher relies on. Budget
//! curves never fall, weight sweeps end at the single-goal optima, frontier
//! points are non-dominated and optimal for their ε, and the output does not
//! depend on the thread count.

mod common;

use std::path::Path;
use std::process::Command;

use creatormix::explore::frontier;
use creatormix::explore::grid::Range;
use creatormix::explore::sweep::{self, Axis, WeightAxis};
use creatormix::model::evaluate::evaluate;
use creatormix::model::{GoalKind, Objective, Scenario};
use creatormix::scenario;
use creatormix::solve::{SolveSettings, optimise};

use common::{Size, random_scenario};

fn load(path: &str) -> Scenario {
    scenario::load(Path::new(path)).unwrap()
}

fn settings() -> SolveSettings {
    SolveSettings::default()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn budget_curves_never_decrease() {
    let mut curves = vec![curve_or_empty(
        &load("scenarios/product-launch.yaml"),
        30000.0,
        200000.0,
        10000.0,
    )];
    let size = Size {
        creators: 6,
        max_posts: 3,
        pools: 2,
        available: 4,
    };
    for seed in 0..40 {
        let text = random_scenario(seed, &size);
        let s = scenario::load_str(&text, Path::new("random.yaml")).unwrap();
        let b = s.budget;
        let step = (b / 8.0).round().max(1.0);
        let c = curve_or_empty(&s, (b / 4.0).round(), (2.0 * b).round(), step);
        curves.push(c);
    }
    let mut checked = 0;
    for c in &curves {
        for w in c.windows(2) {
            let ((b0, o0), (b1, o1)) = (w[0], w[1]);
            assert!(
                o1 >= o0 - 1e-6 * o0.abs().max(1.0),
                "objective fell from {o0} at budget {b0} to {o1} at {b1}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} neighbouring pairs checked");
}

/// The objective of the plan at each feasible point, in budget order
/// (nothing when no budget of the range is feasible).
fn curve_or_empty(s: &Scenario, from: f64, to: f64, step: f64) -> Vec<(f64, f64)> {
    let range = Range::parse(&format!("{from}:{to}:{step}")).unwrap();
    match sweep::run(s, &Axis::Budget(range), &settings()) {
        Ok(sweep) => sweep.curve(),
        Err(creatormix::Error::Infeasible(_)) => Vec::new(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn budget_sweeps_report_tier_entries_and_marginal_returns() {
    let s = load("scenarios/product-launch.yaml");
    let range = Range::parse("20000:200000:20000").unwrap();
    let sw = sweep::run(&s, &Axis::Budget(range), &settings()).unwrap();
    assert_eq!(sw.points.len(), 10);
    // 20,000 cannot pay for the required minimums: reported, not fatal.
    assert_eq!(
        sw.points[0].solved.status,
        creatormix::explore::grid::PointStatus::Infeasible
    );
    assert!(sw.points[0].solved.message.is_some());
    // The mega-influencer needs a large budget (it may take at most half).
    let mega = sw
        .tier_changes
        .iter()
        .find(|c| c.tier == "mega" && c.change == "enters")
        .expect("the mega enters somewhere");
    let before = &sw.points[mega.after_point].solved;
    let after = &sw.points[mega.at_point].solved;
    assert_eq!(before.tier_share("mega"), 0.0);
    assert!(after.tier_share("mega") > 0.0);
    // Marginal returns are the slopes between neighbouring feasible points.
    for m in &sw.marginal {
        let at = |b: f64| {
            sw.points
                .iter()
                .find(|p| p.budget == b)
                .and_then(|p| p.solved.plan.as_ref())
                .unwrap()
        };
        let slope = (at(m.to).objective - at(m.from).objective) / (m.to - m.from);
        assert!(close(m.objective, slope, 1e-12));
    }
    assert_eq!(sw.marginal.len(), 8);
}

#[test]
fn weight_sweep_ends_are_the_single_goal_optima() {
    for path in [
        "scenarios/ten-micro-vs-one-mega.yaml",
        "scenarios/product-launch.yaml",
    ] {
        let mut s = load(path);
        // Two goals only, so the ends of the sweep are single goals.
        s.objective = Objective::Weights([0.5, 0.0, 0.5]);
        let axis = WeightAxis::parse("awareness=0:1:0.25").unwrap();
        let sw = sweep::run(&s, &Axis::Weights(vec![axis]), &settings()).unwrap();
        assert_eq!(sw.points.len(), 5);
        for (point, goal) in [(0, GoalKind::Conversions), (4, GoalKind::Awareness)] {
            let plan = sw.points[point].solved.plan.as_ref().unwrap();
            let mut single = s.clone();
            let mut w = [0.0; 3];
            w[goal.index()] = 1.0;
            single.objective = Objective::Weights(w);
            let outcome = optimise(&single, &settings()).unwrap();
            let best = outcome.best.unwrap()[goal.index()];
            let got = evaluate(&s, &plan.decisions).goal(goal);
            assert!(close(got, best, 1e-6), "{path}: {got} against G* {best}");
            assert!(close(plan.objective, 1.0, 1e-6));
        }
    }
}

#[test]
fn the_ten_micro_mix_flips_to_the_mega_as_awareness_gains_weight() {
    let s = load("scenarios/ten-micro-vs-one-mega.yaml");
    let axis = WeightAxis::parse("conversions=0:1:0.1").unwrap();
    let sw = sweep::run(&s, &Axis::Weights(vec![axis]), &settings()).unwrap();
    assert_eq!(sw.flips.len(), 1, "{:?}", sw.flips);
    assert_eq!(sw.flips[0].from_tier, "mega");
    assert_eq!(sw.flips[0].to_tier, "micro");
}

#[test]
fn frontier_points_are_non_dominated_and_optimal_for_their_epsilon() {
    for (path, goals) in [
        (
            "scenarios/ten-micro-vs-one-mega.yaml",
            "awareness,conversions",
        ),
        ("scenarios/product-launch.yaml", "awareness,conversions"),
        ("scenarios/product-launch.yaml", "engagement,awareness"),
        (
            "scenarios/local-coffee-shop.yaml",
            "awareness,engagement,conversions",
        ),
    ] {
        let s = load(path);
        let goals = frontier::parse_goals(goals).unwrap();
        let f = frontier::run(&s, &goals, 6, &settings()).unwrap();
        assert!(f.points.len() >= 2, "{path}: {} points", f.points.len());
        let k = goals.len();
        for (i, p) in f.points.iter().enumerate() {
            // The values are the plan's own totals.
            let e = evaluate(&s, &p.plan.decisions);
            for (g, v) in goals.iter().zip(&p.values) {
                assert!(close(e.goal(*g), *v, 1e-12));
            }
            for (j, q) in f.points.iter().enumerate() {
                let dominates = q.values.iter().zip(&p.values).all(|(a, b)| a >= b)
                    && q.values
                        .iter()
                        .zip(&p.values)
                        .any(|(a, b)| a > b && !close(*a, *b, 1e-9));
                assert!(
                    i == j || !dominates,
                    "{path}: point {j} dominates point {i}"
                );
            }
            // A direct solve: maximise the last goal with the others held at ε.
            let mut direct = s.clone();
            let mut w = [0.0; 3];
            w[goals[k - 1].index()] = 1.0;
            direct.objective = Objective::Weights(w);
            for (g, eps) in goals[..k - 1].iter().zip(&p.epsilon) {
                direct.targets[g.index()] = Some(
                    direct.targets[g.index()]
                        .unwrap_or(0.0)
                        .max(eps * (1.0 - 1e-9)),
                );
            }
            let outcome = optimise(&direct, &settings()).unwrap();
            let best = evaluate(&direct, &outcome.decisions).goal(goals[k - 1]);
            assert!(
                close(p.values[k - 1], best, 1e-6),
                "{path}: point {i} has {} {}, the direct solve {best}",
                goals[k - 1].key(),
                p.values[k - 1]
            );
        }
        // The frontier reaches each goal's own best.
        for (g, b) in goals.iter().zip(&f.best) {
            let top = f
                .points
                .iter()
                .map(|p| p.values[goals.iter().position(|x| x == g).unwrap()])
                .fold(0.0, f64::max);
            assert!(
                close(top, *b, 1e-6),
                "{path}: {} tops at {top}, G* {b}",
                g.key()
            );
        }
    }
}

/// A frontier whose solves stop at a short time limit marks every point
/// not proven optimal, in its table and in a line naming them, and counts
/// grid points with no plan in time apart from those out of reach.
#[test]
fn a_stopped_frontier_marks_its_unproven_points() {
    use creatormix::explore::grid::PointStatus;
    use creatormix::report::{Format, render};
    let s = load("scenarios/agency-roster.yaml");
    let goals = frontier::parse_goals("awareness,conversions").unwrap();
    let stopped = SolveSettings {
        time_limit: Some(0.002),
        ..settings()
    };
    let f = frontier::run(&s, &goals, 6, &stopped).unwrap();
    let table = render(&f, Format::Table);
    let unproven: Vec<usize> = f
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.status.as_str() != "optimal")
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!unproven.is_empty(), "every point proven in 2 ms:\n{table}");
    for (i, p) in f.points.iter().enumerate() {
        let marked = table
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{}* ", i + 1)));
        assert_eq!(
            marked,
            !matches!(p.status, PointStatus::Solved(s) if s.as_str() == "optimal"),
            "point {}:\n{table}",
            i + 1
        );
    }
    let named = unproven
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        table.contains("Not proven optimal: a limit (--time-limit or --node-limit) stopped the search first at point")
            && table.contains(&named),
        "{table}"
    );
    assert_eq!(
        f.without_plan + f.no_plan_in_time + f.removed + f.points.len(),
        6
    );
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&common::stdout_of(args, &[])).unwrap();
    strip_seconds(&mut v);
    v
}

/// Removes wall-clock times, the only fields allowed to differ between runs.
fn strip_seconds(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("seconds");
            map.remove("build_seconds");
            map.values_mut().for_each(strip_seconds);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_seconds),
        _ => {}
    }
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    for args in [
        vec![
            "sweep",
            "scenarios/product-launch.yaml",
            "--budget",
            "40000:160000:20000",
        ],
        vec![
            "sweep",
            "scenarios/product-launch.yaml",
            "--weight",
            "awareness=0:1:0.2",
        ],
        vec![
            "frontier",
            "scenarios/product-launch.yaml",
            "--goals",
            "awareness,conversions",
            "--points",
            "8",
        ],
        vec![
            "compare",
            "scenarios/ten-micro-vs-one-mega.yaml",
            "scenarios/thousand-vs-one.yaml",
        ],
    ] {
        let with = |threads: &str| {
            let mut a = args.clone();
            a.extend(["--format", "json", "--threads", threads]);
            run_json(&a)
        };
        assert_eq!(with("1"), with("2"), "{args:?}");
    }
}

#[test]
fn sweep_and_frontier_write_csv_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_creatormix"))
        .args([
            "sweep",
            "scenarios/product-launch.yaml",
            "--budget",
            "40000:160000:40000",
            "--format",
            "csv",
            "--plot",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("budget,status,objective,spend,reach")
    );
    assert_eq!(lines.count(), 4);
    for chart in ["response.svg", "tier-shares.svg"] {
        let svg = std::fs::read_to_string(dir.path().join(chart)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("mega"), "{chart}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_creatormix"))
        .args([
            "frontier",
            "scenarios/ten-micro-vs-one-mega.yaml",
            "--goals",
            "awareness,conversions",
            "--plot",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("micro → mega")
    );
    assert!(dir.path().join("frontier.svg").exists());
}

#[test]
fn bad_sweeps_exit_2_and_say_why() {
    for (args, words) in [
        (vec!["sweep", "scenarios/product-launch.yaml"], "--budget"),
        (
            vec![
                "sweep",
                "scenarios/product-launch.yaml",
                "--budget",
                "1:0:1",
            ],
            "below FROM",
        ),
        (
            vec![
                "sweep",
                "scenarios/product-launch.yaml",
                "--weight",
                "reach=0:1:0.5",
            ],
            "not a goal",
        ),
        (
            vec![
                "sweep",
                "scenarios/cheapest-launch.yaml",
                "--weight",
                "awareness=0:1:0.5",
            ],
            "no `weights`",
        ),
        (
            vec![
                "frontier",
                "scenarios/product-launch.yaml",
                "--goals",
                "awareness",
            ],
            "two or three",
        ),
        (
            vec![
                "compare",
                "scenarios/product-launch.yaml",
                "--weights",
                "awareness=-1",
            ],
            "non-negative",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_creatormix"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{args:?}: {err}");
    }
}

#[test]
fn a_sweep_with_no_feasible_point_exits_1() {
    let out = Command::new(env!("CARGO_BIN_EXE_creatormix"))
        .args([
            "sweep",
            "scenarios/product-launch.yaml",
            "--budget",
            "100:1000:300",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
