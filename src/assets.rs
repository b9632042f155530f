//! Static files of the theme and site: names for templates, and fingerprints in
//! file names (`style.3f2a9c1b7e.css`) so that hosts may cache them forever.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Diagnostic;

/// Template names of the stylesheets and scripts, e.g. `style` → `style.3f2a9c1b7e.css`
/// (relative to the output root).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticNames(pub BTreeMap<String, String>);

/// Whether a static file gets a fingerprint: stylesheets and scripts.
fn fingerprinted(rel: &str) -> bool {
    rel.ends_with(".css") || rel.ends_with(".js")
}

/// The name templates use for `rel`: `style.css` → `style`, `js/search-box.js` → `js_search_box`.
pub fn template_name(rel: &str) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    stem.replace(['/', '-', '.'], "_")
}

/// `rel` with the first 10 hex digits of the contents' xxh3 hash before its extension.
pub fn fingerprinted_name(rel: &str, contents: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(contents));
    match rel.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..10]),
        None => format!("{rel}.{}", &hash[..10]),
    }
}

/// Names the stylesheets and scripts among `copies` (output path, source file) for
/// templates and, when `fingerprint` is set, renames them after their contents.
pub fn name_static_files(
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
