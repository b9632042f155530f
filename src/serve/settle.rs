//! Turning the watcher's raw events into batches of changed paths: at once when a
//! write completes a file, after a quiet period when files are renamed or removed.
//!
//! A general debouncer waits for every change to go quiet, which costs each save its
//! quiet period (20 ms of a 40 ms reload). The system says when a writer closes a file it
//! wrote (inotify's `IN_CLOSE_WRITE`): the file is complete then, so its batch goes at
//! once. An editor's safe save (write a temporary file, rename it over the page, remove a
//! backup) has no such end mark; while a rename or removal is pending, everything waits
//! until the paths have been quiet for [`QUIET`], so the sequence is one change.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind};

/// How long paths must be quiet before a batch with a rename or removal is delivered.
pub(crate) const QUIET: Duration = Duration::from_millis(20);

/// Changed paths not yet delivered, and when they may be.
#[derive(Debug, Default)]
pub(crate) struct Settling {
    pending: Vec<PathBuf>,
    /// Set while any pending change waits for quiet.
    deadline: Option<Instant>,
    /// A rename or removal is pending: a completed write must wait for quiet too.
    moving: bool,
}

impl Settling {
    /// When the pending paths are due without a further event, if any are pending.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Takes one raw event; returns a batch when it is due now. `relevant` says which
    /// paths the site reads; `everything` stands for all of them when events were lost.
    pub(crate) fn event(
        &mut self,
        event: notify::Result<Event>,
        now: Instant,
        relevant: impl Fn(&Path) -> bool,
        everything: &Path,
    ) -> Option<Vec<PathBuf>> {
        let event = match event {
            Ok(event) if !event.need_rescan() => event,
            // Lost events (a full queue on a busy machine, a failed watch): nothing says
            // what changed, so everything did, at once.
            _ => {
                self.pending.push(everything.to_path_buf());
                return self.take();
            }
        };
        let paths = event.paths.iter().filter(|p| relevant(p)).cloned();
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                let before = self.pending.len();
                self.pending.extend(paths);
                if self.pending.len() > before && !self.moving {
                    return self.take();
                }
            }
            // Our own reads (opening, reading, closing unwritten) are not changes.
            EventKind::Access(_) => {}
            kind => {
                let before = self.pending.len();
                self.pending.extend(paths);
                if self.pending.len() > before {
                    self.moving |= matches!(
                        kind,
                        EventKind::Modify(notify::event::ModifyKind::Name(_))
                            | EventKind::Remove(_)
                    );
                    self.deadline = Some(now + QUIET);
                }
            }
        }
        None
    }

    /// The pending batch if its quiet period has passed by `now`.
    pub(crate) fn due(&mut self, now: Instant) -> Option<Vec<PathBuf>> {
        match self.deadline {
            Some(deadline) if deadline <= now => self.take(),
            _ => None,
        }
    }

    fn take(&mut self) -> Option<Vec<PathBuf>> {
        self.deadline = None;
        self.moving = false;
        let mut batch = std::mem::take(&mut self.pending);
        batch.sort();
        batch.dedup();
        (!batch.is_empty()).then_some(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode};

    fn event(kind: EventKind, path: &str) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    fn site(p: &Path) -> bool {
        p.starts_with("/s/content")
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSED: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const EVERYTHING: &str = "/s/site.yaml";

    fn feed(s: &mut Settling, kind: EventKind, path: &str, at: Instant) -> Option<Vec<PathBuf>> {
        s.event(event(kind, path), at, site, Path::new(EVERYTHING))
    }

    #[test]
    fn a_completed_write_is_delivered_at_once() {
        let (mut s, t) = (Settling::default(), Instant::now());
        assert_eq!(feed(&mut s, WRITE, "/s/content/a.md", t), None);
        assert_eq!(s.deadline(), Some(t + QUIET));
        let batch = feed(&mut s, CLOSED, "/s/content/a.md", t);
        assert_eq!(batch, Some(vec![PathBuf::from("/s/content/a.md")]));
        assert_eq!(s.deadline(), None);
        assert_eq!(s.due(t + QUIET * 2), None, "nothing is delivered twice");
    }

    #[test]
    fn other_changes_wait_until_quiet() {
        let (mut s, t) = (Settling::default(), Instant::now());
        let create = EventKind::Create(CreateKind::File);
        assert_eq!(feed(&mut s, create, "/s/content/b.md", t), None);
        let later = t + QUIET / 2;
        assert_eq!(feed(&mut s, WRITE, "/s/content/b.md", later), None);
        assert_eq!(
            s.due(t + QUIET),
            None,
            "a new event restarts the quiet period"
        );
        let batch = s.due(later + QUIET);
        assert_eq!(batch, Some(vec![PathBuf::from("/s/content/b.md")]));
    }

    #[test]
    fn a_safe_save_is_one_batch_after_quiet() {
        // Write a temporary file, rename it over the page, remove the backup.
        let (mut s, t) = (Settling::default(), Instant::now());
        let from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        let to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert_eq!(feed(&mut s, from, "/s/content/a.md", t), None);
        assert_eq!(feed(&mut s, CLOSED, "/s/content/a.md.new", t), None);
        assert_eq!(feed(&mut s, to, "/s/content/a.md", t), None);
        let remove = EventKind::Remove(RemoveKind::File);
        assert_eq!(feed(&mut s, remove, "/s/content/a.md~", t), None);
        let batch = s.due(t + QUIET).unwrap();
        assert_eq!(
            batch,
            ["/s/content/a.md", "/s/content/a.md.new", "/s/content/a.md~"].map(PathBuf::from)
        );
    }

    #[test]
    fn reads_and_paths_outside_the_site_are_not_changes() {
        let (mut s, t) = (Settling::default(), Instant::now());
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert_eq!(feed(&mut s, open, "/s/content/a.md", t), None);
        assert_eq!(feed(&mut s, read, "/s/content/a.md", t), None);
        assert_eq!(feed(&mut s, CLOSED, "/s/public/index.html", t), None);
        assert_eq!(feed(&mut s, WRITE, "/s/public/index.html", t), None);
        assert_eq!(s.deadline(), None);
        assert_eq!(s.due(t + QUIET), None);
    }

    #[test]
    fn lost_events_mean_everything_changed() {
        let (mut s, t) = (Settling::default(), Instant::now());
        assert_eq!(feed(&mut s, WRITE, "/s/content/a.md", t), None);
        let lost = s.event(
            Err(notify::Error::generic("queue overflow")),
            t,
            site,
            Path::new(EVERYTHING),
        );
        assert_eq!(
            lost,
            Some(["/s/content/a.md", EVERYTHING].map(PathBuf::from).to_vec())
        );
        let rescan = Ok(Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan));
        let batch = s.event(rescan, t, site, Path::new(EVERYTHING));
        assert_eq!(batch, Some(vec![PathBuf::from(EVERYTHING)]));
    }
}
