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

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use xxhash_rust::xxh3::Xxh3;

use super::Kept;
use super::postings::PostingList;
use crate::model::{FieldValue, PageId, Role};
use crate::render::{PageValues, RenderInput, values};
use crate::text::html_to_text;

use super::fold::{add_terms, fold, table};

/// Documents per `docs-<n>.json` file.
pub(crate) const DOCS_PER_CHUNK: usize = 100;
/// Characters of a term that choose its shard.
pub(crate) const PREFIX_CHARS: usize = 2;
/// How much a term weighs where it appears.
const TITLE: u32 = 10;
const TAG: u32 = 6;
const FIELD: u32 = 5;
const HEADING: u32 = 4;
const LABEL: u32 = 2;
const BODY: u32 = 1;
/// Repeating a word in the body counts up to this many times.
const BODY_CAP: u32 = 5;
/// Characters of the summary shown under a result.
const EXCERPT: usize = 180;
/// Characters of the text the browser may cut a passage from.
const TEXT: usize = 1500;

/// The build cache file of each document's terms (see [`terms_setup`]).
pub(crate) const TERMS_FILE: &str = "terms";

/// Changes whenever what is kept of a document, or how it is made, does.
const TERMS_FORMAT: u32 = 3;

/// A hash of what a document's kept terms depend on besides its own text: the format,
/// muster's version (the folding and the word rules), the weights and the cuts.
pub(crate) fn terms_setup() -> u128 {
    let text = format!(
        "{TERMS_FORMAT}\u{1f}{}\u{1f}{TITLE} {TAG} {FIELD} {HEADING} {LABEL} {BODY} {BODY_CAP} {TEXT} {EXCERPT}",
        env!("CARGO_PKG_VERSION"),
    );
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// What the index keeps of a document between builds: its weighted terms, the start
/// of its text and its summary's excerpt. Read back borrowed from the cache's bytes.
#[derive(serde::Serialize, serde::Deserialize)]
struct DocTerms<'a> {
    #[serde(borrow)]
    weights: Vec<(&'a str, u32)>,
    text: &'a str,
    excerpt: &'a str,
}

/// What a result shows of a document besides its title: the start of its text (the
/// passage is cut from it) and its summary's excerpt.
struct DocText {
    text: String,
    excerpt: String,
}

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
            |(mut left, mut left_written), (right, right_written)| {
                for (term, list) in right {
                    match left.get_mut(&term) {
                        Some(l) => l.append(list),
                        None => {
                            left.insert(term, list);
                        }
                    }
                }
                left_written.extend(right_written);
                (left, left_written)
            },
        );
    let mut terms: Vec<TermPostings<'_>> = postings.iter().map(|(t, p)| (&**t, p)).collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Terms sorted, so each shard is one run.
    let mut shards: Vec<(&str, &[TermPostings<'_>])> = Vec::new();
    let mut start = 0;
    for i in 1..=terms.len() {
        if i == terms.len() || prefix(terms[i].0) != prefix(terms[start].0) {
            shards.push((prefix(terms[start].0), &terms[start..i]));
            start = i;
        }
    }
    written.push(put(
        &format!("{folder}/meta.json"),
        serde_json::to_vec(&json!({
            "version": 2,
            "docs": docs.len(),
            "docs_per_chunk": DOCS_PER_CHUNK,
            "prefix_chars": PREFIX_CHARS,
            "shards": shards.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            "translit": table(),
            "stem": { "min": super::stem::MIN_STEM, "suffixes": super::stem::ordered_suffixes() },
        }))
        .expect("a JSON value serializes"),
    ));
    written.par_extend(shards.par_iter().map(|(prefix, terms)| {
        put(
            &format!("{folder}/shard-{}.json", hex(prefix)),
            shard_json(terms),
        )
    }));
    written
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

/// Adds the weighted terms of page `id` as document `doc` to `acc`; returns what its
/// result shows. Those of a document whose every input is unchanged come from
/// `kept.terms`: found by what its body is made of where the fingerprints tell (then
/// its HTML is not made at all), else by its HTML.
fn add_doc(
    acc: &mut Postings,
    doc: u32,
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    id: PageId,
    kept: Kept<'_>,
) -> DocText {
    let page = input.site.page(id);
    let summary = values.summaries[id.0].html();
    let (fields, labels) = field_text(input, id);
    let made_of = kept
        .fingerprints
        .filter(|_| kept.terms.is_some())
        .and_then(|f| values.targets.searchable_body_key(id, f));
    let mut html = None;
    let key = kept.terms.map(|_| {
        let body = match made_of {
            Some(key) => DocBody::MadeOf(key),
            None => DocBody::Html(html.insert(values.targets.searchable_body_html(id))),
        };
        doc_key(input, id, body, [summary, &fields, &labels])
    });
    if let (Some(log), Some(key)) = (kept.terms, key) {
        let found = log.find(key, |bytes| {
            let terms: DocTerms<'_> = postcard::from_bytes(bytes).ok()?;
            for (term, weight) in terms.weights {
                post(acc, term, doc, weight);
            }
            Some(DocText {
                text: terms.text.to_string(),
                excerpt: terms.excerpt.to_string(),
            })
        });
        if let Some(text) = found {
            return text;
        }
    }
    let html = html.unwrap_or_else(|| values.targets.searchable_body_html(id));
    let title = fold(&page.meta.title);
    let tags: Vec<String> = page
        .meta
        .taxonomies
        .values()
        .flatten()
        .map(|t| fold(t))
        .collect();
    let headings: Vec<String> = page.body.headings.iter().map(|h| fold(&h.title)).collect();
    let text = html_to_text(&html);
    let body = fold(&text);
    let (fields, labels) = (fold(&fields), fold(&labels));
    let mut weights: FxHashMap<&str, u32> = FxHashMap::default();
    add_terms(&mut weights, &title, TITLE, u32::MAX);
    add_terms(&mut weights, &fields, FIELD, u32::MAX);
    add_terms(&mut weights, &labels, LABEL, u32::MAX);
    for tag in &tags {
        add_terms(&mut weights, tag, TAG, u32::MAX);
    }
    for heading in &headings {
        add_terms(&mut weights, heading, HEADING, u32::MAX);
    }
    add_terms(&mut weights, &body, BODY, BODY_CAP);
    for (term, weight) in &weights {
        post(acc, term, doc, *weight);
    }
    let text = cut_at_word(text, TEXT);
    let excerpt = excerpt_of(summary);
    if let (Some(log), Some(key)) = (kept.terms, key) {
        let terms = DocTerms {
            weights: weights.into_iter().collect(),
            text: &text,
            excerpt: &excerpt,
        };
        if let Ok(bytes) = postcard::to_stdvec(&terms) {
            log.add(key, bytes);
        }
    }
    DocText { text, excerpt }
}

/// The text of a summary's HTML, cut to [`EXCERPT`] characters.
fn excerpt_of(summary_html: &str) -> String {
    let mut excerpt = html_to_text(summary_html);
    if let Some((cut, _)) = excerpt.char_indices().nth(EXCERPT) {
        excerpt.truncate(cut);
        excerpt.push('…');
    }
    excerpt
}

/// What a document's searchable body is known by in its key.
enum DocBody<'a> {
    /// Its HTML.
    Html(&'a str),
    /// A hash of what its HTML is made of ([`LinkTargets::searchable_body_key`]).
    ///
    /// [`LinkTargets::searchable_body_key`]: crate::render::bodies::LinkTargets::searchable_body_key
    MadeOf(u128),
}

/// A hash of everything a document's terms and excerpt are made from: its title,
/// taxonomy terms, headings, its searchable body, and `texts`: its summary, fields'
/// text and labels.
fn doc_key(input: &RenderInput<'_>, id: PageId, body: DocBody<'_>, texts: [&str; 3]) -> u128 {
    // Every text and list led by its length, so that no two documents' inputs run together.
    fn part(hash: &mut Xxh3, text: &str) {
        hash.update(&(text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    let page = input.site.page(id);
    let mut hash = Xxh3::new();
    part(&mut hash, &page.meta.title);
    let terms: Vec<&String> = page.meta.taxonomies.values().flatten().collect();
    hash.update(&(terms.len() as u64).to_le_bytes());
    for term in terms {
        part(&mut hash, term);
    }
    hash.update(&(page.body.headings.len() as u64).to_le_bytes());
    for heading in &page.body.headings {
        part(&mut hash, &heading.title);
    }
    match body {
        DocBody::Html(html) => {
            hash.update(&[0]);
            part(&mut hash, html);
        }
        DocBody::MadeOf(key) => {
            hash.update(&[1]);
            hash.update(&key.to_le_bytes());
        }
    }
    for text in texts {
        part(&mut hash, text);
    }
    hash.digest128()
}

/// The text of page `id`'s declared fields as readers see them (values, enum labels,
/// the titles of pages referred to), and their labels.
fn field_text(input: &RenderInput<'_>, id: PageId) -> (String, String) {
    let page = input.site.page(id);
    let (mut values_text, mut labels) = (String::new(), String::new());
    let Some(kind) = page.kind.as_ref().and_then(|k| input.config.kinds.get(k)) else {
        return (values_text, labels);
    };
    let refs = &input.graph.refs[id.0];
    for (name, def) in &kind.fields {
        let Some(value) = page.fields.get(name) else {
            continue;
        };
        labels.push_str(def.label.as_deref().unwrap_or(name));
        labels.push('\n');
        match value {
            FieldValue::Ref(_) | FieldValue::Refs(_) => {
                for target in refs.get(name).into_iter().flatten() {
                    values_text.push_str(&input.site.page(*target).meta.title);
                    values_text.push('\n');
                }
            }
            FieldValue::Str(s) => {
                values_text.push_str(s);
                if let Some(label) = def.ty.value_label(s) {
                    values_text.push(' ');
                    values_text.push_str(label);
                }
            }
            FieldValue::List(items) => {
                for item in items {
                    values_text.push_str(item);
                    values_text.push('\n');
                }
            }
            _ => {}
        }
        values_text.push('\n');
    }
    (values_text, labels)
}

/// `text` cut to at most `chars` characters, at the end of a word. The cut text is kept
/// for every page until the index is written: it gives back the rest of its memory (the
/// whole body's text, which `truncate` alone would keep).
fn cut_at_word(mut text: String, chars: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(chars) {
        let end = text[..cut].rfind(' ').unwrap_or(cut);
        text.truncate(end);
        text.shrink_to_fit();
    }
    text
}

/// Appends page `id`'s row of a `docs-<n>.json` file to `out`: `[title, URL, kind label,
/// excerpt, text]`, written directly rather than through a JSON value, which would copy
/// each text once more.
fn write_doc_row(
    out: &mut Vec<u8>,
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    id: PageId,
    shown: &DocText,
) {
    let page = input.site.page(id);
    // In the index's language, as its results are shown.
    let kind_label = page
        .kind
        .as_deref()
        .map(|k| values::kind_label_in(input.config, page.lang.as_deref(), k));
    let cells: [&str; 5] = [
        &page.meta.title,
        values.targets.url(id),
        kind_label.unwrap_or_default(),
        &shown.excerpt,
        &shown.text,
    ];
    serde_json::to_writer(out, &cells).expect("strings serialize");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_repeats_are_capped() {
        let mut weights: FxHashMap<&str, u32> = FxHashMap::default();
        let (title, body, other) = ("drill".to_string(), "drill ".repeat(50), "word ".repeat(50));
        add_terms(&mut weights, &title, TITLE, u32::MAX);
        add_terms(&mut weights, &body, BODY, BODY_CAP);
        add_terms(&mut weights, &other, BODY, BODY_CAP);
        assert_eq!(weights["drill"], TITLE);
        assert_eq!(weights["word"], BODY_CAP);
    }
}
