//! Exploring a scenario beyond one solve: budget and weight sweeps, exact
//! Pareto frontiers, side-by-side comparisons, and target-mode marginal costs.

pub mod compare;
pub mod frontier;
pub mod grid;
pub mod sweep;
pub mod target;
