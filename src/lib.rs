//! creatormix: the optimal mix of influencers for a marketing budget.
//!
//! A strategist describes the budget, the goal and the creators on offer in a
//! YAML scenario; creatormix turns it into a mixed-integer linear program
//! (MODEL.md), solves it exactly and explains the optimal mix.
//!
//! Data flows one way, floor by floor; no module imports one above it:
//!
//! 1. [`model`], the ground floor: the validated scenario, its goals,
//!    constraint families, market and distributions, a plan's decisions,
//!    and the evaluator that recomputes every total and checks every
//!    constraint of a plan independently of the program builder. Beside
//!    it, [`error`], [`mod@format`] (numbers for people) and [`interrupt`].
//! 2. [`scenario`] reads the YAML (and CSV rosters and market models)
//!    into a raw layer that mirrors the file, then validates it into the
//!    model with the market's defaults applied. Nothing later re-checks input.
//! 3. [`program`] builds the MILP from a [`model::Scenario`]; its variable
//!    map is the only place that links domain keys and solver columns.
//! 4. [`solve`]: one adapter per solver (pure-Rust microlp, or HiGHS with
//!    the `highs` feature) behind one interface, the two-stage optimisation
//!    of MODEL.md and what serves it.
//! 5. [`plan`] assembles a solve into what every report shows
//!    ([`plan::solve`]: scenario and settings in, checked plan out).
//! 6. [`explore`] and [`uncertainty`] are loops around that same solve:
//!    sweeps, frontiers and comparisons; Monte Carlo, robust plans, tornados.
//! 7. [`report`] turns every result into one document and writes it as a
//!    table, Markdown, CSV or HTML (JSON is the result itself).
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
