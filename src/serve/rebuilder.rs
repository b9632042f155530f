//! The rebuild thread of `muster serve`: batches of saved files made updates of the
//! live site, each put in place and announced to the browsers, and the data files
//! refreshed when the writer pauses.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::http::{self, ServedSite};
use super::live::{LiveSite, OpenFirst, Update};
use super::watch;
use crate::error::{BuildErrors, Diagnostic};

/// How long after a page edit the search index and feeds wait for another save.
const DATA_PAUSE: Duration = Duration::from_millis(100);

/// The longest the search index and feeds lag behind the pages while saves keep coming.
const DATA_MAX_LAG: Duration = Duration::from_secs(1);

/// The rebuild thread: receives batches of changed paths, rebuilds, and shows each
/// update; refreshes the data files when the writer pauses.
pub(super) struct Rebuilder {
    pub(super) live: LiveSite,
    pub(super) watcher: watch::Watcher,
    pub(super) root: PathBuf,
    pub(super) batches: mpsc::Receiver<Vec<PathBuf>>,
    pub(super) served: Arc<ServedSite>,
    pub(super) quiet: bool,
    /// The errors last sent to browsers, as JSON, so that only changes are sent.
    pub(super) errors_json: String,
    /// Since when the data files have waited for a pause in the saves.
    pub(super) data_waiting: Option<Instant>,
    /// When serve started and how many files its first update had (static files), for
    /// the first build's report.
    pub(super) started: (Instant, usize),
}

impl Rebuilder {
    /// Runs until the watcher's channel closes.
    pub(super) fn run(mut self) {
        // Before any page is served: an edit of the guide right after its page was read
        // must be seen (the first build has read site.yaml, which names it).
        self.watch_guide();
        self.first_render();
        while let Some(paths) = self.next_batch() {
            self.rebuild(paths);
        }
    }

    /// The next batch of changed paths, refreshing the data files while waiting for it;
    /// `None` when no more can come.
    fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            if !self.live.data_pending() {
                self.data_waiting = None;
                self.served.data_ready.send_replace(true);
            }
            // After a page edit the search index and feeds are refreshed when the
            // writer pauses, so the edit itself reaches the browser first; but a writer
            // who never pauses gets them at least every DATA_MAX_LAG.
            let next = if self.live.data_pending() {
                let lag = self.data_waiting.get_or_insert_with(Instant::now).elapsed();
                match DATA_MAX_LAG.checked_sub(lag) {
                    Some(left) => self.batches.recv_timeout(DATA_PAUSE.min(left)),
                    None => Err(mpsc::RecvTimeoutError::Timeout),
                }
            } else {
                self.batches
                    .recv()
                    .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            };
            match next {
                Ok(mut paths) => {
                    // Changes that arrived while the last rebuild ran are handled together.
                    while let Ok(more) = self.batches.try_recv() {
                        paths.extend(more);
                    }
                    paths.sort();
                    paths.dedup();
                    return Some(paths);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(update) = self.live.refresh_data() {
                        show(&self.served, &update, &mut self.errors_json);
                        report(&update, true, false);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn rebuild(&mut self, paths: Vec<PathBuf>) {
        for dir in watch::WATCHED_DIRS {
            let dir = self.root.join(dir);
            if paths.contains(&dir)
                && let Err(e) = self.watcher.watch_if_present(&dir)
            {
                errln!("warning: cannot watch {}: {e}", dir.display());
            }
        }
        if std::env::var_os("MUSTER_DEBUG_WATCH").is_some() {
            errln!("changed: {paths:?}");
        }
        let pages = self.served.open_pages.now();
        let (served, errors_json, quiet) = (&self.served, &mut self.errors_json, self.quiet);
        // The pages on screen may be shown before the rest of a large change is rendered.
        let mut show_early = |update: Update| {
            show(served, &update, errors_json);
            report(&update, quiet, false);
        };
        let open = OpenFirst {
            pages: &pages,
            show: &mut show_early,
        };
        let update = self.live.rebuild_with(&paths, open);
        show(&self.served, &update, &mut self.errors_json);
        report(&update, self.quiet, false);
        self.watch_guide();
    }

    /// Renders the first build's pages a part at a time, the pages browsers asked for
    /// first, showing each part as soon as it is rendered.
    fn first_render(&mut self) {
        let (started, mut files) = self.started;
        let mut last = None;
        let mut part = FIRST_PART;
        while let Some(update) = self.live.render_next(&self.served.open_pages.first(), part) {
            part = (part * 2).min(LARGEST_PART);
            // No reloads: no browser can show a page before its first rendering.
            place_files(&self.served, &update);
            files += update.changed.len();
            // Wakes the requests waiting for a page (`send_modify` always notifies).
            self.served.pages_shown.send_modify(|_| ());
            last = Some(update);
        }
        if let Some(last) = &last {
            show_errors(&self.served, &last.errors, &mut self.errors_json);
        }
        self.served.pages_shown.send_replace(true);
        if let Some(mut last) = last {
            last.elapsed = started.elapsed();
            if last.errors.is_empty() && !self.quiet {
                errln!("built {files} files in {:.0?}", last.elapsed);
            } else {
                report(&last, self.quiet, true);
            }
        }
    }

    /// Watches the writer's guide that the last good build read (`guide:` may change).
    fn watch_guide(&mut self) {
        if let Some(guide) = self.live.guide_file()
            && let Err(e) = self.watcher.watch_file(&guide)
        {
            errln!("warning: cannot watch {}: {e}", guide.display());
        }
    }
}

/// How many outputs of the first build are rendered before the first look at the pages
/// browsers ask for: a part takes about 50 ms on two cores.
const FIRST_PART: usize = 256;

/// The most outputs of the first build rendered between two looks: each part doubles up
/// to it, since every part makes the site-wide values again (about 7 ms at 10,000
/// pages), while a page asked for waits for the part being rendered (about 0.2 s).
const LARGEST_PART: usize = 1024;

/// Puts an update's files in place and tells browsers what to reload.
pub(crate) fn show(served: &ServedSite, update: &Update, errors_json: &mut String) {
    place_files(served, update);
    show_errors(served, &update.errors, errors_json);
    let paths = update
        .changed
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(update.removed.iter().map(String::as_str));
    let (mut css, mut pages, mut other) = (Vec::new(), Vec::new(), false);
    for path in paths {
        let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
        match extension {
            "css" => css.push(http::url_of(path)),
            "html" => pages.push(http::url_of(path)),
            // Data files (search index, feeds, sitemap) change no page on screen.
            "json" | "xml" | "txt" => {}
            _ => other = true,
        }
    }
    if !css.is_empty() {
        served.send(serde_json::json!({"type": "css", "paths": css}).to_string());
    }
    if other || !pages.is_empty() {
        served
            .send(serde_json::json!({"type": "reload", "paths": pages, "all": other}).to_string());
    }
}

/// Puts an update's files in place, telling no browser.
fn place_files(served: &ServedSite, update: &Update) {
    let mut files = match served.files.write() {
        Ok(f) => f,
        Err(e) => e.into_inner(),
    };
    for (path, bytes) in &update.changed {
        files.insert(path.clone(), bytes.clone());
    }
    for path in &update.removed {
        files.remove(path);
    }
}

/// Sends `errors` to the overlays if they differ from those sent last (`errors_json`).
fn show_errors(served: &ServedSite, errors: &[Diagnostic], errors_json: &mut String) {
    let json = diagnostics_json(errors);
    if json != *errors_json {
        *errors_json = json.clone();
        if let Ok(mut stored) = served.errors_json.write() {
            stored.clone_from(&json);
        }
        served.send(format!(r#"{{"type":"errors","errors":{json}}}"#));
    }
}

/// Diagnostics as a JSON array, each with its code, for the browser overlay.
pub(crate) fn diagnostics_json(errors: &[Diagnostic]) -> String {
    let items: Vec<String> = errors.iter().map(crate::error::diagnostic_json).collect();
    format!("[{}]", items.join(","))
}

pub(super) fn report(update: &Update, quiet: bool, first: bool) {
    if !update.errors.is_empty() {
        errln!("{}", BuildErrors(update.errors.clone()));
        errln!("serving the last good version until this is fixed");
        return;
    }
    if quiet {
        return;
    }
    let n = update.changed.len() + update.removed.len();
    if first {
        errln!("built {n} files in {:.0?}", update.elapsed);
    } else {
        errln!(
            "rebuilt ({:?}) in {:.1?}: {n} file{} changed",
            update.strategy,
            update.elapsed,
            if n == 1 { "" } else { "s" }
        );
    }
}
