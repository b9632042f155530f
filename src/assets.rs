//! Static files of the theme and site: names for templates, and fingerprints in
//! file names (`style.3f2a9c1b7e.css`) so that hosts may cache them forever.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind, Location};
use crate::model::{self, Site};
use crate::source;

/// Template names of the stylesheets and scripts, e.g. `style` → `style.3f2a9c1b7e.css`
/// (relative to the output root).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StaticNames(pub BTreeMap<String, String>);

/// Whether a static file gets a fingerprint: stylesheets and scripts.
fn fingerprinted(rel: &str) -> bool {
    rel.ends_with(".css") || rel.ends_with(".js")
}

/// The name templates use for `rel`: `style.css` → `style`, `js/search-box.js` → `js_search_box`.
pub(crate) fn template_name(rel: &str) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    stem.replace(['/', '-', '.'], "_")
}

/// `rel` with the first 10 hex digits of the contents' xxh3 hash before its extension.
pub(crate) fn fingerprinted_name(rel: &str, contents: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(contents));
    match rel.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..10]),
        None => format!("{rel}.{}", &hash[..10]),
    }
}

/// Names the stylesheets and scripts among `copies` (output path, source file) for
/// templates and, when `fingerprint` is set, renames them after their contents.
pub(crate) fn name_static_files(
    copies: &mut [(String, PathBuf)],
    fingerprint: bool,
) -> Result<StaticNames, Vec<Diagnostic>> {
    let mut names = BTreeMap::new();
    let mut errors = Vec::new();
    for (rel, from) in copies.iter_mut().filter(|(rel, _)| fingerprinted(rel)) {
        let name = template_name(rel);
        if fingerprint {
            match std::fs::read(&*from) {
                Ok(bytes) => *rel = fingerprinted_name(rel, &bytes),
                Err(e) => {
                    errors.push(Diagnostic::io(from, &e));
                    continue;
                }
            }
        }
        names.insert(name, rel.clone());
    }
    if errors.is_empty() {
        Ok(StaticNames(names))
    } else {
        Err(errors)
    }
}

/// A content asset and the output path it is published at.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
    /// Output path, `/`-separated.
    pub out: String,
    /// Where it is on disk.
    pub path: PathBuf,
}

/// Where each content asset is published: beside its page, wherever `slug:` put it.
/// Names that cannot be output paths are errors.
pub(crate) fn place(
    root: &Path,
    config: &SiteConfig,
    site: &Site,
    assets: &[source::Asset],
) -> (Vec<Placed>, Vec<Diagnostic>) {
    let bundles: HashMap<&str, &str> = site
        .pages
        .iter()
        .filter(|p| p.role == model::Role::Page && p.source_path == p.source_dir)
        .map(|p| (p.source_dir.as_str(), p.path.as_str()))
        .collect();
    let mut placed = Vec::with_capacity(assets.len());
    let mut errors = Vec::new();
    for asset in assets {
        match asset_path(config, &bundles, &asset.rel) {
            Ok(out) => placed.push(Placed {
                rel: asset.rel.clone(),
                out,
                path: asset.path.clone(),
            }),
            Err(why) => errors.push(bad_name(root, &asset.path, &asset.rel, why)),
        }
    }
    (placed, errors)
}

/// Files copied as they are, as (output path, source file): the theme's `static/`,
/// then the site's `static/` (which replaces the theme's file of the same name), then
/// content assets where [`place`] put them. Names that cannot be output paths are errors.
pub(crate) fn static_files(
    root: &Path,
    config: &SiteConfig,
    placed: &[Placed],
) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in [
        crate::render::templates::theme_dir(root, config).join("static"),
        root.join("static"),
    ] {
        let (found, walk_errors) = source::walk(root, &dir);
        errors.extend(walk_errors);
        by_name.extend(found);
    }
    let mut files: Vec<(String, PathBuf)> = Vec::with_capacity(by_name.len() + placed.len());
    for (rel, path) in by_name {
        match crate::output::path::check_relative(&rel) {
            Ok(()) => files.push((rel, path)),
            Err(bad) => errors.push(bad_name(root, &path, &rel, bad.describe())),
        }
    }
    files.extend(placed.iter().map(|p| (p.out.clone(), p.path.clone())));
    (files, errors)
}

/// The output path of the content asset at `rel` (below `content/`).
fn asset_path(
    config: &SiteConfig,
    bundles: &HashMap<&str, &str>,
    rel: &str,
) -> Result<String, &'static str> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    crate::output::path::check_component(name).map_err(|bad| bad.describe())?;
    let mut out_dir: Vec<String> = Vec::new();
    let mut rest = dir;
    // The deepest enclosing bundle decides; folders outside bundles are slugified like pages.
    let bundle = std::iter::successors(Some(dir), |d| d.rsplit_once('/').map(|(parent, _)| parent))
        .find_map(|d| bundles.get(d).map(|path| (d, *path)));
    if let Some((bundle_dir, page_path)) = bundle {
        out_dir.push(page_path.to_string());
        rest = dir[bundle_dir.len()..].trim_start_matches('/');
    }
    for folder in rest.split('/').filter(|c| !c.is_empty()) {
        out_dir.push(config.url_names.part(folder).ok_or(model::page::NO_SLUG)?);
    }
    out_dir.retain(|c| !c.is_empty());
    out_dir.push(name.to_string());
    Ok(out_dir.join("/"))
}

fn bad_name(root: &Path, path: &Path, rel: &str, why: &str) -> Diagnostic {
    let file = path.strip_prefix(root).unwrap_or(path);
    Diagnostic::new(
        ErrorKind::Io,
        format!(
            "the name `{}` cannot be published: it {why}",
            rel.escape_debug()
        ),
    )
    .at(Location::file_start(file), None)
    .hint("rename the file or folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_fingerprints() {
        assert_eq!(template_name("style.css"), "style");
        assert_eq!(template_name("js/search-box.js"), "js_search_box");
        let a = fingerprinted_name("style.css", b"body{}");
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style..css".len() + 10
        );
        assert_ne!(a, fingerprinted_name("style.css", b"body{ }"));
    }
}
