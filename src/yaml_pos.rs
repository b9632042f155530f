//! Finds where a key or value sits in YAML text, for error messages only.
//!
//! yaml_serde does not expose node positions, so once a value has been found
//! invalid we look its key up in the text. This runs only on the error path.

/// The byte offset of the key at `path` (top-level key first) in `yaml`, or of
/// the deepest ancestor found.
pub(crate) fn locate_key(yaml: &str, path: &[&str]) -> Option<usize> {
    let mut found = None;
    let mut from = 0;
    let mut parent_indent: Option<usize> = None;
    for key in path {
        match find_key(yaml, key, from, parent_indent) {
            Some((offset, indent)) => {
                found = Some(offset);
                from = offset + key.len();
                parent_indent = Some(indent);
            }
            None => break,
        }
    }
    found
}

/// The byte offset of `value` written under the top-level `key`, falling back
/// to the key itself.
pub(crate) fn locate_value(yaml: &str, key: &str, value: &str) -> Option<usize> {
    let key_at = locate_key(yaml, &[key])?;
    let block_end = next_top_level_line(yaml, key_at).unwrap_or(yaml.len());
    let block = &yaml[key_at..block_end];
    let after_colon = block.find(':').map_or(0, |i| i + 1);
    let mut search = after_colon;
    while let Some(i) = block[search..].find(value) {
        let start = search + i;
        let end = start + value.len();
        let before_ok = block[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c));
        let after_ok = block[end..].chars().next().is_none_or(|c| !is_word(c));
        if before_ok && after_ok {
            return Some(key_at + start);
        }
        search = end;
    }
    Some(key_at)
}

/// The byte offset of the value of the top-level `key` when it starts on the key's
/// line, else of the key.
pub(crate) fn locate_value_start(yaml: &str, key: &str) -> Option<usize> {
    let key_at = locate_key(yaml, &[key])?;
    let line_end = yaml[key_at..].find('\n').map_or(yaml.len(), |i| key_at + i);
    let line = &yaml[key_at..line_end];
    let Some(colon) = line.find(':') else {
        return Some(key_at);
    };
    let value = &line[colon + 1..];
    let start = value.len() - value.trim_start_matches([' ', '\t']).len();
    let rest = value[start..].trim_end_matches('\r');
    if rest.is_empty() || rest.starts_with('#') {
        Some(key_at)
    } else {
        Some(key_at + colon + 1 + start)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '/'
}

fn next_top_level_line(yaml: &str, from: usize) -> Option<usize> {
    let mut offset = yaml[from..].find('\n')? + from + 1;
    loop {
        let line_end = yaml[offset..].find('\n').map_or(yaml.len(), |i| offset + i);
        let line = &yaml[offset..line_end];
        if !line.is_empty() && !line.starts_with([' ', '\t', '-', '#', '\r']) {
            return Some(offset);
        }
        if line_end >= yaml.len() {
            return None;
        }
        offset = line_end + 1;
    }
}

/// Finds `key:` at or after `from`, either deeper than `parent_indent` on a
/// later line or inside a flow mapping on the same line.
fn find_key(
    yaml: &str,
    key: &str,
    from: usize,
    parent_indent: Option<usize>,
) -> Option<(usize, usize)> {
    // An empty key would match everywhere without moving on: look for it as written.
    if key.is_empty() {
        return find_key(yaml, "\"\"", from, parent_indent)
            .or_else(|| find_key(yaml, "''", from, parent_indent));
    }
    let mut search = from;
    while let Some(i) = yaml[search..].find(key) {
        let start = search + i;
        let end = start + key.len();
        search = end;
        let line_start = yaml[..start].rfind('\n').map_or(0, |p| p + 1);
        let prefix = &yaml[line_start..start];
        let after = yaml[end..]
            .strip_prefix(['"', '\''])
            .unwrap_or(&yaml[end..]);
        if !after.trim_start_matches(' ').starts_with(':') {
            continue;
        }
        let before = prefix.strip_suffix(['"', '\'']).unwrap_or(prefix);
        if before
            .chars()
            .next_back()
            .is_some_and(|c| !matches!(c, ' ' | '\t' | '{' | ',' | '-'))
        {
            continue;
        }
        let indent = prefix.len() - prefix.trim_start_matches([' ', '-']).len();
        let same_line = !yaml[from..start].contains('\n');
        match parent_indent {
            // A top-level key starts its line; `key:` further in is inside a value.
            None if !prefix.is_empty() => {}
            Some(p) if !same_line && indent <= p => {
                if prefix.trim_start_matches([' ', '-']).is_empty() {
                    return None; // left the parent's block
                }
            }
            _ => return Some((start, indent)),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "title: x\nkinds:\n  drill:\n    section: drills\n    fields:\n      host: { type: ref, kind: member }\n  member:\n    section: members\n";

    #[test]
    fn finds_nested_keys() {
        let at = locate_key(YAML, &["kinds", "member", "section"]).unwrap();
        assert!(YAML[at..].starts_with("section: members"));
        let at = locate_key(YAML, &["kinds", "drill", "fields", "host", "kind"]).unwrap();
        assert!(YAML[at..].starts_with("kind: member"));
    }

    #[test]
    fn top_level_keys_start_their_line() {
        let fm = "title: \"the host: x\"\nsummary: host: no\nhost: kz\n";
        let at = locate_key(fm, &["host"]).unwrap();
        assert!(fm[at..].starts_with("host: kz"), "{}", &fm[at..]);
    }

    #[test]
    fn falls_back_to_ancestor() {
        let at = locate_key(YAML, &["kinds", "drill", "nope"]).unwrap();
        assert!(YAML[at..].starts_with("drill:"));
    }

    #[test]
    fn an_empty_key_is_found_as_written_and_does_not_hang() {
        assert_eq!(locate_key("title: x\n: y\n", &[""]), None);
        assert_eq!(locate_value("title: x\n", "", "x"), None);
        assert_eq!(locate_key("title: x\n\"\": y\n", &[""]), Some(9));
        assert_eq!(locate_key("title: x\n'': y\n", &[""]), Some(9));
    }

    #[test]
    fn value_start_is_on_the_key_line_or_the_key() {
        let fm = "title: T\njoined:   soon # note\nlist: # items\n  - a\n";
        let at = locate_value_start(fm, "joined").unwrap();
        assert!(fm[at..].starts_with("soon"), "{}", &fm[at..]);
        let at = locate_value_start(fm, "list").unwrap();
        assert!(fm[at..].starts_with("list:"), "{}", &fm[at..]);
    }

    #[test]
    fn finds_values_in_lists() {
        let fm = "title: T\nparticipants:\n  - russia\n  - belarus\nhost: kazakhstan\n";
        let at = locate_value(fm, "participants", "belarus").unwrap();
        assert!(fm[at..].starts_with("belarus"));
        let at = locate_value(fm, "host", "kazakhstan").unwrap();
        assert!(fm[at..].starts_with("kazakhstan"));
        let at = locate_value(fm, "participants", "rus").unwrap();
        assert!(fm[at..].starts_with("participants"));
    }
}
