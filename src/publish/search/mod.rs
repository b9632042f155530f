//! The client-side search index, built once per build and split so that a reader
//! downloads only what a query needs:
//!
//! - `search/meta.json`: the shard list, document count, and the transliteration table
//!   the browser applies to queries (the same one applied to the text here);
//! - `search/shard-<hex of prefix>.json`: `{term: [doc, weight, doc, weight, …]}` for every
//!   term starting with that two-character prefix;
//! - `search/docs-<n>.json`: `[[title, url, kind, excerpt, text], …]` for documents
//!   `n * DOCS_PER_CHUNK ..`: the summary, and the start of the text, from which the
//!   browser cuts the passage that matched.
//!
//! Terms are lower-cased and transliterated to Latin letters, so `братство` and
//! `bratstvo` are the same term. Every word is indexed whole; a query word finds its
//! other forms by its stem (see `stem.rs`, whose rules `meta.json` carries).
//! Weights rank a match in the title above one in a field's value, and those above
//! the body.

mod document;
mod patch;
pub(crate) mod state;

use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use super::Kept;
use super::fold::table;
use super::postings::PostingList;
use crate::error::Diagnostic;
use crate::model::{PageId, Role};
use crate::output::OutputSink;
use crate::output::manifest::content_hash;
use crate::render::{PageValues, RenderInput};
pub(crate) use document::terms_setup;
use document::{add_doc, doc_inputs, row_key, write_doc_row};
use state::{IndexKeeping, LanguageIndex};

/// Documents per `docs-<n>.json` file.
pub(crate) const DOCS_PER_CHUNK: usize = 100;
/// Characters of a term that choose its shard.
pub(crate) const PREFIX_CHARS: usize = 2;
/// The build cache file of each document's terms (see [`terms_setup`]).
pub(crate) const TERMS_FILE: &str = "terms";

/// Term → its documents and weights, in document order.
type Postings = FxHashMap<Box<str>, PostingList>;

/// A term with its postings.
type Term = (Box<str>, PostingList);

/// Per document, in order: the key of its terms in the terms log, and of its row.
type DocKeys = Vec<(u128, u128)>;

/// An index made: its terms in order, and its documents' keys where the build keeps terms.
type MadeIndex = (Vec<Term>, Option<DocKeys>);

/// Builds every file of the search index and writes each into `sink` as soon as it is
/// made, so that the shards and document chunks are never all in memory at once; returns
/// the failures to write, if any, one per file.
/// With `kept.terms`, a document whose text is unchanged takes its terms from there instead
/// of reading its text again, and every document's are kept there for the next build;
/// with `kept.index`, an index most of whose documents are unchanged is the last build's
/// with the others taken out and put in again.
///
/// Each language has an index of its own pages: `search/` the default language's,
/// `ru/search/` Russian's, so that a reader searches the pages they can read.
pub(crate) fn write_index(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    kept: Kept<'_>,
    sink: &dyn OutputSink,
) -> Vec<Option<Diagnostic>> {
    let site = input.site;
    let languages = std::iter::once((None, "search".to_string())).chain(
        site.languages
            .iter()
            .map(|(code, folder)| (Some(code.as_str()), format!("{folder}/search"))),
    );
    let mut written = Vec::new();
    for (lang, folder) in languages {
        let docs: Vec<PageId> = site
            .iter()
            .filter(|(_, p)| {
                // An untranslated copy's text is its original's, found in that language.
                (p.role == Role::Page || p.file.is_some()) && p.written_in(lang)
            })
            .map(|(id, _)| id)
            .collect();
        let files = IndexFiles::new(sink, kept.index);
        let last = kept.index.and_then(|keeping| keeping.take_last(&folder));
        let patched = last.and_then(|last| {
            patch::write_patched((input, values), kept, &files, (&docs, &folder), last)
        });
        let (made, docs_keys) = match patched {
            Some(patched) => patched,
            None => write_language_index((input, values), kept, &files, (&docs, &folder)),
        };
        let (results, hashes) = files.finish();
        written.extend(results);
        if let (Some(keeping), Some(docs)) = (kept.index, docs_keys) {
            keeping.made(LanguageIndex {
                folder,
                docs,
                postings: made,
                files: hashes,
            });
        }
    }
    written
}

/// Where an index's files go, and, for a build that keeps the index, the hash of each.
pub(super) struct IndexFiles<'s> {
    sink: &'s dyn OutputSink,
    keeping: Option<&'s IndexKeeping<'s>>,
    /// Each file's failure to be written, if any.
    results: Mutex<Vec<Option<Diagnostic>>>,
    hashes: Mutex<FxHashMap<String, u128>>,
}

impl<'s> IndexFiles<'s> {
    fn new(sink: &'s dyn OutputSink, keeping: Option<&'s IndexKeeping<'s>>) -> Self {
        IndexFiles {
            sink,
            keeping,
            results: Mutex::new(Vec::new()),
            hashes: Mutex::new(FxHashMap::default()),
        }
    }

    /// Writes `bytes` as the file `rel`.
    fn put(&self, rel: &str, bytes: Vec<u8>) {
        if let Some(keeping) = self.keeping {
            keeping.count_made();
            self.record(rel, content_hash(&bytes));
        }
        let result = self.sink.write(rel, &bytes);
        self.result(rel, result);
    }

    /// Takes the file `rel` from the last site as it is, if the last build wrote it with
    /// contents hashing to `hash` and it is still there; whether it did.
    fn carry(&self, rel: &str, hash: Option<&u128>) -> bool {
        let carried = self.keeping.and_then(|k| k.carried(rel, hash.copied()));
        let Some((from, hash)) = carried else {
            return false;
        };
        self.record(rel, hash);
        let result = self.sink.carry(rel, &from, hash);
        self.result(rel, result);
        true
    }

    fn record(&self, rel: &str, hash: u128) {
        let mut hashes = self.hashes.lock().unwrap_or_else(|e| e.into_inner());
        hashes.insert(rel.to_string(), hash);
    }

    fn result(&self, rel: &str, result: std::io::Result<()>) {
        let failed = result
            .err()
            .map(|e| Diagnostic::io(std::path::Path::new(rel), &e));
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        results.push(failed);
    }

    /// Every file's outcome, and the hash of each.
    fn finish(self) -> (Vec<Option<Diagnostic>>, FxHashMap<String, u128>) {
        let results = self.results.into_inner().unwrap_or_else(|e| e.into_inner());
        let hashes = self.hashes.into_inner().unwrap_or_else(|e| e.into_inner());
        (results, hashes)
    }
}

/// The index of `docs` in the folder `folder` (`search`, `ru/search`), made whole; its
/// postings and, where the build keeps terms, its documents' keys.
fn write_language_index(
    (input, values): (&RenderInput<'_>, &PageValues<'_>),
    kept: Kept<'_>,
    files: &IndexFiles<'_>,
    (docs, folder): (&[PageId], &str),
) -> MadeIndex {
    // Each thread indexes runs of whole chunks of documents and writes each chunk's file
    // at once, so that no document's text waits for the others; runs are joined in
    // document order, so the postings (and the files) are the same on every build.
    let (postings, keys): (Postings, Option<DocKeys>) = docs
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .fold(
            || (Postings::default(), Some(Vec::new())),
            |(mut acc, mut keys), (n, chunk)| {
                let mut rows = vec![b'['];
                for (i, &id) in chunk.iter().enumerate() {
                    let doc = (n * DOCS_PER_CHUNK + i) as u32;
                    let inputs = doc_inputs(input, values, id, kept);
                    let key = inputs.key.map(|key| (key, row_key(input, values, id, key)));
                    keys = keys.zip(key).map(|(mut keys, key)| {
                        keys.push(key);
                        keys
                    });
                    let shown = add_doc(&mut acc, doc, (input, values), id, (inputs, kept));
                    if i > 0 {
                        rows.push(b',');
                    }
                    write_doc_row(&mut rows, input, values, id, &shown);
                }
                rows.push(b']');
                files.put(&format!("{folder}/docs-{n}.json"), rows);
                (acc, keys)
            },
        )
        .reduce(
            || (Postings::default(), Some(Vec::new())),
            |(left, left_keys), (right, right_keys)| {
                let keys = left_keys.zip(right_keys).map(|(mut left, right)| {
                    left.extend(right);
                    left
                });
                (merge(left, right), keys)
            },
        );
    let mut terms: Vec<Term> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    write_shards(files, folder, docs.len(), &terms, |_, _| false);
    (terms, keys)
}

/// Writes `meta.json` of an index of `docs` documents and the shards of `terms` (in
/// term order) into `folder`, each but those `carried` takes from the last site: it is
/// given a shard's prefix and path, and says whether it carried the file.
fn write_shards(
    files: &IndexFiles<'_>,
    folder: &str,
    docs: usize,
    terms: &[Term],
    carried: impl Fn(&str, &str) -> bool + Sync,
) {
    let shards = shards(terms);
    files.put(&format!("{folder}/meta.json"), meta_json(docs, &shards));
    shards.par_iter().for_each(|(prefix, terms)| {
        let path = format!("{folder}/shard-{}.json", hex(prefix));
        if !carried(prefix, &path) {
            files.put(&path, shard_json(terms));
        }
    });
}

/// The postings of a later run of documents, `right`, added after those of `left`.
fn merge(mut left: Postings, right: Postings) -> Postings {
    for (term, list) in right {
        match left.get_mut(&term) {
            Some(l) => l.append(list),
            None => {
                left.insert(term, list);
            }
        }
    }
    left
}

/// Each shard's prefix and its run of `terms`, which are sorted, so each shard is one run.
fn shards(terms: &[Term]) -> Vec<(&str, &[Term])> {
    let mut shards = Vec::new();
    let mut start = 0;
    for i in 1..=terms.len() {
        if i == terms.len() || prefix(&terms[i].0) != prefix(&terms[start].0) {
            shards.push((prefix(&terms[start].0), &terms[start..i]));
            start = i;
        }
    }
    shards
}

/// `meta.json` of an index of `docs` documents in `shards`: what the browser needs to
/// fold a query as the text was folded and to find the files it needs.
fn meta_json(docs: usize, shards: &[(&str, &[Term])]) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "version": 2,
        "docs": docs,
        "docs_per_chunk": DOCS_PER_CHUNK,
        "prefix_chars": PREFIX_CHARS,
        "shards": shards.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        "translit": table(),
        "stem": { "min": super::stem::MIN_STEM, "suffixes": super::stem::ordered_suffixes() },
    }))
    .expect("a JSON value serializes")
}

/// A shard's file name part: the prefix's UTF-8 bytes in hex, safe on every host.
pub(crate) fn hex(prefix: &str) -> String {
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The first [`PREFIX_CHARS`] characters of `term`: its shard.
fn prefix(term: &str) -> &str {
    let end = term
        .char_indices()
        .nth(PREFIX_CHARS)
        .map_or(term.len(), |(i, _)| i);
    &term[..end]
}

/// `{"term":[doc,weight,…],…}`, written directly: the shards are most of the index.
fn shard_json(terms: &[Term]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.len() * 32);
    out.push(b'{');
    for (i, (term, postings)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Terms are letters and digits, but escape them properly all the same.
        let _ = serde_json::to_writer(&mut out, term);
        out.extend_from_slice(b":[");
        for (j, (doc, weight)) in postings.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(itoa::Buffer::new().format(doc).as_bytes());
            out.push(b',');
            out.extend_from_slice(itoa::Buffer::new().format(weight).as_bytes());
        }
        out.push(b']');
    }
    out.push(b'}');
    out
}

/// Adds `weight` for `term` in document `doc` to `acc`.
fn post(acc: &mut Postings, term: &str, doc: u32, weight: u32) {
    match acc.get_mut(term) {
        Some(list) => list.push(doc, weight),
        None => {
            let mut list = PostingList::default();
            list.push(doc, weight);
            acc.insert(term.into(), list);
        }
    }
}
