//! Markdown: one pass of pulldown-cmark per page renders the body to HTML in
//! which internal links are numbered slots (see `slots.rs`); once links are resolved,
//! the slots are filled in without parsing again.

use pulldown_cmark::Parser;
use serde::Serialize;

mod callouts;
mod calls;
mod code;
mod context;
mod embeds;
mod emoji;
mod fences;
mod footnotes;
mod ids;
mod links;
mod marks;
mod math;
mod offsets;
mod settings;
mod slots;
mod slotted;
mod slotted_links;
mod targets;

pub(crate) use code::stylesheet as code_stylesheet;
pub(crate) use math::MathError;
pub(crate) use settings::MarkdownConfig;
pub(crate) use settings::Settings;

pub(crate) use embeds::{part as embedded_part, shown_elsewhere};
pub(crate) use ids::IdScheme;
pub(crate) use links::{Embed, InternalLink, LinkSyntax, LinkTarget, is_web_url};
pub(crate) use slots::CallOutput;
pub(crate) use targets::{LocalUrl, is_embeddable, is_image, rebase};

use slots::summary_range;

/// A heading of a page, with its stable anchor id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id, unique within the page.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// Byte offset of the heading in the body: its section runs to the next heading of
    /// its level or above.
    pub offset: usize,
}

/// A page body parsed once: HTML with link slots, its headings and internal links.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub(crate) struct ParsedBody {
    /// HTML in which internal links are slots (see the module docs).
    html: String,
    /// Where the summary is in `html`: before `<!-- more -->`, or else the first paragraph.
    summary: Option<std::ops::Range<usize>>,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Internal links in document order; slot numbers index this.
    pub internal_links: Vec<InternalLink>,
    /// `http(s)://` links and images, as (URL, byte offset in the body), for
    /// `muster check --external`.
    pub external: Vec<(String, usize)>,
    /// Links and images to paths of this site (`pic.png`, `/blog/x/`), in document order.
    pub local: Vec<LocalUrl>,
    /// Targets of `#fragment` links besides the headings: ids in raw HTML, footnotes,
    /// block ids (`^a1b2`).
    pub anchors: Vec<String>,
    /// Formulas that do not parse, in document order.
    pub math_errors: Vec<MathError>,
    /// Obsidian block ids (`^a1b2`, without `^`) and the byte range of their block in the
    /// body, for embeds of one block.
    pub blocks: Vec<(String, std::ops::Range<usize>)>,
    /// Shortcode calls, numbered as their slots; those inside code are not `live`.
    pub calls: Vec<crate::shortcodes::Call>,
    /// The pages this body includes (`{{ include(path=…) }}`), by path under `content/`.
    pub included: Vec<String>,
    /// How many words its text has (code left out), for a reading time.
    pub words: usize,
}

/// Parses `body` once into HTML with link slots, assigning heading ids and
/// collecting internal links.
pub(crate) fn scan(body: &str, settings: Settings<'_>) -> ParsedBody {
    // Pages come through `source::decode`, which already did this; other callers may not have.
    let cleaned = offsets::cleaned(body);
    let (body, cleaning) = match &cleaned {
        Some((text, map)) => (text.as_str(), Some(map)),
        None => (body, None),
    };
    let extracted = crate::shortcodes::may_have_tags(body)
        .then(|| crate::shortcodes::extract(body, settings.shortcodes, settings.includes.as_ref()));
    let text = extracted.as_ref().map_or(body, |e| e.text.as_str());
    let inner = callouts::Callouts::new(marks::Marks::new(
        pulldown_cmark::TextMergeWithOffset::new(
            Parser::new_ext(text, settings.options()).into_offset_iter(),
        ),
        settings.markdown.autolinks,
    ));
    let mut slotted = slotted::Slotted::new(inner, text, settings);
    slotted.calls = extracted.as_ref().map(|e| calls::CallTags {
        placed: &e.placed,
        live: vec![false; e.calls.len()],
    });
    slotted.call_base = extracted.as_ref().map_or(0, |e| e.calls.len());
    let mut html = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut html, slotted.by_ref());
    html.shrink_to_fit();
    let summary = summary_range(&html);
    let live = slotted.calls.take().map(|c| c.live).unwrap_or_default();
    let query_blocks = std::mem::take(&mut slotted.query_blocks);
    let mut parsed = ParsedBody {
        html,
        summary,
        headings: slotted.headings,
        internal_links: slotted.links,
        external: slotted.external,
        local: slotted.local,
        anchors: slotted.anchors,
        math_errors: slotted.math_errors,
        blocks: slotted.blocks,
        calls: Vec::new(),
        included: Vec::new(),
        words: slotted.words,
    };
    let mut extracted = extracted;
    let extract_map = offsets::OffsetMap::new(
        extracted
            .as_mut()
            .map(|e| std::mem::take(&mut e.edits))
            .unwrap_or_default(),
    );
    parsed.map_offsets(&extract_map);
    if let Some(extracted) = extracted {
        parsed.included = extracted.included;
        parsed.calls = extracted.calls;
        for (call, live) in parsed.calls.iter_mut().zip(live) {
            call.live = live;
        }
        parsed.link_page_args();
    }
    parsed.calls.extend(query_blocks.into_iter().map(|q| {
        crate::shortcodes::Call::query_block(
            q.text,
            extract_map.map(q.offset),
            extract_map.map(q.text_offset),
        )
    }));
    if let Some(map) = cleaning {
        parsed.map_offsets(map);
    }
    parsed
}

impl ParsedBody {
    /// The text of the `# ` heading the body starts with, if it does: a page without a
    /// title takes it (as Obsidian, Quartz and plain blogs show one).
    pub(crate) fn leading_title(&self) -> Option<&str> {
        let first = self.headings.first().filter(|h| h.level == 1)?;
        self.html.starts_with("<h1").then_some(first.title.as_str())
    }

    /// Drops the leading `# ` heading that became the page's title, which the page's
    /// template shows already; an empty element keeps its id, so links to it still land.
    pub(crate) fn drop_leading_title(&mut self) {
        let (Some(first), Some(end)) = (self.headings.first(), self.html.find("</h1>")) else {
            return;
        };
        if self.leading_title().is_none() {
            return;
        }
        let end = end + "</h1>".len();
        let end = end + usize::from(self.html[end..].starts_with('\n'));
        let anchor = format!("<span id=\"{}\"></span>\n", first.id);
        self.html.replace_range(..end, &anchor);
        self.summary = summary_range(&self.html);
    }

    /// The internal links of the `page` arguments of live shortcode calls (after the
    /// links of the text, which slots number).
    fn link_page_args(&mut self) {
        for call in self.calls.iter_mut().filter(|c| c.live) {
            for &arg in &call.page_args {
                let arg = &call.args[arg];
                let crate::shortcodes::ArgValue::Str(target) = &arg.value else {
                    continue;
                };
                let kind = pulldown_cmark::LinkType::WikiLink { has_pothole: true };
                if let Some(link) = links::internal_link(kind, target, "", arg.offset) {
                    call.page_links.push(self.internal_links.len());
                    self.internal_links.push(link);
                }
            }
        }
    }

    /// Moves offsets found in a text made from the body back to the body.
    fn map_offsets(&mut self, map: &offsets::OffsetMap) {
        if map.is_identity() {
            return;
        }
        let map = |offset: usize| map.map(offset);
        for link in &mut self.internal_links {
            link.offset = map(link.offset);
        }
        for (_, offset) in &mut self.external {
            *offset = map(*offset);
        }
        for local in &mut self.local {
            local.offset = map(local.offset);
        }
        for error in &mut self.math_errors {
            error.offset = map(error.offset);
        }
        for heading in &mut self.headings {
            heading.offset = map(heading.offset);
        }
        for (_, range) in &mut self.blocks {
            *range = map(range.start)..map(range.end);
        }
        for call in &mut self.calls {
            call.offset = map(call.offset);
            for arg in &mut call.args {
                arg.offset = map(arg.offset);
            }
            for problem in &mut call.problems {
                problem.offset = map(problem.offset);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ParsedBody {
        scan(body, Settings::defaults())
    }

    struct RenderedBody {
        html: String,
        summary_html: String,
    }

    /// Both the body and its summary, as the render stage asks for them.
    trait RenderBoth {
        fn render<'a>(&self, resolve: impl Fn(usize) -> Option<LinkTarget<'a>>) -> RenderedBody;
    }

    impl RenderBoth for ParsedBody {
        fn render<'a>(&self, resolve: impl Fn(usize) -> Option<LinkTarget<'a>>) -> RenderedBody {
            RenderedBody {
                html: self.html(&resolve),
                summary_html: self.summary_html(&resolve),
            }
        }
    }

    fn render_with(body: &str, url: &str, title: &str) -> RenderedBody {
        let parsed = parse(body);
        parsed.render(|_| {
            Some(LinkTarget {
                url: url.to_string(),
                title,
                file: false,
                embedded: None,
            })
        })
    }

    #[test]
    fn headings_get_unique_ids() {
        let p = parse("# Intro\n\n## History {#hist}\n\n## Intro\n\n### Нерушимое братство\n");
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "hist", "intro-1", "нерушимое-братство"]);
        let html = p.render(|_| None).html;
        assert!(
            html.contains(r##"<h2 id="intro-1">Intro<a class="heading-anchor" href="#intro-1" aria-hidden="true" tabindex="-1"></a></h2>"##),
            "{html}"
        );
        // An explicit id that a counter would give is skipped, not repeated.
        let p = parse("## A\n\n## B {#a-1}\n\n## A\n\n## A\n");
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3"]);
    }

    #[test]
    fn finds_at_links_and_wikilinks() {
        let p = parse(
            "See [R](@/members/russia.md#history), [[belarus]], [[members/kazakhstan|KZ]] and [x](https://e.org).",
        );
        let l: Vec<_> = p
            .internal_links
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
        assert_eq!(p.internal_links[0].offset, 4);
    }

    #[test]
    fn escaped_brackets_and_code_are_not_wikilinks() {
        let p = parse(r"\[[abc](@/x.md)] and `[[nope]]` and\n\n```\n[[nope]]\n```\n");
        assert_eq!(p.internal_links.len(), 1);
        assert_eq!(p.internal_links[0].target, "x.md");
        assert_eq!(p.internal_links[0].syntax, LinkSyntax::AtPath);
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
        let r = parse("A [[missing]] link.").render(|_| None);
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
        let r = parse("| a | b |\n|---|---|\n| 1 | 2 |\n\n\"Hi\" x[^1]\n\n[^1]: note\n")
            .render(|_| None);
        assert!(r.html.contains("<table>"));
        assert!(
            r.html
                .contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("“Hi”"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn footnotes_are_numbered_gathered_and_link_back() {
        let r = parse("[^z] first, [^y] then [^z] again.\n\n[^y]: Why.\n\n[^z]: Zed.\n\nAfter.\n")
            .render(|_| None);
        let html = r.html;
        // Numbered by first reference, whatever the order of the definitions.
        assert!(html.starts_with("<p><sup class=\"footnote-reference\" id=\"fnref-z\"><a href=\"#z\">1</a></sup> first, <sup class=\"footnote-reference\" id=\"fnref-y\"><a href=\"#y\">2</a></sup> then <sup class=\"footnote-reference\" id=\"fnref-z-2\"><a href=\"#z\">1</a></sup>"), "{html}");
        // Gathered after the text, in number order, each linking back to every reference.
        let notes = &html[html.find("<section class=\"footnotes\"").expect("notes")..];
        assert!(
            html.find("After.").unwrap() < html.find("<section").unwrap(),
            "{html}"
        );
        assert!(
            notes.find("id=\"z\"").unwrap() < notes.find("id=\"y\"").unwrap(),
            "{notes}"
        );
        assert!(
            notes.contains("<p>Zed. <a href=\"#fnref-z\" class=\"footnote-backref\""),
            "{notes}"
        );
        assert!(notes.contains("href=\"#fnref-z-2\""), "{notes}");
        assert!(notes.contains("<p>Why. <a href=\"#fnref-y\" class=\"footnote-backref\" aria-label=\"Back to reference 2\">↩</a></p>"), "{notes}");
        // Hostile labels stay text.
        let html = parse("x[^\"><b>]\n\n[^\"><b>]: n\n").render(|_| None).html;
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn link_titles_and_links_in_headings() {
        let r = render_with("## See [[a]]\n\n[x](@/a.md \"Go <there>\")", "/a/", "A");
        assert!(
            r.html.contains(
                r##"<h2 id="see-a">See <a href="/a/">A</a><a class="heading-anchor" href="#see-a""##
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<a href="/a/" title="Go &lt;there&gt;">x</a>"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn content_cannot_forge_slots() {
        let p = parse("a \0a0\0 b [[x]]");
        assert_eq!(p.internal_links.len(), 1);
        let r = p.render(|_| {
            Some(LinkTarget {
                url: "/x/".into(),
                title: "X",
                file: false,
                embedded: None,
            })
        });
        assert!(!r.html.contains('\0'));
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
        assert!(r.html.contains('\u{FFFD}'));
    }

    #[test]
    fn offsets_point_into_the_body_as_given_even_with_nul() {
        let body = "a\0\0 [[x]] \0 <https://example.org/>";
        let p = scan(body, Settings::defaults());
        assert_eq!(&body[p.internal_links[0].offset..][..5], "[[x]]");
        assert_eq!(p.external[0].1, body.find('<').unwrap());
    }

    #[test]
    fn links_inside_image_descriptions_stay_plain_text() {
        let p = parse("![see [x](@/y.md)](map.png)");
        assert!(p.internal_links.is_empty());
        let r = p.render(|_| None);
        assert!(
            r.html.contains(r#"<img src="map.png" alt="see x""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn urls_are_escaped_in_href() {
        let r = render_with("[[a]]", "/a b/\"q\"", "A");
        assert!(r.html.contains(r#"href="/a%20b/%22q%22""#), "{}", r.html);
    }

    #[test]
    fn embeds_take_alt_text_and_size_as_obsidian_writes_them() {
        let e = |text: &str| Embed::new("img/Map.png", text, false);
        assert_eq!(e("").alt, "Map.png");
        assert_eq!(e("300").size, (Some(300), None));
        assert_eq!(e("300x200").size, (Some(300), Some(200)));
        assert_eq!(
            (e("A map").alt.as_str(), e("A map").size),
            ("A map", (None, None))
        );
        assert_eq!(e("A map|120").alt, "A map");
        assert_eq!(e("A map|120").size, (Some(120), None));
        assert_eq!(e("x|wide").alt, "x|wide");
        let parsed = parse("![[img/Map.png|300]] and ![[page]]");
        assert_eq!(parsed.internal_links.len(), 2);
        assert_eq!(
            parsed.internal_links[0].embed.as_ref().unwrap().size,
            (Some(300), None)
        );
        assert!(parsed.local.is_empty(), "{:?}", parsed.local);
    }

    proptest::proptest! {
        /// A wikilink to any slug-like target is found with that target and anchor.
        #[test]
        fn wikilinks_are_found(target in "[a-z][a-z0-9/-]{0,20}", anchor in proptest::option::of("[a-z][a-z0-9-]{0,10}"), text in "[A-Za-z ]{0,20}") {
            let written = match &anchor { Some(a) => format!("{target}#{a}"), None => target.clone() };
            let body = format!("x{text} [[{written}]] {text}");
            let p = parse(&body);
            proptest::prop_assert_eq!(p.internal_links.len(), 1);
            proptest::prop_assert_eq!(&p.internal_links[0].target, &target);
            proptest::prop_assert_eq!(&p.internal_links[0].anchor, &anchor);
            proptest::prop_assert!(body[p.internal_links[0].offset..].starts_with("[["));
        }

        /// Any text at all, control characters and NUL included, scans and fills without panicking.
        #[test]
        fn scan_accepts_any_text(body in "(?s).{0,300}") {
            let p = parse(&body);
            let html = p.html(|_| Some(LinkTarget { url: "/x/".into(), title: "X", file: false, embedded: None }));
            proptest::prop_assert!(!html.contains('\0'));
            let _ = p.summary_html(|_| None);
        }

        /// Highlights, emphasis and callouts, however written, nest as HTML must.
        #[test]
        fn marks_and_callouts_nest(body in "(?s)(==|[*_`>\\[\\]!a \n-]){0,120}") {
            let html = parse(&body).html(|_| None);
            let mut open: Vec<&str> = Vec::new();
            for (i, _) in html.match_indices('<') {
                let tag = &html[i + 1..];
                let end = tag.find(['>', ' ']).unwrap_or(tag.len());
                let name = &tag[..end];
                let checked = ["mark", "em", "strong", "p", "div", "details", "summary", "blockquote"];
                if let Some(closed) = name.strip_prefix('/') {
                    if checked.contains(&closed) {
                        proptest::prop_assert_eq!(open.pop(), Some(closed), "{}", html);
                    }
                } else if checked.contains(&name) {
                    open.push(name);
                }
            }
            proptest::prop_assert!(open.is_empty(), "{}", html);
        }

        /// Any input parses without panicking; every link offset points at a `[` in the body.
        #[test]
        fn scan_never_panics(body in "(?s)[\\[\\]()@/#|`a-z \n*>-]{0,200}") {
            let p = parse(&body);
            for link in &p.internal_links {
                proptest::prop_assert!(body.is_char_boundary(link.offset));
                proptest::prop_assert!(body[link.offset..].starts_with('['));
            }
            let _ = p.render(|_| None);
        }
    }
}
