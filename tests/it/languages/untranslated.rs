//! `untranslated: notice`: the pages a language lacks, shown in it with a notice.

use crate::common::CONFIG;

use super::{check, has, indexed_titles, lacks, two_language_site_with};

#[test]
fn untranslated_pages_may_be_shown_with_a_notice() {
    let config = format!(
        "{CONFIG}language: en\nlanguages:\n  ru: {{ name: Русский, untranslated: notice }}\n"
    );
    let site = two_language_site_with(&config);
    // Kazakhstan has no translation; its alias stays the original's alone.
    site.write(
        "content/members/kazakhstan.md",
        "---\ntitle: Kazakhstan\naliases: [kz]\n---\nA neighbour of [[kyrgyzstan]].\n",
    );
    site.build_ok();
    let copy = site.output("ru/members/kazakhstan/index.html");
    has(&copy, "<html lang=\"ru\">");
    has(&copy, "class=\"untranslated-notice\"");
    has(
        &copy,
        "<a href=\"/members/kazakhstan/\" hreflang=\"en\">Открыть оригинал</a>",
    );
    has(&copy, "<h1 lang=\"en\">Kazakhstan</h1>");
    has(&copy, "<div class=\"content\" lang=\"en\">");
    has(
        &copy,
        "<link rel=\"canonical\" href=\"https://example.org/members/kazakhstan/\">",
    );
    // Its links lead where the original's do, unmarked: its text is the original's.
    has(&copy, "<a href=\"/members/kyrgyzstan/\">Kyrgyzstan</a>");
    // The Russian site lists it, and its pages link to it, marked as English.
    let section = site.output("ru/members/index.html");
    has(&section, "href=\"/ru/members/kazakhstan/\"");
    let drill = site.output("ru/drills/brotherhood/index.html");
    has(
        &drill,
        "<a href=\"/ru/members/kazakhstan/\" hreflang=\"en\" class=\"other-language\">Kazakhstan</a>",
    );
    // The original's switcher leads to it, saying it is not translated yet.
    let original = site.output("members/kazakhstan/index.html");
    has(
        &original,
        "<a href=\"/ru/members/kazakhstan/\" hreflang=\"ru\" lang=\"ru\" title=\"Not translated yet",
    );
    // Translated into no other language, the original names no alternates.
    lacks(&original, "<link rel=\"alternate\" hreflang");
    // Not a page of its own for search engines, the search, the data or the graph.
    assert!(!site.output("sitemap.xml").contains("ru/members/kazakhstan"));
    assert!(!indexed_titles(&site, "ru/search").contains(&"Kazakhstan".to_string()));
    assert!(
        !site
            .output("ru/graph.json")
            .contains("ru/members/kazakhstan")
    );
    let data = site.output("api/pages.json");
    lacks(&data, "\"path\":\"ru/members/kazakhstan\"");
    // Its links are its original's: the page they lead to is linked from the original only.
    let kyrgyzstan = site.output("members/kyrgyzstan/index.html");
    has(&kyrgyzstan, "href=\"/members/kazakhstan/\"");
    lacks(&kyrgyzstan, "/ru/members/kazakhstan/");
    // It is still a missing translation for writers.
    let warnings = check(&site);
    has(&warnings, "`members/kazakhstan`");
    let table = site.run(&["translations"]);
    let table = String::from_utf8_lossy(&table.stdout);
    has(&table, "missing     members/kazakhstan");
}

#[test]
fn an_untranslated_copy_repeats_no_error_of_its_original() {
    let config = format!(
        "{CONFIG}language: en\nlanguages:\n  ru: {{ name: Русский, untranslated: notice }}\n"
    );
    let site = two_language_site_with(&config);
    site.write(
        "templates/shortcodes/boom.html",
        "{# shortcode\n#}{{ nothing.here }}",
    );
    site.write(
        "content/members/kazakhstan.md",
        "---\ntitle: Kazakhstan\n---\nA member.\n\n{{ boom() }}\n",
    );
    let errors = site.build().expect_err("the shortcode fails").0;
    // The failing call once, at the original, though the Russian copy renders it too.
    let failed: Vec<_> = errors
        .iter()
        .filter(|d| d.message.contains("shortcode `boom` failed"))
        .collect();
    assert_eq!(failed.len(), 1, "{errors:#?}");
    assert!(failed[0].location.is_some(), "{errors:#?}");
}
