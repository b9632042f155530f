//! Resolving a written reference (a slug, a path or an `@/` path) to a page.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::Attachments;
use crate::error::closest;
use crate::model::{LeftOut, PageId, Site};

/// The names pages are linked by, made once per site: `serve` keeps them, since an edit
/// that keeps every page's place keeps every name.
#[derive(Debug, Default)]
pub(crate) struct PageNames {
    by_slug: FxHashMap<String, Vec<PageId>>,
    by_source: FxHashMap<String, PageId>,
    /// Pages by the URL form of their file (or folder) name, for Obsidian's way of naming a
    /// page by its file name in any case, from anywhere, with as much of its path as needed.
    by_name: FxHashMap<String, Vec<PageId>>,
    /// Pages by the URL form of their `aliases:`, which Obsidian and Quartz take as other
    /// names to link to the page by (and Zola and Hugo as old URLs, which they also are).
    by_alias: FxHashMap<String, Vec<PageId>>,
    /// Per language, the names of its pages that translate no page: those are found by
    /// their own names, translations by their originals'.
    only_in: FxHashMap<String, PageNames>,
}

impl PageNames {
    /// The names of every page of `site`.
    pub(crate) fn new(site: &Site) -> PageNames {
        use rayon::prelude::*;
        // The URL forms of names, made in parallel: they were most of this serial step.
        let forms: Vec<NameForms> = site.pages.par_iter().map(NameForms::of).collect();
        let mut names = PageNames::default();
        names.by_slug.reserve(site.pages.len());
        names.by_source.reserve(site.pages.len());
        names.by_name.reserve(site.pages.len());
        for ((id, page), forms) in site.iter().zip(forms) {
            if let Some(lang) = &page.lang {
                if !site.originals.contains_key(&id) {
                    names
                        .only_in
                        .entry(lang.clone())
                        .or_default()
                        .add(id, page, forms);
                }
                continue;
            }
            names.add(id, page, forms);
        }
        names
    }

    /// Adds the names of page `id`, whose URL forms are `forms`.
    fn add(&mut self, id: PageId, page: &crate::model::Page, forms: NameForms) {
        for key in forms.aliases {
            self.by_alias.entry(key).or_default().push(id);
        }
        if page.file.is_some() {
            self.by_source.insert(page.source_path.clone(), id);
            if let Some(key) = forms.file_name {
                self.by_name.entry(key).or_default().push(id);
            }
        }
        if !page.path.is_empty() {
            self.by_slug.entry(page.slug.clone()).or_default().push(id);
        }
    }
}

/// The URL forms of a page's `aliases:` and of its file name, as links find it by them.
struct NameForms {
    aliases: Vec<String>,
    file_name: Option<String>,
}

impl NameForms {
    fn of(page: &crate::model::Page) -> NameForms {
        let aliases = page.meta.seldom().aliases.iter();
        let name = page.source_path.rsplit('/').next().unwrap_or_default();
        NameForms {
            aliases: aliases
                .map(slug::slugify)
                .filter(|key| !key.is_empty())
                .collect(),
            file_name: (page.file.is_some() && !name.is_empty()).then(|| slug::slugify(name)),
        }
    }
}

/// Lookup tables to resolve a written reference to a page.
pub(super) struct Resolver<'a> {
    pub(super) site: &'a Site,
    pub(super) attachments: &'a Attachments,
    names: &'a PageNames,
    /// Hints that scan every page, by (what was written, wanted kind): a renamed
    /// page can break thousands of links, and each hint is worked out once.
    hints: Mutex<FxHashMap<(String, Option<String>), String>>,
}

/// Why a written reference did not resolve.
pub(super) enum Unresolved {
    Invalid(&'static str),
    Missing,
    Ambiguous(Vec<PageId>),
}

impl<'a> Resolver<'a> {
    pub(super) fn new(
        site: &'a Site,
        attachments: &'a Attachments,
        names: &'a PageNames,
    ) -> Resolver<'a> {
        Resolver {
            site,
            attachments,
            names,
            hints: Mutex::default(),
        }
    }

    /// Resolves `written` in a page in language `lang` (`None`: the default): to the
    /// page in that language when there is one, else to the original, which the link
    /// marks as in another language; then among the pages only that language has.
    pub(super) fn resolve_in(
        &self,
        written: &str,
        lang: Option<&str>,
    ) -> Result<PageId, Unresolved> {
        let Some(code) = lang else {
            return self.resolve(written);
        };
        match self.resolve(written) {
            Ok(id) => Ok(self.site.translation(id, lang).unwrap_or(id)),
            Err(Unresolved::Missing) => match self.names.only_in.get(code) {
                Some(names) => Resolver::new(self.site, self.attachments, names).resolve(written),
                None => Err(Unresolved::Missing),
            },
            Err(why) => Err(why),
        }
    }

    /// Resolves `written`: a slug (`russia`), a path (`members/russia`), or an
    /// `@/` path with `.md` (`members/russia.md`, `members/_index.md`).
    pub(super) fn resolve(&self, written: &str) -> Result<PageId, Unresolved> {
        match self.resolve_exactly(written) {
            Err(Unresolved::Missing) => match self.by_file_name(written) {
                Err(Unresolved::Missing) => self.by_alias(written),
                found => found,
            },
            found => found,
        }
    }

    /// As Obsidian finds a page: by its file name in any case and spacing (`[[name page]]`,
    /// `[[Name Page.md]]`), with folders above it only as far as needed to tell two apart
    /// (`[[topic/Name Page]]`).
    fn by_file_name(&self, written: &str) -> Result<PageId, Unresolved> {
        let written = crate::source::markdown_stem(written).unwrap_or(written);
        let wanted: Vec<String> = written
            .split('/')
            .filter(|c| !c.is_empty())
            .map(slug::slugify)
            .collect();
        let Some(name) = wanted.last() else {
            return Err(Unresolved::Missing);
        };
        let matching: Vec<PageId> = self
            .names
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|id| {
                let source: Vec<String> = self
                    .site
                    .page(*id)
                    .source_path
                    .split('/')
                    .map(slug::slugify)
                    .collect();
                source.ends_with(&wanted)
            })
            .collect();
        match matching.as_slice() {
            [one] => Ok(*one),
            [] => Err(Unresolved::Missing),
            many => Err(Unresolved::Ambiguous(many.to_vec())),
        }
    }

    /// The page that has `written` among its `aliases:` (`[[start]]` for `aliases: [start]`).
    fn by_alias(&self, written: &str) -> Result<PageId, Unresolved> {
        match self
            .names
            .by_alias
            .get(&slug::slugify(written))
            .map(Vec::as_slice)
        {
            Some([one]) => Ok(*one),
            Some(many) if many.len() > 1 => Err(Unresolved::Ambiguous(many.to_vec())),
            _ => Err(Unresolved::Missing),
        }
    }

    /// Resolves `written` as muster writes references: a slug, a path, an `@/` path.
    fn resolve_exactly(&self, written: &str) -> Result<PageId, Unresolved> {
        if written.is_empty() {
            return Err(Unresolved::Invalid("the reference is empty"));
        }
        if written.starts_with('/')
            || written.contains('\\')
            || written.split('/').any(|c| c == ".." || c == ".")
        {
            return Err(Unresolved::Invalid(
                "references are paths below content/, without `..`, `.` or a leading `/`",
            ));
        }
        let stem = crate::source::markdown_stem(written);
        let path = stem.unwrap_or(written);
        let path = path
            .strip_suffix("/_index")
            .or_else(|| path.strip_suffix("/index"))
            .unwrap_or(if path == "_index" { "" } else { path });
        if path.contains('/') || path.is_empty() || stem.is_some() {
            return self
                .names
                .by_source
                .get(path)
                .or_else(|| self.site.by_path.get(path))
                .copied()
                .ok_or(Unresolved::Missing);
        }
        match self.by_slug_or_path(path) {
            // `[[Kazakhstan Airborne]]` finds the page with slug `kazakhstan-airborne`.
            Err(Unresolved::Missing) => match slug::slugify(path) {
                slugified if slugified != path => self.by_slug_or_path(&slugified),
                _ => Err(Unresolved::Missing),
            },
            found => found,
        }
    }

    fn by_slug_or_path(&self, key: &str) -> Result<PageId, Unresolved> {
        match self.names.by_slug.get(key).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if many.len() > 1 => Err(Unresolved::Ambiguous(many.to_vec())),
            _ => self
                .site
                .by_path
                .get(key)
                .copied()
                .ok_or(Unresolved::Missing),
        }
    }

    /// A hint for a reference that did not resolve; `None` when it is missing and a
    /// "did you mean" is to be worked out by a [`Suggester`] after resolution.
    pub(super) fn hint(&self, written: &str, why: &Unresolved) -> Option<String> {
        Some(match why {
            Unresolved::Invalid(msg) => msg.to_string(),
            Unresolved::Ambiguous(ids) => format!(
                "`{written}` names several pages; write the path instead: {}",
                ids.iter()
                    .map(|id| self.site.page(*id).path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Unresolved::Missing if let Some(why) = self.left_out(written) => match why {
                LeftOut::Unreadable(file) => format!(
                    "`{written}` is in {}, which could not be read: fix the error there first",
                    file.display()
                ),
                LeftOut::Draft => format!(
                    "`{written}` is a draft: build with --drafts, or remove the reference until it is published"
                ),
                LeftOut::Headless => format!(
                    "`{written}` is headless (`headless: true`, here or on its section): it has no page to link to"
                ),
            },
            Unresolved::Missing => return None,
        })
    }

    /// Why the page `written` names is not in the site, if it was left out.
    fn left_out(&self, written: &str) -> Option<&LeftOut> {
        let left_out = &self.site.left_out;
        let stem = crate::source::markdown_stem(written).unwrap_or(written);
        left_out
            .get(stem)
            .or_else(|| left_out.get(&slug::slugify(stem)))
    }

    /// The file whose error makes `written` unresolvable, if that is why.
    pub(super) fn cause(&self, written: &str) -> Option<&std::path::Path> {
        match self.left_out(written)? {
            LeftOut::Unreadable(file) => Some(file),
            _ => None,
        }
    }

    fn cached(&self, key: (&str, Option<&str>), make: impl FnOnce() -> String) -> String {
        let key = (key.0.to_string(), key.1.map(str::to_string));
        if let Some(hint) = self
            .hints
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return hint.clone();
        }
        let hint = make();
        self.hints
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, hint.clone());
        hint
    }

    pub(super) fn list_of_kind(&self, kind: &str) -> String {
        self.cached(("", Some(kind)), || self.scan_kind(kind))
    }

    fn scan_kind(&self, kind: &str) -> String {
        crate::model::pages_of_kind(self.site, kind, None)
    }
}

/// Most "did you mean" hints worked out per build: each scans the pages, so a renamed
/// page that breaks many thousands of different links must not cost a scan for each.
pub(super) const MAX_SUGGESTED: usize = 100;

/// Works out "did you mean" hints for missing references: each distinct (reference,
/// kind) once, among pages whose slug is close enough in length to be a typo, and at
/// most [`MAX_SUGGESTED`] per build. Called in page order, so which ones get a
/// suggestion does not depend on threads.
pub(super) struct Suggester<'a> {
    resolver: &'a Resolver<'a>,
    /// Slugs (with their page's kind) by length in characters.
    by_length: BTreeMap<usize, Vec<(&'a str, Option<&'a str>)>>,
    made: FxHashMap<(String, Option<String>), String>,
}

impl<'a> Suggester<'a> {
    pub(super) fn new(resolver: &'a Resolver<'a>) -> Suggester<'a> {
        let mut by_length: BTreeMap<usize, Vec<(&str, Option<&str>)>> = BTreeMap::new();
        for page in &resolver.site.pages {
            by_length
                .entry(page.slug.chars().count())
                .or_default()
                .push((page.slug.as_str(), page.kind.as_deref()));
        }
        Suggester {
            resolver,
            by_length,
            made: FxHashMap::default(),
        }
    }

    /// The hint for `written`, missing, where a page of `kind` (if given) was wanted.
    pub(super) fn hint(&mut self, written: &str, kind: Option<&str>) -> String {
        let key = (written.to_string(), kind.map(str::to_string));
        if let Some(hint) = self.made.get(&key) {
            return hint.clone();
        }
        if self.made.len() >= MAX_SUGGESTED {
            return format!(
                "check the file name under content/ (names are suggested for the first {MAX_SUGGESTED} missing pages only)"
            );
        }
        let last = written
            .rsplit('/')
            .next()
            .unwrap_or(written)
            .trim_end_matches(".md");
        // `closest` needs a Jaro-Winkler score above 0.88, which two words whose lengths
        // differ by more than 2.5 times cannot reach: (2 + shorter/longer) / 3 must exceed 0.8.
        let n = last.chars().count();
        let candidates = self
            .by_length
            .range(n * 2 / 5..=n * 5 / 2)
            .flat_map(|(_, slugs)| slugs)
            .filter(|(_, k)| kind.is_none_or(|want| *k == Some(want)))
            .map(|(slug, _)| *slug);
        let hint = match closest(last, candidates) {
            Some(c) => format!("did you mean `{c}`?"),
            None => match kind {
                Some(k) => crate::model::pages_of_kind(self.resolver.site, k, Some(last)),
                None => "check the file name under content/".to_string(),
            },
        };
        self.made.insert(key, hint.clone());
        hint
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::source::SourceFile;

    fn site(paths: &[&str]) -> Site {
        let config = SiteConfig::parse("title: T\n").unwrap();
        let files = paths
            .iter()
            .map(|p| {
                SourceFile {
                    section_index: false,
                    rel: p.to_string(),
                    file: format!("content/{p}").into(),
                    text: "---\ntitle: X\n---\n".to_string(),
                }
                .into()
            })
            .collect();
        let (site, errors) = crate::model::load(&config, None, None, files, false, None);
        assert!(errors.is_empty(), "{errors:?}");
        site
    }

    fn path_of(site: &Site, r: Result<PageId, Unresolved>) -> Option<&str> {
        r.ok().map(|id| site.page(id).path.as_str())
    }

    #[test]
    fn resolves_slugs_paths_and_at_paths() {
        let site = site(&[
            "members/russia.md",
            "members/_index.md",
            "drills/x/index.md",
            "_index.md",
        ]);
        let none = Attachments::default();
        let names = PageNames::new(&site);
        let r = Resolver::new(&site, &none, &names);
        assert_eq!(path_of(&site, r.resolve("russia")), Some("members/russia"));
        assert_eq!(
            path_of(&site, r.resolve("members/russia")),
            Some("members/russia")
        );
        assert_eq!(
            path_of(&site, r.resolve("members/russia.md")),
            Some("members/russia")
        );
        assert_eq!(
            path_of(&site, r.resolve("members/_index.md")),
            Some("members")
        );
        assert_eq!(path_of(&site, r.resolve("members")), Some("members"));
        assert_eq!(
            path_of(&site, r.resolve("drills/x/index.md")),
            Some("drills/x")
        );
        assert_eq!(path_of(&site, r.resolve("x")), Some("drills/x"));
        assert_eq!(path_of(&site, r.resolve("_index.md")), Some(""));
        assert_eq!(path_of(&site, r.resolve("Russia")), Some("members/russia"));
    }

    #[test]
    fn refuses_escapes_and_reports_ambiguity() {
        let site = site(&["a/same.md", "b/same.md"]);
        let none = Attachments::default();
        let names = PageNames::new(&site);
        let r = Resolver::new(&site, &none, &names);
        for bad in ["", "../x", "/etc/passwd", "a/./same", "a\\same"] {
            assert!(
                matches!(r.resolve(bad), Err(Unresolved::Invalid(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(r.resolve("same"), Err(Unresolved::Ambiguous(ids)) if ids.len() == 2));
        assert_eq!(path_of(&site, r.resolve("b/same")), Some("b/same"));
        assert!(matches!(r.resolve("nothing"), Err(Unresolved::Missing)));
        assert_eq!(r.hint("sme", &Unresolved::Missing), None);
        let mut suggest = Suggester::new(&r);
        assert_eq!(suggest.hint("sme", None), "did you mean `same`?");
        assert_eq!(suggest.hint("a/sam.md", None), "did you mean `same`?");
    }

    #[test]
    fn finds_pages_by_file_name_as_obsidian_does() {
        let site = site(&[
            "vault/Deep Note.md",
            "vault/a/Twice.md",
            "vault/b/Twice.md",
            "notes/Plain Blog.markdown",
        ]);
        let none = Attachments::default();
        let names = PageNames::new(&site);
        let r = Resolver::new(&site, &none, &names);
        for written in [
            "Deep Note",
            "deep note",
            "Deep Note.md",
            "vault/Deep Note",
            "Plain Blog.markdown",
        ] {
            assert!(r.resolve(written).is_ok(), "{written:?}");
        }
        assert_eq!(path_of(&site, r.resolve("b/Twice")), Some("vault/b/twice"));
        assert!(matches!(r.resolve("Twice"), Err(Unresolved::Ambiguous(ids)) if ids.len() == 2));
        // Folders written must be the page's own, from the end: no partial names.
        for wrong in ["c/Twice", "Note", "a/Deep Note", "eep Note"] {
            assert!(
                matches!(r.resolve(wrong), Err(Unresolved::Missing)),
                "{wrong:?}"
            );
        }
    }

    #[test]
    fn suggestions_stop_after_a_hundred_distinct_references() {
        let site = site(&["a/same.md"]);
        let none = Attachments::default();
        let names = PageNames::new(&site);
        let r = Resolver::new(&site, &none, &names);
        let mut suggest = Suggester::new(&r);
        for i in 0..MAX_SUGGESTED {
            assert_eq!(
                suggest.hint(&format!("zz{i}"), None),
                "check the file name under content/"
            );
        }
        // One already worked out keeps its hint; a new one gets none.
        assert_eq!(
            suggest.hint("zz0", None),
            "check the file name under content/"
        );
        assert!(suggest.hint("sme", None).contains("first 100"));
    }

    #[test]
    fn candidates_too_different_in_length_are_never_close() {
        // The length filter may not lose a suggestion `closest` would make.
        for (a, b) in [("ab", "abcde"), ("abcd", "abcdefghij"), ("russia", "r")] {
            let (short, long) = (a.chars().count(), b.chars().count());
            let filtered_out = long > short * 5 / 2 || long < short * 2 / 5;
            if filtered_out {
                assert_eq!(closest(a, [b]), None, "{a} {b}");
            }
        }
    }
}
