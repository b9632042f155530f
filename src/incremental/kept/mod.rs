//! A log of values kept in the build cache between builds, each found by a key (a hash of
//! what made it): the parse cache (`parsed.rs`) and the search index's terms of each
//! document (`publish::search`) are two.
//!
//! A build that made a few new values appends their entries (one write, after the build
//! succeeded) instead of rewriting the whole file; once the entries no build uses any more
//! outweigh the used ones, the file is rewritten with the used ones only (a temporary file
//! renamed over it). Each entry carries a checksum: a torn or damaged entry, and all after
//! it, are ignored, and those values made again. A file of another setup (what the values
//! depend on besides their key, and their format) is ignored as a whole.
//!
//! The file read is not held: its entries are read by position when a build uses them
//! (`layout.rs`).
//!
//! New entries are written as they are made into a spill: for a log in a folder an
//! unnamed temporary file (gone when closed, even if the process is killed), so that a
//! cold build of 100,000 pages does not hold every parsed body twice in memory; for
//! serve's logs, memory.

mod layout;

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Seek, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[cfg(test)]
pub(super) use layout::index_of;
use layout::{Stored, write_entry, write_header};
pub(crate) use layout::{Tail, split_entry};

/// This build's new entries, in the log's entry format, in the order they were made.
enum Spill {
    /// Held in memory.
    Memory(Vec<u8>),
    /// Written to an unnamed temporary file.
    File(io::BufWriter<File>),
}

impl Spill {
    /// A temporary file, or memory if none can be made.
    fn temporary() -> Spill {
        tempfile::tempfile()
            .map(|file| Spill::File(io::BufWriter::with_capacity(1 << 20, file)))
            .unwrap_or(Spill::Memory(Vec::new()))
    }

    fn add(&mut self, key: u128, bytes: &[u8]) -> io::Result<()> {
        match self {
            Spill::Memory(held) => write_entry(held, key, bytes),
            Spill::File(out) => write_entry(out, key, bytes),
        }
    }

    /// Copies every entry into `out`.
    fn copy_into(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Spill::Memory(held) => out.write_all(held),
            Spill::File(spilled) => {
                spilled.flush()?;
                let file = spilled.get_mut();
                file.rewind()?;
                io::copy(file, out)?;
                file.seek(io::SeekFrom::End(0)).map(|_| ())
            }
        }
    }
}

/// The previous build's values, and this build's, to keep for the next.
pub(crate) struct KeptLog {
    file: PathBuf,
    setup: u128,
    stored: Stored,
    /// The entries of `stored`: the whole file, if it had this setup.
    pub(super) index: layout::Index,
    /// How far `stored` holds whole, valid entries of this setup (0: none at all).
    valid: usize,
    /// The keys of the entries of `stored` this build used, as they were used (their
    /// places are in `index`: sixteen bytes each where key and place took 48, at hundreds
    /// of thousands of entries in an edit build of 100,000 pages).
    kept: Mutex<Vec<u128>>,
    /// How many entries this build made, written whole (header and bytes) into the spill.
    made: std::sync::atomic::AtomicUsize,
    spill: Mutex<Spill>,
    /// Whether a new entry failed to be written into the spill: then no new entry is
    /// kept, and the file stays as it was.
    spill_failed: std::sync::atomic::AtomicBool,
}

/// Where a build finds a log.
pub(crate) enum KeptFrom {
    /// In the build cache folder named, where the build keeps it too.
    Folder(PathBuf),
    /// In memory, as the last build left it (see [`LogToKeep::into_bytes`]); the build
    /// only reads it.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    Memory(Arc<Vec<u8>>),
}

impl KeptFrom {
    /// The log in file `name` (of the folder), for values made with setup hash `setup`.
    pub(crate) fn open(self, name: &str, setup: u128) -> KeptLog {
        match self {
            KeptFrom::Folder(dir) => {
                let file = dir.join(name);
                let stored = Stored::open(&file);
                KeptLog::of(file, stored, setup, Spill::temporary())
            }
            KeptFrom::Memory(bytes) => KeptLog::of(
                PathBuf::new(),
                Stored::Memory(bytes),
                setup,
                Spill::Memory(Vec::new()),
            ),
        }
    }
}

impl KeptLog {
    /// The log whose file (at `file`) holds `stored`.
    fn of(file: PathBuf, stored: Stored, setup: u128, spill: Spill) -> KeptLog {
        let (index, valid) = stored.index(setup);
        KeptLog {
            file,
            setup,
            stored,
            index,
            valid,
            kept: Mutex::new(Vec::new()),
            made: std::sync::atomic::AtomicUsize::new(0),
            spill: Mutex::new(spill),
            spill_failed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// What `read` makes of the bytes kept under `key`, which are then kept again; `None`
    /// if there are none, they cannot be read, or `read` cannot use them.
    pub(crate) fn find<T>(&self, key: u128, read: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        self.take(key, |bytes| read(&bytes))
    }

    /// The bytes kept under `key`, which are then kept again; `None` if there are none
    /// or they cannot be read. Read from a file, they are not copied again.
    pub(crate) fn find_bytes(&self, key: u128) -> Option<Vec<u8>> {
        self.take(key, |bytes| Some(bytes.into_owned()))
    }

    /// What `read` makes of the bytes kept under `key`, which are not kept again: for a
    /// value this build replaces.
    pub(crate) fn read_replaced<T>(
        &self,
        key: u128,
        read: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Option<T> {
        let range = self.index.get(&key)?;
        read(&self.stored.bytes(range.clone()).ok()?)
    }

    /// Keeps the entry of `key` for the next build without reading it; whether there is one.
    pub(crate) fn retain(&self, key: u128) -> bool {
        let there = self.index.contains_key(&key);
        if there {
            self.keep(key);
        }
        there
    }

    /// What `read` makes of the entry of `key` written by [`split_entry`]: its head's
    /// bytes, and its tail left where it is; the entry is then kept again.
    pub(crate) fn find_split<T>(
        &self,
        key: u128,
        read: impl FnOnce(&[u8], Tail<'_>) -> Option<T>,
    ) -> Option<T> {
        let range = self.index.get(&key)?;
        let (head, tail) = self.stored.split(range.clone()).ok()?;
        let value = read(&head, tail)?;
        self.keep(key);
        Some(value)
    }

    /// What `read` makes of the bytes of `key` in the file read; the entry is then kept
    /// for the next build.
    fn take<T>(&self, key: u128, read: impl FnOnce(Cow<'_, [u8]>) -> Option<T>) -> Option<T> {
        let range = self.index.get(&key)?;
        let value = read(self.stored.bytes(range.clone()).ok()?)?;
        self.keep(key);
        Some(value)
    }

    /// Keeps the entry of `key`, which this build used, for the next.
    fn keep(&self, key: u128) {
        self.kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(key);
    }

    /// Keeps `bytes` under `key` for the next build.
    pub(crate) fn add(&self, key: u128, bytes: Vec<u8>) {
        let mut spill = self.spill.lock().unwrap_or_else(|e| e.into_inner());
        if spill.add(key, &bytes).is_err() {
            self.spill_failed
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        drop(spill);
        self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// This build's entries, to keep for the next build once it has succeeded.
    pub(crate) fn finish(self) -> LogToKeep {
        let mut used = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        used.sort_unstable();
        used.dedup();
        // The new entries are in the spill; a key is kept or new, never both.
        let mut entries: Vec<(u128, Range<usize>)> = used
            .into_iter()
            .filter_map(|key| Some((key, self.index.get(&key)?.clone())))
            .collect();
        entries.shrink_to_fit();
        let made = self.made.into_inner();
        let spill = self.spill.into_inner().unwrap_or_else(|e| e.into_inner());
        // Values that could not be spilled are made again by the next build.
        let new = if self.spill_failed.into_inner() {
            0
        } else {
            made
        };
        let kept = entries.len();
        // Unused entries would pile up for ever in a log: past as many as are used,
        // and whenever the file is not whole and valid, write it anew.
        let unused = self.index.len() - kept;
        let whole = self.valid > 0 && self.valid == self.stored.len();
        let how = match (new, whole && unused <= kept) {
            (0, _) => Writing::Nothing,
            (_, true) => Writing::Append,
            (_, false) => Writing::Anew,
        };
        // A file appended to or left as it is needs none of the old bytes: a build closes
        // it now rather than after rendering (serve's logs, read from memory, keep them
        // for `into_bytes`).
        let from_folder = !self.file.as_os_str().is_empty();
        let (stored, entries) = if from_folder && how != Writing::Anew {
            (Stored::empty(), Vec::new())
        } else {
            (self.stored, entries)
        };
        LogToKeep {
            exact: made == 0 && whole && unused == 0,
            file: self.file,
            setup: self.setup,
            stored,
            entries,
            spill: Mutex::new(spill),
            how,
        }
    }
}

/// How a log's file is written.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Writing {
    /// Nothing: the file holds every entry this build used.
    Nothing,
    /// The new entries added at its end.
    Append,
    /// The used entries only, in a new file.
    Anew,
}

/// A log file to write once the build succeeded (a failed build writes nothing beside
/// its output): the entries kept from the old file, and the new ones.
pub(crate) struct LogToKeep {
    file: PathBuf,
    setup: u128,
    stored: Stored,
    /// The entries kept from `stored`, by key.
    entries: Vec<(u128, Range<usize>)>,
    /// The new entries.
    spill: Mutex<Spill>,
    pub(super) how: Writing,
    /// The file holds exactly the entries this build used.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(super) exact: bool,
}

impl LogToKeep {
    /// Appends the new entries, or writes the file anew in one step (a
    /// temporary file renamed over the old), streaming the entries.
    pub(crate) fn write(&self) -> io::Result<()> {
        if self.how == Writing::Anew {
            return super::write_whole(&self.file, |out| {
                let mut out = io::BufWriter::with_capacity(1 << 20, out);
                self.write_used(&mut out)?;
                out.flush()
            });
        }
        if self.how == Writing::Append {
            let file = std::fs::OpenOptions::new().append(true).open(&self.file)?;
            // A build killed meanwhile leaves a torn last entry, which the next ignores.
            let mut out = io::BufWriter::with_capacity(1 << 20, file);
            self.spill
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .copy_into(&mut out)?;
            out.flush()?;
        }
        // What a build killed while writing the file anew left, also when this build
        // had nothing to add (the next writing anew may be many builds away).
        let name = self.file.file_name().and_then(|n| n.to_str());
        if let (Some(dir), Some(name)) = (self.file.parent(), name) {
            super::remove_stale(dir, name);
        }
        Ok(())
    }

    /// The whole file, with the entries this build used: what `serve` keeps in memory
    /// for its next build (of a log read from memory). No copy when nothing changed.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn into_bytes(self) -> Arc<Vec<u8>> {
        if let (true, Stored::Memory(bytes)) = (self.exact, &self.stored) {
            return bytes.clone();
        }
        let mut out = Vec::with_capacity(self.stored.len());
        // Writing into a Vec does not fail, nor reading from memory; a file that cannot
        // be read leaves the log short, and the next build makes what it lacks.
        let _ = self.write_used(&mut out);
        Arc::new(out)
    }

    fn write_used(&self, out: &mut impl Write) -> io::Result<()> {
        write_header(out, self.setup)?;
        for (key, range) in &self.entries {
            write_entry(out, *key, &self.stored.bytes(range.clone())?)?;
        }
        self.spill
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .copy_into(out)
    }
}
