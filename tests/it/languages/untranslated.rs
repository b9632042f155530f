//! `untranslated: notice`: the pages a language lacks, shown in it with a notice.

use super::{check, has, indexed_titles, lacks, notice_site};

#[test]
fn untranslated_pages_may_be_shown_with_a_notice() {
    let site = notice_site();
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
    let site = notice_site();
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

#[test]
fn untranslated_copies_relate_to_the_pages_of_their_language() {
    let site = notice_site();
    // Neither is translated: their Russian copies stand for them.
    site.write(
        "content/drills/shield.md",
        "---\ntitle: Shield\ndates: { start: 2023-05-01, end: 2023-05-02 }\nhost: kyrgyzstan\nparticipants: [kazakhstan]\n---\nHeld in [[kyrgyzstan]].\n",
    );
    site.write(
        "content/members/armenia.md",
        "---\ntitle: Armenia\n---\nA neighbour of [[kyrgyzstan]] in the treaty.\n",
    );
    site.build_ok();
    // A translated page lists the copies referring or linking to it, in Russian.
    let kyrgyzstan = site.output("ru/members/kyrgyzstan/index.html");
    let section = |html: &str, from: &str| html[html.find(from).unwrap()..].to_string();
    has(&kyrgyzstan, "href=\"/ru/drills/shield/\"");
    has(&kyrgyzstan, "href=\"/ru/drills/brotherhood/\"");
    has(&kyrgyzstan, "href=\"/ru/members/armenia/\"");
    lacks(&kyrgyzstan, "href=\"/drills/shield/\"");
    lacks(&kyrgyzstan, "href=\"/members/armenia/\"");
    // With the sentence that links, the original's; both marked as English.
    has(
        &kyrgyzstan,
        "<a href=\"/ru/members/armenia/\" hreflang=\"en\" lang=\"en\" class=\"other-language\">Armenia</a>",
    );
    has(
        &section(&kyrgyzstan, "/ru/members/armenia/"),
        "<blockquote class=\"mention\" lang=\"en\">A neighbour of",
    );
    // The Russian section lists it, marked too.
    has(
        &site.output("ru/members/index.html"),
        "<a href=\"/ru/members/armenia/\" hreflang=\"en\" lang=\"en\" class=\"other-language\">Armenia</a>",
    );
    // A copy lists the Russian pages reaching its original and the other copies.
    let kazakhstan = site.output("ru/members/kazakhstan/index.html");
    has(&kazakhstan, "href=\"/ru/drills/brotherhood/\"");
    has(&kazakhstan, "href=\"/ru/drills/shield/\"");
    lacks(&kazakhstan, "href=\"/drills/");
    // The originals show the pages of their own language only.
    let original = site.output("members/kyrgyzstan/index.html");
    has(&original, "href=\"/drills/shield/\"");
    has(&original, "href=\"/members/armenia/\"");
    lacks(&original, "href=\"/ru/drills/");
    lacks(&original, "href=\"/ru/members/armenia/\"");
    lacks(&original, "other-language");
}
