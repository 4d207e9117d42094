//! The HTML reports in a real browser: headless Chromium loads each bundled
//! scenario's report, prints it to PDF and takes a screenshot; the page must
//! load without a single console message (a blocked resource or a policy
//! violation would log one), and every number it marks with `data-key` must
//! equal the JSON output of the same run.
//!
//! Needs Chromium (`apt-get install chromium`), so it is ignored by a plain
//! `cargo test`; CI installs Chromium and runs
//! `cargo test --features highs --test browser -- --ignored`. Every
//! command's report must also state the facts of its JSON (targets,
//! alternatives, simulation figures, sweep and frontier points, regions,
//! variants).
//! Set `CREATORMIX_BLESS=1` to copy the screenshots of the six reports of
//! `product-launch.yaml` (solve, simulate, robust, sweep, frontier, compare)
//! to `docs/report-*.png`, the pictures in the README.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn chromium() -> PathBuf {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    let env = std::env::var_os("CHROMIUM").map(PathBuf::from);
    env.into_iter()
        .chain(candidates.iter().map(PathBuf::from))
        .find(|p| p.exists())
        .expect("Chromium: install it (apt-get install chromium) or set CHROMIUM")
}

/// Runs headless Chromium on a local file with `args`; returns stdout and stderr.
fn browse(page: &Path, args: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .output()
        .expect("Chromium runs");
    assert!(
        output.status.success(),
        "Chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The console messages Chromium logged while loading a page.
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Refused to"))
        .collect()
}

/// The `data-key` / `data-value` pairs of a rendered page.
fn marked_values(dom: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find("data-key=\"") {
        rest = &rest[at + 10..];
        let key_end = rest.find('"').unwrap();
        let key = rest[..key_end].to_string();
        let value_at = rest.find("data-value=\"").expect("a value beside each key");
        let value_rest = &rest[value_at + 12..];
        let value = value_rest[..value_rest.find('"').unwrap()].to_string();
        pairs.push((key, value));
    }
    pairs
}

/// The JSON value at a dotted key.
fn at<'a>(json: &'a Value, key: &str) -> &'a Value {
    key.split('.').fold(json, |v, k| &v[k])
}

/// Every marked number of the page equals the JSON's (exactly: both are
/// the same f64 printed by the same formatter); returns how many were checked.
fn check_marked(dom: &str, json: &Value, page: &str, filter: impl Fn(&str) -> bool) -> usize {
    let pairs = marked_values(dom);
    let mut checked = 0;
    for (key, shown) in pairs.iter().filter(|(k, _)| filter(k)) {
        let expected = at(json, key);
        match expected {
            Value::Number(x) => {
                let x = x.as_f64().unwrap();
                let y: f64 = shown.parse().unwrap_or(f64::NAN);
                assert_eq!(x, y, "{page}: {key} is {shown} in the page, {x} in JSON");
            }
            Value::String(s) => assert_eq!(s, shown, "{page}: {key}"),
            other => panic!("{page}: {key} is {shown} in the page, {other} in JSON"),
        }
        checked += 1;
    }
    checked
}

fn creatormix(args: &[&str]) -> Value {
    serde_json::from_str(&common::stdout_of(args, &[])).expect("JSON on stdout")
}

fn bundled() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        // The agency roster needs HiGHS to solve in seconds.
        .filter(|p| cfg!(feature = "highs") || !p.ends_with("agency-roster.yaml"))
        .collect();
    paths.sort();
    paths
}

/// Loads, screenshots and prints a report; checks the console stayed silent.
fn render(page: &Path, out: &Path) -> String {
    let stem = page.file_stem().unwrap().to_string_lossy().into_owned();
    let (dom, stderr) = browse(page, &["--dump-dom".into()]);
    let messages = console_messages(&stderr);
    assert!(messages.is_empty(), "{stem}: console: {messages:#?}");
    assert!(dom.contains("</html>"), "{stem}: no page");
    let png = out.join(format!("{stem}.png"));
    browse(
        page,
        &[
            "--window-size=1000,4200".into(),
            format!("--screenshot={}", png.display()),
        ],
    );
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "{stem}: PNG"
    );
    let pdf = out.join(format!("{stem}.pdf"));
    browse(
        page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("a PDF");
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 10_000,
        "{stem}: PDF"
    );
    dom
}

fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "needs Chromium; CI runs it with --ignored"]
fn a_blocked_resource_is_caught_by_the_console_check() {
    // The detector itself: a page that asks for an outside image under the
    // same policy as the reports must produce a console message.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("blocked.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"></head>\
         <body><img src=\"https://example.com/x.png\"></body></html>",
    )
    .unwrap();
    let (_, stderr) = browse(&page, &["--dump-dom".into()]);
    assert!(
        !console_messages(&stderr).is_empty(),
        "no console message for a blocked image: {stderr}"
    );
}

#[test]
#[ignore = "needs Chromium; CI runs it with --ignored"]
fn every_bundled_scenario_report_renders_with_the_json_numbers() {
    let out = output_dir();
    for scenario in bundled() {
        let stem = scenario.file_stem().unwrap().to_string_lossy().into_owned();
        let page = out.join(format!("{stem}.html"));
        let json = creatormix(&[
            "solve",
            scenario.to_str().unwrap(),
            "--format",
            "json",
            "--report",
            page.to_str().unwrap(),
        ]);
        let dom = render(&page, &out);
        let checked = check_marked(&dom, &json, &stem, |_| true);
        assert!(checked >= 10, "{stem}: only {checked} numbers marked");
        // The headline sentence is there, and names the spend.
        let spend = creatormix::format::number(json["spend"].as_f64().unwrap());
        assert!(
            dom.contains("id=\"headline\"") && dom.contains(&format!("Spend {spend} of")),
            "{stem}: no headline with the spend {spend}"
        );
    }
}

/// The facts a report states, as the page shows them: each must be in it.
fn shows(dom: &str, page: &str, facts: &[String]) {
    let missing: Vec<&String> = facts.iter().filter(|f| !dom.contains(f.as_str())).collect();
    assert!(missing.is_empty(), "{page}: the report lacks {missing:?}");
}

/// Four decimals, as reports print a weights objective.
fn four(v: &Value) -> String {
    format!("{:.4}", v.as_f64().unwrap())
}

/// A number as reports print it.
fn number(v: &Value) -> String {
    creatormix::format::number(v.as_f64().unwrap())
}

/// A share as reports print it.
fn percent(v: &Value) -> String {
    creatormix::format::percent(v.as_f64().unwrap())
}

/// What each command's report must state, from its JSON: the targets and
/// alternatives of a plan; of a simulation its distribution, target
/// chances, overrun chance, robust plan, tornado, and re-optimised
/// feasibility, regret, selection and tier shares; every sweep point; every
/// frontier point and the scenario's own plan; every compared variant.
fn facts(name: &str, json: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let list = |key: &str| json[key].as_array().cloned().unwrap_or_default();
    match name {
        "solve" => {
            for t in list("targets") {
                out.push(number(&t["achieved"]));
                out.push("yes (".to_string());
            }
            for a in list("alternatives") {
                out.push(a["question"].as_str().unwrap().to_string());
                if a["objective"].is_number() {
                    out.push(four(&a["objective"]));
                }
            }
        }
        "simulate" | "robust" | "merge" => {
            let m = &json["metrics"];
            for key in ["mean", "p5", "p95", "cvar5"] {
                out.push(four(&m["objective"][key]));
                out.push(number(&m["reach"][key]));
            }
            for t in list("targets") {
                out.push(percent(&t["probability"]));
            }
            if let Some(re) = json.get("reoptimize") {
                out.push(format!(
                    "{} feasible samples, {} infeasible; the nominal plan breaks a constraint in {}",
                    re["feasible"], re["infeasible"], re["nominal_infeasible"]
                ));
                out.push(four(&re["regret"]["mean"]));
                for s in re["selection"].as_array().unwrap().iter().take(30) {
                    out.push(s["name"].as_str().unwrap().to_string());
                    out.push(percent(&s["frequency"]));
                }
                for b in re["tier_share"].as_array().unwrap() {
                    out.push(percent(&b["share"]["p95"]));
                }
            } else {
                out.push(format!(
                    "Spend above the sampled budget in {}",
                    percent(&json["over_budget"])
                ));
            }
            if let Some(rb) = json.get("robust") {
                out.push(four(&rb["plan"]["robust_training_cvar"]));
                out.push(four(&rb["metrics"]["objective"]["cvar5"]));
            }
            if let Some(bars) = json.get("tornado").and_then(Value::as_array) {
                for b in bars {
                    out.push(b["group"].as_str().unwrap().to_string());
                    out.push(four(&b["swing"]));
                }
            }
        }
        "sweep" => {
            for p in list("points") {
                if p["plan"].is_object() {
                    out.push(four(&p["plan"]["objective"]));
                }
            }
        }
        "frontier" => {
            for p in list("points") {
                for v in p["values"].as_array().unwrap() {
                    out.push(number(v));
                }
            }
            if let Some(k) = json["scenario_plan"]["point"].as_u64() {
                out.push(format!("point {k} of this frontier"));
            }
        }
        "regions" => {
            for r in list("regions") {
                out.push(percent(&r["share"]));
                out.push(number(&r["values"][0]));
            }
            out.push(format!(
                "lies in region {}",
                json["scenario_weights"]["region"]
            ));
        }
        "compare" => {
            for v in list("variants") {
                out.push(v["label"].as_str().unwrap().to_string());
                if let Some(plan) = v.get("plan").filter(|p| p.is_object()) {
                    out.push(four(&plan["objective"]));
                }
            }
        }
        _ => unreachable!("{name}"),
    }
    out
}

#[test]
#[ignore = "needs Chromium; CI runs it with --ignored"]
fn every_command_report_states_its_facts() {
    let out = output_dir();
    let scenario = "scenarios/product-launch.yaml";
    let solve = creatormix(&["solve", scenario, "--format", "json"]);
    let shards = tempfile::tempdir().unwrap();
    let shard = |k: u32| shards.path().join(format!("shard{k}.json"));
    for k in 1..=2 {
        let file = shard(k);
        common::stdout_of(
            &[
                "simulate",
                scenario,
                "--samples",
                "200",
                "--reoptimize",
                "--shard",
                &format!("{k}/2"),
                "--output",
                file.to_str().unwrap(),
            ],
            &[],
        );
    }
    let (one, two) = (shard(1), shard(2));
    let runs: [(&str, Vec<&str>); 8] = [
        ("solve", vec!["solve", scenario]),
        (
            "simulate",
            vec!["simulate", scenario, "--samples", "400", "--reoptimize"],
        ),
        (
            "robust",
            vec![
                "simulate",
                scenario,
                "--samples",
                "400",
                "--robust",
                "cvar",
                "--robust-samples",
                "100",
                "--tornado",
            ],
        ),
        (
            "sweep",
            vec!["sweep", scenario, "--weight", "awareness=0:1:0.1"],
        ),
        (
            "frontier",
            vec![
                "frontier",
                scenario,
                "--goals",
                "awareness,conversions",
                "--points",
                "5",
            ],
        ),
        (
            "regions",
            vec![
                "regions",
                scenario,
                "--goals",
                "awareness,engagement,conversions",
            ],
        ),
        (
            "compare",
            vec![
                "compare",
                "scenarios/ten-micro-vs-one-mega.yaml",
                "scenarios/ten-micro-vs-one-mega-conversions.yaml",
                scenario,
            ],
        ),
        (
            "merge",
            vec!["merge", one.to_str().unwrap(), two.to_str().unwrap()],
        ),
    ];
    for (name, mut args) in runs {
        let page = out.join(format!("report-{name}.html"));
        args.extend(["--format", "json", "--report", page.to_str().unwrap()]);
        let json = creatormix(&args);
        let dom = render(&page, &out);
        shows(&dom, name, &facts(name, &json));
        // A report built on the scenario's plan carries its numbers.
        if !matches!(name, "compare" | "merge") {
            let plan_numbers = check_marked(&dom, &solve, name, |k| !k.starts_with("metrics."));
            assert!(plan_numbers >= 10, "{name}: {plan_numbers} plan numbers");
        }
        if matches!(name, "simulate" | "robust" | "merge") {
            let checked = check_marked(&dom, &json, name, |k| k.starts_with("metrics."));
            assert_eq!(checked, 2, "{name}: the objective's mean and CVaR");
        }
        // The command's own chart is in the page.
        let chart = match name {
            "solve" => "Spend by tier",
            "simulate" | "merge" => "Selection frequency",
            "robust" => "Tornado",
            "sweep" => "Tier shares of spend across goal weightings",
            "frontier" => "Pareto frontier",
            "regions" => "Which plan is optimal for each weighting",
            _ => "Tier shares of spend by variant",
        };
        assert!(dom.contains(chart), "{name}: no {chart} chart");
    }
    // The pictures in docs/: what each report looks like.
    if std::env::var_os("CREATORMIX_BLESS").is_some() {
        for name in [
            "solve", "simulate", "robust", "sweep", "frontier", "compare",
        ] {
            std::fs::copy(
                out.join(format!("report-{name}.png")),
                format!("docs/report-{name}.png"),
            )
            .unwrap();
        }
    }
}
