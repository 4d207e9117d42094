//! Reports of sweeps, frontiers and comparisons: a terminal table, JSON, CSV
//! (one row per point, full precision) or Markdown.

use super::Format;
use crate::explore::compare::Comparison;
use crate::explore::frontier::{Frontier, FrontierPoint};
use crate::explore::grid::Solved;
use crate::explore::sweep::{Sweep, SweepKind};
use crate::format::{number as n, percent as pct};
use crate::model::ObjectiveMode;
use crate::plan::Plan;

/// A titled table of display text.
pub(crate) struct Table {
    /// Title above the table (none for the main table).
    pub title: Option<String>,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A report as a title, introductory lines, tables and titled lists of
/// notes, rendered as text, Markdown or HTML.
pub(crate) struct Document {
    /// The title (the scenario's name).
    pub title: String,
    /// Lines before the tables.
    pub intro: Vec<String>,
    /// The tables.
    pub tables: Vec<Table>,
    /// Titled lists after the tables (empty lists are left out).
    pub notes: Vec<(String, Vec<String>)>,
}

impl Document {
    /// The document as text or Markdown.
    pub(crate) fn render(&self, markdown: bool) -> String {
        render_tables(
            &self.title,
            &self.intro,
            &self.tables,
            &self.notes,
            markdown,
        )
    }
}

/// Renders an introduction, tables and closing notes as text or Markdown.
pub(crate) fn render_tables(
    title: &str,
    intro: &[String],
    tables: &[Table],
    notes: &[(String, Vec<String>)],
    markdown: bool,
) -> String {
    let mut out = if markdown {
        format!("# {title}\n\n")
    } else {
        format!("{title}\n")
    };
    for line in intro {
        out.push_str(line);
        out.push_str(if markdown { "\n\n" } else { "\n" });
    }
    for t in tables {
        let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
        match (&t.title, markdown) {
            (Some(title), true) => out.push_str(&format!("\n## {title}\n\n")),
            (Some(title), false) => out.push_str(&format!("\n{title}\n")),
            (None, _) => out.push('\n'),
        }
        if markdown {
            out.push_str(&super::markdown::table(&header, &t.rows));
        } else {
            out.push_str(&super::table::grid(&header, &t.rows));
        }
    }
    for (title, lines) in notes {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&if markdown {
            format!("\n## {title}\n\n")
        } else {
            format!("\n{title}\n")
        });
        for line in lines {
            out.push_str(&if markdown {
                format!("- {line}\n")
            } else {
                format!("  - {line}\n")
            });
        }
    }
    out
}

/// CSV of a header and rows.
pub(crate) fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 fields")
}

/// The objective for people: four decimals for normalised weights, else money.
pub(crate) fn objective_text(mode: ObjectiveMode, objective: f64) -> String {
    if mode == ObjectiveMode::Weights {
        format!("{objective:.4}")
    } else {
        n(objective)
    }
}

/// `24 micro + 1 macro`, or the status when there is no plan.
pub(crate) fn mix(solved: &Solved) -> String {
    match &solved.plan {
        Some(plan) => mix_of(plan),
        None => solved.status.as_str().to_string(),
    }
}

/// `24 micro + 1 macro` of a plan.
pub(crate) fn mix_of(plan: &Plan) -> String {
    let parts: Vec<String> = plan
        .tiers
        .iter()
        .filter(|t| t.creators > 0)
        .map(|t| format!("{} {}", t.creators, t.tier))
        .collect();
    if parts.is_empty() {
        "nobody".into()
    } else {
        parts.join(" + ")
    }
}

/// Display cells of a point's plan: status, objective, spend, totals, hires,
/// tier shares, mix (dashes without a plan).
pub(crate) fn plan_cells(solved: &Solved, mode: ObjectiveMode, tiers: &[String]) -> Vec<String> {
    let mut row = vec![solved.status.as_str().to_string()];
    match &solved.plan {
        Some(p) => {
            row.push(objective_text(mode, p.objective));
            row.extend(
                [
                    p.spend,
                    p.totals.reach,
                    p.totals.engagements,
                    p.totals.conversions,
                ]
                .map(n),
            );
            row.push(p.totals.creators.to_string());
            row.extend(tiers.iter().map(|t| pct(solved.tier_share(t))));
        }
        None => row.extend(std::iter::repeat_n("-".to_string(), 6 + tiers.len())),
    }
    row.push(mix(solved));
    row
}

/// Raw CSV cells of a point's plan (empty without a plan).
pub(crate) fn plan_csv(solved: &Solved, tiers: &[String]) -> Vec<String> {
    let mut row = vec![solved.status.as_str().to_string()];
    match &solved.plan {
        Some(p) => {
            row.extend(
                [
                    p.objective,
                    p.spend,
                    p.totals.reach,
                    p.totals.engagements,
                    p.totals.conversions,
                ]
                .map(|x| x.to_string()),
            );
            row.push(p.totals.creators.to_string());
            row.push(p.totals.posts.to_string());
            row.extend(tiers.iter().map(|t| solved.tier_share(t).to_string()));
            let hires: Vec<String> = p
                .creators
                .iter()
                .map(|c| format!("{}×{}", c.handle, c.posts))
                .chain(
                    p.pools
                        .iter()
                        .filter(|q| q.hired > 0)
                        .map(|q| format!("{}×{}", q.name, q.hired)),
                )
                .collect();
            row.push(hires.join(";"));
        }
        None => row.extend(std::iter::repeat_n(String::new(), 8 + tiers.len())),
    }
    row
}

/// The plan columns shared by the display and CSV forms of a point.
const PLAN_COLUMNS: [&str; 7] = [
    "status",
    "objective",
    "spend",
    "reach",
    "engagements",
    "conversions",
    "creators",
];

/// Column names matching [`plan_cells`].
pub(crate) fn plan_header(tiers: &[String]) -> Vec<String> {
    let mut h: Vec<String> = PLAN_COLUMNS.map(String::from).to_vec();
    h.extend(tiers.iter().cloned());
    h.push("mix".into());
    h
}

/// Column names matching [`plan_csv`].
pub(crate) fn plan_csv_header(tiers: &[String]) -> Vec<String> {
    let mut h: Vec<String> = PLAN_COLUMNS.map(String::from).to_vec();
    h.push("posts".into());
    h.extend(tiers.iter().map(|t| format!("share_{t}")));
    h.push("hires".into());
    h
}

/// The columns that say where a sweep point is: its budget, or its weights.
fn lead_header(weights: bool) -> Vec<String> {
    if weights {
        vec![
            "awareness".into(),
            "engagement".into(),
            "conversions".into(),
        ]
    } else {
        vec!["budget".into()]
    }
}

/// A sweep point's lead cells: display text, or full precision (`raw`).
fn lead_cells(p: &crate::explore::sweep::Point, raw: bool) -> Vec<String> {
    match p.weights {
        Some(w) => w
            .to_array()
            .iter()
            .map(|x| {
                if raw {
                    x.to_string()
                } else {
                    format!("{x:.3}")
                }
            })
            .collect(),
        None => vec![if raw {
            p.budget.to_string()
        } else {
            n(p.budget)
        }],
    }
}

/// Renders a sweep.
pub fn sweep(s: &Sweep, format: Format) -> String {
    let weights = s.kind == SweepKind::Weights;
    match format {
        Format::Json => serde_json::to_string_pretty(s).expect("a sweep serialises") + "\n",
        Format::Csv => {
            let mut header = if weights {
                vec![
                    "budget".to_string(),
                    "awareness_weight".into(),
                    "engagement_weight".into(),
                    "conversions_weight".into(),
                ]
            } else {
                vec!["budget".to_string()]
            };
            header.extend(plan_csv_header(&s.tiers));
            let rows: Vec<Vec<String>> = s
                .points
                .iter()
                .map(|p| {
                    let mut row = if weights {
                        let mut r = vec![p.budget.to_string()];
                        r.extend(lead_cells(p, true));
                        r
                    } else {
                        lead_cells(p, true)
                    };
                    row.extend(plan_csv(&p.solved, &s.tiers));
                    row
                })
                .collect();
            csv_text(&header, &rows)
        }
        Format::Table | Format::Markdown => sweep_document(s).render(format == Format::Markdown),
    }
}

/// A sweep as a document: the points, the marginal returns, tier changes.
pub(crate) fn sweep_document(s: &Sweep) -> Document {
    let mut header = lead_header(s.kind == SweepKind::Weights);
    header.extend(plan_header(&s.tiers));
    let rows: Vec<Vec<String>> = s
        .points
        .iter()
        .map(|p| {
            let mut row = lead_cells(p, false);
            row.extend(plan_cells(&p.solved, s.objective_mode, &s.tiers));
            row
        })
        .collect();
    let mut tables = vec![Table {
        title: None,
        header,
        rows,
    }];
    if !s.marginal.is_empty() {
        let cur = if s.currency.is_empty() {
            "unit".to_string()
        } else {
            s.currency.clone()
        };
        tables.push(Table {
            title: Some(format!("What each extra {cur} of budget buys")),
            header: ["budget", "objective", "reach", "engagements", "conversions"]
                .map(String::from)
                .to_vec(),
            rows: s
                .marginal
                .iter()
                .map(|m| {
                    vec![
                        format!("{} → {}", n(m.from), n(m.to)),
                        format!("{:.3e}", m.objective),
                        format!("{:.3}", m.reach),
                        format!("{:.4}", m.engagements),
                        format!("{:.5}", m.conversions),
                    ]
                })
                .collect(),
        });
    }
    let mut intro = vec![format!(
        "{} sweep, {} points ({} feasible), {} in {:.2} s",
        s.kind.as_str(),
        s.points.len(),
        s.points.iter().filter(|p| p.solved.plan.is_some()).count(),
        s.solver,
        s.seconds
    )];
    if let Some(b) = s.best {
        intro.push(format!(
            "Goals scaled by the nominal scenario's bests (G*): awareness {}, engagement {}, conversions {}",
            n(b.awareness),
            n(b.engagement),
            n(b.conversions)
        ));
    }
    let changes: Vec<String> = s
        .tier_changes
        .iter()
        .map(|c| format!("{} {}: {}", c.tier, c.change, c.between))
        .collect();
    let flips: Vec<String> = s
        .flips
        .iter()
        .map(|f| format!("{} → {}: {}", f.from_tier, f.to_tier, f.between))
        .collect();
    let notes = vec![
        ("Tiers entering or leaving the mix".to_string(), changes),
        ("The largest tier changes".to_string(), flips),
    ];
    Document {
        title: s.scenario.clone(),
        intro,
        tables,
        notes,
    }
}

/// Renders a Pareto frontier.
pub fn frontier(f: &Frontier, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(f).expect("a frontier serialises") + "\n",
        Format::Csv => {
            let mut header: Vec<String> = f.goals.iter().map(|g| g.to_string()).collect();
            header.extend(
                f.goals[..f.goals.len() - 1]
                    .iter()
                    .map(|g| format!("epsilon_{g}")),
            );
            header.push("large_share".into());
            header.extend(plan_csv_header(&f.tiers));
            let rows: Vec<Vec<String>> = f
                .points
                .iter()
                .map(|p| {
                    let mut row: Vec<String> = p.values.iter().map(f64::to_string).collect();
                    row.extend(p.epsilon.iter().map(f64::to_string));
                    row.push(p.large_share.to_string());
                    row.extend(plan_csv(&point_solved(p), &f.tiers));
                    row
                })
                .collect();
            csv_text(&header, &rows)
        }
        Format::Table | Format::Markdown => frontier_document(f).render(format == Format::Markdown),
    }
}

/// A frontier as a document: its points and where the largest tier changes.
pub(crate) fn frontier_document(f: &Frontier) -> Document {
    let mut header: Vec<String> = vec!["#".into()];
    header.extend(f.goals.iter().map(|g| g.to_string()));
    header.extend(f.goals.iter().map(|g| format!("% of best {g}")));
    header.extend(["spend", "creators", "large tiers"].map(String::from));
    header.push("mix".into());
    let rows: Vec<Vec<String>> = f
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![(i + 1).to_string()];
            row.extend(p.values.iter().map(|v| n(*v)));
            row.extend(p.attainment.iter().map(|a| pct(*a)));
            row.push(n(p.plan.spend));
            row.push(p.plan.totals.creators.to_string());
            row.push(pct(p.large_share));
            row.push(mix_of(&p.plan));
            row
        })
        .collect();
    let intro = vec![
        format!(
            "Pareto frontier of {} ({} maximised, the others held at ε on a {}-point grid): \
             {} points, {} duplicate or dominated, {} grid points out of reach; {} in {:.2} s",
            f.goals
                .iter()
                .map(|g| g.key())
                .collect::<Vec<_>>()
                .join(" vs "),
            f.goals[f.goals.len() - 1],
            f.grid,
            f.points.len(),
            f.removed,
            f.without_plan,
            f.solver,
            f.seconds
        ),
        format!(
            "Each goal's own best: {}. \"large tiers\" is the share of spend on {}.",
            f.goals
                .iter()
                .zip(&f.best)
                .map(|(g, b)| format!("{g} {}", n(*b)))
                .collect::<Vec<_>>()
                .join(", "),
            f.large_tiers.join(" and ")
        ),
    ];
    let flips: Vec<String> = f
        .flips
        .iter()
        .map(|x| {
            format!(
                "{} → {} between points {} and {}",
                x.from_tier,
                x.to_tier,
                x.after_point + 1,
                x.after_point + 2
            )
        })
        .collect();
    Document {
        title: f.scenario.clone(),
        intro,
        tables: vec![Table {
            title: None,
            header,
            rows,
        }],
        notes: vec![("The largest tier changes along the frontier".into(), flips)],
    }
}

/// A frontier point as a solved point, for the shared CSV cells.
fn point_solved(p: &FrontierPoint) -> Solved {
    Solved {
        status: p.status,
        message: None,
        plan: Some(p.plan.clone()),
    }
}

/// Renders a comparison: one column per variant (table, Markdown), one row
/// per variant (CSV), or the whole structure (JSON).
pub fn comparison(c: &Comparison, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(c).expect("a comparison serialises") + "\n",
        Format::Csv => {
            let mut header = vec!["variant".to_string(), "file".into(), "budget".into()];
            header.extend(plan_csv_header(&c.tiers));
            let rows: Vec<Vec<String>> = c
                .variants
                .iter()
                .map(|v| {
                    let mut row = vec![
                        v.label.clone(),
                        v.file.clone(),
                        v.solved
                            .plan
                            .as_ref()
                            .map_or(String::new(), |p| p.budget.to_string()),
                    ];
                    row.extend(plan_csv(&v.solved, &c.tiers));
                    row
                })
                .collect();
            csv_text(&header, &rows)
        }
        Format::Table | Format::Markdown => {
            let mut header = vec![String::new()];
            header.extend(c.variants.iter().map(|v| v.label.clone()));
            let row = |name: &str, cell: &dyn Fn(&Plan) -> String| -> Vec<String> {
                let mut r = vec![name.to_string()];
                r.extend(c.variants.iter().map(|v| match &v.solved.plan {
                    Some(p) => cell(p),
                    None => "-".into(),
                }));
                r
            };
            let mut rows = vec![{
                let mut r = vec!["status".to_string()];
                r.extend(
                    c.variants
                        .iter()
                        .map(|v| v.solved.status.as_str().to_string()),
                );
                r
            }];
            rows.push(row("objective", &|p| {
                format!(
                    "{} ({})",
                    objective_text(p.objective_mode, p.objective),
                    p.objective_mode
                )
            }));
            rows.push(row("budget", &|p| n(p.budget)));
            rows.push(row("spend", &|p| n(p.spend)));
            rows.push(row("unique reach", &|p| n(p.totals.reach)));
            rows.push(row("engagements", &|p| n(p.totals.engagements)));
            rows.push(row("conversions", &|p| n(p.totals.conversions)));
            rows.push(row("creators", &|p| p.totals.creators.to_string()));
            rows.push(row("posts", &|p| p.totals.posts.to_string()));
            rows.push(row("CPM", &|p| crate::format::optional(p.kpis.cpm)));
            rows.push(row("cost per engagement", &|p| {
                crate::format::optional(p.kpis.cpe)
            }));
            rows.push(row("cost per conversion", &|p| {
                crate::format::optional(p.kpis.cost_per_conversion)
            }));
            for tier in &c.tiers {
                rows.push(row(&format!("{tier} share"), &|p| {
                    pct(p
                        .tiers
                        .iter()
                        .find(|t| t.tier == *tier)
                        .map_or(0.0, |t| t.share))
                }));
            }
            rows.push(row("mix", &|p| mix_of(p)));
            let intro = vec![format!(
                "{} variants in {:.2} s; objectives compare only within one scenario (each is scaled by its own bests)",
                c.variants.len(),
                c.seconds
            )];
            let why: Vec<String> = c
                .variants
                .iter()
                .filter_map(|v| {
                    v.solved
                        .message
                        .as_ref()
                        .map(|m| format!("{}: {m}", v.label))
                })
                .collect();
            render_tables(
                "Comparison",
                &intro,
                &[Table {
                    title: None,
                    header,
                    rows,
                }],
                &[("Without a plan".into(), why)],
                format == Format::Markdown,
            )
        }
    }
}
