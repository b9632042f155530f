//! The client-side search index, built once per build and split so that a reader
//! downloads only what a query needs:
//!
//! - `search/meta.json`: the shard list, document count, and the transliteration table
//!   the browser applies to queries (the same one applied to the text here);
//! - `search/shard-<hex of prefix>.json`: `{term: [doc, weight, doc, weight, …]}` for every
//!   term starting with that two-character prefix;
//! - `search/docs-<n>.json`: `[[title, url, kind, excerpt], …]` for documents
//!   `n * DOCS_PER_CHUNK ..`.
//!
//! Terms are lower-cased and transliterated to Latin letters, so `братство` and
//! `bratstvo` are the same term.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use tera::Value;

use super::DataFile;
use super::text::html_to_text;
use crate::model::{PageId, Role};
use crate::render::{PageValues, RenderInput, values};

/// Documents per `docs-<n>.json` file.
pub const DOCS_PER_CHUNK: usize = 100;
/// Characters of a term that choose its shard.
pub const PREFIX_CHARS: usize = 2;
/// How much a term weighs where it appears.
const TITLE: u32 = 10;
const TAG: u32 = 6;
const HEADING: u32 = 4;
const BODY: u32 = 1;
/// Repeating a word in the body counts up to this many times.
const BODY_CAP: u32 = 5;
/// Characters of the summary shown under a result.
const EXCERPT: usize = 180;

/// Unicode blocks transliterated to Latin letters: Latin-1 and Latin Extended
/// (accents), Greek and Cyrillic.
const TRANSLITERATED: [(u32, u32); 4] = [
    (0x00C0, 0x024F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
];

fn transliterated(c: char) -> Option<String> {
    let code = c as u32;
    if !TRANSLITERATED
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&code))
    {
        return None;
    }
    let latin = deunicode::deunicode_char(c)?;
    Some(
        latin
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect(),
    )
}

/// `text` lower-cased and transliterated, as terms are stored and queries compared.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(latin) = transliterated(c) {
            out.push_str(&latin);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The search terms of `text`: folded words of two characters or more.
pub fn terms(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(str::to_string)
        .collect()
}

/// Adds `weight` to each term of `text`; repeats add up to `cap` (or what the term already has).
fn add_terms(weights: &mut FxHashMap<String, u32>, text: &str, weight: u32, cap: u32) {
    for term in terms(text) {
        let w = weights.entry(term).or_default();
        *w = (*w + weight).min(cap.max(*w));
    }
}

/// The transliteration table for the browser: every character of the blocks above.
fn table() -> BTreeMap<String, String> {
    TRANSLITERATED
        .iter()
        .flat_map(|(lo, hi)| *lo..=*hi)
        .filter_map(char::from_u32)
        .filter_map(|c| Some((c.to_string(), transliterated(c)?)))
        .collect()
}

/// Builds every file of the search index.
pub fn index_files(input: &RenderInput<'_>, values: &PageValues<'_>) -> Vec<DataFile> {
    let docs: Vec<PageId> = input
        .site
        .iter()
        .filter(|(_, p)| p.role == Role::Page || p.file.is_some())
        .map(|(id, _)| id)
        .collect();
    // Each document's weighted terms, in parallel.
    let per_doc: Vec<FxHashMap<String, u32>> = docs
        .par_iter()
        .map(|&id| doc_terms(input, values, id))
        .collect();
    // Postings grouped by shard, then by term.
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (doc, terms) in per_doc.into_iter().enumerate() {
        for (term, weight) in terms {
            let prefix: String = term.chars().take(PREFIX_CHARS).collect();
            let postings = shards.entry(prefix).or_default().entry(term).or_default();
            postings.push(doc as u32);
            postings.push(weight);
        }
    }
    let mut files: Vec<DataFile> =
        Vec::with_capacity(shards.len() + docs.len() / DOCS_PER_CHUNK + 2);
    files.push((
        "search/meta.json".into(),
        serde_json::to_vec(&json!({
            "version": 1,
            "docs": docs.len(),
            "docs_per_chunk": DOCS_PER_CHUNK,
            "prefix_chars": PREFIX_CHARS,
            "shards": shards.keys().collect::<Vec<_>>(),
            "translit": table(),
        }))
        .unwrap_or_default(),
    ));
    files.par_extend(shards.par_iter().map(|(prefix, terms)| {
        (
            format!("search/shard-{}.json", hex(prefix)),
            serde_json::to_vec(terms).unwrap_or_default(),
        )
    }));
    files.par_extend(
        docs.par_chunks(DOCS_PER_CHUNK)
            .enumerate()
            .map(|(n, chunk)| {
                let rows: Vec<serde_json::Value> =
                    chunk.iter().map(|&id| doc_row(input, values, id)).collect();
                (
                    format!("search/docs-{n}.json"),
                    serde_json::to_vec(&rows).unwrap_or_default(),
                )
            }),
    );
    files
}

/// A shard's file name part: the prefix's UTF-8 bytes in hex, safe on every host.
pub fn hex(prefix: &str) -> String {
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

fn doc_terms(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    id: PageId,
) -> FxHashMap<String, u32> {
    let page = input.site.page(id);
    let mut weights: FxHashMap<String, u32> = FxHashMap::default();
    add_terms(&mut weights, &page.meta.title, TITLE, u32::MAX);
    for tag in page.meta.taxonomies.values().flatten() {
        add_terms(&mut weights, tag, TAG, u32::MAX);
    }
    for heading in &page.body.headings {
        add_terms(&mut weights, &heading.title, HEADING, u32::MAX);
    }
    let body = html_to_text(&values.links.body_html(id));
    add_terms(&mut weights, &body, BODY, BODY_CAP);
    weights
}

fn doc_row(input: &RenderInput<'_>, values: &PageValues<'_>, id: PageId) -> serde_json::Value {
    let summary = &values.summaries[id.0];
    let text = |key| {
        values::get(summary, key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let mut excerpt = html_to_text(text("summary"));
    if let Some((cut, _)) = excerpt.char_indices().nth(EXCERPT) {
        excerpt.truncate(cut);
        excerpt.push('…');
    }
    let page = input.site.page(id);
    json!([
        page.meta.title,
        values.links.url(id),
        text("kind_label"),
        excerpt
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_and_latin_fold_alike() {
        assert_eq!(fold("Братство"), "bratstvo");
        assert_eq!(fold("BRATSTVO"), "bratstvo");
        assert_eq!(fold("Café Ünïcode"), "cafe unicode");
        let t = terms("Нерушимое братство-2024, a b");
        assert_eq!(t, ["nerushimoe", "bratstvo", "2024"]);
    }

    #[test]
    fn table_matches_fold() {
        let table = table();
        assert_eq!(table.get("б").map(String::as_str), Some("b"));
        assert_eq!(table.get("щ").map(String::as_str), Some("shch"));
        for (c, latin) in &table {
            assert_eq!(&fold(c), latin);
        }
    }

    #[test]
    fn body_repeats_are_capped() {
        let mut weights: FxHashMap<String, u32> = FxHashMap::default();
        add_terms(&mut weights, "Drill", TITLE, u32::MAX);
        add_terms(&mut weights, &"drill ".repeat(50), BODY, BODY_CAP);
        add_terms(&mut weights, &"word ".repeat(50), BODY, BODY_CAP);
        assert_eq!(weights["drill"], TITLE);
        assert_eq!(weights["word"], BODY_CAP);
    }
}
