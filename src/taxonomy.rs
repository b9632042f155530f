//! Taxonomies: the terms pages are tagged with, and the pages of each term.

use indexmap::IndexMap;
use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::model::{PageId, Role, Site};

/// One term of a taxonomy and the pages tagged with it.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// The term as first written.
    pub name: String,
    /// URL form of the term.
    pub slug: String,
    /// Tagged pages, newest first, then by title.
    pub pages: Vec<PageId>,
}

/// A taxonomy such as `tags`, with its terms sorted by name.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    /// The taxonomy name from `site.yaml`.
    pub name: String,
    /// URL form of the name.
    pub slug: String,
    /// Terms, sorted by name.
    pub terms: Vec<Term>,
    /// Index into `terms` of every spelling pages use (`CSTO` and `csto` are one term).
    pub by_written: FxHashMap<String, usize>,
    /// The language of its pages (`None`: the default); each language has its own terms.
    pub lang: Option<String>,
    /// The URL folder of that language (`""` for the default).
    pub folder: String,
}

impl Taxonomy {
    /// What its readers call it: its language's label in site.yaml (`labels: { tags:
    /// Метки }`), else its name as words (`Tags`).
    pub(crate) fn label(&self, config: &SiteConfig) -> String {
        config
            .label_in(self.lang.as_deref(), &self.name)
            .map_or_else(
                || crate::render::labels::humanize(&self.name),
                str::to_string,
            )
    }

    /// The URL path of the term list, below the base.
    pub(crate) fn path(&self) -> String {
        match self.folder.as_str() {
            "" => self.slug.clone(),
            folder => format!("{folder}/{}", self.slug),
        }
    }

    /// The URL path of a term page, below the base.
    pub(crate) fn term_path(&self, term: &Term) -> String {
        format!("{}/{}", self.path(), term.slug)
    }
}

/// The URL form of a term; `None` for a term with nothing to make a URL from
/// (reported where the page writes it).
pub(crate) fn term_slug(term: &str) -> Option<String> {
    crate::model::page::url_slug(term)
}

/// Groups the pages of `site` by the terms of each taxonomy, in one pass per
/// taxonomy and language: the default language's first, then each other language's
/// that has pages.
pub(crate) fn collect(config: &SiteConfig, site: &Site) -> Vec<Taxonomy> {
    if config.taxonomies.is_empty() {
        return Vec::new();
    }
    let with_pages = |lang: &Option<&str>| {
        lang.is_none() || site.pages.iter().any(|p| p.lang.as_deref() == *lang)
    };
    let order = newest_first(site);
    config
        .all_languages()
        .filter(with_pages)
        .flat_map(|lang| {
            let folder = config.language_folder(lang);
            let order = &order;
            config
                .taxonomies
                .iter()
                .map(move |name| collect_one(name, (lang, folder), site, order))
        })
        .collect()
}

/// Each page's place in the site's pages sorted newest first, then by title (then by
/// page order): sorted once, so that each term's pages sort by a number instead of
/// comparing pages met in no order, which is most of the work on a large site.
fn newest_first(site: &Site) -> Vec<u32> {
    let mut ids: Vec<usize> = (0..site.pages.len()).collect();
    ids.sort_by_cached_key(|&i| {
        let meta = &site.pages[i].meta;
        (std::cmp::Reverse(meta.date), meta.title.as_str(), i)
    });
    let mut place = vec![0; ids.len()];
    for (n, i) in ids.into_iter().enumerate() {
        place[i] = n as u32;
    }
    place
}

/// Taxonomy `name` in language `lang`: its terms sorted by name, each one's pages newest first.
fn collect_one(
    name: &str,
    (lang, folder): (Option<&str>, &str),
    site: &Site,
    newest_first: &[u32],
) -> Taxonomy {
    let (terms, written_terms) = group(name, lang, site);
    let mut terms: Vec<(usize, Term)> = terms.into_values().enumerate().collect();
    terms.sort_by_cached_key(|(_, t)| t.name.to_lowercase());
    // Where each term of the first pass ended up once sorted.
    let mut sorted_at = vec![0; terms.len()];
    for (at, (first, _)) in terms.iter().enumerate() {
        sorted_at[*first] = at;
    }
    let mut terms: Vec<Term> = terms.into_iter().map(|(_, t)| t).collect();
    for term in &mut terms {
        term.pages.sort_unstable_by_key(|p| newest_first[p.0]);
    }
    let by_written = written_terms
        .into_iter()
        .filter_map(|(written, index)| Some((written, sorted_at[index?])))
        .collect();
    Taxonomy {
        // site.yaml's taxonomy names are checked to have one.
        slug: crate::model::page::url_slug(name).unwrap_or_else(|| name.to_string()),
        name: name.to_string(),
        terms,
        by_written,
        lang: lang.map(str::to_string),
        folder: folder.to_string(),
    }
}

/// The terms of taxonomy `name` on the pages of language `lang`, in the order first met,
/// each with its pages in page order; and each spelling's term, by its index there
/// (`None`: nothing to make a URL from).
fn group(
    name: &str,
    lang: Option<&str>,
    site: &Site,
) -> (IndexMap<String, Term>, FxHashMap<String, Option<usize>>) {
    let mut terms: IndexMap<String, Term> = IndexMap::new();
    let mut written_terms: FxHashMap<String, Option<usize>> = FxHashMap::default();
    // Untranslated copies keep the original's terms, which are the default language's.
    let in_language = |p: &crate::model::Page| p.role == Role::Page && p.written_in(lang);
    for (id, page) in site.iter().filter(|(_, p)| in_language(p)) {
        for written in page.meta.taxonomies.get(name).into_iter().flatten() {
            let index = match written_terms.get(written.as_str()) {
                Some(index) => *index,
                None => {
                    let index = term_slug(written).map(|slug| {
                        let entry = terms.entry(slug);
                        let index = entry.index();
                        let slug = entry.key().clone();
                        entry.or_insert_with(|| Term {
                            name: written.clone(),
                            slug,
                            pages: Vec::new(),
                        });
                        index
                    });
                    written_terms.insert(written.clone(), index);
                    index
                }
            };
            let Some(term) = index.and_then(|i| terms.get_index_mut(i)).map(|(_, t)| t) else {
                continue;
            };
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
        }
    }
    (terms, written_terms)
}
