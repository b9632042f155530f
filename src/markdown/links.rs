//! Links as written in a body: internal links (`@/` paths, wikilinks, relative `.md`
//! links) and embeds, recognised from the parser's link events; and where one goes once
//! the links stage has resolved it.

use pulldown_cmark::LinkType;
use serde::Serialize;

/// How an internal link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LinkSyntax {
    /// `[text](@/members/russia.md#anchor)`
    AtPath,
    /// `[[russia]]`, `[[members/russia|Russia]]`, `[[russia#history]]`
    Wiki,
    /// `[text](russia.md)`, `[text](../drills/x.md#plan)`: relative to the page's folder
    Relative,
}

/// An internal link found in a page body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct InternalLink {
    /// How it was written.
    pub syntax: LinkSyntax,
    /// The page part: a path such as `members/russia.md` or a slug such as `russia`.
    /// (Boxed strings here: a site has hundreds of thousands of links, and a `String`
    /// carries a capacity no link uses.)
    pub target: Box<str>,
    /// The heading anchor after `#`, if any.
    pub anchor: Option<Box<str>>,
    /// The link's `title` attribute, if written (`[x](@/a.md "title")`).
    pub title: Box<str>,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// A wikilink written without `|text`: its text becomes the target's title.
    pub bare_wikilink: bool,
    /// Written as an embed (`![[map.png|300]]`): how to show it. Boxed: few links are
    /// embeds, and every link would carry its room (48 bytes).
    pub embed: Option<Box<Embed>>,
    /// The sentence it stands in, for the backlinks of the page it goes to.
    pub context: Option<super::context::LinkContext>,
}

/// An Obsidian embed, `![[name|alt|width]]` or `![[name|widthxheight]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct Embed {
    /// The image's text alternative: as written, else the file name.
    pub alt: String,
    /// Width and height in pixels, if written.
    pub size: (Option<u32>, Option<u32>),
    /// Loaded lazily, as every image of the site (site.yaml `lazy_async_image`).
    pub lazy: bool,
}

impl Embed {
    /// The embed of `target` whose text after `|` is `text` (empty if none).
    pub(super) fn new(target: &str, text: &str, lazy: bool) -> Embed {
        let name = target.rsplit('/').next().unwrap_or(target);
        // A size comes last (`alt|300`, or `300` alone); anything else is all alt text.
        let (alt, last) = text.rsplit_once('|').unwrap_or(("", text));
        let (alt, size) = match dimensions(last) {
            Some(size) => (alt, Some(size)),
            None => (text, None),
        };
        let alt = if alt.trim().is_empty() { name } else { alt };
        Embed {
            alt: alt.trim().to_string(),
            size: size.unwrap_or_default(),
            lazy,
        }
    }
}

/// `300` or `300x200`, as Obsidian sizes an embedded image.
fn dimensions(text: &str) -> Option<(Option<u32>, Option<u32>)> {
    let text = text.trim();
    match text.split_once('x') {
        Some((w, h)) => Some((Some(w.parse().ok()?), Some(h.parse().ok()?))),
        None => Some((Some(text.parse().ok()?), None)),
    }
}

/// Recognises `@/path.md#anchor` links and wikilinks; everything else is external.
pub(super) fn internal_link(
    link_type: LinkType,
    dest: &str,
    title: &str,
    offset: usize,
) -> Option<InternalLink> {
    let (syntax, rest, bare) = match link_type {
        // In a table, Obsidian writes `[[page\|alias]]` so the `|` does not end the cell.
        LinkType::WikiLink { has_pothole } => (
            LinkSyntax::Wiki,
            dest.strip_suffix('\\').unwrap_or(dest),
            !has_pothole,
        ),
        LinkType::Email | LinkType::Autolink => return None,
        _ => match dest.strip_prefix("@/") {
            Some(rest) => (LinkSyntax::AtPath, rest, false),
            // `[text](#heading)`: a heading of this page, checked like any other anchor.
            None if dest.len() > 1 && dest.starts_with('#') => (LinkSyntax::AtPath, dest, false),
            None if is_relative_markdown(dest) => (LinkSyntax::Relative, dest, false),
            None => return None,
        },
    };
    let (target, anchor) = match rest.split_once('#') {
        Some((t, a)) => (t, Some(a.to_string())),
        None => (rest, None),
    };
    // Markdown link destinations are URLs (`Name%20Page.md`); wikilinks are names.
    let target = match syntax {
        LinkSyntax::Wiki => std::borrow::Cow::Borrowed(target),
        _ => percent_encoding::percent_decode_str(target).decode_utf8_lossy(),
    };
    Some(InternalLink {
        syntax,
        target: target.trim().into(),
        anchor: anchor.map(String::into_boxed_str),
        title: title.into(),
        offset,
        bare_wikilink: bare,
        context: None,
        embed: None,
    })
}

/// An absolute `http://` or `https://` URL.
pub(crate) fn is_web_url(dest: &str) -> bool {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A link such as `russia.md` or `../drills/x.md#plan`: to a Markdown file, with no
/// scheme and not from the server root. Such links would be broken as written.
fn is_relative_markdown(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or_default();
    crate::source::markdown_stem(path).is_some()
        && !path.starts_with('/')
        && !path.contains("://")
        && !path.contains(':')
}

/// Where an internal link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkTarget<'a> {
    /// The URL to write in `href`.
    pub url: String,
    /// The target page's title (or the file's name), used as the text of bare wikilinks.
    pub title: &'a str,
    /// An attachment (`[[report.pdf]]`) rather than a page.
    pub file: bool,
    /// For an embed of a page: the part of its body it shows, ready to stand here.
    pub embedded: Option<String>,
    /// The target's language, when it is not the linking page's (a translation's link
    /// to a page not translated): written as `hreflang` and marked for readers.
    pub hreflang: Option<&'a str>,
}
