//! Sweeps, frontiers and comparisons as documents: the points (and their
//! raw figures for CSV, one row per point at full precision), what changes
//! between them, and the sections they add to the HTML report.

use super::document::{Block, Content, Document, Figure, Formats, Style, Table, list, paragraph};
use super::plots::{self, Chart};
use crate::error::Error;
use crate::explore::compare::Comparison;
use crate::explore::frontier::{Frontier, FrontierPoint};
use crate::explore::grid::{PointStatus, Solved};
use crate::explore::sweep::{Sweep, SweepKind};
use crate::format::{number as n, percent as pct};
use crate::model::ObjectiveMode;
use crate::plan::Plan;
use crate::solve::SolveStatus;

/// A report of title, introductory lines, tables and titled lists as a
/// document: read in every format, its raw figures in `csv`.
fn assemble(
    title: &str,
    intro: Vec<String>,
    tables: Vec<Table>,
    notes: Vec<(String, Vec<String>)>,
    csv: Table,
) -> Document {
    let mut doc = Document::new(title);
    doc.add(Formats::READ, paragraph(intro, Style::Note));
    for t in tables {
        doc.add(Formats::READ, Content::Table(t));
    }
    for (title, lines) in notes {
        doc.add(Formats::READ, list(title, lines));
    }
    doc.add(Formats::CSV, Content::Table(csv));
    doc
}

/// A document's blocks under a heading, its charts after its introduction:
/// the section a command adds to the HTML report.
pub(crate) fn with_charts(heading: &str, doc: Document, charts: Vec<Chart>) -> Content {
    let mut blocks = doc.blocks;
    let figures = charts.into_iter().map(|(name, svg)| Block {
        shown_in: Formats::HTML,
        content: Content::Figure(Figure {
            caption: plots::caption(&name).to_string(),
            svg,
        }),
    });
    blocks.splice(1..1, figures);
    Content::Section {
        heading: heading.to_string(),
        blocks,
    }
}

/// A spend column's name, with the currency where there is one.
pub(crate) fn spend_header(currency: &str) -> String {
    if currency.is_empty() {
        "spend".into()
    } else {
        format!("spend ({currency})")
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
    plan.mix()
}

/// The share columns of a point: each tier's, then each platform's where
/// several are on offer.
pub(crate) struct Shares<'a> {
    pub(crate) tiers: &'a [String],
    pub(crate) platforms: &'a [String],
}

impl Shares<'_> {
    fn len(&self) -> usize {
        self.tiers.len() + self.platforms.len()
    }

    fn of(&self, solved: &Solved) -> Vec<f64> {
        self.tiers
            .iter()
            .map(|t| solved.tier_share(t))
            .chain(self.platforms.iter().map(|p| solved.platform_share(p)))
            .collect()
    }
}

/// Display cells of a point's plan: status, objective, spend, totals, hires,
/// tier and platform shares, mix (dashes without a plan).
pub(crate) fn plan_cells(solved: &Solved, mode: ObjectiveMode, shares: &Shares) -> Vec<String> {
    let mut row = vec![solved.status.as_str().to_string()];
    match &solved.plan {
        Some(p) => {
            row.push(mode.show(p.objective));
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
            row.extend(shares.of(solved).into_iter().map(pct));
        }
        None => row.extend(std::iter::repeat_n("-".to_string(), 6 + shares.len())),
    }
    row.push(mix(solved));
    row
}

/// Raw CSV cells of a point's plan (empty without a plan).
pub(crate) fn plan_csv(solved: &Solved, shares: &Shares) -> Vec<String> {
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
            row.extend(shares.of(solved).into_iter().map(|x| x.to_string()));
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
        None => row.extend(std::iter::repeat_n(String::new(), 8 + shares.len())),
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
pub(crate) fn plan_header(shares: &Shares, currency: &str) -> Vec<String> {
    let mut h: Vec<String> = PLAN_COLUMNS
        .map(|c| match c {
            "spend" => spend_header(currency),
            _ => c.to_string(),
        })
        .to_vec();
    h.extend(shares.tiers.iter().cloned());
    h.extend(shares.platforms.iter().cloned());
    h.push("mix".into());
    h
}

/// Column names matching [`plan_csv`].
pub(crate) fn plan_csv_header(shares: &Shares) -> Vec<String> {
    let mut h: Vec<String> = PLAN_COLUMNS.map(String::from).to_vec();
    h.push("posts".into());
    h.extend(shares.tiers.iter().map(|t| format!("share_{t}")));
    h.extend(
        shares
            .platforms
            .iter()
            .map(|p| format!("platform_share_{p}")),
    );
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

/// A sweep's raw figures, one row per point.
fn sweep_csv(s: &Sweep) -> Table {
    let weights = s.kind == SweepKind::Weights;
    {
        {
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
            header.extend(plan_csv_header(&Shares {
                tiers: &s.tiers,
                platforms: &s.platforms,
            }));
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
                    row.extend(plan_csv(
                        &p.solved,
                        &Shares {
                            tiers: &s.tiers,
                            platforms: &s.platforms,
                        },
                    ));
                    row
                })
                .collect();
            Table::untitled(header, rows)
        }
    }
}

/// The HTML report's section on a sweep, with its charts.
pub fn sweep_section(s: &Sweep) -> Result<Content, Error> {
    let heading = match s.kind {
        SweepKind::Budget => "How the plan responds to the budget",
        SweepKind::Weights => "How the plan responds to the goal weights",
    };
    Ok(with_charts(
        heading,
        sweep_document(s),
        plots::sweep_charts(s)?,
    ))
}

/// A sweep as a document: the points, the marginal returns, tier changes.
pub fn sweep_document(s: &Sweep) -> Document {
    let mut header = lead_header(s.kind == SweepKind::Weights);
    header.extend(plan_header(
        &Shares {
            tiers: &s.tiers,
            platforms: &s.platforms,
        },
        &s.currency,
    ));
    let rows: Vec<Vec<String>> = s
        .points
        .iter()
        .map(|p| {
            let mut row = lead_cells(p, false);
            row.extend(plan_cells(
                &p.solved,
                s.objective_mode,
                &Shares {
                    tiers: &s.tiers,
                    platforms: &s.platforms,
                },
            ));
            row
        })
        .collect();
    let keys = lead_header(s.kind == SweepKind::Weights).len();
    let mut tables = vec![Table::untitled(header, rows).keyed(keys)];
    if !s.marginal.is_empty() {
        let cur = if s.currency.is_empty() {
            "unit".to_string()
        } else {
            s.currency.clone()
        };
        // Per 1,000 of money: a weights objective gains about 1e-5 per
        // unit, which no reader takes in.
        let per = 1000.0;
        tables.push(Table {
            keys: 1,
            title: Some(format!(
                "What each further 1,000 {cur} of budget buys, between sweep points"
            )),
            header: ["budget", "objective", "reach", "engagements", "conversions"]
                .map(String::from)
                .to_vec(),
            rows: s
                .marginal
                .iter()
                .map(|m| {
                    vec![
                        format!("{} → {}", n(m.from), n(m.to)),
                        s.objective_mode.show(per * m.objective),
                        n(per * m.reach),
                        n(per * m.engagements),
                        n(per * m.conversions),
                    ]
                })
                .collect(),
        });
    }
    let mut intro = vec![format!(
        "{} sweep, {} ({} feasible), {} in {:.2} s",
        s.kind.as_str(),
        crate::format::count(s.points.len() as u64, "point"),
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
    assemble(&s.scenario, intro, tables, notes, sweep_csv(s))
}

/// A frontier's raw figures, one row per point.
fn frontier_csv(f: &Frontier) -> Table {
    {
        {
            let mut header: Vec<String> = f.goals.iter().map(|g| g.to_string()).collect();
            header.extend(
                f.goals[..f.goals.len() - 1]
                    .iter()
                    .map(|g| format!("epsilon_{g}")),
            );
            header.push("large_share".into());
            header.extend(plan_csv_header(&Shares {
                tiers: &f.tiers,
                platforms: &f.platforms,
            }));
            let rows: Vec<Vec<String>> = f
                .points
                .iter()
                .map(|p| {
                    let mut row: Vec<String> = p.values.iter().map(f64::to_string).collect();
                    row.extend(p.epsilon.iter().map(f64::to_string));
                    row.push(p.large_share.to_string());
                    row.extend(plan_csv(
                        &point_solved(p),
                        &Shares {
                            tiers: &f.tiers,
                            platforms: &f.platforms,
                        },
                    ));
                    row
                })
                .collect();
            Table::untitled(header, rows)
        }
    }
}

/// The HTML report's section on a frontier, with its chart.
pub fn frontier_section(f: &Frontier) -> Result<Content, Error> {
    let chart = ("frontier.svg".to_string(), plots::frontier_chart(f)?);
    Ok(with_charts(
        "The Pareto frontier",
        frontier_document(f),
        vec![chart],
    ))
}

/// A frontier as a document: its points and where the largest tier changes.
pub fn frontier_document(f: &Frontier) -> Document {
    let mut header: Vec<String> = vec!["#".into()];
    header.extend(f.goals.iter().map(|g| g.to_string()));
    header.extend(f.goals.iter().map(|g| format!("% of best {g}")));
    header.push(spend_header(&f.currency));
    header.extend(["creators", "large tiers"].map(String::from));
    header.push("mix".into());
    let rows: Vec<Vec<String>> = f
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // A point whose solve stopped before its proof is marked.
            let proven = matches!(p.status, PointStatus::Solved(SolveStatus::Optimal));
            let mut row = vec![format!("{}{}", i + 1, if proven { "" } else { "*" })];
            row.extend(p.values.iter().map(|v| n(*v)));
            row.extend(p.attainment.iter().map(|a| pct(*a)));
            row.push(n(p.plan.spend));
            row.push(p.plan.totals.creators.to_string());
            row.push(pct(p.large_share));
            row.push(mix_of(&p.plan));
            row
        })
        .collect();
    let unproven: Vec<String> = f
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| !matches!(p.status, PointStatus::Solved(SolveStatus::Optimal)))
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    let mut intro = vec![
        format!(
            "Pareto frontier of {} ({} maximised, the others held at ε on a {}-point grid): \
             {}, {} duplicate or dominated, {} out of reach{}; {} in {:.2} s",
            f.goals
                .iter()
                .map(|g| g.key())
                .collect::<Vec<_>>()
                .join(" vs "),
            f.goals[f.goals.len() - 1],
            f.grid,
            crate::format::count(f.points.len() as u64, "point"),
            f.removed,
            crate::format::count(f.without_plan as u64, "grid point"),
            if f.no_plan_in_time > 0 {
                format!(
                    ", {} with no plan found within the limit (raise --time-limit or --node-limit)",
                    f.no_plan_in_time
                )
            } else {
                String::new()
            },
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
    if !unproven.is_empty() {
        intro.push(format!(
            "* Not proven optimal: a limit (--time-limit or --node-limit) stopped the \
             search first at point{} {} (raise it to prove {}).",
            if unproven.len() == 1 { "" } else { "s" },
            unproven.join(", "),
            if unproven.len() == 1 { "it" } else { "them" }
        ));
    }
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
    // The point number and its goal values name a row.
    let main = Table::untitled(header, rows).keyed(1 + f.goals.len());
    let mut notes = vec![("The largest tier changes along the frontier".into(), flips)];
    if let Some(own) = &f.scenario_plan {
        let values = f
            .goals
            .iter()
            .zip(&own.values)
            .map(|(g, v)| format!("{g} {}", n(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        let place = match own.point {
            Some(k) => format!("point {k} of this frontier"),
            None => "off this frontier: its goal also values what these axes leave out, or trades these goals at another rate than any point here".to_string(),
        };
        notes.push((
            "The scenario's own plan (its goal as stated)".into(),
            vec![format!("{values}: {place}")],
        ));
    }
    assemble(&f.scenario, intro, vec![main], notes, frontier_csv(f))
}

/// A frontier point as a solved point, for the shared CSV cells.
fn point_solved(p: &FrontierPoint) -> Solved {
    Solved {
        status: p.status,
        message: None,
        plan: Some(p.plan.clone()),
    }
}

/// A comparison as an HTML report: its tables, and its tier shares as a
/// chart.
pub fn comparison_report(c: &Comparison) -> Result<Document, Error> {
    let chart = ("comparison.svg".to_string(), plots::comparison_chart(c)?);
    let mut doc = Document::new("Comparison");
    doc.add(
        Formats::HTML,
        with_charts(
            "The variants side by side",
            comparison_document(c),
            vec![chart],
        ),
    );
    Ok(doc)
}

/// A comparison's raw figures, one row per variant.
fn comparison_csv(c: &Comparison) -> Table {
    {
        {
            let mut header = vec!["variant".to_string(), "file".into(), "budget".into()];
            header.extend(plan_csv_header(&Shares {
                tiers: &c.tiers,
                platforms: &c.platforms,
            }));
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
                    row.extend(plan_csv(
                        &v.solved,
                        &Shares {
                            tiers: &c.tiers,
                            platforms: &c.platforms,
                        },
                    ));
                    row
                })
                .collect();
            Table::untitled(header, rows)
        }
    }
}

/// A comparison as a document: one column per variant.
pub fn comparison_document(c: &Comparison) -> Document {
    {
        {
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
                    p.objective_mode.show(p.objective),
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
            for platform in &c.platforms {
                rows.push(row(&format!("{platform} share"), &|p| {
                    pct(p
                        .platforms
                        .iter()
                        .find(|x| x.platform == *platform)
                        .map_or(0.0, |x| x.share))
                }));
            }
            rows.push(row("mix", &|p| mix_of(p)));
            let intro = vec![format!(
                "{} in {:.2} s; objectives compare only within one scenario (each is scaled by its own bests)",
                crate::format::count(c.variants.len() as u64, "variant"),
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
            let main = Table::untitled(header, rows);
            let notes = vec![("Without a plan".into(), why)];
            assemble("Comparison", intro, vec![main], notes, comparison_csv(c))
        }
    }
}
