//! SVG charts (plotters' SVG backend: text is left to the viewer's fonts,
//! so nothing is read from the system): of a simulation, the objective
//! histogram with the nominal plan marked, selection frequencies, tier-share
//! bands and the tornado; of a sweep, the response curve and tier shares; of
//! a frontier, its points; of a plan, spend by tier against the budget.

use std::path::Path;

use plotters::prelude::*;

use super::html::escape;
use crate::error::Error;
use crate::explore::frontier::Frontier;
use crate::explore::sweep::{Sweep, SweepKind};
use crate::plan::Plan;
use crate::uncertainty::sample::SampleRow;
use crate::uncertainty::shard::Mode;
use crate::uncertainty::summary::Report;

const SIZE: (u32, u32) = (800, 480);
/// Axis labels and keys. plotters writes a size of 18 as 14.5 pixels; an
/// 800-pixel chart printed across an A4 page (about 680 pixels at 96 dpi)
/// shows them at 12.3 pixels, above 9 points.
const LABEL: u32 = 18;
/// Chart titles.
const TITLE: u32 = 22;
const BAR: RGBColor = RGBColor(0x3b, 0x6e, 0xa8);
const MARK: RGBColor = RGBColor(0xc0, 0x39, 0x2b);

fn chart_error<E: std::fmt::Display>(e: E) -> Error {
    Error::Solver(format!("cannot draw a chart: {e}"))
}

/// A chart: its file name and its SVG text.
pub type Chart = (String, String);

/// Writes charts into `dir` (created if missing); returns the files written.
pub fn save(dir: &Path, charts: &[Chart]) -> Result<Vec<String>, Error> {
    create_dir(dir)?;
    for (name, svg) in charts {
        super::write_atomically(&dir.join(name), svg)?;
    }
    Ok(charts.iter().map(|(name, _)| name.clone()).collect())
}

/// Writes every chart the report has data for into `dir`; returns the files written.
pub fn write(dir: &Path, report: &Report, rows: &[SampleRow]) -> Result<Vec<String>, Error> {
    save(dir, &simulation_charts(report, rows)?)
}

/// Every chart a simulation report has data for: the objective histogram,
/// and with re-optimisation the selection frequencies and tier-share bands,
/// and the tornado when computed.
pub fn simulation_charts(report: &Report, rows: &[SampleRow]) -> Result<Vec<Chart>, Error> {
    let mut charts = vec![("objective.svg".to_string(), histogram(report, rows)?)];
    if let Some(re) = &report.reoptimize {
        let bars: Vec<(String, f64)> = re
            .selection
            .iter()
            .take(30)
            .map(|s| (s.name.clone(), s.frequency))
            .collect();
        charts.push((
            "selection.svg".to_string(),
            horizontal_bars("Selection frequency in sample optima", &bars, 1.0)?,
        ));
        charts.push(("tier-share.svg".to_string(), tier_bands(report)?));
    }
    if let Some(bars) = &report.tornado {
        charts.push(("tornado.svg".to_string(), tornado(report, bars)?));
    }
    Ok(charts)
}

/// A bar between two chart points, drawn in pixels with a gap between neighbours.
fn inset_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    corners: [(i32, i32); 2],
    vertical: bool,
    style: ShapeStyle,
) -> Result<(), Error> {
    let [(x0, y0), (x1, y1)] = corners;
    let rect = if vertical {
        let inset = ((x1 - x0).abs() / 5).max(1);
        [(x0.min(x1) + inset, y0), (x0.max(x1) - inset, y1)]
    } else {
        let inset = ((y1 - y0).abs() / 5).max(1);
        [
            (x0, y0.min(y1) + inset),
            (x1.max(x0 + 1), y0.max(y1) - inset),
        ]
    };
    root.draw(&Rectangle::new(rect, style))
        .map_err(|e| chart_error(format!("{e:?}")))
}

/// The label of a segment of a category axis: its name at the centre, nothing elsewhere.
fn segment_name(names: &[String], value: &SegmentValue<u32>) -> String {
    match value {
        SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

fn histogram(report: &Report, rows: &[SampleRow]) -> Result<String, Error> {
    let values: Vec<f64> = rows
        .iter()
        .filter(|r| r.reoptimized.as_ref().is_none_or(|d| d.feasible))
        .map(|r| r.objective)
        .collect();
    let nominal = report.nominal.objective;
    let (lo, hi) = values
        .iter()
        .fold((nominal, nominal), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, hi + 0.5)
    };
    let bins = 40usize;
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for v in &values {
        let b = (((v - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let nominal_text = report.objective_mode.show(nominal);
        let title = match report.mode {
            Mode::Evaluate => {
                format!(
                    "Objective of the nominal plan across samples (red: {nominal_text} nominal)"
                )
            }
            Mode::Reoptimize => {
                format!("Optimal objective across samples (red: nominal plan, {nominal_text})")
            }
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", TITLE))
            .margin(16)
            .x_label_area_size(55)
            .y_label_area_size(75)
            .build_cartesian_2d(lo..hi, 0u32..(top + top / 10 + 1))
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .x_desc("objective")
            .y_desc("samples")
            .x_label_formatter(&|v| axis_number(*v))
            .draw()
            .map_err(chart_error)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                let x0 = lo + width * i as f64;
                Rectangle::new([(x0, 0), (x0 + width, c)], BAR.mix(0.8).filled())
            }))
            .map_err(chart_error)?;
        chart
            .draw_series(LineSeries::new(
                [(nominal, 0), (nominal, top + top / 10)],
                MARK.stroke_width(3),
            ))
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

fn horizontal_bars(title: &str, bars: &[(String, f64)], max: f64) -> Result<String, Error> {
    let mut svg = String::new();
    let height = (70 + 26 * bars.len() as u32).max(200);
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let n = bars.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", TITLE))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(210)
            .build_cartesian_2d(0.0..max, (0u32..n.saturating_sub(1)).into_segmented())
            .map_err(chart_error)?;
        // The first bar on top.
        let names: Vec<String> = bars.iter().rev().map(|(n, _)| n.clone()).collect();
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .disable_y_mesh()
            .y_labels(names.len() + 1)
            .y_label_formatter(&|v| segment_name(&names, v))
            .draw()
            .map_err(chart_error)?;
        for (i, (_, v)) in bars.iter().enumerate() {
            let row = n - 1 - i as u32;
            let corners = [
                chart.backend_coord(&(0.0, SegmentValue::Exact(row))),
                chart.backend_coord(&(*v, SegmentValue::Exact(row + 1))),
            ];
            inset_bar(&root, corners, false, BAR.mix(0.8).filled())?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

fn tier_bands(report: &Report) -> Result<String, Error> {
    let bands = &report
        .reoptimize
        .as_ref()
        .expect("called for reoptimize")
        .tier_share;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let n = bands.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Tier share of spend across sample optima (bar: P5 to P95; red: mean)",
                ("sans-serif", TITLE),
            )
            .margin(16)
            .x_label_area_size(55)
            .y_label_area_size(75)
            .build_cartesian_2d((0u32..n.saturating_sub(1)).into_segmented(), 0.0..1.0)
            .map_err(chart_error)?;
        let names: Vec<String> = bands.iter().map(|b| b.tier.clone()).collect();
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .disable_x_mesh()
            .x_labels(names.len() + 1)
            .x_label_formatter(&|v| segment_name(&names, v))
            .y_desc("share of spend")
            .draw()
            .map_err(chart_error)?;
        for (i, b) in bands.iter().enumerate() {
            let i = i as u32;
            let corners = [
                chart.backend_coord(&(SegmentValue::Exact(i), b.share.p95)),
                chart.backend_coord(&(SegmentValue::Exact(i + 1), b.share.p5)),
            ];
            inset_bar(&root, corners, true, BAR.mix(0.5).filled())?;
        }
        // Each mean across its own band only, inset as the band is.
        for (i, b) in bands.iter().enumerate() {
            let i = i as u32;
            let (x0, y) = chart.backend_coord(&(SegmentValue::Exact(i), b.share.mean));
            let (x1, _) = chart.backend_coord(&(SegmentValue::Exact(i + 1), b.share.mean));
            let inset = ((x1 - x0).abs() / 5).max(1);
            root.draw(&PathElement::new(
                [(x0.min(x1) + inset, y), (x0.max(x1) - inset, y)],
                MARK.stroke_width(3),
            ))
            .map_err(|e| chart_error(format!("{e:?}")))?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

fn tornado(report: &Report, bars: &[crate::uncertainty::tornado::Bar]) -> Result<String, Error> {
    let nominal = report.nominal.objective;
    let finite: Vec<&crate::uncertainty::tornado::Bar> = bars
        .iter()
        .filter(|b| b.low.is_some() && b.high.is_some())
        .take(20)
        .collect();
    let (lo, hi) = finite.iter().fold((nominal, nominal), |(lo, hi), b| {
        let (l, h) = (b.low.unwrap_or(nominal), b.high.unwrap_or(nominal));
        (lo.min(l).min(h), hi.max(l).max(h))
    });
    let pad = ((hi - lo) * 0.05).max(1e-6);
    let mut svg = String::new();
    let height = (120 + 26 * finite.len() as u32).max(260);
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let n = finite.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Tornado: optimal objective with one group moved",
                ("sans-serif", TITLE),
            )
            .margin(16)
            .margin_bottom(44)
            .x_label_area_size(50)
            .y_label_area_size(230)
            .build_cartesian_2d(
                (lo - pad)..(hi + pad),
                (0u32..n.saturating_sub(1)).into_segmented(),
            )
            .map_err(chart_error)?;
        // The widest swing on top.
        let names: Vec<String> = finite.iter().rev().map(|b| b.group.clone()).collect();
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .disable_y_mesh()
            .y_labels(names.len() + 1)
            .y_label_formatter(&|v| segment_name(&names, v))
            .x_desc("optimal objective")
            .draw()
            .map_err(chart_error)?;
        // From the nominal optimum to each end: P10 in one colour, P90 in
        // the other.
        for (i, b) in finite.iter().enumerate() {
            let row = n - 1 - i as u32;
            for (end, colour) in [(b.low, P10), (b.high, P90)] {
                let end = end.unwrap_or(nominal);
                let corners = [
                    chart.backend_coord(&(nominal.min(end), SegmentValue::Exact(row))),
                    chart.backend_coord(&(nominal.max(end), SegmentValue::Exact(row + 1))),
                ];
                inset_bar(&root, corners, false, colour.filled())?;
            }
        }
        chart
            .draw_series(LineSeries::new(
                [
                    (nominal, SegmentValue::Exact(0)),
                    (nominal, SegmentValue::Exact(n)),
                ],
                MARK.stroke_width(2),
            ))
            .map_err(chart_error)?;
        key(
            &root,
            (246, height as i32 - 20),
            &[
                ("group at its P10".into(), P10),
                ("group at its P90".into(), P90),
                ("nominal optimum".into(), MARK),
            ],
            false,
        )?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// The tornado's colours: a group at its P10 and at its P90.
const P10: RGBColor = RGBColor(0xe0, 0xa2, 0x3a);
const P90: RGBColor = RGBColor(0x3b, 0x6e, 0xa8);

/// A key from `at` (pixels of `root`, outside the plot so it hides no
/// data): a swatch and a name each, in a row or in a column.
fn key<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    at: (i32, i32),
    entries: &[(String, RGBColor)],
    column: bool,
) -> Result<(), Error> {
    let (mut x, mut y) = at;
    for (name, colour) in entries {
        root.draw(&Rectangle::new(
            [(x, y - 6), (x + 14, y + 6)],
            colour.filled(),
        ))
        .map_err(|e| chart_error(format!("{e:?}")))?;
        root.draw(&Text::new(
            name.clone(),
            (x + 19, y - 8),
            ("sans-serif", LABEL).into_font(),
        ))
        .map_err(|e| chart_error(format!("{e:?}")))?;
        if column {
            y += 26;
        } else {
            x += 30 + 9 * name.chars().count() as i32;
        }
    }
    Ok(())
}

/// An axis figure for people: grouped thousands, no float noise.
fn axis_number(v: f64) -> String {
    crate::format::number(v)
}

/// Colours of tiers in market order (smallest first), cycled when there are more.
const TIER_COLOURS: [RGBColor; 6] = [
    RGBColor(0x8e, 0xc9, 0x7f),
    RGBColor(0x3b, 0x6e, 0xa8),
    RGBColor(0xe0, 0xa2, 0x3a),
    RGBColor(0xc0, 0x39, 0x2b),
    RGBColor(0x7d, 0x3c, 0x98),
    RGBColor(0x5d, 0x6d, 0x7e),
];

fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes a sweep's charts into `dir`; returns the files written.
pub fn write_sweep(dir: &Path, sweep: &Sweep) -> Result<Vec<String>, Error> {
    save(dir, &sweep_charts(sweep)?)
}

/// A sweep's charts: the response curve with tier-entry marks (budget
/// sweeps) and the stacked tier shares of spend per point.
pub fn sweep_charts(sweep: &Sweep) -> Result<Vec<Chart>, Error> {
    let mut charts = Vec::new();
    if sweep.kind == SweepKind::Budget {
        charts.push(("response.svg".to_string(), response_curve(sweep)?));
    }
    // Weight sweeps are labelled by the weight that moves most (the one
    // swept; the others follow in proportion), budget sweeps by budget.
    let swept = (0..3)
        .map(|g| {
            let ws = sweep
                .points
                .iter()
                .filter_map(|p| p.weights)
                .map(|w| w.to_array()[g]);
            let (lo, hi) = ws.fold((f64::MAX, f64::MIN), |(lo, hi), w| (lo.min(w), hi.max(w)));
            (hi - lo, g)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(0, |(_, g)| g);
    let labels: Vec<String> = sweep
        .points
        .iter()
        .map(|p| match p.weights {
            Some(w) => format!("{:.2}", w.to_array()[swept]),
            None => crate::format::number(p.budget),
        })
        .collect();
    let axis = match sweep.kind {
        SweepKind::Budget => format!("budget {}", sweep.currency),
        SweepKind::Weights => format!(
            "{} weight (the others in proportion)",
            crate::model::GoalKind::ALL[swept]
        ),
    };
    let shares: Vec<Vec<f64>> = sweep
        .points
        .iter()
        .map(|p| sweep.tiers.iter().map(|t| p.solved.tier_share(t)).collect())
        .collect();
    let title = match sweep.kind {
        SweepKind::Budget => "Tier shares of spend across budgets",
        SweepKind::Weights => "Tier shares of spend across goal weightings",
    };
    let svg = stacked_shares(title, axis.trim(), &labels, &sweep.tiers, &shares)?;
    charts.push(("tier-shares.svg".to_string(), svg));
    Ok(charts)
}

/// A comparison's chart: each variant's tier shares of spend, stacked.
pub fn comparison_chart(c: &crate::explore::compare::Comparison) -> Result<String, Error> {
    let labels: Vec<String> = c.variants.iter().map(|v| v.label.clone()).collect();
    let shares: Vec<Vec<f64>> = c
        .variants
        .iter()
        .map(|v| c.tiers.iter().map(|t| v.solved.tier_share(t)).collect())
        .collect();
    stacked_shares(
        "Tier shares of spend by variant",
        "variant",
        &labels,
        &c.tiers,
        &shares,
    )
}

/// The optimal objective against the budget, tier entries marked.
fn response_curve(sweep: &Sweep) -> Result<String, Error> {
    let points = sweep.curve();
    let (x0, x1) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (y0, y1) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let pad = |lo: f64, hi: f64| {
        let w = (hi - lo).abs().max(hi.abs() * 0.01).max(1e-9);
        (lo - 0.05 * w, hi + 0.05 * w)
    };
    let ((x0, x1), (y0, y1)) = (pad(x0, x1), pad(y0.min(0.0), y1));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Optimal objective by budget: {}", sweep.scenario),
                ("sans-serif", TITLE),
            )
            .margin(16)
            .x_label_area_size(55)
            .y_label_area_size(85)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .x_desc(format!("budget {}", sweep.currency))
            .y_desc(format!("objective ({})", sweep.objective_mode))
            .x_label_formatter(&|v| crate::format::number(*v))
            .draw()
            .map_err(chart_error)?;
        for change in &sweep.tier_changes {
            let x = sweep.points[change.at_point].budget;
            let colour = sweep
                .tiers
                .iter()
                .position(|t| *t == change.tier)
                .map_or(MARK, |i| TIER_COLOURS[i % TIER_COLOURS.len()]);
            chart
                .draw_series(LineSeries::new([(x, y0), (x, y1)], colour.stroke_width(1)))
                .map_err(chart_error)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} {}", change.tier, change.change),
                    (x, y0 + (y1 - y0) * 0.05),
                    ("sans-serif", 13).into_font().color(&colour),
                )))
                .map_err(chart_error)?;
        }
        chart
            .draw_series(LineSeries::new(points.iter().copied(), BAR.stroke_width(2)))
            .map_err(chart_error)?;
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 3, BAR.filled())))
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// Stacked bars of tier shares of spend, one bar per labelled point.
fn stacked_shares(
    title: &str,
    axis: &str,
    labels: &[String],
    tiers: &[String],
    shares: &[Vec<f64>],
) -> Result<String, Error> {
    let mut svg = String::new();
    {
        // Page width whatever the number of points; the key in a column
        // to the right of the plot.
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let n = labels.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", TITLE))
            .margin(16)
            .margin_right(130)
            .x_label_area_size(60)
            .y_label_area_size(75)
            .build_cartesian_2d((0u32..n.saturating_sub(1)).into_segmented(), 0.0..1.0)
            .map_err(chart_error)?;
        // Label every point when they fit, else about eight of them; a
        // label longer than its room is cut in the middle.
        let every = labels.len().div_ceil(8).max(1);
        let room = (600 / labels.len().div_ceil(every).max(1) / 9).max(4);
        let shown: Vec<String> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i % every != 0 {
                    String::new()
                } else if l.chars().count() > room {
                    // Both ends, where names that share a start differ.
                    let chars: Vec<char> = l.chars().collect();
                    let half = (room - 1) / 2;
                    let head: String = chars[..room - 1 - half].iter().collect();
                    let tail: String = chars[chars.len() - half..].iter().collect();
                    format!("{}…{}", head.trim_end(), tail.trim_start())
                } else {
                    l.clone()
                }
            })
            .collect();
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .disable_x_mesh()
            .x_labels(labels.len() + 1)
            .x_label_formatter(&|v| segment_name(&shown, v))
            .x_desc(axis)
            .y_desc("share of spend")
            .draw()
            .map_err(chart_error)?;
        for (i, point) in shares.iter().enumerate() {
            let mut bottom = 0.0;
            for (t, share) in point.iter().enumerate() {
                if *share <= 0.0 {
                    continue;
                }
                let i = i as u32;
                let corners = [
                    chart.backend_coord(&(SegmentValue::Exact(i), bottom + share)),
                    chart.backend_coord(&(SegmentValue::Exact(i + 1), bottom)),
                ];
                let colour = TIER_COLOURS[t % TIER_COLOURS.len()];
                inset_bar(&root, corners, true, colour.filled())?;
                bottom += share;
            }
        }
        // The key top down as the stack reads, the last tier on top.
        let entries: Vec<(String, RGBColor)> = tiers
            .iter()
            .enumerate()
            .rev()
            .map(|(t, name)| (name.clone(), TIER_COLOURS[t % TIER_COLOURS.len()]))
            .collect();
        key(&root, (SIZE.0 as i32 - 120, 70), &entries, true)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// Writes the frontier chart into `dir`; returns the files written.
pub fn write_frontier(dir: &Path, f: &Frontier) -> Result<Vec<String>, Error> {
    save(dir, &[("frontier.svg".to_string(), frontier_chart(f)?)])
}

/// The frontier chart: the first goal against the last, each point coloured
/// from the smaller tiers' colour (all spend on small tiers) to the larger
/// tiers' (all spend on large ones).
pub fn frontier_chart(f: &Frontier) -> Result<String, Error> {
    let last = f.goals.len() - 1;
    let xy: Vec<(f64, f64, f64)> = f
        .points
        .iter()
        .map(|p| (p.values[0], p.values[last], p.large_share))
        .collect();
    let own = f.scenario_plan.as_ref();
    let range = |k: usize| {
        let values = f
            .points
            .iter()
            .map(|p| p.values[k])
            .chain(own.map(|o| o.values[k]));
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let w = (hi - lo).abs().max(hi.abs() * 0.02).max(1e-9);
        (lo - 0.06 * w)..(hi + 0.06 * w)
    };
    let small = TIER_COLOURS[1];
    let large = TIER_COLOURS[3];
    let blend = |t: f64| {
        let t = t.clamp(0.0, 1.0);
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        RGBColor(
            mix(small.0, large.0),
            mix(small.1, large.1),
            mix(small.2, large.2),
        )
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Pareto frontier, {} vs {}: {}",
                    f.goals[0], f.goals[last], f.scenario
                ),
                ("sans-serif", TITLE),
            )
            .margin(16)
            .margin_bottom(44)
            .x_label_area_size(50)
            .y_label_area_size(95)
            .build_cartesian_2d(range(0), range(last))
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .label_style(("sans-serif", LABEL))
            .axis_desc_style(("sans-serif", LABEL))
            .x_desc(f.goals[0].key())
            .y_desc(f.goals[last].key())
            .x_label_formatter(&|v| crate::format::number(*v))
            .y_label_formatter(&|v| crate::format::number(*v))
            .draw()
            .map_err(chart_error)?;
        chart
            .draw_series(LineSeries::new(
                xy.iter().map(|&(x, y, _)| (x, y)),
                RGBColor(0x99, 0x99, 0x99).stroke_width(1),
            ))
            .map_err(chart_error)?;
        chart
            .draw_series(
                xy.iter()
                    .map(|&(x, y, share)| Circle::new((x, y), 6, blend(share).filled())),
            )
            .map_err(chart_error)?;
        // Each point numbered as in the table.
        chart
            .draw_series(xy.iter().enumerate().map(|(i, &(x, y, _))| {
                Text::new(
                    (i + 1).to_string(),
                    (x, y),
                    TextStyle::from(("sans-serif", LABEL).into_font()).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Left,
                            plotters::style::text_anchor::VPos::Bottom,
                        ),
                    ),
                )
            }))
            .map_err(chart_error)?;
        // The scenario's own plan: a ring around its point.
        if let Some(o) = own {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (o.values[0], o.values[last]),
                    11,
                    BLACK.stroke_width(2),
                )))
                .map_err(chart_error)?;
        }
        let mut entries = vec![
            ("all spend on smaller tiers".to_string(), small),
            (format!("all on {}", f.large_tiers.join(" + ")), large),
        ];
        if own.is_some() {
            entries.push(("ringed: the scenario's own plan".into(), BLACK));
        }
        key(&root, (40, SIZE.1 as i32 - 20), &entries, false)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// The caption of a chart, by its file name.
pub fn caption(name: &str) -> &'static str {
    match name {
        "objective.svg" => "The objective over the samples; the red line is the nominal plan.",
        "selection.svg" => "How often each creator or pool is in a sample's own optimum.",
        "tier-share.svg" => "Tier shares of spend across the samples' optima (P5 to P95).",
        "tornado.svg" => "The swing of the optimum as each parameter group moves from P10 to P90.",
        "response.svg" => "The optimal objective against the budget; tier entries are marked.",
        "tier-shares.svg" => "Tier shares of spend at each point of the sweep.",
        "comparison.svg" => "Tier shares of spend of each variant's optimal plan.",
        "regions.svg" => {
            "Each region's plan is optimal for every weighting inside it; colours are the plans' largest tiers."
        }
        "frontier.svg" => {
            "The Pareto frontier: no plan does better on one goal without doing worse on another."
        }
        _ => "",
    }
}

/// Spend by tier as horizontal bars against the budget, with what is left unspent.
pub fn tier_spend(plan: &Plan) -> String {
    let parts = plan
        .tiers
        .iter()
        .map(|t| (t.tier.clone(), t.spend))
        .collect();
    spend_bars(plan, parts, "Spend by tier")
}

/// Spend per platform against the budget, as [`tier_spend`] draws tiers.
pub fn platform_spend(plan: &Plan) -> String {
    let parts = plan
        .platforms
        .iter()
        .map(|p| (p.platform.clone(), p.spend))
        .collect();
    spend_bars(plan, parts, "Spend by platform")
}

/// Bars of each part's spend against the budget, and one of what is unspent.
fn spend_bars(plan: &Plan, parts: Vec<(String, f64)>, title: &str) -> String {
    let (width, label_w, row_h, value_w) = (760.0, 110.0, 34.0, 250.0);
    let bar_w = width - label_w - value_w;
    let mut rows: Vec<(String, f64, bool)> = parts
        .into_iter()
        .map(|(name, spend)| (name, spend, true))
        .collect();
    rows.push(("unspent".into(), (plan.budget - plan.spend).max(0.0), false));
    let height = row_h * rows.len() as f64 + 28.0;
    let scale = if plan.budget > 0.0 {
        bar_w / plan.budget
    } else {
        0.0
    };
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}"><style>text{{font:15px system-ui,sans-serif;fill:#1d2733}}</style>"#
    );
    for (i, (name, spend, tier)) in rows.iter().enumerate() {
        let y = 8.0 + row_h * i as f64;
        let w = (spend * scale).clamp(0.0, bar_w);
        let colour = if *tier { "#3b6ea8" } else { "#c9d1da" };
        // A part's share of spend, as every table states it; what is
        // left, as a share of the budget.
        let share = match (*tier, plan.spend > 0.0, plan.budget > 0.0) {
            (true, true, _) => format!("{} of spend", crate::format::percent(spend / plan.spend)),
            (false, _, true) => {
                format!("{} of budget", crate::format::percent(spend / plan.budget))
            }
            _ => "-".into(),
        };
        let cur = if plan.currency.is_empty() {
            String::new()
        } else {
            format!(" {}", escape(&plan.currency))
        };
        svg.push_str(&format!(
            r##"<text x="0" y="{ty}">{label}</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="{bh}" fill="#eef1f5"/><rect x="{label_w}" y="{y}" width="{w:.2}" height="{bh}" fill="{colour}"/><text x="{vx}" y="{ty}">{value}{cur} ({share})</text>"##,
            ty = y + 17.0,
            label = escape(name),
            bh = row_h - 10.0,
            vx = label_w + bar_w + 10.0,
            value = crate::format::number(*spend),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// `#rrggbb` of a colour.
fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The map of weightings: with three goals a triangle (each corner one
/// goal's whole weight), with two a bar of the first goal's weight; each
/// region in the colour of its plan's largest tier, numbered as in the
/// table, the scenario's own weighting ringed, and a key of the regions'
/// mixes below.
pub fn regions_chart(map: &crate::explore::regions::Regions) -> String {
    let width = 800.0;
    let three = map.goals.len() == 3;
    let colour = |r: &crate::explore::regions::Region| {
        let tier = r.plan.largest_tier();
        let i = map.tiers.iter().position(|t| Some(t.as_str()) == tier);
        i.map_or_else(
            || "#c9d1da".to_string(),
            |i| hex(TIER_COLOURS[i % TIER_COLOURS.len()]),
        )
    };
    let names: Vec<String> = map.goals.iter().map(|g| escape(g.key())).collect();
    let title = if three {
        format!(
            "Which plan is optimal for each weighting of {}, {} and {}",
            names[0], names[1], names[2]
        )
    } else {
        format!(
            "Which plan is optimal for each weighting of {} and {}",
            names[0], names[1]
        )
    };
    // Where a weighting is drawn.
    let corners = [(400.0, 80.0), (110.0, 560.0), (690.0, 560.0)];
    let (bar_x, bar_w, bar_y, bar_h) = (60.0, 680.0, 70.0, 44.0);
    let at = |lambda: &[f64]| -> (f64, f64) {
        if three {
            let x = (0..3).map(|i| lambda[i] * corners[i].0).sum();
            let y = (0..3).map(|i| lambda[i] * corners[i].1).sum();
            (x, y)
        } else {
            // The first goal's weight runs from 0 on the left to 1.
            (bar_x + bar_w * lambda[0], bar_y + bar_h / 2.0)
        }
    };
    let map_bottom = if three { 600.0 } else { 170.0 };
    let row = 24.0;
    let height = map_bottom + 20.0 + row * map.regions.len() as f64 + 10.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}"><style>text{{font:15px system-ui,sans-serif;fill:#1d2733}} .n{{font-weight:600;text-anchor:middle}}</style><text x="{}" y="26" style="font-size:18px;text-anchor:middle">{title}</text>"#,
        width / 2.0
    );
    for r in &map.regions {
        let fill = colour(r);
        if three {
            let points: Vec<String> = r
                .vertices
                .iter()
                .map(|v| {
                    let (x, y) = at(v);
                    format!("{x:.1},{y:.1}")
                })
                .collect();
            svg.push_str(&format!(
                r##"<polygon points="{}" fill="{fill}" stroke="#fff" stroke-width="2"/>"##,
                points.join(" ")
            ));
        } else {
            let xs: Vec<f64> = r.vertices.iter().map(|v| at(v).0).collect();
            let (x0, x1) = xs
                .iter()
                .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
            svg.push_str(&format!(
                r##"<rect x="{x0:.1}" y="{bar_y}" width="{:.1}" height="{bar_h}" fill="{fill}" stroke="#fff" stroke-width="2"/>"##,
                x1 - x0
            ));
        }
    }
    // Numbers on the regions large enough to hold one.
    for (i, r) in map.regions.iter().enumerate() {
        let (x, y) = at(&r.centre);
        if r.share >= 0.01 {
            svg.push_str(&format!(
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="12" fill="#fff" opacity="0.85"/><text class="n" x="{x:.1}" y="{:.1}">{}</text>"##,
                y + 5.0,
                i + 1
            ));
        }
    }
    // The corners' goals, or the bar's scale.
    if three {
        let offsets = [(0.0, -14.0), (-10.0, 24.0), (10.0, 24.0)];
        let anchors = ["middle", "middle", "middle"];
        for k in 0..3 {
            svg.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" style="text-anchor:{}">all on {}</text>"#,
                corners[k].0 + offsets[k].0,
                corners[k].1 + offsets[k].1,
                anchors[k],
                names[k]
            ));
        }
    } else {
        for t in 0..=4 {
            let w = f64::from(t) / 4.0;
            let x = bar_x + bar_w * w;
            svg.push_str(&format!(
                r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#5b6775"/><text x="{x:.1}" y="{}" style="text-anchor:middle">{w:.2}</text>"##,
                bar_y + bar_h,
                bar_y + bar_h + 6.0,
                bar_y + bar_h + 24.0
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{}" y="{}" style="text-anchor:middle">weight of {} ({} gets the rest)</text>"#,
            width / 2.0,
            bar_y + bar_h + 50.0,
            names[0],
            names[1]
        ));
    }
    // The scenario's own weighting.
    if let Some(own) = &map.scenario_weights {
        let (x, y) = at(&own.weights);
        svg.push_str(&format!(
        r##"<circle cx="{x:.1}" cy="{y:.1}" r="8" fill="none" stroke="#000" stroke-width="2.5"/><text x="{:.1}" y="{:.1}">the scenario's weighting</text>"##,
        x + 12.0,
        if three { y - 12.0 } else { bar_y - 10.0 }
    ));
    }
    // The key: each region's colour, number, share and mix.
    for (i, r) in map.regions.iter().enumerate() {
        let y = map_bottom + 20.0 + row * i as f64;
        svg.push_str(&format!(
            r#"<rect x="60" y="{:.1}" width="14" height="14" fill="{}"/><text x="84" y="{:.1}">{}: {} ({} of weightings)</text>"#,
            y - 12.0,
            colour(r),
            y,
            i + 1,
            escape(&r.plan.mix_parts().join(" + ")),
            crate::format::percent(r.share)
        ));
    }
    svg.push_str("</svg>");
    svg
}
