//! Diagnostics from YAML that does not parse or does not fit its shape (site.yaml,
//! front matter): located at the offending key where the parser's position is only
//! the enclosing mapping, and with a hint for the usual causes.

use std::path::Path;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind, did_you_mean};

/// Turns a YAML error message into a diagnostic, adding a "did you mean" for unknown fields.
pub(crate) fn yaml_error(message: &str, file: &Path, text: &str, offset: usize) -> Diagnostic {
    // yaml_serde appends " at line X column Y"; the location is shown separately.
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    if let Some(d) = unclosed_bracket(message, file, text, offset)
        .or_else(|| in_writers_words(message, file, text, offset))
    {
        return d;
    }
    // yaml_serde points a duplicate key at its mapping; point at the repeat instead.
    let duplicate = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.strip_suffix('"'));
    // And a key a mapping may not have at the mapping; point at the key itself.
    let unknown = message
        .split("unknown field `")
        .nth(1)
        .and_then(|rest| rest.split_once('`'))
        .map(|(key, _)| key);
    let offset = duplicate
        .and_then(|key| second_key_line(text, offset, key))
        .or_else(|| unknown.and_then(|key| key_in_block(text, offset, key)))
        .unwrap_or(offset);
    let d = Diagnostic::new(kind_of(file), message.to_string()).at_offset(file, text, offset);
    if let Some(key) = duplicate {
        d.hint(format!(
            "`{key}` may appear only once: remove or merge the repeated key"
        ))
    } else if message.contains("levels deep") {
        d.hint("write the value with fewer brackets inside brackets: front matter values rarely need more than two levels")
    } else if let Some(hint) = field_declaration_hint(message) {
        d.hint(hint)
    } else if let Some(hint) = unknown_field_hint(message) {
        d.hint(hint)
    } else if message.contains("tab") || text.get(offset..).is_some_and(|t| t.starts_with('\t')) {
        d.hint("YAML indentation must use spaces, not tabs")
    } else if text
        .get(offset..)
        .is_some_and(|t| t.starts_with("```") || t.starts_with("~~~"))
    {
        // The front matter was never closed, so a `---` inside the body's code block closed it.
        d.hint("the front matter ends at the first `---` line: close it with `---` before the body")
    } else {
        d.hint("check the YAML syntax: `key: value`, lists as `- item` or `[a, b]`, indentation with spaces")
    }
}

/// Errors in site.yaml are its own kind; in a page, front matter errors.
fn kind_of(file: &Path) -> ErrorKind {
    if file.ends_with(SiteConfig::FILE) {
        ErrorKind::Config
    } else {
        ErrorKind::FrontMatter
    }
}

/// For "did not find expected ',' or ']'" (or `'}'`): the parser gives up where the
/// text goes on without the bracket closed, often lines later; the writer's error is the
/// bracket left open, so the diagnostic points there and says where reading stopped.
fn unclosed_bracket(message: &str, file: &Path, text: &str, offset: usize) -> Option<Diagnostic> {
    let wanted = match message {
        "did not find expected ',' or ']'" => '[',
        "did not find expected ',' or '}'" => '{',
        _ => return None,
    };
    let open = open_brackets(text.get(..offset)?)
        .into_iter()
        .rev()
        .find(|&(_, c)| c == wanted)?;
    let stopped = crate::error::Location::at_offset(file, text, offset);
    let (what, close, example) = match wanted {
        '[' => ("list", ']', "`tags: [a, b]`"),
        _ => (
            "mapping",
            '}',
            "`dates: { start: 2024-09-26, end: 2024-10-07 }`",
        ),
    };
    Some(
        Diagnostic::new(
            kind_of(file),
            format!("this `{wanted}` opens a {what} that is never closed with `{close}`"),
        )
        .at_offset(file, text, open.0)
        .hint(format!(
            "close it with `{close}` on the same line, e.g. {example}, or quote a value that starts with `{wanted}`; the YAML reader gave up at line {}, column {}",
            stopped.line, stopped.column
        )),
    )
}

/// The parser's words for the usual slips, said as a writer would: a line indented
/// under a value, `: ` inside a value, a value starting with a character YAML reserves,
/// a quote never closed.
fn in_writers_words(message: &str, file: &Path, text: &str, offset: usize) -> Option<Diagnostic> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default();
    let indent = line.len() - line.trim_start_matches(' ').len();
    let located = |message: String, at: usize, hint: String| {
        Some(
            Diagnostic::new(kind_of(file), message)
                .at_offset(file, text, at)
                .hint(hint),
        )
    };
    match message {
        "mapping values are not allowed in this context" if indent > 0 => {
            let key = line.trim_start().split(':').next().unwrap_or_default();
            located(
                format!("`{key}:` is indented, so YAML reads it as part of the value above"),
                line_start + indent,
                format!(
                    "indent `{key}:` as the keys it belongs with: at the first column for a page's own keys"
                ),
            )
        }
        "mapping values are not allowed in this context" => {
            let (key, value) = line.split_once(':')?;
            let value = value.trim();
            located(
                format!("the value of `{key}` holds `: `, which YAML reads as another key"),
                offset,
                format!(
                    "put the value in quotes: `{key}: \"{}\"`",
                    value.replace('"', "\\\"")
                ),
            )
        }
        "found character that cannot start any token" => {
            let c = text[offset..].chars().next()?;
            let (key, value) = line.split_once(':')?;
            located(
                format!("a value cannot start with `{c}` unless it is in quotes"),
                offset,
                format!(
                    "put the value in quotes: `{key}: \"{}\"`",
                    value.trim().replace('"', "\\\"")
                ),
            )
        }
        "found unexpected end of stream" => {
            let (at, quote) = unclosed_quote(text.get(..offset)?)?;
            located(
                format!("this `{quote}` opens a quoted value that is never closed"),
                at,
                format!("close it with `{quote}` at the end of the value, on the same line"),
            )
        }
        _ => None,
    }
}

/// The quote (`"` or `'`) left open at the end of `text`, with its offset: quotes
/// open a value only after `: `, `- `, `[`, `{` or `,`.
fn unclosed_quote(text: &str) -> Option<(usize, char)> {
    let mut open: Option<(usize, char)> = None;
    let mut previous = ' ';
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (_, '\n') if open.is_none() => in_comment = false,
            _ if in_comment => {}
            (Some((_, q)), c) if c == q => open = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(previous, ' ' | '[' | '{' | ',') => open = Some((i, c)),
            (None, '#') if previous.is_whitespace() => in_comment = true,
            _ => {}
        }
        previous = c;
    }
    open
}

/// The flow brackets `[` and `{` still open at the end of `text` (outside quotes and
/// comments), with their offsets, outermost first.
fn open_brackets(text: &str) -> Vec<(usize, char)> {
    let mut open = Vec::new();
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for (i, c) in text.char_indices() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if !previous.is_alphanumeric() => quote = Some(c),
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '[' | '{') => open.push((i, c)),
            (None, ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
        previous = c;
    }
    open
}

/// The offset of the second line at the indentation of `from` that starts with `key:`.
fn second_key_line(text: &str, from: usize, key: &str) -> Option<usize> {
    let line_start = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..from];
    let needle = format!("\n{indent}{key}:");
    let mut starts = std::iter::once(line_start)
        .filter(|&s| text[s..].starts_with(&format!("{indent}{key}:")))
        .chain(
            text[line_start..]
                .match_indices(&needle)
                .map(|(i, _)| line_start + i + 1),
        );
    starts.nth(1).map(|s| s + indent.len())
}

/// The offset of `key:` inside the mapping that starts at `from` (a flow mapping on its
/// line, or the block of lines indented below it).
fn key_in_block(text: &str, from: usize, key: &str) -> Option<usize> {
    let line_start = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let base = indent(&text[line_start..]);
    let mut at = line_start;
    for (n, line) in text[line_start..].split_inclusive('\n').enumerate() {
        if n > 0 && !line.trim().is_empty() && indent(line) <= base {
            break;
        }
        let found = line.match_indices(key).find(|(i, _)| {
            let before = line[..*i].chars().next_back();
            line[i + key.len()..].starts_with(':')
                && before.is_none_or(|c| c == ' ' || c == '{' || c == ',')
        });
        if let Some((i, _)) = found {
            return Some(at + i);
        }
        at += line.len();
    }
    None
}

/// Hints for a field declared in site.yaml with a key its type does not take or
/// without one it needs.
fn field_declaration_hint(message: &str) -> Option<&'static str> {
    let unknown = |key: &str| message.contains(&format!("unknown field `{key}`"));
    if message.contains("missing field `kind`") {
        Some(
            "a `ref` or `refs` field names the kind of page it points to: add `kind:` with one of the kinds of site.yaml",
        )
    } else if message.contains("missing field `values`") || message.contains("at least one value") {
        Some("list the allowed values: `values: [a, b]`")
    } else if unknown("kind") || unknown("inverse") {
        Some(
            "only `ref` and `refs` fields point to a kind and have an inverse; set `type: ref` or remove the key",
        )
    } else if unknown("values") {
        Some("only `enum` fields have values; set `type: enum` or remove `values:`")
    } else {
        None
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant"), a
/// "did you mean" hint.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message
        .split("unknown field `")
        .nth(1)
        .or_else(|| message.split("unknown variant `").nth(1))?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    Some(did_you_mean(
        field,
        expected.iter().copied(),
        "known keys: ",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let text = "---\ntitle: [Kazakhstan\norganization: csto\n---\n";
        let at = text.find("organization").unwrap() + 12;
        let d = yaml_error(
            "did not find expected ',' or ']' at line 3 column 13",
            Path::new("content/members/kz.md"),
            text,
            at,
        );
        let location = d.location.as_ref().unwrap();
        assert_eq!((location.line, location.column), (2, 8));
        assert!(d.message.contains("never closed with `]`"), "{}", d.message);
        assert!(
            d.hint
                .as_ref()
                .unwrap()
                .contains("gave up at line 3, column 13")
        );
        // Brackets in quotes and comments, and closed ones, do not count.
        assert_eq!(
            unclosed_quote("a: 'x'\nb: \"it's\"\nc: \"open\nd: x"),
            Some((20, '"'))
        );
        assert_eq!(unclosed_quote("a: don't # it's\nb: 'x'"), None);
        let text = "a: \"[x\"  # [y\nb: [1, 2]\nc: {d: [e\n";
        assert_eq!(
            open_brackets(text),
            [
                (text.find('{').unwrap(), '{'),
                (text.rfind('[').unwrap(), '[')
            ]
        );
    }

    fn reported(matter: &str, message: &str, at: &str) -> Diagnostic {
        let text = format!("---\n{matter}\n---\n");
        let offset = text.find(at).unwrap();
        yaml_error(message, Path::new("content/n.md"), &text, offset)
    }

    #[test]
    fn the_usual_slips_are_said_as_a_writer_would() {
        let d = reported(
            "title: N\n  tags: [a]",
            "mapping values are not allowed in this context",
            ": [a]",
        );
        assert!(d.message.contains("`tags:` is indented"), "{}", d.message);
        assert_eq!(d.location.as_ref().unwrap().column, 3);
        let d = reported(
            "title: a: b",
            "mapping values are not allowed in this context",
            ": b",
        );
        assert!(d.message.contains("holds `: `"), "{}", d.message);
        assert!(
            d.hint.as_ref().unwrap().contains(r#"`title: "a: b"`"#),
            "{:?}",
            d.hint
        );
        let d = reported(
            "title: @home",
            "found character that cannot start any token",
            "@",
        );
        assert!(d.message.contains("cannot start with `@`"), "{}", d.message);
        assert!(
            d.hint.as_ref().unwrap().contains(r#"`title: "@home"`"#),
            "{:?}",
            d.hint
        );
        let d = reported(
            "title: \"Open\ntags: [a]",
            "found unexpected end of stream",
            "\n---",
        );
        assert!(
            d.message.contains("this `\"` opens a quoted value"),
            "{}",
            d.message
        );
        assert_eq!(d.location.as_ref().unwrap().line, 2);
    }
}
