//! The command line: clap's raw arguments ([`args`]), resolved into the
//! library's settings in one place ([`resolve`]), and one short function per
//! command ([`commands`]).

pub mod args;
pub mod commands;
pub mod resolve;
