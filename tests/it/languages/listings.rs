//! What each language lists of its own: sections, terms, feeds, timeline, graph, data,
//! search and queries.

use crate::common::TestSite;

use super::{config, has, indexed_titles, lacks, notice_site, two_language_site};

#[test]
fn sections_list_the_pages_of_their_language() {
    let site = two_language_site();
    site.build_ok();
    let ru_members = site.output("ru/members/index.html");
    has(&ru_members, "Киргизия");
    lacks(&ru_members, ">Kazakhstan<");
    let en_members = site.output("members/index.html");
    assert!(
        en_members.contains("Kazakhstan") && !en_members.contains("Киргизия"),
        "{en_members}"
    );
    // The Russian home is its language's home, not a section of the English one.
    let home = site.output("index.html");
    lacks(&home, "Главная");
    let ru_home = site.output("ru/index.html");
    has(&ru_home, "<html lang=\"ru\">");
}

#[test]
fn terms_feeds_and_timelines_are_per_language() {
    let config = config();
    let post = |title: &str, tag: &str| {
        format!("---\ntitle: {title}\ndate: 2024-09-26\ntaxonomies:\n  tags: [{tag}]\n---\nText.\n")
    };
    let (en, ru) = (post("Exercise", "csto"), post("Учения", "одкб"));
    let site = TestSite::with_config(
        &config,
        &[("news/exercise.md", &en), ("news/exercise.ru.md", &ru)],
    );
    site.build_ok();
    let en_term = site.output("tags/csto/index.html");
    assert!(
        en_term.contains("Exercise") && !en_term.contains("Учения"),
        "{en_term}"
    );
    let ru_term = site.output("ru/tags/odkb/index.html");
    assert!(
        ru_term.contains("Учения") && !ru_term.contains(">Exercise<"),
        "{ru_term}"
    );
    assert!(!site.root().join("public/tags/odkb").exists());
    let ru_page = site.output("ru/news/exercise/index.html");
    has(&ru_page, "/ru/tags/odkb/");
    lacks(&ru_page, "\"/tags/csto/");
    // Its header and footer lead to its language's home, sections, terms and feed.
    has(&ru_page, "<a class=\"site-title\" href=\"/ru/\">");
    has(&ru_page, "<li><a href=\"/ru/news/\">");
    has(&ru_page, "<li><a href=\"/ru/tags/\">");
    has(&ru_page, "href=\"/ru/atom.xml\">Лента Atom</a>");
    let en_page = site.output("news/exercise/index.html");
    assert!(
        en_page.contains("<li><a href=\"/news/\">") && !en_page.contains("/ru/news/\">"),
        "{en_page}"
    );

    let feed = site.output("atom.xml");
    assert!(
        feed.contains("Exercise") && !feed.contains("Учения"),
        "{feed}"
    );
    let ru_feed = site.output("ru/atom.xml");
    assert!(
        ru_feed.contains("Учения") && !ru_feed.contains("<title>Exercise"),
        "{ru_feed}"
    );
    has(&ru_feed, "https://example.org/ru/atom.xml");
    let section_feed = site.output("ru/news/atom.xml");
    has(&section_feed, "Учения");

    let timeline = site.output("timeline/index.html");
    assert!(
        timeline.contains("Exercise") && !timeline.contains("Учения"),
        "{timeline}"
    );
    let ru_timeline = site.output("ru/timeline/index.html");
    has(&ru_timeline, "<html lang=\"ru\">");
    assert!(
        ru_timeline.contains("<h1>Хронология</h1>")
            && ru_timeline.contains(">26 сентября 2024</time>")
            && ru_timeline.contains("<a href=\"/ru/news/exercise/\">Учения</a>")
            && !ru_timeline.contains("Exercise"),
        "{ru_timeline}"
    );
    // Each language's pages link to its own timeline and list its own newest pages.
    has(
        &ru_page,
        "<li><a href=\"/ru/timeline/\">Хронология</a></li>",
    );
    let recent = |html: &str| html[html.find("recent-title").unwrap()..].to_string();
    assert!(recent(&ru_page).contains("Учения"), "{ru_page}");
    assert!(!recent(&ru_page).contains("Exercise"), "{ru_page}");
    assert!(!recent(&en_page).contains("Учения"), "{en_page}");
}

#[test]
fn a_translations_graph_is_the_same_map() {
    let site = two_language_site();
    site.build_ok();
    // Each page's label, placed beside its mark: `title → (x, y)`.
    let places = |path: &str| -> std::collections::HashMap<String, (String, String)> {
        let html = site.output(path);
        html.split("<text class=\"label ")
            .skip(1)
            .map(|label| {
                let attr = |name: &str| {
                    let from = label.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    label[from..from + label[from..].find('"').unwrap()].to_string()
                };
                let title = &label[label.find('>').unwrap() + 1..label.find("</text>").unwrap()];
                (title.to_string(), (attr("x"), attr("y")))
            })
            .collect()
    };
    let (en, ru) = (places("graph/index.html"), places("ru/graph/index.html"));
    assert_eq!(en.len(), 3, "{en:?}");
    assert_eq!(ru.len(), 2, "{ru:?}");
    // Two of the three pages translated: each where its original is, not laid out anew.
    assert_eq!(ru["Нерушимое братство"], en["Unbreakable Brotherhood"]);
    assert_eq!(ru["Киргизия"], en["Kyrgyzstan"]);
}

#[test]
fn each_language_has_its_own_graph_and_data() {
    let site = two_language_site();
    site.build_ok();
    let graph = site.output("graph/index.html");
    assert!(
        graph.contains("Unbreakable Brotherhood") && !graph.contains("Нерушимое братство"),
        "{graph}"
    );
    let ru = site.output("ru/graph/index.html");
    has(&ru, "<h1>Граф знаний</h1>");
    // The Russian pages, named in Russian: the drill, Kyrgyzstan and the home's kinds.
    has(&ru, "<title id=\"graph-title\">Граф знаний: страниц — 2");
    assert!(
        ru.contains("Нерушимое братство") && ru.contains("Киргизия"),
        "{ru}"
    );
    // Kazakhstan has no translation: it is in the English graph only.
    lacks(&ru, "Kazakhstan");
    has(&ru, "<td>ссылка</td>");
    has(&ru, "href=\"/ru/graph.json\"");
    let data =
        |path: &str| -> serde_json::Value { serde_json::from_str(&site.output(path)).unwrap() };
    let ids = |graph: &serde_json::Value, list: &str, key: &str| -> Vec<String> {
        graph[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n[key].as_str().unwrap().to_string())
            .collect()
    };
    // The page data too: each language's pages in its own file.
    let pages = |path: &str| ids(&data(path), "pages", "path");
    let (en_pages, ru_pages) = (pages("api/pages.json"), pages("ru/api/pages.json"));
    assert!(
        en_pages.contains(&"members/kazakhstan".to_string()),
        "{en_pages:?}"
    );
    assert!(
        !en_pages.iter().any(|p| p.starts_with("ru")),
        "{en_pages:?}"
    );
    assert!(
        ru_pages.contains(&"ru/drills/brotherhood".to_string()),
        "{ru_pages:?}"
    );
    assert!(ru_pages.iter().all(|p| p.starts_with("ru")), "{ru_pages:?}");
    assert!(
        site.output("ru/drills/brotherhood/index.html")
            .contains("href=\"/ru/api/pages.json\"")
    );
    let (en_data, ru_data) = (data("graph.json"), data("ru/graph.json"));
    let ru_nodes = ids(&ru_data, "nodes", "id");
    assert!(
        ru_nodes.contains(&"ru/drills/brotherhood".to_string()),
        "{ru_nodes:?}"
    );
    assert!(
        ru_nodes.iter().all(|id| id.starts_with("ru")),
        "{ru_nodes:?}"
    );
    assert!(ids(&ru_data, "edges", "target").contains(&"ru/members/kyrgyzstan".to_string()));
    let en_nodes = ids(&en_data, "nodes", "id");
    assert!(
        en_nodes.contains(&"members/kazakhstan".to_string()),
        "{en_nodes:?}"
    );
    assert!(
        !en_nodes.iter().any(|id| id.starts_with("ru")),
        "{en_nodes:?}"
    );
    assert!(
        !ids(&en_data, "edges", "target")
            .iter()
            .any(|t| t.starts_with("ru"))
    );
}

#[test]
fn each_language_has_its_own_search_index_and_page() {
    let site = two_language_site();
    site.build_ok();
    let en = indexed_titles(&site, "search");
    let ru = indexed_titles(&site, "ru/search");
    assert!(
        en.contains(&"Unbreakable Brotherhood".to_string()),
        "{en:?}"
    );
    assert!(
        !en.iter()
            .any(|t| t == "Нерушимое братство" || t == "Киргизия"),
        "{en:?}"
    );
    assert!(
        ru.contains(&"Нерушимое братство".to_string()) && ru.contains(&"Киргизия".to_string()),
        "{ru:?}"
    );
    assert!(!ru.contains(&"Kazakhstan".to_string()), "{ru:?}");
    // Russian words are found by their Latin spelling too: the terms are transliterated.
    let shard = site.output(&format!("ru/search/shard-{}.json", hex("br")));
    has(&shard, "\"bratstvo\"");
    let page = site.output("ru/drills/brotherhood/index.html");
    assert!(
        page.contains("action=\"/ru/search/\"") && page.contains("data-index=\"/ru/search/\""),
        "{page}"
    );
    let search = site.output("ru/search/index.html");
    assert!(
        search.contains("<html lang=\"ru\">") && search.contains("data-index=\"/ru/search/\""),
        "{search}"
    );
    let en_search = site.output("search/index.html");
    assert!(
        en_search.contains("<html lang=\"en\">") && en_search.contains("data-index=\"/search/\""),
        "{en_search}"
    );
}

fn hex(prefix: &str) -> String {
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn queries_list_each_page_once_in_the_readers_language() {
    let site = two_language_site();
    let query = "\n```query\nkind: drill\nwhere: { participants: this }\n```\n";
    site.write(
        "content/members/kyrgyzstan.md",
        &format!("---\ntitle: Kyrgyzstan\n---\nA member.\n{query}"),
    );
    site.write(
        "content/members/kyrgyzstan.ru.md",
        &format!("---\ntitle: Киргизия\n---\nЧлен.\n{query}"),
    );
    // A drill with no translation: Russian readers are shown the original.
    site.write(
        "content/drills/shield.md",
        "---\ntitle: Shield\ndates: { start: 2023-05-01, end: 2023-05-02 }\nhost: kyrgyzstan\nparticipants: [kyrgyzstan]\n---\nA drill.\n",
    );
    site.build_ok();
    let en = site.output("members/kyrgyzstan/index.html");
    assert!(
        en.contains(">Unbreakable Brotherhood</a>") && en.contains(">Shield</a>"),
        "{en}"
    );
    lacks(&en, "Нерушимое братство</a>");
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    has(
        &ru,
        "href=\"/ru/drills/brotherhood/\">Нерушимое братство</a>",
    );
    // Marked as a page in English.
    has(
        &ru,
        "href=\"/drills/shield/\" hreflang=\"en\" lang=\"en\" class=\"other-language\">Shield</a>",
    );
    lacks(&ru, ">Unbreakable Brotherhood</a>");
}

#[test]
fn queries_find_referring_pages_in_the_readers_language_whatever_they_name() {
    let site = notice_site();
    // By `this`, and by the page's name, which is the original's in every language.
    let queries = "\n```query\nkind: drill\nwhere: { participants: this }\n```\n\n```query\nkind: drill\nwhere: { host: kyrgyzstan }\n```\n";
    site.write(
        "content/members/kyrgyzstan.ru.md",
        &format!("---\ntitle: Киргизия\n---\nЧлен.\n{queries}"),
    );
    // A drill with no translation: shown in Russian as its untranslated copy.
    site.write(
        "content/drills/shield.md",
        "---\ntitle: Shield\ndates: { start: 2023-05-01, end: 2023-05-02 }\nhost: kyrgyzstan\nparticipants: [kyrgyzstan]\n---\nA drill.\n",
    );
    site.build_ok();
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    // Both queries list the copy in Russian, once each (as the inverse relations
    // do); and the translated drill, never an English page.
    let text = &ru[ru.find("<div class=\"content\"").unwrap()..];
    let text = &text[..text.find("local-graph-figure").unwrap()];
    assert_eq!(
        text.matches("href=\"/ru/drills/shield/\"").count(),
        2,
        "{ru}"
    );
    has(&ru, "href=\"/ru/drills/brotherhood/\"");
    lacks(&ru, "href=\"/drills/");
}

#[test]
fn a_query_that_finds_nothing_says_so_in_the_pages_language() {
    let site = two_language_site();
    let query = "\n```query\nkind: member\nwhere: { joined: 1900 }\n```\n";
    site.write(
        "content/members/kyrgyzstan.md",
        &format!("---\ntitle: Kyrgyzstan\n---\nA member.\n{query}"),
    );
    site.write(
        "content/members/kyrgyzstan.ru.md",
        &format!("---\ntitle: Киргизия\n---\nЧлен.\n{query}"),
    );
    site.build_ok();
    let en = site.output("members/kyrgyzstan/index.html");
    has(&en, "<p class=\"query-none\">No page matches.</p>");
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    has(
        &ru,
        "<p class=\"query-none\">Ни одна страница не подходит.</p>",
    );
}
