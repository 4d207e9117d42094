//! Uncertainty: distributions of inputs, and Monte Carlo around the solve
//! pipeline (`creatormix simulate`).

pub mod robust;
pub mod simulate;
pub mod stats;
pub mod tornado;
