//! Counting a run's first uses of a matcher that costs more to build than a short run would
//! use it (one file in an editor or a pre-commit hook): until then callers take an unbuilt
//! path that finds the same matches.

use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) struct Warmup {
    uses: AtomicUsize,
    limit: usize,
}

impl Warmup {
    pub(crate) const fn new(limit: usize) -> Self {
        Warmup {
            uses: AtomicUsize::new(0),
            limit,
        }
    }

    /// True for the first `limit` calls of the run (about: threads may race past by a few).
    pub(crate) fn cold(&self) -> bool {
        // Read before counting: once past the limit, the workers stop writing the shared
        // counter on every use.
        if self.uses.load(Ordering::Relaxed) < self.limit {
            self.uses.fetch_add(1, Ordering::Relaxed);
            true
        } else {
            false
        }
    }
}
