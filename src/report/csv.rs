//! CSV output: one row per hired creator and per pool with hires.

use crate::plan::Plan;

/// The plan's hires as CSV with a header row.
pub fn render(plan: &Plan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "kind",
        "name",
        "tier",
        "hired",
        "posts",
        "spend",
        "reach",
        "engagements",
        "conversions",
    ];
    w.write_record(header).expect("writing to memory");
    for c in &plan.creators {
        w.write_record([
            "creator".to_string(),
            c.handle.clone(),
            c.tier.clone(),
            "1".into(),
            c.posts.to_string(),
            c.spend.to_string(),
            c.reach.to_string(),
            c.engagements.to_string(),
            c.conversions.to_string(),
        ])
        .expect("writing to memory");
    }
    for p in plan.pools.iter().filter(|p| p.hired > 0) {
        w.write_record([
            "pool".to_string(),
            p.name.clone(),
            p.tier.clone(),
            p.hired.to_string(),
            p.posts.to_string(),
            p.spend.to_string(),
            p.reach.to_string(),
            p.engagements.to_string(),
            p.conversions.to_string(),
        ])
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}
