//! Links and images to paths of this site (`pic.png`, `../x/`, `/blog/x/#intro`), checked
//! after planning against every file the build will write, as a reader's browser would
//! find them on a static host: one lookup per link in the set of output paths.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind, closest, nearest};
use crate::model::{Page, PageId, Site};

/// The files a build writes (output paths, `/`-separated), to check links against.
pub(crate) struct OutputFiles<'a> {
    files: HashSet<&'a str>,
    /// For hints, made on the first broken link: what a link may name (files, and pages
    /// as their folders) by parent folder and by lower-case last name.
    hints: OnceCell<HintIndex<'a>>,
}

#[derive(Default)]
struct HintIndex<'a> {
    by_folder: HashMap<&'a str, Vec<&'a str>>,
    by_name: HashMap<String, Vec<&'a str>>,
}

/// The folder of `/`-separated `path` (`""` at the root).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

impl<'a> OutputFiles<'a> {
    /// The set of `paths`.
    pub(crate) fn new(paths: impl Iterator<Item = &'a str>) -> OutputFiles<'a> {
        OutputFiles {
            files: paths.collect(),
            hints: OnceCell::new(),
        }
    }

    fn hint_index(&self) -> &HintIndex<'a> {
        self.hints.get_or_init(|| {
            let mut index = HintIndex::default();
            for &file in &self.files {
                // Pages are their folders: `x/index.html` is offered as `x`.
                let named = file.strip_suffix("/index.html").unwrap_or(file);
                index
                    .by_folder
                    .entry(parent(named))
                    .or_default()
                    .push(named);
                let name = named.rsplit('/').next().unwrap_or(named).to_lowercase();
                index.by_name.entry(name).or_default().push(named);
            }
            for list in index
                .by_folder
                .values_mut()
                .chain(index.by_name.values_mut())
            {
                list.sort_unstable();
            }
            index
        })
    }

    /// Whether a static host serves something at `path` (below the output root): the
    /// file, or a folder's `index.html` (with or without the trailing `/`).
    fn serves(&self, path: &str) -> bool {
        let folder = path.trim_end_matches('/');
        let index = if folder.is_empty() {
            "index.html".to_string()
        } else {
            format!("{folder}/index.html")
        };
        (!path.ends_with('/') && self.files.contains(path)) || self.files.contains(index.as_str())
    }
}

/// Checks the local URLs of every page of `site` (or of `only`) against `outputs`.
pub(crate) fn check(
    config: &SiteConfig,
    site: &Site,
    outputs: &OutputFiles<'_>,
    only: Option<PageId>,
) -> Vec<Diagnostic> {
    let base_paths = base_paths(config);
    let pages: Vec<(PageId, &Page)> = match only {
        Some(id) => vec![(id, site.page(id))],
        None => site.iter().collect(),
    };
    let mut errors = Vec::new();
    let mut hints_made = 0;
    for (_, page) in pages {
        for (n, url) in page.body.local.iter().enumerate() {
            let place = page.local_link(n);
            let what = if url.image { "image" } else { "link" };
            let diagnostic = |kind, message: String, hint: String| {
                page.diagnostic_at_link(kind, message, place).hint(hint)
            };
            let (path, fragment) = match resolve(&page.path, &url.dest, &base_paths) {
                Ok(found) => found,
                Err(why) => {
                    let d = diagnostic(
                        ErrorKind::Link,
                        format!("{what} to `{}` leaves the site", url.dest),
                        why,
                    );
                    errors.push(config.broken_links.files.apply(d));
                    continue;
                }
            };
            if !outputs.serves(&path) {
                let d = diagnostic(
                    ErrorKind::Link,
                    format!("{what} to `{}`: the site has no `/{path}`", url.dest),
                    if hints_made < MAX_PATH_HINTS {
                        hints_made += 1;
                        missing_hint(&page.path, &url.dest, &path, outputs, &base_paths)
                    } else {
                        GENERIC_PATH_HINT.to_string()
                    },
                );
                errors.push(config.broken_links.files.apply(d));
                continue;
            }
            let Some(fragment) = fragment else { continue };
            // A fragment of one of the site's pages must be one of its anchors.
            let Some(&target) = site.by_path.get(path.trim_end_matches('/')) else {
                continue;
            };
            let target = site.page(target);
            if !has_anchor(target, &fragment) {
                let d = diagnostic(
                    ErrorKind::Anchor,
                    format!(
                        "link to `{}`: that page has no anchor `#{fragment}`",
                        url.dest
                    ),
                    anchor_hint(target, &fragment),
                );
                errors.push(config.broken_links.anchors.apply(d));
            }
        }
    }
    errors
}

/// The site's base paths a root-relative link may start with: the one it is built for,
/// and the one site.yaml declares (they differ under `--base-url` or `serve`).
fn base_paths(config: &SiteConfig) -> Vec<String> {
    let mut paths = vec![
        crate::config::base_path(&config.base_url).to_string(),
        config.declared_base_path.clone(),
    ];
    paths.retain(|p| !p.is_empty());
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    paths.dedup();
    paths
}

/// The output path (`blog/x/`, `img/a.png`) and fragment `dest` points to, from the page
/// at `page_path` (whose URL is a folder: `/page_path/`); or why it points nowhere.
fn resolve(
    page_path: &str,
    dest: &str,
    base_paths: &[String],
) -> Result<(String, Option<String>), String> {
    let (rest, fragment) = match dest.split_once('#') {
        Some((r, f)) => (
            r,
            Some(percent_decode_str(f).decode_utf8_lossy().into_owned()),
        ),
        None => (dest, None),
    };
    let rest = rest.split('?').next().unwrap_or_default();
    let decoded = percent_decode_str(rest).decode_utf8_lossy();
    let (base, relative) = match decoded.strip_prefix('/') {
        Some(_) => {
            // From the server's root: it must be inside the site's base path.
            // `/kb/x` is `x` below the base `/kb/`; `/kb` alone is the base itself.
            let inside = base_paths.iter().find_map(|base| {
                decoded
                    .strip_prefix(base.as_str())
                    .or_else(|| (decoded.as_ref() == base.trim_end_matches('/')).then_some(""))
            });
            match inside {
                Some(r) => (String::new(), r.to_string()),
                None => {
                    return Err(format!(
                        "the site lives at {}; write the path from there, or relative to this page",
                        base_paths.first().map_or("/", String::as_str)
                    ));
                }
            }
        }
        None => (page_path.to_string(), decoded.into_owned()),
    };
    let Some(parts) = crate::url_path::join(&base, &relative) else {
        return Err("the path climbs above the site's root".into());
    };
    let mut path = parts.join("/");
    // A link to a folder (`../x/`) keeps its slash; `/` alone is the home page.
    if (relative.ends_with('/') || relative.is_empty() || relative.ends_with("/."))
        && !path.is_empty()
    {
        path.push('/');
    }
    Ok((path, fragment.filter(|f| !f.is_empty())))
}

/// Whether `page` has `anchor`: a heading id, an id in its raw HTML, a footnote or a block
/// id; or `top`, which browsers take as the top of any page.
pub(crate) fn has_anchor(page: &Page, anchor: &str) -> bool {
    anchor.eq_ignore_ascii_case("top")
        || page.body.headings.iter().any(|h| *h.id == *anchor)
        || page.body.anchors.iter().any(|a| a == anchor)
}

/// How many anchors a hint names when none is close enough for "did you mean".
const NEAREST_SHOWN: usize = 5;

/// The hint for a missing anchor: the closest one the page has, or the few nearest.
pub(crate) fn anchor_hint(page: &Page, anchor: &str) -> String {
    let ids = page
        .body
        .headings
        .iter()
        .map(|h| &*h.id)
        .chain(page.body.anchors.iter().map(String::as_str));
    if let Some(c) = closest(anchor, ids.clone()) {
        return format!("did you mean `#{c}`?");
    }
    let shown: Vec<String> = nearest(anchor, ids.clone(), NEAREST_SHOWN)
        .into_iter()
        .map(|i| format!("`#{i}`"))
        .collect();
    if shown.is_empty() {
        return "the target page has no headings or anchors".to_string();
    }
    let all = ids.count();
    if all > shown.len() {
        format!(
            "the nearest {} of its {all} anchors: {}",
            shown.len(),
            shown.join(", ")
        )
    } else {
        format!("anchors there: {}", shown.join(", "))
    }
}

/// Most hints with a nearest path worked out per build: each looks through a folder.
const MAX_PATH_HINTS: usize = 100;

const GENERIC_PATH_HINT: &str = "check the path: it is checked against what the build writes, relative to this page's URL (`/page/`) unless it starts with `/`";

/// The hint for a missing path: the closest output path in the same folder, else a
/// file of the same name elsewhere, written as the writer wrote theirs (relative to the
/// page, or from the root with the base path they used).
fn missing_hint(
    page_path: &str,
    dest: &str,
    path: &str,
    outputs: &OutputFiles<'_>,
    base_paths: &[String],
) -> String {
    let index = outputs.hint_index();
    let wanted = path.trim_end_matches('/');
    let last = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let in_folder: &[&str] = index
        .by_folder
        .get(parent(wanted))
        .map_or(&[], Vec::as_slice);
    // Names are compared without the folder they share, which would make any two alike.
    let names: Vec<String> = in_folder.iter().map(|p| last(p)).collect();
    let found = closest(&last(wanted), names.iter().map(String::as_str))
        .and_then(|name| names.iter().position(|n| n == name))
        .map(|i| in_folder[i])
        .or_else(|| {
            let name = last(wanted).to_lowercase();
            index
                .by_name
                .get(&name)
                .and_then(|same| same.first().copied())
        });
    let Some(found) = found else {
        return GENERIC_PATH_HINT.to_string();
    };
    let folder_suffix = if outputs
        .files
        .contains(format!("{found}/index.html").as_str())
    {
        "/"
    } else {
        ""
    };
    let target = format!("{found}{folder_suffix}");
    let written = match dest.strip_prefix('/') {
        Some(_) => {
            let base = base_paths
                .iter()
                .find(|b| dest.starts_with(b.as_str()))
                .map_or("/", String::as_str);
            format!("{base}{target}")
        }
        None => relative_to(page_path, &target),
    };
    format!("did you mean `{written}`? (paths are checked against what the build writes)")
}

/// `target` (an output path) as a relative URL from the page at `page_path`, whose URL
/// is the folder `/page_path/`.
fn relative_to(page_path: &str, target: &str) -> String {
    let from: Vec<&str> = page_path.split('/').filter(|c| !c.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    match parts.join("/") {
        // The page's own folder.
        here if here.is_empty() => "./".to_string(),
        there => there,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_as_a_browser_would_from_a_page_folder() {
        let root = vec!["/".to_string()];
        let kb = vec!["/kb/".to_string(), "/".to_string()];
        let ok = |page: &str, dest: &str, bases: &[String]| resolve(page, dest, bases).unwrap();
        assert_eq!(
            ok("blog/x", "pic.png", &root),
            ("blog/x/pic.png".into(), None)
        );
        assert_eq!(ok("blog/x", "../y/", &root), ("blog/y/".into(), None));
        assert_eq!(
            ok("blog/x", "../y/#intro", &root),
            ("blog/y/".into(), Some("intro".into()))
        );
        assert_eq!(ok("blog/x", "/about/", &root), ("about/".into(), None));
        assert_eq!(ok("blog/x", "/", &root), (String::new(), None));
        assert_eq!(
            ok("blog/x", "a%20b.png?v=2", &root),
            ("blog/x/a b.png".into(), None)
        );
        assert_eq!(ok("", "img/a.png", &root), ("img/a.png".into(), None));
        assert_eq!(ok("blog/x", "/kb/about/", &kb), ("about/".into(), None));
        assert!(resolve("x", "../../..", &root).is_err());
        assert!(resolve("x", "/elsewhere/", &["/kb/".to_string()]).is_err());
    }

    #[test]
    fn hints_name_the_nearest_path_as_the_writer_wrote_theirs() {
        let outputs = OutputFiles::new(
            [
                "blog/x/index.html",
                "blog/x/photo.png",
                "img/map.png",
                "about/index.html",
            ]
            .into_iter(),
        );
        let root = vec!["/kb/".to_string()];
        let hint = |dest: &str, path: &str| missing_hint("blog/x", dest, path, &outputs, &root);
        assert!(hint("phot.png", "blog/x/phot.png").contains("`photo.png`"));
        assert!(hint("../../img/Map.png", "img/Map.png").contains("`../../img/map.png`"));
        assert!(hint("maps/map.png", "blog/x/maps/map.png").contains("`../../img/map.png`"));
        assert!(hint("/kb/abuot/", "abuot/").contains("`/kb/about/`"));
        assert!(hint("nothing.txt", "blog/x/nothing.txt").contains("check the path"));
        assert_eq!(relative_to("a/b", "a/c/d.png"), "../c/d.png");
        assert_eq!(relative_to("", "a/x.png"), "a/x.png");
    }
}
