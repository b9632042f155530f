//! One page as a document of the search index: its weighted terms (from the cache
//! when nothing it is made of changed), the start of its text and its summary's
//! excerpt, and its row of a `docs-<n>.json` file.

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3;

use super::super::Kept;
use super::super::fold::{add_terms, fold};
use super::super::json_string::push_json_string;
use super::{Postings, post};
use crate::incremental::kept::KeptLog;
use crate::model::{FieldValue, Page, PageId};
use crate::render::{PageValues, RenderInput, labels};
use crate::text::{collapse_whitespace, html_to_spaced_text};

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
pub(super) struct DocText {
    text: String,
    excerpt: String,
}

/// What a document is made from, as far as its key needs, and the key: a hash of it
/// all when the build keeps terms.
pub(super) struct DocInputs {
    fields: String,
    labels: String,
    /// Its body's HTML, where the key needed it.
    html: Option<String>,
    /// The document's key in the terms log.
    pub key: Option<u128>,
}

/// What page `id`'s document is made from, and its key: by what its body is made of
/// where the fingerprints tell (then its HTML is not made at all), else by its HTML.
pub(super) fn doc_inputs(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    id: PageId,
    kept: Kept<'_>,
) -> DocInputs {
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
    DocInputs {
        fields,
        labels,
        html,
        key,
    }
}

/// Adds the weighted terms of page `id`, made from `inputs`, as document `doc` to `acc`;
/// returns what its result shows. Those of a document whose every input is unchanged
/// come from `kept.terms`, where every document's are kept for the next build.
pub(super) fn add_doc(
    acc: &mut Postings,
    doc: u32,
    (input, values): (&RenderInput<'_>, &PageValues<'_>),
    id: PageId,
    (inputs, kept): (DocInputs, Kept<'_>),
) -> DocText {
    let DocInputs {
        fields,
        labels,
        html,
        key,
    } = inputs;
    if let (Some(log), Some(key)) = (kept.terms, key)
        && let Some(shown) = kept_terms(acc, doc, log, key)
    {
        return shown;
    }
    let page = input.site.page(id);
    let summary = values.summaries[id.0].html();
    let html = html.unwrap_or_else(|| values.targets.searchable_body_html(id));
    // Words do not need the whitespace collapsed; only the text the result shows does.
    let spaced = html_to_spaced_text(&html);
    let folded = Folded::of(page, &spaced, (&fields, &labels));
    let weights = folded.weights();
    for (term, weight) in &weights {
        post(acc, term, doc, *weight);
    }
    let text = cut_at_word(collapse_whitespace(&spaced, TEXT + 1), TEXT);
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

/// The terms `log` keeps under `key`, a document's this build replaces; `None` if the log
/// has no such document.
pub(super) fn replaced_terms(log: &KeptLog, key: u128) -> Option<Vec<String>> {
    log.read_replaced(key, |bytes| {
        let terms: DocTerms<'_> = postcard::from_bytes(bytes).ok()?;
        Some(
            terms
                .weights
                .into_iter()
                .map(|(t, _)| t.to_string())
                .collect(),
        )
    })
}

/// Adds the terms `log` keeps under `key` as document `doc` to `acc`; what its result
/// shows, or `None` if the log has no such document.
fn kept_terms(acc: &mut Postings, doc: u32, log: &KeptLog, key: u128) -> Option<DocText> {
    log.find(key, |bytes| {
        let terms: DocTerms<'_> = postcard::from_bytes(bytes).ok()?;
        for (term, weight) in terms.weights {
            post(acc, term, doc, weight);
        }
        Some(DocText {
            text: terms.text.to_string(),
            excerpt: terms.excerpt.to_string(),
        })
    })
}

/// A document's texts folded to terms, each from a place that weighs what it weighs.
struct Folded {
    title: String,
    fields: String,
    labels: String,
    tags: Vec<String>,
    headings: Vec<String>,
    body: String,
}

impl Folded {
    /// The texts of `page`, whose body reads as `text`, with its fields' text and labels.
    fn of(page: &Page, text: &str, (fields, labels): (&str, &str)) -> Folded {
        let taxonomies = page.meta.taxonomies.values().flatten();
        Folded {
            title: fold(&page.meta.title),
            fields: fold(fields),
            labels: fold(labels),
            tags: taxonomies.map(|t| fold(t)).collect(),
            headings: page.body.headings.iter().map(|h| fold(&h.title)).collect(),
            body: fold(text),
        }
    }

    /// Each term's weight in the document: its weightiest place's, the body's repeats
    /// counted up to [`BODY_CAP`].
    fn weights(&self) -> FxHashMap<&str, u32> {
        // Room for the distinct words a text this long has, about one per sixteen bytes on
        // the generated pages, so that the map is not grown (every key hashed again) on
        // the way.
        let mut weights: FxHashMap<&str, u32> =
            FxHashMap::with_capacity_and_hasher(self.body.len() / 16 + 16, Default::default());
        add_terms(&mut weights, &self.title, TITLE, u32::MAX);
        add_terms(&mut weights, &self.fields, FIELD, u32::MAX);
        add_terms(&mut weights, &self.labels, LABEL, u32::MAX);
        for tag in &self.tags {
            add_terms(&mut weights, tag, TAG, u32::MAX);
        }
        for heading in &self.headings {
            add_terms(&mut weights, heading, HEADING, u32::MAX);
        }
        add_terms(&mut weights, &self.body, BODY, BODY_CAP);
        weights
    }
}

/// The text of a summary's HTML, cut to [`EXCERPT`] characters.
fn excerpt_of(summary_html: &str) -> String {
    let mut excerpt = collapse_whitespace(&html_to_spaced_text(summary_html), EXCERPT + 1);
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
/// each text once more, as serde_json writes it.
pub(super) fn write_doc_row(
    out: &mut Vec<u8>,
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    id: PageId,
    shown: &DocText,
) {
    let page = input.site.page(id);
    let cells: [&str; 5] = [
        &page.meta.title,
        values.targets.url(id),
        kind_label(input, id),
        &shown.excerpt,
        &shown.text,
    ];
    out.push(b'[');
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_string(out, cell);
    }
    out.push(b']');
}

/// The label of page `id`'s kind in the index's language, as its results are shown.
fn kind_label<'i>(input: &RenderInput<'i>, id: PageId) -> &'i str {
    let page = input.site.page(id);
    page.kind
        .as_deref()
        .map(|k| labels::kind_label_in(input.config, page.lang.as_deref(), k))
        .unwrap_or_default()
}

/// A hash of everything document `id`'s row shows: its document's key `doc_key` (its
/// title, excerpt and text), its URL and its kind's label.
pub(super) fn row_key(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    id: PageId,
    doc_key: u128,
) -> u128 {
    let mut hash = Xxh3::new();
    hash.update(&doc_key.to_le_bytes());
    for text in [values.targets.url(id), kind_label(input, id)] {
        hash.update(&(text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    hash.digest128()
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
