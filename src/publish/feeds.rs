//! For hosts and feed readers: `sitemap.xml`, `robots.txt`, and Atom feeds of the
//! newest pages, site-wide (`atom.xml`) and per section (`<section>/atom.xml`).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::dates::PageDate;

use super::DataFile;
use crate::model::{PageId, Role, Site};
use crate::output::PieceBuffer;
use crate::text::xml_escape;

use crate::render::{OutputTarget, PageValues, RenderInput, RenderPlan};

/// How many entries a feed holds: the newest pages.
pub(crate) const FEED_ENTRIES: usize = 20;

/// Every HTML page of the plan, with its last change when known.
/// Made in pieces: at 100,000 pages it is 9 MB, which one growing buffer would hold
/// twice over while it doubled.
pub(crate) fn sitemap(input: &RenderInput<'_>, plan: &RenderPlan) -> PieceBuffer {
    use std::io::Write as _;
    let mut xml = PieceBuffer::with_capacity(64 * 1024);
    let _ = xml.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for output in &plan.outputs {
        let page = match output.target {
            OutputTarget::NotFound | OutputTarget::Redirect { .. } => continue,
            // An untranslated copy names its original as canonical, which is listed.
            OutputTarget::Page(id) | OutputTarget::Paged { section: id, .. }
                if input.site.page(id).untranslated =>
            {
                continue;
            }
            OutputTarget::Page(id) | OutputTarget::Paged { section: id, .. } => Some(id),
            _ => None,
        };
        let path = output
            .path
            .strip_suffix("index.html")
            .unwrap_or(&output.path);
        let loc = input.urls.permalink(path.trim_end_matches('/'));
        let _ = write!(xml, "  <url><loc>{}</loc>", xml_escape(&loc));
        if let Some(date) = page.and_then(|id| last_change(input, id)) {
            let _ = write!(xml, "<lastmod>{}</lastmod>", date.w3c());
        }
        if let OutputTarget::Page(id) = output.target {
            alternates(input, id, &mut xml);
        }
        let _ = xml.write_all(b"</url>\n");
    }
    let _ = xml.write_all(b"</urlset>\n");
    xml
}

/// The same page in each language it is written in, itself included, as Google reads
/// translations from a sitemap; nothing for a page with no translation.
fn alternates(input: &RenderInput<'_>, id: PageId, xml: &mut PieceBuffer) {
    use std::io::Write as _;
    let mut versions = input.site.versions(id);
    versions.retain(|v| !input.site.page(*v).untranslated);
    if versions.len() < 2 {
        return;
    }
    for v in versions {
        let page = input.site.page(v);
        let _ = write!(
            xml,
            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            xml_escape(input.config.language_code(page.lang.as_deref())),
            xml_escape(&input.urls.permalink(&page.path))
        );
    }
}

/// Lets every crawler in and points it at the sitemap.
pub(crate) fn robots(input: &RenderInput<'_>) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        input.urls.file_permalink("sitemap.xml")
    )
}

fn last_change(input: &RenderInput<'_>, id: PageId) -> Option<PageDate> {
    input.site.page(id).last_change()
}

/// The output path of the feed of the section at `section_path` (`""`: the site's).
pub(crate) fn feed_path(section_path: &str) -> String {
    if section_path.is_empty() {
        "atom.xml".to_string()
    } else {
        format!("{section_path}/atom.xml")
    }
}

/// The sections (homes aside) that get a feed: those with dated pages, in path order;
/// and the homes of the languages other than the default with dated pages, whose
/// feeds are theirs.
pub(crate) fn sections_with_feeds(site: &Site) -> Vec<PageId> {
    let mut sections: std::collections::BTreeSet<PageId> = site
        .iter()
        .filter(|(_, p)| p.role == Role::Page && !p.untranslated && p.last_change().is_some())
        .filter_map(|(_, p)| site.section_of(p))
        .filter(|s| !site.page(*s).path.is_empty())
        .collect();
    let homes = site
        .iter()
        .filter(|(_, p)| {
            p.role == Role::Page && p.lang.is_some() && !p.untranslated && p.last_change().is_some()
        })
        .filter_map(|(_, p)| site.by_path.get(home_path(site, p)).copied());
    sections.extend(homes);
    sections.into_iter().collect()
}

/// The path of the home of `page`'s language: its folder.
fn home_path<'s>(site: &'s Site, page: &crate::model::Page) -> &'s str {
    let folder = site
        .languages
        .iter()
        .find(|(code, _)| Some(code.as_str()) == page.lang.as_deref());
    folder.map_or("", |(_, folder)| folder.as_str())
}

/// The site's feed, one per other language with dated pages, and one per section
/// with dated pages.
pub(crate) fn atom_feeds(input: &RenderInput<'_>, values: &PageValues<'_>) -> Vec<DataFile> {
    let site = input.site;
    let dated = site.by_last_change();
    let mut by_language: BTreeMap<&str, Vec<(PageId, PageDate)>> = BTreeMap::new();
    by_language.insert("", Vec::new());
    // Each section's dated pages, newest first, grouped in one pass over them.
    let mut by_section: BTreeMap<PageId, Vec<(PageId, PageDate)>> = BTreeMap::new();
    for &(id, date) in &dated {
        let page = site.page(id);
        // An untranslated copy is news in its original's feed only.
        if page.untranslated {
            continue;
        }
        by_language
            .entry(home_path(site, page))
            .or_default()
            .push((id, date));
        match site.section_of(page) {
            Some(section) if !site.page(section).is_home() => {
                by_section.entry(section).or_default().push((id, date));
            }
            _ => {}
        }
    }
    let mut feeds = Vec::new();
    for (home, in_language) in by_language {
        // A language's feed is named by the site's title in it, else by its home's title.
        let lang = site
            .by_path
            .get(home)
            .and_then(|id| site.page(*id).lang.as_deref());
        let title = match site.by_path.get(home) {
            Some(id) if !home.is_empty() && input.config.title_in(lang) == input.config.title => {
                format!("{} · {}", input.config.title, site.page(*id).meta.title)
            }
            _ => input.config.title_in(lang).to_string(),
        };
        feeds.push((
            feed_path(home),
            atom(input, values, home, &title, &in_language).into_bytes(),
        ));
    }
    for (section, in_section) in by_section {
        let page = input.site.page(section);
        let site_title = input.config.title_in(page.lang.as_deref());
        let title = format!("{} · {site_title}", page.meta.title);
        feeds.push((
            feed_path(&page.path),
            atom(input, values, &page.path, &title, &in_section).into_bytes(),
        ));
    }
    feeds
}

/// One Atom 1.0 feed of the first [`FEED_ENTRIES`] of `dated` (newest first).
fn atom(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    section_path: &str,
    title: &str,
    dated: &[(PageId, PageDate)],
) -> String {
    let self_path = feed_path(section_path);
    let self_url = input.urls.file_permalink(&self_path);
    let updated = dated
        .iter()
        .map(|(_, d)| *d)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let author = input
        .config
        .author
        .as_deref()
        .unwrap_or(&input.config.title);
    let mut xml = String::with_capacity(1024 + 512 * dated.len().min(FEED_ENTRIES));
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n<generator>muster</generator>\n",
        xml_escape(&input.config.language),
        xml_escape(title),
        xml_escape(&self_url),
        xml_escape(&self_url),
        xml_escape(&input.urls.permalink(section_path)),
        xml_escape(author),
    );
    for (id, date) in dated.iter().take(FEED_ENTRIES) {
        let page = input.site.page(*id);
        let link = input.urls.permalink(&page.path);
        let summary = values.summaries[id.0].html();
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n\
             <updated>{}</updated>\n<summary type=\"html\">{}</summary>\n</entry>\n",
            xml_escape(&page.meta.title),
            xml_escape(&link),
            xml_escape(&link),
            timestamp(*date),
            xml_escape(summary),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// A date as an RFC 3339 timestamp, as Atom requires (midnight UTC for a day).
fn timestamp(date: PageDate) -> String {
    date.rfc3339()
}
