//! A Markdown report, for pasting into documents and tickets.

use super::{format_number as n, format_optional as opt, format_percent as pct};
use crate::plan::Plan;

fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i == 0 { "---" } else { "---:" })
        .collect();
    out.push_str(&format!("| {} |\n", align.join(" | ")));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The plan as a Markdown document.
pub fn render(plan: &Plan) -> String {
    let mut out = format!("# {}\n\n", plan.scenario);
    out.push_str(&format!("{}\n\n", super::table::headline(plan)));
    out.push_str(&format!(
        "Status **{}**, objective {:.6} ({}), solved by {} in {:.2} s.\n\n",
        plan.status, plan.objective, plan.objective_mode, plan.solver.name, plan.solver.seconds
    ));
    out.push_str("## Totals\n\n");
    let mut rows = vec![
        vec!["unique reach".into(), n(plan.totals.reach)],
        vec!["engagements".into(), n(plan.totals.engagements)],
        vec!["conversions".into(), n(plan.totals.conversions)],
        vec!["creators".into(), plan.totals.creators.to_string()],
        vec!["posts".into(), plan.totals.posts.to_string()],
        vec!["spend".into(), n(plan.spend)],
        vec!["CPM".into(), opt(plan.kpis.cpm)],
        vec!["cost per engagement".into(), opt(plan.kpis.cpe)],
        vec![
            "cost per conversion".into(),
            opt(plan.kpis.cost_per_conversion),
        ],
    ];
    if let Some(v) = plan.kpis.value {
        rows.push(vec!["value".into(), n(v)]);
        rows.push(vec![
            "return on spend".into(),
            opt(plan.kpis.return_on_spend),
        ]);
    }
    out.push_str(&table(&["total", "value"], &rows));
    out.push_str("\n## Tiers\n\n");
    let rows: Vec<Vec<String>> = plan
        .tiers
        .iter()
        .map(|t| {
            vec![
                t.tier.clone(),
                t.creators.to_string(),
                t.posts.to_string(),
                n(t.spend),
                pct(t.share),
            ]
        })
        .collect();
    out.push_str(&table(
        &["tier", "creators", "posts", "spend", "share"],
        &rows,
    ));
    if !plan.creators.is_empty() {
        out.push_str("\n## Creators\n\n");
        let rows: Vec<Vec<String>> = plan
            .creators
            .iter()
            .map(|c| {
                vec![
                    c.handle.clone(),
                    c.tier.clone(),
                    c.posts.to_string(),
                    n(c.spend),
                    n(c.reach),
                    n(c.engagements),
                    n(c.conversions),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                "handle",
                "tier",
                "posts",
                "spend",
                "reach",
                "engagements",
                "conversions",
            ],
            &rows,
        ));
    }
    if plan.pools.iter().any(|p| p.hired > 0) {
        out.push_str("\n## Pools\n\n");
        let rows: Vec<Vec<String>> = plan
            .pools
            .iter()
            .filter(|p| p.hired > 0)
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.tier.clone(),
                    format!("{}/{}", p.hired, p.available),
                    p.posts.to_string(),
                    n(p.spend),
                ]
            })
            .collect();
        out.push_str(&table(&["pool", "tier", "hired", "posts", "spend"], &rows));
    }
    out.push_str("\n## Why this mix\n\n");
    if plan.binding.is_empty() {
        out.push_str("No constraint is at its limit: the goal alone decides the mix.\n");
    }
    for b in &plan.binding {
        out.push_str(&format!("- **{}**: {}\n", b.constraint, b.detail));
    }
    out
}
