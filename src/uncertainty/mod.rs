//! Uncertainty: Monte Carlo around the solve pipeline (`creatormix
//! simulate`): random streams, one sample, re-optimising it, shard files and
//! their merge, summaries and statistics, the driver, robust plans and the
//! tornado. The distributions themselves are the model's ([`crate::model::dist`]).

pub mod reoptimise;
pub mod robust;
pub mod sample;
pub mod shard;
pub mod simulate;
pub mod stats;
pub mod streams;
pub mod summary;
pub mod tornado;
