//! Output: where rendered files go — a staging folder that replaces the output
//! folder when the build succeeded (see [`replace`]), or memory.

pub(crate) mod folder;
pub(crate) mod manifest;
pub(crate) mod path;
pub(crate) mod replace;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub(crate) use folder::OutputFolder;
pub(crate) use manifest::Manifest;

/// Receives the files of a build, from many threads at once.
pub trait OutputSink: Sync {
    /// Stores `contents` at `rel_path` (`/`-separated, relative to the output root).
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()>;
    /// Stores `parts`, one after another, as one file at `rel_path`.
    fn write_parts(&self, rel_path: &str, parts: &[Vec<u8>]) -> io::Result<()> {
        self.write(rel_path, &parts.concat())
    }
    /// Stores a copy of the file at `from` as `rel_path`.
    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(rel_path, &bytes)
    }
}

/// Writes files below a folder, creating parent folders as needed. Every path goes
/// through [`path::inside`], and each may be written once: a second write of one path
/// is an error, never a silent overwrite.
#[derive(Debug)]
pub(crate) struct DirSink {
    root: PathBuf,
    written: Mutex<BTreeSet<String>>,
}

impl DirSink {
    /// A sink writing below `root`, which must be a fresh folder muster made.
    pub(crate) fn new(root: PathBuf) -> DirSink {
        DirSink {
            root,
            written: Mutex::default(),
        }
    }

    /// The files written, as the manifest of this build.
    pub(crate) fn into_manifest(self) -> Manifest {
        Manifest {
            files: self.written.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn target(&self, rel_path: &str) -> io::Result<PathBuf> {
        let path = path::inside(&self.root, rel_path)?;
        let top = rel_path.split('/').next().unwrap_or_default();
        if top == manifest::FILE || replace::is_inner_staging(top) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "this name is muster's own, in the output folder",
            ));
        }
        let first = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel_path.to_string());
        if !first {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "two outputs of this build have this path",
            ));
        }
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

    fn write_parts(&self, rel_path: &str, parts: &[Vec<u8>]) -> io::Result<()> {
        use std::io::Write;
        let mut file = io::BufWriter::new(std::fs::File::create(self.target(rel_path)?)?);
        for part in parts {
            file.write_all(part)?;
        }
        file.flush()
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

    fn write_parts(&self, _: &str, _: &[Vec<u8>]) -> io::Result<()> {
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

    #[test]
    fn dir_sink_writes_inside_once_per_path() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink::new(tmp.path().join("out"));
        std::fs::create_dir(tmp.path().join("out")).unwrap();
        sink.write("a/index.html", b"x").unwrap();
        sink.write_parts("b.json", &[b"[".to_vec(), b"]".to_vec()])
            .unwrap();
        let again = sink.write("a/index.html", b"y").unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        for bad in ["../escape", "/abs", "a/../../b", ""] {
            assert!(sink.write(bad, b"x").is_err(), "{bad}");
        }
        assert_eq!(tree(tmp.path()), ["out/a/index.html", "out/b.json"]);
        assert_eq!(
            sink.into_manifest().files.into_iter().collect::<Vec<_>>(),
            ["a/index.html", "b.json"]
        );
    }
}
