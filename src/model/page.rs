//! One Markdown file turned into a typed page: front matter checked against its kind.

use std::path::PathBuf;

use indexmap::IndexMap;

use super::dates::PageDate;
use super::fields::{FieldValue, Fields};
use super::front_matter;
use super::places::{LinkPlace, body_errors, link_places};
use super::{in_language_folder, language_of};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::{self, ParsedBody};
use crate::source::{MatterFormat, SourceFile, split_front_matter};
use crate::{toml_pos, yaml_pos};

/// Whether a page is a leaf page or lists other pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// A regular page.
    Page,
    /// A section's `_index.md` (the home page is the section with an empty path).
    Section,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum SortBy {
    /// Weight ascending, then title.
    #[default]
    Weight,
    /// Newest first.
    Date,
    /// Alphabetical.
    Title,
}

/// The front matter keys every page understands.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Meta {
    /// Page title.
    pub title: String,
    /// Publication or event date, with its time if written.
    pub date: Option<PageDate>,
    /// Last update, with its time if written.
    pub updated: Option<PageDate>,
    /// Drafts are only built with `--drafts`.
    pub draft: bool,
    /// A summary written by hand, plain text.
    pub summary: Option<String>,
    /// `description:` (Zola, Hugo): the summary when `summary:` is not given.
    pub description: Option<String>,
    /// Not published: no output, not listed, as Hugo's headless bundles (`headless:`).
    pub headless: bool,
    /// Keys of pages without a kind, and `extra:` (Zola) of any page, kept as they are.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Terms per taxonomy, e.g. `tags: [csto]`.
    pub taxonomies: IndexMap<String, Vec<String>>,
    /// `date` stands for the first date field: the date of the page's subject (a
    /// drill's start), not of the page.
    pub date_of_subject: bool,
    /// The keys few pages write; `None` when the page writes none of them.
    pub seldom: Option<Box<SeldomKeys>>,
}

/// Front matter keys few pages write, held apart: a page without them carries a pointer
/// instead of their room (192 bytes, 19 MB at 100,000 pages).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SeldomKeys {
    /// Sort weight within a section.
    pub weight: Option<i64>,
    /// Old URL paths that redirect here.
    pub aliases: Vec<String>,
    /// For a translation: the version of its original it was made from
    /// (`muster translations --mark` writes it).
    pub translated_from: Option<String>,
    /// A template to use instead of the kind's.
    pub template: Option<String>,
    /// Overrides the slug taken from the file name.
    pub slug: Option<String>,
    /// For sections: the order of their pages.
    pub sort_by: SortBy,
    /// For sections: how many pages one listing page shows; all when unset.
    pub paginate_by: Option<usize>,
    /// Fields whose values the sources do not state but imply, each with what it is
    /// inferred from (`inferred: { dates: "the year, from the drill's name" }`).
    pub inferred: IndexMap<String, String>,
}

/// What a page that writes none of the seldom keys has of them.
static NO_SELDOM_KEYS: std::sync::LazyLock<SeldomKeys> =
    std::sync::LazyLock::new(SeldomKeys::default);

impl Meta {
    /// What the page says of itself in a line: its `description`, else its `summary`.
    pub(crate) fn description(&self) -> Option<&str> {
        self.description.as_deref().or(self.summary.as_deref())
    }

    /// The keys few pages write, their defaults where the page writes none.
    pub(crate) fn seldom(&self) -> &SeldomKeys {
        self.seldom.as_deref().unwrap_or(&NO_SELDOM_KEYS)
    }

    /// The keys few pages write, to set one.
    pub(crate) fn seldom_mut(&mut self) -> &mut SeldomKeys {
        self.seldom.get_or_insert_with(Box::default)
    }
}

/// A page or section loaded from `content/`.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Leaf page or section.
    pub role: Role,
    /// Source path relative to the site root; `None` for sections with no `_index.md`.
    pub file: Option<PathBuf>,
    /// The source text up to the body: the front matter, kept to point errors at it.
    /// The body is dropped once parsed; `link_places` keeps what link errors need.
    pub front_matter_source: String,
    /// The language of the front matter (YAML, TOML, or none).
    pub matter_format: MatterFormat,
    /// Byte offset of the front matter in `front_matter_source`.
    pub matter_offset: usize,
    /// Byte length of the front matter.
    pub matter_len: usize,
    /// Byte offset of the body in the source file (`muster lsp` places headings and
    /// links with it).
    #[cfg_attr(not(feature = "lsp"), allow(dead_code))]
    pub body_offset: usize,
    /// URL path below the base, e.g. `members/russia`; `""` for home.
    pub path: String,
    /// The source path without `.md` (and without `/index` or `/_index`).
    pub source_path: String,
    /// The folder of the source file below `content/`, for relative links.
    pub source_dir: String,
    /// Last path component.
    pub slug: String,
    /// Path of the section the page belongs to (its parent section, for sections).
    pub section: String,
    /// The declared kind, from the section it lives in.
    pub kind: Option<String>,
    /// Common front matter.
    pub meta: Meta,
    /// Declared fields of its kind.
    pub fields: Fields,
    /// The parsed body.
    pub body: ParsedBody,
    /// Where each link of the body is written: its internal links, then its local URLs
    /// (see [`Page::local_link`]).
    pub link_places: Vec<LinkPlace>,
    /// When its file was last committed, if the site is a git checkout.
    pub committed: Option<PageDate>,
    /// A hash of its source file's text (after decoding): what an incremental build
    /// compares to know whether the page changed.
    pub source_hash: u128,
    /// The language of a translation (`page.ru.md`: `ru`); `None` for the default language.
    pub lang: Option<String>,
    /// A page of language `lang` that is no translation but its original's text, shown
    /// with a notice where the original has no translation (`untranslated: notice`).
    pub untranslated: bool,
}

impl Page {
    /// The language its text is written in: `lang`, but the default language's (`None`)
    /// for an untranslated page, whose links and refs therefore lead where the original's do.
    pub(crate) fn text_lang(&self) -> Option<&str> {
        match self.untranslated {
            true => None,
            false => self.lang.as_deref(),
        }
    }

    /// Whether it is a page of language `lang` (`None`: the default) with a text of its
    /// own: what that language's search, feeds, graph, terms and newest pages show, which
    /// leave out untranslated copies (their originals' text is in the default language's).
    pub(crate) fn written_in(&self, lang: Option<&str>) -> bool {
        self.lang.as_deref() == lang && !self.untranslated
    }

    /// Whether it is a home: the site's, or a language's (`/ru/`), which no section lists.
    pub(crate) fn is_home(&self) -> bool {
        self.role == Role::Section && (self.path.is_empty() || self.section == self.path)
    }

    /// When the page last changed: its `updated:`, else its file's last commit, else
    /// its `date:` as written (a post's publication); never the date of its subject.
    pub(crate) fn last_change(&self) -> Option<PageDate> {
        let written = self.meta.date.filter(|_| !self.meta.date_of_subject);
        self.meta.updated.or(self.committed).or(written)
    }

    /// The index in `link_places` of local URL `n` of the body.
    pub(crate) fn local_link(&self, n: usize) -> usize {
        self.body.internal_links.len() + n
    }

    /// The index in `link_places` of shortcode call `n` of the body.
    pub(crate) fn call_place(&self, n: usize) -> usize {
        self.body.internal_links.len() + self.body.local.len() + n
    }

    /// The front matter text, between its delimiter lines.
    pub(crate) fn matter(&self) -> &str {
        &self.front_matter_source[self.matter_offset..self.matter_offset + self.matter_len]
    }

    /// A diagnostic pointing at `key` in the front matter.
    pub(crate) fn diagnostic_at_key(
        &self,
        kind: ErrorKind,
        message: String,
        key: &str,
    ) -> Diagnostic {
        let rel = match self.matter_format {
            MatterFormat::Toml => toml_pos::locate_key(self.matter(), key),
            _ => yaml_pos::locate_key(self.matter(), &[key]),
        };
        self.diagnostic_in_matter(kind, message, rel)
    }

    /// A diagnostic pointing at the value of `key` (at `item` within it, if given),
    /// or at the key when the value starts on a later line.
    pub(crate) fn diagnostic_at_value(
        &self,
        kind: ErrorKind,
        message: String,
        key: &str,
        item: Option<&str>,
    ) -> Diagnostic {
        let rel = match (self.matter_format, item) {
            (MatterFormat::Toml, item) => toml_pos::locate_value(self.matter(), key, item),
            (_, Some(v)) => yaml_pos::locate_value(self.matter(), key, v),
            (_, None) => yaml_pos::locate_value_start(self.matter(), key),
        };
        self.diagnostic_in_matter(kind, message, rel)
    }

    /// A diagnostic at `rel`, an offset within the front matter (the file's start if unknown).
    fn diagnostic_in_matter(
        &self,
        kind: ErrorKind,
        message: String,
        rel: Option<usize>,
    ) -> Diagnostic {
        self.diagnostic_at(kind, message, rel.map_or(0, |r| self.matter_offset + r))
    }

    /// A diagnostic at internal link `link` of the body.
    pub(crate) fn diagnostic_at_link(
        &self,
        kind: ErrorKind,
        message: String,
        link: usize,
    ) -> Diagnostic {
        let d = Diagnostic::new(kind, message);
        match (&self.file, self.link_places.get(link)) {
            (Some(file), Some(place)) => {
                let d = d.at(
                    crate::error::Location {
                        file: file.clone(),
                        line: place.line,
                        column: place.column,
                    },
                    None,
                );
                d.with_source(&place.source_line, place.source_column)
            }
            _ => d,
        }
    }

    /// A diagnostic at byte `offset` of the source.
    pub(crate) fn diagnostic_at(
        &self,
        kind: ErrorKind,
        message: String,
        offset: usize,
    ) -> Diagnostic {
        let d = Diagnostic::new(kind, message);
        match &self.file {
            Some(file) => d.at_offset(file, &self.front_matter_source, offset),
            None => d,
        }
    }
}

/// The names a link may give the page in `file` (its source path and its file name's
/// URL part), known from its path alone: to explain links to it if it fails to load.
pub(super) fn names(config: &SiteConfig, rel: &str, section_index: bool) -> Vec<String> {
    let (rel, lang) = language_of(config, rel);
    if lang.is_some() {
        // Links name a translation by its original's names.
        return Vec::new();
    }
    let place = placement(&rel, section_index);
    let mut names = vec![place.components.join("/")];
    if let Some(part) = place
        .components
        .last()
        .and_then(|c| config.url_names.part(c))
    {
        names.push(part);
    }
    names
}

/// Where a source file sits in the site, from its path alone.
struct Placement {
    role: Role,
    /// Path components below `content/`, without `.md`, `index` or `_index`.
    components: Vec<String>,
}

/// Where the file at `rel` (a Markdown file below `content/`) sits; `section_index`
/// makes an `index.md` its folder's section page instead of a page bundle.
fn placement(rel: &str, section_index: bool) -> Placement {
    let without_ext = crate::source::markdown_stem(rel).unwrap_or(rel);
    let mut components: Vec<String> = without_ext.split('/').map(str::to_string).collect();
    let last = components.pop().unwrap_or_default();
    match last.as_str() {
        "_index" => Placement {
            role: Role::Section,
            components,
        },
        // `index.md` of a folder with other pages, or of the whole site, lists them.
        "index" if section_index || components.is_empty() => Placement {
            role: Role::Section,
            components,
        },
        // A page bundle: `x/index.md` is the page `x`, with its files beside it.
        "index" if !components.is_empty() => Placement {
            role: Role::Page,
            components,
        },
        _ => {
            components.push(last);
            Placement {
                role: Role::Page,
                components,
            }
        }
    }
}

/// The URL form of a name ("Нерушимое братство" → "nerushimoe-bratstvo"): lower-case
/// letters, digits and `-`. `None` when nothing is left (a name of dots, slashes or
/// punctuation), which cannot name a page: it would be the folder itself or leave it.
pub(crate) fn url_slug(name: &str) -> Option<String> {
    let s = slug::slugify(name);
    (!s.is_empty()).then_some(s)
}

/// Why [`url_slug`] gave nothing, for messages.
pub(crate) const NO_SLUG: &str = "has no letter or digit to make a URL from";

/// The title of a page of no kind without `title:`: its first `# ` heading, as
/// Obsidian, Quartz and plain Markdown blogs show it, else its file name as written (a
/// section's folder name as a synthetic section's, "Home" for the home page).
fn fallback_title(body: &mut ParsedBody, role: Role, name: Option<&String>) -> String {
    if let Some(title) = body.leading_title().map(str::to_string) {
        // Shown by the template as the title; not twice.
        body.drop_leading_title();
        return title;
    }
    if let Some(h) = body.headings.iter().find(|h| h.level == 1) {
        return h.title.to_string();
    }
    match (role, name) {
        (Role::Page, Some(name)) => name.clone(),
        (_, name) => super::section_title(name.map_or("", String::as_str)),
    }
}

/// Loads one Markdown file: splits it, checks its front matter against its kind
/// and scans its body. Every problem in the file is returned together. A page
/// whose fields have errors is still returned, so that its links are checked too;
/// `None` means the front matter could not be read at all.
pub(crate) fn load(
    config: &SiteConfig,
    shortcodes: crate::shortcodes::SiteShortcodes<'_>,
    parsed: Option<&crate::incremental::parsed::ParseCache>,
    source: SourceFile,
) -> (Option<Page>, Vec<Diagnostic>) {
    let SourceFile {
        rel,
        file,
        text,
        section_index,
    } = source;
    let split = match split_front_matter(&text) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::new(ErrorKind::FrontMatter, e.message)
                .at_offset(&file, &text, e.offset)
                .hint(e.hint);
            return (None, vec![d]);
        }
    };
    let (matter_format, matter_offset, matter_len, body_offset) = (
        split.format,
        split.matter_offset,
        split.matter.len(),
        split.body_offset,
    );
    let read = || front_matter::parse(&split, &file, &text);
    let read = match parsed {
        Some(cache) => cache.matter(split.format, split.matter, read),
        None => read(),
    };
    let (mapping, repeated_keys) = match read {
        Ok(parsed) => parsed,
        Err(errors) => return (None, errors),
    };
    let mut body = scan_body(config, shortcodes, parsed, &rel, &text[body_offset..]);
    // Link errors come later, from the links stage: keep their places, not the body.
    let link_places = link_places(&text, body_offset, &body);
    let Sited {
        lang,
        place,
        source_path,
        source_dir,
        mut components,
        section,
        kind,
    } = sited(config, &rel, section_index);
    let query_errors = crate::query::read(config, &mut body, kind.as_deref());
    let body_errors = body_errors(config, (&file, &text, body_offset), &body, query_errors);
    let source_hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    let mut page = Page {
        source_hash,
        lang,
        untranslated: false,
        role: place.role,
        file: Some(file),
        front_matter_source: text,
        matter_format,
        matter_offset,
        matter_len,
        body_offset,
        path: String::new(),
        source_path,
        source_dir,
        slug: components.last().cloned().unwrap_or_default(),
        section,
        kind,
        meta: Meta::default(),
        fields: Fields::new(),
        body,
        link_places,
        committed: None,
    };
    let mut errors = repeated_keys;
    errors.extend(front_matter::read_front_matter(config, &mut page, mapping));
    errors.extend(body_errors);
    errors.extend(name_errors(config, &mut page, &mut components, &place));
    // Front matter errors are made; from here on only its keys are pointed at.
    page.front_matter_source.truncate(body_offset);
    page.front_matter_source.shrink_to_fit();
    page.path = in_language_folder(config, page.lang.as_deref(), &components.join("/"));
    if page.lang.is_some() {
        // A translated home is its language's home: no section above it.
        page.section = match page.path == config.language_folder(page.lang.as_deref()) {
            true => page.path.clone(),
            false => in_language_folder(config, page.lang.as_deref(), &page.section),
        };
    }
    fill_title_and_date(&mut page, &place);
    (Some(page), errors)
}

/// Where the file at `rel` goes: its language, place, names and kind.
struct Sited {
    lang: Option<String>,
    place: Placement,
    source_path: String,
    source_dir: String,
    /// The URL's parts.
    components: Vec<String>,
    section: String,
    kind: Option<String>,
}

/// Where the file at `rel` goes (see [`Sited`]), from its path alone.
fn sited(config: &SiteConfig, rel: &str, section_index: bool) -> Sited {
    let (rel, lang) = language_of(config, rel);
    let place = placement(&rel, section_index);
    let source_path = place.components.join("/");
    let source_dir = rel
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| dir.to_string());
    // A name with nothing to slugify is reported later, unless `slug:` replaces it.
    let components: Vec<String> = place
        .components
        .iter()
        .map(|c| config.url_names.part(c).unwrap_or_default())
        .collect();
    // The parent folder: a page's section, or a section's parent section.
    let section = components
        .len()
        .checked_sub(1)
        .map_or(String::new(), |n| components[..n].join("/"));
    let kind = match place.role {
        Role::Page => config
            .kind_for_section(&section)
            .map(|(n, _)| n.to_string()),
        Role::Section => None,
    };
    Sited {
        lang,
        place,
        source_path,
        source_dir,
        components,
        section,
        kind,
    }
}

/// The body of the page at `rel`, scanned (or found in the parse cache).
fn scan_body(
    config: &SiteConfig,
    shortcodes: crate::shortcodes::SiteShortcodes<'_>,
    parsed: Option<&crate::incremental::parsed::ParseCache>,
    rel: &str,
    body_text: &str,
) -> ParsedBody {
    let mut settings = markdown::Settings::of(config, shortcodes.known);
    let page_dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    settings.includes = shortcodes.pages.map(|pages| crate::shortcodes::Includes {
        pages,
        page: rel,
        page_dir,
        options: settings.options(),
    });
    match parsed {
        Some(cache) => cache.scan(body_text, || markdown::scan(body_text, settings)),
        None => markdown::scan(body_text, settings),
    }
}

/// Applies `slug:` to the URL's last part (`components`), and reports a file or folder
/// name, or a slug, with nothing to make a URL from.
fn name_errors(
    config: &SiteConfig,
    page: &mut Page,
    components: &mut [String],
    place: &Placement,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if let Some(slug) = &page.meta.seldom().slug
        && let Some(last) = components.last_mut()
    {
        // `slug:` follows the site's `url_names:`, as Zola's does; one with no
        // letters at all was reported where it is written.
        *last = config.url_names.part(slug).unwrap_or_default();
        page.slug = last.clone();
        if last.is_empty() && url_slug(slug).is_some() {
            errors.push(
                page.diagnostic_at_value(
                    ErrorKind::Field,
                    format!("`slug` `{}` is not one plain name", slug.escape_debug()),
                    "slug",
                    None,
                )
                .hint("write one name without `/`, `\\` or control characters, e.g. `slug: annual-review`"),
            );
        }
    }
    if let Some(i) = components.iter().position(String::is_empty)
        && !(i + 1 == components.len() && page.meta.seldom().slug.is_some())
    {
        let name = &place.components[i];
        let what = if i + 1 == components.len() {
            "file"
        } else {
            "folder"
        };
        errors.push(
            page.diagnostic_at(
                ErrorKind::Field,
                format!("the {what} name `{}` {NO_SLUG}", name.escape_debug()),
                0,
            )
            .hint(format!(
                "rename the {what}{}",
                if what == "file" {
                    ", or set `slug:`"
                } else {
                    ""
                }
            )),
        );
    }
    errors
}

/// A page of no kind without `title:` takes its first heading's, or its name; a page
/// without `date:` takes its first date field's, as the date of its subject.
fn fill_title_and_date(page: &mut Page, place: &Placement) {
    if page.meta.title.is_empty() && page.kind.is_none() {
        page.meta.title = fallback_title(&mut page.body, place.role, place.components.last());
    }
    if page.meta.date.is_none() {
        page.meta.date = page
            .fields
            .values()
            .find_map(FieldValue::first_date)
            .map(PageDate::day);
        page.meta.date_of_subject = page.meta.date.is_some();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_from_paths() {
        let p = placement("members/russia.md", false);
        assert_eq!(
            (p.role, p.components.join("/")),
            (Role::Page, "members/russia".into())
        );
        let p = placement("members/_index.md", false);
        assert_eq!(
            (p.role, p.components.join("/")),
            (Role::Section, "members".into())
        );
        let p = placement("_index.md", false);
        assert_eq!((p.role, p.components.len()), (Role::Section, 0));
        let p = placement("drills/x/index.md", false);
        assert_eq!(
            (p.role, p.components.join("/")),
            (Role::Page, "drills/x".into())
        );
        // An index.md whose folder holds other pages, or the site's own, lists them.
        let p = placement("notes/index.md", true);
        assert_eq!(
            (p.role, p.components.join("/")),
            (Role::Section, "notes".into())
        );
        let p = placement("index.md", false);
        assert_eq!((p.role, p.components.len()), (Role::Section, 0));
        let p = placement("Notes/Page.MARKDOWN", false);
        assert_eq!(
            (p.role, p.components.join("/")),
            (Role::Page, "Notes/Page".into())
        );
    }
}
