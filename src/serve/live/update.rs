//! What a rebuild hands to serve: the update of its files, how it was done, and where the
//! pages open in browsers go first.

use std::collections::HashSet;
use std::time::Duration;

use bytes::Bytes;

use crate::error::Diagnostic;

/// How a rebuild was done, from cheapest to dearest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Nothing the site reads changed.
    Nothing,
    /// One page's body changed: it and the outputs showing its summary re-rendered.
    Page,
    /// Templates reloaded; the outputs using the changed ones re-rendered.
    Templates,
    /// Static files copied again.
    Static,
    /// The site-wide data files (search index, feeds) brought up to date after a page.
    Data,
    /// Every stage re-run.
    Full,
}

/// What one rebuild changed in the served files.
#[derive(Debug)]
pub struct Update {
    /// Output files that are new or whose bytes changed, with their new bytes.
    pub changed: Vec<(String, Bytes)>,
    /// Output files that no longer exist.
    pub removed: Vec<String>,
    /// The site's errors after this rebuild; empty when it built.
    pub errors: Vec<Diagnostic>,
    /// How it was rebuilt.
    pub strategy: Strategy,
    /// How long it took.
    pub elapsed: Duration,
    /// How many planned outputs (pages, listings…) were rendered.
    pub rendered: usize,
}

impl Update {
    /// Takes in a later update: its files replace this one's, its errors stand.
    pub fn absorb(&mut self, later: Update) {
        let replaced: HashSet<&str> = later
            .changed
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(later.removed.iter().map(String::as_str))
            .collect();
        self.changed.retain(|(p, _)| !replaced.contains(p.as_str()));
        self.removed.retain(|p| !replaced.contains(p.as_str()));
        self.changed.extend(later.changed);
        self.removed.extend(later.removed);
        self.errors = later.errors;
        self.strategy = later.strategy;
        self.elapsed += later.elapsed;
        self.rendered += later.rendered;
    }
}

/// The outputs open in browsers, rendered first when a change touches many, and where
/// their update goes before the rest are rendered.
pub struct OpenFirst<'a> {
    /// Output paths (`drills/x/index.html`) that browsers show now.
    pub pages: &'a HashSet<String>,
    /// Shows an update at once (serve puts its files in place and sends the reloads).
    pub show: &'a mut dyn FnMut(Update),
}

impl OpenFirst<'_> {
    /// Fewer outputs than this left after the open ones are rendered in one go.
    pub(super) const WORTH_IT: usize = 16;

    /// Runs `f` with no page open: every output is rendered in one go.
    pub(super) fn none<T>(f: impl FnOnce(OpenFirst<'_>) -> T) -> T {
        let pages = HashSet::new();
        f(OpenFirst {
            pages: &pages,
            show: &mut |_| {},
        })
    }
}
