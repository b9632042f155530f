//! Footnotes as GitHub writes them: numbered in order of first reference, gathered at
//! the end of the page, each with links back to every place that refers to it.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use rustc_hash::FxHashMap;

/// How a footnote reference starts: what the plain text of a page leaves out
/// ([`crate::text::html_to_text`]).
pub(crate) const REFERENCE_START: &str = "<sup class=\"footnote-reference\"";

/// The footnotes of one body: their numbers, references, and definitions held back
/// until the end.
#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// Per label: its number and how many references were seen.
    seen: FxHashMap<String, (usize, usize)>,
    /// Definitions read so far: label and events, held for the end of the page.
    definitions: Vec<(String, Vec<Event<'a>>)>,
    /// Whether a definition is being read (its events go to the last of `definitions`).
    reading: bool,
}

impl<'a> Footnotes<'a> {
    /// Whether events now belong to a definition.
    pub(super) fn is_reading(&self) -> bool {
        self.reading
    }

    /// Keeps `event` for the definition being read.
    pub(super) fn keep(&mut self, event: Event<'a>) {
        if let Some((_, events)) = self.definitions.last_mut() {
            events.push(event);
        }
    }

    fn number(&mut self, label: &str) -> usize {
        let next = self.seen.len() + 1;
        self.seen.entry(label.to_string()).or_insert((next, 0)).0
    }

    /// The reference to `label`: its number, linking to the note, with an id to come
    /// back to.
    pub(super) fn reference(&mut self, label: &str) -> Event<'a> {
        let number = self.number(label);
        let count = self.seen.get_mut(label).map_or(1, |entry| {
            entry.1 += 1;
            entry.1
        });
        let mut html = String::from(REFERENCE_START);
        html.push_str(" id=\"");
        push_ref_id(&mut html, label, count);
        html.push_str("\"><a href=\"#");
        let _ = escape_href(&mut html, label);
        let _ = write!(html, "\">{number}</a></sup>");
        Event::InlineHtml(CowStr::from(html))
    }

    /// A definition starts: its events are kept from now on.
    pub(super) fn start(&mut self, label: &str) {
        self.number(label);
        self.definitions.push((label.to_string(), Vec::new()));
        self.reading = true;
    }

    /// The definition being read ends.
    pub(super) fn end(&mut self) {
        self.reading = false;
    }

    /// Every definition, by number, with its links back; nothing if there is none.
    pub(super) fn finish(&mut self) -> Vec<Event<'a>> {
        let mut definitions = std::mem::take(&mut self.definitions);
        if definitions.is_empty() {
            return Vec::new();
        }
        definitions.sort_by_key(|(label, _)| self.seen.get(label).map_or(0, |s| s.0));
        let mut out = vec![Event::Html(CowStr::Borrowed(
            "<section class=\"footnotes\" aria-label=\"Footnotes\">\n",
        ))];
        for (label, mut events) in definitions {
            let (number, refs) = self.seen.get(&label).copied().unwrap_or((0, 0));
            let mut open = String::from("<div class=\"footnote-definition\" id=\"");
            let _ = escape_html(&mut open, &label);
            let _ = writeln!(
                open,
                "\"><sup class=\"footnote-definition-label\">{number}</sup>"
            );
            out.push(Event::Html(CowStr::from(open)));
            let back = Event::InlineHtml(CowStr::from(backrefs(&label, number, refs)));
            // Inside the note's last paragraph, as GitHub puts it.
            match events.last() {
                Some(Event::End(TagEnd::Paragraph)) => {
                    let at = events.len() - 1;
                    events.insert(at, back);
                }
                _ => events.push(back),
            }
            out.extend(events);
            out.push(Event::Html(CowStr::Borrowed("</div>\n")));
        }
        out.push(Event::Html(CowStr::Borrowed("</section>\n")));
        out
    }
}

fn push_ref_id(html: &mut String, label: &str, count: usize) {
    html.push_str("fnref-");
    let _ = escape_html(&mut *html, label);
    if count > 1 {
        let _ = write!(html, "-{count}");
    }
}

/// ` ↩` links to each reference of note `label`.
fn backrefs(label: &str, number: usize, refs: usize) -> String {
    let mut html = String::new();
    for count in 1..=refs {
        html.push_str(" <a href=\"#");
        let mut id = String::new();
        push_ref_id(&mut id, label, count);
        html.push_str(&id);
        let _ = write!(
            html,
            "\" class=\"footnote-backref\" aria-label=\"Back to reference {number}{}\">↩{}</a>",
            if refs > 1 {
                format!("-{count}")
            } else {
                String::new()
            },
            if refs > 1 {
                format!("<sup>{count}</sup>")
            } else {
                String::new()
            }
        );
    }
    html
}
