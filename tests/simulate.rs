//! Monte Carlo: reproducible for any thread count and any split into
//! shards, and statistically right (sample means converge to the expected
//! totals of the nominal plan).

use std::path::Path;

use assert_cmd::Command;
use creatormix::scenario;
use creatormix::solve::SolveSettings;
use creatormix::uncertainty::robust::{RobustGoal, RobustSpec};
use creatormix::uncertainty::shard::{self, Mode, Shard};
use creatormix::uncertainty::simulate::{self, SampleSolver, SimulateSettings, Task};
use creatormix::uncertainty::{sample, summary};

const FIXTURE: &str = "tests/fixtures/uncertain.yaml";

fn settings(mode: Mode, samples: u64, threads: usize, shard: Shard) -> SimulateSettings {
    SimulateSettings {
        samples,
        seed: 42,
        threads: Some(threads),
        task: match mode {
            Mode::Evaluate => Task::Evaluate { robust: None },
            Mode::Reoptimize => Task::Reoptimize(SampleSolver::Auto),
        },
        shard,
        solve: SolveSettings::default(),
        tornado: false,
    }
}

fn report(mode: Mode, samples: u64, threads: usize) -> summary::Report {
    let s = scenario::load(Path::new(FIXTURE)).unwrap();
    let file = simulate::run(&s, &settings(mode, samples, threads, Shard::ALL)).unwrap();
    summary::report(&file.context, &file.rows)
}

#[test]
fn evaluation_is_identical_for_one_and_two_threads() {
    assert_eq!(
        report(Mode::Evaluate, 5_000, 1),
        report(Mode::Evaluate, 5_000, 2)
    );
}

#[test]
fn reoptimisation_is_identical_for_one_and_two_threads() {
    assert_eq!(
        report(Mode::Reoptimize, 60, 1),
        report(Mode::Reoptimize, 60, 2)
    );
}

#[test]
fn three_shards_merge_into_the_unsharded_summary() {
    let s = scenario::load(Path::new(FIXTURE)).unwrap();
    for (mode, samples) in [(Mode::Evaluate, 3_001), (Mode::Reoptimize, 40)] {
        let whole = report(mode, samples, 2);
        // Shards given out of order, each computed on its own.
        let shards: Vec<_> = [3, 1, 2]
            .into_iter()
            .map(|k| simulate::run(&s, &settings(mode, samples, 1, Shard { k, of: 3 })).unwrap())
            .collect();
        assert_eq!(
            shards.iter().map(|f| f.rows.len()).sum::<usize>(),
            samples as usize
        );
        let named = shards
            .into_iter()
            .map(|f| (format!("shard {}", f.shard.k), f));
        let merged = shard::merge(named).unwrap();
        assert_eq!(
            summary::report(&merged.context, &merged.rows),
            whole,
            "{mode:?}"
        );
    }
}

#[test]
fn merge_refuses_missing_and_foreign_shards() {
    let s = scenario::load(Path::new(FIXTURE)).unwrap();
    let run = |k, seed| {
        let mut settings = settings(Mode::Evaluate, 100, 1, Shard { k, of: 2 });
        settings.seed = seed;
        simulate::run(&s, &settings).unwrap()
    };
    let named = |name: &str, file| (name.to_string(), file);
    let missing = shard::merge(vec![named("a.json", run(1, 42))]).unwrap_err();
    assert!(missing.contains("shard 2 of 2 missing"), "{missing}");
    let foreign = shard::merge(vec![
        named("a.json", run(1, 42)),
        named("b.json", run(2, 7)),
    ])
    .unwrap_err();
    assert!(
        foreign.contains(
            "b.json is a shard of another run than a.json: its seed is 7, the first's 42"
        ),
        "{foreign}"
    );
    let twice = shard::merge(vec![
        named("a.json", run(1, 42)),
        named("c.json", run(1, 42)),
    ])
    .unwrap_err();
    assert!(
        twice.contains("c.json and a.json are both shard 1/2"),
        "{twice}"
    );
    // A shard of another creatormix version may draw its samples otherwise.
    let mut older = run(2, 42);
    older.context.version = "0.0.9".into();
    let version =
        shard::merge(vec![named("a.json", run(1, 42)), named("d.json", older)]).unwrap_err();
    assert!(
        version.contains(
            "d.json is a shard of another run than a.json: it was computed by creatormix 0.0.9"
        ),
        "{version}"
    );
}

/// Totals are linear in independent draws, so their sample means converge to
/// the nominal plan's expected totals (audience caps aside: none here).
#[test]
fn sample_means_converge_to_the_expected_totals() {
    let r = report(Mode::Evaluate, 200_000, 2);
    let n = 200_000f64;
    for (metric, expected) in [
        ("reach", r.nominal.reach),
        ("engagements", r.nominal.engagements),
        ("conversions", r.nominal.conversions),
    ] {
        let m = &r.metrics[metric];
        // The reported standard error is the sample sd over sqrt(n).
        assert!((m.mean_se - m.sd / n.sqrt()).abs() <= 1e-12 * m.mean_se);
        let standard_error = m.mean_se;
        assert!(
            (m.mean - expected).abs() < 4.0 * standard_error + 1e-9 * expected,
            "{metric}: sample mean {} vs expected {expected} (standard error {standard_error})",
            m.mean
        );
    }
    // Undelivered posts are not paid, so expected spend is below the planned spend.
    assert!(r.metrics["spend"].mean < r.nominal.spend);
}

/// The standard errors a report gives are what a planner sees on running
/// again with another seed: the spread of 60 runs' means, and of their share
/// of samples over budget, matches the standard error each run reports.
#[test]
fn reported_standard_errors_match_the_spread_between_seeds() {
    let s = scenario::load(Path::new(FIXTURE)).unwrap();
    let runs: Vec<summary::Report> = (0..60)
        .map(|seed| {
            let settings = SimulateSettings {
                seed,
                ..settings(Mode::Evaluate, 400, 1, Shard::ALL)
            };
            let file = simulate::run(&s, &settings).unwrap();
            summary::report(&file.context, &file.rows)
        })
        .collect();
    let spread = |values: &[f64]| {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
    };
    let check = |what: &str, values: Vec<f64>, reported: Vec<f64>| {
        let reported = reported.iter().sum::<f64>() / reported.len() as f64;
        let ratio = spread(&values) / reported;
        // With 60 runs the spread's own relative error is about 9%.
        assert!(
            (0.7..1.4).contains(&ratio),
            "{what}: spread {} between seeds, reported standard error {reported}",
            spread(&values)
        );
    };
    for metric in ["reach", "engagements", "conversions", "objective"] {
        check(
            metric,
            runs.iter().map(|r| r.metrics[metric].mean).collect(),
            runs.iter().map(|r| r.metrics[metric].mean_se).collect(),
        );
    }
    // A share of samples: spend above the sampled budget (about a quarter here).
    check(
        "over budget",
        runs.iter().map(|r| r.over_budget).collect(),
        runs.iter().map(|r| r.over_budget_se).collect(),
    );
}

#[test]
fn cli_shards_and_merge_match_an_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let bin = || Command::cargo_bin("creatormix").unwrap();
    let whole = bin()
        .args([
            "simulate",
            FIXTURE,
            "--samples",
            "2000",
            "--seed",
            "5",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        whole.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let mut shard_paths = Vec::new();
    for k in 1..=3 {
        let path = dir.path().join(format!("shard-{k}.json"));
        bin()
            .args([
                "simulate",
                FIXTURE,
                "--samples",
                "2000",
                "--seed",
                "5",
                "--threads",
                "1",
            ])
            .args(["--shard", &format!("{k}/3"), "--output"])
            .arg(&path)
            .assert()
            .code(0);
        shard_paths.push(path);
    }
    let merged = bin()
        .arg("merge")
        .args(&shard_paths)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        merged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    assert_eq!(
        String::from_utf8(merged.stdout).unwrap(),
        String::from_utf8(whole.stdout).unwrap()
    );
    // A bad shard spec is a usage error.
    bin()
        .args(["simulate", FIXTURE, "--shard", "4/3"])
        .assert()
        .code(2);
}

/// The robust plan is optimal for its own training samples, so its mean or
/// CVaR there is at least the nominal plan's; on the seed-000 scenario the
/// CVaR plan trades the one mega-influencer for the ten micro-creators.
#[test]
fn robust_plans_beat_the_nominal_plan_on_their_training_samples() {
    for (path, goal) in [
        (FIXTURE, RobustGoal::Mean),
        (FIXTURE, RobustGoal::Cvar),
        ("scenarios/ten-micro-vs-one-mega.yaml", RobustGoal::Mean),
        ("scenarios/ten-micro-vs-one-mega.yaml", RobustGoal::Cvar),
    ] {
        let s = scenario::load(Path::new(path)).unwrap();
        let mut settings = settings(Mode::Evaluate, 500, 2, Shard::ALL);
        settings.task = Task::Evaluate {
            robust: Some(RobustSpec {
                goal,
                training: 1000,
                level: 0.9,
            }),
        };
        let file = simulate::run(&s, &settings).unwrap();
        let r = file.context.robust.unwrap();
        let tolerance = 1e-5;
        match goal {
            RobustGoal::Mean => assert!(
                r.robust_training_mean >= r.nominal_training_mean - tolerance,
                "{path}: {r:?}"
            ),
            RobustGoal::Cvar => assert!(
                r.robust_training_cvar >= r.nominal_training_cvar - tolerance,
                "{path}: {r:?}"
            ),
            RobustGoal::Chance => unreachable!("not in this test"),
        }
        if path.contains("ten-micro") && goal == RobustGoal::Cvar {
            assert_eq!(r.posts[0], 0, "the mega-influencer is dropped");
            assert_eq!(
                r.posts[1..].iter().sum::<u32>(),
                10,
                "for the ten micro-creators"
            );
            assert!(r.robust_training_cvar > r.nominal_training_cvar + 0.05);
        }
    }
}

#[test]
fn tornado_ranks_parameter_groups_by_swing() {
    let s = scenario::load(Path::new(FIXTURE)).unwrap();
    let mut settings = settings(Mode::Evaluate, 10, 2, Shard::ALL);
    settings.tornado = true;
    let bars = simulate::run(&s, &settings)
        .unwrap()
        .context
        .tornado
        .unwrap();
    assert!(
        bars.windows(2).all(|w| w[0].swing >= w[1].swing),
        "largest swing first"
    );
    let budget = bars
        .iter()
        .find(|b| b.group == "budget")
        .expect("the budget is uncertain");
    assert!(
        budget.high.unwrap() >= budget.low.unwrap(),
        "more budget never hurts the optimum"
    );
    let engagement = bars
        .iter()
        .find(|b| b.group == "micro engagement_rate")
        .unwrap();
    assert!(engagement.high.unwrap() > engagement.low.unwrap());
    // Only uncertain groups appear: no creator here has uncertain mega figures.
    assert!(bars.iter().all(|b| !b.group.starts_with("mega")));
}

/// The Slurm array script, run as its tasks would be (the array variables
/// set by hand), produces shards that merge into the single-machine summary:
/// five shards on two tasks, as on a cluster whose `MaxArraySize` is below
/// the shard count. (`tests/slurm/run.sh` runs it on a real Slurm.)
#[test]
fn slurm_array_script_shards_merge_into_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_creatormix"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let task = |id: &str, count: &str| {
        std::process::Command::new("bash")
            .arg("deploy/slurm/simulate.sbatch")
            .env("PATH", &path)
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_COUNT", count)
            .env("SCENARIO", FIXTURE)
            .env("SAMPLES", "500")
            .env("MODE", "")
            .env("SHARDS", "5")
            .env("OUT", dir.path())
            .output()
            .unwrap()
    };
    for k in ["1", "2"] {
        assert!(task(k, "2").status.success());
    }
    let shards: Vec<_> = (1..=5)
        .map(|k| dir.path().join(format!("shard-{k}.json")))
        .collect();
    let merged = Command::cargo_bin("creatormix")
        .unwrap()
        .arg("merge")
        .args(&shards)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let whole = Command::cargo_bin("creatormix")
        .unwrap()
        .args(["simulate", FIXTURE, "--samples", "500", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(merged.stdout, whole.stdout);
    // Run again, a task skips the shards it has written.
    let again = task("2", "2");
    assert!(String::from_utf8_lossy(&again.stdout).contains("shard 4/5: already written"));
    // Task 2 resubmitted alone without TASKS is not taken for an array of one.
    let alone = task("2", "1");
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("TASKS=16 sbatch --array=5"));
}

#[test]
fn plot_writes_the_svg_charts() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("creatormix")
        .unwrap()
        .args([
            "simulate",
            FIXTURE,
            "--samples",
            "50",
            "--reoptimize",
            "--tornado",
            "--plot",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
    for (file, words) in [
        ("objective.svg", "Optimal objective across samples"),
        ("selection.svg", "@mia"),
        ("tier-share.svg", "micro"),
        ("tornado.svg", "micro engagement_rate"),
    ] {
        let svg = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{file}"
        );
        assert!(svg.contains(words), "{file} shows {words}");
    }
    // Partial results cannot be plotted.
    Command::cargo_bin("creatormix")
        .unwrap()
        .args(["simulate", FIXTURE, "--shard", "1/2", "--plot"])
        .arg(dir.path())
        .assert()
        .code(2);
}

/// Ctrl-C during a long simulation: it stops after the samples in progress,
/// says how far it got, exits 130 and leaves no output file, whole or half.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_simulation_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("summary.json");
    let samples = dir.path().join("samples.csv");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_creatormix"))
        .args(["simulate", FIXTURE, "--reoptimize", "--samples", "10000000"])
        .args(["--format", "json", "--output"])
        .arg(&output)
        .arg("--samples-out")
        .arg(&samples)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Long enough for the nominal solve and the first samples.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = std::time::Instant::now();
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(130), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?} to stop",
        started.elapsed()
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("of 10000000 samples"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

/// The compiled evaluation gives, sample by sample, what the independent
/// evaluator gives on the same sampled scenario (with every post delivered,
/// so the draws are the same), for the nominal plan and for a second plan
/// hiring more offers: every creator once and every pool in full. With
/// `profit`, the goal is replaced by those values under `maximize: profit`.
fn check_fast_evaluation(path: &str, seed: u64, profit: Option<[f64; 3]>) {
    use creatormix::model::evaluate::evaluate;
    use creatormix::model::{Decisions, Objective};
    let mut s = scenario::load(Path::new(path)).unwrap();
    if let Some(values) = profit {
        s.objective = Objective::Profit(values);
    }
    for c in &mut s.creators {
        c.audience.delivery = 1.0;
    }
    for p in &mut s.pools {
        p.audience.delivery = 1.0;
    }
    let outcome = creatormix::solve::optimise(&s, &SolveSettings::default()).unwrap();
    let goal = s.goal(outcome.best);
    let objective = goal.linear();
    let nominal = outcome.decisions.clone();
    let wide = Decisions {
        posts: vec![1; s.creators.len()],
        hires: s.pools.iter().map(|p| p.available).collect(),
    };
    let hired = |d: &Decisions| {
        d.posts.iter().filter(|&&n| n > 0).count() + d.hires.iter().filter(|&&z| z > 0).count()
    };
    assert!(hired(&nominal) > 0 && hired(&nominal) < hired(&wide));
    let rows = simulate::evaluate_samples(
        &s,
        &nominal,
        Some(&wide),
        objective,
        seed,
        100..160,
        &simulate::no_progress,
    )
    .unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    for row in &rows {
        let sample = sample::sampled_scenario(&s, row.index, seed, false);
        assert!(close(row.budget, sample.budget));
        let robust = row.robust.as_ref().unwrap();
        for (plan, totals) in [
            (
                &nominal,
                [
                    row.reach,
                    row.engagements,
                    row.conversions,
                    row.spend,
                    row.objective,
                ],
            ),
            (
                &wide,
                [
                    robust.reach,
                    robust.engagements,
                    robust.conversions,
                    robust.spend,
                    robust.objective,
                ],
            ),
        ] {
            let e = evaluate(&sample, plan);
            let expected = [
                e.awareness,
                e.engagements,
                e.conversions,
                e.spend,
                e.score(objective),
            ];
            for (name, (got, want)) in ["reach", "engagements", "conversions", "spend", "objective"]
                .iter()
                .zip(totals.iter().zip(expected))
            {
                assert!(
                    close(*got, want),
                    "{path}, sample {}: {name} {got} vs {want}",
                    row.index
                );
            }
        }
    }
}

#[test]
fn fast_evaluation_matches_the_evaluator_on_each_sample() {
    // 200 creators in audience groups whose caps bind for the wide plan.
    check_fast_evaluation("benches/scenarios/roster-200.yaml", 9, None);
    let s = scenario::load(Path::new("benches/scenarios/roster-200.yaml")).unwrap();
    let all = creatormix::model::Decisions {
        posts: vec![1; s.creators.len()],
        hires: vec![],
    };
    let e = creatormix::model::evaluate::evaluate(&s, &all);
    assert!(e.awareness < e.reach_raw);
    // Pools with uncertain prices and several hires.
    check_fast_evaluation(FIXTURE, 3, None);
    // Profit: the objective subtracts each sample's spend.
    check_fast_evaluation(FIXTURE, 3, Some([5.0, 0.1, 40.0]));
}

/// `--robust chance`: the cheapest plan meeting every target in at least
/// the level's share of its training samples does so there, where the
/// nominal cheapest plan does not, and costs more.
#[test]
fn a_chance_plan_meets_the_targets_in_its_share_of_training_samples() {
    let s = scenario::load(Path::new("scenarios/cheapest-launch.yaml")).unwrap();
    let mut settings = settings(Mode::Evaluate, 200, 2, Shard::ALL);
    settings.task = Task::Evaluate {
        robust: Some(RobustSpec {
            goal: RobustGoal::Chance,
            training: 20,
            level: 0.8,
        }),
    };
    let file = simulate::run(&s, &settings).unwrap();
    let r = file.context.robust.clone().unwrap();
    assert_eq!(r.level, Some(0.8));
    assert!(r.robust_training_chance.unwrap() >= 0.8 - 1e-12, "{r:?}");
    assert!(r.nominal_training_chance.unwrap() < 0.8, "{r:?}");
    assert!(r.spend > file.context.nominal.spend, "{r:?}");
    let report = summary::report(&file.context, &file.rows);
    let robust = report.robust.unwrap();
    assert_eq!(robust.targets.len(), 2);
}
