//! creatormix: the optimal mix of influencers for a marketing budget.
//!
//! A strategist describes the budget, the goal and the creators on offer in a
//! YAML scenario; creatormix turns it into a mixed-integer linear program
//! (MODEL.md), solves it exactly and explains the optimal mix.
//!
//! Data flows one way through the modules, each owning one stage:
//!
//! 1. [`scenario`] reads the YAML (and CSV rosters) into a raw layer that
//!    mirrors the file, then validates it into the domain [`model`] with the
//!    defaults of a [`market`] model applied. Nothing later re-checks input.
//! 2. [`program`] builds the MILP from a [`model::Scenario`]; its variable map
//!    is the only place that links domain keys and solver columns.
//! 3. [`solve`] runs a solver backend (pure-Rust microlp, or HiGHS with the
//!    `highs` feature) and the goal normalisation of MODEL.md.
//! 4. [`evaluate`] recomputes every total and checks every constraint of a
//!    plan independently of the program builder.
//! 5. [`plan`] is the result all reports see; [`report`] renders it as a
//!    table, JSON, CSV or Markdown.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
// Input errors carry file, line, field and hint; they are built once, on the
// cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod error;
pub mod explore;
pub mod format;
pub mod interrupt;
pub mod model;
pub mod plan;
pub mod program;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod solve;
pub mod uncertainty;

pub use error::{Error, InputError};
pub use model::Scenario;
pub use plan::Plan;
pub use solve::{SolveSettings, SolverChoice};
