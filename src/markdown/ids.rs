//! Heading ids: how a heading's text becomes the anchor a link points to, and how
//! repeats are numbered. GitHub's scheme is the default (what GitHub, Hugo's goldmark
//! and rehype-slug give the same heading); Zola's is the other choice.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// How heading text becomes an id (`heading_ids:` in site.yaml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdScheme {
    /// GitHub's: lower-cased, spaces made `-`, punctuation and symbols dropped, letters of
    /// every script kept (`## Нерушимое братство!` → `нерушимое-братство`).
    #[default]
    Github,
    /// Zola's: the slug of the text, in Latin letters (`nerushimoe-bratstvo`).
    Zola,
}

impl IdScheme {
    /// The id of a heading whose text is `title` (before numbering repeats); `section`
    /// when nothing is left of it.
    pub fn id(self, title: &str) -> String {
        let id = match self {
            IdScheme::Github => github_id(title),
            IdScheme::Zola => slug::slugify(title),
        };
        if id.is_empty() {
            "section".to_string()
        } else {
            id
        }
    }
}

/// GitHub's heading id: each character lower-cased; letters, digits, `-` and `_` kept;
/// each space a `-`; everything else dropped.
fn github_id(title: &str) -> String {
    title
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The heading ids of a page so far, and for each base id the next counter to try,
/// so that 20,000 headings of one title cost 20,000 steps, not 200 million.
#[derive(Debug, Default)]
pub(crate) struct UsedIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UsedIds {
    /// `base` if free, else `base-1`, `base-2`, … (as GitHub numbers repeated headings).
    pub(crate) fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            // Taken only by an explicit `{#base-2}`: each number is tried once per page.
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_ids_as_github_makes_them() {
        // What github-slugger (GitHub, rehype-slug) and goldmark's github ids give.
        for (title, id) in [
            ("Hello World", "hello-world"),
            ("Hello, World!", "hello-world"),
            ("API v2.0 (beta)", "api-v20-beta"),
            ("C++ & Rust", "c--rust"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Нерушимое братство", "нерушимое-братство"),
            ("  Trim me  ", "trim-me"),
            ("What's new?", "whats-new"),
            ("2024: the drill", "2024-the-drill"),
            ("Ünïcödé", "ünïcödé"),
            ("!!!", "section"),
        ] {
            assert_eq!(IdScheme::Github.id(title), id, "{title}");
        }
        assert_eq!(
            IdScheme::Zola.id("Нерушимое братство"),
            "nerushimoe-bratstvo"
        );
        assert_eq!(IdScheme::Zola.id("C++ & Rust"), "c-rust");
    }
}
