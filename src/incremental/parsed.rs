//! The parse cache: what the Markdown stage made of each page body ([`ParsedBody`]),
//! kept in the build cache between builds so that an unchanged body is not parsed,
//! highlighted and rendered to HTML again.
//!
//! An entry is found by a hash of the body's text and of everything else the stage
//! reads: muster's version, site.yaml's `markdown:` and `heading_ids:`, and the
//! shortcodes' declarations. A body that includes another page (`{{ include() }}`)
//! depends on that page too, so it is parsed every time and never kept.
//!
//! The file is a log: a build that parsed a few pages appends their entries (one
//! write, after the build succeeded) instead of rewriting the whole cache; once the
//! entries no page uses any more outweigh the used ones, the file is rewritten with
//! the used ones only (a temporary file renamed over it). Each entry carries a
//! checksum: a torn or damaged entry, and all after it, are ignored, and those pages
//! parsed. A file of another setup or version is ignored as a whole.

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::config::SiteConfig;
use crate::markdown::ParsedBody;
use crate::shortcodes::Shortcodes;

/// The cache file's name in the build cache folder.
pub(crate) const FILE: &str = "parsed";

/// Changes whenever the stored layout does.
const FORMAT: u32 = 2;

// The file's layout, little-endian: [`FORMAT`] (4 bytes) and the setup hash (16), then
// entries: key (16 bytes), length (8), checksum of the bytes (8), and the bytes (a
// postcard-encoded `ParsedBody`). Written by hand: serde would copy the bytes one by
// one as a sequence.

/// Where this build's entry of a body comes from.
enum Entry {
    /// The same bytes as in the file read.
    Kept(Range<usize>),
    /// Parsed now.
    New(Vec<u8>),
}

/// The previous build's parsed bodies, and this build's, to keep for the next.
pub(crate) struct ParseCache {
    file: PathBuf,
    setup: u128,
    stored: Arc<Vec<u8>>,
    /// The entries of `stored`: the whole file, if it had this setup.
    index: HashMap<u128, Range<usize>>,
    /// How far `stored` holds whole, valid entries of this setup (0: none at all).
    valid: usize,
    used: Mutex<Vec<(u128, Entry)>>,
}

/// A hash of what the Markdown stage reads besides a body's text.
pub(crate) fn setup(config: &SiteConfig, shortcodes: Option<&Shortcodes>) -> u128 {
    let text = format!(
        "{FORMAT}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{shortcodes:?}",
        env!("CARGO_PKG_VERSION"),
        config.heading_ids,
        config.markdown,
    );
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

impl ParseCache {
    /// The cache in the folder `dir`, for a site whose setup hash is `setup`; empty if
    /// there is none, or it is unreadable or was made with another setup.
    pub(crate) fn open(dir: &Path, setup: u128) -> ParseCache {
        let file = dir.join(FILE);
        let stored = std::fs::read(&file).unwrap_or_default();
        ParseCache::of(file, Arc::new(stored), setup)
    }

    /// The cache whose file's contents are `stored` (kept in memory by `serve`).
    fn of(file: PathBuf, stored: Arc<Vec<u8>>, setup: u128) -> ParseCache {
        let (index, valid) = index_of(&stored, setup);
        ParseCache {
            file,
            setup,
            stored,
            index,
            valid,
            used: Mutex::new(Vec::new()),
        }
    }

    fn key(&self, body: &str) -> u128 {
        let mut hash = Xxh3::new();
        hash.update(&self.setup.to_le_bytes());
        hash.update(body.as_bytes());
        hash.digest128()
    }

    /// What the Markdown stage makes of `body`: from the cache if it holds it, else from
    /// `scan`, which is kept unless the body includes another page.
    pub(crate) fn scan(&self, body: &str, scan: impl FnOnce() -> ParsedBody) -> ParsedBody {
        let key = self.key(body);
        if let Some(range) = self.index.get(&key)
            && let Ok(parsed) = postcard::from_bytes::<ParsedBody>(&self.stored[range.clone()])
        {
            self.record(key, Entry::Kept(range.clone()));
            return parsed;
        }
        let parsed = scan();
        if parsed.included.is_empty()
            && let Ok(bytes) = postcard::to_stdvec(&parsed)
        {
            self.record(key, Entry::New(bytes));
        }
        parsed
    }

    fn record(&self, key: u128, entry: Entry) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, entry));
    }

    /// This build's entries, to keep for the next build once it has succeeded.
    pub(crate) fn finish(self) -> ParsesToKeep {
        let mut used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        used.sort_unstable_by_key(|(key, _)| *key);
        used.dedup_by_key(|(key, _)| *key);
        let new = used
            .iter()
            .filter(|(_, e)| matches!(e, Entry::New(_)))
            .count();
        let kept = used.len() - new;
        // Unused entries would pile up for ever in a log: past as many as are used,
        // and whenever the file is not whole and valid, write it anew.
        let unused = self.index.len() - kept;
        let whole = self.valid > 0 && self.valid == self.stored.len();
        let how = match (new, whole && unused <= kept) {
            (0, _) => Writing::Nothing,
            (_, true) => Writing::Append,
            (_, false) => Writing::Anew,
        };
        ParsesToKeep {
            exact: new == 0 && whole && unused == 0,
            file: self.file,
            setup: self.setup,
            stored: self.stored,
            entries: used,
            how,
        }
    }
}

/// Where a build finds the parse cache.
pub(crate) enum ParsesFrom {
    /// In the build cache folder named, where the build keeps it too.
    Folder(PathBuf),
    /// In memory, as the last build left it (see [`ParsesToKeep::into_bytes`]); the
    /// build only reads it.
    Memory(Arc<Vec<u8>>),
}

impl ParsesFrom {
    /// The cache, for a site whose setup hash is `setup`.
    pub(crate) fn open(self, setup: u128) -> ParseCache {
        match self {
            ParsesFrom::Folder(dir) => ParseCache::open(&dir, setup),
            ParsesFrom::Memory(bytes) => ParseCache::of(PathBuf::new(), bytes, setup),
        }
    }
}

/// How the parse cache file is written.
#[derive(Debug, PartialEq, Eq)]
enum Writing {
    /// Nothing: the file holds every entry this build used.
    Nothing,
    /// The new entries added at its end.
    Append,
    /// The used entries only, in a new file.
    Anew,
}

/// A parse cache file to write once the build succeeded (a failed build writes
/// nothing beside its output): the entries kept from the old file, and the new ones.
pub(crate) struct ParsesToKeep {
    file: PathBuf,
    setup: u128,
    stored: Arc<Vec<u8>>,
    entries: Vec<(u128, Entry)>,
    how: Writing,
    /// The file holds exactly the entries this build used.
    exact: bool,
}

impl ParsesToKeep {
    /// Appends the new entries in one write, or writes the file anew in one step (a
    /// temporary file renamed over the old), streaming the entries.
    pub(crate) fn write(&self) -> io::Result<()> {
        if self.how == Writing::Nothing {
            return Ok(());
        }
        if self.how == Writing::Append {
            let mut appended = Vec::new();
            for (key, entry) in &self.entries {
                if let Entry::New(bytes) = entry {
                    write_entry(&mut appended, *key, bytes)?;
                }
            }
            let mut file = std::fs::OpenOptions::new().append(true).open(&self.file)?;
            file.write_all(&appended)?;
            // What a build killed while writing the file anew left.
            if let Some(dir) = self.file.parent() {
                super::remove_stale(dir, FILE);
            }
            return Ok(());
        }
        super::write_whole(&self.file, |out| {
            let mut out = io::BufWriter::with_capacity(1 << 20, out);
            self.write_used(&mut out)?;
            out.flush()
        })
    }

    /// The whole file, with the entries this build used: what `serve` keeps in memory
    /// for its next full rebuild. No copy when nothing changed.
    pub(crate) fn into_bytes(self) -> Arc<Vec<u8>> {
        if self.exact {
            return self.stored;
        }
        let mut out = Vec::with_capacity(self.stored.len());
        // Writing into a Vec does not fail.
        let _ = self.write_used(&mut out);
        Arc::new(out)
    }

    fn write_used(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&FORMAT.to_le_bytes())?;
        out.write_all(&self.setup.to_le_bytes())?;
        for (key, entry) in &self.entries {
            let bytes = match entry {
                Entry::Kept(range) => &self.stored[range.clone()],
                Entry::New(bytes) => bytes.as_slice(),
            };
            write_entry(out, *key, bytes)?;
        }
        Ok(())
    }
}

fn write_entry(out: &mut impl Write, key: u128, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(&xxh3_64(bytes).to_le_bytes())?;
    out.write_all(bytes)
}

/// Where each whole, valid entry's bytes are in `stored` if it is a cache file of
/// `setup`, and how far such entries go (0 if it is not such a file).
fn index_of(stored: &[u8], setup: u128) -> (HashMap<u128, Range<usize>>, usize) {
    let mut index = HashMap::new();
    let mut rest = stored;
    let header = take(&mut rest, 4).zip(take(&mut rest, 16));
    let ours = header.is_some_and(|(format, file_setup)| {
        format == FORMAT.to_le_bytes() && file_setup == setup.to_le_bytes()
    });
    if !ours {
        return (index, 0);
    }
    while let Some((key, range)) = next_entry(stored, &mut rest) {
        index.insert(key, range);
    }
    (index, stored.len() - rest.len())
}

/// The entry at the start of `rest` (of `stored`), if it is whole and its checksum
/// matches; `rest` then starts after it.
fn next_entry(stored: &[u8], rest: &mut &[u8]) -> Option<(u128, Range<usize>)> {
    let mut at = *rest;
    let key = u128::from_le_bytes(take(&mut at, 16)?.try_into().ok()?);
    let len = usize::try_from(u64::from_le_bytes(take(&mut at, 8)?.try_into().ok()?)).ok()?;
    let checksum = u64::from_le_bytes(take(&mut at, 8)?.try_into().ok()?);
    let start = stored.len() - at.len();
    let bytes = take(&mut at, len)?;
    (xxh3_64(bytes) == checksum).then(|| {
        *rest = at;
        (key, start..start + len)
    })
}

/// The next `n` bytes of `rest`, which then starts after them.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (bytes, after) = rest.split_at_checked(n)?;
    *rest = after;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Settings, scan};

    fn parse(cache: &ParseCache, body: &str, calls: &mut usize) -> ParsedBody {
        cache.scan(body, || {
            *calls += 1;
            scan(body, Settings::defaults())
        })
    }

    #[test]
    fn an_unchanged_body_is_not_parsed_again_and_the_result_is_the_same() {
        let tmp = tempfile::tempdir().unwrap();
        let body = "# Title\n\nA [[link]] and `code`, $x^2$.\n\n```rust\nfn main() {}\n```\n";
        let mut calls = 0;
        let cache = ParseCache::open(tmp.path(), 1);
        let first = parse(&cache, body, &mut calls);
        parse(&cache, "Another body.\n", &mut calls);
        cache.finish().write().unwrap();
        assert_eq!(calls, 2);

        let cache = ParseCache::open(tmp.path(), 1);
        let again = parse(&cache, body, &mut calls);
        parse(&cache, "Another body.\n", &mut calls);
        assert_eq!(calls, 2, "parsed again");
        assert_eq!(format!("{again:?}"), format!("{first:?}"));
        // Nothing new: nothing to write; all of it kept in memory as it was.
        let keep = cache.finish();
        assert_eq!(keep.how, Writing::Nothing);
        assert!(keep.exact);
    }

    #[test]
    fn new_entries_are_appended_until_unused_ones_outweigh_the_used() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(FILE);
        let mut calls = 0;
        let build = |bodies: &[&str], calls: &mut usize| {
            let cache = ParseCache::open(tmp.path(), 1);
            for body in bodies {
                parse(&cache, body, calls);
            }
            let keep = cache.finish();
            keep.write().unwrap();
            format!("{:?}", keep.how)
        };
        assert_eq!(build(&["a\n", "b\n"], &mut calls), "Anew");
        let size = std::fs::metadata(&file).unwrap().len();
        assert_eq!(build(&["a\n", "c\n"], &mut calls), "Append");
        assert!(std::fs::metadata(&file).unwrap().len() > size);
        assert_eq!(calls, 3);
        // `b` is still there, unused but not yet outweighing.
        assert_eq!(build(&["b\n", "c\n"], &mut calls), "Nothing");
        assert_eq!(calls, 3);
        // One used against three unused: the file is written anew, with `d` alone.
        assert_eq!(build(&["d\n"], &mut calls), "Anew");
        let cache = ParseCache::open(tmp.path(), 1);
        assert_eq!(cache.index.len(), 1);
    }

    #[test]
    fn a_torn_or_damaged_entry_and_what_follows_it_are_parsed_again() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(FILE);
        let mut calls = 0;
        let cache = ParseCache::open(tmp.path(), 1);
        parse(&cache, "first\n", &mut calls);
        cache.finish().write().unwrap();
        let cache = ParseCache::open(tmp.path(), 1);
        parse(&cache, "first\n", &mut calls);
        parse(&cache, "second\n", &mut calls);
        cache.finish().write().unwrap();
        assert_eq!(calls, 2);
        // A build killed while appending: the second entry is cut short.
        let whole = std::fs::read(&file).unwrap();
        std::fs::write(&file, &whole[..whole.len() - 3]).unwrap();
        let cache = ParseCache::open(tmp.path(), 1);
        assert_eq!(cache.index.len(), 1);
        parse(&cache, "first\n", &mut calls);
        parse(&cache, "second\n", &mut calls);
        assert_eq!(calls, 3);
        // The file is not whole: it is written anew.
        assert_eq!(cache.finish().how, Writing::Anew);
        // A flipped byte in an entry fails its checksum.
        let mut damaged = whole.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 0xff;
        std::fs::write(&file, &damaged).unwrap();
        assert_eq!(ParseCache::open(tmp.path(), 1).index.len(), 1);
    }

    #[test]
    fn serve_keeps_the_cache_in_memory_between_full_rebuilds() {
        let mut calls = 0;
        let cache = ParsesFrom::Memory(Arc::default()).open(1);
        parse(&cache, "one\n", &mut calls);
        parse(&cache, "two\n", &mut calls);
        let bytes = cache.finish().into_bytes();
        let cache = ParsesFrom::Memory(bytes).open(1);
        parse(&cache, "one\n", &mut calls);
        parse(&cache, "three\n", &mut calls);
        assert_eq!(calls, 3);
        let bytes = cache.finish().into_bytes();
        // Only what the last rebuild used is kept.
        assert_eq!(index_of(&bytes, 1).0.len(), 2);
        let cache = ParsesFrom::Memory(bytes.clone()).open(1);
        parse(&cache, "one\n", &mut calls);
        parse(&cache, "three\n", &mut calls);
        assert_eq!(cache.finish().into_bytes(), bytes);
        assert_eq!(calls, 3);
    }

    #[test]
    fn another_setup_or_a_damaged_file_parses_everything() {
        let tmp = tempfile::tempdir().unwrap();
        let mut calls = 0;
        let cache = ParseCache::open(tmp.path(), 1);
        parse(&cache, "Body.\n", &mut calls);
        cache.finish().write().unwrap();
        let other = ParseCache::open(tmp.path(), 2);
        parse(&other, "Body.\n", &mut calls);
        assert_eq!(calls, 2);
        std::fs::write(tmp.path().join(FILE), b"\x01\x02damaged").unwrap();
        let damaged = ParseCache::open(tmp.path(), 1);
        parse(&damaged, "Body.\n", &mut calls);
        assert_eq!(calls, 3);
    }

    #[test]
    fn the_setup_changes_with_the_markdown_settings() {
        let config = SiteConfig::parse("title: T\n").unwrap();
        let mut plain = config.clone();
        plain.markdown.smart_punctuation = false;
        assert_ne!(setup(&config, None), setup(&plain, None));
        assert_eq!(setup(&config, None), setup(&config.clone(), None));
    }
}
