//! Marks in text, a pass over the parser's (merged) text events: Obsidian's `%%comments%%`
//! (inline, or across lines and paragraphs) are dropped from the output, `==highlights==`
//! become `<mark>`, and bare URLs (`https://…`, `www.…`) become links as GitHub makes them.
//! Never inside code: code spans, code blocks, formulas and raw HTML are not text events, or
//! are skipped; URLs are not linked inside links and images.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// The events of `inner` without comments and with highlights marked.
pub(super) struct Marks<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: I,
    out: VecDeque<(Event<'a>, Range<usize>)>,
    in_comment: bool,
    in_code_block: bool,
    /// Inside a link or an image, where URLs are text.
    link_depth: usize,
    /// Bare URLs become links (site.yaml `markdown: { autolinks }`).
    autolinks: Option<linkify::LinkFinder>,
    /// What every text is searched for first, to leave most of them alone cheaply.
    scheme: memchr::memmem::Finder<'static>,
    www: memchr::memmem::Finder<'static>,
    /// A paragraph start held back until it is known not to be empty (all comment).
    held: Option<(Event<'a>, Range<usize>)>,
    /// How deep in emphasis, links and the like the text now is.
    inline_depth: usize,
    /// An opening `==` whose closing one may come after other inline events
    /// (`==a *b* c==`): the events since are held until it closes or its block ends.
    open_mark: Option<OpenMark>,
}

/// A `==` waiting for its closing one: where it stands in the queue, and at what depth
/// (a highlight must close where it opened, or the HTML would not nest).
#[derive(Debug, Clone, Copy)]
struct OpenMark {
    at: usize,
    depth: usize,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Marks<'a, I> {
    pub(super) fn new(inner: I, autolinks: bool) -> Marks<'a, I> {
        Marks {
            inner,
            out: VecDeque::new(),
            in_comment: false,
            in_code_block: false,
            link_depth: 0,
            autolinks: autolinks.then(|| {
                let mut finder = linkify::LinkFinder::new();
                finder
                    .kinds(&[linkify::LinkKind::Url])
                    .url_must_have_scheme(false);
                finder
            }),
            scheme: memchr::memmem::Finder::new("://"),
            www: memchr::memmem::Finder::new("www."),
            held: None,
            inline_depth: 0,
            open_mark: None,
        }
    }

    /// Whether `text` may hold a URL to link: `://` or `www.`.
    fn may_link(&self, text: &str) -> bool {
        self.autolinks.is_some()
            && self.link_depth == 0
            && (self.scheme.find(text.as_bytes()).is_some()
                || self.www.find(text.as_bytes()).is_some())
    }

    /// `text` as text, with its bare URLs as links.
    fn plain(&mut self, text: &str, range: Range<usize>) {
        let links: Vec<(usize, usize, String)> = match &self.autolinks {
            Some(finder) if self.may_link(text) => finder
                .links(text)
                .filter_map(|l| autolink_url(l.as_str()).map(|url| (l.start(), l.end(), url)))
                .collect(),
            _ => Vec::new(),
        };
        let mut last = 0;
        for (start, end, url) in links {
            if start > last {
                self.push(
                    Event::Text(CowStr::from(text[last..start].to_string())),
                    range.clone(),
                );
            }
            let tag = Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(url),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            };
            self.push(Event::Start(tag), range.clone());
            self.push(
                Event::Text(CowStr::from(text[start..end].to_string())),
                range.clone(),
            );
            self.push(Event::End(TagEnd::Link), range.clone());
            last = end;
        }
        if last < text.len() {
            self.push(Event::Text(CowStr::from(text[last..].to_string())), range);
        }
    }

    fn push(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Some(start) = self.held.take() {
            if matches!(event, Event::End(TagEnd::Paragraph)) {
                // A paragraph that was all comment leaves nothing behind.
                return;
            }
            self.out.push_back(start);
        }
        self.out.push_back((event, range));
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        let mut rest = text;
        loop {
            if self.in_comment {
                match rest.find("%%") {
                    Some(i) => {
                        rest = &rest[i + 2..];
                        self.in_comment = false;
                    }
                    None => return,
                }
            } else {
                match rest.find("%%") {
                    Some(i) => {
                        self.highlighted(&rest[..i], range.clone());
                        rest = &rest[i + 2..];
                        self.in_comment = true;
                    }
                    None => {
                        self.highlighted(rest, range);
                        return;
                    }
                }
            }
        }
    }

    /// `text` with its `==highlights==` in `<mark>`: an opening `==` is followed by
    /// something other than a space, a closing one preceded by it (`a == b` stays as it is).
    fn highlighted(&mut self, text: &str, range: Range<usize>) {
        let mut rest = text;
        if let Some(open) = self.open_mark
            && open.depth == self.inline_depth
            && let Some(i) = closing_mark(rest)
        {
            if i > 0 {
                self.plain(&rest[..i], range.clone());
            }
            self.out[open.at].0 = Event::InlineHtml(CowStr::Borrowed("<mark>"));
            self.push(
                Event::InlineHtml(CowStr::Borrowed("</mark>")),
                range.clone(),
            );
            self.open_mark = None;
            rest = &rest[i + 2..];
        }
        while let Some((before, inner, after)) = next_highlight(rest) {
            if !before.is_empty() {
                self.plain(before, range.clone());
            }
            self.push(Event::InlineHtml(CowStr::Borrowed("<mark>")), range.clone());
            self.plain(inner, range.clone());
            self.push(
                Event::InlineHtml(CowStr::Borrowed("</mark>")),
                range.clone(),
            );
            rest = after;
        }
        if self.open_mark.is_none()
            && let Some(i) = opening_mark(rest)
        {
            if i > 0 {
                self.plain(&rest[..i], range.clone());
            }
            self.push(Event::Text(CowStr::Borrowed("==")), range.clone());
            self.open_mark = Some(OpenMark {
                at: self.out.len() - 1,
                depth: self.inline_depth,
            });
            rest = &rest[i + 2..];
        }
        if !rest.is_empty() {
            self.plain(rest, range);
        }
    }

    /// Keeps `inline_depth`, and gives up an open `==` whose block or inline element
    /// ended: it stays text.
    fn follow_nesting(&mut self, event: &Event<'a>) {
        match event {
            Event::Start(tag) if is_inline(tag) => self.inline_depth += 1,
            Event::End(end) if is_inline_end(*end) => {
                self.inline_depth = self.inline_depth.saturating_sub(1);
                if self
                    .open_mark
                    .is_some_and(|open| open.depth > self.inline_depth)
                {
                    self.open_mark = None;
                }
            }
            Event::Start(_) | Event::End(_) => {
                self.inline_depth = 0;
                self.open_mark = None;
            }
            _ => {}
        }
    }

    /// Whether `event` comes out unchanged, with nothing held or queued before it.
    fn passes(&self, event: &Event<'a>) -> bool {
        if self.in_comment || self.held.is_some() {
            return false;
        }
        match event {
            Event::Text(t) => self.in_code_block || !(has_marks(t) || self.may_link(t)),
            Event::Start(
                Tag::Paragraph | Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. },
            )
            | Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => false,
            _ => true,
        }
    }

    fn handle(&mut self, event: Event<'a>, range: Range<usize>) {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.link_depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.link_depth = self.link_depth.saturating_sub(1);
            }
            _ => {}
        }
        match event {
            Event::Text(t) if !self.in_code_block => {
                if self.in_comment || has_marks(&t) || self.may_link(&t) {
                    self.text(&t, range);
                } else {
                    self.push(Event::Text(t), range);
                }
            }
            // Held until something of it is kept: a paragraph of comment leaves nothing.
            Event::Start(Tag::Paragraph) => {
                if let Some(start) = self.held.replace((event, range)) {
                    self.out.push_back(start);
                }
            }
            // Inside a comment only the blocks' own starts and ends are kept.
            e @ (Event::SoftBreak
            | Event::HardBreak
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_))
                if self.in_comment =>
            {
                drop(e);
            }
            e @ (Event::Start(
                Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. },
            )
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            )) if self.in_comment => {
                drop(e);
            }
            other => self.push(other, range),
        }
    }
}

/// The URL a bare link found in text goes to, as GitHub links them: with `http(s)://`,
/// or from `www.` (to `http://www.…`); other text that looks like a domain stays text.
fn autolink_url(found: &str) -> Option<String> {
    if super::is_web_url(found) {
        Some(found.to_string())
    } else if found
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("www."))
    {
        Some(format!("http://{found}"))
    } else {
        None
    }
}

/// Whether `text` holds `%%` or `==`: one pass over its bytes for either sign.
fn has_marks(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'%', b'=', bytes).any(|i| bytes.get(i + 1) == Some(&bytes[i]))
}

/// Whether `tag` is an element inside a line of text.
pub(super) fn is_inline(tag: &Tag<'_>) -> bool {
    is_inline_end(tag.to_end())
}

/// Whether `end` closes an element inside a line of text.
fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Where an unclosed `==` in `text` opens a highlight that later events may close:
/// followed by something other than a space, or by nothing (an element comes next).
fn opening_mark(text: &str) -> Option<usize> {
    let i = text.rfind("==")?;
    let before_ok = !text[..i].ends_with('=');
    let after = &text[i + 2..];
    let opens = after
        .chars()
        .next()
        .is_none_or(|c| !c.is_whitespace() && c != '=');
    (before_ok && opens && !after.contains("==")).then_some(i)
}

/// Where the `==` that closes an open highlight stands in `text`: preceded by something
/// other than a space, or by nothing (an element came before).
fn closing_mark(text: &str) -> Option<usize> {
    let i = text.find("==")?;
    (!text[..i].ends_with(char::is_whitespace) && !text[i + 2..].starts_with('=')).then_some(i)
}

/// The first `==highlight==` of `text`: (before, inside, after).
fn next_highlight(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("==").map(|i| from + i) {
        let inside = &text[i + 2..];
        let opens = inside
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '=');
        if opens
            && let Some(j) = inside.find("==")
            && !inside[..j].ends_with(char::is_whitespace)
            && !inside[..j].is_empty()
        {
            return Some((&text[..i], &inside[..j], &inside[j + 2..]));
        }
        from = i + 2;
    }
    None
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Marks<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            // While a `==` waits for its end, what follows it waits too.
            if self.open_mark.is_none()
                && let Some(e) = self.out.pop_front()
            {
                return Some(e);
            }
            match self.inner.next() {
                Some((event, range)) => {
                    self.follow_nesting(&event);
                    // Most events pass as they are, without a detour through the queue
                    // (never while a `==` waits: it is in the queue).
                    if self.out.is_empty() && self.passes(&event) {
                        return Some((event, range));
                    }
                    self.handle(event, range);
                }
                None if self.open_mark.take().is_some() => {}
                // An unclosed comment runs to the end, as in Obsidian.
                None => return self.held.take(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Settings, scan};

    fn html(body: &str) -> String {
        scan(body, Settings::defaults()).html(|_| None)
    }

    #[test]
    fn highlights_need_text_against_their_marks() {
        assert_eq!(next_highlight("a ==b c== d"), Some(("a ", "b c", " d")));
        assert_eq!(next_highlight("x == y and y == z"), None);
        assert_eq!(next_highlight("===="), None);
        assert_eq!(next_highlight("a ==b"), None);
    }

    #[test]
    fn comments_are_dropped_and_highlights_marked_but_not_in_code() {
        assert_eq!(html("Keep %%not this%% that.\n"), "<p>Keep  that.</p>\n");
        assert_eq!(
            html("Before.\n\n%%\nA hidden *note*\n\nover two paragraphs.\n%%\n\nAfter.\n"),
            "<p>Before.</p>\n<p>After.</p>\n"
        );
        assert_eq!(
            html("A ==key point== here.\n"),
            "<p>A <mark>key point</mark> here.</p>\n"
        );
        assert_eq!(
            html("`==code==` and\n\n```\n%% kept ==too==\n```\n"),
            "<p><code>==code==</code> and</p>\n<pre class=\"code\" tabindex=\"0\"><code>%% kept ==too==\n</code></pre>\n"
        );
        assert_eq!(
            html("if a == b and b == c\n"),
            "<p>if a == b and b == c</p>\n"
        );
    }

    #[test]
    fn highlights_may_hold_other_inline_elements() {
        assert_eq!(
            html("A ==key *and* `code`== here.\n"),
            "<p>A <mark>key <em>and</em> <code>code</code></mark> here.</p>\n"
        );
        assert_eq!(
            html("==**all**== of it\n"),
            "<p><mark><strong>all</strong></mark> of it</p>\n"
        );
        // Across a line break in one paragraph, as Obsidian.
        assert_eq!(
            html("==one\ntwo== three\n"),
            "<p><mark>one\ntwo</mark> three</p>\n"
        );
        // Not closed before the paragraph ends, or closed at another depth: text.
        assert_eq!(
            html("==open *x*\n\nb==\n"),
            "<p>==open <em>x</em></p>\n<p>b==</p>\n"
        );
        assert_eq!(html("*==a* b==\n"), "<p><em>==a</em> b==</p>\n");
        assert_eq!(html("a *==b* c==\n"), "<p>a <em>==b</em> c==</p>\n");
        assert_eq!(
            html("- ==a *b*\n- c==\n"),
            "<ul>\n<li>==a <em>b</em></li>\n<li>c==</li>\n</ul>\n"
        );
        assert_eq!(
            html("a ==b *c* d == e\n"),
            "<p>a ==b <em>c</em> d == e</p>\n"
        );
    }

    #[test]
    fn bare_urls_become_links_as_github_links_them() {
        assert_eq!(
            html("See https://example.org/a?b=1. Or www.example.com, not example.com.\n"),
            "<p>See <a href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a>. Or <a href=\"http://www.example.com\">www.example.com</a>, not example.com.</p>\n"
        );
        assert_eq!(
            html("[https://x.org](https://x.org) `https://y.org` <https://z.org>\n"),
            "<p><a href=\"https://x.org\">https://x.org</a> <code>https://y.org</code> <a href=\"https://z.org\">https://z.org</a></p>\n"
        );
        let parsed = scan("Read https://example.org/x.\n", Settings::defaults());
        assert_eq!(parsed.external.len(), 1);
    }
}
