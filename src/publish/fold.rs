//! Text folded for search: lower-cased, Latin, Greek and Cyrillic transliterated to
//! ASCII letters (the browser gets the same table), and cut into words.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

/// Unicode blocks transliterated to Latin letters: Latin-1 and Latin Extended
/// (accents), Greek and Cyrillic.
const TRANSLITERATED: [(u32, u32); 4] = [
    (0x00C0, 0x024F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
];

fn transliterated(c: char) -> Option<String> {
    let code = c as u32;
    if !TRANSLITERATED
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&code))
    {
        return None;
    }
    let latin = deunicode::deunicode_char(c)?;
    Some(
        latin
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect(),
    )
}

/// `text` lower-cased and transliterated, as terms are stored and queries compared.
pub(crate) fn fold(text: &str) -> String {
    // Most text is ASCII: lower-case it in one go.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(latin) = transliterated(c) {
            out.push_str(&latin);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The words of already folded text: runs of letters and digits, two characters or more.
pub(super) fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
}

/// The search terms of `text`: folded words of two characters or more.
#[cfg(test)]
pub(super) fn terms(text: &str) -> Vec<String> {
    words(&fold(text)).map(str::to_string).collect()
}

/// Adds `weight` to each word of `folded`; repeats add up to `cap` (or what the term already has).
pub(super) fn add_terms<'t>(
    weights: &mut FxHashMap<&'t str, u32>,
    folded: &'t str,
    weight: u32,
    cap: u32,
) {
    for term in words(folded) {
        let w = weights.entry(term).or_default();
        *w = (*w + weight).min(cap.max(*w));
    }
}

/// The transliteration table for the browser: every character of the blocks above.
pub(super) fn table() -> BTreeMap<String, String> {
    TRANSLITERATED
        .iter()
        .flat_map(|(lo, hi)| *lo..=*hi)
        .filter_map(char::from_u32)
        .filter_map(|c| Some((c.to_string(), transliterated(c)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_and_latin_fold_alike() {
        assert_eq!(fold("Братство"), "bratstvo");
        assert_eq!(fold("BRATSTVO"), "bratstvo");
        assert_eq!(fold("Café Ünïcode"), "cafe unicode");
        let t = terms("Нерушимое братство-2024, a b");
        assert_eq!(t, ["nerushimoe", "bratstvo", "2024"]);
    }

    #[test]
    fn table_matches_fold() {
        let table = table();
        assert_eq!(table.get("б").map(String::as_str), Some("b"));
        assert_eq!(table.get("щ").map(String::as_str), Some("shch"));
        for (c, latin) in &table {
            assert_eq!(&fold(c), latin);
        }
    }
}
