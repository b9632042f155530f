//! What a changed file is to the last good build: a page, a template, a static file,
//! nothing the site reads, or (`None`) something that needs every stage again.

use std::path::Path;

use super::live::Built;
use crate::model::PageId;
use crate::render;
use crate::source;

/// What a changed file is to the last good build.
pub(super) enum Touched {
    Page(PageId),
    Template,
    Static,
    Nothing,
}

/// What a changed path is to the site; `None` when it needs a full rebuild.
pub(super) fn classify(built: &Built, root: &Path, path: &Path) -> Option<Touched> {
    let theme = render::templates::theme_dir(root, &built.loaded.config);
    let content = root.join(source::CONTENT_DIR);
    if path.starts_with(&content) {
        if !path.exists() {
            // Gone: a page, an asset or a folder of them changes the site; an
            // editor's temporary file, renamed away before we looked, does not.
            let known = built.page_files.keys().any(|f| f.starts_with(path))
                || built.loaded.assets.iter().any(|a| a.path.starts_with(path));
            return if known { None } else { Some(Touched::Nothing) };
        }
        if path.is_dir() {
            // A new or moved folder: walk again.
            return None;
        }
        if let Some(&id) = built.page_files.get(path) {
            return Some(Touched::Page(id));
        }
        // A page left out of the site (headless, a draft) may be included by others
        // or come back: read everything again.
        if source::markdown_stem(&path.to_string_lossy()).is_some() {
            return None;
        }
        let known_asset = built.loaded.assets.iter().any(|a| a.path == path);
        return known_asset.then_some(Touched::Static);
    }
    if path.starts_with(theme.join("templates")) || path.starts_with(root.join("templates")) {
        return Some(Touched::Template);
    }
    if path.starts_with(theme.join("static")) || path.starts_with(root.join("static")) {
        return Some(Touched::Static);
    }
    let is_guide = built
        .loaded
        .config
        .guide
        .as_ref()
        .is_some_and(|g| root.join(g) == path);
    // The theme's words (the theme's and the site's `i18n/`) show on every page.
    let words = path.starts_with(root.join("i18n"));
    if path == root.join("site.yaml") || path.starts_with(&theme) || is_guide || words {
        return None;
    }
    Some(Touched::Nothing)
}
