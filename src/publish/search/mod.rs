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

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use super::Kept;
use super::fold::table;
use super::postings::PostingList;
use crate::model::{PageId, Role};
use crate::render::{PageValues, RenderInput};
pub(crate) use document::terms_setup;
use document::{add_doc, write_doc_row};

/// Documents per `docs-<n>.json` file.
pub(crate) const DOCS_PER_CHUNK: usize = 100;
/// Characters of a term that choose its shard.
pub(crate) const PREFIX_CHARS: usize = 2;
/// The build cache file of each document's terms (see [`terms_setup`]).
pub(crate) const TERMS_FILE: &str = "terms";

/// Term → its documents and weights, in document order.
type Postings = FxHashMap<Box<str>, PostingList>;

/// A term with its postings, borrowed from [`Postings`].
type TermPostings<'a> = (&'a str, &'a PostingList);

/// Builds every file of the search index and hands each to `put` (path, bytes) as soon
/// as it is made, so that the shards and document chunks are never all in memory at
/// once; returns what `put` returned for each.
/// With `terms`, a document whose text is unchanged takes its terms from there instead of
/// reading its text again, and every document's are kept there for the next build.
///
/// Each language has an index of its own pages: `search/` the default language's,
/// `ru/search/` Russian's, so that a reader searches the pages they can read.
pub(crate) fn write_index<R: Send>(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    kept: Kept<'_>,
    put: impl Fn(&str, Vec<u8>) -> R + Sync,
) -> Vec<R> {
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
        written.extend(write_language_index(
            input,
            values,
            kept,
            &put,
            (&docs, &folder),
        ));
    }
    written
}

/// The index of `docs` in the folder `folder` (`search`, `ru/search`).
fn write_language_index<R: Send>(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    kept: Kept<'_>,
    put: &(impl Fn(&str, Vec<u8>) -> R + Sync),
    (docs, folder): (&[PageId], &str),
) -> Vec<R> {
    // Each thread indexes runs of whole chunks of documents and writes each chunk's file
    // at once, so that no document's text waits for the others; runs are joined in
    // document order, so the postings (and the files) are the same on every build.
    let (postings, mut written): (Postings, Vec<R>) = docs
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .fold(
            || (Postings::default(), Vec::new()),
            |(mut acc, mut written), (n, chunk)| {
                let mut rows = vec![b'['];
                for (i, &id) in chunk.iter().enumerate() {
                    let doc = (n * DOCS_PER_CHUNK + i) as u32;
                    let shown = add_doc(&mut acc, doc, input, values, id, kept);
                    if i > 0 {
                        rows.push(b',');
                    }
                    write_doc_row(&mut rows, input, values, id, &shown);
                }
                rows.push(b']');
                written.push(put(&format!("{folder}/docs-{n}.json"), rows));
                (acc, written)
            },
        )
        .reduce(
            || (Postings::default(), Vec::new()),
            |(left, mut left_written), (right, right_written)| {
                left_written.extend(right_written);
                (merge(left, right), left_written)
            },
        );
    let mut terms: Vec<TermPostings<'_>> = postings.iter().map(|(t, p)| (&**t, p)).collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let shards = shards(&terms);
    written.push(put(
        &format!("{folder}/meta.json"),
        meta_json(docs.len(), &shards),
    ));
    written.par_extend(shards.par_iter().map(|(prefix, terms)| {
        put(
            &format!("{folder}/shard-{}.json", hex(prefix)),
            shard_json(terms),
        )
    }));
    written
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
fn shards<'t>(terms: &'t [TermPostings<'t>]) -> Vec<(&'t str, &'t [TermPostings<'t>])> {
    let mut shards = Vec::new();
    let mut start = 0;
    for i in 1..=terms.len() {
        if i == terms.len() || prefix(terms[i].0) != prefix(terms[start].0) {
            shards.push((prefix(terms[start].0), &terms[start..i]));
            start = i;
        }
    }
    shards
}

/// `meta.json` of an index of `docs` documents in `shards`: what the browser needs to
/// fold a query as the text was folded and to find the files it needs.
fn meta_json(docs: usize, shards: &[(&str, &[TermPostings<'_>])]) -> Vec<u8> {
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
fn shard_json(terms: &[TermPostings<'_>]) -> Vec<u8> {
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
