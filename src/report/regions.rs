//! The map of goal weightings as a document: one row per region (its
//! weightings, its plan's goals and mix, its share of the simplex), and its
//! raw figures, corners included, for CSV.

use super::document::{Content, Document, Formats, Style, Table, paragraph};
use super::explore::{mix_of, spend_header};
use crate::explore::regions::{Regions, weights_text};
use crate::format::{count, number as n, percent};

/// Where a region lies: with two goals the interval of the first goal's
/// weight, with three the weights at its centre.
fn place(map: &Regions, r: &crate::explore::regions::Region) -> String {
    if map.goals.len() == 2 {
        let (lo, hi) = r
            .vertices
            .iter()
            .map(|v| v[0])
            .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
        format!("{} {lo:.4} to {hi:.4}", map.goals[0])
    } else {
        format!("around {}", weights_text(&map.goals, &r.centre))
    }
}

/// The map as a document.
pub fn document(map: &Regions) -> Document {
    let mut doc = Document::new(map.scenario.clone());
    let names: Vec<&str> = map.goals.iter().map(|g| g.key()).collect();
    let intro = vec![
        format!(
            "Weightings of {}: {} from {} in {:.2} s ({}), each goal scaled by its best (G*): {}.",
            names.join(", "),
            count(map.regions.len() as u64, "region"),
            count(map.solves as u64, "exact solve"),
            map.seconds,
            map.solver,
            map.goals
                .iter()
                .zip(&map.best)
                .map(|(g, b)| format!("{g} {}", n(*b)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "Each region's plan is optimal at every weighting inside it; on a border both neighbours are.".to_string(),
    ];
    doc.add(Formats::READ, paragraph(intro, Style::Note));
    let mut header: Vec<String> = vec!["#".into(), "weightings".into(), "share".into()];
    header.extend(map.goals.iter().map(|g| g.to_string()));
    header.extend(map.goals.iter().map(|g| format!("% of best {g}")));
    header.push(spend_header(&map.currency));
    header.push("mix".into());
    let rows: Vec<Vec<String>> = map
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![(i + 1).to_string(), place(map, r), percent(r.share)];
            row.extend(r.values.iter().map(|v| n(*v)));
            row.extend(r.attainment.iter().map(|a| percent(*a)));
            row.push(n(r.plan.spend));
            row.push(mix_of(&r.plan));
            row
        })
        .collect();
    doc.add(
        Formats::READ,
        Content::Table(Table::untitled(header, rows).keyed(1)),
    );
    doc.add(
        Formats::READ,
        super::document::list("The scenario's own weighting", vec![placement(map)]),
    );
    doc.add(Formats::CSV, Content::Table(csv(map)));
    doc
}

/// The HTML report's section on the map, with its chart.
pub fn html_section(map: &Regions) -> Content {
    let chart = ("regions.svg".to_string(), super::plots::regions_chart(map));
    super::explore::with_charts("The map of goal weightings", document(map), vec![chart])
}

/// Where the scenario's weighting lies, and how far it is from a border.
fn placement(map: &Regions) -> String {
    let Some(p) = &map.scenario_weights else {
        return "the scenario states its goal in money or as targets, not as weights: it has no place on this map".into();
    };
    let mut text = format!(
        "{} lies in region {}",
        weights_text(&map.goals, &p.weights),
        p.region
    );
    if let Some(w) = p.unmapped_weight {
        text.push_str(&format!(
            " (the scenario gives {} of its weight to goals left off this map)",
            percent(w)
        ));
    }
    match &p.margin {
        Some(m) => text.push_str(&format!(
            ": its plan stays optimal until {:.4} of weight moves from {} to {}, where region {} ({}) takes over",
            m.shift,
            m.from,
            m.to,
            m.region.unwrap_or_default(),
            m.mix
        )),
        None => text.push_str(": one plan is optimal at every weighting"),
    }
    text
}

/// One row per region corner: the region, the corner's weights, the
/// region's share, goals and spend.
fn csv(map: &Regions) -> Table {
    let mut header: Vec<String> = vec!["region".into(), "corner".into()];
    header.extend(map.goals.iter().map(|g| format!("weight_{g}")));
    header.push("share".into());
    header.extend(map.goals.iter().map(|g| g.to_string()));
    header.push("spend".into());
    header.push("mix".into());
    let mut rows = Vec::new();
    for (i, r) in map.regions.iter().enumerate() {
        for (k, v) in r.vertices.iter().enumerate() {
            let mut row = vec![(i + 1).to_string(), (k + 1).to_string()];
            row.extend(v.iter().map(f64::to_string));
            row.push(r.share.to_string());
            row.extend(r.values.iter().map(f64::to_string));
            row.push(r.plan.spend.to_string());
            row.push(mix_of(&r.plan));
            rows.push(row);
        }
    }
    Table::untitled(header, rows)
}
