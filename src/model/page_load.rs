//! One Markdown file made a [`Page`]: where it sits (its role and URL parts, from its
//! path), its front matter read against its kind, its body scanned (or found in the
//! parse cache), and every problem of the file found together.

use super::dates::PageDate;
use super::fields::{FieldValue, Fields};
use super::front_matter;
use super::page::{Meta, NO_SLUG, Page, Role, url_slug};
use super::places::{body_errors, link_places};
use super::{in_language_folder, language_of};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::{self, ParsedBody};
use crate::source::{SourceFile, split_front_matter};

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
    let (layout, mapping, repeated_keys) = match read_matter(parsed, &file, &text) {
        Ok(read) => read,
        Err(errors) => return (None, errors),
    };
    let MatterLayout {
        format: matter_format,
        matter_offset,
        matter_len,
        body_offset,
    } = layout;
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

/// Where a file's front matter and body are, and the front matter's language.
struct MatterLayout {
    format: crate::source::MatterFormat,
    matter_offset: usize,
    matter_len: usize,
    body_offset: usize,
}

/// Splits `text` (of `file`) and reads its front matter (from the parse cache if it holds
/// it): where its parts are, the mapping, and the repeated keys' errors; or the errors
/// that leave nothing to read.
fn read_matter(
    parsed: Option<&crate::incremental::parsed::ParseCache>,
    file: &std::path::Path,
    text: &str,
) -> Result<(MatterLayout, serde_yaml::Mapping, Vec<Diagnostic>), Vec<Diagnostic>> {
    let split = split_front_matter(text).map_err(|e| {
        let d = Diagnostic::new(ErrorKind::FrontMatter, e.message)
            .at_offset(file, text, e.offset)
            .hint(e.hint);
        vec![d]
    })?;
    let layout = MatterLayout {
        format: split.format,
        matter_offset: split.matter_offset,
        matter_len: split.matter.len(),
        body_offset: split.body_offset,
    };
    let read = || front_matter::parse(&split, file, text);
    let (mapping, repeated_keys) = match parsed {
        Some(cache) => cache.matter(split.format, split.matter, read),
        None => read(),
    }?;
    Ok((layout, mapping, repeated_keys))
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
