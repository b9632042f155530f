//! What is rendered first: after a change that touches many outputs, those open in
//! browsers; at start, the first build's outputs a part at a time after
//! [`LiveSite::start`], the pages a browser asks for first, so that `serve` answers before
//! the whole site is rendered.

use std::collections::HashSet;
use std::time::Instant;

use super::super::partial::{Outcome, Rendered, outputs_reading, render_some};
use super::{LiveSite, OpenFirst, Strategy, Update, merge};
use crate::build;
use crate::render::reads::Read;

impl LiveSite {
    /// Renders the outputs that read something among `changed`; when many do, those open
    /// in a browser first, shown at once through `open`.
    pub(super) fn render_reading(
        &mut self,
        changed: HashSet<Read>,
        open: &mut OpenFirst<'_>,
        strategy: Strategy,
        started: Instant,
    ) -> Option<(Outcome, usize)> {
        let built = self.built.as_mut()?;
        let outputs = outputs_reading(built, changed);
        let (first, rest): (Vec<usize>, Vec<usize>) = outputs
            .iter()
            .partition(|&&i| open.pages.contains(&built.plan.outputs[i].path));
        if first.is_empty() || rest.len() < OpenFirst::WORTH_IT {
            return Some((render_some(built, &outputs), outputs.len()));
        }
        let shown = match render_some(built, &first) {
            Ok(files) => {
                let mut update = self.apply(files);
                update.strategy = strategy;
                update.elapsed = started.elapsed();
                update.rendered = first.len();
                (open.show)(update);
                Ok(Rendered::default())
            }
            // Reported with the rest's, all together.
            Err(errors) => Err(errors),
        };
        let built = self.built.as_mut()?;
        Some((merge(shown, render_some(built, &rest)), outputs.len()))
    }

    /// Renders the next part of the first build: the outputs among `wanted` (output
    /// paths, `drills/x/index.html`) first, then others up to `most` in all; `None` when
    /// nothing is left. The update of the last part carries the errors of all parts, and
    /// leaves the data files to [`LiveSite::refresh_data`].
    pub fn render_next(&mut self, wanted: &HashSet<String>, most: usize) -> Option<Update> {
        if self.unrendered.is_empty() {
            return None;
        }
        let started = Instant::now();
        let Some(built) = self.built.as_mut() else {
            self.unrendered.clear();
            return None;
        };
        let (mut now, mut later): (Vec<usize>, Vec<usize>) = self
            .unrendered
            .iter()
            .partition(|&&i| wanted.contains(&built.plan.outputs[i].path));
        let fill = most.saturating_sub(now.len()).min(later.len());
        now.extend(later.drain(..fill));
        now.sort_unstable();
        self.unrendered = later;
        let mut update = match render_some(built, &now) {
            Ok(files) => self.apply(files),
            Err(errors) => {
                self.unrendered_errors.extend(errors);
                self.apply(Rendered::default())
            }
        };
        if self.unrendered.is_empty() {
            let errors = std::mem::take(&mut self.unrendered_errors);
            if errors.is_empty() {
                self.data_pending = true;
            } else {
                // As a full rebuild that failed: the next change rebuilds everything.
                self.errors = build::sorted(errors);
                self.stale = true;
            }
        }
        update.strategy = Strategy::Full;
        update.errors = self.errors.clone();
        update.elapsed = started.elapsed();
        update.rendered = now.len();
        Some(update)
    }

    /// Renders whatever the first build left, in one update; `None` if nothing was left.
    pub(super) fn render_all_unrendered(&mut self) -> Option<Update> {
        let mut all = self.render_next(&HashSet::new(), usize::MAX)?;
        while let Some(more) = self.render_next(&HashSet::new(), usize::MAX) {
            all.absorb(more);
        }
        Some(all)
    }
}
