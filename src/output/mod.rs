//! Output: where rendered files go — a staging folder that replaces the output
//! folder when the build succeeded (see [`replace`]), or memory.

mod buffer;
pub(crate) mod cache;
mod dir;
pub(crate) mod folder;
pub(crate) mod listings;
pub(crate) mod manifest;
mod parts;
pub(crate) mod path;
pub(crate) mod replace;

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Mutex;

pub(crate) use buffer::PieceBuffer;
pub(crate) use cache::BuildCache;
pub(crate) use dir::{DirSink, Written};
pub(crate) use folder::{OutputFolder, OutputPlace};

/// Receives the files of a build, from many threads at once.
pub trait OutputSink: Sync {
    /// Stores `contents` at `rel_path` (`/`-separated, relative to the output root).
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()>;
    /// Stores the parts `parts` makes, one after another, as one file at `rel_path`: for
    /// a file too large to hold whole (`pages.json`), a sink may write each part as it
    /// comes.
    fn write_parts(
        &self,
        rel_path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> io::Result<()> {
        let mut whole = Vec::new();
        for part in parts {
            whole.extend_from_slice(&part);
        }
        self.write(rel_path, &whole)
    }
    /// Stores a copy of the file at `from` as `rel_path`.
    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(rel_path, &bytes)
    }
    /// Stores the file at `from`, an output of the previous build whose contents hash
    /// to `hash` (its manifest says so), as `rel_path`.
    fn carry(&self, rel_path: &str, from: &Path, hash: u128) -> io::Result<()> {
        let _ = hash;
        self.copy(rel_path, from)
    }
}

/// Keeps files in memory, for `muster serve` and tests.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// Takes the stored files out.
    pub fn into_files(self) -> HashMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl OutputSink for MemorySink {
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel_path.to_string(), contents.to_vec());
        Ok(())
    }
}

/// Discards everything, for `muster check`.
#[derive(Debug, Default)]
pub struct NullSink;

impl OutputSink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }

    /// The parts are not even made: nothing in them can fail.
    fn write_parts(&self, _: &str, _: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        Ok(())
    }

    fn copy(&self, _: &str, from: &Path) -> io::Result<()> {
        // Opened, not only looked at: `check` must fail where `build` could not read it.
        std::fs::File::open(from).map(|_| ())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The files below `dir`, `/`-separated and sorted.
    pub(crate) fn tree(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }
}
