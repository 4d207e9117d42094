//! Reports: every result a command prints (a plan, a simulation's summary,
//! a sweep, a frontier, a map of weightings, a comparison) becomes one [`Document`], which one
//! exporter per format lays out: the terminal table ([`text`]), Markdown,
//! CSV and the HTML report. JSON is the result itself, serialised.

mod csv;
pub mod document;
pub mod explore;
pub mod html;
mod markdown;
pub mod plan;
pub mod plots;
pub mod regions;
pub mod simulation;
mod summary;
pub mod text;

pub use document::Document;
pub use summary::summary;

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::explore::compare::Comparison;
use crate::explore::frontier::Frontier;
use crate::explore::regions::Regions;
use crate::explore::sweep::Sweep;
use crate::plan::Plan;
use crate::uncertainty::sample::SampleRow;
use crate::uncertainty::summary::Report;

/// An output format of a command's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A readable terminal table.
    #[default]
    Table,
    /// JSON with the keys of INTERFACE.md: the result itself.
    Json,
    /// The result's raw figures, one row per item (hire, point, statistic).
    Csv,
    /// A Markdown report.
    Markdown,
}

/// A result a command prints: serialised whole as JSON, through its
/// document in every other format.
pub trait Reported: Serialize {
    /// The result as a document.
    fn document(&self) -> Document;
}

impl Reported for crate::plan::Plan {
    fn document(&self) -> Document {
        plan::document(self)
    }
}

impl Reported for Report {
    fn document(&self) -> Document {
        simulation::document(self)
    }
}

impl Reported for Sweep {
    fn document(&self) -> Document {
        explore::sweep_document(self)
    }
}

impl Reported for Frontier {
    fn document(&self) -> Document {
        explore::frontier_document(self)
    }
}

impl Reported for Regions {
    fn document(&self) -> Document {
        regions::document(self)
    }
}

impl Reported for Comparison {
    fn document(&self) -> Document {
        explore::comparison_document(self)
    }
}

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
    /// `regions`.
    Regions(&'a Regions),
}

/// The HTML report: the plan's document, then what the command adds (the
/// Monte Carlo figures and charts, the budget response, the Pareto
/// frontier) in a section of its own.
pub fn html_report(plan: &Plan, extra: Extra) -> Result<String, Error> {
    let mut doc = plan::document(plan);
    let added = match extra {
        Extra::None => None,
        Extra::Simulation(r, rows) => Some(simulation::html_section(r, rows)?),
        Extra::Sweep(sweep) => Some(explore::sweep_section(sweep)?),
        Extra::Frontier(f) => Some(explore::frontier_section(f)?),
        Extra::Regions(map) => Some(regions::html_section(map)),
    };
    if let Some(section) = added {
        doc.add(document::Formats::HTML, section);
    }
    Ok(html::render(&doc))
}

/// The HTML report of merged shards (see [`simulation::merged_report`]).
pub fn merged_html(r: &Report, rows: &[SampleRow]) -> Result<String, Error> {
    Ok(html::render(&simulation::merged_report(r, rows)?))
}

/// The HTML report of a comparison (see [`explore::comparison_report`]).
pub fn comparison_html(c: &Comparison) -> Result<String, Error> {
    Ok(html::render(&explore::comparison_report(c)?))
}

/// Renders a result in a format.
pub fn render(result: &impl Reported, format: Format) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(result).expect("a result always serialises") + "\n"
        }
        Format::Table => text::render(&result.document()),
        Format::Markdown => markdown::render(&result.document()),
        Format::Csv => csv::render(&result.document()),
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
    // A folder that does not exist yet is made, as `mkdir -p` would.
    std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create its folder: {e}")))?;
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
