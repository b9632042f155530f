//! Sections: which `index.md` is its folder's section page, the sections made for
//! folders that have none, and each section's pages and subsections in order.

use rayon::prelude::*;

use super::{Meta, Page, PageId, Role, Site, SortBy};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown;
use crate::source::FoundFile;

/// Marks each `index.md` whose folder holds other pages (or is `content/` itself) as that
/// folder's section page, as `_index.md` would be; Obsidian vaults and plain Markdown
/// sites write folder pages so. A folder with both is an error at its `index.md`.
pub(super) fn mark_section_indexes(mut files: Vec<FoundFile>) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    use std::collections::HashSet;
    let split = |rel: &str| -> (String, String) {
        let stem = crate::source::markdown_stem(rel).unwrap_or(rel);
        match stem.rsplit_once('/') {
            Some((dir, name)) => (dir.to_string(), name.to_string()),
            None => (String::new(), stem.to_string()),
        }
    };
    let mut with_pages: HashSet<String> = HashSet::new();
    let mut with_section_file: HashSet<String> = HashSet::new();
    for f in &files {
        let (dir, name) = split(&f.rel);
        match name.as_str() {
            "_index" => {
                with_section_file.insert(dir);
            }
            "index" => {}
            _ => {
                // Every folder above a page holds a page.
                let mut at = dir.as_str();
                loop {
                    if !with_pages.insert(at.to_string()) {
                        break;
                    }
                    match at.rsplit_once('/') {
                        Some((parent, _)) => at = parent,
                        None if !at.is_empty() => at = "",
                        None => break,
                    }
                }
            }
        }
    }
    let mut errors = Vec::new();
    for f in &mut files {
        let (dir, name) = split(&f.rel);
        if name != "index" {
            continue;
        }
        if with_section_file.contains(&dir) {
            errors.push(
                Diagnostic::new(
                    ErrorKind::Duplicate,
                    "this folder has both `_index.md` and `index.md`; `_index.md` is its section page",
                )
                .at(crate::error::Location::file_start(&f.file), None)
                .hint("merge the two into `_index.md`, or move this page into a folder of its own"),
            );
            continue;
        }
        f.section_index = dir.is_empty() || with_pages.contains(&dir);
    }
    // The index.md of a folder that also has `_index.md` is left out; the error says why.
    files.retain(|f| {
        let (dir, name) = split(&f.rel);
        !(name == "index" && with_section_file.contains(&dir))
    });
    (files, errors)
}

/// Every folder with pages is a section, even without an `_index.md`; so is the folder
/// of a language with pages, its home.
pub(super) fn add_missing_sections(config: &SiteConfig, pages: &mut Vec<Page>) {
    use std::collections::HashSet;
    let mut have: HashSet<String> = pages
        .iter()
        .filter(|p| p.role == Role::Section)
        .map(|p| p.path.clone())
        .collect();
    // Each folder (with its language) once, in the order pages first name it: pages of a
    // section share its folders, and a folder met before had its parents met then too.
    let mut seen: HashSet<(&str, Option<&str>)> = HashSet::new();
    let mut needed = vec![(String::new(), None)];
    for p in pages.iter() {
        let home = config.language_folder(p.lang.as_deref());
        let mut section = p.section.as_str();
        while seen.insert((section, p.lang.as_deref())) {
            needed.push((section.to_string(), p.lang.clone()));
            section = match section.rfind('/') {
                _ if section == home => break,
                Some(i) => &section[..i],
                None if !section.is_empty() => "",
                None => break,
            };
        }
    }
    for (path, lang) in needed {
        if have.insert(path.clone()) {
            let mut section = synthetic_section(path);
            if lang.is_some() {
                let folder = config.language_folder(lang.as_deref());
                let unprefixed = section.path[folder.len()..].trim_start_matches('/');
                section.source_path = unprefixed.to_string();
                section.source_dir = unprefixed.to_string();
                if section.path == folder {
                    section.section = section.path.clone();
                    section.meta.title = config
                        .language_name(config.language_code(lang.as_deref()))
                        .to_string();
                }
                section.lang = lang;
            }
            pages.push(section);
        }
    }
}

/// The title of a section that gives none, from its folder name: `member-states` is
/// "Member states", the home "Home".
pub(crate) fn section_title(folder: &str) -> String {
    if folder.is_empty() {
        return "Home".to_string();
    }
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

pub(super) fn synthetic_section(path: String) -> Page {
    let slug = path.rsplit('/').next().unwrap_or_default().to_string();
    let title = section_title(&slug);
    let section = path
        .rfind('/')
        .map_or(String::new(), |i| path[..i].to_string());
    Page {
        role: Role::Section,
        file: None,
        front_matter_source: String::new(),
        matter_format: crate::source::MatterFormat::None,
        matter_offset: 0,
        matter_len: 0,
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
        body: markdown::ParsedBody::default(),
        link_places: Vec::new(),
        source_hash: 0,
        committed: None,
        lang: None,
        untranslated: false,
    }
}

/// Sorts the pages `list` of a section in its `order`, by title after that.
pub(crate) fn sort_section(pages: &[Page], order: SortBy, list: &mut [PageId]) {
    use std::cmp::Reverse;
    // Each page's key made once: a comparison lowercasing both titles was most of it.
    list.sort_by_cached_key(|id| {
        let meta = &pages[id.0].meta;
        let title = meta.title.to_lowercase();
        match order {
            SortBy::Weight => (
                meta.seldom().weight.unwrap_or(i64::MAX),
                Reverse(None),
                title,
            ),
            SortBy::Date => (0, Reverse(meta.date), title),
            SortBy::Title => (0, Reverse(None), title),
        }
    });
}

pub(super) fn group_sections(site: &mut Site) {
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
    // A translated home lists its language's sections only; the default home, the
    // default language's.
    let pages = &site.pages;
    for (section, list) in site.subsections.iter_mut() {
        list.retain(|s| pages[s.0].lang == pages[section.0].lang);
    }
    site.section_pages
        .par_iter_mut()
        .for_each(|(section, list)| {
            sort_section(pages, pages[section.0].meta.seldom().sort_by, list);
        });
    for list in site.subsections.values_mut() {
        list.sort_by(|a, b| {
            let (a, b) = (&pages[a.0], &pages[b.0]);
            a.meta
                .seldom()
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.meta.seldom().weight.unwrap_or(i64::MAX))
                .then_with(|| a.meta.title.cmp(&b.meta.title))
        });
    }
}
