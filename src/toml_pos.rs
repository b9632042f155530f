//! Finds where a key or value sits in TOML front matter (`+++`), for error messages
//! only, as `yaml_pos` does for YAML: the values are checked after parsing, when the
//! parser's positions are gone, so the key is looked up in the text.

/// The byte offset of `key` in `toml`: a line `key = …` (bare or quoted) or a table
/// header `[key]`, wherever it is.
pub(crate) fn locate_key(toml: &str, key: &str) -> Option<usize> {
    lines(toml).find_map(|(at, line)| {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim_start();
        if let Some(header) = text.strip_prefix('[') {
            let name = header.trim_start_matches('[').split(']').next()?.trim();
            return (unquote(name) == key).then(|| at + indent + text.find(name).unwrap_or(0));
        }
        let (name, _) = text.split_once('=')?;
        (unquote(name.trim()) == key).then_some(at + indent)
    })
}

/// The byte offset of `value` written under `key` (a list item, say), else of the
/// value after `key =` (or the key itself, for a table).
pub(crate) fn locate_value(toml: &str, key: &str, value: Option<&str>) -> Option<usize> {
    let key_at = locate_key(toml, key)?;
    let line_end = toml[key_at..].find('\n').map_or(toml.len(), |i| key_at + i);
    let after_equals = toml[key_at..line_end]
        .find('=')
        .map(|i| key_at + i + 1)
        .map(|at| at + (toml[at..].len() - toml[at..].trim_start_matches([' ', '\t']).len()));
    let Some(value) = value else {
        return Some(after_equals.unwrap_or(key_at));
    };
    // The value as written, in the lines that follow until the next key (or, for a
    // table, until the next table).
    let line_start = toml[..key_at].rfind('\n').map_or(0, |i| i + 1);
    let is_table = toml[line_start..].trim_start().starts_with('[');
    let block_end = lines(&toml[line_end..])
        .skip(1)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.starts_with('[') || (!is_table && t.contains('=') && !t.starts_with(['"', '\'', ',']))
        })
        .map_or(toml.len(), |(at, _)| line_end + at);
    let from = after_equals.unwrap_or(key_at);
    toml[from..block_end]
        .find(value)
        .map(|i| from + i)
        .or(Some(from))
}

/// Each line of `text` with its byte offset.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

fn unquote(name: &str) -> &str {
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .or_else(|| name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_tables_are_found() {
        let toml = "title = \"A\"\n\"weight\" = x\n[taxonomies]\ntags = [\"csto\", \"bad..\"]\n[extra]\nk = 1\n";
        assert_eq!(locate_key(toml, "title"), Some(0));
        assert_eq!(
            locate_key(toml, "weight"),
            Some(toml.find("\"weight\"").unwrap())
        );
        assert_eq!(
            locate_key(toml, "taxonomies"),
            Some(toml.find("taxonomies").unwrap())
        );
        assert_eq!(locate_key(toml, "tags"), Some(toml.find("tags").unwrap()));
        assert_eq!(locate_key(toml, "missing"), None);
        assert_eq!(
            locate_value(toml, "title", None),
            Some(toml.find("\"A\"").unwrap())
        );
        assert_eq!(
            locate_value(toml, "tags", Some("bad..")),
            Some(toml.find("bad..").unwrap())
        );
        // Not past the next key.
        assert_eq!(
            locate_value(toml, "tags", Some("k")),
            Some(toml.find("[\"csto\"").unwrap())
        );
        // Within a table, up to the next table.
        assert_eq!(
            locate_value(toml, "taxonomies", Some("tags")),
            Some(toml.find("tags").unwrap())
        );
    }
}
