//! Embeds of pages (`![[page]]`, `![[page#Heading]]`, `![[page#^block]]`), as Obsidian
//! shows them: the part of the page's rendered body they name, made fit to stand in
//! another page.

use super::rebase;

/// The part of `html` (a page's body, links filled) that an embed with `anchor` shows:
/// all of it; the section a heading starts, up to the next heading of its level or
/// above; or the paragraph or list item that block id `^id` ends. An anchor that names
/// neither (an id in raw HTML) shows the whole body.
pub(crate) fn part<'h>(html: &'h str, anchor: Option<&str>) -> std::borrow::Cow<'h, str> {
    let found = match anchor {
        None => None,
        Some(block) if block.starts_with('^') => block_part(html, block),
        Some(heading) => section(html, heading).map(std::borrow::Cow::Borrowed),
    };
    found.unwrap_or(std::borrow::Cow::Borrowed(html))
}

/// The section under the heading with id `id`.
fn section<'h>(html: &'h str, id: &str) -> Option<&'h str> {
    let attribute = format!(" id=\"{id}\"");
    let mut from = 0;
    while let Some(i) = html[from..].find(&attribute).map(|i| from + i) {
        from = i + attribute.len();
        // The heading's start tag: `<h2 id="x"` (pulldown-cmark writes the id first).
        let Some(start) = i.checked_sub(3) else {
            continue;
        };
        let tag = &html.as_bytes()[start..i];
        if tag[0] != b'<' || tag[1] != b'h' || !(b'1'..=b'6').contains(&tag[2]) {
            continue;
        }
        let level = tag[2];
        let mut end = html.len();
        let mut search = from;
        while let Some(j) = html[search..].find("<h").map(|j| search + j) {
            let next = html.as_bytes().get(j + 2).copied().unwrap_or(0);
            let after = html.as_bytes().get(j + 3).copied().unwrap_or(0);
            // Headings of a page embedded in this section (their ids renamed) do not end it.
            let embedded = html[j + 3..].starts_with(" data-source-id=");
            if (b'1'..=level).contains(&next) && (after == b'>' || after == b' ') && !embedded {
                end = j;
                break;
            }
            search = j + 2;
        }
        return Some(&html[start..end]);
    }
    None
}

/// The paragraph or list item holding block id `^id` (a list item in its own list).
fn block_part<'h>(html: &'h str, block: &str) -> Option<std::borrow::Cow<'h, str>> {
    let marker = super::targets::block_anchor(&block[1..]);
    let at = html.find(marker.as_ref())?;
    let before = &html[..at];
    let paragraph = before.rfind("<p>");
    let item = before.rfind("<li>").max(before.rfind("<li "));
    match (paragraph, item) {
        (Some(p), i) if i.is_none_or(|i| p > i) => {
            let end = at + html[at..].find("</p>")? + "</p>".len();
            Some(std::borrow::Cow::Borrowed(&html[p..end]))
        }
        (_, Some(i)) => {
            // The item's end: its `</li>`, past the items of lists nested in it.
            let mut depth = 0usize;
            let mut pos = i + 3;
            loop {
                let open = html[pos..].find("<li").map(|o| pos + o);
                let close = pos + html[pos..].find("</li>")?;
                match open {
                    Some(o) if o < close => {
                        depth += 1;
                        pos = o + 3;
                    }
                    _ if depth == 0 => {
                        let end = close + "</li>".len();
                        return Some(format!("<ul>\n{}\n</ul>\n", &html[i..end]).into());
                    }
                    _ => {
                        depth -= 1;
                        pos = close + 5;
                    }
                }
            }
        }
        _ => None,
    }
}

/// `part` of the page at `source_url`, ready to stand in another page (an embed, a
/// summary in a listing): relative links and `#fragments` made to lead where they led on
/// the source page, and ids renamed (`data-source-id`) so that they clash with none of
/// that page's, nor with another summary's there.
pub(crate) fn shown_elsewhere(part: &str, source_url: &str) -> String {
    rebase(part, source_url).replace(" id=\"", " data-source-id=\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>Intro.</p>\n<h2 id=\"a\">A</h2>\n<p>In a.</p>\n<h3 id=\"a1\">A1</h3>\n<p>Deeper.</p>\n<h2 id=\"b\">B</h2>\n<p>In b <span id=\"^k1\"></span></p>\n<ul>\n<li>one <span id=\"^k2\"></span>\n<ul>\n<li>sub</li>\n</ul>\n</li>\n<li>two</li>\n</ul>\n";

    #[test]
    fn whole_pages_sections_and_blocks() {
        assert_eq!(part(BODY, None), BODY);
        assert_eq!(
            part(BODY, Some("a")),
            "<h2 id=\"a\">A</h2>\n<p>In a.</p>\n<h3 id=\"a1\">A1</h3>\n<p>Deeper.</p>\n"
        );
        assert_eq!(
            part(BODY, Some("a1")),
            "<h3 id=\"a1\">A1</h3>\n<p>Deeper.</p>\n"
        );
        assert!(part(BODY, Some("b")).ends_with("<li>two</li>\n</ul>\n"));
        assert_eq!(
            part(BODY, Some("^k1")),
            "<p>In b <span id=\"^k1\"></span></p>"
        );
        assert_eq!(
            part(BODY, Some("^k2")),
            "<ul>\n<li>one <span id=\"^k2\"></span>\n<ul>\n<li>sub</li>\n</ul>\n</li>\n</ul>\n"
        );
        // A section holding an embedded page's headings runs on past them.
        let nested = "<h2 id=\"a\">A</h2>\n<div class=\"embed\"><h2 data-source-id=\"x\">X</h2>\n</div>\n<p>Still a.</p>\n<h2 id=\"b\">B</h2>\n";
        assert!(part(nested, Some("a")).ends_with("<p>Still a.</p>\n"));
        // An id that is no heading or block: the whole body.
        assert_eq!(part(BODY, Some("nope")), BODY);
    }

    #[test]
    fn fitted_parts_keep_links_and_lose_ids() {
        let html = shown_elsewhere(
            "<h2 id=\"a\">A<a class=\"heading-anchor\" href=\"#a\"></a></h2><img src=\"map.png\">",
            "/notes/x/",
        );
        assert_eq!(
            html,
            "<h2 data-source-id=\"a\">A<a class=\"heading-anchor\" href=\"/notes/x/#a\"></a></h2><img src=\"/notes/x/map.png\">"
        );
    }
}
