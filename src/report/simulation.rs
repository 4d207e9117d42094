//! A simulation's summary as a document (`simulate` and `merge`): the
//! nominal plan, the distribution of every total, target chances, budget
//! overruns, the robust plan, the tornado and, re-optimised, the regret,
//! selection frequencies and tier shares; its HTML section with the charts;
//! and the per-sample CSV.

use super::document::{Content, Document, Figure, Formats, Style, Text, paragraph, table};
use super::html::exact;
use super::plots;
use crate::error::Error;
use crate::format::{number as n, percent};
use crate::model::ObjectiveMode;
use crate::uncertainty::robust::RobustGoal;
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
fn summary_header(first: &str) -> Vec<&str> {
    std::iter::once(first).chain(SUMMARY_HEADER).collect()
}

fn summary_cells(s: &Summary) -> Vec<String> {
    summary_values(s).map(n).to_vec()
}

const METRICS: [&str; 5] = ["reach", "engagements", "conversions", "spend", "objective"];

/// The chance that a sample meets each target, if there are targets; with
/// how far short the samples that miss it fall, where the plan is held fixed.
fn targets(r: &Report) -> Option<Content> {
    let shortfalls = r.targets.iter().any(|t| t.shortfall.is_some());
    let rows: Vec<Vec<String>> = r
        .targets
        .iter()
        .map(|t| {
            let mut row = vec![
                t.goal.to_string(),
                n(t.target),
                percent(t.probability),
                percent(t.probability_se),
            ];
            if shortfalls {
                row.extend(match &t.shortfall {
                    Some(s) => [n(s.mean), n(s.p95)],
                    None => ["-".into(), "-".into()],
                });
            }
            row
        })
        .collect();
    let mut header = vec!["goal", "target", "chance met", "± se"];
    let title = if shortfalls {
        header.extend(["short by: mean", "short by: P95"]);
        "Targets (short by: how far the samples that miss a target fall short of it)"
    } else if r.mode == Mode::Reoptimize {
        "Targets (met wherever a sample has a feasible plan)"
    } else {
        "Targets"
    };
    (!rows.is_empty()).then(|| table(Some(title.into()), &header, rows))
}

/// Whether the run minimises spend (target mode): its objective is the spend.
fn minimises(r: &Report) -> bool {
    r.objective_mode == ObjectiveMode::MinimizeSpend
}

/// The objective's summary cells, as its mode reads them.
fn objective_cells(r: &Report, s: &Summary) -> Vec<String> {
    summary_values(s).map(|x| r.objective_mode.show(x)).to_vec()
}

/// One row per metric (under `summary_header("")`): its summary statistics as display text.
fn metric_rows(r: &Report) -> Vec<Vec<String>> {
    METRICS
        .iter()
        .filter_map(|m| r.metrics.get(*m).map(|s| (m, s)))
        .map(|(m, s)| {
            let mut row = vec![m.to_string()];
            row.extend(if *m == "objective" {
                objective_cells(r, s)
            } else {
                summary_cells(s)
            });
            row
        })
        .collect()
}

/// Why a weights objective passes 1 in some samples, where it does.
fn above_one(r: &Report) -> Option<Content> {
    let objective = r.metrics.get("objective")?;
    (r.objective_mode == ObjectiveMode::Weights && objective.p95 > 1.0).then(|| {
        paragraph(
            [
                "Objectives above 1: each goal is scored against its best in the nominal scenario (G*), so a sample whose rates come out above their means can pass 1; in the nominal scenario no plan does.".to_string(),
            ],
            Style::Note,
        )
    })
}

/// The share of samples whose spend is above their sampled budget (the
/// plan held fixed), and what that means.
fn over_budget(r: &Report) -> Option<Content> {
    (r.mode == Mode::Evaluate).then(|| {
        paragraph(
            [format!(
                "Spend above the sampled budget in {} of samples (± {}){}",
                percent(r.over_budget),
                percent(r.over_budget_se),
                if r.over_budget > 0.0 {
                    ": where prices come out above their means, the plan costs more than the budget allows"
                } else {
                    ""
                }
            )],
            Style::Plain,
        )
    })
}

/// The robust plan beside the nominal one.
fn robust(r: &Report) -> Option<Content> {
    let rb = r.robust.as_ref()?;
    let p = &rb.plan;
    let level = percent(p.level.unwrap_or(1.0));
    let goal = match (p.goal, minimises(r)) {
        (RobustGoal::Mean, false) => "best mean objective over".to_string(),
        (RobustGoal::Cvar, false) => "best CVaR 5% of the objective over".to_string(),
        (RobustGoal::Mean, true) => "lowest mean spend over".to_string(),
        (RobustGoal::Cvar, true) => "lowest CVaR 5% of spend (its worst 5%) over".to_string(),
        (RobustGoal::Chance, false) => {
            format!("best mean objective, every target met in at least {level} of")
        }
        (RobustGoal::Chance, true) => {
            format!("lowest mean spend, every target met in at least {level} of")
        }
    };
    let title = format!(
        "Robust plan ({goal} {} training samples)\n\
         hires {}\n\
         planned spend {}, objective on the nominal scenario {} (nominal plan {})",
        p.training_samples,
        rb.hires.join(", "),
        n(p.spend),
        r.objective_mode.show(p.nominal_objective),
        r.objective_mode.show(r.nominal.objective)
    );
    let row = |name: &str, a: String, b: String| vec![name.to_string(), a, b];
    let show = |x: f64| r.objective_mode.show(x);
    let objective = |s: &std::collections::BTreeMap<String, Summary>| s["objective"].clone();
    let (ours, theirs) = (objective(&r.metrics), objective(&rb.metrics));
    let mut rows = vec![
        row(
            "training: mean",
            show(p.nominal_training_mean),
            show(p.robust_training_mean),
        ),
        row(
            "training: CVaR 5%",
            show(p.nominal_training_cvar),
            show(p.robust_training_cvar),
        ),
        row("fresh samples: mean", show(ours.mean), show(theirs.mean)),
        row("fresh samples: P5", show(ours.p5), show(theirs.p5)),
        row(
            "fresh samples: CVaR 5%",
            show(ours.cvar5),
            show(theirs.cvar5),
        ),
        row(
            "fresh samples: over budget",
            percent(r.over_budget),
            percent(rb.over_budget),
        ),
    ];
    if let (Some(a), Some(b)) = (p.nominal_training_chance, p.robust_training_chance) {
        rows.insert(2, row("training: every target met", percent(a), percent(b)));
    }
    for (ours, theirs) in r.targets.iter().zip(&rb.targets) {
        rows.push(row(
            &format!("fresh samples: {} target met", ours.goal),
            percent(ours.probability),
            percent(theirs.probability),
        ));
    }
    Some(table(
        Some(title),
        &["objective", "nominal plan", "robust plan"],
        rows,
    ))
}

/// The tornado's table; `bars` adds a column of `#` bars (the terminal's
/// chart).
fn tornado(r: &Report, bars: bool) -> Option<Content> {
    let tornado = r.tornado.as_ref()?;
    let cell = |x: Option<f64>| x.map_or("infeasible".to_string(), |v| r.objective_mode.show(v));
    let widest = tornado
        .iter()
        .map(|b| b.swing)
        .filter(|s| s.is_finite())
        .fold(0.0, f64::max);
    let rows: Vec<Vec<String>> = tornado
        .iter()
        .map(|b| {
            let width = if widest > 0.0 && b.swing.is_finite() {
                (30.0 * b.swing / widest).round() as usize
            } else if b.swing.is_finite() {
                0
            } else {
                30
            };
            let mut row = vec![
                b.group.clone(),
                cell(b.low),
                cell(b.high),
                if b.swing.is_finite() {
                    r.objective_mode.show(b.swing)
                } else {
                    "-".into()
                },
            ];
            if bars {
                row.push(format!("{:<30}", "#".repeat(width)));
            }
            row
        })
        .collect();
    let mut header = vec!["parameter group", "at P10", "at P90", "swing"];
    if bars {
        header.push("");
    }
    Some(table(
        Some("Tornado: optimal objective with one parameter group at P10 and at P90".into()),
        &header,
        rows,
    ))
}

/// Re-optimised runs: feasibility and the nominal plan's regret, selection
/// frequencies (the first `limit`), and tier and platform shares of spend.
fn reoptimized(r: &Report, limit: usize) -> Vec<Content> {
    let Some(re) = &r.reoptimize else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut nominal = vec!["nominal plan".to_string()];
    nominal.extend(objective_cells(r, &re.nominal_objective));
    let mut regret = vec!["regret".to_string()];
    regret.extend(objective_cells(r, &re.regret));
    let (broken, regret_means) = if minimises(r) {
        (
            "misses a target or breaks a constraint",
            "regret: what the nominal plan spends above each sample's cheapest plan, where it still meets every target",
        )
    } else {
        (
            "breaks a constraint",
            "regret: what each sample's optimum gains over the nominal plan, where the nominal plan is allowed",
        )
    };
    out.push(table(
        Some(format!(
            "{}, {} infeasible; the nominal plan {broken} in {}\n{regret_means}",
            crate::format::count(re.feasible, "feasible sample"),
            re.infeasible,
            re.nominal_infeasible
        )),
        &summary_header(if minimises(r) { "spend" } else { "objective" }),
        vec![nominal, regret],
    ));
    let rows: Vec<Vec<String>> = re
        .selection
        .iter()
        .take(limit)
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
    let shown = if re.selection.len() > limit {
        format!(
            " (the first {limit} of {}; `--format csv` lists all)",
            re.selection.len()
        )
    } else {
        String::new()
    };
    out.push(table(
        Some(format!(
            "Selection frequency (share of samples whose optimum hires it){shown}"
        )),
        &[
            "name",
            "kind",
            "tier",
            "chosen",
            "± se",
            "mean hires",
            "nominal",
        ],
        rows,
    ));
    let band = |name: &str, share: &Summary| {
        vec![
            name.to_string(),
            percent(share.mean),
            percent(share.p5),
            percent(share.p50),
            percent(share.p95),
        ]
    };
    let tiers: Vec<Vec<String>> = re
        .tier_share
        .iter()
        .map(|b| band(&b.tier, &b.share))
        .collect();
    out.push(table(
        Some("Tier share of spend".into()),
        &["tier", "mean", "P5", "P50", "P95"],
        tiers,
    ));
    if !re.platform_share.is_empty() {
        let platforms: Vec<Vec<String>> = re
            .platform_share
            .iter()
            .map(|b| band(&b.platform, &b.share))
            .collect();
        out.push(table(
            Some("Platform share of spend".into()),
            &["platform", "mean", "P5", "P50", "P95"],
            platforms,
        ));
    }
    out
}

/// The heading of the distribution table.
fn samples_title(r: &Report) -> &'static str {
    match r.mode {
        Mode::Evaluate => {
            "The nominal plan on sampled rates and prices, each post delivered or not"
        }
        Mode::Reoptimize => "Each sample's own optimum",
    }
}

/// The nominal plan in one line.
fn nominal_line(r: &Report) -> String {
    let nominal = &r.nominal;
    format!(
        "nominal plan ({}): objective {}, spend {}, reach {}, engagements {}, conversions {}",
        nominal.status,
        r.objective_mode.show(nominal.objective),
        n(nominal.spend),
        n(nominal.reach),
        n(nominal.engagements),
        n(nominal.conversions)
    )
}

/// The HTML report of merged shards, which carry the nominal plan's
/// figures but not the plan itself: the simulation alone.
pub fn merged_report(r: &Report, rows: &[SampleRow]) -> Result<Document, Error> {
    let mut doc = Document::new(r.scenario.clone());
    doc.add(
        Formats::HTML,
        paragraph([super::plan::capitalised(&nominal_line(r))], Style::Lead),
    );
    doc.add(Formats::HTML, html_section(r, rows)?);
    Ok(doc)
}

/// The summary as a document.
pub fn document(r: &Report) -> Document {
    let mut doc = Document::new(format!(
        "{} — {}, seed {}",
        r.scenario,
        crate::format::count(r.samples, "sample"),
        r.seed
    ));
    let read = Formats::TEXT | Formats::MARKDOWN;
    doc.add(read, paragraph([nominal_line(r)], Style::Plain));
    doc.add(
        read,
        table(
            Some(samples_title(r).into()),
            &summary_header(""),
            metric_rows(r),
        ),
    );
    let blocks = [
        above_one(r),
        targets(r),
        over_budget(r),
        robust(r),
        tornado(r, true),
    ];
    for block in blocks.into_iter().flatten() {
        doc.add(read, block);
    }
    for block in reoptimized(r, usize::MAX) {
        doc.add(read, block);
    }
    doc.add(Formats::CSV, csv_table(r));
    doc
}

/// The HTML report's section on the simulation: what the terminal prints,
/// each chart beside its table.
pub fn html_section(r: &Report, rows: &[SampleRow]) -> Result<Content, Error> {
    let mut section = Document::default();
    let html = Formats::HTML;
    section.add(
        html,
        paragraph(
            [format!(
                "{}, seed {}: {}.",
                crate::format::count(r.samples, "sample"),
                r.seed,
                match r.mode {
                    Mode::Evaluate =>
                        "the plan above held fixed, on sampled rates and prices, each post delivered or not",
                    Mode::Reoptimize => "each sample's own optimum",
                }
            )],
            Style::Note,
        ),
    );
    section.add(html, table(None, &summary_header(""), metric_rows(r)));
    if let Some(objective) = r.metrics.get("objective") {
        let line = Text::plain("In the worst 5% of samples the objective averages ")
            .figure(
                r.objective_mode.show(objective.cvar5),
                "metrics.objective.cvar5",
                exact(objective.cvar5),
                false,
            )
            .and(", against ")
            .figure(
                r.objective_mode.show(objective.mean),
                "metrics.objective.mean",
                exact(objective.mean),
                false,
            )
            .and(" on average.");
        section.add(
            html,
            Content::Paragraph {
                lines: vec![line],
                style: Style::Plain,
            },
        );
    }
    let mut charts: std::collections::BTreeMap<String, String> =
        plots::simulation_charts(r, rows)?.into_iter().collect();
    let mut figure = |section: &mut Document, name: &str| {
        if let Some(svg) = charts.remove(name) {
            let caption = plots::caption(name).to_string();
            section.add(html, Content::Figure(Figure { svg, caption }));
        }
    };
    if let Some(note) = above_one(r) {
        section.add(html, note);
    }
    figure(&mut section, "objective.svg");
    for block in [targets(r), over_budget(r), robust(r), tornado(r, false)]
        .into_iter()
        .flatten()
    {
        section.add(html, block);
    }
    figure(&mut section, "tornado.svg");
    let mut reopt = reoptimized(r, 30).into_iter();
    if let Some(feasibility) = reopt.next() {
        section.add(html, feasibility);
    }
    figure(&mut section, "selection.svg");
    if let Some(selection) = reopt.next() {
        section.add(html, selection);
    }
    figure(&mut section, "tier-share.svg");
    for block in reopt {
        section.add(html, block);
    }
    Ok(Content::Section {
        heading: "How robust is the plan?".into(),
        blocks: section.blocks,
    })
}

/// The summary's figures for CSV: one row per metric, target, overrun,
/// tornado bar and, re-optimised, regret, selection and tier share.
fn csv_table(r: &Report) -> Content {
    let mut rows = Vec::new();
    let summary_row = |kind: &str, name: &str, s: &Summary| {
        let mut row = vec![kind.to_string(), name.to_string()];
        row.extend([s.mean, s.sd, s.p5, s.p50, s.p95, s.cvar5].map(|x| x.to_string()));
        row.push(String::new());
        row.push(s.mean_se.to_string());
        row
    };
    let value_row = |kind: &str, name: &str, value: f64, se: Option<f64>| {
        let mut row = vec![kind.to_string(), name.to_string()];
        row.extend(std::iter::repeat_n(String::new(), 6));
        row.push(value.to_string());
        row.push(se.map(|x| x.to_string()).unwrap_or_default());
        row
    };
    for m in METRICS {
        rows.push(summary_row("metric", m, &r.metrics[m]));
    }
    for t in &r.targets {
        rows.push(value_row(
            "target_probability",
            t.goal.key(),
            t.probability,
            Some(t.probability_se),
        ));
    }
    rows.push(value_row(
        "over_budget",
        "spend",
        r.over_budget,
        Some(r.over_budget_se),
    ));
    if let Some(bars) = &r.tornado {
        for b in bars {
            rows.push(value_row("tornado_swing", &b.group, b.swing, None));
        }
    }
    if let Some(re) = &r.reoptimize {
        rows.push(summary_row("regret", "objective", &re.regret));
        rows.push(summary_row(
            "nominal_on_samples",
            "objective",
            &re.nominal_objective,
        ));
        for s in &re.selection {
            rows.push(value_row(
                "selection",
                &s.name,
                s.frequency,
                Some(s.frequency_se),
            ));
        }
        for b in &re.tier_share {
            rows.push(summary_row("tier_share", &b.tier, &b.share));
        }
        for b in &re.platform_share {
            rows.push(summary_row("platform_share", &b.platform, &b.share));
        }
    }
    table(
        None,
        &[
            "kind", "name", "mean", "sd", "p5", "p50", "p95", "cvar5", "value", "se",
        ],
        rows,
    )
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
