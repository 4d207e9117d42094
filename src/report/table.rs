//! The terminal report: headline, totals and KPIs, tiers, hires, and why.

use crate::format::{number as n, optional as opt};
use crate::plan::Plan;

/// A plain-text table with aligned columns (first column left, others right).
pub(crate) fn grid(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            width[i] = width[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let pad = width[i] - cell.chars().count();
            if i == 0 {
                out.push_str(&format!(" {cell}{}", " ".repeat(pad)));
            } else {
                out.push_str(&format!("  {}{cell}", " ".repeat(pad)));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(rule.iter().map(String::as_str).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// One sentence saying what the plan does.
pub fn headline(plan: &Plan) -> String {
    let cur = if plan.currency.is_empty() {
        String::new()
    } else {
        format!(" {}", plan.currency)
    };
    let mix: Vec<String> = plan
        .tiers
        .iter()
        .filter(|t| t.creators > 0)
        .map(|t| format!("{} {}", t.creators, t.tier))
        .collect();
    let mix = if mix.is_empty() {
        "no creators".to_string()
    } else {
        format!(
            "{} creator{}",
            mix.join(" + "),
            if plan.totals.creators == 1 { "" } else { "s" }
        )
    };
    format!(
        "Spend {} of {}{cur} on {mix} ({} post{}): {} unique reach, {} engagements, {} expected conversions.",
        n(plan.spend),
        n(plan.budget),
        plan.totals.posts,
        if plan.totals.posts == 1 { "" } else { "s" },
        n(plan.totals.reach),
        n(plan.totals.engagements),
        n(plan.totals.conversions),
    )
}

/// The full terminal report.
pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", plan.scenario));
    let gap = match plan.solver.gap {
        Some(g) if g > 0.0 => format!(", gap {g:.2e}"),
        Some(_) => String::new(),
        None => ", gap unknown (no bound proven within the time limit)".to_string(),
    };
    out.push_str(&format!(
        "status {} | objective {:.6} ({}) | {} {:.3} s{gap}\n\n",
        plan.status, plan.objective, plan.objective_mode, plan.solver.name, plan.solver.seconds
    ));
    out.push_str(&headline(plan));
    out.push_str("\n\n");

    let mut kpi_rows = vec![
        vec![
            "unique reach".into(),
            n(plan.totals.reach),
            "CPM".into(),
            opt(plan.kpis.cpm),
        ],
        vec![
            "engagements".into(),
            n(plan.totals.engagements),
            "cost per engagement".into(),
            opt(plan.kpis.cpe),
        ],
        vec![
            "conversions".into(),
            n(plan.totals.conversions),
            "cost per conversion".into(),
            opt(plan.kpis.cost_per_conversion),
        ],
    ];
    if let (Some(v), r) = (plan.kpis.value, plan.kpis.return_on_spend) {
        kpi_rows.push(vec!["value".into(), n(v), "return on spend".into(), opt(r)]);
    }
    out.push_str(&grid(&["total", "", "kpi", ""], &kpi_rows));

    let goals = super::goal_section(plan);
    if !goals.rows.is_empty() {
        out.push_str("\nGoals (each scored against its own best plan)\n");
        out.push_str(&grid(goals.header, &goals.rows));
    }

    for (title, section) in super::sections(plan) {
        if !section.rows.is_empty() {
            out.push_str(&format!("\n{title}\n"));
            out.push_str(&grid(section.header, &section.rows));
        }
    }
    out.push_str("\nWhy this mix\n");
    if plan.binding.is_empty() {
        out.push_str("  no constraint is at its limit: the goal alone decides the mix\n");
    }
    for b in &plan.binding {
        out.push_str(&format!("  - {}: {}\n", b.constraint, b.detail));
    }
    out
}
