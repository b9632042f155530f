//! The parse cache: what the Markdown stage made of each page body ([`ParsedBody`]),
//! kept in the build cache between builds so that an unchanged body is not parsed,
//! highlighted and rendered to HTML again; and the mapping each front matter reads as
//! (`matter.rs`), so that unchanged YAML is not parsed again either.
//!
//! An entry is found by a hash of the body's text and of everything else the stage
//! reads: muster's version, site.yaml's `markdown:` and `heading_ids:`, and the
//! shortcodes' declarations. A body that includes another page (`{{ include() }}`)
//! depends on that page too, so it is parsed every time and never kept.
//!
//! The file is a log of entries (`kept/`): a build that parsed a few pages appends
//! theirs; a torn or damaged entry is ignored and its page parsed again; a file of another
//! setup or version is ignored as a whole.

use xxhash_rust::xxh3::Xxh3;

use std::sync::Arc;

use super::kept::{KeptLog, LogToKeep, Tail, split_entry};
use crate::config::SiteConfig;
use crate::markdown::{BodyHtml, HtmlSpill, ParsedBody};
use crate::shortcodes::Shortcodes;
use serde_yaml::Mapping;

/// The cache file's name in the build cache folder.
pub(crate) const FILE: &str = "parsed";

/// Changes whenever the encoding of a parsed body does.
const FORMAT: u32 = 5;

/// The previous build's parsed bodies, and this build's, to keep for the next.
pub(crate) struct ParseCache {
    log: KeptLog,
    setup: u128,
    /// Where the HTML of bodies found in the cache's file is read from when rendered.
    spill: Arc<HtmlSpill>,
}

/// The parse cache file to write once the build succeeded.
pub(crate) type ParsesToKeep = LogToKeep;

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
    #[cfg(test)]
    fn open(dir: &std::path::Path, setup: u128) -> ParseCache {
        let spill = HtmlSpill::new(usize::MAX);
        ParseCache::from(ParsesFrom::Folder(dir.to_path_buf()), setup, spill)
    }

    /// The cache found at `from`, for a site whose setup hash is `setup`. The HTML of the
    /// bodies found in a cache file stays there until it is rendered, read through
    /// `spill` (which reports a failed read).
    pub(crate) fn from(from: ParsesFrom, setup: u128, spill: Arc<HtmlSpill>) -> ParseCache {
        ParseCache {
            log: from.open(FILE, setup),
            setup,
            spill,
        }
    }

    /// The key of `text` (a body, or front matter after its `kind` of entry) under this
    /// setup.
    fn key(&self, kind: &[u8], text: &str) -> u128 {
        let mut hash = Xxh3::new();
        hash.update(&self.setup.to_le_bytes());
        hash.update(kind);
        hash.update(text.as_bytes());
        hash.digest128()
    }

    /// What the Markdown stage makes of `body`: from the cache if it holds it, else from
    /// `scan`, which is kept unless the body includes another page.
    pub(crate) fn scan(&self, body: &str, scan: impl FnOnce() -> ParsedBody) -> ParsedBody {
        let key = self.key(&[], body);
        if let Some(parsed) = self
            .log
            .find_split(key, |head, html| self.decode(head, html))
        {
            return parsed;
        }
        let parsed = scan();
        if parsed.included.is_empty()
            && let Ok(head) = postcard::to_stdvec(&parsed)
            && let Some(bytes) = split_entry(&head, parsed.html_bytes().as_bytes())
        {
            self.log.add(key, bytes);
        }
        parsed
    }

    /// The body kept as `head` (all but the HTML) and `html` (in memory, or where the
    /// cache's file holds it, then left there).
    fn decode(&self, head: &[u8], html: Tail<'_>) -> Option<ParsedBody> {
        let parsed = postcard::from_bytes::<ParsedBody>(head).ok()?;
        let html = match html {
            Tail::File { file, range } => self.spill.kept_in(file, range),
            Tail::Bytes(bytes) => BodyHtml::Held(std::str::from_utf8(bytes).ok()?.into()),
        };
        Some(parsed.with_html(html))
    }

    /// The mapping the front matter `matter` reads as (`format` says in which language):
    /// from the cache if it holds it, else from `parse`, kept when it read without a
    /// problem (a page with errors is read again, and its errors reported again).
    pub(crate) fn matter<E>(
        &self,
        format: crate::source::MatterFormat,
        matter: &str,
        parse: impl FnOnce() -> Result<(Mapping, Vec<E>), Vec<E>>,
    ) -> Result<(Mapping, Vec<E>), Vec<E>> {
        // Led by a byte no body's text holds (not UTF-8): these keys never meet a body's.
        let key = self.key(&[0xff, format as u8], matter);
        if let Some(mapping) = self.log.find(key, super::matter::decode) {
            return Ok((mapping, Vec::new()));
        }
        let parsed = parse();
        if let Ok((mapping, problems)) = &parsed
            && problems.is_empty()
            && let Some(bytes) = super::matter::encode(mapping)
        {
            self.log.add(key, bytes);
        }
        parsed
    }

    /// This build's entries, to keep for the next build once it has succeeded.
    pub(crate) fn finish(self) -> ParsesToKeep {
        self.log.finish()
    }
}

/// Where a build finds the parse cache: a build cache folder, or serve's memory.
pub(crate) use super::kept::KeptFrom as ParsesFrom;

#[cfg(test)]
mod tests {
    use super::super::kept::{Writing, index_of};
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

    /// A body found in the cache's file leaves its HTML there until it is rendered; a
    /// read that fails then (the file cut short by someone else) is the spill's failure,
    /// which stops the build.
    #[test]
    fn a_kept_bodys_html_is_read_from_the_cache_file_when_rendered() {
        let tmp = tempfile::tempdir().unwrap();
        let body = "# Душанбе\n\nFirst paragraph with a [[link]].\n\nSecond.\n";
        let mut calls = 0;
        let cache = ParseCache::open(tmp.path(), 1);
        let first = parse(&cache, body, &mut calls);
        cache.finish().write().unwrap();

        let spill = HtmlSpill::new(1 << 20);
        let from = ParsesFrom::Folder(tmp.path().to_path_buf());
        let cache = ParseCache::from(from, 1, Arc::clone(&spill));
        let mut again = parse(&cache, body, &mut calls);
        assert_eq!(calls, 1, "parsed again");
        assert!(again.html_is_kept());
        // In memory's budget, it is not copied into memory nor into the spill.
        again.spill_html(&spill);
        assert!(again.html_is_kept());
        assert_eq!(again.html(|_| None), first.html(|_| None));
        let summary = again.summary_html(|_| None);
        assert_eq!(summary, first.summary_html(|_| None));
        assert!(summary.contains("First paragraph") && !summary.contains("Second"));
        assert_eq!(format!("{again:?}"), format!("{first:?}"));
        assert!(spill.failure().is_none());

        std::fs::OpenOptions::new()
            .write(true)
            .open(tmp.path().join(FILE))
            .unwrap()
            .set_len(10)
            .unwrap();
        assert_eq!(again.html_bytes(), "");
        assert!(spill.failure().is_some());
    }

    #[test]
    fn front_matter_read_without_problems_is_not_read_again() {
        use crate::source::MatterFormat;
        let tmp = tempfile::tempdir().unwrap();
        let mut calls = 0;
        let mut read = |cache: &ParseCache, text: &str, problems: Vec<&'static str>| {
            cache.matter(MatterFormat::Yaml, text, || {
                calls += 1;
                let yaml: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
                Ok((yaml.as_mapping().unwrap().clone(), problems))
            })
        };
        let cache = ParseCache::open(tmp.path(), 1);
        let (first, _) = read(&cache, "title: A\ntags: [x, y]\n", vec![]).unwrap();
        read(&cache, "title: B\n", vec!["a repeated key"]).unwrap();
        cache.finish().write().unwrap();

        let cache = ParseCache::open(tmp.path(), 1);
        let (again, problems) = read(&cache, "title: A\ntags: [x, y]\n", vec![]).unwrap();
        assert_eq!((again, problems.len()), (first, 0));
        // The one with a problem is read again, to report it again.
        let (_, problems) = read(&cache, "title: B\n", vec!["a repeated key"]).unwrap();
        assert_eq!(problems, ["a repeated key"]);
        assert_eq!(calls, 3);
        // The same text as TOML front matter is another entry.
        let cache = ParseCache::open(tmp.path(), 1);
        cache
            .matter::<()>(MatterFormat::Toml, "title: A\ntags: [x, y]\n", || {
                calls += 1;
                Ok((serde_yaml::Mapping::new(), vec![]))
            })
            .unwrap();
        assert_eq!(calls, 4);
    }

    /// A build killed while writing the log anew leaves its temporary file; the next
    /// build that succeeds removes it, even when it has nothing to write.
    #[test]
    fn a_killed_builds_temporary_goes_with_the_next_build() {
        let tmp = tempfile::tempdir().unwrap();
        let mut calls = 0;
        let cache = ParseCache::open(tmp.path(), 1);
        parse(&cache, "a\n", &mut calls);
        cache.finish().write().unwrap();
        let torn = tmp.path().join(format!("{FILE}.4242.tmp"));
        std::fs::write(&torn, "half").unwrap();
        let cache = ParseCache::open(tmp.path(), 1);
        parse(&cache, "a\n", &mut calls);
        let keep = cache.finish();
        assert_eq!(keep.how, Writing::Nothing);
        keep.write().unwrap();
        assert!(!torn.exists());
        assert!(tmp.path().join(FILE).exists());
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
        assert_eq!(cache.log.index.len(), 1);
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
        assert_eq!(cache.log.index.len(), 1);
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
        assert_eq!(ParseCache::open(tmp.path(), 1).log.index.len(), 1);
    }

    #[test]
    fn serve_keeps_the_cache_in_memory_between_full_rebuilds() {
        let mut calls = 0;
        let cache = ParseCache::from(
            ParsesFrom::Memory(std::sync::Arc::default()),
            1,
            HtmlSpill::new(usize::MAX),
        );
        parse(&cache, "one\n", &mut calls);
        parse(&cache, "two\n", &mut calls);
        let bytes = cache.finish().into_bytes();
        let cache = ParseCache::from(ParsesFrom::Memory(bytes), 1, HtmlSpill::new(usize::MAX));
        parse(&cache, "one\n", &mut calls);
        parse(&cache, "three\n", &mut calls);
        assert_eq!(calls, 3);
        let bytes = cache.finish().into_bytes();
        // Only what the last rebuild used is kept.
        assert_eq!(index_of(&bytes[..], 1).0.len(), 2);
        let cache = ParseCache::from(
            ParsesFrom::Memory(bytes.clone()),
            1,
            HtmlSpill::new(usize::MAX),
        );
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
