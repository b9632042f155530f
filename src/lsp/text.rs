//! Places in a document as LSP counts them (lines, and UTF-16 code units within a line)
//! against byte offsets and muster's 1-based lines and character columns; and file URIs.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};
use percent_encoding::{percent_decode_str, utf8_percent_encode};

/// The byte offset of `position` in `text`: past the end of a line is its end, past the
/// last line is the end of the text.
pub(super) fn offset_of(text: &str, position: Position) -> usize {
    let Some(start) = line_start(text, position.line as usize) else {
        return text.len();
    };
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    start + line.trim_end_matches('\r').len()
}

/// The position of byte `offset` of `text`.
pub(super) fn position_at(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// The range of bytes `start..end` of `text`.
pub(super) fn range_of(text: &str, start: usize, end: usize) -> Range {
    Range::new(position_at(text, start), position_at(text, end))
}

/// The byte offset of muster's 1-based `line` and character `column` in `text`.
pub(super) fn offset_of_place(text: &str, line: usize, column: usize) -> usize {
    let Some(start) = line_start(text, line.saturating_sub(1)) else {
        return text.len();
    };
    let rest = &text[start..];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Where 0-based `line` starts in `text`, if it has that many lines.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return Some(0);
    }
    memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(line - 1)
        .map(|i| i + 1)
}

/// The `file:` URI of absolute path `path`.
pub(super) fn uri_of(path: &Path) -> Uri {
    let text = path.to_string_lossy().replace('\\', "/");
    let slash = if text.starts_with('/') { "" } else { "/" };
    // The characters a URL path may not hold are those a `file:` URI may not either.
    let encoded = utf8_percent_encode(&text, crate::render::urls::NOT_IN_PATH);
    format!("file://{slash}{encoded}")
        .parse()
        .unwrap_or_else(|_| "file:///".parse().expect("a valid URI"))
}

/// The path a `file:` URI names; `None` for other schemes.
pub(super) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` and `file:///x` name the same file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = percent_decode_str(rest).decode_utf8().ok()?;
    // `/C:/x` on Windows.
    let path = match path.as_bytes() {
        [b'/', _, b':', ..] => path[1..].to_string(),
        _ => path.into_owned(),
    };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\nпр𝄞x\n";
        // `𝄞` is two UTF-16 units and four bytes.
        let x = text.find('x').unwrap();
        assert_eq!(position_at(text, x), Position::new(1, 4));
        assert_eq!(offset_of(text, Position::new(1, 4)), x);
        assert_eq!(offset_of(text, Position::new(1, 99)), x + 1);
        assert_eq!(offset_of(text, Position::new(9, 0)), text.len());
        assert_eq!(offset_of_place(text, 2, 4), x);
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/my site/content/a#b.md");
        let uri = uri_of(path);
        assert_eq!(uri.as_str(), "file:///tmp/my%20site/content/a%23b.md");
        assert_eq!(path_of(&uri).as_deref(), Some(path));
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
    }
}
