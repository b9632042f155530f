//! Offsets in a text made from a body by replacing some ranges (NUL cleaned away,
//! shortcode tags made placeholders), mapped back to the body, so that every message
//! points at what the writer wrote.

use std::ops::Range;

/// The ranges replaced: (range in the new text, range in the old), in order.
#[derive(Debug, Default)]
pub(super) struct OffsetMap {
    edits: Vec<(Range<usize>, Range<usize>)>,
}

impl OffsetMap {
    /// The map of `edits`, which must be in order and not overlap.
    pub(super) fn new(edits: Vec<(Range<usize>, Range<usize>)>) -> OffsetMap {
        OffsetMap { edits }
    }

    /// Whether the text is the body unchanged.
    pub(super) fn is_identity(&self) -> bool {
        self.edits.is_empty()
    }

    /// The body offset of `offset` in the new text; inside a replacement, where the
    /// replaced text starts.
    pub(super) fn map(&self, offset: usize) -> usize {
        let n = self.edits.partition_point(|(new, _)| new.start <= offset);
        let Some((new, old)) = n.checked_sub(1).map(|i| &self.edits[i]) else {
            return offset;
        };
        if offset < new.end {
            old.start
        } else {
            old.end + (offset - new.end)
        }
    }
}

/// `body` with the characters the Markdown stage reserves (NUL, and the placeholder
/// marks U+0001 and U+0002) replaced by U+FFFD, and the map back, if any was there.
pub(super) fn cleaned(body: &str) -> Option<(String, OffsetMap)> {
    // Searched for a vector at a time: this runs over every body, which rarely has any.
    let mut found = memchr::memchr3_iter(0, 1, 2, body.as_bytes()).peekable();
    found.peek()?;
    let mut text = String::with_capacity(body.len() + 8);
    let mut edits = Vec::new();
    let mut copied = 0;
    for i in found {
        text.push_str(&body[copied..i]);
        let start = text.len();
        text.push('\u{FFFD}');
        edits.push((start..text.len(), i..i + 1));
        copied = i + 1;
    }
    text.push_str(&body[copied..]);
    Some((text, OffsetMap::new(edits)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_around_and_inside_edits() {
        // "ab{{ x() }}cd" became "ab#cd".
        let map = OffsetMap::new(vec![(2..3, 2..11)]);
        assert_eq!(map.map(0), 0);
        assert_eq!(map.map(2), 2);
        assert_eq!(map.map(3), 11);
        assert_eq!(map.map(4), 12);
        let (text, map) = cleaned("a\0b\u{1}c").unwrap();
        assert_eq!(text, "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(map.map(text.find('b').unwrap()), 2);
        assert_eq!(map.map(text.rfind('c').unwrap()), 4);
        assert!(cleaned("plain").is_none());
        let (text, _) = cleaned("\u{2}é\0").unwrap();
        assert_eq!(text, "\u{FFFD}é\u{FFFD}");
    }
}
