//! A site in two languages: translations beside their originals (`page.ru.md`), their
//! URLs under the language's folder, links and refs resolved in the page's language,
//! `hreflang` alternates, the language switcher and the sitemap; each part of it in one
//! module below, on the small site made here.

use crate::common::{CONFIG, TestSite};

mod links;
mod listings;
mod status;
mod untranslated;
mod words;

/// `CONFIG` with Russian as a second language.
pub(crate) fn config() -> String {
    format!(
        "{CONFIG}language: en\nlanguages:\n  en: {{ name: English }}\n  ru: {{ name: Русский }}\n"
    )
}

pub(crate) const DRILL: &str = "---\ntitle: Unbreakable Brotherhood\ndates: { start: 2024-09-26, end: 2024-09-30 }\nhost: kyrgyzstan\nparticipants: [kazakhstan, kyrgyzstan]\n---\nHosted by [[kyrgyzstan]], with [[kazakhstan]] and [Kazakhstan](@/members/kazakhstan.md).\n";

pub(crate) const DRILL_RU: &str = "---\ntitle: Нерушимое братство\ndates: { start: 2024-09-26, end: 2024-09-30 }\nhost: kyrgyzstan\nparticipants: [kazakhstan, kyrgyzstan]\n---\nПринимал [[kyrgyzstan]], вместе с [[kazakhstan]] и [Казахстан](@/members/kazakhstan.md).\n";

pub(crate) fn two_language_site() -> TestSite {
    two_language_site_with(&config())
}

/// The pages of [`two_language_site`] with the settings `config`.
pub(crate) fn two_language_site_with(config: &str) -> TestSite {
    TestSite::with_config(
        config,
        &[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("_index.ru.md", "---\ntitle: Главная\n---\n"),
            ("drills/brotherhood.md", DRILL),
            ("drills/brotherhood.ru.md", DRILL_RU),
            (
                "members/kyrgyzstan.md",
                "---\ntitle: Kyrgyzstan\n---\nA member.\n",
            ),
            (
                "members/kyrgyzstan.ru.md",
                "---\ntitle: Киргизия\n---\nЧлен.\n",
            ),
            (
                "members/kazakhstan.md",
                "---\ntitle: Kazakhstan\n---\nA member.\n",
            ),
        ],
    )
}

/// [`two_language_site`] with Russian showing the pages it lacks (`untranslated: notice`).
pub(crate) fn notice_site() -> TestSite {
    two_language_site_with(&format!(
        "{CONFIG}language: en\nlanguages:\n  ru: {{ name: Русский, untranslated: notice }}\n"
    ))
}

/// What `muster check` says, warnings included.
pub(crate) fn check(site: &TestSite) -> String {
    let out = site.run(&["check", "--color", "never"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every document title in the search index in `folder` of the output.
pub(crate) fn indexed_titles(site: &TestSite, folder: &str) -> Vec<String> {
    let meta: serde_json::Value =
        serde_json::from_str(&site.output(&format!("{folder}/meta.json"))).unwrap();
    let chunks = meta["docs"]
        .as_u64()
        .unwrap()
        .div_ceil(meta["docs_per_chunk"].as_u64().unwrap());
    (0..chunks)
        .flat_map(|n| {
            let rows: Vec<serde_json::Value> =
                serde_json::from_str(&site.output(&format!("{folder}/docs-{n}.json"))).unwrap();
            rows.into_iter()
                .map(|r| r[0].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Asserts that `html` holds `part`, showing `html` otherwise.
#[track_caller]
pub(crate) fn has(html: &str, part: &str) {
    assert!(html.contains(part), "{part:?} not in:\n{html}");
}

/// Asserts that `html` does not hold `part`, showing `html` otherwise.
#[track_caller]
pub(crate) fn lacks(html: &str, part: &str) {
    assert!(!html.contains(part), "{part:?} in:\n{html}");
}
