//! The command line as users meet it: every command, format and exit code
//! of INTERFACE.md.

mod common;

use assert_cmd::Command;
use common::stdout_of;
use predicates::prelude::*;

fn creatormix() -> Command {
    Command::cargo_bin("creatormix").expect("the binary is built")
}

const SCENARIO: &str = "scenarios/ten-micro-vs-one-mega.yaml";

#[test]
fn solve_prints_a_table_and_exits_0() {
    creatormix()
        .args(["solve", SCENARIO])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("status optimal"))
        .stdout(predicate::str::contains("Why this mix"))
        .stdout(predicate::str::contains("@the.megastar"));
}

#[test]
fn solve_json_has_the_interface_keys() {
    let out = creatormix()
        .args(["solve", SCENARIO, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["status"], "optimal");
    for key in [
        "objective",
        "budget",
        "spend",
        "totals",
        "kpis",
        "tiers",
        "creators",
        "pools",
        "solver",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    for key in ["reach", "engagements", "conversions", "creators", "posts"] {
        assert!(v["totals"][key].is_number(), "totals.{key}");
    }
    for key in ["cpm", "cpe", "cost_per_conversion"] {
        assert!(v["kpis"].get(key).is_some(), "kpis.{key}");
    }
    assert_eq!(v["creators"][0]["handle"], "@the.megastar");
    assert!(v["solver"]["seconds"].is_number());
    assert!(v["solver"]["gap"].is_number());
}

/// The mega or the micros: the answer says what the other choice gives,
/// on the plan's own scale, unless asked not to.
#[test]
fn solve_prices_each_tier_it_hires_or_leaves_out() {
    let out = creatormix()
        .args(["solve", SCENARIO, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let objective = v["objective"].as_f64().unwrap();
    let alternatives = v["alternatives"].as_array().expect("alternatives");
    let without = alternatives
        .iter()
        .find(|a| a["question"] == "without mega")
        .expect("the mega the plan hires");
    assert_eq!(without["kind"], "without");
    assert_eq!(without["mix"], "10 micro");
    let other = without["objective"].as_f64().unwrap();
    assert!(other < objective, "{other} against {objective}");
    let difference = without["difference"].as_f64().unwrap();
    assert!((difference - (other - objective)).abs() < 1e-12);
    assert!(alternatives.iter().any(|a| a["question"] == "with micro"));
    let out = creatormix()
        .args(["solve", SCENARIO, "--format", "json", "--no-alternatives"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert!(v.get("alternatives").is_none());
}

/// Values that do not pay back the spend are said, in every format.
#[test]
fn a_values_goal_below_its_cost_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roi.yaml");
    std::fs::write(
        &path,
        "budget: 80000\ngoal: { values: { per_conversion: 1 } }\ncreators:\n  \
         - { handle: a, followers: 50000, price_per_post: 400, max_posts: 3 }\n",
    )
    .unwrap();
    let json = common::stdout_of(&["solve", path.to_str().unwrap(), "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let roi = v["kpis"]["return_on_spend"].as_f64().unwrap();
    assert!(roi < 1.0);
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("less than they cost")
    );
    for format in ["table", "markdown"] {
        let out = common::stdout_of(&["solve", path.to_str().unwrap(), "--format", format], &[]);
        assert!(
            out.contains("Warning: the outcomes are valued at"),
            "{format}: {out}"
        );
    }
    // A scenario whose values pay back has none.
    let json = common::stdout_of(&["solve", SCENARIO, "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.get("warnings").is_none());
}

/// `maximize: profit` buys a post only where it earns more than it costs,
/// fee included. Each creator is worth 1 per engagement, posts halve: `a`
/// earns 500 then 250 then 125 for 200 a post and a fee of 100, so 2 posts
/// (profit 250); `b` never pays back; `c` 600, 300, 150 for 280: 2 posts
/// (240); `d` earns 250 on its first post for 200, but not the fee too. A
/// plain values goal buys all twelve posts.
#[test]
fn maximize_profit_buys_only_what_pays_back() {
    let dir = tempfile::tempdir().unwrap();
    let roster = "limits: { fee_per_creator: 100 }\ncreators:\n  \
         - { handle: a, followers: 10000, engagement_rate: 0.05, price_per_post: 200, max_posts: 3 }\n  \
         - { handle: b, followers: 10000, engagement_rate: 0.015, price_per_post: 200, max_posts: 3 }\n  \
         - { handle: c, followers: 20000, engagement_rate: 0.03, price_per_post: 280, max_posts: 3 }\n  \
         - { handle: d, followers: 10000, engagement_rate: 0.025, price_per_post: 200, max_posts: 3 }\n";
    let solve = |goal: &str, name: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("budget: 100000\nrepeat_decay: 0.5\ngoal: {goal}\n{roster}"),
        )
        .unwrap();
        let json = common::stdout_of(&["solve", path.to_str().unwrap(), "--format", "json"], &[]);
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    };
    let profit = solve(
        "{ values: { per_engagement: 1 }, maximize: profit }",
        "profit.yaml",
    );
    assert_eq!(profit["objective_mode"], "profit");
    assert!((profit["objective"].as_f64().unwrap() - 490.0).abs() < 1e-6);
    assert!((profit["spend"].as_f64().unwrap() - 1160.0).abs() < 1e-6);
    let hired: Vec<(String, u64)> = profit["creators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["handle"].as_str().unwrap().to_string(),
                c["posts"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(hired, [("a".to_string(), 2), ("c".to_string(), 2)]);
    assert!(profit.get("warnings").is_none());
    let unspent = profit["binding"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["constraint"] == "unspent")
        .expect("the unspent budget has its reason");
    assert!(
        unspent["detail"]
            .as_str()
            .unwrap()
            .contains("earns more than it costs")
    );
    let value = solve("{ values: { per_engagement: 1 } }", "value.yaml");
    assert_eq!(value["objective_mode"], "values");
    assert_eq!(value["totals"]["posts"], 12);
    assert!(
        value["warnings"][0]
            .as_str()
            .unwrap()
            .contains("maximize: profit")
    );
}

#[test]
fn solve_csv_has_one_row_per_hire() {
    creatormix()
        .args([
            "solve",
            "scenarios/ten-micro-vs-one-mega-conversions.yaml",
            "--format",
            "csv",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "kind,name,tier,platform,hired,posts,spend",
        ))
        .stdout(predicate::function(|s: &str| s.lines().count() == 11));
}

#[test]
fn solve_markdown_is_a_document() {
    creatormix()
        .args(["solve", SCENARIO, "--format", "markdown"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# "))
        .stdout(predicate::str::contains("| tier | creators |"));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    creatormix()
        .args(["solve", SCENARIO, "--format", "json", "--output"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout("");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["status"], "optimal");
    // Only the target file is left behind: no temporary files.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn output_into_a_missing_folder_makes_it_and_under_a_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reports/may/plan.txt");
    creatormix()
        .args(["solve", SCENARIO, "--output"])
        .arg(&path)
        .arg("--report")
        .arg(dir.path().join("html/plan.html"))
        .assert()
        .code(0);
    assert!(path.is_file() && dir.path().join("html/plan.html").is_file());
    // A folder cannot be made inside a file.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    creatormix()
        .args(["solve", SCENARIO, "--output"])
        .arg(file.join("plan.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
}

#[test]
fn validate_summarises_tiers_and_defaults() {
    creatormix()
        .args(["validate", "scenarios/product-launch.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("valid"))
        .stdout(predicate::str::contains("On offer by tier"))
        .stdout(predicate::str::contains("Defaults applied"))
        .stdout(predicate::str::contains("seed 003"));
}

#[test]
fn schema_is_draft_07_json() {
    let out = creatormix().arg("schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(v["additionalProperties"], false);
}

#[test]
fn committed_schema_is_in_sync() {
    let out = creatormix().arg("schema").output().unwrap();
    let committed = std::fs::read_to_string("schema/scenario.schema.json").unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        committed,
        "run `cargo run -- schema -o schema/scenario.schema.json`"
    );
}

#[test]
fn infeasible_exits_1_and_names_the_conflict() {
    creatormix()
        .args(["solve", "tests/fixtures/infeasible.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("infeasible"))
        .stderr(predicate::str::contains("the budget (1,000)"))
        .stderr(predicate::str::contains("the required creators (2)"))
        .stderr(predicate::str::contains("at least 1,300 of spend"));
}

#[test]
fn infeasible_in_json_mode_prints_a_status() {
    let out = creatormix()
        .args([
            "solve",
            "tests/fixtures/infeasible.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "infeasible");
}

#[test]
fn invalid_input_exits_2() {
    creatormix()
        .args(["solve", "no-such-file.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.yaml"));
}

#[test]
fn usage_errors_exit_2() {
    creatormix().args(["solve"]).assert().code(2);
    creatormix()
        .args(["solve", SCENARIO, "--mip-gap", "2"])
        .assert()
        .code(2);
    creatormix()
        .args(["solve", SCENARIO, "--time-limit", "-1"])
        .assert()
        .code(2);
    creatormix()
        .args(["solve", SCENARIO, "--format", "xml"])
        .assert()
        .code(2);
    creatormix().args(["frobnicate"]).assert().code(2);
}

#[cfg(not(feature = "highs"))]
#[test]
fn asking_for_highs_without_it_exits_2_with_a_hint() {
    creatormix()
        .args(["solve", SCENARIO, "--solver", "highs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--features highs"));
}

#[test]
fn no_plan_within_the_time_limit_exits_3() {
    // The greedy starting plan misses product-launch's tier shares, so
    // there is no plan to fall back on when the limit passes at once.
    creatormix()
        .args([
            "solve",
            "scenarios/product-launch.yaml",
            "--solver",
            "microlp",
            "--time-limit",
            "0.000001",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no plan found within the time limit",
        ));
}

/// Either the limit stopped the solve with a plan (exit 0, status
/// time_limit and a positive or unknown gap, never a claimed 0) or no plan
/// was found in time (exit 3, status no_plan).
fn time_limited_run_returns_its_best_plan(solver: &str, seconds: &str) {
    let out = creatormix()
        .args([
            "solve",
            "scenarios/agency-roster.yaml",
            "--solver",
            solver,
            "--time-limit",
            seconds,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    match out.status.code() {
        Some(0) => {
            assert_eq!(v["status"], "time_limit", "{solver}");
            // A positive gap, or null when no bound was proven in time.
            let gap = &v["solver"]["gap"];
            assert!(
                gap.is_null() || gap.as_f64().unwrap() > 0.0,
                "{solver}: gap {gap}"
            );
            assert!(v["spend"].as_f64().unwrap() <= v["budget"].as_f64().unwrap());
        }
        Some(3) => assert_eq!(v["status"], "no_plan"),
        other => panic!(
            "unexpected exit {other:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn a_time_limited_run_returns_its_best_plan() {
    time_limited_run_returns_its_best_plan("microlp", "3");
}

#[cfg(feature = "highs")]
#[test]
fn a_time_limited_highs_run_returns_its_best_plan() {
    // HiGHS needs about 3 s here; at 0.3 s it is still in the G* stage.
    time_limited_run_returns_its_best_plan("highs", "0.3");
}

#[test]
fn target_mode_finds_the_cheapest_plan_and_prices_each_target() {
    let out = creatormix()
        .args([
            "solve",
            "scenarios/cheapest-launch.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["objective_mode"], "minimize_spend");
    assert_eq!(v["objective"], v["spend"]);
    assert!(v["totals"]["conversions"].as_f64().unwrap() >= 3000.0);
    assert!(v["totals"]["reach"].as_f64().unwrap() >= 500000.0);
    let costs = v["marginal_costs"].as_array().unwrap();
    assert_eq!(costs.len(), 2);
    for m in costs {
        let spend_then = m["spend_at_step"].as_f64().unwrap();
        assert!(spend_then >= v["spend"].as_f64().unwrap() - 1e-6);
        let per_unit = m["cost_per_unit"].as_f64().unwrap();
        let expected = (spend_then - v["spend"].as_f64().unwrap()) / m["step"].as_f64().unwrap();
        assert!((per_unit - expected.max(0.0)).abs() < 1e-9);
    }
}

/// A target's marginal cost is the difference of two proven optima: when
/// the plan itself is not proven cheapest, no cost is shown, and the note
/// says why.
#[test]
fn marginal_costs_are_measured_only_from_a_proven_plan() {
    use creatormix::solve::{SolveSettings, SolveStatus};
    let s =
        creatormix::scenario::load(std::path::Path::new("scenarios/cheapest-launch.yaml")).unwrap();
    let settings = SolveSettings::default();
    let mut plan = creatormix::plan::solve(&s, &settings).unwrap();
    assert!(
        plan.marginal_costs
            .iter()
            .all(|m| m.cost_per_unit.is_some())
    );
    plan.status = SolveStatus::TimeLimit;
    creatormix::plan::price_targets(&s, &settings, &mut plan).unwrap();
    assert_eq!(plan.marginal_costs.len(), 2);
    for m in &plan.marginal_costs {
        assert_eq!(m.spend_at_step, None);
        assert_eq!(m.cost_per_unit, None);
        assert!(
            m.note.as_deref().unwrap().contains("not proven cheapest"),
            "{m:?}"
        );
    }
}

/// A target the cheapest plan already exceeds by more than the raise costs
/// nothing more: the raised scenario's cheapest plan is the same plan.
#[test]
fn a_target_exceeded_by_the_raise_costs_nothing_more() {
    use creatormix::model::GoalKind;
    use creatormix::solve::SolveSettings;
    let mut s =
        creatormix::scenario::load(std::path::Path::new("scenarios/cheapest-launch.yaml")).unwrap();
    let settings = SolveSettings::default();
    let first = creatormix::plan::solve(&s, &settings).unwrap();
    // A conversions target well below what the plan reaches: not binding.
    s.targets[GoalKind::Conversions.index()] = Some(0.5 * first.totals.conversions);
    let plan = creatormix::plan::solve(&s, &settings).unwrap();
    let slack = plan
        .marginal_costs
        .iter()
        .find(|m| m.goal == GoalKind::Conversions)
        .unwrap();
    assert!(slack.achieved >= slack.target + slack.step, "{slack:?}");
    assert_eq!(slack.cost_per_unit, Some(0.0));
    assert_eq!(slack.spend_at_step, Some(plan.spend));
    // What a re-solve with the raised target finds.
    let mut raised = s.clone();
    raised.targets[GoalKind::Conversions.index()] = Some(slack.target + slack.step);
    let again = creatormix::plan::solve(&raised, &settings).unwrap();
    assert!((again.spend - plan.spend).abs() < 1e-6);
    // The binding target still has its cost measured by a re-solve.
    let binding = plan
        .marginal_costs
        .iter()
        .find(|m| m.goal == GoalKind::Awareness)
        .unwrap();
    assert!(binding.spend_at_step.unwrap() > plan.spend);
}

/// The JSON a successful command prints (its stderr shown if it fails).
fn json_of(args: &[&str]) -> serde_json::Value {
    let out = creatormix().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Target mode simulates: the cheapest plan's spend is its objective, and
/// each target's chance and shortfall are reported; re-optimised, every
/// feasible sample's cheapest plan meets the targets; `--level` needs
/// `--robust chance`.
#[test]
fn simulate_measures_the_risk_of_the_cheapest_plan() {
    let r = json_of(&[
        "simulate",
        "scenarios/cheapest-launch.yaml",
        "--samples",
        "300",
        "--format",
        "json",
    ]);
    assert_eq!(r["objective_mode"], "minimize_spend");
    assert_eq!(r["metrics"]["objective"], r["metrics"]["spend"]);
    // The worst 5% of a spend are its highest.
    let spend = &r["metrics"]["spend"];
    assert!(spend["cvar5"].as_f64().unwrap() >= spend["p95"].as_f64().unwrap());
    let targets = r["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    for t in targets {
        let p = t["probability"].as_f64().unwrap();
        assert!(p > 0.0 && p < 1.0, "{t}");
        let short = t["shortfall"]["mean"].as_f64().unwrap();
        assert!(short > 0.0 && short < t["target"].as_f64().unwrap(), "{t}");
    }
    let r = json_of(&[
        "simulate",
        "scenarios/cheapest-launch.yaml",
        "--samples",
        "60",
        "--reoptimize",
        "--format",
        "json",
    ]);
    let re = &r["reoptimize"];
    let feasible = re["feasible"].as_f64().unwrap();
    assert!(feasible > 0.0);
    for t in r["targets"].as_array().unwrap() {
        let p = t["probability"].as_f64().unwrap();
        assert!((p - feasible / 60.0).abs() < 1e-12, "{t}");
    }
    // Holding the nominal plan costs at least each sample's cheapest plan.
    assert!(re["regret"]["p5"].as_f64().unwrap() >= -1e-6);
    usage_error(
        &[
            "simulate",
            "scenarios/cheapest-launch.yaml",
            "--level",
            "0.8",
        ],
        "--robust chance",
    );
}

/// A command refused as a usage error (exit 2) with a message that says `why`.
fn usage_error(args: &[&str], why: &str) {
    creatormix()
        .args(args)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(why));
}

#[test]
fn completions_cover_every_command_in_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = creatormix().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for command in ["solve", "simulate", "sweep", "frontier", "time-limit"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
    // The bash script is valid bash.
    let script = creatormix().args(["completions", "bash"]).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creatormix.bash");
    std::fs::write(&path, script.stdout).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    creatormix()
        .args(["completions", "powershell-ish"])
        .assert()
        .code(2);
}

#[test]
fn man_pages_are_written_for_every_command() {
    let page = creatormix().arg("man").output().unwrap();
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH creatormix 1"),
        "{page}"
    );
    assert!(page.contains("simulate"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    creatormix()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for command in [
        "solve",
        "validate",
        "simulate",
        "sweep",
        "frontier",
        "completions",
    ] {
        let path = dir.path().join(format!("creatormix-{command}.1"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{command}: {e}"));
        assert!(
            text.contains(&format!(".TH creatormix-{command} 1")),
            "{text}"
        );
    }
}

/// The HTML report is one self-contained file: no script, nothing fetched,
/// and names from the scenario cannot inject markup.
#[test]
fn html_report_is_self_contained_and_escapes_names() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.yaml");
    std::fs::write(
        &scenario,
        "name: \"<b>Launch</b>\"\nbudget: 1000\ngoal: { weights: { conversions: 1 } }\n\
         creators:\n  - { handle: \"<script>alert(1)</script>\", followers: 5000, price_per_post: 100 }\n\
         \x20 - { handle: \"<img src=https://example.com/x>\", followers: 9000, price_per_post: 200 }\n",
    )
    .unwrap();
    let report = dir.path().join("report.html");
    creatormix()
        .arg("solve")
        .arg(&scenario)
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        html.contains("id=\"headline\">Spend 300 of 1,000"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;Launch&lt;/b&gt;"));
    let lower = html.to_lowercase();
    for forbidden in [
        "<script", "<img", "<link", "<iframe", "<object", "src=\"", "href=",
    ] {
        assert!(!lower.contains(forbidden), "the page contains {forbidden}");
    }
}

/// Every command that prints a result takes each format its help lists,
/// and each format is what it says: Markdown a document with pipe tables,
/// CSV a header row and rows of raw figures, JSON an object.
#[test]
fn every_result_command_prints_every_format() {
    let fixture = "tests/fixtures/uncertain.yaml";
    let commands: [&[&str]; 5] = [
        &["solve", SCENARIO, "--solver", "microlp"],
        &[
            "simulate",
            fixture,
            "--samples",
            "50",
            "--solver",
            "microlp",
        ],
        &[
            "sweep",
            SCENARIO,
            "--budget",
            "50000:100000:50000",
            "--solver",
            "microlp",
        ],
        &[
            "frontier",
            SCENARIO,
            "--goals",
            "awareness,conversions",
            "--points",
            "3",
            "--solver",
            "microlp",
        ],
        &["compare", SCENARIO, SCENARIO, "--solver", "microlp"],
    ];
    for args in commands {
        let run = |format: &str| {
            let out = creatormix()
                .args(args)
                .args(["--format", format])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?} {format}");
            String::from_utf8(out.stdout).unwrap()
        };
        let markdown = run("markdown");
        assert!(markdown.starts_with("# "), "{args:?}: {markdown}");
        assert!(markdown.contains("| --- |"), "{args:?}: {markdown}");
        assert_ne!(
            markdown,
            run("table"),
            "{args:?}: Markdown is not the table"
        );
        let csv = run("csv");
        let mut lines = csv.lines();
        let header = lines.next().unwrap_or_default();
        assert!(header.split(',').count() > 3, "{args:?}: {csv}");
        assert!(lines.next().is_some(), "{args:?}: a CSV without rows");
        let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
        assert!(json.is_object(), "{args:?}");
    }
}

#[test]
fn a_platform_export_is_read_as_it_comes() {
    let text = stdout_of(&["validate", "tests/fixtures/export.yaml"], &[]);
    assert!(text.contains("5 creators, delimiter `,`"), "{text}");
    assert!(text.contains("followers <- Followers"), "{text}");
    assert!(text.contains("ignored     Avg Views, Country"), "{text}");
    let out = stdout_of(
        &["solve", "tests/fixtures/export.yaml", "--format", "json"],
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "optimal");
    // `$9,500.00` was read as 9,500: over the budget, never hired.
    let hired: Vec<&str> = v["creators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["handle"].as_str().unwrap())
        .collect();
    assert!(!hired.contains(&"@skinbyjo"), "{hired:?}");
    // The vegan minimum of two needs both creators that carry it, whose
    // niches are separated by `,` and by `|`.
    assert!(
        hired.contains(&"@veganbites") && hired.contains(&"@glowwithmia"),
        "{hired:?}"
    );
}

#[test]
fn audience_quality_scales_followers_and_leaves_out_low_credibility() {
    let text = stdout_of(&["validate", "tests/fixtures/quality.yaml"], &[]);
    assert!(text.contains("credibility >= 0.7"), "{text}");
    assert!(
        text.contains("@bots: credibility 0.6 below min_credibility 0.7"),
        "{text}"
    );
    let out = stdout_of(
        &["solve", "tests/fixtures/quality.yaml", "--format", "json"],
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // @bots would reach five times as many, but is left out; @real reaches
    // 10,000 × 0.8 real × 0.5 in the market × 0.3 who see the post.
    let hired = v["creators"].as_array().unwrap();
    assert_eq!(hired.len(), 1);
    assert_eq!(hired[0]["handle"], "@real");
    let reach = v["totals"]["reach"].as_f64().unwrap();
    assert!((reach - 1200.0).abs() < 1e-6, "{reach}");
}

/// The JSON of a solve with its timings (which vary run to run) removed.
fn without_timings(mut v: serde_json::Value) -> serde_json::Value {
    let solver = v["solver"].as_object_mut().unwrap();
    solver.remove("seconds");
    solver.remove("build_seconds");
    v
}

/// A limit counted in nodes, not seconds: a run it stops says so
/// (`node_limit`, with its gap and a note), and two runs print the same
/// plan, whatever the machine's load.
fn a_node_limit_gives_the_same_plan_on_every_run(solver: &str) {
    let args = [
        "solve",
        "scenarios/agency-roster.yaml",
        "--node-limit",
        "5",
        "--solver",
        solver,
        "--format",
        "json",
    ];
    let first = without_timings(json_of(&args));
    assert_eq!(first["status"], "node_limit", "{solver}");
    assert_eq!(first["solver"]["node_limit"], 5, "{solver}");
    assert!(first["solver"]["gap"].as_f64().is_none_or(|g| g > 0.0));
    for _ in 0..2 {
        assert_eq!(without_timings(json_of(&args)), first, "{solver}");
    }
    let table = creatormix().args(&args[..6]).output().unwrap();
    let text = String::from_utf8_lossy(&table.stderr);
    assert!(
        text.contains("stopped at the limit of 5 nodes before proving this plan optimal")
            && text.contains("raise --node-limit"),
        "{text}"
    );
}

#[test]
fn a_node_limited_run_is_reproducible() {
    a_node_limit_gives_the_same_plan_on_every_run("bnb");
    a_node_limit_gives_the_same_plan_on_every_run("auto");
}

#[cfg(feature = "highs")]
#[test]
fn a_node_limited_highs_run_is_reproducible() {
    // HiGHS alone: its own node count.
    let args = [
        "solve",
        "benches/scenarios/roster-200.yaml",
        "--node-limit",
        "1",
        "--solver",
        "highs",
        "--format",
        "json",
    ];
    let first = without_timings(json_of(&args));
    assert!(
        ["node_limit", "optimal"].contains(&first["status"].as_str().unwrap()),
        "{first}"
    );
    assert_eq!(without_timings(json_of(&args)), first);
}

#[test]
fn microlp_refuses_a_node_limit() {
    usage_error(
        &[
            "solve",
            "scenarios/product-launch.yaml",
            "--solver",
            "microlp",
            "--node-limit",
            "10",
        ],
        "microlp counts no nodes",
    );
    usage_error(
        &[
            "solve",
            "scenarios/product-launch.yaml",
            "--node-limit",
            "0",
        ],
        "--node-limit",
    );
}
