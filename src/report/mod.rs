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

/// A number for people: thousands separated, decimals by magnitude.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let abs = value.abs();
    let decimals = if abs >= 1000.0 || abs == abs.trunc() {
        0
    } else if abs >= 10.0 {
        1
    } else if abs >= 0.01 {
        2
    } else {
        4
    };
    let text = format!("{:.*}", decimals, abs);
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.trim_end_matches('0').to_string())),
        None => (text.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) if !f.is_empty() => format!("{sign}{grouped}.{f}"),
        _ => format!("{sign}{grouped}"),
    }
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
                    format_number(m.target),
                    format_number(m.achieved),
                    format_number(m.step),
                    m.spend_at_step
                        .map(format_number)
                        .unwrap_or_else(|| m.note.clone().unwrap_or_else(|| "-".into())),
                    format_optional(m.cost_per_unit),
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
                    format_number(g.value),
                    format_number(g.best),
                    format_percent(g.attainment),
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
                    format_number(t.spend),
                    format_percent(t.share),
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
                row.extend([c.spend, c.reach, c.engagements, c.conversions].map(format_number));
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
                row.extend([p.spend, p.reach, p.engagements, p.conversions].map(format_number));
                row
            })
            .collect(),
    }
}

/// A share as a percentage with one decimal.
pub fn format_percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// An optional ratio, or a dash.
pub fn format_optional(value: Option<f64>) -> String {
    value.map(format_number).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(2_100_000.0), "2,100,000");
        assert_eq!(format_number(59_850.4), "59,850");
        assert_eq!(format_number(145.98), "146");
        assert_eq!(format_number(28.5), "28.5");
        assert_eq!(format_number(0.71), "0.71");
        assert_eq!(format_number(-1234.0), "-1,234");
        assert_eq!(format_number(0.0), "0");
    }
}
