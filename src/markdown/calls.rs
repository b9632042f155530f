//! Shortcode placeholders in the slot pass (see `shortcodes::extract`): outside code they
//! become slots, filled with the call's output when the body is rendered; inside code,
//! formulas and link destinations they are put back as the tags were written.

use pulldown_cmark::CowStr;

use super::slots::{CALL, CALL_CLOSE, CALL_OPEN};
use crate::shortcodes::{PLACEHOLDER_END, PLACEHOLDER_START, Placed, Role};

/// The tags of the body being parsed.
#[derive(Debug)]
pub(super) struct CallTags<'a> {
    /// Placeholder K stands for `placed[K]`.
    pub(super) placed: &'a [Placed],
    /// Per call: seen outside code.
    pub(super) live: Vec<bool>,
}

/// A ```` ```query ```` block: its text and where it and its text start.
#[derive(Debug)]
pub(super) struct QueryBlock {
    pub(super) text: String,
    pub(super) offset: usize,
    pub(super) text_offset: usize,
}

/// A piece of text holding placeholders: text, or the slot of a tag.
pub(super) enum Piece<'t> {
    Text(&'t str),
    Slot(String),
}

/// The placeholders of `text`: (byte range, including the HTML comment of a block
/// placeholder, and tag number).
fn placeholders(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + text[from..].find(PLACEHOLDER_START)?;
        let len = text[start + 1..].find(PLACEHOLDER_END)?;
        let number = text[start + 1..start + 1 + len].parse().ok();
        let mut range = start..start + 1 + len + 1;
        from = range.end;
        if text[..range.start].ends_with("<!--") && text[range.end..].starts_with("-->") {
            range = range.start - 4..range.end + 3;
        }
        Some((range, number))
    })
    .filter_map(|(range, number)| Some((range, number?)))
}

impl CallTags<'_> {
    /// The slot of tag `number`, which is outside code: its call is applied.
    fn slot(&mut self, number: usize) -> Option<String> {
        let placed = self.placed.get(number)?;
        if let Some(live) = self.live.get_mut(placed.call) {
            *live = true;
        }
        let letter = match placed.role {
            Role::Whole => CALL,
            Role::Open => CALL_OPEN,
            Role::Close => CALL_CLOSE,
        };
        Some(super::slots::slot_text(letter, Some(placed.call)))
    }

    /// `text` (outside code) cut into text and slots.
    pub(super) fn split<'t>(&mut self, text: &'t str) -> Vec<Piece<'t>> {
        let mut pieces = Vec::new();
        let mut last = 0;
        for (range, number) in placeholders(text) {
            if let Some(slot) = self.slot(number) {
                if range.start > last {
                    pieces.push(Piece::Text(&text[last..range.start]));
                }
                pieces.push(Piece::Slot(slot));
                last = range.end;
            }
        }
        if last < text.len() {
            pieces.push(Piece::Text(&text[last..]));
        }
        pieces
    }

    /// Raw HTML with its placeholders made slots.
    pub(super) fn in_html<'t>(&mut self, html: CowStr<'t>) -> CowStr<'t> {
        if !html.contains(PLACEHOLDER_START) {
            return html;
        }
        let mut out = String::with_capacity(html.len());
        for piece in self.split(&html) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot(s) => out.push_str(&s),
            }
        }
        CowStr::from(out)
    }

    /// Text inside code with its tags put back as written.
    pub(super) fn restore<'t>(&self, text: CowStr<'t>) -> CowStr<'t> {
        if !text.contains(PLACEHOLDER_START) {
            return text;
        }
        let mut out = String::with_capacity(text.len() + 32);
        let mut last = 0;
        for (range, number) in placeholders(&text) {
            if let Some(placed) = self.placed.get(number) {
                out.push_str(&text[last..range.start]);
                out.push_str(&placed.written);
                last = range.end;
            }
        }
        out.push_str(&text[last..]);
        CowStr::from(out)
    }
}
