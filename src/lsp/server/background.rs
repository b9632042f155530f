//! The full analyses a session runs behind the quick path: started once no message
//! waits, stopped when an edit makes them stale, their model taken before their check
//! ends (one set of pages held, not two), and the edits made meanwhile read after.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

use super::super::analysis::Analysis;
use super::super::{LspError, quick};
use super::{Event, Server};
use crate::error::Diagnostic;
use crate::source::Overlay;

/// How long a check waits for the session to free the model it replaced (a few tens of
/// milliseconds at 10,000 pages) before it goes on all the same.
const FREEING_AT_MOST: Duration = Duration::from_secs(2);

impl Server {
    /// Takes the model of generation `generation` in place of the one kept, if no edit
    /// came since it was read (else it is of no use: the edit stopped its check). The
    /// diagnostics stay those last published until the check's arrive.
    pub(super) fn loaded(&mut self, generation: u64, mut analysis: Analysis, freed: Sender<()>) {
        let unused = match generation == self.generation {
            true => {
                analysis.diagnostics = std::mem::take(&mut self.analysis.diagnostics);
                std::mem::replace(&mut self.analysis, analysis)
            }
            false => analysis,
        };
        // Freed beside the check, which then holds one set of pages, not two, and given
        // back at once (docs/PERFORMANCE.md, "`muster lsp`").
        let release = self.release_memory;
        std::thread::spawn(move || {
            drop(unused);
            release();
            let _ = freed.send(());
        });
    }

    /// Ends the analysis of generation `generation`: its diagnostics are published if
    /// no edit came since; else the edits made while its check held the model are read
    /// now, by the quick path.
    pub(super) fn analysed(
        &mut self,
        generation: u64,
        diagnostics: Vec<Diagnostic>,
    ) -> Result<(), LspError> {
        self.running = None;
        if generation == self.generation {
            self.analysis.diagnostics = diagnostics;
            self.analysed = generation;
            self.publish()?;
        } else {
            let mut changed = false;
            for path in std::mem::take(&mut self.deferred) {
                changed |= self.read_quickly(&path, quick::update_page);
            }
            if changed {
                self.publish()?;
            }
        }
        // What only the check's render read goes once the writer has the answer.
        self.analysis.let_go_of_rendering();
        Ok(())
    }

    /// Counts a change of the site's files: the running analysis, if any, reads them as
    /// they were, so its check is stopped (what it would find is of no use now).
    pub(super) fn next_generation(&mut self) {
        self.generation += 1;
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Reads the document at `path` again by the quick path: `quick::update_page` into the
    /// model, or `quick::preview_page` beside it while a check reads it; `false` if that
    /// changed nothing (a full analysis will).
    pub(super) fn read_quickly(
        &mut self,
        path: &Path,
        read: fn(&mut Analysis, &Path, &str) -> bool,
    ) -> bool {
        match (self.site_file(path), self.source(path)) {
            (Some(file), Some(text)) => read(&mut self.analysis, &file, &text),
            _ => false,
        }
    }

    /// Starts a full analysis of the site as it is now on a thread of its own.
    pub(super) fn analyse_in_background(&mut self) {
        let overlay: Overlay = self
            .open
            .iter()
            .filter_map(|(path, text)| Some((self.site_file(path)?, text.clone())))
            .collect();
        let (options, events, generation) =
            (self.options.clone(), self.events.clone(), self.generation);
        self.running = Some(generation);
        self.cancel = Arc::default();
        let cancelled = Arc::clone(&self.cancel);
        let release = self.release_memory;
        self.analyser.run(move || {
            release();
            let loaded = |analysis| {
                let analysis = Box::new(analysis);
                let (freed, told) = mpsc::channel();
                let sent = events.send(Event::Loaded {
                    generation,
                    analysis,
                    freed,
                });
                // The render's values are made once the old model is freed, not beside it
                // (a session that ended tells nothing: its channel is gone).
                if sent.is_ok() {
                    let _ = told.recv_timeout(FREEING_AT_MOST);
                }
            };
            let diagnostics = Analysis::run_in_two(&options, &overlay, &cancelled, loaded);
            let _ = events.send(Event::Analysed {
                generation,
                diagnostics,
            });
        });
    }
}
