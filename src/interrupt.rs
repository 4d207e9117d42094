//! Stopping long runs cleanly when the user asks (Ctrl-C).
//!
//! The binary raises the flag from its signal handler; the loops of
//! `simulate`, `sweep` and `frontier` look at it before each sample or point
//! and end with [`Error::Interrupted`] once it is up. Nothing is written then:
//! every output goes through a temporary file renamed into place only after
//! the whole run has finished. A solve in progress runs to its end (or its
//! time limit) first; a second Ctrl-C ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Error;

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Asks every running loop to stop.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Lowers the flag: a process that goes on after a stop (the Python
/// module, between calls) clears it before the next run.
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// Whether a stop has been asked for.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// `Err(Error::Interrupted)` once a stop has been asked for.
pub fn check() -> Result<(), Error> {
    if requested() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}
