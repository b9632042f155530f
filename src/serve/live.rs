//! The site kept in memory between rebuilds: the stages re-run only for what a
//! change touched, and the outputs compared so that only changed files are sent.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rayon::prelude::*;

mod changes;
mod first;
mod update;

pub use update::{OpenFirst, Strategy, Update};

use super::partial::{Outcome, Rendered, with_kept_values};
use super::recorded::OutputReads;
use crate::build::{self, BuildOptions, LoadedSite};
use crate::error::Diagnostic;
use crate::incremental::parsed::ParsesFrom;

use crate::model::PageId;
use crate::output::MemorySink;
use crate::publish;
use crate::render::{self, PageValues, RenderPlan, Urls};

/// When a full rebuild renders its outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Render {
    /// All of them, before it returns.
    Now,
    /// A part at a time, by [`LiveSite::render_next`].
    Later,
}

/// Everything of the last good build that a partial rebuild reuses.
pub(super) struct Built {
    pub(super) loaded: LoadedSite,
    pub(super) plan: RenderPlan,
    /// What every planned output read when it last rendered.
    pub(super) reads: OutputReads,
    pub(super) summaries: Vec<crate::render::summaries::PageSummary>,
    /// Source file → the page read from it.
    pub(super) page_files: HashMap<PathBuf, PageId>,
    /// Output paths of static files and content assets.
    pub(super) static_paths: HashSet<String>,
}

/// A site built in memory and kept up to date with the files on disk.
pub struct LiveSite {
    options: BuildOptions,
    built: Option<Built>,
    files: HashMap<String, Bytes>,
    errors: Vec<Diagnostic>,
    /// The last rebuild failed, so `built` no longer matches the files on disk.
    stale: bool,
    /// The search index, feeds and other data files are older than the pages:
    /// [`LiveSite::refresh_data`] brings them up to date.
    data_pending: bool,
    /// The data files written last, so that those no longer made are removed.
    data_paths: HashSet<String>,
    /// A kind of read left out of decisions (see [`LiveSite::ignore_reads`]).
    ignored_reads: Option<&'static str>,
    /// The parsed page bodies of the last full rebuild, for the next: at start, those
    /// `muster build` left in `public/`'s build cache, if any (only read, never written).
    parses: std::sync::Arc<Vec<u8>>,
    /// The search index's terms of each document at the last data refresh, for the next;
    /// at start, those `muster build` left (only read, never written).
    terms: std::sync::Arc<Vec<u8>>,
    /// The first build's outputs not rendered yet, in plan order (see [`LiveSite::start`]).
    unrendered: Vec<usize>,
    /// The errors of the first build's outputs rendered so far.
    unrendered_errors: Vec<Diagnostic>,
}

impl LiveSite {
    /// Builds the site at `options.root` in memory.
    pub fn new(options: BuildOptions) -> (LiveSite, Update) {
        let (mut live, mut update) = LiveSite::start(options);
        if let Some(rest) = live.render_all_unrendered() {
            update.absorb(rest);
        }
        (live, update)
    }

    /// Reads the site at `options.root` and prepares every stage but rendering, which
    /// [`LiveSite::render_next`] then does a part at a time, so that pages can be served
    /// before the whole site is rendered.
    pub fn start(options: BuildOptions) -> (LiveSite, Update) {
        let cache = crate::output::BuildCache::beside(&options.root.join("public"));
        let kept = |name: &str| {
            std::sync::Arc::new(std::fs::read(cache.dir().join(name)).unwrap_or_default())
        };
        let built_parses = kept(crate::incremental::parsed::FILE);
        let terms = kept(publish::search::TERMS_FILE);
        let mut live = LiveSite {
            options,
            built: None,
            files: HashMap::new(),
            errors: Vec::new(),
            stale: true,
            data_pending: false,
            data_paths: HashSet::new(),
            ignored_reads: None,
            parses: built_parses,
            terms,
            unrendered: Vec::new(),
            unrendered_errors: Vec::new(),
        };
        let update = OpenFirst::none(|open| live.rebuild_inner(&[], open, Render::Later));
        (live, update)
    }

    /// The writer's guide file (`guide:` in site.yaml) of the last good build, if any:
    /// it lives outside the watched folders, so serve watches it by name.
    pub fn guide_file(&self) -> Option<PathBuf> {
        let built = self.built.as_ref()?;
        let guide = built.loaded.guide.as_ref()?;
        Some(self.options.root.join(&guide.file))
    }

    /// The files served now: the last good build's.
    pub fn files(&self) -> &HashMap<String, Bytes> {
        &self.files
    }

    /// The errors of the last rebuild (not its warnings).
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Brings the site up to date after `changed` files (absolute paths) changed.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Update {
        OpenFirst::none(|open| self.rebuild_with(changed, open))
    }

    /// As [`LiveSite::rebuild`], rendering the outputs open in browsers first when a change
    /// touches many: `open.show` gets their update before the rest are rendered.
    pub fn rebuild_with(&mut self, changed: &[PathBuf], open: OpenFirst<'_>) -> Update {
        // What the first build left to render comes first, from the state it read.
        let first = self.render_all_unrendered();
        let mut update = self.rebuild_inner(changed, open, Render::Now);
        if let Some(mut first) = first {
            first.absorb(update);
            update = first;
        }
        update
    }

    fn rebuild_inner(
        &mut self,
        changed: &[PathBuf],
        mut open: OpenFirst<'_>,
        render: Render,
    ) -> Update {
        let started = Instant::now();
        let ((outcome, rendered), strategy) = match self.partial(changed, &mut open, started) {
            Some(done) => done,
            None => {
                self.data_pending = false;
                (self.full(render), Strategy::Full)
            }
        };
        let mut update = match outcome {
            Ok(files) => {
                self.stale = false;
                self.errors.clear();
                // A full rebuild leaves the data files for later too: pages first (all
                // of them, when they are rendered later).
                self.data_pending |= strategy == Strategy::Full && self.unrendered.is_empty();
                self.apply(files)
            }
            Err(mut errors) => {
                self.stale = true;
                // Only errors: what serve's overlay lists, whichever stages ran again
                // (warnings are `muster check`'s and the language server's).
                errors.retain(Diagnostic::is_error);
                self.errors = errors;
                self.drop_deleted_pages()
            }
        };
        update.strategy = strategy;
        update.errors = self.errors.clone();
        update.elapsed = started.elapsed();
        update.rendered = rendered;
        update
    }

    /// Leaves reads of one kind (`text`, `facts`, `summary`, `field`, `template`) out
    /// of every later decision: the equivalence test uses it to show that it notices
    /// a dependency dropped. Not for use otherwise.
    #[doc(hidden)]
    pub fn ignore_reads(&mut self, kind: &'static str) {
        self.ignored_reads = Some(kind);
        if let Some(built) = &mut self.built {
            built.reads.ignore(kind);
        }
    }

    /// Whether the search index and feeds wait for [`LiveSite::refresh_data`].
    pub fn data_pending(&self) -> bool {
        self.data_pending
    }

    /// Rewrites the search index, feeds and other site-wide data files after page
    /// edits and full rebuilds. `serve` calls it once the reload is sent, so that an
    /// edit reaches the browser without waiting for the whole index.
    pub fn refresh_data(&mut self) -> Option<Update> {
        if !std::mem::take(&mut self.data_pending) || self.stale {
            return None;
        }
        let started = Instant::now();
        let built = self.built.as_mut()?;
        let sink = MemorySink::default();
        let from = crate::incremental::kept::KeptFrom::Memory(self.terms.clone());
        let terms = from.open(publish::search::TERMS_FILE, publish::search::terms_setup());
        let errors = with_kept_values(built, |loaded, plan, input, values| {
            let has_robots = loaded.has_static_file("robots.txt");
            let kept = publish::Kept {
                terms: Some(&terms),
                ..Default::default()
            };
            publish::write(input, plan, values, has_robots, kept, &sink)
                .err()
                .unwrap_or_default()
        });
        if errors.is_empty() {
            self.terms = terms.finish().into_bytes();
        }
        let mut update = if errors.is_empty() {
            let files = sink.into_files();
            let made: HashSet<String> = files.keys().cloned().collect();
            // A data file no longer made (a search shard whose terms are gone) goes,
            // unless a static file of the site now has its name.
            let removed = self
                .data_paths
                .iter()
                .filter(|p| !made.contains(*p) && !built.static_paths.contains(*p))
                .cloned()
                .collect();
            self.data_paths = made;
            self.apply(Rendered { files, removed })
        } else {
            self.stale = true;
            self.errors = build::sorted(errors);
            self.drop_deleted_pages()
        };
        update.strategy = Strategy::Data;
        update.errors = self.errors.clone();
        update.elapsed = started.elapsed();
        Some(update)
    }

    /// Runs every stage, as `muster build` does, into memory; with the number of
    /// outputs planned.
    fn full(&mut self, render: Render) -> (Outcome, usize) {
        let outcome = self.full_render(render);
        let planned = self.built.as_ref().map_or(0, |b| b.plan.outputs.len());
        (outcome, planned - self.unrendered.len())
    }

    fn full_render(&mut self, render: Render) -> Outcome {
        let parses = ParsesFrom::Memory(self.parses.clone());
        let mut loaded = build::load_with(&self.options, Some(parses), build::Resolve::Again)
            .map_err(|e| e.0)?;
        if let Some(parses) = loaded.parses_to_keep.take() {
            self.parses = parses.into_bytes();
        }
        let (plan, errors) = loaded.plan(&loaded.templates);
        if errors.iter().any(Diagnostic::is_error) {
            return Err(build::sorted(errors));
        }
        let sink = MemorySink::default();
        let urls = Urls::new(&loaded.config.base_url);
        let input = loaded.render_input(&urls);
        let values = PageValues::new(&input);
        // The data files (search index, feeds…) follow in `refresh_data`.
        let mut report = match render {
            Render::Now => {
                let outputs = plan.outputs.par_iter().enumerate();
                render::render_outputs(&input, &values, outputs, &sink)
            }
            Render::Later => render::RenderReport::default(),
        };
        let summaries = values.summaries;
        let mut errors = std::mem::take(&mut report.errors);
        errors.extend(build::copy_files(&loaded.static_files, &sink));
        if !errors.is_empty() {
            return Err(build::sorted(errors));
        }
        let files = sink.into_files();
        let removed = missing_from(&files, &self.files)
            .into_iter()
            .filter(|p| !self.data_paths.contains(p))
            .collect();
        let page_files = loaded
            .site
            .iter()
            .filter_map(|(id, p)| Some((p.file.clone()?, id)))
            .map(|(file, id)| (self.options.root.join(file), id))
            .collect();
        // Left to render only once this build is the one kept: a failed one leaves nothing.
        if render == Render::Later {
            self.unrendered = (0..plan.outputs.len()).collect();
        }
        self.built = Some(Built {
            reads: OutputReads::new(plan.outputs.len(), report, self.ignored_reads),
            static_paths: loaded
                .static_files
                .iter()
                .map(|(rel, _)| rel.clone())
                .collect(),
            loaded,
            plan,
            summaries,
            page_files,
        });
        Ok(Rendered { files, removed })
    }

    /// Stores rendered files, keeping only those whose bytes changed in the update.
    fn apply(&mut self, rendered: Rendered) -> Update {
        let mut changed = Vec::new();
        for (path, bytes) in rendered.files {
            if self
                .files
                .get(&path)
                .is_some_and(|old| old[..] == bytes[..])
            {
                continue;
            }
            let bytes = Bytes::from(bytes);
            self.files.insert(path.clone(), bytes.clone());
            changed.push((path, bytes));
        }
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut removed = rendered.removed;
        removed.retain(|p| self.files.remove(p).is_some());
        removed.sort();
        Update {
            changed,
            removed,
            errors: Vec::new(),
            strategy: Strategy::Nothing,
            elapsed: Duration::ZERO,
            rendered: 0,
        }
    }

    /// While the site is broken the last good files stay, but not those of pages
    /// whose source file was deleted: a reader must not find a page that is gone.
    fn drop_deleted_pages(&mut self) -> Update {
        let mut removed = Vec::new();
        if let Some(built) = &self.built {
            for output in &built.plan.outputs {
                let (render::OutputTarget::Page(id)
                | render::OutputTarget::Paged { section: id, .. }
                | render::OutputTarget::Redirect { page: id, .. }) = output.target
                else {
                    continue;
                };
                let page = built.loaded.site.page(id);
                let gone = page
                    .file
                    .as_ref()
                    .is_some_and(|f| !self.options.root.join(f).exists());
                if gone && self.files.remove(&output.path).is_some() {
                    removed.push(output.path.clone());
                }
            }
        }
        Update {
            changed: Vec::new(),
            removed,
            errors: Vec::new(),
            strategy: Strategy::Nothing,
            elapsed: Duration::ZERO,
            rendered: 0,
        }
    }
}

/// The paths of `before` that `files` no longer has.
fn missing_from(files: &HashMap<String, Vec<u8>>, before: &HashMap<String, Bytes>) -> Vec<String> {
    before
        .keys()
        .filter(|p| !files.contains_key(*p))
        .cloned()
        .collect()
}

fn merge(a: Outcome, b: Outcome) -> Outcome {
    match (a, b) {
        (Ok(mut a), Ok(b)) => {
            a.files.extend(b.files);
            a.removed.extend(b.removed);
            Ok(a)
        }
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}
