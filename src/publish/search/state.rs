//! What the last build's search index was, kept in the build cache (`search-index`), so
//! that an edit build makes again only the files of the index that an edit changed: for
//! each language's index, its documents' keys, its postings, and the hash of every file
//! it wrote. A file is taken from the previous site only where that site's manifest has
//! the hash recorded here; anything else is made again from the postings.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::super::postings::PostingList;
use crate::incremental::Previous;

/// The state file's name in the build cache.
pub(crate) const FILE: &str = "search-index";

/// Raised whenever the state's layout or what it describes changes.
const FORMAT: u32 = 1;

/// Every index of the last build, by folder (`search`, `ru/search`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct IndexState {
    indexes: Vec<LanguageIndex>,
}

/// One language's index, as the last build wrote it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct LanguageIndex {
    /// Its folder in the site.
    pub folder: String,
    /// Per document, in order: the key of its terms in the terms log, and of its row.
    pub docs: super::DocKeys,
    /// Every term with its postings, in term order.
    pub postings: Vec<(Box<str>, PostingList)>,
    /// The hash of each file written, by its path in the site.
    pub files: FxHashMap<String, u128>,
}

impl IndexState {
    /// The state kept in the cache folder `dir` for terms made with `setup`, if it is
    /// there, whole and of this muster.
    pub(crate) fn read(dir: &Path, setup: u128) -> Option<IndexState> {
        let bytes = std::fs::read(dir.join(FILE)).ok()?;
        let body = bytes.strip_prefix(&header(setup)[..])?;
        let (checksum, body) = body.split_at_checked(8)?;
        if xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() != checksum {
            return None;
        }
        postcard::from_bytes(body).ok()
    }

    /// Writes the state into the cache folder `dir`, for terms made with `setup`, in one
    /// step (a file renamed over the old).
    pub(crate) fn write(&self, dir: &Path, setup: u128) -> std::io::Result<()> {
        let body = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        crate::incremental::write_whole(&dir.join(FILE), |out| {
            use std::io::Write;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
            out.write_all(&header(setup))?;
            out.write_all(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes())?;
            out.write_all(&body)?;
            out.flush()
        })
    }
}

/// What the state file starts with: its format, muster's version and the terms' setup.
fn header(setup: u128) -> Vec<u8> {
    let mut header = b"muster search index\n".to_vec();
    header.extend_from_slice(&FORMAT.to_le_bytes());
    header.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    header.push(b'\n');
    header.extend_from_slice(&setup.to_le_bytes());
    header
}

/// The search index's part of a build that keeps its cache: the last build's indexes
/// and the site they are in, and this build's, to keep for the next.
pub(crate) struct IndexKeeping<'p> {
    last: Mutex<Vec<LanguageIndex>>,
    /// The site the last build left, from which unchanged files are taken.
    site: Option<&'p Previous>,
    made: Mutex<Vec<LanguageIndex>>,
    /// How many files of the indexes were made, and how many carried from `site`.
    files_made: AtomicUsize,
    files_carried: AtomicUsize,
}

impl<'p> IndexKeeping<'p> {
    /// Keeping for a build whose last build left `last` (if any) in `site`.
    pub(crate) fn new(last: Option<IndexState>, site: Option<&'p Previous>) -> Self {
        let last = match site {
            Some(_) => last.map(|s| s.indexes).unwrap_or_default(),
            // Without the site it describes, the last state has nothing to give.
            None => Vec::new(),
        };
        IndexKeeping {
            last: Mutex::new(last),
            site,
            made: Mutex::new(Vec::new()),
            files_made: AtomicUsize::new(0),
            files_carried: AtomicUsize::new(0),
        }
    }

    /// The last build's index in `folder`, taken out.
    pub(super) fn take_last(&self, folder: &str) -> Option<LanguageIndex> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let at = last.iter().position(|index| index.folder == folder)?;
        Some(last.swap_remove(at))
    }

    /// The previous site's path of `rel` and its hash, where its manifest says `rel`
    /// holds what hashes to `hash`: a file to carry as it is, counted as carried.
    pub(super) fn carried(&self, rel: &str, hash: Option<u128>) -> Option<(PathBuf, u128)> {
        let site = self.site?;
        let hash = hash?;
        if site.manifest.hashes.get(rel) != Some(&hash) {
            return None;
        }
        let from = crate::output::path::inside(&site.dir, rel).ok()?;
        self.files_carried.fetch_add(1, Ordering::Relaxed);
        Some((from, hash))
    }

    /// Counts a file of an index made by this build.
    pub(super) fn count_made(&self) {
        self.files_made.fetch_add(1, Ordering::Relaxed);
    }

    /// Keeps `index`, made by this build, for the next.
    pub(super) fn made(&self, index: LanguageIndex) {
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(index);
    }

    /// This build's indexes, to keep once the build succeeded (the last build's where
    /// this one made none: it took the whole index from the last site), and how many
    /// files it made and carried.
    pub(crate) fn finish(self) -> (IndexState, (usize, usize)) {
        let mut indexes = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        if indexes.is_empty() {
            indexes = self.last.into_inner().unwrap_or_else(|e| e.into_inner());
        }
        indexes.sort_by(|a, b| a.folder.cmp(&b.folder));
        let files = (
            self.files_made.into_inner(),
            self.files_carried.into_inner(),
        );
        (IndexState { indexes }, files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> IndexState {
        let mut list = PostingList::default();
        list.push(3, 7);
        IndexState {
            indexes: vec![LanguageIndex {
                folder: "search".into(),
                docs: vec![(1, 2), (3, 4)],
                postings: vec![("drill".into(), list)],
                files: [("search/docs-0.json".to_string(), 9)]
                    .into_iter()
                    .collect(),
            }],
        }
    }

    /// A state reads back as written; one of another setup, or damaged, does not.
    #[test]
    fn a_state_reads_back_only_whole_and_of_its_setup() {
        let dir = tempfile::tempdir().unwrap();
        state().write(dir.path(), 5).unwrap();
        let read = IndexState::read(dir.path(), 5).unwrap();
        assert_eq!(format!("{read:?}"), format!("{:?}", state()));
        assert!(IndexState::read(dir.path(), 6).is_none());
        let file = dir.path().join(FILE);
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        assert!(IndexState::read(dir.path(), 5).is_none());
        std::fs::write(&file, &bytes[..last]).unwrap();
        assert!(IndexState::read(dir.path(), 5).is_none());
    }
}
