//! Word forms for search: a light suffix-stripping stemmer for English and Russian,
//! applied to folded (lower-cased, transliterated) words. Its rules are data, written
//! into `search/meta.json`, so the browser strips queries exactly as this does: one
//! algorithm on both sides, where a Snowball stemmer here and another in JavaScript
//! could disagree. A stem is always a prefix of its word, so a query's stem finds
//! every indexed form of the word by prefix.

/// A stem keeps at least this many characters: `units` → `unit`, but `area` stays.
pub(crate) const MIN_STEM: usize = 4;

/// Endings stripped, longest first: English inflections and common derivations, then
/// Russian case endings as they read transliterated (`братства` → `bratstva`).
pub(crate) const SUFFIXES: &[&str] = &[
    // English
    "ations", "ation", "ingly", "ments", "ment", "ness", "ings", "ing", "edly", "ers", "ies", "ied",
    "er", "ed", "es", "ly", "s",
    // Russian, as deunicode transliterates them (я → ia, ю → iu, й → i, х → kh)
    "iiami", "iiakh", "iaia", "iuiu", "iami", "iakh", "ogo", "ego", "omu", "emu", "ykh", "ikh",
    "ymi", "imi", "iia", "iiu", "iem", "aia", "uiu", "iam", "ami", "akh", "ii", "ie", "ia", "iu",
    "oe", "ee", "ye", "oi", "ei", "yi", "ov", "ev", "om", "em", "am", "ym", "im", "a", "e", "i",
    "o", "u", "y",
];

/// The endings longest first, as the browser applies them (first match wins).
pub(crate) fn ordered_suffixes() -> Vec<&'static str> {
    let mut all = SUFFIXES.to_vec();
    all.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    all.dedup();
    all
}

/// The stem of a folded word (the reference the browser's `stem` in search.js follows,
/// from the same data): without the longest ending that leaves [`MIN_STEM`]
/// characters.
#[cfg(test)]
pub(crate) fn stem<'w>(word: &'w str, suffixes: &[&str]) -> &'w str {
    let chars = word.chars().count();
    suffixes
        .iter()
        .find(|s| word.ends_with(**s) && chars - s.chars().count() >= MIN_STEM)
        .map_or(word, |s| &word[..word.len() - s.len()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::fold::fold;

    fn stems(words: &[&str]) -> Vec<String> {
        let suffixes = ordered_suffixes();
        words
            .iter()
            .map(|w| stem(&fold(w), &suffixes).to_string())
            .collect()
    }

    #[test]
    fn forms_of_a_word_share_a_stem_that_prefixes_each() {
        for forms in [
            &["peacekeepers", "peacekeeper", "peacekeeping"][..],
            &["drills", "drill", "drilling"],
            &["operations", "operation"],
            &["братство", "братства", "братству", "братством"],
            &["учения", "учение", "учений"],
        ] {
            let s = stems(forms);
            assert!(s.windows(2).all(|w| w[0] == w[1]), "{forms:?}: {s:?}");
            for form in forms {
                assert!(fold(form).starts_with(&s[0]), "{form} {s:?}");
            }
        }
    }

    #[test]
    fn stems_are_those_the_browser_test_expects() {
        // tests/browser/search.mjs asks the browser for the same four.
        assert_eq!(
            stems(&["peacekeepers", "братства", "units", "area"]),
            ["peacekeep", "bratstv", "unit", "area"]
        );
    }

    #[test]
    fn short_words_keep_their_form() {
        assert_eq!(
            stems(&["un", "area", "unit", "csto"]),
            ["un", "area", "unit", "csto"]
        );
    }
}
