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

/// The words of already folded text: runs of letters and digits, two characters or more.
pub(super) fn words(folded: &str) -> Words<'_> {
    Words {
        text: folded,
        pos: 0,
    }
}

/// Each ASCII byte's class for [`Words`]: 0 a separator, 1 a letter or digit; 2 marks
/// the bytes of other characters, which are decoded.
const CLASS: [u8; 256] = {
    let mut class = [2u8; 256];
    let mut byte = 0;
    while byte < 128 {
        class[byte] = (byte as u8).is_ascii_alphanumeric() as u8;
        byte += 1;
    }
    class
};

/// The words of folded text, as `text.split(|c: char| !c.is_alphanumeric())` with words
/// of one character left out, but stepping over ASCII a byte at a time by a table:
/// folded text is mostly ASCII, and splitting it was a tenth of a build's search index.
pub(super) struct Words<'t> {
    text: &'t str,
    pos: usize,
}

impl Words<'_> {
    /// Whether the character that starts at byte `pos` (not ASCII) is a letter or digit,
    /// and its length in bytes.
    #[cold]
    fn other(&self, pos: usize) -> (bool, usize) {
        let c = self.text[pos..].chars().next().unwrap_or_default();
        (c.is_alphanumeric(), c.len_utf8())
    }
}

impl<'t> Iterator for Words<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let class = |pos: usize| CLASS[usize::from(bytes[pos])];
        let mut pos = self.pos;
        loop {
            let start = loop {
                while pos < bytes.len() && class(pos) == 0 {
                    pos += 1;
                }
                if pos == bytes.len() {
                    self.pos = pos;
                    return None;
                }
                if class(pos) == 1 {
                    break pos;
                }
                match self.other(pos) {
                    (true, _) => break pos,
                    (false, len) => pos += len,
                }
            };
            let mut all_ascii = true;
            loop {
                while pos < bytes.len() && class(pos) == 1 {
                    pos += 1;
                }
                if pos == bytes.len() || class(pos) == 0 {
                    break;
                }
                match self.other(pos) {
                    (true, len) => pos += len,
                    (false, _) => break,
                }
                all_ascii = false;
            }
            let word = &self.text[start..pos];
            // Two bytes are two characters only if all are ASCII.
            if pos - start >= 2 && (all_ascii || word.chars().nth(1).is_some()) {
                self.pos = pos;
                return Some(word);
            }
        }
    }
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
    fn words_are_runs_of_two_letters_or_digits_or_more() {
        let found: Vec<&str> = words(" ab  c de-fg_h1 23 é xy½ ").collect();
        assert_eq!(found, ["ab", "de", "fg", "h1", "23", "xy½"]);
        let found: Vec<&str> = words("яя ж—éé a’b 1½").collect();
        assert_eq!(found, ["яя", "éé", "1½"]);
    }

    proptest::proptest! {
        /// The table-driven split finds the words the standard split does, in any text.
        #[test]
        fn words_are_those_of_the_standard_split(text in "([a-z0-9 .,_-]|[éяß½—’\u{1F600}\u{0301}]){0,40}") {
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().nth(1).is_some())
                .collect();
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), expected);
        }
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
