//! What each folder of the output held when a build last listed it, with the folder's
//! stamp at that moment (device, inode, modified and changed times), kept in the build
//! cache so that the next build lists again only the folders whose stamp moved.
//!
//! Adding, removing or renaming an entry sets its folder's modified time to the present,
//! so a folder whose stamp is unchanged holds what it held when it was listed, provided
//! its modified time lay clearly in the past then: a change within the same tick of the
//! file system's clock would not move it (git's "racily clean" files). A folder changed
//! within the last [`SETTLED`] before the look is therefore listed and not kept.
//! A folder is stat'ed before it is listed: a change between the two moves the stamp
//! past the one kept, and the folder is listed again next time.

use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

/// The file in the build cache.
pub(crate) const FILE: &str = "listings";

/// Changes whenever the file's encoding does.
const FORMAT: u32 = 1;

/// How long before a look a folder must have last changed for its listing to be kept:
/// more than the coarsest clock of common file systems (FAT's two seconds).
const SETTLED: Duration = Duration::from_secs(3);

/// A folder's names: each entry's, and whether it is a folder (not following links).
pub(crate) type Entries = Vec<(String, bool)>;

/// A folder's identity and times, as `stat` gives them: nanoseconds since 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    dev: u64,
    ino: u64,
    modified: i128,
    changed: i128,
}

impl Stamp {
    /// The stamp of the folder `meta` describes; `None` where the system gives no inode.
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            modified: ns(meta.mtime(), meta.mtime_nsec()),
            changed: ns(meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// No stamps: every folder is listed.
    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether the folder last changed at least [`SETTLED`] before `now`.
    fn settled(&self, now: SystemTime) -> bool {
        let now = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        now - self.modified >= SETTLED.as_nanos() as i128
    }
}

/// One folder's listing: where it is in the output, its stamp, its entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Listed {
    rel: String,
    stamp: Stamp,
    entries: Entries,
}

/// The listings the last two looks kept (each of the output folder of its build: the
/// folder now in place and the spare, which take turns), and this look's.
#[derive(Debug, Default)]
pub(crate) struct Listings {
    /// Read from the cache, the last look's first; each sorted by path.
    kept: [Vec<Listed>; 2],
    /// This look's, settled folders only.
    fresh: Vec<Listed>,
    /// How many folders this look listed, and how many it knew unchanged.
    pub counts: (usize, usize),
}

impl Listings {
    /// The listings kept in the cache folder `dir`; none if it holds none, or a file
    /// of another version or damaged.
    pub(crate) fn read(dir: &Path) -> Listings {
        let kept = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| {
                let rest = bytes.strip_prefix(&FORMAT.to_le_bytes())?;
                postcard::from_bytes::<[Vec<Listed>; 2]>(rest).ok()
            })
            .unwrap_or_default();
        Listings {
            kept,
            ..Listings::default()
        }
    }

    /// The entries of the folder `dir` (at `rel` in the output): as kept, if its stamp
    /// is the one kept, else listed now. Kept for the next look if settled by `now`.
    pub(crate) fn list(&mut self, dir: &Path, rel: &str, now: SystemTime) -> io::Result<Entries> {
        let stamp = Stamp::of(&std::fs::symlink_metadata(dir)?);
        let known = stamp.and_then(|stamp| self.known(rel, stamp)).cloned();
        let entries = match known {
            Some(entries) => {
                self.counts.1 += 1;
                entries
            }
            None => {
                self.counts.0 += 1;
                list_now(dir)?
            }
        };
        if let Some(stamp) = stamp.filter(|s| s.settled(now)) {
            self.fresh.push(Listed {
                rel: rel.to_string(),
                stamp,
                entries: entries.clone(),
            });
        }
        Ok(entries)
    }

    /// The kept entries of the folder at `rel`, if one of the looks kept it with `stamp`.
    fn known(&self, rel: &str, stamp: Stamp) -> Option<&Entries> {
        self.kept.iter().find_map(|look| {
            let at = look.binary_search_by(|l| l.rel.as_str().cmp(rel)).ok()?;
            Some(&look[at])
                .filter(|l| l.stamp == stamp)
                .map(|l| &l.entries)
        })
    }

    /// Writes this look's listings and the last look's into the cache folder `dir`.
    pub(crate) fn write(mut self, dir: &Path) -> io::Result<()> {
        self.fresh.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        let [last, _] = self.kept;
        let looks = [self.fresh, last];
        let mut bytes = FORMAT.to_le_bytes().to_vec();
        bytes.extend(postcard::to_stdvec(&looks).map_err(io::Error::other)?);
        crate::incremental::write_whole(&dir.join(FILE), |out| io::Write::write_all(out, &bytes))
    }
}

/// The entries of the folder `dir`, read from the disk.
fn list_now(dir: &Path) -> io::Result<Entries> {
    std::fs::read_dir(dir)?
        .map(|entry| {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            Ok((name, entry.file_type()?.is_dir()))
        })
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Sets the modified time of `path` an hour back, as a folder long unchanged has.
    fn age(path: &Path) {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::open(path)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }

    fn sorted(mut entries: Entries) -> Entries {
        entries.sort();
        entries
    }

    #[test]
    fn settled_folders_are_not_listed_again_until_they_change() {
        let tmp = tempfile::tempdir().unwrap();
        let (cache, out) = (tmp.path().join("cache"), tmp.path().join("out"));
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "x").unwrap();
        let look = |listings: &mut Listings| {
            let now = SystemTime::now();
            (
                sorted(listings.list(&out, "", now).unwrap()),
                sorted(listings.list(&out.join("a"), "a", now).unwrap()),
            )
        };
        // Changed just now: listed, and not kept.
        let mut first = Listings::read(&cache);
        let seen = look(&mut first);
        assert_eq!(seen.1, [("index.html".to_string(), false)]);
        assert_eq!(first.counts, (2, 0));
        first.write(&cache).unwrap();
        let mut second = Listings::read(&cache);
        assert_eq!(look(&mut second), seen);
        assert_eq!(second.counts, (2, 0));
        // Long unchanged: listed once, then known.
        age(&out);
        age(&out.join("a"));
        second.write(&cache).unwrap();
        let mut third = Listings::read(&cache);
        look(&mut third);
        third.write(&cache).unwrap();
        let mut fourth = Listings::read(&cache);
        assert_eq!(look(&mut fourth), seen);
        assert_eq!(fourth.counts, (0, 2));
        // A file added: its folder's stamp moved, so it is listed and the file found.
        std::fs::write(out.join("a/CNAME"), "x").unwrap();
        fourth.write(&cache).unwrap();
        let mut fifth = Listings::read(&cache);
        let (root, a) = look(&mut fifth);
        assert_eq!(root, seen.0);
        assert_eq!(
            a,
            [
                ("CNAME".to_string(), false),
                ("index.html".to_string(), false)
            ]
        );
        assert_eq!(fifth.counts, (1, 1));
        // A folder of the same name made anew (another inode) is listed too.
        std::fs::remove_dir_all(out.join("a")).unwrap();
        std::fs::create_dir(out.join("a")).unwrap();
        age(&out.join("a"));
        age(&out);
        fifth.write(&cache).unwrap();
        let mut sixth = Listings::read(&cache);
        assert!(look(&mut sixth).1.is_empty());
        assert_eq!(sixth.counts.0, 2);
    }

    #[test]
    fn a_damaged_or_older_file_is_no_listings() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(FILE), b"\x01\0\0\0\xff\xff").unwrap();
        assert!(Listings::read(tmp.path()).kept.iter().all(Vec::is_empty));
        std::fs::write(tmp.path().join(FILE), b"\x00\0\0\0").unwrap();
        assert!(Listings::read(tmp.path()).kept.iter().all(Vec::is_empty));
    }
}
