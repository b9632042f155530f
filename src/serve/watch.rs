//! Watching the site's files: notify's events, filtered down to the paths the site
//! reads, settled into batches (`settle.rs`) on a thread of their own.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::settle::Settling;
use crate::source;

/// The folders below the site root that the site reads, watched recursively.
pub(crate) const WATCHED_DIRS: [&str; 5] = ["content", "themes", "templates", "static", "i18n"];

/// Keeps the watcher alive; dropping it stops watching (and its settling thread).
pub(crate) struct Watcher {
    backend: Backend,
    /// Files watched by name, added after start ([`Watcher::watch_file`]).
    extra_files: Arc<RwLock<Vec<PathBuf>>>,
}

/// How changes are noticed.
enum Backend {
    /// inotify and friends.
    Native(RecommendedWatcher),
    /// Polling, for network file systems and containers.
    Poll(PollWatcher),
}

impl Watcher {
    /// Watches `root` (for `site.yaml` and new folders) and every folder in
    /// [`WATCHED_DIRS`] that exists; sends each batch of relevant changed paths.
    /// Files the site reads from elsewhere (the guide) are added by [`Watcher::watch_file`].
    pub(crate) fn start(
        root: &Path,
        output: &Path,
        poll: bool,
        batches: Sender<Vec<PathBuf>>,
    ) -> notify::Result<Watcher> {
        let extra_files = Arc::new(RwLock::new(Vec::new()));
        let filter = PathFilter {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            files: extra_files.clone(),
        };
        let (raw, events) = mpsc::channel();
        let backend = if poll {
            // notify's poller compares modification times in whole seconds; comparing
            // contents too catches a second save within the same second.
            let config = notify::Config::default()
                .with_poll_interval(Duration::from_millis(500))
                .with_compare_contents(true);
            Backend::Poll(PollWatcher::new(raw, config)?)
        } else {
            Backend::Native(RecommendedWatcher::new(raw, notify::Config::default())?)
        };
        // When events were lost, `site.yaml` stands for everything, so the next rebuild
        // is a full one instead of none.
        let everything = root.join("site.yaml");
        std::thread::Builder::new()
            .name("muster-watch".into())
            .spawn(move || settle(&events, &filter, &everything, &batches))
            .map_err(notify::Error::io)?;
        let mut watcher = Watcher {
            backend,
            extra_files,
        };
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED_DIRS {
            watcher.watch_if_present(&root.join(dir))?;
        }
        Ok(watcher)
    }

    /// Starts watching `dir` recursively if it exists (a folder created after start).
    pub(crate) fn watch_if_present(&mut self, dir: &Path) -> notify::Result<()> {
        if dir.is_dir() {
            self.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    /// Starts watching one more file outside the watched folders (the guide, once a
    /// build has said where it is); nothing if it is watched already.
    pub(crate) fn watch_file(&mut self, file: &Path) -> notify::Result<()> {
        let known = self
            .extra_files
            .read()
            .is_ok_and(|files| files.iter().any(|f| f == file));
        if known {
            return Ok(());
        }
        if let Some(dir) = file.parent().filter(|d| d.is_dir()) {
            // Its folder, since editors replace a file rather than write into it.
            self.watch(dir, RecursiveMode::NonRecursive)?;
        }
        if let Ok(mut files) = self.extra_files.write() {
            files.push(file.to_path_buf());
        }
        Ok(())
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.backend {
            Backend::Native(w) => w.watch(path, mode),
            Backend::Poll(w) => w.watch(path, mode),
        }
    }
}

/// The settling thread: raw events in, batches out, until the watcher is dropped or
/// nobody takes batches any more.
fn settle(
    events: &mpsc::Receiver<notify::Result<notify::Event>>,
    filter: &PathFilter,
    everything: &Path,
    batches: &Sender<Vec<PathBuf>>,
) {
    let mut settling = Settling::default();
    loop {
        let received = match settling.deadline() {
            Some(due) => events.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => events.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let batch = match received {
            Ok(event) => settling.event(event, Instant::now(), |p| filter.relevant(p), everything),
            Err(RecvTimeoutError::Timeout) => settling.due(Instant::now()),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if let Some(batch) = batch
            && batches.send(batch).is_err()
        {
            return;
        }
    }
}

/// Which changed paths matter to the site.
#[derive(Debug, Clone)]
pub(crate) struct PathFilter {
    /// The site root.
    pub root: PathBuf,
    /// The build output folder, never read.
    pub output: PathBuf,
    /// Single files the site reads from outside the watched folders.
    pub files: Arc<RwLock<Vec<PathBuf>>>,
}

impl PathFilter {
    /// `site.yaml`, or a file below a watched folder that is not an editor's
    /// swap, backup or temporary file, nor inside `.git/` or the output folder.
    pub(crate) fn relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        if self
            .files
            .read()
            .is_ok_and(|files| files.iter().any(|f| f == path))
        {
            return true;
        }
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let names: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(n) => n.to_str(),
                _ => None,
            })
            .collect();
        match names.as_slice() {
            ["site.yaml"] => true,
            [first, rest @ ..] if WATCHED_DIRS.contains(first) => {
                !rest.iter().any(|n| *n == ".git" || source::is_ignored(n))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_keeps_site_files_only() {
        let f = PathFilter {
            root: "/s".into(),
            output: "/s/public".into(),
            files: Arc::new(RwLock::new(vec!["/s/docs/guide.md".into()])),
        };
        for keep in [
            "/s/site.yaml",
            "/s/content/a.md",
            "/s/content/drills",
            "/s/themes/default/templates/base.html",
            "/s/static/x.css",
            "/s/templates/page.html",
            "/s/docs/guide.md",
        ] {
            assert!(f.relevant(Path::new(keep)), "{keep}");
        }
        for drop in [
            "/s/public/index.html",
            "/s/content/.a.md.swp",
            "/s/content/a.md~",
            "/s/content/4913",
            "/s/content/.#a.md",
            "/s/content/#a.md#",
            "/s/content/.git/index",
            "/s/README.md",
            "/s/site.yaml.swp",
            "/elsewhere/content/a.md",
            "/s/target/x",
            "/s/docs/other.md",
        ] {
            assert!(!f.relevant(Path::new(drop)), "{drop}");
        }
    }
}
