//! The summary `validate` prints: what creatormix understood of a scenario.

use super::text::grid;
use crate::format::number as n;
use crate::model::{GoalKind, Objective, Scenario};

/// A share to four decimals, without trailing zeros.
fn n4(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A readable summary of a validated scenario, with the defaults applied.
pub fn summary(s: &Scenario) -> String {
    let mut out = format!("{}: valid\n", s.path.display());
    out.push_str(&format!("  name          {}\n", s.name));
    for (i, p) in s.platforms.iter().enumerate() {
        let per = if p.market.engagement_per_view {
            "engagement per view"
        } else {
            "engagement per follower"
        };
        out.push_str(&format!(
            "  {:<14}{} market {} ({} tiers: {}; {per}){}\n",
            if i == 0 { "platform" } else { "" },
            p.name,
            p.market.name,
            p.market.tiers.len(),
            p.market.tier_names().join(", "),
            if i == 0 && s.platforms.len() > 1 {
                ", the default"
            } else {
                ""
            }
        ));
    }
    let cur = if s.currency.is_empty() {
        String::new()
    } else {
        format!(" {}", s.currency)
    };
    out.push_str(&format!("  budget        {}{cur}\n", n(s.budget)));
    out.push_str(&format!("  repeat decay  {}\n", s.repeat_decay));
    let goal = match &s.objective {
        Objective::Weights(w) => {
            let mut text = format!(
                "weights: awareness {}, engagement {}, conversions {}",
                w[0], w[1], w[2]
            );
            let sum: f64 = w.iter().sum();
            if (sum - 1.0).abs() > 1e-9 && sum > 0.0 {
                text.push_str(&format!(
                    " (they sum to {}: normalised to {}, {}, {})",
                    n(sum),
                    n4(w[0] / sum),
                    n4(w[1] / sum),
                    n4(w[2] / sum)
                ));
            }
            text
        }
        Objective::Values(v) => format!(
            "values: {} per thousand reach, {} per engagement, {} per conversion",
            v[0], v[1], v[2]
        ),
        Objective::Profit(v) => format!(
            "profit: value less spend, at {} per thousand reach, {} per engagement, {} per conversion",
            v[0], v[1], v[2]
        ),
        Objective::MinimiseSpend => {
            "minimize spend (target mode: the cheapest plan meeting every target)".into()
        }
    };
    out.push_str(&format!("  goal          {goal}\n"));
    let targets: Vec<String> = GoalKind::ALL
        .iter()
        .filter_map(|g| s.targets[g.index()].map(|t| format!("{} >= {}", g.key(), n(t))))
        .collect();
    if !targets.is_empty() {
        out.push_str(&format!("  targets       {}\n", targets.join(", ")));
    }
    let l = &s.limits;
    let mut limits = Vec::new();
    if let Some(k) = l.max_creators {
        limits.push(format!("max {k} creators"));
    }
    if let Some(k) = l.min_creators {
        limits.push(format!("min {k} creators"));
    }
    for share in &l.tier_share {
        let name = s.tier_name(share.tier);
        if let Some(m) = share.min {
            limits.push(format!("{name} share >= {m}"));
        }
        if let Some(m) = share.max {
            limits.push(format!("{name} share <= {m}"));
        }
    }
    for m in &l.niches {
        limits.push(format!(
            "{} creators with `{}`",
            m.min_creators, s.niches[m.niche]
        ));
    }
    if let Some(m) = l.min_credibility {
        limits.push(format!("credibility >= {m}"));
    }
    for share in &l.platform_share {
        let name = s.platform_name(share.platform);
        if let Some(m) = share.min {
            limits.push(format!("{name} share >= {m}"));
        }
        if let Some(m) = share.max {
            limits.push(format!("{name} share <= {m}"));
        }
    }
    for bound in &l.platforms {
        let name = s.platform_name(bound.platform);
        if let Some(m) = bound.min_creators {
            limits.push(format!("min {m} creators on {name}"));
        }
        if let Some(k) = bound.max_creators {
            limits.push(format!("max {k} creators on {name}"));
        }
    }
    if !limits.is_empty() {
        out.push_str(&format!("  limits        {}\n", limits.join(", ")));
    }
    out.push_str(&format!("  fee/creator   {}\n", n(l.fee_per_creator)));
    if !s.audiences.is_empty() {
        let groups: Vec<String> = s
            .audiences
            .iter()
            .map(|a| format!("{} ({})", a.id, n(a.size)))
            .collect();
        out.push_str(&format!("  audiences     {}\n", groups.join(", ")));
    }
    if let Some(r) = &s.roster {
        let delimiter = match r.delimiter {
            '\t' => "tab".to_string(),
            d => format!("`{d}`"),
        };
        out.push_str(&format!(
            "  roster        {}: {}, delimiter {delimiter}\n",
            r.path.display(),
            crate::format::count(r.rows as u64, "creator")
        ));
        let columns: Vec<String> = r
            .columns
            .iter()
            .map(|(field, header)| {
                if field == header {
                    field.clone()
                } else {
                    format!("{field} <- {header}")
                }
            })
            .collect();
        out.push_str(&format!("    columns     {}\n", columns.join(", ")));
        if !r.ignored.is_empty() {
            out.push_str(&format!("    ignored     {}\n", r.ignored.join(", ")));
        }
    }
    if !s.left_out.is_empty() {
        out.push_str(&format!(
            "  left out      {} (no plan hires them)\n",
            s.left_out.len()
        ));
        // The first few: a large export may leave out hundreds.
        const SHOWN: usize = 12;
        for l in s.left_out.iter().take(SHOWN) {
            out.push_str(&format!("    {}: {}\n", l.name, l.reason));
        }
        if s.left_out.len() > SHOWN {
            out.push_str(&format!("    ... and {} more\n", s.left_out.len() - SHOWN));
        }
    }

    out.push_str("\nOn offer by tier\n");
    let rows: Vec<Vec<String>> = (0..s.tiers.len())
        .map(|t| {
            let creators = s.creators.iter().filter(|c| c.tier == t).count();
            let required = s
                .creators
                .iter()
                .filter(|c| c.tier == t && c.require)
                .count();
            let excluded = s
                .creators
                .iter()
                .filter(|c| c.tier == t && c.exclude)
                .count();
            let pools: Vec<_> = s.pools.iter().filter(|p| p.tier == t).collect();
            let pool_supply: u32 = pools.iter().map(|p| p.available).sum();
            vec![
                s.tier_name(t).to_string(),
                creators.to_string(),
                required.to_string(),
                excluded.to_string(),
                pools.len().to_string(),
                pool_supply.to_string(),
            ]
        })
        .collect();
    out.push_str(&grid(
        &[
            "tier",
            "creators",
            "required",
            "excluded",
            "pools",
            "pool supply",
        ],
        &rows,
    ));
    if s.platforms.len() > 1 {
        out.push_str("\nOn offer by platform\n");
        // Platforms nobody is on (the default one, in an all-TikTok roster) are left out.
        let rows: Vec<Vec<String>> = (0..s.platforms.len())
            .filter(|&p| {
                s.creators.iter().any(|c| c.platform == p)
                    || s.pools.iter().any(|o| o.platform == p)
            })
            .map(|p| {
                let creators: Vec<_> = s.creators.iter().filter(|c| c.platform == p).collect();
                let pools: Vec<_> = s.pools.iter().filter(|o| o.platform == p).collect();
                vec![
                    s.platform_name(p).to_string(),
                    creators.len().to_string(),
                    pools.len().to_string(),
                    pools.iter().map(|o| o.available).sum::<u32>().to_string(),
                    if s.platforms[p].market.engagement_per_view {
                        "per view".into()
                    } else {
                        "per follower".into()
                    },
                ]
            })
            .collect();
        out.push_str(&grid(
            &["platform", "creators", "pools", "pool supply", "engagement"],
            &rows,
        ));
    }

    if !s.uncertainty.is_empty() || s.creators.iter().any(|c| c.audience.delivery < 1.0) {
        out.push_str("\nUncertain inputs (for simulate; solve uses the means)\n");
        let mut rows: Vec<Vec<String>> = Vec::new();
        if let Some(d) = &s.uncertainty.budget {
            rows.push(vec!["budget".into(), "1".into(), d.family.name().into()]);
        }
        let offers = s.uncertainty.creators.iter().chain(&s.uncertainty.pools);
        let mut counts: std::collections::BTreeMap<
            &str,
            (usize, std::collections::BTreeSet<&str>),
        > = Default::default();
        for u in offers {
            for (name, d) in u.fields() {
                if let Some(d) = d {
                    let entry = counts.entry(name).or_default();
                    entry.0 += 1;
                    entry.1.insert(d.family.name());
                }
            }
        }
        for (name, (count, families)) in counts {
            let families: Vec<&str> = families.into_iter().collect();
            rows.push(vec![name.into(), count.to_string(), families.join(", ")]);
        }
        let late = s
            .creators
            .iter()
            .filter(|c| c.audience.delivery < 1.0)
            .count()
            + s.pools.iter().filter(|p| p.audience.delivery < 1.0).count();
        if late > 0 {
            rows.push(vec![
                "delivery below 1".into(),
                late.to_string(),
                "bernoulli per post".into(),
            ]);
        }
        out.push_str(&grid(
            &["input", "creators and pools", "distributions"],
            &rows,
        ));
    }

    if !s.defaults_applied.is_empty() {
        out.push_str("\nDefaults applied\n");
        let rows: Vec<Vec<String>> = s
            .defaults_applied
            .iter()
            .map(|d| {
                let tier = match (&d.platform, &d.tier) {
                    (Some(p), Some(t)) if s.platforms.len() > 1 => format!("{p} {t}"),
                    (_, Some(t)) => t.clone(),
                    _ => "-".into(),
                };
                vec![
                    d.field.clone(),
                    tier,
                    d.value.to_string(),
                    d.count.to_string(),
                    d.source.clone(),
                ]
            })
            .collect();
        out.push_str(&grid(&["field", "tier", "value", "times", "source"], &rows));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn weights_that_do_not_sum_to_one_are_shown_normalised_and_tiers_match_any_case() {
        let text = "budget: 1000\n\
                    goal: { weights: { awareness: 50, engagement: 20, conversions: 30 } }\n\
                    limits: { tier_share: { MICRO: { max: 0.8 } } }\n\
                    creators:\n  - { handle: '@a', followers: 20000, price_per_post: 100, tier: Micro }\n";
        let s = crate::scenario::load_str(text, Path::new("s.yaml")).unwrap();
        let out = summary(&s);
        assert!(
            out.contains("(they sum to 100: normalised to 0.5, 0.2, 0.3)"),
            "{out}"
        );
        assert!(out.contains("micro share <= 0.8"), "{out}");
        assert_eq!(s.creators[0].tier, s.tier_index("micro").unwrap());
    }
}
