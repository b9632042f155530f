//! Fingerprints of a loaded site: one hash for everything every output may depend on
//! without recording it (settings, templates, which pages exist and where they stand),
//! and per page and per queried field a hash of each thing an output's recorded reads
//! name (see [`crate::render::reads::Read`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Debug, Write};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::build::LoadedSite;
use crate::model::{Page, Site};
use crate::render::{PageValues, RenderPlan};

/// What one page offers the reads of others, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PageFingerprint {
    /// Its own source (and what it includes): [`crate::render::reads::Read::Text`].
    pub text: u128,
    /// Title, URL, kind, description, dates: `Read::Facts`.
    pub facts: u128,
    /// Its short form: `Read::Summary`.
    pub summary: u128,
}

/// The fingerprints of a whole site.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SiteFingerprints {
    /// Settings, templates, static files' names, attachments, and the site's shape:
    /// pages, their places and order, relations, taxonomies, the plan of outputs.
    pub setup: u128,
    /// Per page, by [`crate::model::PageId`].
    pub pages: Vec<PageFingerprint>,
    /// Per kind and field, the values of all pages of the kind: `Read::Field`.
    pub fields: BTreeMap<(String, String), u128>,
}

/// A hash fed by what `Debug` writes, so that any value with `Debug` can be hashed
/// without being written out whole first. `Debug` writes in pieces of a few bytes,
/// gathered in a small buffer: fed one by one, the hash's per-call cost was most of it.
struct DebugHash {
    hash: Xxh3,
    pending: Vec<u8>,
}

/// How many bytes the buffer gathers before they are hashed.
const PENDING: usize = 4096;

impl DebugHash {
    fn new() -> DebugHash {
        DebugHash {
            hash: Xxh3::new(),
            pending: Vec::with_capacity(PENDING),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        if self.pending.len() + bytes.len() > PENDING {
            self.hash.update(&self.pending);
            self.pending.clear();
            if bytes.len() > PENDING {
                self.hash.update(bytes);
                return;
            }
        }
        self.pending.extend_from_slice(bytes);
    }

    fn add(&mut self, value: &(impl Debug + ?Sized)) -> &mut DebugHash {
        let _ = write!(self, "{value:?}\u{1f}");
        self
    }

    /// Adds a value by its `Hash`, for values whose `Debug` spells out slowly (the link
    /// graph's, a third of an edit build's fingerprints).
    fn hashed(&mut self, value: &(impl std::hash::Hash + ?Sized)) -> &mut DebugHash {
        value.hash(&mut Feed(self));
        self
    }

    /// Adds a text as it is, its length first so that no two lists of texts hash
    /// alike: `Debug` would escape it character by character, the cost of the summaries'
    /// fingerprints.
    fn text(&mut self, text: &str) -> &mut DebugHash {
        self.update(&(text.len() as u64).to_le_bytes());
        self.update(text.as_bytes());
        self
    }

    /// Adds a template value, its maps in key order (tera's maps have none). Each kind
    /// is tagged and each map and list led by its length, so that no two values run
    /// together; texts, keys and flags go in as they are, the rare rest by `Debug`.
    fn value(&mut self, value: &tera::Value) -> &mut DebugHash {
        if let Some(text) = value.as_str() {
            self.hashed(&b's').text(text)
        } else if let Some(map) = value.as_map() {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            self.hashed(&(b'{', entries.len()));
            for (key, value) in entries {
                self.hashed(key).value(value);
            }
            self
        } else if let Some(items) = value.as_array() {
            self.hashed(&(b'[', items.len()));
            for item in items {
                self.value(item);
            }
            self
        } else if let Some(flag) = value.as_bool() {
            self.hashed(&(b'b', flag))
        } else {
            self.hashed(&b'd').add(value)
        }
    }

    fn finish(&mut self) -> u128 {
        self.hash.update(&self.pending);
        self.pending.clear();
        self.hash.digest128()
    }
}

/// `Hash`'s way into a [`DebugHash`]: its bytes go on to the hash, whose digest
/// [`DebugHash::finish`] gives; this one's `finish` is never asked for.
struct Feed<'a>(&'a mut DebugHash);

impl std::hash::Hasher for Feed<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        0
    }
}

impl Write for DebugHash {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.update(s.as_bytes());
        Ok(())
    }
}

/// The fingerprints of `loaded`, whose outputs `plan` lists, but the short forms'
/// (zero until [`SiteFingerprints::add_summaries`]): what the short forms are made of,
/// so that those made before can be found by it.
pub(crate) fn before_summaries(loaded: &LoadedSite, plan: &RenderPlan) -> SiteFingerprints {
    let site = &loaded.site;
    let sources: HashMap<&str, u128> = site
        .pages
        .iter()
        .filter_map(|p| Some((content_rel(p)?, p.source_hash)))
        .collect();
    let pages = site
        .pages
        .par_iter()
        .map(|page| PageFingerprint {
            text: text(page, &sources),
            facts: DebugHash::new()
                .hashed(&(&page.meta.title, &page.path, &page.kind))
                .hashed(&(page.meta.description(), page.meta.date, page.meta.updated))
                .finish(),
            summary: 0,
        })
        .collect();
    SiteFingerprints {
        setup: setup(loaded, plan),
        pages,
        fields: fields(site),
    }
}

impl SiteFingerprints {
    /// Adds the fingerprints of the short forms `values` made.
    pub(crate) fn add_summaries(&mut self, values: &PageValues<'_>) {
        self.pages
            .par_iter_mut()
            .zip(&values.summaries)
            .for_each(|(page, summary)| {
                // A build that fingerprints makes every short form with its fingerprint
                // (`PageValues::new_kept` is told so); one without would read as unchanged.
                debug_assert!(
                    summary.fingerprint.is_some(),
                    "a short form without fingerprint"
                );
                page.summary = summary.fingerprint.unwrap_or_default();
            });
    }
}

/// A hash of the template value made of `pairs` (a short form's): each key and value in
/// the pairs' order, which the code making them fixes.
pub(crate) fn of_pairs(pairs: &[(&str, tera::Value)]) -> u128 {
    let mut hash = DebugHash::new();
    hash.hashed(&pairs.len());
    for (key, value) in pairs {
        hash.text(key).value(value);
    }
    hash.finish()
}

/// A page's path below `content/`, as includes name it.
fn content_rel(page: &Page) -> Option<&str> {
    let file = page.file.as_ref()?.to_str()?;
    file.strip_prefix(crate::source::CONTENT_DIR)?
        .strip_prefix(['/', '\\'])
}

/// A page's own source, its commit time, and the sources of the pages it includes.
fn text(page: &Page, sources: &HashMap<&str, u128>) -> u128 {
    let mut hash = DebugHash::new();
    hash.hashed(&(&page.file, page.source_hash, page.committed));
    for included in &page.body.included {
        hash.hashed(&sources.get(included.as_str()));
    }
    hash.finish()
}

/// Per kind and field (and `title`, `description`, `date`, which queries read as
/// fields too): a hash of every page's value, in page order.
fn fields(site: &Site) -> BTreeMap<(String, String), u128> {
    let per_page: Vec<Vec<(&str, u128)>> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            if page.kind.is_none() {
                return Vec::new();
            }
            // By `Hash`: `Debug` spelt every value out, most of an edit build's fingerprints.
            fn value(i: usize, v: &impl std::hash::Hash) -> u128 {
                DebugHash::new().hashed(&i).hashed(v).finish()
            }
            let meta = &page.meta;
            let mut hashes = vec![
                ("title", value(i, &meta.title)),
                ("description", value(i, &meta.description())),
                ("date", value(i, &meta.date)),
            ];
            hashes.extend(page.fields.iter().map(|(n, v)| (n.as_str(), value(i, v))));
            hashes
        })
        .collect();
    let mut fields: BTreeMap<(&str, &str), Xxh3> = BTreeMap::new();
    for (page, hashes) in site.pages.iter().zip(per_page) {
        let kind = page.kind.as_deref().unwrap_or_default();
        for (name, hash) in hashes {
            fields
                .entry((kind, name))
                .or_default()
                .update(&hash.to_le_bytes());
        }
    }
    fields
        .into_iter()
        .map(|((kind, name), hash)| ((kind.to_string(), name.to_string()), hash.digest128()))
        .collect()
}

/// Everything an output may depend on that its recorded reads do not name.
fn setup(loaded: &LoadedSite, plan: &RenderPlan) -> u128 {
    let mut hash = DebugHash::new();
    hash.add(&env!("CARGO_PKG_VERSION")).add(&loaded.config);
    let mut templates: Vec<_> = loaded.templates.sources.iter().collect();
    templates.sort_unstable_by_key(|(name, _)| name.as_str());
    hash.add(&templates)
        .add(&loaded.templates.words)
        .add(&loaded.static_names.0);
    for asset in &loaded.assets {
        hash.add(&(&asset.rel, &asset.out));
    }
    hash.add(&loaded.guide);
    let site = &loaded.site;
    let graph = &loaded.graph;
    // Each page's place and relations, computed in parallel, then hashed in order.
    let places: Vec<u128> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let mut hash = place(&site.pages[i]);
            hash.hashed(&graph.edges[graph.outgoing[i].clone()]);
            for relations in [&graph.refs[i], &graph.inverse[i]] {
                hash.hashed(&relations.len());
                for entry in relations.iter() {
                    hash.hashed(&entry);
                }
            }
            hash.hashed(&graph.body_targets[i]);
            hash.finish()
        })
        .collect();
    // Lists of thousands of numbers go in by `Hash`: `Debug` spelt each out in decimal.
    hash.hashed(&places);
    let mut listed: Vec<_> = site.section_pages.iter().collect();
    listed.sort_unstable();
    let mut subsections: Vec<_> = site.subsections.iter().collect();
    subsections.sort_unstable();
    hash.hashed(&listed).hashed(&subsections);
    for taxonomy in &loaded.taxonomies {
        hash.hashed(&(&taxonomy.name, &taxonomy.slug));
        for term in &taxonomy.terms {
            hash.hashed(&(&term.name, &term.slug, &term.pages));
        }
    }
    // Each language's timeline and newest pages.
    let newest =
        crate::render::timeline::newest_per_language(site, crate::render::timeline::RECENT);
    for lang in site.languages_with_pages() {
        let dated: Vec<_> = crate::render::timeline::dated_pages(site, lang)
            .into_iter()
            .map(|d| (d.page, d.start, d.end))
            .collect();
        hash.hashed(&dated).hashed(&newest.get(&lang));
    }
    let outputs: Vec<u128> = plan
        .outputs
        .par_chunks(256)
        .map(|chunk| {
            let mut hash = DebugHash::new();
            for output in chunk {
                hash.hashed(&(&output.path, &output.template, &output.target));
            }
            hash.finish()
        })
        .collect();
    hash.add(&outputs).finish()
}

/// Where a page stands and how it is listed: everything of its front matter but what
/// is only shown of it (title, summary, description, `extra`), and the headings and
/// anchors others may link to.
fn place(page: &Page) -> DebugHash {
    let meta = &page.meta;
    let seldom = meta.seldom();
    let mut hash = DebugHash::new();
    hash.hashed(&(page.role, &page.path, &page.source_path, &page.kind))
        .hashed(&(&page.section, &page.slug, page.committed))
        .hashed(&(
            meta.date,
            meta.updated,
            meta.draft,
            meta.headless,
            seldom.weight,
        ))
        .hashed(&(
            &seldom.aliases,
            &seldom.template,
            &seldom.slug,
            seldom.sort_by,
        ))
        .hashed(&(
            seldom.paginate_by,
            meta.date_of_subject,
            meta.taxonomies.len(),
        ));
    for taxonomy in &meta.taxonomies {
        hash.hashed(&taxonomy);
    }
    hash.hashed(&page.body.headings.len());
    for heading in &page.body.headings {
        hash.hashed(&heading.id);
    }
    hash.hashed(&page.body.anchors);
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hash_as_the_whole_they_make() {
        // Pieces small and large, across the buffer's bounds, in any grouping.
        let pieces: Vec<String> = (0..3000)
            .map(|i| "x".repeat(if i % 500 == 0 { PENDING + 7 } else { i % 13 }))
            .collect();
        let whole = pieces.concat();
        let mut fed = DebugHash::new();
        for piece in &pieces {
            fed.write_str(piece).unwrap();
        }
        let mut at_once = DebugHash::new();
        at_once.write_str(&whole).unwrap();
        let expected = xxhash_rust::xxh3::xxh3_128(whole.as_bytes());
        assert_eq!(fed.finish(), expected);
        assert_eq!(at_once.finish(), expected);
    }

    #[test]
    fn texts_and_values_of_other_kinds_hash_apart() {
        let hash = |v: tera::Value| DebugHash::new().value(&v).finish();
        assert_ne!(hash("1".into()), hash(1.into()));
        assert_ne!(hash("true".into()), hash(true.into()));
        let list = |items: &[&str]| {
            let mut h = DebugHash::new();
            for item in items {
                h.text(item);
            }
            h.finish()
        };
        assert_ne!(list(&["ab", "c"]), list(&["a", "bc"]));
        let map = |entries: &[(&str, tera::Value)]| {
            let mut map = tera::Map::new();
            for (k, v) in entries {
                map.insert(k.to_string().into(), v.clone());
            }
            hash(tera::Value::from(map))
        };
        // Maps in key order, whatever order they were made in.
        let (a, b) = (("a", tera::Value::from(1)), ("b", tera::Value::from("x")));
        assert_eq!(map(&[a.clone(), b.clone()]), map(&[b.clone(), a.clone()]));
        assert_ne!(map(std::slice::from_ref(&a)), map(&[a.clone(), b.clone()]));
        assert_ne!(
            hash(tera::Value::from(vec![tera::Value::from("a")])),
            hash(tera::Value::from("a"))
        );
        // The link graph's values, by `Hash`.
        let hashed = |v: &[(&str, Vec<usize>)]| DebugHash::new().hashed(v).finish();
        assert_ne!(
            hashed(&[("ab", vec![1])]),
            hashed(&[("a", vec![]), ("b", vec![1])])
        );
    }
}
