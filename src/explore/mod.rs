//! Exploring a scenario beyond one solve: what the alternatives to a plan
//! cost, budget and weight sweeps, exact Pareto frontiers, the exact map of
//! goal weightings, and side-by-side comparisons.

pub mod alternatives;
pub mod compare;
pub mod frontier;
pub mod grid;
pub mod regions;
pub mod sweep;
