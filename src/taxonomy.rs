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
                || crate::render::values::humanize(&self.name),
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
    let with_pages = |lang: &Option<&str>| {
        lang.is_none() || site.pages.iter().any(|p| p.lang.as_deref() == *lang)
    };
    config
        .all_languages()
        .filter(with_pages)
        .flat_map(|lang| {
            let folder = config.language_folder(lang);
            config
                .taxonomies
                .iter()
                .map(move |name| collect_one(name, (lang, folder), site))
        })
        .collect()
}

fn collect_one(name: &str, (lang, folder): (Option<&str>, &str), site: &Site) -> Taxonomy {
    let mut terms: IndexMap<String, Term> = IndexMap::new();
    let mut written_slugs: FxHashMap<String, String> = FxHashMap::default();
    // Untranslated copies keep the original's terms, which are the default language's.
    let in_language = |p: &crate::model::Page| p.role == Role::Page && p.written_in(lang);
    for (id, page) in site.iter().filter(|(_, p)| in_language(p)) {
        for written in page.meta.taxonomies.get(name).into_iter().flatten() {
            let slug = match written_slugs.get(written) {
                Some(slug) => slug.clone(),
                None => {
                    let Some(slug) = term_slug(written) else {
                        continue;
                    };
                    written_slugs.insert(written.clone(), slug.clone());
                    slug
                }
            };
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: written.clone(),
                slug,
                pages: Vec::new(),
            });
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    terms.sort_by_key(|t| t.name.to_lowercase());
    for term in &mut terms {
        term.pages.sort_by(|a, b| {
            let (a, b) = (site.page(*a), site.page(*b));
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.meta.title.cmp(&b.meta.title))
        });
    }
    let index_of_slug: FxHashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let by_written = written_slugs
        .iter()
        .map(|(written, slug)| (written.clone(), index_of_slug[slug.as_str()]))
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
