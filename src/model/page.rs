//! A typed page: its role, its front matter's keys and fields, its parsed body, and
//! where in its source each of them was written (`page_load` makes one from a file).

use std::path::PathBuf;

use indexmap::IndexMap;

use super::dates::PageDate;
use super::fields::Fields;
use super::places::LinkPlace;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::ParsedBody;
use crate::source::MatterFormat;
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

/// The URL form of a name ("Нерушимое братство" → "nerushimoe-bratstvo"): lower-case
/// letters, digits and `-`. `None` when nothing is left (a name of dots, slashes or
/// punctuation), which cannot name a page: it would be the folder itself or leave it.
pub(crate) fn url_slug(name: &str) -> Option<String> {
    let s = slug::slugify(name);
    (!s.is_empty()).then_some(s)
}

/// Why [`url_slug`] gave nothing, for messages.
pub(crate) const NO_SLUG: &str = "has no letter or digit to make a URL from";
