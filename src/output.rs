//! Output: where rendered files go — a folder swapped in whole, or memory.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Receives the files of a build, from many threads at once.
pub trait OutputSink: Sync {
    /// Stores `contents` at `rel_path` (`/`-separated, relative to the output root).
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()>;
    /// Stores a copy of the file at `from` as `rel_path`.
    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(rel_path, &bytes)
    }
}

/// Writes files below a folder, creating parent folders as needed.
#[derive(Debug)]
pub struct DirSink {
    root: PathBuf,
}

impl DirSink {
    /// A sink writing below `root`.
    pub fn new(root: PathBuf) -> DirSink {
        DirSink { root }
    }

    fn target(&self, rel_path: &str) -> io::Result<PathBuf> {
        let path = self.root.join(rel_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl OutputSink for DirSink {
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()> {
        std::fs::write(self.target(rel_path)?, contents)
    }

    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.target(rel_path)?).map(|_| ())
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

    fn copy(&self, _: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from).map(|_| ())
    }
}

/// A fresh folder beside `output` to build into before swapping it in.
pub fn staging_dir(output: &Path) -> io::Result<PathBuf> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.muster-staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir(&staging)?;
    Ok(staging)
}

/// Replaces `output` with `staging`. The old output is moved aside first and
/// deleted only after the new one is in place.
pub fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    let mut old = staging.as_os_str().to_owned();
    old.push(".old");
    let old = PathBuf::from(old);
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(output, &old)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back so a failed swap loses nothing.
        let _ = std::fs::rename(&old, output);
        return Err(e);
    }
    remove_tree(&old)
}

/// Deletes a folder tree, removing its files in parallel: on a large site the
/// old output holds as many files as pages, and deleting them one by one
/// costs more than writing the new site.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push((entry.depth(), entry.into_path()));
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(std::fs::remove_file)?;
    // Deepest folders first, so each is empty when removed.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    dirs.iter().try_for_each(|(_, d)| std::fs::remove_dir(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let staging = staging_dir(&out).unwrap();
        DirSink::new(staging.clone())
            .write("a/index.html", b"new")
            .unwrap();
        swap_in(&staging, &out).unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!staging.exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
