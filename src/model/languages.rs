//! Translations in the model: which language a file is in (`page.ru.md`), where its
//! pages go (below the language's folder), and which page each translates.

use rustc_hash::FxHashMap;

use super::{PageId, Role, Site};
use crate::config::SiteConfig;

/// `rel` without the language its file name ends in (`members/russia.ru.md` is
/// `members/russia.md` in `ru`), if that is one of the site's translation languages.
pub(crate) fn language_of<'r>(
    config: &SiteConfig,
    rel: &'r str,
) -> (std::borrow::Cow<'r, str>, Option<String>) {
    let Some(stem) = crate::source::markdown_stem(rel) else {
        return (rel.into(), None);
    };
    let (dir, name) = stem.rsplit_once('/').map_or(("", stem), |(d, n)| (d, n));
    match name.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && config.is_translation_language(code) => {
            let ext = &rel[stem.len()..];
            let joined = match dir {
                "" => format!("{base}{ext}"),
                dir => format!("{dir}/{base}{ext}"),
            };
            (joined.into(), Some(code.to_string()))
        }
        _ => (rel.into(), None),
    }
}

/// `path` (a URL path of the default language) below the folder of language `lang`.
pub(crate) fn in_language_folder(config: &SiteConfig, lang: Option<&str>, path: &str) -> String {
    in_folder(config.language_folder(lang), path)
}

/// `path` below URL folder `folder` (`""`: the site's root).
pub(crate) fn in_folder(folder: &str, path: &str) -> String {
    match (folder, path) {
        ("", path) => path.to_string(),
        (folder, "") => folder.to_string(),
        (folder, path) => format!("{folder}/{path}"),
    }
}

impl Site {
    /// The languages with pages, the default (`None`) first: those a reader can switch to.
    pub(crate) fn languages_with_pages(&self) -> impl Iterator<Item = Option<&str>> {
        std::iter::once(None).chain(self.languages.iter().map(|(code, _)| Some(code.as_str())))
    }

    /// The translation of page `id` into `lang`, if it has one; `id` itself when it is
    /// in `lang` already.
    pub(crate) fn translation(&self, id: PageId, lang: Option<&str>) -> Option<PageId> {
        let page = self.page(id);
        if page.lang.as_deref() == lang {
            return Some(id);
        }
        let original = self.originals.get(&id).copied().unwrap_or(id);
        if lang.is_none() {
            return Some(original).filter(|o| self.page(*o).lang.is_none());
        }
        self.translations
            .get(&original)?
            .iter()
            .copied()
            .find(|t| self.page(*t).lang.as_deref() == lang)
    }

    /// Page `id` and its translations, or those of the page it translates: the same
    /// page in every language it is written in, the default language first.
    pub(crate) fn versions(&self, id: PageId) -> Vec<PageId> {
        let original = self.originals.get(&id).copied().unwrap_or(id);
        let mut all = vec![original];
        all.extend(
            self.translations
                .get(&original)
                .into_iter()
                .flatten()
                .copied(),
        );
        all
    }
}

/// For each language that shows untranslated pages with a notice, a copy of every page
/// of the default language it has no translation of, under its folder: the original's
/// text, with `untranslated` set (no file of its own, no aliases, which stay the
/// original's). Made before pairing, which then pairs each with its original.
pub(super) fn add_untranslated(config: &SiteConfig, pages: &mut Vec<super::Page>) {
    let mut added = Vec::new();
    for code in config.notice_languages() {
        let translated: std::collections::HashSet<(&str, Role)> = pages
            .iter()
            .filter(|p| p.lang.as_deref() == Some(code))
            .map(|p| (p.source_path.as_str(), p.role))
            .collect();
        let lang = Some(code);
        for original in pages.iter().filter(|p| p.lang.is_none()) {
            if translated.contains(&(original.source_path.as_str(), original.role)) {
                continue;
            }
            let mut page = original.clone();
            page.lang = lang.map(str::to_string);
            page.untranslated = true;
            page.file = None;
            if let Some(seldom) = &mut page.meta.seldom {
                seldom.aliases.clear();
            }
            page.path = in_language_folder(config, lang, &original.path);
            // A language's home has no section above it, as a translated one.
            page.section = match original.path.is_empty() {
                true => page.path.clone(),
                false => in_language_folder(config, lang, &original.section),
            };
            added.push(page);
        }
    }
    pages.extend(added);
}

/// Pairs each translation with the page of the default language at the same source path
/// (`members/russia.ru.md` with `members/russia.md`), if there is one.
pub(super) fn pair_translations(config: &SiteConfig, site: &mut Site) {
    if config.languages.is_empty() {
        return;
    }
    let originals: FxHashMap<(&str, Role), PageId> = site
        .iter()
        .filter(|(_, p)| p.lang.is_none())
        .map(|(id, p)| ((p.source_path.as_str(), p.role), id))
        .collect();
    let paired: Vec<(PageId, PageId)> = site
        .iter()
        .filter(|(_, page)| page.lang.is_some())
        .filter_map(|(id, page)| {
            Some((id, *originals.get(&(page.source_path.as_str(), page.role))?))
        })
        .collect();
    let mut translations: FxHashMap<PageId, Vec<PageId>> = FxHashMap::default();
    for (id, original) in paired {
        translations.entry(original).or_default().push(id);
        site.originals.insert(id, original);
    }
    let order: Vec<Option<&str>> = config.all_languages().collect();
    for list in translations.values_mut() {
        list.sort_by_key(|t| {
            order
                .iter()
                .position(|l| *l == site.pages[t.0].lang.as_deref())
        });
    }
    site.translations = translations;
    site.languages = order
        .into_iter()
        .flatten()
        .filter(|code| site.pages.iter().any(|p| p.lang.as_deref() == Some(*code)))
        .map(|code| {
            (
                code.to_string(),
                config.language_folder(Some(code)).to_string(),
            )
        })
        .collect();
}
