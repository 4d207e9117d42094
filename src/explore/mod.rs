//! Exploring a scenario beyond one solve: target-mode marginal costs.

pub mod target;
