//! Exploring a scenario beyond one solve: budget and weight sweeps, exact
//! Pareto frontiers, and side-by-side comparisons.

pub mod compare;
pub mod frontier;
pub mod grid;
pub mod sweep;
