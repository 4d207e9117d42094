//! A Markdown report, for pasting into documents and tickets.

use crate::format::{number as n, optional as opt};
use crate::plan::Plan;

pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
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
    for (title, section) in super::sections(plan) {
        if !section.rows.is_empty() {
            out.push_str(&format!("\n## {title}\n\n"));
            out.push_str(&table(section.header, &section.rows));
        }
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
