//! A look at YAML text before it is parsed, for what the parser handles badly: flow
//! collections nested thousands deep (`x: [[[[…`) make the YAML scanner slow down
//! with the square of the depth (100,000 levels took 75 s), so they are refused first.

/// Deepest flow nesting (`[` and `{`) accepted; real front matter rarely passes 3.
pub(crate) const MAX_FLOW_DEPTH: usize = 64;

/// The byte offset of the first `[` or `{` that opens a flow collection deeper than
/// [`MAX_FLOW_DEPTH`], if any. One pass; quoted scalars and comments are skipped, and
/// brackets inside plain text (`title: a[1]`) are not counted.
pub(crate) fn too_deep(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    // Whether a value (and so a flow collection or a quoted scalar) may start here.
    let mut value_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let spaced = |c: Option<u8>| matches!(c, None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        match b {
            b'\n' => value_start = true,
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'[' | b'{' if value_start => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                value_start = false;
            }
            b',' if depth > 0 => value_start = true,
            b':' | b'-' | b'?' if spaced(next) => value_start = true,
            b'"' | b'\'' if value_start => {
                i = quoted_end(bytes, i);
                value_start = false;
            }
            _ => value_start = false,
        }
        i += 1;
    }
    None
}

/// The offset of the quote closing the scalar opened at `start` (or the end).
fn quoted_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            // `''` is a quote inside a single-quoted scalar.
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == quote => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_where_it_passes_the_limit() {
        let deep = format!(
            "title: T\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(
            too_deep(&deep),
            Some("title: T\nx: ".len() + MAX_FLOW_DEPTH)
        );
        let map = format!("x: {}", "{a: ".repeat(MAX_FLOW_DEPTH + 1));
        assert!(too_deep(&map).is_some());
        let ok = format!(
            "x: {}{}",
            "[".repeat(MAX_FLOW_DEPTH),
            "]".repeat(MAX_FLOW_DEPTH)
        );
        assert_eq!(too_deep(&ok), None);
    }

    #[test]
    fn brackets_in_text_quotes_and_comments_do_not_count() {
        let text = "[".repeat(200);
        for yaml in [
            format!("title: a{text}\n"),
            format!("title: \"{text}\"\n"),
            format!("title: '{text}'\n"),
            format!("title: 'it''s {text}'\n"),
            format!("title: x # {text}\n"),
            format!("# {text}\ntitle: x\n"),
            format!("tags: [a, \"b{text}\", c]\n"),
        ] {
            assert_eq!(too_deep(&yaml), None, "{yaml}");
        }
    }
}
