//! Tests of the Markdown stage as a whole: scanning, link slots, ids, summaries.

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
            hreflang: None,
        })
    })
}

#[test]
fn headings_get_unique_ids() {
    let p = parse("# Intro\n\n## History {#hist}\n\n## Intro\n\n### Нерушимое братство\n");
    let ids: Vec<_> = p.headings.iter().map(|h| &*h.id).collect();
    assert_eq!(ids, ["intro", "hist", "intro-1", "нерушимое-братство"]);
    let html = p.render(|_| None).html;
    assert!(
        html.contains(r##"<h2 id="intro-1">Intro<a class="heading-anchor" href="#intro-1" aria-hidden="true" tabindex="-1"></a></h2>"##),
        "{html}"
    );
    // An explicit id that a counter would give is skipped, not repeated.
    let p = parse("## A\n\n## B {#a-1}\n\n## A\n\n## A\n");
    let ids: Vec<_> = p.headings.iter().map(|h| &*h.id).collect();
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
        .map(|l| (l.syntax, &*l.target, l.anchor.as_deref(), l.bare_wikilink))
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
    assert_eq!(&*p.internal_links[0].target, "x.md");
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
    let r =
        parse("| a | b |\n|---|---|\n| 1 | 2 |\n\n\"Hi\" x[^1]\n\n[^1]: note\n").render(|_| None);
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
            hreflang: None,
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
        proptest::prop_assert_eq!(&*p.internal_links[0].target, target.as_str());
        proptest::prop_assert_eq!(p.internal_links[0].anchor.as_deref(), anchor.as_deref());
        proptest::prop_assert!(body[p.internal_links[0].offset..].starts_with("[["));
    }

    /// Any text at all, control characters and NUL included, scans and fills without panicking.
    #[test]
    fn scan_accepts_any_text(body in "(?s).{0,300}") {
        let p = parse(&body);
        let html = p.html(|_| Some(LinkTarget { url: "/x/".into(), title: "X", file: false, embedded: None, hreflang: None }));
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
