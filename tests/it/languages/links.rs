//! Where a translation lives and what it links to: its URL, links and refs in its
//! language, its versions (switcher, `hreflang`, sitemap), and the site's own names.

use crate::common::{CONFIG, TestSite};

use super::{config, has, lacks, two_language_site, two_language_site_with};

#[test]
fn translations_live_under_their_language_and_link_in_it() {
    let site = two_language_site();
    site.build_ok();
    let ru = site.output("ru/drills/brotherhood/index.html");
    has(&ru, "<html lang=\"ru\">");
    // `[[kyrgyzstan]]` in the Russian page finds the Russian page, by its title.
    has(&ru, "<a href=\"/ru/members/kyrgyzstan/\">Киргизия</a>");
    // Kazakhstan has no translation: the link goes to the original and says so.
    has(
        &ru,
        "<a href=\"/members/kazakhstan/\" hreflang=\"en\" class=\"other-language\">Kazakhstan</a>",
    );
    has(
        &ru,
        "<a href=\"/members/kazakhstan/\" hreflang=\"en\" class=\"other-language\">Казахстан</a>",
    );
    // The English page links in English, unmarked.
    let en = site.output("drills/brotherhood/index.html");
    has(&en, "<html lang=\"en\">");
    has(&en, "<a href=\"/members/kyrgyzstan/\">Kyrgyzstan</a>");
    lacks(&en, "other-language\"");
    // A ref in the Russian page goes to the Russian page too; one that falls back to
    // the original is marked as a link is, its English title marked English.
    has(
        &ru,
        "<li><a href=\"/ru/members/kyrgyzstan/\">Киргизия</a></li>",
    );
    has(
        &ru,
        "<li><a href=\"/members/kazakhstan/\" hreflang=\"en\" lang=\"en\" class=\"other-language\">Kazakhstan</a></li>",
    );
    // Dates in the language of the page, Russian months in the genitive.
    has(&ru, ">26 сентября 2024</time>");
    has(&en, ">26 September 2024</time>");
}

#[test]
fn pages_name_their_versions_in_every_language() {
    let site = two_language_site();
    site.build_ok();
    let en = site.output("drills/brotherhood/index.html");
    let ru = site.output("ru/drills/brotherhood/index.html");
    for html in [&en, &ru] {
        has(
            html,
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/drills/brotherhood/\">",
        );
        has(
            html,
            "<link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/ru/drills/brotherhood/\">",
        );
    }
    // The switcher leads to the same page in the other language.
    has(
        &en,
        "<a href=\"/ru/drills/brotherhood/\" hreflang=\"ru\" lang=\"ru\">Русский</a>",
    );
    has(
        &ru,
        "<a href=\"/drills/brotherhood/\" hreflang=\"en\" lang=\"en\">English</a>",
    );
    // A page with no translation offers the language's home, marked as such.
    let kz = site.output("members/kazakhstan/index.html");
    has(
        &kz,
        "<a href=\"/ru/\" hreflang=\"ru\" lang=\"ru\" title=\"Not translated",
    );
    lacks(&kz, "hreflang=\"ru\" href=");
}

#[test]
fn the_sitemap_gives_each_page_its_alternates() {
    let site = two_language_site();
    site.build_ok();
    let sitemap = site.output("sitemap.xml");
    has(&sitemap, "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    let entry = sitemap
        .lines()
        .find(|l| l.contains("<loc>https://example.org/ru/drills/brotherhood/</loc>"))
        .unwrap_or_else(|| panic!("{sitemap}"));
    has(
        entry,
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/drills/brotherhood/\"/>",
    );
    has(
        entry,
        "<xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/ru/drills/brotherhood/\"/>",
    );
    let kz = sitemap
        .lines()
        .find(|l| l.contains("members/kazakhstan/</loc>"))
        .unwrap();
    lacks(kz, "xhtml:link");
}

#[test]
fn without_languages_a_dotted_name_is_a_page_of_its_own() {
    let site = TestSite::new(&[("notes/plan.ru.md", "---\ntitle: Plan\n---\nText.\n")]);
    site.build_ok();
    assert!(site.output("notes/plan-ru/index.html").contains("Plan"));
}

#[test]
fn a_language_without_pages_is_offered_nowhere() {
    let site = TestSite::with_config(
        &config(),
        &[(
            "members/kazakhstan.md",
            "---\ntitle: Kazakhstan\n---\nA member.\n",
        )],
    );
    site.build_ok();
    let page = site.output("members/kazakhstan/index.html");
    assert!(
        !page.contains("language-switcher") && !page.contains("hreflang=\"ru\""),
        "{page}"
    );
    assert!(!site.root().join("public/ru").exists());
}

#[test]
fn a_language_may_name_the_site_in_itself() {
    let config = format!(
        "{CONFIG}language: en\nlanguages:\n  ru: {{ name: Русский, title: Учения ОДКБ, description: Об учениях. }}\n"
    );
    let site = two_language_site_with(&config);
    // A dated page, for the language's feed.
    site.write(
        "content/news/call.ru.md",
        "---\ntitle: Призыв\ndate: 2024-09-20\n---\nТекст.\n",
    );
    site.build_ok();
    let ru = site.output("ru/drills/brotherhood/index.html");
    has(&ru, "<title>Нерушимое братство · Учения ОДКБ</title>");
    has(&ru, "<a class=\"site-title\" href=\"/ru/\">Учения ОДКБ</a>");
    has(&ru, "— Об учениях.</p>");
    let en = site.output("drills/brotherhood/index.html");
    lacks(&en, "Учения ОДКБ");
    let ru_feed = site.output("ru/atom.xml");
    has(&ru_feed, "<title>Учения ОДКБ</title>");
    let ru_timeline = site.output("ru/timeline/index.html");
    has(&ru_timeline, "<title>Хронология · Учения ОДКБ</title>");
}

#[test]
fn backlinks_and_inverse_relations_name_pages_of_the_same_language() {
    let site = two_language_site();
    site.build_ok();
    // Kazakhstan has no translation: the Russian drill refers and links to the original.
    let kazakhstan = site.output("members/kazakhstan/index.html");
    has(&kazakhstan, "href=\"/drills/brotherhood/\"");
    lacks(&kazakhstan, "/ru/drills/brotherhood/");
    lacks(&kazakhstan, "Нерушимое братство");
    // Translated pages list their own language's pages.
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    has(&ru, "href=\"/ru/drills/brotherhood/\"");
    lacks(&ru, "href=\"/drills/brotherhood/\"");
}

/// The `<svg class="local-graph">` element of a page.
fn local_graph(html: &str) -> &str {
    let start = html
        .find("<svg class=\"local-graph\"")
        .expect("a local graph");
    let end = start + html[start..].find("</svg>").unwrap();
    &html[start..end]
}

#[test]
fn translations_leave_the_originals_graphs_and_relations_as_they_were() {
    // `hub` relates to `a` and `b` alike; Russian pages linking to `b` (its English
    // text, untranslated) must not make `b` the more connected on the English pages.
    let pages = [
        ("members/hub.md", "---\ntitle: Hub\n---\n[[a]] and [[b]].\n"),
        ("members/a.md", "---\ntitle: A\n---\nA member.\n"),
        ("members/b.md", "---\ntitle: B\n---\nB member.\n"),
        ("members/c.md", "---\ntitle: C\n---\nC member.\n"),
        ("members/d.md", "---\ntitle: D\n---\nD member.\n"),
        ("members/e.md", "---\ntitle: E\n---\nE member.\n"),
    ];
    let one = TestSite::with_config(CONFIG, &pages);
    one.build_ok();
    let two = TestSite::with_config(&config(), &pages);
    for slug in ["c", "d", "e"] {
        two.write(
            &format!("content/members/{slug}.ru.md"),
            "---\ntitle: Член\n---\nСм. [[b]].\n",
        );
    }
    two.build_ok();
    let (before, after) = (
        one.output("members/hub/index.html"),
        two.output("members/hub/index.html"),
    );
    assert_eq!(local_graph(&before), local_graph(&after));
    // In the whole graph too, `b` is drawn as related as `a`: its mark as large.
    let mark = |html: &str, slug: &str| {
        let at = html.find(&format!("href=\"/members/{slug}/\"")).unwrap();
        let node = &html[at..at + html[at..].find("</a>").unwrap()];
        let size = [" r=\"", " width=\""]
            .iter()
            .find_map(|attr| node.find(attr).map(|i| i + attr.len()))
            .expect("a mark with a size");
        node[size..].split('"').next().unwrap().to_string()
    };
    let graph = two.output("graph/index.html");
    assert_eq!(mark(&graph, "a"), mark(&graph, "b"), "{graph}");
}

#[test]
fn a_page_referring_to_itself_is_not_among_its_own_inverse_relations() {
    let config = "title: Test KB\nbase_url: https://example.org/\nkinds:\n  organization:\n    section: organizations\n    fields:\n      parent: { type: ref, kind: organization, inverse: bodies }\n";
    let languages = "language: en\nlanguages:\n  en: { name: English }\n  ru: { name: Русский }\n";
    for config in [config.to_string(), format!("{config}{languages}")] {
        let site = TestSite::with_config(
            &config,
            &[
                (
                    "organizations/_index.md",
                    "---\ntitle: Organizations\n---\n",
                ),
                (
                    "organizations/csto.md",
                    "---\ntitle: CSTO\nparent: csto\n---\n",
                ),
                (
                    "organizations/council.md",
                    "---\ntitle: Council\nparent: csto\n---\n",
                ),
            ],
        );
        site.build_ok();
        let csto = site.output("organizations/csto/index.html");
        let at = csto.find("inverse-bodies").expect("the inverse relation");
        let bodies = &csto[at..at + csto[at..].find("</div>").unwrap()];
        has(bodies, "href=\"/organizations/council/\"");
        lacks(bodies, "href=\"/organizations/csto/\"");
    }
}
