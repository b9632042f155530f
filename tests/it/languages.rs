//! A site in two languages: translations beside their originals (`page.ru.md`), their
//! URLs under the language's folder, links and refs resolved in the page's language,
//! `hreflang` alternates, the language switcher and the sitemap.

use crate::common::{CONFIG, TestSite};

/// `CONFIG` with Russian as a second language.
fn config() -> String {
    format!(
        "{CONFIG}language: en\nlanguages:\n  en: {{ name: English }}\n  ru: {{ name: Русский }}\n"
    )
}

const DRILL: &str = "---\ntitle: Unbreakable Brotherhood\ndates: { start: 2024-09-26, end: 2024-09-30 }\nhost: kyrgyzstan\nparticipants: [kazakhstan, kyrgyzstan]\n---\nHosted by [[kyrgyzstan]], with [[kazakhstan]] and [Kazakhstan](@/members/kazakhstan.md).\n";
const DRILL_RU: &str = "---\ntitle: Нерушимое братство\ndates: { start: 2024-09-26, end: 2024-09-30 }\nhost: kyrgyzstan\nparticipants: [kazakhstan, kyrgyzstan]\n---\nПринимал [[kyrgyzstan]], вместе с [[kazakhstan]] и [Казахстан](@/members/kazakhstan.md).\n";

fn two_language_site() -> TestSite {
    two_language_site_with(&config())
}

/// The pages of [`two_language_site`] with the settings `config`.
fn two_language_site_with(config: &str) -> TestSite {
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

#[test]
fn translations_live_under_their_language_and_link_in_it() {
    let site = two_language_site();
    site.build_ok();
    let ru = site.output("ru/drills/brotherhood/index.html");
    assert!(ru.contains("<html lang=\"ru\">"), "{ru}");
    // `[[kyrgyzstan]]` in the Russian page finds the Russian page, by its title.
    assert!(
        ru.contains("<a href=\"/ru/members/kyrgyzstan/\">Киргизия</a>"),
        "{ru}"
    );
    // Kazakhstan has no translation: the link goes to the original and says so.
    assert!(
        ru.contains("<a href=\"/members/kazakhstan/\" hreflang=\"en\" class=\"other-language\">Kazakhstan</a>"),
        "{ru}"
    );
    assert!(
        ru.contains("<a href=\"/members/kazakhstan/\" hreflang=\"en\" class=\"other-language\">Казахстан</a>"),
        "{ru}"
    );
    // The English page links in English, unmarked.
    let en = site.output("drills/brotherhood/index.html");
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(
        en.contains("<a href=\"/members/kyrgyzstan/\">Kyrgyzstan</a>"),
        "{en}"
    );
    assert!(!en.contains("other-language\""), "{en}");
    // A ref in the Russian page goes to the Russian page too.
    assert!(ru.contains("/ru/members/kyrgyzstan/"), "{ru}");
    // Dates in the language of the page, Russian months in the genitive.
    assert!(ru.contains(">26 сентября 2024</time>"), "{ru}");
    assert!(en.contains(">26 September 2024</time>"), "{en}");
}

#[test]
fn pages_name_their_versions_in_every_language() {
    let site = two_language_site();
    site.build_ok();
    let en = site.output("drills/brotherhood/index.html");
    let ru = site.output("ru/drills/brotherhood/index.html");
    for html in [&en, &ru] {
        assert!(
            html.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/drills/brotherhood/\">"),
            "{html}"
        );
        assert!(
            html.contains("<link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/ru/drills/brotherhood/\">"),
            "{html}"
        );
    }
    // The switcher leads to the same page in the other language.
    assert!(
        en.contains("<a href=\"/ru/drills/brotherhood/\" hreflang=\"ru\" lang=\"ru\">Русский</a>"),
        "{en}"
    );
    assert!(
        ru.contains("<a href=\"/drills/brotherhood/\" hreflang=\"en\" lang=\"en\">English</a>"),
        "{ru}"
    );
    // A page with no translation offers the language's home, marked as such.
    let kz = site.output("members/kazakhstan/index.html");
    assert!(
        kz.contains("<a href=\"/ru/\" hreflang=\"ru\" lang=\"ru\" title=\"Not translated"),
        "{kz}"
    );
    assert!(!kz.contains("hreflang=\"ru\" href="), "{kz}");
}

#[test]
fn sections_list_the_pages_of_their_language() {
    let site = two_language_site();
    site.build_ok();
    let ru_members = site.output("ru/members/index.html");
    assert!(ru_members.contains("Киргизия"), "{ru_members}");
    assert!(!ru_members.contains(">Kazakhstan<"), "{ru_members}");
    let en_members = site.output("members/index.html");
    assert!(
        en_members.contains("Kazakhstan") && !en_members.contains("Киргизия"),
        "{en_members}"
    );
    // The Russian home is its language's home, not a section of the English one.
    let home = site.output("index.html");
    assert!(!home.contains("Главная"), "{home}");
    let ru_home = site.output("ru/index.html");
    assert!(ru_home.contains("<html lang=\"ru\">"), "{ru_home}");
}

#[test]
fn the_sitemap_gives_each_page_its_alternates() {
    let site = two_language_site();
    site.build_ok();
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{sitemap}"
    );
    let entry = sitemap
        .lines()
        .find(|l| l.contains("<loc>https://example.org/ru/drills/brotherhood/</loc>"))
        .unwrap_or_else(|| panic!("{sitemap}"));
    assert!(entry.contains("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/drills/brotherhood/\"/>"), "{entry}");
    assert!(entry.contains("<xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/ru/drills/brotherhood/\"/>"), "{entry}");
    let kz = sitemap
        .lines()
        .find(|l| l.contains("members/kazakhstan/</loc>"))
        .unwrap();
    assert!(!kz.contains("xhtml:link"), "{kz}");
}

#[test]
fn without_languages_a_dotted_name_is_a_page_of_its_own() {
    let site = TestSite::new(&[("notes/plan.ru.md", "---\ntitle: Plan\n---\nText.\n")]);
    site.build_ok();
    assert!(site.output("notes/plan-ru/index.html").contains("Plan"));
}

/// What `muster check` says, warnings included.
fn check(site: &TestSite) -> String {
    let out = site.run(&["check", "--color", "never"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn translations_say_when_their_original_changed_since() {
    let site = two_language_site();
    // No translation records its original's version yet; Kazakhstan has none.
    let said = check(&site);
    assert!(
        said.contains("warning[E018]: this translation does not record which version of content/drills/brotherhood.md it translates"),
        "{said}"
    );
    assert!(
        said.contains("--> content/drills/brotherhood.ru.md:1:1"),
        "{said}"
    );
    assert!(
        said.contains("1 of 4 pages have no translation into Русский (ru): `members/kazakhstan`"),
        "{said}"
    );
    let table = site.run(&["translations"]);
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(table.contains("Русский (ru):"), "{table}");
    assert!(table.contains("missing     members/kazakhstan"), "{table}");
    assert!(table.contains("unrecorded  drills/brotherhood"), "{table}");
    assert!(
        table.contains("0 current, 0 stale, 3 unrecorded, 1 missing"),
        "{table}"
    );

    let marked = site.run(&["translations", "--mark", "content/drills/brotherhood.ru.md"]);
    assert!(
        marked.status.success(),
        "{}",
        String::from_utf8_lossy(&marked.stderr)
    );
    let text =
        std::fs::read_to_string(site.root().join("content/drills/brotherhood.ru.md")).unwrap();
    assert!(
        text.starts_with(&DRILL_RU[..DRILL_RU.find("\n---\n").unwrap()]),
        "{text}"
    );
    assert!(text.contains("\ntranslated_from: \""), "{text}");
    assert!(
        text.ends_with(&DRILL_RU[DRILL_RU.find("\n---\n").unwrap()..]),
        "{text}"
    );
    let said = check(&site);
    assert!(!said.contains("content/drills/brotherhood.ru.md"), "{said}");
    let table = String::from_utf8_lossy(&site.run(&["translations"]).stdout).into_owned();
    assert!(table.contains("current     drills/brotherhood"), "{table}");

    // The original changes: its translation is stale, pointed at its record.
    site.write(
        "content/drills/brotherhood.md",
        &DRILL.replace("Hosted by", "Held in"),
    );
    let said = check(&site);
    assert!(
        said.contains("warning[E018]: this translation is stale: content/drills/brotherhood.md changed after it was translated"),
        "{said}"
    );
    let line = DRILL_RU.lines().count() - DRILL_RU.split("\n---\n").nth(1).unwrap().lines().count();
    assert!(
        said.contains(&format!("--> content/drills/brotherhood.ru.md:{line}:18")),
        "{said}"
    );
    // A stale translation is published as it is.
    site.build_ok();
    assert!(
        site.output("ru/drills/brotherhood/index.html")
            .contains("Нерушимое братство")
    );
}

#[test]
fn marking_refuses_what_is_no_translation_and_writes_nothing() {
    let site = two_language_site();
    let before = crate::common::fingerprint(site.root(), &[]);
    let out = site.run(&[
        "translations",
        "--mark",
        "content/drills/brotherhood.ru.md",
        "content/members/kazakhstan.md",
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("content/members/kazakhstan.md is no translation of a page of this site"),
        "{said}"
    );
    assert_eq!(before, crate::common::fingerprint(site.root(), &[]));
}

#[test]
fn language_settings_are_checked() {
    let config = format!("{CONFIG}languages:\n  ru: {{ path: ../up }}\n");
    let site = TestSite::with_config(&config, &[]);
    let out = site.run(&["check", "--color", "never"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("`../up` is not a folder name for the pages in `ru`"),
        "{said}"
    );
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
    assert!(ru_page.contains("/ru/tags/odkb/"), "{ru_page}");
    assert!(!ru_page.contains("\"/tags/csto/"), "{ru_page}");
    // Its header and footer lead to its language's home, sections, terms and feed.
    assert!(
        ru_page.contains("<a class=\"site-title\" href=\"/ru/\">"),
        "{ru_page}"
    );
    assert!(ru_page.contains("<li><a href=\"/ru/news/\">"), "{ru_page}");
    assert!(ru_page.contains("<li><a href=\"/ru/tags/\">"), "{ru_page}");
    assert!(
        ru_page.contains("href=\"/ru/atom.xml\">Лента Atom</a>"),
        "{ru_page}"
    );
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
    assert!(
        ru_feed.contains("https://example.org/ru/atom.xml"),
        "{ru_feed}"
    );
    let section_feed = site.output("ru/news/atom.xml");
    assert!(section_feed.contains("Учения"), "{section_feed}");

    let timeline = site.output("timeline/index.html");
    assert!(
        timeline.contains("Exercise") && !timeline.contains("Учения"),
        "{timeline}"
    );
    let ru_timeline = site.output("ru/timeline/index.html");
    assert!(ru_timeline.contains("<html lang=\"ru\">"), "{ru_timeline}");
    assert!(
        ru_timeline.contains("<h1>Хронология</h1>")
            && ru_timeline.contains(">26 сентября 2024</time>")
            && ru_timeline.contains("<a href=\"/ru/news/exercise/\">Учения</a>")
            && !ru_timeline.contains("Exercise"),
        "{ru_timeline}"
    );
    // Each language's pages link to its own timeline and list its own newest pages.
    assert!(
        ru_page.contains("<li><a href=\"/ru/timeline/\">Хронология</a></li>"),
        "{ru_page}"
    );
    let recent = |html: &str| html[html.find("recent-title").unwrap()..].to_string();
    assert!(recent(&ru_page).contains("Учения"), "{ru_page}");
    assert!(!recent(&ru_page).contains("Exercise"), "{ru_page}");
    assert!(!recent(&en_page).contains("Учения"), "{en_page}");
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
    assert!(ru.contains("<h1>Граф знаний</h1>"), "{ru}");
    // The Russian pages, named in Russian: the drill, Kyrgyzstan and the home's kinds.
    assert!(
        ru.contains("<title id=\"graph-title\">Граф знаний: страниц — 2"),
        "{ru}"
    );
    assert!(
        ru.contains("Нерушимое братство") && ru.contains("Киргизия"),
        "{ru}"
    );
    // Kazakhstan has no translation: it is in the English graph only.
    assert!(!ru.contains("Kazakhstan"), "{ru}");
    assert!(ru.contains("<td>ссылка</td>"), "{ru}");
    assert!(ru.contains("href=\"/ru/graph.json\""), "{ru}");
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
fn new_makes_a_translation_from_its_original() {
    let site = two_language_site();
    let out = site.run(&["new", "--lang", "ru", "drill", "Brotherhood"]);
    assert!(!out.status.success(), "the translation exists already");
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
    site.write(
        "content/drills/bulwark.md",
        &DRILL.replace("Unbreakable Brotherhood", "Bulwark"),
    );
    let out = site.run(&["new", "--lang", "ru", "drill", "Bulwark"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made = std::fs::read_to_string(site.root().join("content/drills/bulwark.ru.md")).unwrap();
    // The original's fields, as a draft to translate.
    assert!(
        made.contains(
            "host: kyrgyzstan\nparticipants: [kazakhstan, kyrgyzstan]\ndraft: true\n---\n"
        ),
        "{made}"
    );
    assert!(made.contains("title: Bulwark"), "{made}");
    let out = site.run(&["new", "--lang", "de", "drill", "Bulwark"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("`de` is not one of the site's other languages")
    );
    let out = site.run(&["new", "--lang", "ru", "drill", "Nothing"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("there is no"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.root().join("content/drills/nothing.ru.md").exists());
}

/// Every document title in the search index in `folder` of the output.
fn indexed_titles(site: &TestSite, folder: &str) -> Vec<String> {
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
    assert!(shard.contains("\"bratstvo\""), "{shard}");
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
fn the_themes_words_come_in_the_pages_language() {
    let site = two_language_site();
    site.build_ok();
    let ru = site.output("ru/drills/brotherhood/index.html");
    assert!(
        ru.contains(">Перейти к содержанию</a>") && ru.contains("<summary>Меню</summary>"),
        "{ru}"
    );
    assert!(ru.contains("placeholder=\"Поиск (нажмите /)\""), "{ru}");
    let en = site.output("drills/brotherhood/index.html");
    assert!(
        en.contains(">Skip to content</a>") && en.contains("<summary>Menu</summary>"),
        "{en}"
    );
    // Plural forms by the language's rule: 1 страница, 2 страницы, 5 страниц.
    let search = site.output("ru/search/index.html");
    assert!(
        search.contains("data-few=\"Найдено {count} страницы\"")
            && search.contains("data-many=\"Найдено {count} страниц\""),
        "{search}"
    );
    assert!(
        site.output("ru/tags/index.html")
            .contains("<html lang=\"ru\">")
    );

    // A word the site's Russian lacks shows in English, with a warning naming it.
    let theme_ru = site.root().join("themes/default/i18n/ru.yaml");
    let text = std::fs::read_to_string(&theme_ru).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("menu:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&theme_ru, without).unwrap();
    let said = check(&site);
    assert!(
        said.contains("warning[E009]: 1 words of the theme have no Русский here: `menu`"),
        "{said}"
    );
    assert!(
        said.contains("--> themes/default/i18n/ru.yaml:1:1"),
        "{said}"
    );
    site.build_ok();
    assert!(
        site.output("ru/drills/brotherhood/index.html")
            .contains("<summary>Menu</summary>")
    );
    // A language the theme has no words in at all.
    std::fs::remove_file(&theme_ru).unwrap();
    let said = check(&site);
    assert!(
        said.contains(
            "theme `default` has no words in Русский (ru): its own labels stay in English"
        ),
        "{said}"
    );
    // A word no language has is an error where a template asks for it.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{{ t(key=\"nothing\") }}{% endblock main %}",
    );
    let out = site.run(&["check", "--color", "never"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("no theme word `nothing`") && said.contains("templates/404.html:1:"),
        "{said}"
    );
}

#[test]
fn the_schemas_labels_come_in_the_pages_language() {
    let labels = "    labels:\n      member: Государство-член\n      drill.participants: Участники\n      drill.host: Принимающая сторона\n      member.hosted: Принимало учения\n      tags: Метки\n";
    let config = format!("{CONFIG}language: en\nlanguages:\n  ru:\n    name: Русский\n{labels}");
    let site = two_language_site_with(&config);
    site.build_ok();
    let ru = site.output("ru/drills/brotherhood/index.html");
    assert!(
        ru.contains("<dt>Участники</dt>") && ru.contains("<dt>Принимающая сторона</dt>"),
        "{ru}"
    );
    let en = site.output("drills/brotherhood/index.html");
    assert!(
        en.contains("<dt>Participants</dt>") && en.contains("<dt>host</dt>"),
        "{en}"
    );
    let ru_member = site.output("ru/members/kyrgyzstan/index.html");
    assert!(
        ru_member.contains("Государство-член") && ru_member.contains("Принимало учения"),
        "{ru_member}"
    );
    // A taxonomy's name too, in the menu; English pages keep theirs.
    assert!(
        ru_member.contains("<li><a href=\"/ru/tags/\">Метки</a></li>"),
        "{ru_member}"
    );
    assert!(en.contains("<li><a href=\"/tags/\">Tags</a></li>"), "{en}");
    let said = check(&site);
    assert!(!said.contains("labels have no"), "{said}");

    // A label the default language has and Russian lacks is a warning at the language.
    let fewer = config.replace("      drill.participants: Участники\n", "");
    site.write("site.yaml", &fewer);
    let said = check(&site);
    assert!(
        said.contains("warning[E002]: 1 labels have no Русский in `labels:`: `drill.participants`"),
        "{said}"
    );
    // A label of nothing is an error, with what was meant.
    site.write("site.yaml", &config.replace("drill.host:", "drill.hots:"));
    let out = site.run(&["check", "--color", "never"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("`drill.hots` names nothing site.yaml declares")
            && said.contains("did you mean `drill.host`?"),
        "{said}"
    );
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
    assert!(!en.contains("Нерушимое братство</a>"), "{en}");
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    assert!(
        ru.contains("href=\"/ru/drills/brotherhood/\">Нерушимое братство</a>"),
        "{ru}"
    );
    assert!(ru.contains("href=\"/drills/shield/\">Shield</a>"), "{ru}");
    assert!(!ru.contains(">Unbreakable Brotherhood</a>"), "{ru}");
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
    assert!(
        ru.contains("<title>Нерушимое братство · Учения ОДКБ</title>"),
        "{ru}"
    );
    assert!(
        ru.contains("<a class=\"site-title\" href=\"/ru/\">Учения ОДКБ</a>"),
        "{ru}"
    );
    assert!(ru.contains("— Об учениях.</p>"), "{ru}");
    let en = site.output("drills/brotherhood/index.html");
    assert!(!en.contains("Учения ОДКБ"), "{en}");
    let ru_feed = site.output("ru/atom.xml");
    assert!(ru_feed.contains("<title>Учения ОДКБ</title>"), "{ru_feed}");
    let ru_timeline = site.output("ru/timeline/index.html");
    assert!(
        ru_timeline.contains("<title>Хронология · Учения ОДКБ</title>"),
        "{ru_timeline}"
    );
}

#[test]
fn numbers_are_written_in_the_pages_language() {
    let config = format!(
        "{CONFIG}  unit:\n    section: units\n    fields:\n      strength: {{ type: integer }}\nlanguage: en\nlanguages:\n  ru: {{ name: Русский }}\n"
    );
    let unit = |title: &str| format!("---\ntitle: {title}\nstrength: 12500\n---\n");
    let site = TestSite::with_config(
        &config,
        &[
            ("units/brigade.md", &unit("Brigade")),
            ("units/brigade.ru.md", &unit("Бригада")),
            (
                "members/kazakhstan.md",
                "---\ntitle: Kazakhstan\njoined: 1992\n---\n",
            ),
            (
                "members/kazakhstan.ru.md",
                "---\ntitle: Казахстан\njoined: 1992\n---\n",
            ),
        ],
    );
    site.build_ok();
    let en = site.output("units/brigade/index.html");
    assert!(
        en.contains("<data class=\"number\" value=\"12500\">12,500</data>"),
        "{en}"
    );
    // Russian groups digits with a no-break space.
    let ru = site.output("ru/units/brigade/index.html");
    assert!(
        ru.contains("<data class=\"number\" value=\"12500\">12\u{a0}500</data>"),
        "{ru}"
    );
    // Four digits (a year, most often) stay as written in every language.
    for path in [
        "members/kazakhstan/index.html",
        "ru/members/kazakhstan/index.html",
    ] {
        let page = site.output(path);
        assert!(page.contains("value=\"1992\">1992</data>"), "{page}");
    }
}

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
    assert!(copy.contains("<html lang=\"ru\">"), "{copy}");
    assert!(copy.contains("class=\"untranslated-notice\""), "{copy}");
    assert!(
        copy.contains("<a href=\"/members/kazakhstan/\" hreflang=\"en\">Открыть оригинал</a>"),
        "{copy}"
    );
    assert!(copy.contains("<h1 lang=\"en\">Kazakhstan</h1>"), "{copy}");
    assert!(
        copy.contains("<div class=\"content\" lang=\"en\">"),
        "{copy}"
    );
    assert!(
        copy.contains("<link rel=\"canonical\" href=\"https://example.org/members/kazakhstan/\">"),
        "{copy}"
    );
    // Its links lead where the original's do, unmarked: its text is the original's.
    assert!(
        copy.contains("<a href=\"/members/kyrgyzstan/\">Kyrgyzstan</a>"),
        "{copy}"
    );
    // The Russian site lists it, and its pages link to it, marked as English.
    let section = site.output("ru/members/index.html");
    assert!(
        section.contains("href=\"/ru/members/kazakhstan/\""),
        "{section}"
    );
    let drill = site.output("ru/drills/brotherhood/index.html");
    assert!(
        drill.contains("<a href=\"/ru/members/kazakhstan/\" hreflang=\"en\" class=\"other-language\">Kazakhstan</a>"),
        "{drill}"
    );
    // The original's switcher leads to it, saying it is not translated yet.
    let original = site.output("members/kazakhstan/index.html");
    assert!(
        original.contains("<a href=\"/ru/members/kazakhstan/\" hreflang=\"ru\" lang=\"ru\" title=\"Not translated yet"),
        "{original}"
    );
    // Translated into no other language, the original names no alternates.
    assert!(
        !original.contains("<link rel=\"alternate\" hreflang"),
        "{original}"
    );
    // Not a page of its own for search engines, the search, the data or the graph.
    assert!(!site.output("sitemap.xml").contains("ru/members/kazakhstan"));
    assert!(!indexed_titles(&site, "ru/search").contains(&"Kazakhstan".to_string()));
    assert!(
        !site
            .output("ru/graph.json")
            .contains("ru/members/kazakhstan")
    );
    let data = site.output("api/pages.json");
    assert!(
        !data.contains("\"path\":\"ru/members/kazakhstan\""),
        "{data}"
    );
    // Its links are its original's: the page they lead to is linked from the original only.
    let kyrgyzstan = site.output("members/kyrgyzstan/index.html");
    assert!(
        kyrgyzstan.contains("href=\"/members/kazakhstan/\""),
        "{kyrgyzstan}"
    );
    assert!(
        !kyrgyzstan.contains("/ru/members/kazakhstan/"),
        "{kyrgyzstan}"
    );
    // It is still a missing translation for writers.
    let warnings = check(&site);
    assert!(warnings.contains("`members/kazakhstan`"), "{warnings}");
    let table = site.run(&["translations"]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("missing     members/kazakhstan"), "{table}");
}

#[test]
fn backlinks_and_inverse_relations_name_pages_of_the_same_language() {
    let site = two_language_site();
    site.build_ok();
    // Kazakhstan has no translation: the Russian drill refers and links to the original.
    let kazakhstan = site.output("members/kazakhstan/index.html");
    assert!(
        kazakhstan.contains("href=\"/drills/brotherhood/\""),
        "{kazakhstan}"
    );
    assert!(
        !kazakhstan.contains("/ru/drills/brotherhood/"),
        "{kazakhstan}"
    );
    assert!(!kazakhstan.contains("Нерушимое братство"), "{kazakhstan}");
    // Translated pages list their own language's pages.
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    assert!(ru.contains("href=\"/ru/drills/brotherhood/\""), "{ru}");
    assert!(!ru.contains("href=\"/drills/brotherhood/\""), "{ru}");
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
    assert!(
        en.contains("<p class=\"query-none\">No page matches.</p>"),
        "{en}"
    );
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    assert!(
        ru.contains("<p class=\"query-none\">Ни одна страница не подходит.</p>"),
        "{ru}"
    );
}

#[test]
fn callouts_without_a_title_are_titled_in_the_pages_language() {
    let site = two_language_site();
    let body = "> [!WARNING]\n> Mind it.\n\n> [!custom]\n> Own type.\n\n> [!tip] A written title\n> Kept.\n";
    site.write(
        "content/members/kyrgyzstan.md",
        &format!("---\ntitle: Kyrgyzstan\n---\n{body}"),
    );
    site.write(
        "content/members/kyrgyzstan.ru.md",
        &format!("---\ntitle: Киргизия\n---\n{body}"),
    );
    site.build_ok();
    let title = |text: &str| format!("<p class=\"callout-title\">{text}</p>");
    let en = site.output("members/kyrgyzstan/index.html");
    assert!(en.contains(&title("Warning")), "{en}");
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    assert!(ru.contains(&title("Предупреждение")), "{ru}");
    // A type the theme has no word for shows as written; a written title stays.
    assert!(ru.contains(&title("Custom")), "{ru}");
    assert!(ru.contains(&title("A written title")), "{ru}");
    assert!(!ru.contains('\0'), "a slot was left in the page");
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

#[test]
fn queries_find_referring_pages_in_the_readers_language_whatever_they_name() {
    let config = format!(
        "{CONFIG}language: en\nlanguages:\n  ru: {{ name: Русский, untranslated: notice }}\n"
    );
    let site = two_language_site_with(&config);
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
    // Both queries list the copy (which nothing but a query shows here), in Russian,
    // once each; and the translated drill, never an English page.
    assert_eq!(ru.matches("href=\"/ru/drills/shield/\"").count(), 2, "{ru}");
    assert!(ru.contains("href=\"/ru/drills/brotherhood/\""), "{ru}");
    assert!(!ru.contains("href=\"/drills/"), "{ru}");
}
