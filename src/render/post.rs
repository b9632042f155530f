//! What a post (a page of no kind, as a blog written for Zola or Hugo has) shows besides
//! its text: who wrote it, and the simple values of its other front matter keys.

use serde_json::Value as Json;
use tera::Value;

use super::values::object;

/// Extra keys not shown among a post's facts: the byline shows the authors; the others
/// are meant for templates or search engines, not readers.
const NOT_FACTS: &[&str] = &[
    "author",
    "authors",
    "image",
    "images",
    "keywords",
    "layout",
    "linkTitle",
    "params",
    "tag",
    "toc",
    "type",
];

/// Longest text value shown as a fact, and most items of a list: longer ones are data
/// for templates, not facts for readers.
const MAX_TEXT: usize = 120;
const MAX_ITEMS: usize = 10;

/// Who wrote a page, from its extra keys as other tools write them: Zola's and Hugo's
/// `authors` (a list) or a single `author`, a name or a list of names.
pub(super) fn authors(extra: &serde_json::Map<String, Json>) -> Value {
    let names: Vec<Value> = ["authors", "author"]
        .iter()
        .find_map(|key| extra.get(*key))
        .map(|v| match v {
            Json::String(s) => vec![s.as_str().into()],
            Json::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(Value::from))
                .collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    names.into()
}

/// The post's simple extra values, by key: `{ key, label, value }`, the value a
/// text (a list's items joined by commas); tables, long texts and long lists are left
/// to templates.
pub(super) fn extra_facts(extra: &serde_json::Map<String, Json>) -> Value {
    let facts: Vec<Value> = extra
        .iter()
        .filter(|(key, _)| !NOT_FACTS.contains(&key.as_str()))
        .filter_map(|(key, value)| {
            let shown = match value {
                Json::Array(items) if (1..=MAX_ITEMS).contains(&items.len()) => {
                    let texts: Option<Vec<String>> = items.iter().map(simple).collect();
                    texts?.join(", ")
                }
                other => simple(other)?,
            };
            Some(object([
                ("key", key.as_str().into()),
                ("label", label(key).into()),
                ("value", shown.into()),
            ]))
        })
        .collect();
    facts.into()
}

/// A scalar as readers see it, if it is short enough to be a fact.
fn simple(value: &Json) -> Option<String> {
    let text = match value {
        Json::String(s) => s.trim().to_string(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => if *b { "Yes" } else { "No" }.to_string(),
        _ => return None,
    };
    (!text.is_empty() && text.chars().count() <= MAX_TEXT && !text.contains('\n')).then_some(text)
}

/// A key as a label: `reading_level`, `reading-level` and `readingLevel` are all
/// "Reading level".
fn label(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut previous_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' {
            out.push(' ');
            previous_lower = false;
        } else if c.is_uppercase() && previous_lower {
            out.push(' ');
            out.extend(c.to_lowercase());
            previous_lower = false;
        } else {
            out.push(c);
            previous_lower = c.is_lowercase();
        }
    }
    let mut chars = out.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_labels() {
        assert_eq!(label("series"), "Series");
        assert_eq!(label("reading_level"), "Reading level");
        assert_eq!(label("reading-level"), "Reading level");
        assert_eq!(label("readingLevel"), "Reading level");
        assert_eq!(label("ISBN"), "ISBN");
    }

    #[test]
    fn only_short_simple_values_are_facts() {
        let extra: serde_json::Map<String, Json> = serde_json::from_str(
            r#"{"series": "Drills", "categories": ["news", "csto"], "pages": 12,
                "featured": true, "author": "A. Writer", "params": {"k": 1},
                "notes": "one\ntwo", "empty": "", "mixed": ["a", {"b": 1}]}"#,
        )
        .unwrap();
        let facts = serde_json::to_value(extra_facts(&extra)).unwrap();
        let keys: Vec<&str> = facts
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["categories", "featured", "pages", "series"]);
        assert_eq!(facts[0]["value"], "news, csto");
        assert_eq!(facts[1]["value"], "Yes");
        assert_eq!(facts[2]["label"], "Pages");
    }
}
