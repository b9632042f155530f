//! The typed model of a site: pages with checked front matter, grouped into sections.

pub(crate) mod dates;
pub(crate) mod fields;
mod front_matter;
pub(crate) mod keys;
mod languages;
pub(crate) mod page;
pub(crate) mod page_load;
mod places;
pub(crate) mod sections;
mod url_names;

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

pub(crate) use fields::FieldValue;
pub(crate) use languages::{in_folder, in_language_folder, language_of};
pub(crate) use page::{Meta, Page, Role, SortBy};
pub(crate) use sections::section_title;
use sections::{add_missing_sections, group_sections, mark_section_indexes};
pub(crate) use url_names::UrlNames;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::HtmlSpill;
use crate::source::FoundFile;

/// Why a page is not part of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LeftOut {
    /// `draft: true`, and the build has no `--drafts`.
    Draft,
    /// `headless: true` on the page or a section above it.
    Headless,
    /// Its front matter could not be read: the error in this file says why.
    Unreadable(std::path::PathBuf),
}

/// Index of a page in [`Site::pages`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub(crate) struct PageId(pub usize);

/// All pages of a site, sorted by path, with their section structure.
#[derive(Debug, Default)]
pub(crate) struct Site {
    /// Pages and sections, sorted by path; [`PageId`] indexes this.
    pub pages: Vec<Page>,
    /// For each section: its pages, in the section's order.
    pub section_pages: FxHashMap<PageId, Vec<PageId>>,
    /// For each section: its direct subsections, by title.
    pub subsections: FxHashMap<PageId, Vec<PageId>>,
    /// Page (or section) by URL path.
    pub by_path: FxHashMap<String, PageId>,
    /// Slugs and source paths of pages left out of this build (drafts, headless pages),
    /// with why, to explain links to them.
    pub left_out: HashMap<String, LeftOut>,
    /// Per page of the default language, its translations in the order of `languages:`.
    pub translations: FxHashMap<PageId, Vec<PageId>>,
    /// Per translation, the page it translates.
    pub originals: FxHashMap<PageId, PageId>,
    /// The languages other than the default that have pages, in the order of
    /// `languages:`: (code, URL folder).
    pub languages: Vec<(String, String)>,
    /// Where bodies' HTML past the memory budget waits until rendering, if anywhere.
    pub html_spill: Option<Arc<HtmlSpill>>,
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

    /// The regular pages that say when they changed, newest first (to the second where
    /// times are known), ties by title then path: "Newest pages" and the feeds.
    pub(crate) fn by_last_change(&self) -> Vec<(PageId, dates::PageDate)> {
        let mut changed: Vec<(PageId, dates::PageDate)> = self
            .iter()
            .filter(|(_, p)| p.role == Role::Page)
            .filter_map(|(id, p)| Some((id, p.last_change()?)))
            .collect();
        changed.sort_by(|a, b| {
            let (pa, pb) = (self.page(a.0), self.page(b.0));
            b.1.cmp(&a.1)
                .then_with(|| pa.meta.title.cmp(&pb.meta.title))
                .then_with(|| pa.path.cmp(&pb.path))
        });
        changed
    }

    /// Why some page's HTML could not be read back from the spill, if it could not: then
    /// that page was rendered without its body, and nothing may be published.
    pub(crate) fn html_unreadable(&self) -> Option<Diagnostic> {
        let why = self.html_spill.as_ref()?.failure()?;
        Some(
            Diagnostic::new(
                ErrorKind::Io,
                format!(
                    "pages' HTML kept in a temporary file or in the build cache could not be read back: {why}"
                ),
            )
            .hint(
                "make room in the temporary folder ($TMPDIR) and build again (a damaged build cache is \
                 then found and left aside); nothing was published",
            ),
        )
    }

    /// The section page listing `page`, if any.
    pub(crate) fn section_of(&self, page: &Page) -> Option<PageId> {
        match page.is_home() {
            true => None,
            false => self.by_path.get(&page.section).copied(),
        }
    }
}

/// Loads every source into a typed page (in parallel) and assembles the site. With
/// `html_spill`, bodies' HTML beyond its budget waits there until rendering.
pub(crate) fn load(
    config: &SiteConfig,
    shortcodes: Option<&crate::shortcodes::Shortcodes>,
    parsed: Option<&crate::incremental::parsed::ParseCache>,
    files: Vec<FoundFile>,
    include_drafts: bool,
    html_spill: Option<Arc<HtmlSpill>>,
) -> (Site, Vec<Diagnostic>) {
    let (files, mut errors) = mark_section_indexes(files);
    let results = load_files(config, shortcodes, parsed, &files, html_spill.as_ref());
    let LoadedFiles {
        pages: loaded,
        mut left_out,
        problems: page_errors,
    } = sort_out(results, include_drafts);
    let mut pages = published(loaded, include_drafts, &mut left_out);
    add_missing_sections(config, &mut pages);
    languages::add_untranslated(config, &mut pages);
    // A page is a kilobyte: what room `sort_out` made and the sections did not take goes.
    pages.shrink_to_fit();
    // By a key of their own: a page is large, and translations come in out of order,
    // so moving each once beats moving them at every step of the sort.
    pages.sort_by_cached_key(|p| (p.path.clone(), p.file.clone()));
    let mut site = Site {
        pages,
        left_out,
        html_spill,
        ..Site::default()
    };
    errors.extend(index_paths(&mut site));
    languages::pair_translations(config, &mut site);
    errors.extend(crate::translations::warnings(config, &site));
    group_sections(&mut site);
    let mut slugs_of_kind = HashMap::new();
    for (d, left_out_draft) in page_errors {
        let d = name_pages(d, &site, &mut slugs_of_kind);
        // A draft left out of this build does not stop it: what is still to fill in
        // (`muster new` makes drafts) shows as warnings until it is published.
        errors.push(if left_out_draft {
            as_draft_warning(d)
        } else {
            d
        });
    }
    (site, errors)
}

/// A page that failed to load: the names links would call it by, and its file.
type Failed = Option<(Vec<String>, std::path::PathBuf)>;

/// Each file of `files` read and loaded (in parallel), with its problems and, if it could
/// not be loaded, what links would call it; bodies' HTML handed to `html_spill` if given.
fn load_files(
    config: &SiteConfig,
    shortcodes: Option<&crate::shortcodes::Shortcodes>,
    parsed: Option<&crate::incremental::parsed::ParseCache>,
    files: &[FoundFile],
    html_spill: Option<&Arc<HtmlSpill>>,
) -> Vec<(Option<Page>, Vec<Diagnostic>, Failed)> {
    let pages = crate::shortcodes::Includable::new(files);
    let shortcodes = crate::shortcodes::SiteShortcodes {
        known: shortcodes,
        pages: Some(&pages),
    };
    // Each file is read where it is parsed: the sources are never all in memory at once.
    let results = files
        .par_iter()
        .map(|found| {
            let f = match found.read() {
                Ok(f) => f,
                Err(d) => return (None, vec![d], None),
            };
            let (rel, section_index, file) = (f.rel.clone(), f.section_index, f.file.clone());
            let (mut page, errors) = page_load::load(config, shortcodes, parsed, f);
            if let (Some(page), Some(spill)) = (&mut page, html_spill) {
                page.body.spill_html(spill);
            }
            // What links would call the page, to say why they lead nowhere.
            let failed = page
                .is_none()
                .then(|| (page_load::names(config, &rel, section_index), file));
            (page, errors, failed)
        })
        .collect();
    if let Some(spill) = html_spill {
        spill.finish_writing();
    }
    results
}

/// What loading the files gave, sorted out.
struct LoadedFiles {
    /// The pages loaded.
    pages: Vec<Page>,
    /// The names of those that failed to load.
    left_out: HashMap<String, LeftOut>,
    /// Every problem, each with whether it is a draft's left out of this build.
    problems: Vec<(Diagnostic, bool)>,
}

/// The pages, failures and problems of `results` (see [`LoadedFiles`]).
fn sort_out(
    results: Vec<(Option<Page>, Vec<Diagnostic>, Failed)>,
    include_drafts: bool,
) -> LoadedFiles {
    let mut left_out = HashMap::new();
    let mut page_errors = Vec::new();
    // Room for the sections made for folders without one: the list of pages is megabytes,
    // and growing it for them copied it all (and touched as much fresh memory again).
    let mut loaded = Vec::with_capacity(results.len() + results.len() / 32 + 8);
    for (page, errors, failed) in results {
        let left_out_draft = page.as_ref().is_some_and(|p| p.meta.draft) && !include_drafts;
        page_errors.extend(errors.into_iter().map(|d| (d, left_out_draft)));
        if let Some((names, file)) = failed {
            for name in names {
                left_out.insert(name, LeftOut::Unreadable(file.clone()));
            }
        }
        loaded.extend(page);
    }
    LoadedFiles {
        pages: loaded,
        left_out,
        problems: page_errors,
    }
}

/// The pages of `loaded` a build publishes; those it leaves out (headless, below a
/// headless section, or drafts without `include_drafts`) go to `left_out` by their names.
fn published(
    mut pages: Vec<Page>,
    include_drafts: bool,
    left_out: &mut HashMap<String, LeftOut>,
) -> Vec<Page> {
    // A headless section leaves out everything below it.
    let headless_sections: Vec<String> = pages
        .iter()
        .filter(|p| p.role == Role::Section && p.meta.headless)
        .map(|p| p.path.clone())
        .collect();
    let below_headless = |p: &Page| {
        headless_sections
            .iter()
            .any(|s| s.is_empty() || p.path == *s || p.path.starts_with(&format!("{s}/")))
    };
    // In place: moving every page into a new list cost more than deciding.
    pages.retain_mut(|p| {
        let why = if p.meta.headless || below_headless(p) {
            Some(LeftOut::Headless)
        } else if p.meta.draft && !include_drafts {
            Some(LeftOut::Draft)
        } else {
            None
        };
        match why {
            // Links name a translation by its original's names.
            Some(_) if p.lang.is_some() => {}
            Some(why) => {
                left_out.insert(std::mem::take(&mut p.slug), why.clone());
                left_out.insert(std::mem::take(&mut p.source_path), why);
            }
            None => return true,
        }
        false
    });
    pages
}

/// The errors `page_load::load` found in a page of `site`, with the pages their hints name
/// (as [`load`] gives them), for `muster lsp`, which reads one page again.
#[cfg(feature = "lsp")]
pub(crate) fn page_errors(site: &Site, errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut slugs_of_kind = HashMap::new();
    errors
        .into_iter()
        .map(|d| name_pages(d, site, &mut slugs_of_kind))
        .collect()
}

/// Most slugs a hint names.
const NAMED_IN_HINT: usize = 12;

/// The pages of kind `kind` a field could name, for a hint: "pages of kind `member`:
/// `armenia`, `belarus` and 4 more" (those nearest to `written` first, if given), or how
/// to make the first.
pub(crate) fn pages_of_kind(site: &Site, kind: &str, written: Option<&str>) -> String {
    let slugs: Vec<&str> = site
        .pages
        .iter()
        // Translations go by their originals' slugs.
        .filter(|p| p.role == Role::Page && p.kind.as_deref() == Some(kind) && p.lang.is_none())
        .map(|p| p.slug.as_str())
        .collect();
    if slugs.is_empty() {
        return format!(
            "there is no page of kind `{kind}` yet: `muster new {kind} \"Its title\"` makes one"
        );
    }
    let (first, order) = match written {
        Some(written) => (
            crate::error::nearest(written, slugs.iter().copied(), NAMED_IN_HINT),
            ", nearest first",
        ),
        None => (slugs.iter().copied().take(NAMED_IN_HINT).collect(), ""),
    };
    let more = match slugs.len() - first.len() {
        0 => String::new(),
        more => format!(" and {more} more"),
    };
    let first: Vec<String> = first.iter().map(|s| format!("`{s}`")).collect();
    format!("pages of kind `{kind}`{order}: {}{more}", first.join(", "))
}

/// `d` with the slugs of the pages its hint asks for added to the hint; each kind's
/// slugs are gathered once (in `slugs_of_kind`).
fn name_pages(
    mut d: Diagnostic,
    site: &Site,
    slugs_of_kind: &mut HashMap<String, String>,
) -> Diagnostic {
    let Some(kind) = d.names_pages_of.take() else {
        return d;
    };
    let named = slugs_of_kind
        .entry(*kind)
        .or_insert_with_key(|kind| pages_of_kind(site, kind, None));
    let hint = match d.hint.take() {
        Some(hint) => format!("{hint}; {named}"),
        None => named.clone(),
    };
    d.hint(hint)
}

/// `d`, of a draft left out of the build, as a warning saying so.
fn as_draft_warning(d: Diagnostic) -> Diagnostic {
    let hint = match &d.hint {
        Some(hint) => format!("{hint} (a draft, left out of this build: an error once published)"),
        None => "a draft, left out of this build: an error once published".to_string(),
    };
    d.hint(hint).warning()
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
