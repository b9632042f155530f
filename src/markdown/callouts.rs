//! Callouts: GitHub's alerts (`> [!NOTE]`) and Obsidian's callouts (`> [!info] A title`,
//! any type, folded with `-` or open with `+`), as block quotes whose first line is the
//! marker. A pass over the parser's events before the rest: the quote becomes a `<div>`
//! (or `<details>` when it folds) with a title, and its body stays Markdown.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::marks::is_inline;

/// The events of `inner`, with callouts in place of their block quotes.
pub(super) struct Callouts<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: I,
    out: VecDeque<(Event<'a>, Range<usize>)>,
    /// Per open block quote: what closes it, if it became a callout.
    open: Vec<Option<&'static str>>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Callouts<'a, I> {
    pub(super) fn new(inner: I) -> Callouts<'a, I> {
        Callouts {
            inner,
            out: VecDeque::new(),
            open: Vec::new(),
        }
    }

    /// After a block quote's start: reads its first line and decides what it is.
    fn quote(&mut self, start: (Event<'a>, Range<usize>)) {
        let mut read = vec![start];
        // The text the line starts with, up to its first other element: the marker.
        let mut lead = String::new();
        let mut in_lead = true;
        // The first line must be the start of a paragraph.
        let ends_paragraph = loop {
            let Some((event, range)) = self.inner.next() else {
                break None;
            };
            let step = match &event {
                Event::Start(Tag::Paragraph) if read.len() == 1 => Step::Go,
                _ if read.len() == 1 => Step::Stop,
                Event::Text(t) if in_lead => {
                    lead.push_str(t);
                    Step::Go
                }
                Event::SoftBreak | Event::HardBreak => Step::Line(false),
                Event::End(TagEnd::Paragraph) => Step::Line(true),
                // A block: no title line holds one.
                Event::Start(tag) if !is_inline(tag) => Step::Stop,
                _ => {
                    in_lead = false;
                    Step::Go
                }
            };
            read.push((event, range));
            match step {
                Step::Go => {}
                Step::Stop => break None,
                Step::Line(ends) => break Some(ends),
            }
        };
        let marker = ends_paragraph.and_then(|ends| Some((Marker::parse(&lead)?, ends)));
        let Some((marker, ends_paragraph)) = marker else {
            self.open.push(None);
            self.out.extend(read);
            return;
        };
        let mut read = read.into_iter();
        let (whole, paragraph) = (read.next(), read.next());
        let whole = whole.map(|(_, range)| range).unwrap_or_default();
        // The line's events after the marker, without the line's end (dropped): the title,
        // Markdown and all.
        read.next_back();
        let title = title_events(read, marker.title_at);
        let (open, close_title) = marker.open(!title.is_empty());
        self.out
            .push_back((Event::Html(CowStr::from(open)), whole.clone()));
        if !title.is_empty() {
            self.out.extend(title);
            self.out
                .push_back((Event::Html(CowStr::Borrowed(close_title)), whole));
        }
        // The title line was the whole paragraph, or the paragraph goes on after it.
        if !ends_paragraph {
            self.out.extend(paragraph);
        }
        self.open.push(Some(marker.close()));
    }
}

/// The title line's events without the marker's first `marker_len` bytes of text, and
/// without the spaces around the title; empty if that leaves no title.
fn title_events<'a>(
    line: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    marker_len: usize,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut skip = marker_len;
    let mut title = Vec::new();
    for (event, range) in line {
        match event {
            Event::Text(t) if skip > 0 || title.is_empty() => {
                let cut = skip.min(t.len());
                skip -= cut;
                let rest = t[cut..].trim_start();
                if !rest.is_empty() {
                    title.push((Event::Text(CowStr::from(rest.to_string())), range));
                }
            }
            other => title.push((other, range)),
        }
    }
    if let Some((Event::Text(t), _)) = title.last_mut() {
        let trimmed = t.trim_end();
        if trimmed.len() < t.len() {
            *t = CowStr::from(trimmed.to_string());
        }
    }
    title
}

enum Step {
    Go,
    Stop,
    /// The first line ended; `true` if it was the whole paragraph.
    Line(bool),
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Callouts<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            let (event, range) = self.inner.next()?;
            match event {
                Event::Start(Tag::BlockQuote(_)) => self.quote((event, range)),
                Event::End(TagEnd::BlockQuote(_)) => match self.open.pop().flatten() {
                    Some(close) => return Some((Event::Html(CowStr::from(close)), range)),
                    None => return Some((event, range)),
                },
                _ => return Some((event, range)),
            }
        }
    }
}

/// `[!type]`, `[!type]-` or `[!type]+`, then the title, if any.
#[derive(Debug, PartialEq, Eq)]
struct Marker {
    /// Lower case: letters, digits, `-` and `_`.
    kind: String,
    /// `None`: does not fold; `Some(open)`: folds, open at first if `open`.
    folds: Option<bool>,
    /// Where the title starts in the line's first text (its events are the title).
    title_at: usize,
}

impl Marker {
    fn parse(line: &str) -> Option<Marker> {
        let rest = line.trim_start().strip_prefix("[!")?;
        let (kind, rest) = rest.split_once(']')?;
        let valid = !kind.is_empty()
            && kind
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return None;
        }
        let (folds, title) = match rest.chars().next() {
            Some('-') => (Some(false), &rest[1..]),
            Some('+') => (Some(true), &rest[1..]),
            _ => (None, rest),
        };
        Some(Marker {
            kind: kind.to_ascii_lowercase(),
            folds,
            title_at: line.len() - title.len(),
        })
    }

    /// The title shown when none is written: the type with a capital, as Obsidian shows it.
    fn type_title(&self) -> String {
        let mut chars = self.kind.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }

    /// The callout's start up to its title, and what ends the title. With `written`, the
    /// title's events come between the two; else the start holds the type as title.
    fn open(&self, written: bool) -> (String, &'static str) {
        // `kind` is letters, digits, `-` and `_` only: safe in an attribute as it is.
        let (mut html, close_title) = match self.folds {
            None => (
                format!(
                    "<div class=\"callout\" data-callout=\"{}\">\n<p class=\"callout-title\">",
                    self.kind
                ),
                "</p>\n",
            ),
            Some(open) => (
                format!(
                    "<details class=\"callout\" data-callout=\"{}\"{}>\n<summary class=\"callout-title\">",
                    self.kind,
                    if open { " open" } else { "" }
                ),
                "</summary>\n",
            ),
        };
        if !written {
            // Between slots, for the theme's word in the page's language to replace.
            html.push_str(&super::slots::slot_text(super::slots::TITLE_START, None));
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &self.type_title());
            html.push_str(&super::slots::slot_text(super::slots::TITLE_END, None));
            html.push_str(close_title);
        }
        (html, close_title)
    }

    fn close(&self) -> &'static str {
        match self.folds {
            None => "</div>\n",
            Some(_) => "</details>\n",
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
    fn markers_as_github_and_obsidian_write_them() {
        let m = Marker::parse("[!NOTE]").unwrap();
        assert_eq!(
            (m.kind.as_str(), m.folds, m.type_title()),
            ("note", None, "Note".into())
        );
        let line = "[!faq]- Why so?";
        let m = Marker::parse(line).unwrap();
        assert_eq!((m.folds, &line[m.title_at..]), (Some(false), " Why so?"));
        assert_eq!(Marker::parse("[!tip]+").unwrap().folds, Some(true));
        assert_eq!(Marker::parse("[!a b] x"), None);
        assert_eq!(Marker::parse("[!\"><x]"), None);
        assert_eq!(Marker::parse("plain quote"), None);
    }

    #[test]
    fn callouts_become_titled_blocks_and_quotes_stay_quotes() {
        assert_eq!(
            html("> [!WARNING]\n> Mind the gap.\n"),
            "<div class=\"callout\" data-callout=\"warning\">\n<p class=\"callout-title\">Warning</p>\n<p>Mind the gap.</p>\n</div>\n"
        );
        assert_eq!(
            html("> [!info]- Details \\<b>\n>\n> Hidden *text*.\n"),
            "<details class=\"callout\" data-callout=\"info\">\n<summary class=\"callout-title\">Details &lt;b&gt;</summary>\n<p>Hidden <em>text</em>.</p>\n</details>\n"
        );
        assert_eq!(
            html("> Just a quote.\n"),
            "<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n"
        );
        assert_eq!(
            html("> [!tip] Read *this*, `code` and [a link](https://example.org)\n> Body.\n"),
            "<div class=\"callout\" data-callout=\"tip\">\n<p class=\"callout-title\">Read <em>this</em>, <code>code</code> and <a href=\"https://example.org\">a link</a></p>\n<p>Body.</p>\n</div>\n"
        );
        assert_eq!(
            html("> [!faq]+ **Why?**\n"),
            "<details class=\"callout\" data-callout=\"faq\" open>\n<summary class=\"callout-title\"><strong>Why?</strong></summary>\n</details>\n"
        );
        // The marker must open the line, in its text.
        assert_eq!(
            html("> *[!note]* x\n"),
            "<blockquote>\n<p><em>[!note]</em> x</p>\n</blockquote>\n"
        );
        let nested = html("> [!note] Outer\n> > [!tip] Inner\n> > Body\n");
        assert!(nested.contains("data-callout=\"note\""), "{nested}");
        assert!(nested.contains("data-callout=\"tip\""), "{nested}");
        assert_eq!(nested.matches("</div>").count(), 2, "{nested}");
    }
}
