//! Reports of `simulate` and `merge`: table, JSON, CSV, and per-sample CSV.

use super::table::grid;
use crate::format::number as n;
use crate::uncertainty::sample::SampleRow;
use crate::uncertainty::shard::Mode;
use crate::uncertainty::stats::Summary;
use crate::uncertainty::summary::{OfferKind, Report};

/// The statistics a summary table shows, in the order of [`SUMMARY_HEADER`].
fn summary_values(s: &Summary) -> [f64; 7] {
    [s.mean, s.mean_se, s.sd, s.p5, s.p50, s.p95, s.cvar5]
}

/// Column names of [`summary_values`]: "± se" is the mean's Monte Carlo
/// standard error.
const SUMMARY_HEADER: [&str; 7] = ["mean", "± se", "sd", "P5", "P50", "P95", "CVaR 5%"];

/// The header of a table of summaries whose rows start with a name.
pub(crate) fn summary_header(first: &str) -> Vec<&str> {
    std::iter::once(first).chain(SUMMARY_HEADER).collect()
}

fn summary_cells(s: &Summary) -> Vec<String> {
    summary_values(s).map(n).to_vec()
}

/// A share as a percentage with one decimal.
fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

const METRICS: [&str; 5] = ["reach", "engagements", "conversions", "spend", "objective"];

/// Renders a simulation report.
pub fn render(report: &Report, format: super::Format) -> String {
    match format {
        super::Format::Json => {
            let mut text =
                serde_json::to_string_pretty(report).expect("a report always serialises");
            text.push('\n');
            text
        }
        super::Format::Csv => csv(report),
        super::Format::Table | super::Format::Markdown => table(report),
    }
}

fn objective_cells(s: &Summary) -> Vec<String> {
    summary_values(s).map(|x| format!("{x:.4}")).to_vec()
}

/// One row per metric (under `summary_header("")`): its summary statistics as display text.
pub(crate) fn metric_rows(r: &Report) -> Vec<Vec<String>> {
    METRICS
        .iter()
        .filter_map(|m| r.metrics.get(*m).map(|s| (m, s)))
        .map(|(m, s)| {
            let mut row = vec![m.to_string()];
            row.extend(if *m == "objective" {
                objective_cells(s)
            } else {
                summary_cells(s)
            });
            row
        })
        .collect()
}

/// Columns of [`target_rows`].
pub(crate) const TARGET_HEADER: [&str; 4] = ["goal", "target", "chance met", "± se"];

/// One row per target: the chance that a sample meets it.
pub(crate) fn target_rows(r: &Report) -> Vec<Vec<String>> {
    r.targets
        .iter()
        .map(|t| {
            vec![
                t.goal.key().to_string(),
                n(t.target),
                percent(t.probability),
                percent(t.probability_se),
            ]
        })
        .collect()
}

fn table(r: &Report) -> String {
    let mut out = format!("{} — {} samples, seed {}\n", r.scenario, r.samples, r.seed);
    let nominal = &r.nominal;
    out.push_str(&format!(
        "nominal plan ({}): objective {:.4}, spend {}, reach {}, engagements {}, conversions {}\n\n",
        nominal.status,
        nominal.objective,
        n(nominal.spend),
        n(nominal.reach),
        n(nominal.engagements),
        n(nominal.conversions)
    ));
    out.push_str(match r.mode {
        Mode::Evaluate => {
            "The nominal plan on sampled rates and prices, each post delivered or not\n"
        }
        Mode::Reoptimize => "Each sample's own optimum\n",
    });
    out.push_str(&grid(&summary_header(""), &metric_rows(r)));
    if !r.targets.is_empty() {
        out.push_str("\nTargets\n");
        out.push_str(&grid(&TARGET_HEADER, &target_rows(r)));
    }
    if r.mode == Mode::Evaluate {
        out.push_str(&format!(
            "\nSpend above the sampled budget in {} of samples (± {})\n",
            percent(r.over_budget),
            percent(r.over_budget_se)
        ));
    }
    if let Some(rb) = &r.robust {
        let p = &rb.plan;
        let goal = match p.goal {
            crate::uncertainty::robust::RobustGoal::Mean => "mean objective",
            crate::uncertainty::robust::RobustGoal::Cvar => "CVaR 5% of the objective",
        };
        out.push_str(&format!(
            "\nRobust plan (best {goal} over {} training samples): {}\n",
            p.training_samples,
            rb.hires.join(", ")
        ));
        out.push_str(&format!(
            "planned spend {}, objective on the nominal scenario {:.4} (nominal plan {:.4})\n",
            n(p.spend),
            p.nominal_objective,
            nominal.objective
        ));
        let rows = vec![
            vec![
                "training: mean".to_string(),
                format!("{:.4}", p.nominal_training_mean),
                format!("{:.4}", p.robust_training_mean),
            ],
            vec![
                "training: CVaR 5%".to_string(),
                format!("{:.4}", p.nominal_training_cvar),
                format!("{:.4}", p.robust_training_cvar),
            ],
            vec![
                "fresh samples: mean".to_string(),
                format!("{:.4}", r.metrics["objective"].mean),
                format!("{:.4}", rb.metrics["objective"].mean),
            ],
            vec![
                "fresh samples: P5".to_string(),
                format!("{:.4}", r.metrics["objective"].p5),
                format!("{:.4}", rb.metrics["objective"].p5),
            ],
            vec![
                "fresh samples: CVaR 5%".to_string(),
                format!("{:.4}", r.metrics["objective"].cvar5),
                format!("{:.4}", rb.metrics["objective"].cvar5),
            ],
            vec![
                "fresh samples: over budget".to_string(),
                format!("{:.1}%", 100.0 * r.over_budget),
                format!("{:.1}%", 100.0 * rb.over_budget),
            ],
        ];
        out.push_str(&grid(&["objective", "nominal plan", "robust plan"], &rows));
    }
    if let Some(bars) = &r.tornado {
        out.push_str("\nTornado: optimal objective with one parameter group at P10 and at P90\n");
        let cell = |x: Option<f64>| x.map_or("infeasible".to_string(), |v| format!("{v:.4}"));
        let widest = bars
            .iter()
            .map(|b| b.swing)
            .filter(|s| s.is_finite())
            .fold(0.0, f64::max);
        let rows: Vec<Vec<String>> = bars
            .iter()
            .map(|b| {
                let width = if widest > 0.0 && b.swing.is_finite() {
                    (30.0 * b.swing / widest).round() as usize
                } else if b.swing.is_finite() {
                    0
                } else {
                    30
                };
                vec![
                    b.group.clone(),
                    cell(b.low),
                    cell(b.high),
                    if b.swing.is_finite() {
                        format!("{:.4}", b.swing)
                    } else {
                        "-".into()
                    },
                    format!("{:<30}", "#".repeat(width)),
                ]
            })
            .collect();
        out.push_str(&grid(
            &["parameter group", "at P10", "at P90", "swing", ""],
            &rows,
        ));
    }
    if let Some(re) = &r.reoptimize {
        out.push_str(&format!(
            "\n{} feasible samples, {} infeasible; the nominal plan breaks a constraint in {}\n",
            re.feasible, re.infeasible, re.nominal_infeasible
        ));
        let mut rows = vec![];
        let mut row = vec!["nominal plan".to_string()];
        row.extend(objective_cells(&re.nominal_objective));
        rows.push(row);
        let mut row = vec!["regret".to_string()];
        row.extend(objective_cells(&re.regret));
        rows.push(row);
        out.push_str(&grid(&summary_header("objective"), &rows));
        out.push_str("\nSelection frequency (share of samples whose optimum hires it)\n");
        let rows: Vec<Vec<String>> = re
            .selection
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.kind.as_str().to_string(),
                    s.tier.clone(),
                    percent(s.frequency),
                    percent(s.frequency_se),
                    if s.kind == OfferKind::Pool {
                        format!("{:.1}", s.mean_hired)
                    } else {
                        "-".into()
                    },
                    if s.in_nominal {
                        "yes".into()
                    } else {
                        "".into()
                    },
                ]
            })
            .collect();
        out.push_str(&grid(
            &[
                "name",
                "kind",
                "tier",
                "chosen",
                "± se",
                "mean hires",
                "nominal",
            ],
            &rows,
        ));
        out.push_str("\nTier share of spend\n");
        let rows: Vec<Vec<String>> = re
            .tier_share
            .iter()
            .map(|b| {
                let pct = |x: f64| format!("{:.1}%", 100.0 * x);
                vec![
                    b.tier.clone(),
                    pct(b.share.mean),
                    pct(b.share.p5),
                    pct(b.share.p50),
                    pct(b.share.p95),
                ]
            })
            .collect();
        out.push_str(&grid(&["tier", "mean", "P5", "P50", "P95"], &rows));
    }
    out
}

fn csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "kind", "name", "mean", "sd", "p5", "p50", "p95", "cvar5", "value", "se",
    ];
    w.write_record(header).expect("writing to memory");
    let summary_row = |w: &mut csv::Writer<Vec<u8>>, kind: &str, name: &str, s: &Summary| {
        let mut row = vec![kind.to_string(), name.to_string()];
        row.extend([s.mean, s.sd, s.p5, s.p50, s.p95, s.cvar5].map(|x| x.to_string()));
        row.push(String::new());
        row.push(s.mean_se.to_string());
        w.write_record(row).expect("writing to memory");
    };
    for m in METRICS {
        summary_row(&mut w, "metric", m, &r.metrics[m]);
    }
    let value_row =
        |w: &mut csv::Writer<Vec<u8>>, kind: &str, name: &str, value: f64, se: Option<f64>| {
            let mut row = vec![kind.to_string(), name.to_string()];
            row.extend(std::iter::repeat_n(String::new(), 6));
            row.push(value.to_string());
            row.push(se.map(|x| x.to_string()).unwrap_or_default());
            w.write_record(row).expect("writing to memory");
        };
    for t in &r.targets {
        value_row(
            &mut w,
            "target_probability",
            t.goal.key(),
            t.probability,
            Some(t.probability_se),
        );
    }
    value_row(
        &mut w,
        "over_budget",
        "spend",
        r.over_budget,
        Some(r.over_budget_se),
    );
    if let Some(bars) = &r.tornado {
        for b in bars {
            value_row(&mut w, "tornado_swing", &b.group, b.swing, None);
        }
    }
    if let Some(re) = &r.reoptimize {
        summary_row(&mut w, "regret", "objective", &re.regret);
        summary_row(
            &mut w,
            "nominal_on_samples",
            "objective",
            &re.nominal_objective,
        );
        for s in &re.selection {
            value_row(
                &mut w,
                "selection",
                &s.name,
                s.frequency,
                Some(s.frequency_se),
            );
        }
        for b in &re.tier_share {
            summary_row(&mut w, "tier_share", &b.tier, &b.share);
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8")
}

/// One CSV row per sample.
pub fn samples_csv(rows: &[SampleRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "sample",
        "budget",
        "reach",
        "engagements",
        "conversions",
        "spend",
        "objective",
        "feasible",
        "nominal_objective",
        "regret",
    ])
    .expect("writing to memory");
    for r in rows {
        let (feasible, nominal, regret) = match &r.reoptimized {
            Some(d) => (
                d.feasible.to_string(),
                d.nominal_objective.to_string(),
                d.regret.map(|r| r.to_string()).unwrap_or_default(),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let mut row = vec![r.index.to_string()];
        row.extend(
            [
                r.budget,
                r.reach,
                r.engagements,
                r.conversions,
                r.spend,
                r.objective,
            ]
            .map(|x| x.to_string()),
        );
        row.extend([feasible, nominal, regret]);
        w.write_record(row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8")
}
