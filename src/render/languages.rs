//! What templates show of a site's languages: each page's versions in the other
//! languages (for `hreflang` links and the language switcher), and the languages' homes.

use tera::Value;

use super::RenderInput;
use super::reads::{Read, Recorder};
use super::values::{PageValues, object};
use crate::model::{PageId, in_language_folder};

/// Per language of the site with pages, the page `id` in it: `{lang, name, url,
/// permalink, current, translated, notice}`; a language the page is not translated into
/// leads to its home (`translated: false`), or to the original's text shown in it with a
/// notice (`notice: true`, with `untranslated: notice`). Then the `{lang, permalink}` of
/// the versions written in their language (`hreflang` alternates), once there are two.
/// Both empty for a site in one language.
pub(crate) fn versions_values(
    values: &PageValues<'_>,
    id: PageId,
    recorder: &Recorder,
) -> (Value, Value) {
    let input = values.input;
    let (config, site) = (input.config, input.site);
    if site.languages.is_empty() {
        return (
            Value::from(Vec::<Value>::new()),
            Value::from(Vec::<Value>::new()),
        );
    }
    let lang = site.page(id).lang.as_deref();
    let found: Vec<(Option<&str>, Option<PageId>)> = site
        .languages_with_pages()
        .map(|other| (other, site.translation(id, other)))
        .collect();
    // `hreflang` alternates only once the page is written in two languages or more.
    let written = |v: &Option<PageId>| v.is_some_and(|v| !site.page(v).untranslated);
    let with_alternates = found.iter().filter(|(_, v)| written(v)).count() >= 2;
    let mut alternates = Vec::new();
    let list: Vec<Value> = found
        .into_iter()
        .map(|(other, version)| {
            let code = config.language_code(other);
            // Made once per language for the many pages not in it.
            let Some(version) = version else {
                return values.language_homes[code].clone();
            };
            recorder.read(Read::Facts(version));
            // Every page's URL is made once (`LinkTargets`).
            let url = values.targets.url(version).to_string();
            let permalink = input.urls.absolute(&url);
            let notice = site.page(version).untranslated;
            if with_alternates && !notice {
                alternates.push(object([
                    ("lang", code.into()),
                    ("permalink", permalink.as_str().into()),
                ]));
            }
            object([
                ("lang", code.into()),
                ("name", config.language_name(code).into()),
                ("permalink", permalink.into()),
                ("url", url.into()),
                ("current", (other == lang).into()),
                ("translated", (!notice).into()),
                ("notice", notice.into()),
            ])
        })
        .collect();
    (Value::from(list), Value::from(alternates))
}

/// Per language code, the switcher's entry leading to that language's home, for a page
/// not in it: `{lang, name, permalink, url, current: false, translated: false, notice: false}`.
pub(crate) fn language_homes(input: &RenderInput<'_>) -> std::collections::HashMap<String, Value> {
    let config = input.config;
    input
        .site
        .languages_with_pages()
        .map(|lang| {
            let code = config.language_code(lang);
            let url = input.urls.path(&in_language_folder(config, lang, ""));
            let entry = object([
                ("lang", code.into()),
                ("name", config.language_name(code).into()),
                ("permalink", input.urls.absolute(&url).into()),
                ("url", url.into()),
                ("current", false.into()),
                ("translated", false.into()),
                ("notice", false.into()),
            ]);
            (code.to_string(), entry)
        })
        .collect()
}

/// For an untranslated copy (`untranslated: notice`), its original: `{lang, name, url,
/// permalink}`, for the notice and the canonical link; none for other pages.
pub(crate) fn untranslated_value(
    input: &RenderInput<'_>,
    id: PageId,
    recorder: &Recorder,
) -> Value {
    let site = input.site;
    let original = match site.page(id).untranslated {
        true => site.originals.get(&id).copied(),
        false => None,
    };
    let Some(original) = original else {
        return Value::none();
    };
    recorder.read(Read::Facts(original));
    let path = &site.page(original).path;
    let code = input.config.language.as_str();
    object([
        ("lang", code.into()),
        ("name", input.config.language_name(code).into()),
        ("url", input.urls.path(path).into()),
        ("permalink", input.urls.permalink(path).into()),
    ])
}

/// Per language code, what the header and footer of a page in that language link to:
/// `{title, description, home_url, feed_url, search_url, timeline_url, graph_url,
/// graph_json_url, data_json_url, sections, taxonomies, recent}`, its own where it has
/// them (`search_url` is the search page, whose folder holds the language's index;
/// `recent` its newest pages).
pub(crate) fn menus_value(
    input: &RenderInput<'_>,
    values: &super::PageValues<'_>,
    newest: &std::collections::HashMap<Option<&str>, Vec<PageId>>,
    recorder: &Recorder,
) -> Value {
    let (config, site) = (input.config, input.site);
    let feeds = crate::publish::feeds::sections_with_feeds(site);
    let mut map = tera::Map::new();
    for lang in config.all_languages() {
        let folder = config.language_folder(lang);
        let home = site.by_path.get(folder).copied();
        let has_feed = lang.is_none() || home.is_some_and(|h| feeds.contains(&h));
        let feed = crate::publish::feeds::feed_path(if has_feed { folder } else { "" });
        let within = |name: &str| in_language_folder(config, lang, name);
        let menu = object([
            ("title", config.title_in(lang).into()),
            ("description", config.description_in(lang).into()),
            ("home_url", input.urls.path(folder).into()),
            ("timeline_url", input.urls.path(&within("timeline")).into()),
            ("graph_url", input.urls.path(&within("graph")).into()),
            (
                "graph_json_url",
                input.urls.file(&within("graph.json")).into(),
            ),
            (
                "data_json_url",
                input.urls.file(&within("api/pages.json")).into(),
            ),
            ("recent", values.list(newest.get(&lang), recorder)),
            ("feed_url", input.urls.file(&feed).into()),
            ("search_url", input.urls.path(&within("search")).into()),
            (
                "sections",
                values.list(home.and_then(|h| site.subsections.get(&h)), recorder),
            ),
            ("taxonomies", taxonomy_links(input, lang)),
        ]);
        map.insert(config.language_code(lang).to_string().into(), menu);
    }
    Value::from(map)
}

/// `[{name, label, url}]`: the taxonomies of language `lang` (`None`: the default), as
/// a menu links to them.
pub(crate) fn taxonomy_links(input: &RenderInput<'_>, lang: Option<&str>) -> Value {
    let links: Vec<Value> = input
        .taxonomies
        .iter()
        .filter(|t| t.lang.as_deref() == lang)
        .map(|t| {
            object([
                ("name", t.name.as_str().into()),
                ("label", t.label(input.config).into()),
                ("url", input.urls.path(&t.path()).into()),
            ])
        })
        .collect();
    links.into()
}

/// The site's languages with pages, the default first: `{lang, name, url}` with the URL
/// of each one's home.
pub(crate) fn languages_value(input: &RenderInput<'_>) -> Value {
    let config = input.config;
    let list: Vec<Value> = input
        .site
        .languages_with_pages()
        .map(|lang| {
            let code = config.language_code(lang);
            object([
                ("lang", code.into()),
                ("name", config.language_name(code).into()),
                (
                    "url",
                    input
                        .urls
                        .path(&in_language_folder(config, lang, ""))
                        .into(),
                ),
            ])
        })
        .collect();
    Value::from(list)
}
