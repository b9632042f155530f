//! Writing a build's files below a folder: a fresh one, or the site the last build
//! replaced (see [`super::cache`]), where a file whose contents did not change is left
//! as it is and only the rest is written.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::manifest::{self, ContentHash, Manifest, content_hash};
use super::parts::rewrite_parts;
use super::{OutputSink, path, replace};

/// Writes files below a folder, creating parent folders as needed. Every path goes
/// through [`path::inside`], and each may be written once: a second write of one path
/// is an error, never a silent overwrite.
#[derive(Debug)]
pub(crate) struct DirSink {
    root: PathBuf,
    /// What the folder held before this build (nothing, or a previous site).
    there: Manifest,
    /// Every file of this build, with the hash of its contents.
    written: Mutex<BTreeMap<String, ContentHash>>,
    /// Files whose contents were already there.
    kept: AtomicUsize,
}

/// What a [`DirSink`] did, once every file is in.
#[derive(Debug)]
pub(crate) struct Written {
    /// The files of this build.
    pub manifest: Manifest,
    /// How many of them were already there with these contents, and left alone.
    pub kept: usize,
}

impl DirSink {
    /// A sink writing below `root`, which must be a fresh folder muster made.
    #[cfg(test)]
    pub(crate) fn new(root: PathBuf) -> DirSink {
        DirSink::reusing(root, Manifest::default())
    }

    /// A sink writing below `root`, a folder of muster's that holds the files of
    /// `there` (a site swapped out by an earlier build): files whose hash is unchanged
    /// are not written again, and [`DirSink::finish`] deletes those this build lacks.
    pub(crate) fn reusing(root: PathBuf, there: Manifest) -> DirSink {
        DirSink {
            root,
            there,
            written: Mutex::default(),
            kept: AtomicUsize::new(0),
        }
    }

    /// Deletes the files that were there and that this build did not make, with the
    /// folders they leave empty; returns the build's manifest.
    pub(crate) fn finish(self) -> io::Result<Written> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let gone: Vec<&String> = self
            .there
            .files
            .iter()
            .filter(|f| !written.contains_key(*f))
            .collect();
        gone.par_iter().try_for_each(|rel| {
            let file = path::inside(&self.root, rel)?;
            match std::fs::symlink_metadata(&file) {
                // A folder of this build now stands there, or a file where its folder was.
                Ok(m) if m.is_dir() => Ok(()),
                Ok(_) => replace::remove_file_if_there(&file),
                Err(_) => Ok(()),
            }
        })?;
        replace::remove_empty_parents(&self.root, gone.iter().map(|s| s.as_str()));
        Ok(Written {
            manifest: Manifest::hashed(written),
            kept: self.kept.into_inner(),
        })
    }

    /// Where the file `rel` with contents hashing to `hash` goes, with its folders
    /// made; `None` when those contents are there already.
    fn target(&self, rel_path: &str, hash: ContentHash) -> io::Result<Option<PathBuf>> {
        let path = self.inside(rel_path)?;
        self.record(rel_path, hash)?;
        if self.there.hashes.get(rel_path) == Some(&hash) {
            self.kept.fetch_add(1, Ordering::Relaxed);
            return Ok(None);
        }
        self.make_way(rel_path, path).map(Some)
    }

    /// Where the file `rel` goes, with its folders made, for contents whose hash is known
    /// only once they are written ([`DirSink::write_parts`] records it then).
    fn claim(&self, rel_path: &str) -> io::Result<PathBuf> {
        let path = self.inside(rel_path)?;
        self.record(rel_path, 0)?;
        self.make_way(rel_path, path)
    }

    /// The path of `rel` below the folder, refusing muster's own names.
    fn inside(&self, rel_path: &str) -> io::Result<PathBuf> {
        let path = path::inside(&self.root, rel_path)?;
        let top = rel_path.split('/').next().unwrap_or_default();
        if top == manifest::FILE || replace::is_inner_staging(top) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "this name is muster's own, in the output folder",
            ));
        }
        Ok(path)
    }

    /// Records that this build writes `rel` with contents hashing to `hash`; an error
    /// if it was written already.
    fn record(&self, rel_path: &str, hash: ContentHash) -> io::Result<()> {
        let first = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel_path.to_string(), hash)
            .is_none();
        if !first {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "two outputs of this build have this path",
            ));
        }
        Ok(())
    }

    /// Makes `rel`'s folders (at `path`), removing what of the previous site stands in
    /// their way or where the file goes.
    fn make_way(&self, rel_path: &str, path: PathBuf) -> io::Result<PathBuf> {
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            self.make_room(rel_path)?;
            std::fs::create_dir_all(parent)?;
        }
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            // The previous site had pages below where this file goes; all of it is muster's.
            std::fs::remove_dir_all(&path)?;
        }
        Ok(path)
    }

    /// Deletes the previous site's files that stand where `rel`'s folders go.
    fn make_room(&self, rel: &str) -> io::Result<()> {
        let mut at = String::new();
        for component in rel.split('/').take(rel.split('/').count() - 1) {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(component);
            let path = path::inside(&self.root, &at)?;
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {}
                Ok(_) if self.there.files.contains(&at) => replace::remove_file_if_there(&path)?,
                _ => break,
            }
        }
        Ok(())
    }
}

impl OutputSink for DirSink {
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()> {
        match self.target(rel_path, content_hash(contents))? {
            Some(path) => std::fs::write(path, contents),
            None => Ok(()),
        }
    }

    fn write_parts(
        &self,
        rel_path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> io::Result<()> {
        // Compared with the file there, if any, as the parts come, and written only from
        // where it differs; hashed on the way.
        let path = self.claim(rel_path)?;
        let (hash, unchanged) = rewrite_parts(&path, parts)?;
        if unchanged && self.there.hashes.contains_key(rel_path) {
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel_path.to_string(), hash);
        Ok(())
    }

    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        self.carry(rel_path, from, file_hash(from)?)
    }

    fn carry(&self, rel_path: &str, from: &Path, hash: ContentHash) -> io::Result<()> {
        match self.target(rel_path, hash)? {
            Some(path) => std::fs::copy(from, path).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// The hash of a file's contents, read in pieces (a copied file may be large).
fn file_hash(file: &Path) -> io::Result<ContentHash> {
    let mut reader = std::fs::File::open(file)?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match reader.read(&mut buffer)? {
            0 => return Ok(hasher.digest128()),
            n => hasher.update(&buffer[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::tree;

    /// A file written in parts has the same hash written into a fresh folder as compared
    /// with the file there in a reused one, where an unchanged file counts as kept.
    #[test]
    fn parts_are_hashed_as_written_and_left_alone_when_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let parts = || [b"{\"a\":".to_vec(), b"[1,2]".to_vec(), b"}".to_vec()].into_iter();
        let sink = DirSink::new(out.clone());
        sink.write_parts("api/pages.json", &mut parts()).unwrap();
        let first = sink.finish().unwrap();
        // Nothing was there: written, not kept.
        assert_eq!(first.kept, 0);
        let first = first.manifest;
        assert_eq!(
            first.hashes.get("api/pages.json"),
            Some(&content_hash(b"{\"a\":[1,2]}"))
        );
        assert_eq!(
            std::fs::read(out.join("api/pages.json")).unwrap(),
            b"{\"a\":[1,2]}"
        );

        let sink = DirSink::reusing(out.clone(), first.clone());
        sink.write_parts("api/pages.json", &mut parts()).unwrap();
        let again = sink.finish().unwrap();
        assert_eq!(
            (again.kept, again.manifest.hashes),
            (1, first.hashes.clone())
        );

        let sink = DirSink::reusing(out.clone(), first);
        sink.write_parts("api/pages.json", &mut [b"[]".to_vec()].into_iter())
            .unwrap();
        assert_eq!(sink.finish().unwrap().kept, 0);
        assert_eq!(std::fs::read(out.join("api/pages.json")).unwrap(), b"[]");
    }

    /// Into a reused folder, parts are compared with the file there as they come: an
    /// unchanged file is not written at all, a changed one from where it first differs.
    #[test]
    fn parts_rewrite_the_file_there_from_where_it_differs() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let file = out.join("graph.json");
        let write = |there: &Manifest, parts: &[&[u8]]| {
            let sink = DirSink::reusing(out.clone(), there.clone());
            let mut parts = parts.iter().map(|p| p.to_vec());
            sink.write_parts("graph.json", &mut parts).unwrap();
            let written = sink.finish().unwrap();
            let hash = written.manifest.hashes["graph.json"];
            assert_eq!(hash, content_hash(&std::fs::read(&file).unwrap()));
            (written.manifest, written.kept)
        };
        let (there, _) = write(&Manifest::default(), &[b"[1,", b"2,", b"3]"]);
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000);
        let age = |at| {
            let f = std::fs::File::options().write(true).open(&file).unwrap();
            f.set_modified(at).unwrap();
        };
        let modified = || std::fs::metadata(&file).unwrap().modified().unwrap();
        age(long_ago);
        // The same bytes in other parts: not written.
        assert_eq!(write(&there, &[b"[1,2", b",3]"]).1, 1);
        assert_eq!(modified(), long_ago);
        let cases: [(&[&[u8]], &[u8]); 4] = [
            (&[b"[1,", b"9,", b"3]"], b"[1,9,3]"),
            (&[b"[1,", b"2,", b"3,4]"], b"[1,2,3,4]"),
            (&[b"[1]"], b"[1]"),
            (&[b"", b"[]"], b"[]"),
        ];
        for (parts, whole) in cases {
            let (there, _) = write(&there, &[b"[1,", b"2,", b"3]"]);
            age(long_ago);
            assert_eq!(write(&there, parts).1, 0);
            assert_eq!(std::fs::read(&file).unwrap(), whole);
            assert_ne!(modified(), long_ago);
        }
        // Gone from the folder although the manifest lists it: made again.
        std::fs::remove_file(&file).unwrap();
        write(&there, &[b"[5]"]);
        assert_eq!(std::fs::read(&file).unwrap(), b"[5]");
    }

    #[test]
    fn dir_sink_writes_inside_once_per_path() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink::new(tmp.path().join("out"));
        std::fs::create_dir(tmp.path().join("out")).unwrap();
        sink.write("a/index.html", b"x").unwrap();
        sink.write_parts("b.json", &mut [b"[".to_vec(), b"]".to_vec()].into_iter())
            .unwrap();
        let again = sink.write("a/index.html", b"y").unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        for bad in ["../escape", "/abs", "a/../../b", ""] {
            assert!(sink.write(bad, b"x").is_err(), "{bad}");
        }
        assert_eq!(tree(tmp.path()), ["out/a/index.html", "out/b.json"]);
        let written = sink.finish().unwrap();
        assert_eq!(
            written.manifest.files.into_iter().collect::<Vec<_>>(),
            ["a/index.html", "b.json"]
        );
        // Hashed in parts as in one piece.
        assert_eq!(written.manifest.hashes["b.json"], content_hash(b"[]"));
    }

    /// Writes `files` into a fresh `out` and returns its manifest.
    fn first_build(out: &Path, files: &[(&str, &str)]) -> Manifest {
        std::fs::create_dir(out).unwrap();
        let sink = DirSink::new(out.to_path_buf());
        for (rel, text) in files {
            sink.write(rel, text.as_bytes()).unwrap();
        }
        sink.finish().unwrap().manifest
    }

    #[test]
    fn reusing_a_previous_site_writes_only_what_changed_and_removes_what_went() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let there = first_build(
            &out,
            &[
                ("same/index.html", "same"),
                ("changed/index.html", "old"),
                ("gone/deep/index.html", "gone"),
                ("file-then-folder", "a file"),
                ("folder-then-file/index.html", "in a folder"),
            ],
        );
        let same = out.join("same/index.html");
        let old_time = std::fs::metadata(&same).unwrap().modified().unwrap();
        let sink = DirSink::reusing(out.clone(), there);
        sink.write("same/index.html", b"same").unwrap();
        sink.write("changed/index.html", b"new").unwrap();
        sink.write("file-then-folder/index.html", b"now in a folder")
            .unwrap();
        sink.write("folder-then-file", b"now a file").unwrap();
        sink.write("added.txt", b"added").unwrap();
        let written = sink.finish().unwrap();
        assert_eq!(written.kept, 1);
        assert_eq!(
            tree(&out),
            [
                "added.txt",
                "changed/index.html",
                "file-then-folder/index.html",
                "folder-then-file",
                "same/index.html"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("changed/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("folder-then-file")).unwrap(),
            "now a file"
        );
        // Left alone, not written again with the same bytes.
        assert_eq!(
            std::fs::metadata(&same).unwrap().modified().unwrap(),
            old_time
        );
        assert!(!out.join("gone").exists());
        assert_eq!(written.manifest.files.len(), 5);
    }
}
