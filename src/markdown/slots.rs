//! The slot format: how internal links and summary bounds are marked in the
//! HTML of a parsed body (`fill.rs` fills the slots once links are resolved).
//!
//! A slot is `\0`, a letter, an optional link number and `\0`. NUL never comes
//! from a page ([`crate::source::decode`] replaces it with U+FFFD, as CommonMark
//! requires, and [`super::scan`] does too), so content cannot forge a slot.

use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

/// Where link N's `<a href=...>` goes.
pub(super) const OPEN: char = 'a';
/// Where link N's `</a>` goes.
pub(super) const CLOSE: char = 'z';
/// Starts the text of bare wikilink N, replaced by its target's title.
pub(super) const TEXT_START: char = 't';
/// Ends the text of bare wikilink N.
pub(super) const TEXT_END: char = 'u';
/// Stands for the whole of embed N (`![[map.png|300]]`).
pub(super) const EMBED: char = 'e';
/// Where `<!-- more -->` was.
pub(super) const MORE: char = 'm';
/// Before the first paragraph.
pub(super) const FIRST_PARAGRAPH: char = 'p';
/// After the first paragraph.
pub(super) const FIRST_PARAGRAPH_END: char = 'q';
/// Stands for the whole of shortcode call N (no body, or a raw one).
pub(super) const CALL: char = 's';
/// Before the Markdown body of shortcode call N.
pub(super) const CALL_OPEN: char = 'o';
/// After it.
pub(super) const CALL_CLOSE: char = 'c';

/// Starts the title a callout shows when none is written (its type, `Warning`),
/// which the theme's word for the type in the page's language replaces.
pub(super) const TITLE_START: char = 'h';
/// Ends it.
pub(super) const TITLE_END: char = 'j';

/// An inline HTML event holding one slot.
pub(super) fn slot(letter: char, number: Option<usize>) -> Event<'static> {
    Event::InlineHtml(CowStr::from(slot_text(letter, number)))
}

/// The text of one slot: `\0`, the letter, the number if any, `\0`.
pub(super) fn slot_text(letter: char, number: Option<usize>) -> String {
    let mut s = String::with_capacity(8);
    s.push('\0');
    s.push(letter);
    if let Some(n) = number {
        let _ = write!(s, "{n}");
    }
    s.push('\0');
    s
}

/// The slots of `html` in order: (byte range of the slot, letter, link number).
pub(super) fn slots(html: &str) -> impl Iterator<Item = (Range<usize>, char, Option<usize>)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        // memchr to the next slot; a byte loop over the slot itself, which is a few bytes.
        let bytes = html.as_bytes();
        let start = from + memchr::memchr(0, &bytes[from..])?;
        let len = bytes[start + 1..].iter().position(|&b| b == 0)?;
        let end = start + 1 + len + 1;
        from = end;
        let token = &html[start + 1..end - 1];
        let mut chars = token.chars();
        let letter = chars.next().unwrap_or(' ');
        Some((start..end, letter, chars.as_str().parse().ok()))
    })
}

/// Before `<!-- more -->` if the body has it, else the first paragraph; one pass.
pub(super) fn summary_range(html: &str) -> Option<Range<usize>> {
    let (mut start, mut end) = (None, None);
    for (range, letter, _) in slots(html) {
        match letter {
            MORE => return Some(0..range.start),
            FIRST_PARAGRAPH => start = Some(range.start),
            FIRST_PARAGRAPH_END => end = Some(range.end),
            _ => {}
        }
    }
    Some(start?..end?)
}
