//! A plan as a document: the recommendation in a sentence, its status,
//! totals and KPIs, goal attainment, spend by tier and by platform, the
//! hires, what raising
//! each target costs, and the constraints that shaped it.

use super::document::{
    Card, Content, Document, Figure, Formats, List, Style, Text, paragraph, table,
};
use super::html::exact;
use crate::format::{number as n, optional, percent};
use crate::plan::Plan;
use crate::solve::SolveStatus;

/// One sentence saying what the plan does.
pub fn headline(plan: &Plan) -> String {
    let cur = currency(&plan.currency);
    let mix = plan.mix_parts();
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

/// ` USD` after an amount, or nothing without a currency.
fn currency(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(" {code}")
    }
}

/// The plan as a document.
pub fn document(plan: &Plan) -> Document {
    let mut doc = Document::new(plan.scenario.clone());
    let text_md = Formats::TEXT | Formats::MARKDOWN;
    let gap = |unknown: &str| match plan.solver.gap {
        Some(g) if g > 0.0 => format!(", gap {g:.2e}"),
        Some(_) => String::new(),
        None => format!(", gap unknown{unknown}"),
    };
    let status = format!(
        "status {} | objective {:.6} ({}) | {} {:.3} s{}",
        plan.status,
        plan.objective,
        plan.objective_mode,
        plan.solver.name,
        plan.solver.seconds,
        gap(&format!(
            " (no bound proven within the {})",
            plan.status.limit()
        ))
    );
    doc.add(
        Formats::TEXT,
        paragraph([status, String::new(), headline(plan)], Style::Plain),
    );
    doc.add(
        Formats::MARKDOWN | Formats::HTML,
        paragraph([headline(plan)], Style::Lead),
    );
    doc.add(
        Formats::MARKDOWN,
        Content::Paragraph {
            lines: vec![
                Text::plain("Status ")
                    .strong(plan.status.as_str())
                    .and(format!(
                        ", objective {:.6} ({}), solved by {} in {:.2} s.",
                        plan.objective, plan.objective_mode, plan.solver.name, plan.solver.seconds
                    )),
            ],
            style: Style::Plain,
        },
    );
    doc.add(
        Formats::HTML,
        Content::Paragraph {
            lines: vec![
                Text::plain("Status ")
                    .figure(
                        plan.status.as_str(),
                        "status",
                        plan.status.to_string(),
                        true,
                    )
                    .and(format!("{} · objective ", gap("")))
                    .figure(
                        format!("{:.6}", plan.objective),
                        "objective",
                        exact(plan.objective),
                        false,
                    )
                    .and(format!(
                        " ({}) · solved by {}",
                        plan.objective_mode, plan.solver.name
                    )),
            ],
            style: Style::Meta,
        },
    );
    if !plan.warnings.is_empty() {
        doc.add(
            Formats::READ,
            paragraph(
                plan.warnings.iter().map(|w| format!("Warning: {w}.")),
                Style::Warning,
            ),
        );
    }
    doc.add(Formats::TEXT, kpi_grid(plan));
    doc.add(Formats::MARKDOWN, totals_table(plan));
    doc.add(Formats::HTML, Content::Cards(cards(plan)));
    doc.add(
        Formats::HTML,
        Content::Section {
            heading: "Spend by tier".into(),
            blocks: vec![super::document::Block {
                shown_in: Formats::HTML,
                content: Content::Figure(Figure {
                    svg: super::plots::tier_spend(plan),
                    caption:
                        "Spend per tier against the budget, with each tier's share of spend; the grey bar is what is left unspent."
                            .into(),
                }),
            }],
        },
    );
    if plan.platforms.len() > 1 {
        doc.add(
            Formats::HTML,
            Content::Section {
                heading: "Spend by platform".into(),
                blocks: vec![super::document::Block {
                    shown_in: Formats::HTML,
                    content: Content::Figure(Figure {
                        svg: super::plots::platform_spend(plan),
                        caption: "Spend per platform against the budget, with each platform's share of spend.".into(),
                    }),
                }],
            },
        );
    }
    let goals = goal_rows(plan);
    if !goals.is_empty() {
        let header = ["goal", "weight", "plan", "best", "attained"];
        doc.add(
            Formats::TEXT,
            table(
                Some("Goals (each scored against its own best plan)".into()),
                &header,
                goals.clone(),
            ),
        );
        let mut section = Document::default();
        section.add(
            Formats::HTML,
            paragraph(
                ["Each goal is scored against its own best plan (G*).".to_string()],
                Style::Note,
            ),
        );
        section.add(Formats::HTML, table(None, &header, goals));
        doc.add(
            Formats::HTML,
            Content::Section {
                heading: "Goals".into(),
                blocks: section.blocks,
            },
        );
    }
    let met = met_rows(plan);
    if !met.is_empty() {
        doc.add(
            Formats::READ,
            table(
                Some("Targets".into()),
                &["goal", "target", "plan", "met"],
                met,
            ),
        );
    }
    let creators = creator_rows(plan);
    // Platform columns and the platform table where there is more than one.
    let several = plan.platforms.len() > 1;
    let with_platform = |header: &[&'static str]| -> Vec<&'static str> {
        let mut h = header.to_vec();
        if several {
            h.insert(2, "platform");
        }
        h
    };
    let creator_header = with_platform(&CREATOR_HEADER);
    let pool_header = with_platform(&POOL_HEADER);
    let platform_rows = if several {
        platform_rows(plan)
    } else {
        Vec::new()
    };
    for (title, shown_in, header, rows) in [
        ("Tiers", text_md, &TIER_HEADER[..], tier_rows(plan)),
        ("Platforms", text_md, &PLATFORM_HEADER[..], platform_rows),
        ("Creators", text_md, &creator_header[..], creators.clone()),
        (
            "Hired creators",
            Formats::HTML,
            &creator_header[..],
            creators,
        ),
        ("Pools", Formats::READ, &pool_header[..], pool_rows(plan)),
        (
            "Targets (what raising each one costs)",
            Formats::READ,
            &TARGET_HEADER[..],
            target_rows(plan),
        ),
    ] {
        if !rows.is_empty() {
            let header = money_header(plan, header);
            doc.add(shown_in, table(Some(title.into()), &header, rows));
        }
    }
    let why: Vec<Text> = plan
        .binding
        .iter()
        .map(|b| {
            Text::default()
                .strong(&b.constraint)
                .and(format!(": {}", b.detail))
        })
        .collect();
    doc.add(
        Formats::TEXT,
        Content::List(List {
            title: "Why this mix".into(),
            items: why.clone(),
            empty: Some(Text::plain(
                "no constraint is at its limit: the goal alone decides the mix",
            )),
            note: None,
            class: None,
        }),
    );
    doc.add(
        Formats::MARKDOWN | Formats::HTML,
        Content::List(List {
            title: "Why this mix".into(),
            items: why,
            empty: Some(Text::plain(
                "No constraint is at its limit: the goal alone decides the mix.",
            )),
            note: Some(
                "The limits the plan runs into; loosening one of them could improve it.".into(),
            ),
            class: Some("binding"),
        }),
    );
    let alternatives = alternative_rows(plan);
    if !alternatives.is_empty() {
        let note = match plan.objective_mode {
            crate::model::ObjectiveMode::MinimizeSpend => {
                "each the cheapest plan under one more condition; \"vs this plan\" is the extra spend"
            }
            _ => {
                "each the best plan under one more condition, on the same objective; \"vs this plan\" is what it gives up"
            }
        };
        let header = money_header(plan, &ALTERNATIVE_HEADER);
        doc.add(
            Formats::TEXT | Formats::MARKDOWN,
            table(
                Some(format!("What the alternatives give ({note})")),
                &header,
                alternatives.clone(),
            ),
        );
        let mut section = Document::default();
        section.add(
            Formats::HTML,
            paragraph([format!("{}.", capitalised(note))], Style::Note),
        );
        section.add(Formats::HTML, table(None, &header, alternatives));
        doc.add(
            Formats::HTML,
            Content::Section {
                heading: "What the alternatives give".into(),
                blocks: section.blocks,
            },
        );
    }
    if let Some(m) = &plan.weight_margin {
        // The plan beyond may hire the same numbers per tier, other creators.
        let next = if m.mix == plan.mix_parts().join(" + ") {
            format!("another plan of the same mix ({}, other creators)", m.mix)
        } else {
            m.mix.clone()
        };
        doc.add(
            Formats::READ,
            super::document::list(
                "How far the weighting may move",
                vec![format!(
                    "the plan stays optimal until {:.4} of weight (of weights summing to 1) moves from {} to {}; beyond that, {} is",
                    m.shift, m.from, m.to, next
                )],
            ),
        );
    }
    doc.add(Formats::CSV, csv_table(plan));
    let proof = if plan.status == SolveStatus::Optimal {
        format!(
            "the plan is the proven optimum of the scenario's model (relative MIP gap {})",
            plan.solver.mip_gap
        )
    } else {
        format!(
            "the plan is the best found within the {}, not a proven optimum",
            plan.status.limit()
        )
    };
    doc.footer = Some(format!(
        "creatormix {} · {proof}; figures are expected values under the scenario's rates.",
        env!("CARGO_PKG_VERSION"),
    ));
    doc
}

/// Totals beside the cost ratios, for the terminal.
fn kpi_grid(plan: &Plan) -> Content {
    let t = &plan.totals;
    let k = &plan.kpis;
    let mut rows = vec![
        vec![
            "unique reach".into(),
            n(t.reach),
            "CPM".into(),
            optional(k.cpm),
        ],
        vec![
            "engagements".into(),
            n(t.engagements),
            "cost per engagement".into(),
            optional(k.cpe),
        ],
        vec![
            "conversions".into(),
            n(t.conversions),
            "cost per conversion".into(),
            optional(k.cost_per_conversion),
        ],
    ];
    if let Some(v) = k.value {
        rows.push(vec![
            "value".into(),
            n(v),
            "return on spend".into(),
            optional(k.return_on_spend),
        ]);
    }
    table(None, &["total", "", "kpi", ""], rows)
}

/// Totals and cost ratios as one list of figures, for Markdown.
fn totals_table(plan: &Plan) -> Content {
    let t = &plan.totals;
    let k = &plan.kpis;
    let mut rows = vec![
        vec!["unique reach".into(), n(t.reach)],
        vec!["engagements".into(), n(t.engagements)],
        vec!["conversions".into(), n(t.conversions)],
        vec!["creators".into(), t.creators.to_string()],
        vec!["posts".into(), t.posts.to_string()],
        vec!["spend".into(), n(plan.spend)],
        vec!["CPM".into(), optional(k.cpm)],
        vec!["cost per engagement".into(), optional(k.cpe)],
        vec![
            "cost per conversion".into(),
            optional(k.cost_per_conversion),
        ],
    ];
    if let Some(v) = k.value {
        rows.push(vec!["value".into(), n(v)]);
        rows.push(vec!["return on spend".into(), optional(k.return_on_spend)]);
    }
    table(Some("Totals".into()), &["total", "value"], rows)
}

/// The headline figures as cards, each with its JSON key; money figures
/// carry the currency.
fn cards(plan: &Plan) -> Vec<Card> {
    let k = &plan.kpis;
    let t = &plan.totals;
    let cur = currency(&plan.currency);
    // A money card names its currency in its label, where the figure
    // keeps its width.
    let card = |label: &str, key: &str, value: Option<f64>, shown: String, sub: String| {
        let money_key = matches!(
            key,
            "spend" | "kpis.cpm" | "kpis.cpe" | "kpis.cost_per_conversion" | "kpis.value"
        ) || (key == "objective" && label == "Profit");
        Card {
            label: if money_key && !plan.currency.is_empty() {
                format!("{label} ({})", plan.currency)
            } else {
                label.into()
            },
            key: key.into(),
            value,
            shown,
            sub,
        }
    };
    let mut cards = vec![
        card(
            "Spend",
            "spend",
            Some(plan.spend),
            n(plan.spend),
            format!("of a {}{cur} budget", n(plan.budget)),
        ),
        card(
            "Unique reach",
            "totals.reach",
            Some(t.reach),
            n(t.reach),
            String::new(),
        ),
        card(
            "Engagements",
            "totals.engagements",
            Some(t.engagements),
            n(t.engagements),
            String::new(),
        ),
        card(
            "Expected conversions",
            "totals.conversions",
            Some(t.conversions),
            n(t.conversions),
            String::new(),
        ),
        card(
            "Creators",
            "totals.creators",
            Some(f64::from(t.creators)),
            t.creators.to_string(),
            crate::format::count(t.posts, "post"),
        ),
        card(
            "CPM",
            "kpis.cpm",
            k.cpm,
            k.cpm.map_or_else(|| "-".into(), n),
            "per thousand reached".into(),
        ),
        card(
            "Cost per engagement",
            "kpis.cpe",
            k.cpe,
            k.cpe.map_or_else(|| "-".into(), n),
            String::new(),
        ),
        card(
            "Cost per conversion",
            "kpis.cost_per_conversion",
            k.cost_per_conversion,
            k.cost_per_conversion.map_or_else(|| "-".into(), n),
            String::new(),
        ),
    ];
    if let Some(v) = k.value {
        cards.push(card(
            "Value",
            "kpis.value",
            Some(v),
            n(v),
            "of the outcomes".into(),
        ));
        cards.push(card(
            "Return on spend",
            "kpis.return_on_spend",
            k.return_on_spend,
            optional(k.return_on_spend),
            "value per unit of spend".into(),
        ));
    }
    if plan.objective_mode == crate::model::ObjectiveMode::Profit {
        cards.push(card(
            "Profit",
            "objective",
            Some(plan.objective),
            n(plan.objective),
            "value less spend".into(),
        ));
    }
    cards
}

/// Per-goal attainment (weights mode; no rows otherwise).
fn goal_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.goals
        .iter()
        .map(|g| {
            vec![
                g.goal.to_string(),
                format!("{:.3}", g.weight),
                n(g.value),
                n(g.best),
                percent(g.attainment),
            ]
        })
        .collect()
}

/// A table's header with the currency after each money column's name
/// (`spend (USD)`), where the scenario names a currency.
fn money_header<'a>(plan: &Plan, header: &[&'a str]) -> Vec<std::borrow::Cow<'a, str>> {
    const MONEY: [&str; 3] = ["spend", "spend then", "cost per unit"];
    header
        .iter()
        .map(|h| {
            if MONEY.contains(h) && !plan.currency.is_empty() {
                format!("{h} ({})", plan.currency).into()
            } else {
                (*h).into()
            }
        })
        .collect()
}

const TIER_HEADER: [&str; 5] = ["tier", "creators", "posts", "spend", "share of spend"];

/// A tier's or platform's row: name, creators, posts, spend, share.
fn spend_row(name: &str, creators: u32, posts: u32, spend: f64, share: f64) -> Vec<String> {
    vec![
        name.to_string(),
        creators.to_string(),
        posts.to_string(),
        n(spend),
        percent(share),
    ]
}

fn tier_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.tiers
        .iter()
        .map(|t| spend_row(&t.tier, t.creators, t.posts, t.spend, t.share))
        .collect()
}

const ALTERNATIVE_HEADER: [&str; 8] = [
    "alternative",
    "objective",
    "vs this plan",
    "spend",
    "reach",
    "engagements",
    "conversions",
    "mix",
];

/// A sentence's first letter in upper case.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One row per alternative: its objective and difference on the plan's
/// scale, its totals and mix, or why it has no plan.
fn alternative_rows(plan: &Plan) -> Vec<Vec<String>> {
    let weights = plan.objective_mode == crate::model::ObjectiveMode::Weights;
    let value = |x: f64| {
        if weights { format!("{x:.4}") } else { n(x) }
    };
    // A sign only where the shown figure is not zero.
    let signed = |x: f64| {
        let text = value(x.abs());
        let shown = text.chars().any(|c| c.is_ascii_digit() && c != '0');
        match (shown, x > 0.0) {
            (true, true) => format!("+{text}"),
            (true, false) => format!("-{text}"),
            (false, _) => text,
        }
    };
    plan.alternatives
        .iter()
        .map(|a| match (&a.totals, a.objective, a.difference) {
            (Some(t), Some(objective), Some(difference)) => vec![
                a.question.clone(),
                value(objective),
                signed(difference),
                a.spend.map(n).unwrap_or_default(),
                n(t.reach),
                n(t.engagements),
                n(t.conversions),
                a.mix.clone().unwrap_or_default(),
            ],
            _ => {
                let mut row = vec![a.question.clone(), a.status.clone()];
                row.extend(std::iter::repeat_n("-".to_string(), 5));
                // The message up to its first `;`: which constraints conflict.
                let why = a.message.as_deref().unwrap_or_default();
                row.push(why.split("; ").next().unwrap_or(why).to_string());
                row
            }
        })
        .collect()
}

const PLATFORM_HEADER: [&str; 5] = ["platform", "creators", "posts", "spend", "share of spend"];

fn platform_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.platforms
        .iter()
        .map(|p| spend_row(&p.platform, p.creators, p.posts, p.spend, p.share))
        .collect()
}

const CREATOR_HEADER: [&str; 7] = [
    "handle",
    "tier",
    "posts",
    "spend",
    "reach",
    "engagements",
    "conversions",
];

fn creator_rows(plan: &Plan) -> Vec<Vec<String>> {
    let several = plan.platforms.len() > 1;
    plan.creators
        .iter()
        .map(|c| {
            let mut row = vec![c.handle.clone(), c.tier.clone()];
            if several {
                row.push(c.platform.clone());
            }
            row.push(c.posts.to_string());
            row.extend([c.spend, c.reach, c.engagements, c.conversions].map(n));
            row
        })
        .collect()
}

const POOL_HEADER: [&str; 8] = [
    "pool",
    "tier",
    "hired",
    "posts",
    "spend",
    "reach",
    "engagements",
    "conversions",
];

/// Pool hires (every pool, hired or not).
fn pool_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.pools
        .iter()
        .map(|p| {
            let hired = format!("{}/{}", p.hired, p.available);
            let mut row = vec![p.name.clone(), p.tier.clone()];
            if plan.platforms.len() > 1 {
                row.push(p.platform.clone());
            }
            row.extend([hired, p.posts.to_string()]);
            row.extend([p.spend, p.reach, p.engagements, p.conversions].map(n));
            row
        })
        .collect()
}

const TARGET_HEADER: [&str; 6] = [
    "goal",
    "target",
    "plan",
    "raised by",
    "spend then",
    "cost per unit",
];

/// Target mode: each target, what the plan reaches, and its marginal cost.
fn target_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.marginal_costs
        .iter()
        .map(|m| {
            vec![
                m.goal.to_string(),
                n(m.target),
                n(m.achieved),
                n(m.step),
                m.spend_at_step
                    .map(n)
                    .unwrap_or_else(|| m.note.clone().unwrap_or_else(|| "-".into())),
                optional(m.cost_per_unit),
            ]
        })
        .collect()
}

/// Every target and what the plan reaches, where the marginal costs do
/// not already show them (outside target mode).
fn met_rows(plan: &Plan) -> Vec<Vec<String>> {
    if !plan.marginal_costs.is_empty() {
        return Vec::new();
    }
    plan.targets
        .iter()
        .map(|t| {
            let margin = if t.target > 0.0 {
                format!(" ({} above)", percent(t.achieved / t.target - 1.0))
            } else {
                String::new()
            };
            vec![
                t.goal.to_string(),
                n(t.target),
                n(t.achieved),
                if t.met {
                    format!("yes{margin}")
                } else {
                    "no".into()
                },
            ]
        })
        .collect()
}

/// One CSV row per hired creator and per pool with hires, full precision.
fn csv_table(plan: &Plan) -> Content {
    let raw = |x: f64| x.to_string();
    let creators = plan.creators.iter().map(|c| {
        vec![
            "creator".to_string(),
            c.handle.clone(),
            c.tier.clone(),
            c.platform.clone(),
            "1".into(),
            c.posts.to_string(),
            raw(c.spend),
            raw(c.reach),
            raw(c.engagements),
            raw(c.conversions),
        ]
    });
    let pools = plan.pools.iter().filter(|p| p.hired > 0).map(|p| {
        vec![
            "pool".to_string(),
            p.name.clone(),
            p.tier.clone(),
            p.platform.clone(),
            p.hired.to_string(),
            p.posts.to_string(),
            raw(p.spend),
            raw(p.reach),
            raw(p.engagements),
            raw(p.conversions),
        ]
    });
    table(
        None,
        &[
            "kind",
            "name",
            "tier",
            "platform",
            "hired",
            "posts",
            "spend",
            "reach",
            "engagements",
            "conversions",
        ],
        creators.chain(pools).collect(),
    )
}
