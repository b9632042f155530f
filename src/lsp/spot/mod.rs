//! What the cursor stands on in a page's source: a front matter key or value, the page
//! or heading part of a link, a heading. Found from the cursor's line (and, for a list
//! item, the key above it), because what is being typed is rarely valid Markdown or
//! YAML yet: `[[rus` is no link to a parser until it is closed.

use crate::source::{MatterFormat, split_front_matter};

mod calls;

/// A stretch of the source: bytes `start..end`, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
    /// The text, unquoted.
    pub text: String,
}

impl Token {
    fn new(line: &str, line_start: usize, range: std::ops::Range<usize>) -> Token {
        Token {
            start: line_start + range.start,
            end: line_start + range.end,
            text: line[range].to_string(),
        }
    }
}

/// How a link names its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LinkSyntax {
    /// `[[page#heading|text]]` (and embeds, `![[page]]`): a slug or a file name.
    Wiki,
    /// `[text](@/members/russia.md#heading)`: a path below `content/`.
    At,
}

/// What the cursor stands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Spot {
    /// A top-level front matter key, written or being written.
    Key(Token),
    /// A value of top-level key `key`: the item under the cursor, for a list.
    Value {
        /// The key.
        key: String,
        /// The value or item.
        value: Token,
    },
    /// The page part of a link.
    LinkPage(LinkSyntax, Token),
    /// The heading part of a link (after `#`) to the page written as `page` (empty for
    /// the page itself).
    LinkHeading {
        /// How the link is written.
        syntax: LinkSyntax,
        /// The page part as written.
        page: String,
        /// The heading part.
        heading: Token,
    },
    /// A heading line of the body, with its text.
    Heading(Token),
    /// A shortcode's name in a call.
    ShortcodeName(Token),
    /// An argument's name in a call of `shortcode`.
    ShortcodeArg {
        /// The shortcode called.
        shortcode: String,
        /// The argument's name.
        arg: Token,
    },
    /// A key of a query block (`kind`, `where`, `sort`, `limit`, `show`).
    QueryKey(Token),
    /// The kind a query block lists.
    QueryKind(Token),
    /// A field name in a query block's `where`, `sort` or `show`, of `kind` if written.
    QueryField {
        /// The block's kind, if it names one.
        kind: Option<String>,
        /// The field.
        field: Token,
    },
    /// Nothing muster knows of.
    Nothing,
}

/// What stands at byte `offset` of `text`, a page's whole source.
pub(super) fn spot_at(text: &str, offset: usize) -> Spot {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let column = (offset - line_start).min(line.len());
    if let Ok(split) = split_front_matter(text) {
        let matter_end = split.matter_offset + split.matter.len();
        if split.format != MatterFormat::None
            && (split.matter_offset..=matter_end).contains(&offset)
        {
            let separator = match split.format {
                MatterFormat::Toml => '=',
                _ => ':',
            };
            let matter = &text[split.matter_offset..line_start];
            return matter_spot(matter, (line, line_start), column, separator);
        }
    }
    if let Some(spot) = calls::query_spot(&text[..line_start], line, line_start, column) {
        return spot;
    }
    body_spot(line, line_start, column)
}

/// The spot in front matter line `line` (starting at byte `line_start`), with the
/// front matter's lines above it in `above`.
fn matter_spot(above: &str, (line, line_start): (&str, usize), column: usize, sep: char) -> Spot {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if trimmed.starts_with('#') {
        return Spot::Nothing;
    }
    if indent > 0 || trimmed.starts_with('-') {
        // A list item of the last top-level key: `  - russia`.
        let Some(item) = trimmed.strip_prefix('-') else {
            return Spot::Nothing;
        };
        let Some(key) = above.lines().rev().find_map(|l| top_level_key(l, sep)) else {
            return Spot::Nothing;
        };
        let from = line.len() - item.len();
        return Spot::Value {
            key: key.to_string(),
            value: Token::new(line, line_start, unquoted(line, from..line.len())),
        };
    }
    match line.find(sep) {
        Some(at) if column > at => Spot::Value {
            key: line[..at].trim().to_string(),
            value: Token::new(line, line_start, value_around(line, at + 1, column)),
        },
        _ => {
            let end = line.find(sep).unwrap_or(line.len());
            let end = line[..end].trim_end().len();
            Spot::Key(Token::new(line, line_start, 0..end))
        }
    }
}

/// The key of a top-level front matter line, if it is one.
fn top_level_key(line: &str, sep: char) -> Option<&str> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, _) = line.split_once(sep)?;
    Some(key.trim()).filter(|k| !k.is_empty())
}

/// The value after byte `from` of `line`, or in a flow list (`[a, b]`) the item around
/// `column`: its range, unquoted.
fn value_around(line: &str, from: usize, column: usize) -> std::ops::Range<usize> {
    let value = &line[from..];
    let Some(open) = value.find('[').filter(|i| value[..*i].trim().is_empty()) else {
        return unquoted(line, from..line.len());
    };
    let list_start = from + open + 1;
    let list_end = line[list_start..]
        .find(']')
        .map_or(line.len(), |i| list_start + i);
    let column = column.clamp(list_start, list_end);
    let start = line[list_start..column]
        .rfind(',')
        .map_or(list_start, |i| list_start + i + 1);
    let end = line[column..list_end]
        .find(',')
        .map_or(list_end, |i| column + i);
    unquoted(line, start..end)
}

/// `range` of `line` without surrounding spaces and quotes, nor a trailing comment.
fn unquoted(line: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let text = &line[range.clone()];
    let text = text.split(" #").next().unwrap_or(text);
    let start = range.start + (text.len() - text.trim_start().len());
    let mut inner = text.trim();
    let mut start = start;
    for quote in ['"', '\''] {
        if let Some(rest) = inner.strip_prefix(quote) {
            inner = rest.strip_suffix(quote).unwrap_or(rest);
            start += 1;
            break;
        }
    }
    start..start + inner.len()
}

/// The spot in body line `line`, at byte `column` of it.
fn body_spot(line: &str, line_start: usize, column: usize) -> Spot {
    if let Some(spot) = calls::shortcode_spot(line, line_start, column) {
        return spot;
    }
    let before = &line[..column];
    if let Some(open) = before.rfind("[[").filter(|&i| !before[i..].contains("]]")) {
        let inner_start = open + 2;
        let inner_end = line[inner_start..]
            .find("]]")
            .map_or(line.len(), |i| inner_start + i);
        return link_spot(
            LinkSyntax::Wiki,
            line,
            line_start,
            inner_start..inner_end,
            column,
        );
    }
    if let Some(open) = before.rfind("(@/").filter(|&i| !before[i..].contains(')')) {
        let inner_start = open + 1;
        let inner_end = line[inner_start..]
            .find([')', ' '])
            .map_or(line.len(), |i| inner_start + i);
        return link_spot(
            LinkSyntax::At,
            line,
            line_start,
            inner_start..inner_end,
            column,
        );
    }
    let hashes = line.len() - line.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        let title = line[hashes..].trim();
        let start = line.len() - line[hashes..].trim_start().len();
        return Spot::Heading(Token::new(line, line_start, start..start + title.len()));
    }
    Spot::Nothing
}

/// The part of the link whose inside is `inner` of `line` that `column` is in.
fn link_spot(
    syntax: LinkSyntax,
    line: &str,
    line_start: usize,
    inner: std::ops::Range<usize>,
    column: usize,
) -> Spot {
    let text = &line[inner.clone()];
    // The text after `|` is what the link shows; the link's target is before it.
    let target_end = inner.start + text.find('|').unwrap_or(text.len());
    let page_end = inner.start
        + text[..target_end - inner.start]
            .find('#')
            .unwrap_or(target_end - inner.start);
    if column > page_end && column <= target_end {
        return Spot::LinkHeading {
            syntax,
            page: line[inner.start..page_end].trim().to_string(),
            heading: Token::new(line, line_start, page_end + 1..target_end),
        };
    }
    Spot::LinkPage(syntax, Token::new(line, line_start, inner.start..page_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spot at `|` in `text`, which is left out.
    fn at(text: &str) -> Spot {
        let offset = text.find('|').unwrap();
        spot_at(&text.replacen('|', "", 1), offset)
    }

    fn token(spot: &Spot) -> &str {
        match spot {
            Spot::Key(t) | Spot::LinkPage(_, t) | Spot::Heading(t) => &t.text,
            Spot::ShortcodeName(t) | Spot::QueryKey(t) | Spot::QueryKind(t) => &t.text,
            Spot::ShortcodeArg { arg, .. } => &arg.text,
            Spot::QueryField { field, .. } => &field.text,
            Spot::Value { value, .. } => &value.text,
            Spot::LinkHeading { heading, .. } => &heading.text,
            Spot::Nothing => "",
        }
    }

    #[test]
    fn keys_and_values_of_front_matter() {
        let spot = at("---\ntitle: Drill\nparti|\n---\nBody\n");
        assert_eq!(
            spot,
            Spot::Key(Token {
                start: 17,
                end: 22,
                text: "parti".into()
            })
        );
        let spot = at("---\nhost: \"kaz|akhstan\"\n---\n");
        assert!(matches!(&spot, Spot::Value { key, .. } if key == "host"));
        assert_eq!(token(&spot), "kazakhstan");
        let spot = at("---\nparticipants: [russia, bela|rus ]\n---\n");
        assert_eq!(token(&spot), "belarus");
        let spot = at("---\nparticipants:\n  - russia\n  - 'arm|'\n---\n");
        assert!(matches!(&spot, Spot::Value { key, .. } if key == "participants"));
        assert_eq!(token(&spot), "arm");
        assert_eq!(at("---\ndates:\n  start: 2024|\n---\n"), Spot::Nothing);
        let spot = at("+++\nhost = \"rus|\"\n+++\n");
        assert_eq!(token(&spot), "rus");
    }

    #[test]
    fn parts_of_links_in_the_body() {
        let spot = at("---\ntitle: A\n---\nSee [[rus|sia#History|the country]].\n");
        assert!(matches!(&spot, Spot::LinkPage(LinkSyntax::Wiki, t) if t.text == "russia"));
        let spot = at("---\ntitle: A\n---\nSee [[russia#Hist|ory]] and more\n");
        assert!(matches!(&spot, Spot::LinkHeading { page, .. } if page == "russia"));
        assert_eq!(token(&spot), "History");
        let spot = at("---\ntitle: A\n---\nSee [it](@/members/r|ussia.md \"t\").\n");
        assert!(
            matches!(&spot, Spot::LinkPage(LinkSyntax::At, t) if t.text == "@/members/russia.md")
        );
        let spot = at("---\ntitle: A\n---\nSee [[unfinished|\n");
        assert_eq!(token(&spot), "unfinished");
        assert_eq!(
            at("---\ntitle: A\n---\nSee [[a]] and |this\n"),
            Spot::Nothing
        );
        assert_eq!(token(&at("---\ntitle: A\n---\n## His|tory\n")), "History");
    }
}
