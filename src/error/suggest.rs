//! Names suggested in hints: "did you mean" the closest known name, the nearest few,
//! or the first few of many.

/// The first `shown` of `names` in backticks, then how many more: "`a`, `b` and 3 more",
/// for messages that name what is missing without listing thousands.
pub(crate) fn some_of<'a>(names: impl ExactSizeIterator<Item = &'a str>, shown: usize) -> String {
    let total = names.len();
    let first: Vec<String> = names.take(shown).map(|n| format!("`{n}`")).collect();
    match total - first.len() {
        0 => first.join(", "),
        more => format!("{} and {more} more", first.join(", ")),
    }
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.88)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A hint for a misspelt `word`: "did you mean" the closest of `candidates`, else
/// `known` followed by all of them (`"its fields are "`).
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    known: &str,
) -> String {
    match closest(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!(
            "{known}{}",
            candidates.into_iter().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The `n` of `candidates` nearest to `word`, nearest first, for hints that name a few
/// when none is close enough for "did you mean".
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (strsim::jaro_winkler(word, c), i, c))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}
