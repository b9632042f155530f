//! The typed model of a site: pages with checked front matter, grouped into sections.

pub(crate) mod fields;
mod front_matter;
pub(crate) mod keys;
pub(crate) mod page;

use std::collections::HashMap;

use rayon::prelude::*;

pub(crate) use fields::FieldValue;
pub(crate) use page::{Meta, Page, Role, SortBy};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown;
use crate::source::SourceFile;

/// Index of a page in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PageId(pub usize);

/// All pages of a site, sorted by path, with their section structure.
#[derive(Debug, Default)]
pub(crate) struct Site {
    /// Pages and sections, sorted by path; [`PageId`] indexes this.
    pub pages: Vec<Page>,
    /// For each section: its pages, in the section's order.
    pub section_pages: HashMap<PageId, Vec<PageId>>,
    /// For each section: its direct subsections, by title.
    pub subsections: HashMap<PageId, Vec<PageId>>,
    /// Page (or section) by URL path.
    pub by_path: HashMap<String, PageId>,
    /// Slugs and source paths of drafts left out of this build, to explain missing links.
    pub drafts: std::collections::HashSet<String>,
}

impl Site {
    /// The page with `id`.
    pub(crate) fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// Every page with its id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (PageId, &Page)> {
        self.pages.iter().enumerate().map(|(i, p)| (PageId(i), p))
    }

    /// The section page listing `page`, if any.
    pub(crate) fn section_of(&self, page: &Page) -> Option<PageId> {
        match page.role {
            Role::Section if page.path.is_empty() => None,
            _ => self.by_path.get(&page.section).copied(),
        }
    }
}

/// Loads every source into a typed page (in parallel) and assembles the site.
pub(crate) fn load(
    config: &SiteConfig,
    files: Vec<SourceFile>,
    include_drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = files
        .into_par_iter()
        .map(|f| page::load(config, f))
        .collect();
    let mut errors = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    let mut drafts = std::collections::HashSet::new();
    for (page, page_errors) in results {
        errors.extend(page_errors);
        match page {
            Some(p) if p.meta.draft && !include_drafts => {
                drafts.insert(p.slug);
                drafts.insert(p.source_path);
            }
            Some(p) => pages.push(p),
            None => {}
        }
    }
    add_missing_sections(&mut pages);
    pages.sort_by(|a, b| a.path.cmp(&b.path).then(a.file.cmp(&b.file)));
    let mut site = Site {
        pages,
        drafts,
        ..Site::default()
    };
    errors.extend(index_paths(&mut site));
    group_sections(&mut site);
    (site, errors)
}

/// Every folder with pages is a section, even without an `_index.md`.
fn add_missing_sections(pages: &mut Vec<Page>) {
    let mut have: std::collections::HashSet<String> = pages
        .iter()
        .filter(|p| p.role == Role::Section)
        .map(|p| p.path.clone())
        .collect();
    let mut needed = vec![String::new()];
    for p in pages.iter() {
        let mut section = p.section.clone();
        loop {
            needed.push(section.clone());
            match section.rfind('/') {
                Some(i) => section.truncate(i),
                None if !section.is_empty() => section.clear(),
                None => break,
            }
        }
    }
    for path in needed {
        if have.insert(path.clone()) {
            pages.push(synthetic_section(path));
        }
    }
}

fn synthetic_section(path: String) -> Page {
    let slug = path.rsplit('/').next().unwrap_or_default().to_string();
    let title = if path.is_empty() {
        "Home".to_string()
    } else {
        let words = slug.replace('-', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    };
    let section = path
        .rfind('/')
        .map_or(String::new(), |i| path[..i].to_string());
    Page {
        role: Role::Section,
        file: None,
        front_matter_source: String::new(),
        yaml_offset: 0,
        yaml_len: 0,
        body_offset: 0,
        source_path: path.clone(),
        source_dir: path.clone(),
        path,
        slug,
        section,
        kind: None,
        meta: Meta {
            title,
            ..Meta::default()
        },
        fields: Default::default(),
        extra: Default::default(),
        body: markdown::ParsedBody::default(),
        link_places: Vec::new(),
    }
}

/// Fills `by_path`; two sources with the same URL (ignoring case) are an error.
fn index_paths(site: &mut Site) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut folded: HashMap<String, PageId> = HashMap::with_capacity(site.pages.len());
    for (i, page) in site.pages.iter().enumerate() {
        let id = PageId(i);
        match folded.get(&page.path.to_lowercase()) {
            Some(&first) => {
                let other = site.pages[first.0].file.as_ref().map_or_else(
                    || "a section folder".to_string(),
                    |f| f.display().to_string(),
                );
                let url = if page.path.is_empty() {
                    "/".to_string()
                } else {
                    format!("/{}/", page.path)
                };
                errors.push(
                    page.diagnostic_at(
                        ErrorKind::Duplicate,
                        format!("this page has the URL {url}, as {other} does"),
                        0,
                    )
                    .hint("rename one of the files or set a different `slug:`"),
                );
            }
            None => {
                folded.insert(page.path.to_lowercase(), id);
                site.by_path.insert(page.path.clone(), id);
            }
        }
    }
    errors
}

fn group_sections(site: &mut Site) {
    for (i, page) in site.pages.iter().enumerate() {
        let id = PageId(i);
        let Some(section) = site.section_of(page) else {
            continue;
        };
        match page.role {
            Role::Page => site.section_pages.entry(section).or_default().push(id),
            Role::Section => site.subsections.entry(section).or_default().push(id),
        }
    }
    let pages = &site.pages;
    for (section, list) in site.section_pages.iter_mut() {
        let order = pages[section.0].meta.sort_by;
        list.sort_by(|a, b| {
            let (a, b) = (&pages[a.0], &pages[b.0]);
            let by_title = || {
                a.meta
                    .title
                    .to_lowercase()
                    .cmp(&b.meta.title.to_lowercase())
            };
            match order {
                SortBy::Weight => a
                    .meta
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&b.meta.weight.unwrap_or(i64::MAX))
                    .then_with(by_title),
                SortBy::Date => b.meta.date.cmp(&a.meta.date).then_with(by_title),
                SortBy::Title => by_title(),
            }
        });
    }
    for list in site.subsections.values_mut() {
        list.sort_by(|a, b| {
            let (a, b) = (&pages[a.0], &pages[b.0]);
            a.meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.meta.weight.unwrap_or(i64::MAX))
                .then_with(|| a.meta.title.cmp(&b.meta.title))
        });
    }
}
