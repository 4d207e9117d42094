//! Reports: one [`Plan`] rendered as a terminal table, JSON, CSV or Markdown.
//!
//! Each format is one small module; all of them see only the [`Plan`].

mod csv;
pub mod explore;
pub mod html;
mod json;
mod markdown;
pub mod plots;
pub mod simulation;
mod summary;
mod table;

pub use summary::summary;

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::format::{number, optional, percent};
use crate::plan::Plan;

/// An output format of `solve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A readable terminal table.
    #[default]
    Table,
    /// JSON with the keys of INTERFACE.md.
    Json,
    /// One CSV row per hired creator or pool.
    Csv,
    /// A Markdown report.
    Markdown,
}

/// Renders a plan in a format.
pub fn render(plan: &Plan, format: Format) -> String {
    match format {
        Format::Table => table::render(plan),
        Format::Json => json::render(plan),
        Format::Csv => csv::render(plan),
        Format::Markdown => markdown::render(plan),
    }
}

/// Writes text to a file whole or not at all: a temporary file in the same
/// directory, renamed over the target once complete.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    let fail = |message: String| Error::Output {
        path: path.to_path_buf(),
        message,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(e.to_string()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| fail(e.to_string()))?;
    file.as_file().sync_all().map_err(|e| fail(e.to_string()))?;
    // Temporary files are private (0600); the result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::Permissions::from_mode(0o644);
        file.as_file()
            .set_permissions(permissions)
            .map_err(|e| fail(e.to_string()))?;
    }
    file.persist(path).map_err(|e| fail(e.error.to_string()))?;
    Ok(())
}

/// A titled table of display text, shared by the table and Markdown reports.
pub(crate) struct Section {
    /// Column names.
    pub header: &'static [&'static str],
    /// One row of cells per line.
    pub rows: Vec<Vec<String>>,
}

/// The plan's tables in report order: tiers, creators, pools, and in target
/// mode the marginal cost of each target.
pub(crate) fn sections(plan: &Plan) -> [(&'static str, Section); 4] {
    [
        ("Tiers", tier_section(plan)),
        ("Creators", creator_section(plan)),
        ("Pools", pool_section(plan)),
        (
            "Targets (what raising each one costs)",
            target_section(plan),
        ),
    ]
}

/// Target mode: each target, what the plan reaches, and its marginal cost.
fn target_section(plan: &Plan) -> Section {
    Section {
        header: &[
            "goal",
            "target",
            "plan",
            "raised by",
            "spend then",
            "cost per unit",
        ],
        rows: plan
            .marginal_costs
            .iter()
            .map(|m| {
                vec![
                    m.goal.to_string(),
                    number(m.target),
                    number(m.achieved),
                    number(m.step),
                    m.spend_at_step
                        .map(number)
                        .unwrap_or_else(|| m.note.clone().unwrap_or_else(|| "-".into())),
                    optional(m.cost_per_unit),
                ]
            })
            .collect(),
    }
}

/// Per-goal attainment (weights mode; no rows otherwise).
pub(crate) fn goal_section(plan: &Plan) -> Section {
    Section {
        header: &["goal", "weight", "plan", "best", "attained"],
        rows: plan
            .goals
            .iter()
            .map(|g| {
                vec![
                    g.goal.to_string(),
                    format!("{:.3}", g.weight),
                    number(g.value),
                    number(g.best),
                    percent(g.attainment),
                ]
            })
            .collect(),
    }
}

/// Spend by tier.
fn tier_section(plan: &Plan) -> Section {
    Section {
        header: &["tier", "creators", "posts", "spend", "share"],
        rows: plan
            .tiers
            .iter()
            .map(|t| {
                let (creators, posts) = (t.creators.to_string(), t.posts.to_string());
                vec![
                    t.tier.clone(),
                    creators,
                    posts,
                    number(t.spend),
                    percent(t.share),
                ]
            })
            .collect(),
    }
}

/// The hired creators.
fn creator_section(plan: &Plan) -> Section {
    Section {
        header: &[
            "handle",
            "tier",
            "posts",
            "spend",
            "reach",
            "engagements",
            "conversions",
        ],
        rows: plan
            .creators
            .iter()
            .map(|c| {
                let mut row = vec![c.handle.clone(), c.tier.clone(), c.posts.to_string()];
                row.extend([c.spend, c.reach, c.engagements, c.conversions].map(number));
                row
            })
            .collect(),
    }
}

/// Pool hires (every pool, hired or not).
fn pool_section(plan: &Plan) -> Section {
    Section {
        header: &[
            "pool",
            "tier",
            "hired",
            "posts",
            "spend",
            "reach",
            "engagements",
            "conversions",
        ],
        rows: plan
            .pools
            .iter()
            .map(|p| {
                let hired = format!("{}/{}", p.hired, p.available);
                let mut row = vec![p.name.clone(), p.tier.clone(), hired, p.posts.to_string()];
                row.extend([p.spend, p.reach, p.engagements, p.conversions].map(number));
                row
            })
            .collect(),
    }
}
