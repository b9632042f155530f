//! The build pipeline: config → source → model → links → markdown → render → output.
//! `load` runs the stages up to rendering, `render` renders (all, or what changed), and
//! `write` puts a build's files in place; `check` renders into nothing.

mod load;
mod render;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{BuildErrors, Diagnostic};
use crate::model;
use crate::output::NullSink;

pub(crate) use load::run_stages;
pub use load::{LoadedSite, load};
#[cfg(feature = "serve")]
pub(crate) use load::{Resolve, load_with};
#[cfg(feature = "lsp")]
pub(crate) use render::check_pages;
#[cfg(feature = "serve")]
pub(crate) use render::copy_files;
pub use render::{Rendered, render_into};
pub use write::{build, build_with_progress};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// Include pages with `draft: true`.
    pub drafts: bool,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Put content hashes in the names of stylesheets and scripts (not in `serve`).
    pub fingerprint: bool,
    /// What happens to the previous site once the new one is swapped in.
    pub previous_output: PreviousOutput,
    /// Keep the previous site and what its pages read beside the output folder, in
    /// `.<name>.muster-cache/`, and render and write only what changed in the next
    /// build; `false` deletes that cache.
    pub cache: bool,
    /// Reads of this kind (`text`, `facts`, `summary`, `field`) are left out of an
    /// incremental build's decisions: the equivalence test uses it to show that it
    /// notices a dependency dropped. Not for use otherwise.
    #[doc(hidden)]
    pub ignored_reads: Option<&'static str>,
    /// Bytes of pages' HTML kept in memory between parsing and rendering; the rest waits
    /// in a temporary file, so that a large site's bodies are not all in memory at once.
    pub html_in_memory: usize,
    /// Called between the model and links stages, to give the memory the model stage
    /// freed back to the system at once: `muster lsp` holds its last analysis beside a
    /// new one, and the links stage is then its peak. A build needs none.
    pub between_stages: Option<fn()>,
}

/// What a build does with the previous site it replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PreviousOutput {
    /// Delete it before returning.
    #[default]
    Remove,
    /// Hand it to `program __remove-previous-output` (which reads its path on standard
    /// input) and return at once; the new site is complete either way. Falls back to
    /// `Remove` if the program cannot start.
    RemoveInBackground {
        /// The `muster` executable.
        program: PathBuf,
    },
}

impl BuildOptions {
    /// Options for the site at `root`, with defaults.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            drafts: false,
            base_url: None,
            fingerprint: true,
            previous_output: PreviousOutput::Remove,
            cache: true,
            ignored_reads: None,
            html_in_memory: crate::markdown::HTML_IN_MEMORY,
            between_stages: None,
        }
    }

    /// Options as `muster serve` builds the site at `root`, served at `url` (with `drafts`
    /// when asked): in memory, never into an output folder.
    pub fn serving(root: impl Into<PathBuf>, url: &str, drafts: bool) -> BuildOptions {
        BuildOptions {
            drafts,
            base_url: Some(url.to_string()),
            // Stable names, so a stylesheet change swaps one file instead of changing every page.
            fingerprint: false,
            cache: false,
            // serve renders from its pages at every edit for as long as it runs: all in memory.
            html_in_memory: usize::MAX,
            ..BuildOptions::new(root)
        }
    }
}

/// Counts and timing of a successful build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Regular pages.
    pub pages: usize,
    /// Sections, home included.
    pub sections: usize,
    /// Taxonomy terms.
    pub terms: usize,
    /// Files written (rendered and copied).
    pub files: usize,
    /// Of them, those already in the reused previous site with the same contents.
    pub unchanged: usize,
    /// Pages, listings and redirects rendered: all, or those whose reads changed
    /// since the previous build (the others were taken from it).
    pub rendered: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time of each stage, in order.
    pub stages: StageTimes,
    /// Of the output folder's folders, how many were listed from the disk and how many
    /// were known unchanged since the listing the build cache kept (for `build`).
    pub folders_listed: Option<(usize, usize)>,
    /// Of the search index's files, how many were made and how many taken from the
    /// previous site as they were (for `build`, with its cache).
    pub search_files: Option<(usize, usize)>,
    /// What does not stop the build but should be seen, sorted by file and line.
    pub warnings: Vec<Diagnostic>,
}

/// Wall time of each stage of a build, in order.
pub type StageTimes = Vec<(&'static str, Duration)>;

/// Records how long each stage took.
#[derive(Debug)]
struct Stopwatch {
    last: Instant,
    laps: StageTimes,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Orders diagnostics by file, line and column so output is stable.
pub(crate) fn sorted(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Causes first, then what follows from them; each in file order.
    fn key(d: &Diagnostic) -> (bool, Option<(&Path, usize, usize)>) {
        let at = d
            .location
            .as_ref()
            .map(|l| (l.file.as_path(), l.line, l.column));
        (d.caused_by.is_some(), at)
    }
    errors.sort_by(|a, b| key(a).cmp(&key(b)));
    errors
}

fn stats(loaded: &LoadedSite, rendered: Rendered, started: Instant) -> BuildStats {
    let sections = loaded
        .site
        .pages
        .iter()
        .filter(|p| p.role == model::Role::Section)
        .count();
    BuildStats {
        pages: loaded.site.pages.len() - sections,
        sections,
        terms: loaded.taxonomies.iter().map(|t| t.terms.len()).sum(),
        files: rendered.files,
        unchanged: 0,
        folders_listed: None,
        search_files: None,
        rendered: rendered.rendered,
        elapsed: started.elapsed(),
        stages: loaded
            .stages
            .iter()
            .copied()
            .chain(rendered.stages)
            .collect(),
        warnings: sorted(
            loaded
                .warnings
                .iter()
                .cloned()
                .chain(rendered.warnings)
                .collect(),
        ),
    }
}

/// Frees `value` on a thread of its own: freeing a large site's pages takes tens of
/// milliseconds on one thread, which the command's caller need not wait for (and a
/// process that exits meanwhile never spends).
fn free_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Loads, validates, resolves and renders everything without writing a file.
pub fn check(options: &BuildOptions) -> Result<BuildStats, BuildErrors> {
    let started = Instant::now();
    let loaded = load(options)?;
    let rendered = render_into(&loaded, &NullSink)?;
    let stats = stats(&loaded, rendered, started);
    free_later(loaded);
    Ok(stats)
}

#[cfg(feature = "external")]
/// Checks like [`check`], then requests every external link once; their failures
/// are errors too. Returns the stats and how many distinct URLs answered.
pub fn check_external(
    options: &BuildOptions,
    external: &crate::links::external::ExternalOptions,
) -> Result<(BuildStats, usize), BuildErrors> {
    let started = Instant::now();
    let loaded = load(options)?;
    let mut rendered = render_into(&loaded, &NullSink)?;
    let external_started = Instant::now();
    let report =
        crate::links::external::check(&options.root, &loaded.config, &loaded.site, external);
    rendered
        .stages
        .push(("external links", external_started.elapsed()));
    if !report.failures.is_empty() {
        return Err(BuildErrors(sorted(report.failures)));
    }
    Ok((stats(&loaded, rendered, started), report.checked))
}
