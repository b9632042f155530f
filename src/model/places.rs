//! Where things stand in a page's source file: its links' lines, columns and source
//! lines for their errors, and the errors found in its body, placed in one pass each.

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::ParsedBody;

/// The line, column and text of the line where a link is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkPlace {
    /// 1-based line in the source file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The line, cut around the link if long (see [`crate::error::source_window`]), for
    /// the error's snippet: a line of 20,000 links keeps 20,000 short windows, not copies.
    pub source_line: Box<str>,
    /// The column at which `source_line` starts.
    pub source_column: usize,
}

/// The place of each of `offsets` (increasing byte offsets of `text`), in one pass:
/// lines and columns are counted once from the last offset, never from the line start.
pub(super) fn places(text: &str, offsets: impl Iterator<Item = usize>) -> Vec<LinkPlace> {
    let mut line = 1;
    let mut line_start = 0;
    // The last offset placed and its column, on the current line.
    let (mut scanned, mut column) = (0, 1);
    // Where the current line ends, found once per line.
    let mut line_end = None;
    let mut out = Vec::new();
    for offset in offsets {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < scanned {
            // Out of order (never from the Markdown scan): count from the start.
            (line, line_start, scanned, column, line_end) = (1, 0, 0, 1, None);
        }
        let gap = &text[scanned..offset];
        match memchr::memrchr(b'\n', gap.as_bytes()) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', gap.as_bytes()).count();
                line_start = scanned + last + 1;
                column = text[line_start..offset].chars().count() + 1;
                line_end = None;
            }
            None => column += gap.chars().count(),
        }
        scanned = offset;
        let end = *line_end.get_or_insert_with(|| {
            memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i)
        });
        let (window, first) =
            crate::error::source_window(&text[line_start..end], offset - line_start, column);
        out.push(LinkPlace {
            line,
            column,
            source_line: window.into(),
            source_column: first,
        });
    }
    out
}

/// The errors found in `body` (formulas that do not parse, shortcode calls outside code
/// that are wrong) and `more` (by body offset), placed in `text` (the file, whose body
/// starts at `body_offset`) in one pass however many there are.
pub(super) fn body_errors(
    config: &SiteConfig,
    (file, text, body_offset): (&std::path::Path, &str, usize),
    body: &ParsedBody,
    more: Vec<(usize, Diagnostic)>,
) -> Vec<Diagnostic> {
    let mut found: Vec<(usize, Diagnostic)> = body
        .math_errors
        .iter()
        .map(|e| {
            let d = Diagnostic::new(
                ErrorKind::Math,
                format!("this formula does not parse: {}", e.message),
            )
            .hint("fix the LaTeX, or write `\\$` for a dollar sign that starts no formula; it is shown as its source meanwhile");
            (e.offset, config.markdown.math_errors.apply(d))
        })
        .chain(body.calls.iter().filter(|c| c.live).flat_map(|c| {
            c.problems.iter().map(|p| {
                let d = Diagnostic::new(ErrorKind::Shortcode, p.message.clone()).hint(p.hint.clone());
                (p.offset, d)
            })
        }))
        .chain(more)
        .collect();
    found.sort_by_key(|(offset, _)| *offset);
    let placed = places(text, found.iter().map(|(offset, _)| body_offset + offset));
    found
        .into_iter()
        .zip(placed)
        .map(|((_, d), place)| {
            let location = crate::error::Location {
                file: file.to_path_buf(),
                line: place.line,
                column: place.column,
            };
            d.at(location, None)
                .with_source(&place.source_line, place.source_column)
        })
        .collect()
}

/// The places of the internal links of `body`, then of its local URLs, then of its
/// shortcode calls, found in one pass over `text` (the body starts at `body_offset`).
pub(super) fn link_places(text: &str, body_offset: usize, body: &ParsedBody) -> Vec<LinkPlace> {
    let offsets = body
        .internal_links
        .iter()
        .map(|l| l.offset)
        .chain(body.local.iter().map(|l| l.offset))
        .chain(body.calls.iter().map(|c| c.offset));
    let mut order: Vec<(usize, usize)> = offsets.enumerate().map(|(i, o)| (o, i)).collect();
    // Both lists are in document order; together they need one sort.
    order.sort_unstable();
    let found = places(text, order.iter().map(|(o, _)| body_offset + o));
    let mut by_index: Vec<Option<LinkPlace>> = vec![None; order.len()];
    for ((_, i), place) in order.into_iter().zip(found) {
        by_index[i] = Some(place);
    }
    by_index
        .into_iter()
        .map(|p| p.expect("every link was placed"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_places_count_lines_and_characters() {
        let text = "---\nt: x\n---\nа [[b]]\r\n\nc [[d]] [[e]]\n";
        let at = |s: &str| text.find(s).unwrap();
        let p = places(text, [at("[[b]]"), at("[[d]]"), at("[[e]]")].into_iter());
        assert_eq!(
            (p[0].line, p[0].column, &*p[0].source_line),
            (4, 3, "а [[b]]")
        );
        assert_eq!(
            (p[1].line, p[1].column, &*p[1].source_line),
            (6, 3, "c [[d]] [[e]]")
        );
        assert_eq!((p[2].line, p[2].column), (6, 9));
    }
}
