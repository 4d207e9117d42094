//! A self-contained HTML report of a plan, for people who would rather look
//! at a chart than read a table: the recommendation in one sentence, KPI
//! cards, spend by tier, the hires, the binding constraints in words, and
//! where the command has them, the Monte Carlo charts, the budget response
//! curve or the Pareto frontier.
//!
//! One file, nothing fetched: styles are inline, charts are inline SVG, and
//! the page carries no script at all. Its Content-Security-Policy forbids
//! scripts and every outside resource, so a report passed between agencies
//! cannot run code or call home, whatever the scenario's names contain (they
//! are escaped besides). Every headline number carries its exact value in a
//! `data-value` attribute next to a `data-key` named after its JSON key, so a
//! test can check the page against `--format json`.

use super::explore::{Document, Table, frontier_document, sweep_document};
use super::plots::{self, Chart};
use super::simulation::{TARGET_HEADER, metric_rows, summary_header, target_rows};
use crate::error::Error;
use crate::explore::frontier::Frontier;
use crate::explore::sweep::{Sweep, SweepKind};
use crate::format::{number as n, optional as format_optional, percent as format_percent};
use crate::plan::Plan;
use crate::solve::SolveStatus;
use crate::uncertainty::sample::SampleRow;
use crate::uncertainty::shard::Mode;
use crate::uncertainty::summary::Report;

/// What a command adds to the plan's report.
pub enum Extra<'a> {
    /// `solve`: the plan alone.
    None,
    /// `simulate` and `merge`: the summary and the samples (for the charts).
    Simulation(&'a Report, &'a [SampleRow]),
    /// `sweep`.
    Sweep(&'a Sweep),
    /// `frontier`.
    Frontier(&'a Frontier),
}

const STYLE: &str = r#"
:root { --ink: #1d2733; --muted: #5b6775; --line: #d9dee4; --accent: #3b6ea8; --card: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
.headline { font-size: 20px; line-height: 1.4; margin: 12px 0 8px; font-weight: 600; }
.meta, .note { color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin: 20px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
th { background: var(--card); font-weight: 600; }
tr { break-inside: avoid; }
ul.binding li { margin: 4px 0; }
figure { margin: 12px 0 20px; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  .cards { grid-template-columns: repeat(4, 1fr); }
}
"#;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number as JSON writes it, for `data-value`.
fn exact(value: f64) -> String {
    serde_json::to_string(&value).unwrap_or_else(|_| "null".into())
}

/// One KPI card. `key` is the JSON key of the value (dotted for nested keys).
fn card(label: &str, key: &str, value: Option<f64>, shown: String, sub: &str) -> String {
    let data = match value {
        Some(v) => format!(r#" data-key="{key}" data-value="{}""#, exact(v)),
        None => String::new(),
    };
    let sub = if sub.is_empty() {
        String::new()
    } else {
        format!(r#"<div class="sub">{}</div>"#, escape(sub))
    };
    format!(
        r#"<div class="card"><div class="label">{}</div><div class="value"{data}>{}</div>{sub}</div>"#,
        escape(label),
        escape(&shown)
    )
}

/// Column names as owned strings, for [`html_table`].
fn strings(header: &[&str]) -> Vec<String> {
    header.iter().map(|h| h.to_string()).collect()
}

fn html_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in header {
        out.push_str(&format!("<th>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<td>{}</td>", escape(cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
    out
}

fn figure(svg: &str, caption: &str) -> String {
    // plotters writes a bare <svg> element; an XML declaration, if any, has no place in HTML.
    let svg = match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => svg,
    };
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>\n",
        escape(caption)
    )
}

/// Spend by tier as horizontal bars against the budget, with what is left unspent.
fn tier_chart(plan: &Plan) -> String {
    let (width, label_w, row_h, value_w) = (760.0, 110.0, 34.0, 190.0);
    let bar_w = width - label_w - value_w;
    let mut rows: Vec<(String, f64, bool)> = plan
        .tiers
        .iter()
        .map(|t| (t.tier.clone(), t.spend, true))
        .collect();
    rows.push(("unspent".into(), (plan.budget - plan.spend).max(0.0), false));
    let height = row_h * rows.len() as f64 + 28.0;
    let scale = if plan.budget > 0.0 {
        bar_w / plan.budget
    } else {
        0.0
    };
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Spend by tier"><style>text{{font:13px system-ui,sans-serif;fill:#1d2733}}</style>"#
    );
    for (i, (name, spend, tier)) in rows.iter().enumerate() {
        let y = 8.0 + row_h * i as f64;
        let w = (spend * scale).clamp(0.0, bar_w);
        let colour = if *tier { "#3b6ea8" } else { "#c9d1da" };
        let share = if plan.budget > 0.0 {
            format_percent(spend / plan.budget)
        } else {
            "-".into()
        };
        svg.push_str(&format!(
            r##"<text x="0" y="{ty}">{label}</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="{bh}" fill="#eef1f5"/><rect x="{label_w}" y="{y}" width="{w:.2}" height="{bh}" fill="{colour}"/><text x="{vx}" y="{ty}">{value} ({share} of budget)</text>"##,
            ty = y + 17.0,
            label = escape(name),
            bh = row_h - 10.0,
            vx = label_w + bar_w + 10.0,
            value = n(*spend),
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn head(title: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="creatormix {version}">
<title>{title} — creatormix</title>
<style>{STYLE}</style>
</head>
<body>
<main>
"#,
        version = env!("CARGO_PKG_VERSION"),
        title = escape(title)
    )
}

fn plan_sections(plan: &Plan) -> String {
    let cur = if plan.currency.is_empty() {
        String::new()
    } else {
        format!(" {}", plan.currency)
    };
    let mut out = format!("<h1>{}</h1>\n", escape(&plan.scenario));
    out.push_str(&format!(
        "<p class=\"headline\" id=\"headline\">{}</p>\n",
        escape(&super::table::headline(plan))
    ));
    let gap = match plan.solver.gap {
        Some(g) if g > 0.0 => format!(", gap {g:.2e}"),
        Some(_) => String::new(),
        None => ", gap unknown".into(),
    };
    out.push_str(&format!(
        "<p class=\"meta\">Status <strong data-key=\"status\" data-value=\"{status}\">{status}</strong>{gap} · objective <span data-key=\"objective\" data-value=\"{obj}\">{obj_shown:.6}</span> ({mode}) · solved by {solver}</p>\n",
        status = escape(plan.status.as_str()),
        obj = exact(plan.objective),
        obj_shown = plan.objective,
        mode = escape(plan.objective_mode.as_str()),
        solver = escape(plan.solver.name),
    ));
    let k = &plan.kpis;
    let t = &plan.totals;
    let mut cards = vec![
        card(
            "Spend",
            "spend",
            Some(plan.spend),
            n(plan.spend),
            &format!("of {}{cur} budget", n(plan.budget)),
        ),
        card(
            "Unique reach",
            "totals.reach",
            Some(t.reach),
            n(t.reach),
            "",
        ),
        card(
            "Engagements",
            "totals.engagements",
            Some(t.engagements),
            n(t.engagements),
            "",
        ),
        card(
            "Expected conversions",
            "totals.conversions",
            Some(t.conversions),
            n(t.conversions),
            "",
        ),
        card(
            "Creators",
            "totals.creators",
            Some(f64::from(t.creators)),
            t.creators.to_string(),
            &format!("{} posts", t.posts),
        ),
        card(
            "CPM",
            "kpis.cpm",
            k.cpm,
            format_optional(k.cpm),
            "per thousand reached",
        ),
        card(
            "Cost per engagement",
            "kpis.cpe",
            k.cpe,
            format_optional(k.cpe),
            "",
        ),
        card(
            "Cost per conversion",
            "kpis.cost_per_conversion",
            k.cost_per_conversion,
            format_optional(k.cost_per_conversion),
            "",
        ),
    ];
    if let Some(v) = k.value {
        cards.push(card(
            "Value",
            "kpis.value",
            Some(v),
            n(v),
            "of the outcomes",
        ));
        cards.push(card(
            "Return on spend",
            "kpis.return_on_spend",
            k.return_on_spend,
            format_optional(k.return_on_spend),
            "",
        ));
    }
    out.push_str(&format!(
        "<section class=\"cards\">\n{}\n</section>\n",
        cards.join("\n")
    ));
    out.push_str("<section>\n<h2>Spend by tier</h2>\n");
    out.push_str(&figure(
        &tier_chart(plan),
        "Spend per tier against the budget; the grey bar is what is left unspent.",
    ));
    out.push_str("</section>\n");
    let goals = super::goal_section(plan);
    if !goals.rows.is_empty() {
        out.push_str("<section>\n<h2>Goals</h2>\n<p class=\"note\">Each goal is scored against its own best plan (G*).</p>\n");
        out.push_str(&html_table(&strings(goals.header), &goals.rows));
        out.push_str("</section>\n");
    }
    for (title, section) in super::sections(plan) {
        if section.rows.is_empty() || title == "Tiers" {
            continue;
        }
        let title = if title == "Creators" {
            "Hired creators"
        } else {
            title
        };
        out.push_str(&format!("<section>\n<h2>{}</h2>\n", escape(title)));
        out.push_str(&html_table(&strings(section.header), &section.rows));
        out.push_str("</section>\n");
    }
    out.push_str("<section>\n<h2>Why this mix</h2>\n");
    if plan.binding.is_empty() {
        out.push_str("<p>No constraint is at its limit: the goal alone decides the mix.</p>\n");
    } else {
        out.push_str("<p class=\"note\">The limits the plan runs into; loosening one of them could improve it.</p>\n<ul class=\"binding\">\n");
        for b in &plan.binding {
            out.push_str(&format!(
                "<li><strong>{}</strong>: {}</li>\n",
                escape(&b.constraint),
                escape(&b.detail)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out
}

fn document_section(heading: &str, doc: &Document, charts: &[Chart]) -> String {
    let mut out = format!("<section>\n<h2>{}</h2>\n", escape(heading));
    for line in &doc.intro {
        out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(line)));
    }
    for (name, svg) in charts {
        out.push_str(&figure(svg, &chart_caption(name)));
    }
    for Table {
        title,
        header,
        rows,
    } in &doc.tables
    {
        if let Some(title) = title {
            out.push_str(&format!("<h3>{}</h3>\n", escape(title)));
        }
        out.push_str(&html_table(header, rows));
    }
    for (title, lines) in &doc.notes {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("<h3>{}</h3>\n<ul>\n", escape(title)));
        for line in lines {
            out.push_str(&format!("<li>{}</li>\n", escape(line)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out
}

fn chart_caption(name: &str) -> String {
    match name {
        "objective.svg" => "The objective over the samples; the red line is the nominal plan.",
        "selection.svg" => "How often each creator or pool is in a sample's own optimum.",
        "tier-share.svg" => "Tier shares of spend across the samples' optima (P5 to P95).",
        "tornado.svg" => "The swing of the optimum as each parameter group moves from P10 to P90.",
        "response.svg" => "The optimal objective against the budget; tier entries are marked.",
        "tier-shares.svg" => "Tier shares of spend at each point of the sweep.",
        "frontier.svg" => {
            "The Pareto frontier: no plan does better on one goal without doing worse on another."
        }
        _ => "",
    }
    .to_string()
}

fn simulation_section(r: &Report, rows: &[SampleRow]) -> Result<String, Error> {
    let mut out = String::from("<section>\n<h2>How robust is the plan?</h2>\n");
    out.push_str(&format!(
        "<p class=\"note\">{} samples, seed {}: {}.</p>\n",
        r.samples,
        r.seed,
        match r.mode {
            Mode::Evaluate =>
                "the plan above held fixed, on sampled rates and prices, each post delivered or not",
            Mode::Reoptimize => "each sample's own optimum",
        }
    ));
    out.push_str(&html_table(&strings(&summary_header("")), &metric_rows(r)));
    if let Some(objective) = r.metrics.get("objective") {
        out.push_str(&format!(
            "<p>In the worst 5% of samples the objective averages <span data-key=\"metrics.objective.cvar5\" data-value=\"{}\">{:.4}</span>, against <span data-key=\"metrics.objective.mean\" data-value=\"{}\">{:.4}</span> on average.</p>\n",
            exact(objective.cvar5),
            objective.cvar5,
            exact(objective.mean),
            objective.mean
        ));
    }
    if !r.targets.is_empty() {
        out.push_str("<h3>Targets</h3>\n");
        out.push_str(&html_table(&strings(&TARGET_HEADER), &target_rows(r)));
    }
    if r.mode == Mode::Evaluate {
        out.push_str(&format!(
            "<p>Spend is above the sampled budget in {:.1}% of samples.</p>\n",
            100.0 * r.over_budget
        ));
    }
    for (name, svg) in plots::simulation_charts(r, rows)? {
        out.push_str(&figure(&svg, &chart_caption(&name)));
    }
    if let Some(re) = &r.reoptimize {
        let rows: Vec<Vec<String>> = re
            .selection
            .iter()
            .take(30)
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.kind.as_str().to_string(),
                    s.tier.clone(),
                    format_percent(s.frequency),
                    format_percent(s.frequency_se),
                ]
            })
            .collect();
        out.push_str("<h3>Selection frequencies</h3>\n");
        out.push_str(&html_table(
            &strings(&["name", "kind", "tier", "in sample optima", "± se"]),
            &rows,
        ));
    }
    out.push_str("</section>\n");
    Ok(out)
}

/// The whole report: the plan, then what the command adds.
pub fn render(plan: &Plan, extra: Extra) -> Result<String, Error> {
    let mut out = head(&plan.scenario);
    out.push_str(&plan_sections(plan));
    match extra {
        Extra::None => {}
        Extra::Simulation(report, rows) => out.push_str(&simulation_section(report, rows)?),
        Extra::Sweep(sweep) => {
            let heading = if sweep.kind == SweepKind::Budget {
                "How the plan responds to the budget"
            } else {
                "How the plan responds to the goal weights"
            };
            out.push_str(&document_section(
                heading,
                &sweep_document(sweep),
                &plots::sweep_charts(sweep)?,
            ));
        }
        Extra::Frontier(f) => {
            let chart = ("frontier.svg".to_string(), plots::frontier_chart(f)?);
            out.push_str(&document_section(
                "The Pareto frontier",
                &frontier_document(f),
                &[chart],
            ));
        }
    }
    let proof = if plan.status == SolveStatus::Optimal {
        format!(
            "the plan is the proven optimum of the scenario's model (relative MIP gap {})",
            plan.solver.mip_gap
        )
    } else {
        "the plan is the best found within the time limit, not a proven optimum".to_string()
    };
    out.push_str(&format!(
        "<footer>creatormix {} · {proof}; figures are expected values under the scenario's rates.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_inject_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
