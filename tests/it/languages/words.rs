//! Words in the page's language: the theme's, the schema's labels, numbers, callouts.

use crate::common::{CONFIG, TestSite};

use super::{check, has, lacks, two_language_site, two_language_site_with};

#[test]
fn the_themes_words_come_in_the_pages_language() {
    let site = two_language_site();
    site.build_ok();
    let ru = site.output("ru/drills/brotherhood/index.html");
    assert!(
        ru.contains(">Перейти к содержанию</a>") && ru.contains("<summary>Меню</summary>"),
        "{ru}"
    );
    has(&ru, "placeholder=\"Поиск (нажмите /)\"");
    let en = site.output("drills/brotherhood/index.html");
    assert!(
        en.contains(">Skip to content</a>") && en.contains("<summary>Menu</summary>"),
        "{en}"
    );
    // Plural forms by the language's rule: 1 страница, 2 страницы, 5 страниц.
    let search = site.output("ru/search/index.html");
    assert!(
        search.contains("data-few=\"Найдено {count} страницы по запросу «{query}»\"")
            && search.contains("data-many=\"Найдено {count} страниц по запросу «{query}»\""),
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
    has(
        &said,
        "warning[E009]: 1 words of the theme have no Русский here: `menu`",
    );
    has(&said, "--> themes/default/i18n/ru.yaml:1:1");
    site.build_ok();
    assert!(
        site.output("ru/drills/brotherhood/index.html")
            .contains("<summary>Menu</summary>")
    );
    // A language the theme has no words in at all.
    std::fs::remove_file(&theme_ru).unwrap();
    let said = check(&site);
    has(
        &said,
        "theme `default` has no words in Русский (ru): its own labels stay in English",
    );
    // A word no language has is an error where a template asks for it, as a call or
    // as an attribute of `words`.
    let fails_with = |main: &str| {
        site.write(
            "templates/404.html",
            &format!("{{% extends \"base.html\" %}}{{% block main %}}{main}{{% endblock main %}}"),
        );
        let out = site.run(&["check", "--color", "never"]);
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = fails_with("{{ t(key=\"nothing\") }}");
    assert!(
        said.contains("no theme word `nothing`") && said.contains("templates/404.html:1:"),
        "{said}"
    );
    let said = fails_with("{{ words.nothing }}");
    assert!(
        said.contains("`nothing` is not defined")
            && said.contains("menu")
            && said.contains("templates/404.html:1:51"),
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
    // The search results name kinds in their index's language.
    has(
        &site.output("ru/search/docs-0.json"),
        "\"Государство-член\"",
    );
    lacks(&site.output("search/docs-0.json"), "Государство-член");
    has(&site.output("search/docs-0.json"), "\"Member state\"");
    // A taxonomy's name too, in the menu; English pages keep theirs.
    has(&ru_member, "<li><a href=\"/ru/tags/\">Метки</a></li>");
    has(&en, "<li><a href=\"/tags/\">Tags</a></li>");
    let said = check(&site);
    lacks(&said, "labels have no");

    // A label the default language has and Russian lacks is a warning at the language.
    let fewer = config.replace("      drill.participants: Участники\n", "");
    site.write("site.yaml", &fewer);
    let said = check(&site);
    has(
        &said,
        "warning[E002]: 1 labels have no Русский in `labels:`: `drill.participants`",
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
    has(&en, "<data class=\"number\" value=\"12500\">12,500</data>");
    // Russian groups digits with a no-break space.
    let ru = site.output("ru/units/brigade/index.html");
    has(
        &ru,
        "<data class=\"number\" value=\"12500\">12\u{a0}500</data>",
    );
    // Four digits (a year, most often) stay as written in every language.
    for path in [
        "members/kazakhstan/index.html",
        "ru/members/kazakhstan/index.html",
    ] {
        let page = site.output(path);
        has(&page, "value=\"1992\">1992</data>");
    }
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
    has(&en, &title("Warning"));
    let ru = site.output("ru/members/kyrgyzstan/index.html");
    has(&ru, &title("Предупреждение"));
    // A type the theme has no word for shows as written; a written title stays.
    has(&ru, &title("Custom"));
    has(&ru, &title("A written title"));
    assert!(!ru.contains('\0'), "a slot was left in the page");
}
