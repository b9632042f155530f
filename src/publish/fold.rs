//! Text folded for search: lower-cased, Latin, Greek and Cyrillic transliterated to
//! ASCII letters (the browser gets the same table), and cut into words.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::words::words;

/// Unicode blocks transliterated to Latin letters: Latin-1 and Latin Extended
/// (accents), Greek and Cyrillic.
const TRANSLITERATED: [(u32, u32); 4] = [
    (0x00C0, 0x024F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
];

/// The Latin spelling of `c` if it lies in a transliterated block, as `deunicode` gives
/// it (letters, digits and sometimes spaces or marks, which `push_transliterated` drops).
fn latin_of(c: char) -> Option<&'static str> {
    let code = c as u32;
    if !TRANSLITERATED
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&code))
    {
        return None;
    }
    deunicode::deunicode_char(c)
}

/// Appends the letters and digits of `latin`, lower-cased: no string made per character.
fn push_transliterated(out: &mut String, latin: &str) {
    out.extend(
        latin
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
    );
}

/// `text` lower-cased and transliterated, as terms are stored and queries compared.
pub(crate) fn fold(text: &str) -> String {
    // Most text is ASCII: lower-case it in one go.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Runs of ASCII between other characters are lower-cased in one go: a page mostly
    // in English with one name in Cyrillic costs what an English page does.
    while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
        push_ascii_lowercase(&mut out, &rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        if let Some(latin) = latin_of(c) {
            push_transliterated(&mut out, latin);
        } else {
            out.extend(c.to_lowercase());
        }
        rest = &rest[at + c.len_utf8()..];
    }
    push_ascii_lowercase(&mut out, rest);
    out
}

/// Appends ASCII `run`, lower-cased.
fn push_ascii_lowercase(out: &mut String, run: &str) {
    let start = out.len();
    out.push_str(run);
    out[start..].make_ascii_lowercase();
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
        .filter_map(|c| {
            let mut latin = String::new();
            push_transliterated(&mut latin, latin_of(c)?);
            Some((c.to_string(), latin))
        })
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
