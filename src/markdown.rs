//! Markdown: one parse per page that records headings and internal links, then
//! HTML rendering with those links rewritten to their targets' URLs.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// The Markdown extensions muster enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_WIKILINKS
}

/// A heading of a page, with its stable anchor id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id, unique within the page.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
}

/// How an internal link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkSyntax {
    /// `[text](@/members/russia.md#anchor)`
    AtPath,
    /// `[[russia]]`, `[[members/russia|Russia]]`, `[[russia#history]]`
    Wiki,
}

/// An internal link found in a page body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// Index of the link's start event.
    pub event: usize,
    /// How it was written.
    pub syntax: LinkSyntax,
    /// The page part: a path such as `members/russia.md` or a slug such as `russia`.
    pub target: String,
    /// The heading anchor after `#`, if any.
    pub anchor: Option<String>,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// A wikilink written without `|text`: its text becomes the target's title.
    pub bare_wikilink: bool,
}

/// A page body parsed once: its events, headings and internal links.
#[derive(Debug, Clone)]
pub struct ParsedBody {
    events: Vec<Event<'static>>,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Internal links in document order.
    pub links: Vec<InternalLink>,
    /// Index of the `<!-- more -->` event, if present.
    more: Option<usize>,
}

/// Parses `body` once, assigning heading ids and collecting internal links.
pub fn scan(body: &str) -> ParsedBody {
    let mut events: Vec<Event<'static>> = Vec::new();
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut more = None;
    let mut used_ids: HashSet<String> = HashSet::new();
    // (event index of the heading start, text so far)
    let mut open_heading: Option<(usize, String)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let index = events.len();
        match &event {
            Event::Start(Tag::Heading { .. }) => open_heading = Some((index, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut open_heading {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, title)) = open_heading.take() {
                    let heading = finish_heading(&mut events[start], *level, title, &mut used_ids);
                    headings.push(heading);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if let Some(link) = internal_link(*link_type, dest_url, index, range.start) {
                    links.push(link);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if more.is_none() && is_more_marker(h) => {
                more = Some(index);
            }
            _ => {}
        }
        events.push(event.into_static());
    }
    ParsedBody {
        events,
        headings,
        links,
        more,
    }
}

fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim() == "more")
}

fn finish_heading(
    start: &mut Event<'static>,
    level: HeadingLevel,
    title: String,
    used: &mut HashSet<String>,
) -> Heading {
    let title = title.trim().to_string();
    let Event::Start(Tag::Heading { id, .. }) = start else {
        unreachable!("heading start recorded at a non-heading event")
    };
    let base = match id {
        Some(explicit) => explicit.to_string(),
        None => {
            let s = slug::slugify(&title);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        }
    };
    let mut unique = base.clone();
    let mut n = 1;
    while !used.insert(unique.clone()) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    *id = Some(CowStr::from(unique.clone()));
    Heading {
        level: level as u8,
        id: unique,
        title,
    }
}

/// Recognises `@/path.md#anchor` links and wikilinks; everything else is external.
fn internal_link(
    link_type: LinkType,
    dest: &str,
    event: usize,
    offset: usize,
) -> Option<InternalLink> {
    let (syntax, rest, bare) = match link_type {
        LinkType::WikiLink { has_pothole } => (LinkSyntax::Wiki, dest, !has_pothole),
        _ => (LinkSyntax::AtPath, dest.strip_prefix("@/")?, false),
    };
    let (target, anchor) = match rest.split_once('#') {
        Some((t, a)) => (t, Some(a.to_string())),
        None => (rest, None),
    };
    Some(InternalLink {
        event,
        syntax,
        target: target.trim().to_string(),
        anchor,
        offset,
        bare_wikilink: bare,
    })
}

/// Where an internal link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget<'a> {
    /// The URL to write in `href`.
    pub url: String,
    /// The target page's title, used as the text of bare wikilinks.
    pub title: &'a str,
}

/// A page body as HTML.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// The whole body.
    pub html: String,
    /// The part before `<!-- more -->`, or else the first paragraph.
    pub summary_html: String,
}

impl ParsedBody {
    /// Renders the body, asking `resolve` where the `i`th internal link goes.
    /// An unresolved link (already reported as an error) renders as plain text.
    pub fn render<'a>(&self, resolve: impl Fn(usize) -> Option<LinkTarget<'a>>) -> RenderedBody {
        let targets: Vec<Option<LinkTarget<'a>>> = (0..self.links.len()).map(&resolve).collect();
        let html = self.render_range(0, self.events.len(), &targets);
        let summary_html = match self.more {
            Some(end) => self.render_range(0, end, &targets),
            None => match self.first_paragraph() {
                Some((start, end)) => self.render_range(start, end, &targets),
                None => String::new(),
            },
        };
        RenderedBody { html, summary_html }
    }

    fn first_paragraph(&self) -> Option<(usize, usize)> {
        let start = self
            .events
            .iter()
            .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
        let mut depth = 0usize;
        for (i, e) in self.events.iter().enumerate().skip(start) {
            match e {
                Event::Start(Tag::Paragraph) => depth += 1,
                Event::End(TagEnd::Paragraph) => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((start, i + 1));
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn render_range(&self, start: usize, end: usize, targets: &[Option<LinkTarget<'_>>]) -> String {
        let mut out = String::with_capacity((end - start) * 16);
        let mut next_link = self.links.partition_point(|l| l.event < start);
        let mut state = LinkState::Outside;
        let events = self.events[start..end]
            .iter()
            .enumerate()
            .filter_map(|(offset, event)| {
                let index = start + offset;
                if self.links.get(next_link).is_some_and(|l| l.event == index) {
                    let link = &self.links[next_link];
                    let target = targets[next_link].as_ref();
                    next_link += 1;
                    let (
                        Some(target),
                        Event::Start(Tag::Link {
                            link_type,
                            title,
                            id,
                            ..
                        }),
                    ) = (target, event)
                    else {
                        state = LinkState::Dropped;
                        return None;
                    };
                    state = match link.bare_wikilink {
                        true => LinkState::Bare {
                            title: Some(target.title),
                        },
                        false => LinkState::Kept,
                    };
                    return Some(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from(target.url.clone()),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                match (event, &mut state) {
                    (Event::End(TagEnd::Link), LinkState::Dropped) => {
                        state = LinkState::Outside;
                        None
                    }
                    (Event::End(TagEnd::Link), _) => {
                        state = LinkState::Outside;
                        Some(event.clone())
                    }
                    // A bare wikilink's text is its target's title, written once.
                    (Event::Text(_) | Event::Code(_), LinkState::Bare { title }) => title
                        .take()
                        .map(|t| Event::Text(CowStr::from(t.to_string()))),
                    _ => Some(event.clone()),
                }
            });
        pulldown_cmark::html::push_html(&mut out, events);
        out
    }
}

/// Where the renderer is relative to an internal link.
enum LinkState<'a> {
    Outside,
    /// Inside a link whose target was not found: its text is kept, the tag dropped.
    Dropped,
    Kept,
    /// Inside a bare wikilink; the title is taken when its text is written.
    Bare {
        title: Option<&'a str>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_with(body: &str, url: &str, title: &str) -> RenderedBody {
        let parsed = scan(body);
        parsed.render(|_| {
            Some(LinkTarget {
                url: url.to_string(),
                title,
            })
        })
    }

    #[test]
    fn headings_get_unique_ids() {
        let p = scan("# Intro\n\n## History {#hist}\n\n## Intro\n\n### Нерушимое братство\n");
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "hist", "intro-1", "nerushimoe-bratstvo"]);
        let html = p.render(|_| None).html;
        assert!(html.contains(r#"<h2 id="intro-1">Intro</h2>"#), "{html}");
    }

    #[test]
    fn finds_at_links_and_wikilinks() {
        let p = scan(
            "See [R](@/members/russia.md#history), [[belarus]], [[members/kazakhstan|KZ]] and [x](https://e.org).",
        );
        let l: Vec<_> = p
            .links
            .iter()
            .map(|l| {
                (
                    l.syntax,
                    l.target.as_str(),
                    l.anchor.as_deref(),
                    l.bare_wikilink,
                )
            })
            .collect();
        assert_eq!(
            l,
            [
                (
                    LinkSyntax::AtPath,
                    "members/russia.md",
                    Some("history"),
                    false
                ),
                (LinkSyntax::Wiki, "belarus", None, true),
                (LinkSyntax::Wiki, "members/kazakhstan", None, false),
            ]
        );
        assert_eq!(p.links[0].offset, 4);
    }

    #[test]
    fn escaped_brackets_and_code_are_not_wikilinks() {
        let p = scan(r"\[[abc](@/x.md)] and `[[nope]]` and\n\n```\n[[nope]]\n```\n");
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].target, "x.md");
        assert_eq!(p.links[0].syntax, LinkSyntax::AtPath);
    }

    #[test]
    fn bare_wikilinks_show_the_target_title() {
        let r = render_with(
            "Go to [[russia]] or [[russia|the RF]].",
            "/members/russia/",
            "Russia",
        );
        assert_eq!(
            r.html,
            "<p>Go to <a href=\"/members/russia/\">Russia</a> or <a href=\"/members/russia/\">the RF</a>.</p>\n"
        );
    }

    #[test]
    fn unresolved_links_render_as_text() {
        let r = scan("A [[missing]] link.").render(|_| None);
        assert_eq!(r.html, "<p>A missing link.</p>\n");
    }

    #[test]
    fn summary_is_first_paragraph_or_more_marker() {
        let r = render_with("# T\n\nFirst [[a]].\n\nSecond.\n", "/a/", "A");
        assert_eq!(r.summary_html, "<p>First <a href=\"/a/\">A</a>.</p>\n");
        let r = render_with("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n", "/", "");
        assert_eq!(r.summary_html, "<p>One.</p>\n<p>Two.</p>\n");
    }

    #[test]
    fn tables_footnotes_and_smart_quotes() {
        let r = scan("| a | b |\n|---|---|\n| 1 | 2 |\n\n\"Hi\" x[^1]\n\n[^1]: note\n")
            .render(|_| None);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("“Hi”"));
        assert!(r.html.contains("footnote"));
    }

    proptest::proptest! {
        /// A wikilink to any slug-like target is found with that target and anchor.
        #[test]
        fn wikilinks_are_found(target in "[a-z][a-z0-9/-]{0,20}", anchor in proptest::option::of("[a-z][a-z0-9-]{0,10}"), text in "[A-Za-z ]{0,20}") {
            let written = match &anchor { Some(a) => format!("{target}#{a}"), None => target.clone() };
            let body = format!("x{text} [[{written}]] {text}");
            let p = scan(&body);
            proptest::prop_assert_eq!(p.links.len(), 1);
            proptest::prop_assert_eq!(&p.links[0].target, &target);
            proptest::prop_assert_eq!(&p.links[0].anchor, &anchor);
            proptest::prop_assert!(body[p.links[0].offset..].starts_with("[["));
        }

        /// Any input parses without panicking; every link offset points at a `[` in the body.
        #[test]
        fn scan_never_panics(body in "(?s)[\\[\\]()@/#|`a-z \n*>-]{0,200}") {
            let p = scan(&body);
            for link in &p.links {
                proptest::prop_assert!(body.is_char_boundary(link.offset));
                proptest::prop_assert!(body[link.offset..].starts_with('['));
            }
            let _ = p.render(|_| None);
        }
    }
}
