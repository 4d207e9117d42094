//! Uncertainty: distributions of inputs, and Monte Carlo around the solve
//! pipeline (`creatormix simulate`).

pub mod reoptimise;
pub mod robust;
pub mod sample;
pub mod shard;
pub mod simulate;
pub mod stats;
pub mod streams;
pub mod summary;
pub mod tornado;
