//! The manifest: the list of files a build wrote, kept in the output folder, so the
//! next build knows which files are muster's to replace or delete and which are not,
//! with a hash of each file's contents, so that a build reusing this folder rewrites
//! only the files whose contents changed.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

/// The manifest's file name inside the output folder.
pub(crate) const FILE: &str = ".muster-manifest";

/// Its first line; a file without it is not a manifest muster wrote.
const HEADER: &str =
    "# muster manifest 2: the files muster wrote here; it replaces or deletes only these";

/// The first line of manifests without hashes, which older versions wrote.
const HEADER_1: &str =
    "# muster manifest 1: the files muster wrote here; it replaces or deletes only these";

/// A hash of a file's contents (xxh3, 128 bits).
pub(crate) type ContentHash = u128;

/// The hash of `bytes`, as manifests keep it.
pub(crate) fn content_hash(bytes: &[u8]) -> ContentHash {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The output paths (`/`-separated, relative to the output folder) of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// Every file written, sorted; the manifest itself is not listed.
    pub files: BTreeSet<String>,
    /// The hash of each file's contents, where known (not in manifests of version 1).
    pub hashes: BTreeMap<String, ContentHash>,
}

impl Manifest {
    /// The manifest of the output folder `dir`; `None` when it has none (or not one
    /// muster wrote), so that every file there counts as someone else's.
    pub(crate) fn read(dir: &Path) -> io::Result<Option<Manifest>> {
        let text = match std::fs::read_to_string(dir.join(FILE)) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            // Not UTF-8: not ours.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut lines = text.lines();
        let hashed = match lines.next() {
            Some(HEADER) => true,
            Some(HEADER_1) => false,
            _ => return Ok(None),
        };
        let mut files = Vec::new();
        let mut hashes = Vec::new();
        for line in lines {
            let (hash, rel) = match line.split_once(' ') {
                Some((hash, rel)) if hashed => (ContentHash::from_str_radix(hash, 16).ok(), rel),
                _ => (None, line),
            };
            // Only paths muster could have written count; anything else in the file is ignored.
            if super::path::check_relative(rel).is_err() || hashed && hash.is_none() {
                continue;
            }
            files.push(rel.to_string());
            // Zero stands for contents not known (see `to_text`).
            if let Some(hash) = hash.filter(|h| *h != 0) {
                hashes.push((rel.to_string(), hash));
            }
        }
        // Collected whole: the lines are written in order, and a sorted list is built
        // into a tree in one pass, where inserting line by line searches the tree each time.
        Ok(Some(Manifest {
            files: files.into_iter().collect(),
            hashes: hashes.into_iter().collect(),
        }))
    }

    /// A manifest of `files` with the hash of each, as a build wrote them.
    pub(crate) fn hashed(hashes: BTreeMap<String, ContentHash>) -> Manifest {
        Manifest {
            files: hashes.keys().cloned().collect(),
            hashes,
        }
    }

    /// The manifest's text.
    pub(crate) fn to_text(&self) -> String {
        let mut text = String::with_capacity(HEADER.len() + 1 + self.files.len() * 64);
        text.push_str(HEADER);
        text.push('\n');
        // Both sorted by path, the hashes a subset: walked side by side.
        let mut hashes = self.hashes.iter().peekable();
        for f in &self.files {
            // A file of unknown contents is written with zero, read back as unknown: a
            // build reusing it writes the file again.
            while hashes.next_if(|(h, _)| h.as_str() < f.as_str()).is_some() {}
            let hash = hashes
                .next_if(|(h, _)| *h == f)
                .map_or(0, |(_, hash)| *hash);
            push_hex(&mut text, hash);
            text.push(' ');
            text.push_str(f);
            text.push('\n');
        }
        text
    }

    /// Writes the manifest into `dir` in one step (a temporary file renamed over it),
    /// so a build killed meanwhile leaves the old list or the new one.
    pub(crate) fn write(&self, dir: &Path) -> io::Result<()> {
        let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, self.to_text())?;
        std::fs::rename(&tmp, dir.join(FILE)).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Whether `rel` is a file of this manifest, or a folder holding one.
    pub(crate) fn holds_folder(&self, rel: &str) -> bool {
        let prefix = [rel, "/"].concat();
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .next()
            .is_some_and(|f| f.starts_with(&prefix))
    }
}

/// Appends `hash` as 32 lowercase hexadecimal digits (as `{:032x}` writes it, which
/// cost more than the rest of the manifest's text).
fn push_hex(text: &mut String, hash: ContentHash) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digits: [u8; 32] = std::array::from_fn(|i| DIGITS[(hash >> (124 - 4 * i)) as usize & 0xf]);
    text.extend(digits.iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_what_is_not_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        let m = Manifest::hashed(
            ["index.html", "a/b/index.html", "style.css"]
                .map(|f| (f.to_string(), content_hash(f.as_bytes())))
                .into(),
        );
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(m.clone()));
        assert!(m.holds_folder("a") && m.holds_folder("a/b") && !m.holds_folder("a/b/index.html"));
        assert!(!m.holds_folder("b"));
        // Someone else's file of that name, or lines that would leave the folder.
        std::fs::write(dir.path().join(FILE), "my notes\nindex.html\n").unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        std::fs::write(
            dir.path().join(FILE),
            format!(
                "{HEADER}\n{:032x} ../x\n{:032x} /etc/passwd\nno-hash.html\n{:032x} ok.html\n",
                1, 2, 3
            ),
        )
        .unwrap();
        let read = Manifest::read(dir.path()).unwrap().unwrap();
        assert_eq!(read.files.into_iter().collect::<Vec<_>>(), ["ok.html"]);
        assert_eq!(read.hashes["ok.html"], 3);
        // Version 1 lists files without hashes; they are still muster's.
        std::fs::write(dir.path().join(FILE), format!("{HEADER_1}\nok.html\n")).unwrap();
        let read = Manifest::read(dir.path()).unwrap().unwrap();
        assert_eq!(read.files.into_iter().collect::<Vec<_>>(), ["ok.html"]);
        assert!(read.hashes.is_empty());
        // Only the manifest is left: no temporary file.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Each line is the hash as `{:032x}` writes it (zero where unknown), then the path.
    #[test]
    fn the_text_lists_every_file_with_its_hash_or_zero() {
        let hashes = [("a", u128::MAX), ("b/c", 0x0123_abcd), ("d", 1 << 127)];
        let mut m = Manifest::hashed(hashes.map(|(f, h)| (f.to_string(), h)).into());
        m.files
            .extend(["0".to_string(), "b".to_string(), "z".to_string()]);
        let want: String = ["0", "a", "b", "b/c", "d", "z"]
            .iter()
            .map(|f| {
                let hash = hashes.iter().find(|(g, _)| g == f).map_or(0, |(_, h)| *h);
                format!("{hash:032x} {f}\n")
            })
            .collect();
        assert_eq!(m.to_text(), format!("{HEADER}\n{want}"));
    }
}
