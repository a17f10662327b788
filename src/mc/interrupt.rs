//! Ctrl-C (SIGINT): a command that can stop cleanly says so ([`stop_between_chunks`]); the
//! signal then only raises a flag ([`requested`]) that the runner checks between chunks, and
//! the command removes what it had started and exits 130. A second Ctrl-C, or one during a
//! command that cannot stop cleanly, ends the process at once with exit 130 (the CLI installs
//! the handler, `on_signal`).

use std::sync::atomic::{AtomicBool, Ordering};

static GRACEFUL: AtomicBool = AtomicBool::new(false);
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit code of an interrupted command (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// From now on the process stops cleanly on Ctrl-C: it checks [`requested`] between chunks.
pub fn stop_between_chunks() {
    GRACEFUL.store(true, Ordering::SeqCst);
}

/// Whether Ctrl-C has been pressed (in a command that stops cleanly).
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// The signal handler: raises the flag the first time in a command that stops cleanly, else
/// exits at once.
pub fn on_signal() {
    if GRACEFUL.load(Ordering::SeqCst) && !REQUESTED.swap(true, Ordering::SeqCst) {
        return;
    }
    eprintln!("interrupted");
    std::process::exit(i32::from(EXIT_INTERRUPTED));
}
