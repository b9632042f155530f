//! Output paths: every path muster writes is built from checked components and
//! proved to lie inside the output folder by [`inside`], the one function every
//! writer goes through.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a value cannot be one component of an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadComponent {
    /// Nothing left to name a file or folder with.
    Empty,
    /// `.` or `..`: it would name the folder itself or leave it.
    Dots,
    /// A `/` or `\`: one value would become several folders, or leave the output.
    Separator,
    /// NUL or another control character, which file systems and the manifest cannot hold.
    Control,
}

impl BadComponent {
    /// What is wrong, for messages: "is empty", "is only dots", ….
    pub(crate) fn describe(self) -> &'static str {
        match self {
            BadComponent::Empty => "leaves nothing to name a file with",
            BadComponent::Dots => "is `.` or `..`, which would leave its folder",
            BadComponent::Separator => "holds a `/` or `\\`",
            BadComponent::Control => "holds a control character",
        }
    }
}

/// Checks that `name` can be one file or folder name in the output.
pub(crate) fn check_component(name: &str) -> Result<(), BadComponent> {
    if name.is_empty() {
        Err(BadComponent::Empty)
    } else if name == "." || name == ".." {
        Err(BadComponent::Dots)
    } else if name.contains(['/', '\\']) {
        Err(BadComponent::Separator)
    } else if name.chars().any(char::is_control) {
        Err(BadComponent::Control)
    } else {
        Ok(())
    }
}

/// Checks a `/`-separated relative output path: every component must pass
/// [`check_component`] (so no empty, `.`, `..` or absolute path).
pub(crate) fn check_relative(rel: &str) -> Result<(), BadComponent> {
    if rel.is_empty() {
        return Err(BadComponent::Empty);
    }
    rel.split('/').try_for_each(check_component)
}

/// `root/rel`, proved to lie inside `root`: `rel` is relative, every component is
/// a plain name (see [`check_component`]), and the joined path has `root` as prefix.
/// Every write of a build goes through this function.
pub(crate) fn inside(root: &Path, rel: &str) -> io::Result<PathBuf> {
    check_relative(rel).map_err(|bad| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("output path `{}` {}", rel.escape_debug(), bad.describe()),
        )
    })?;
    let path = root.join(rel);
    // Belt and braces: the components above are plain names, so this always holds.
    let plain = Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain || !extends(&path, root) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "output path `{}` leaves the output folder",
                rel.escape_debug()
            ),
        ));
    }
    Ok(path)
}

/// Whether `path` is `root` followed by a separator and more: compared as bytes, as
/// `Path::starts_with`, which parses both into components, cost more than the write
/// itself for every output of a build.
fn extends(path: &Path, root: &Path) -> bool {
    let (path, root) = (
        path.as_os_str().as_encoded_bytes(),
        root.as_os_str().as_encoded_bytes(),
    );
    let is_separator = |b: u8| std::path::is_separator(char::from(b));
    // An empty root is the current folder, which every relative path extends.
    if root.is_empty() {
        return !path.is_empty() && !is_separator(path[0]);
    }
    path.len() > root.len()
        && path.starts_with(root)
        && (root.last().is_some_and(|&b| is_separator(b)) || is_separator(path[root.len()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_inside() {
        let root = Path::new("/site/public");
        for good in [
            "index.html",
            "a/b/index.html",
            "a.b/c..d/…",
            "Нерушимое/x.css",
        ] {
            assert_eq!(inside(root, good).unwrap(), root.join(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "a/../../x",
            "a/./b",
            "/etc/passwd",
            "a//b",
            "a/",
            "a\\..\\b",
            "a\0b",
            "a\nb",
            "C:\\x",
        ] {
            assert!(inside(root, bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn a_path_extends_its_root_only_past_a_separator() {
        let root = Path::new("/site/public");
        assert!(extends(Path::new("/site/public/a"), root));
        assert!(extends(
            Path::new("/site/public/a"),
            Path::new("/site/public/")
        ));
        assert!(extends(Path::new("/a"), Path::new("/")));
        assert!(extends(Path::new("a/b"), Path::new("")));
        assert!(!extends(Path::new("/a"), Path::new("")));
        assert_eq!(inside(Path::new(""), "a/b").unwrap(), Path::new("a/b"));
        for outside in [
            "/site/public",
            "/site/publicity/a",
            "/site/publi",
            "/elsewhere/a",
        ] {
            assert!(!extends(Path::new(outside), root), "{outside}");
        }
    }

    #[test]
    fn components_say_why_they_are_refused() {
        assert_eq!(check_component(""), Err(BadComponent::Empty));
        assert_eq!(check_component(".."), Err(BadComponent::Dots));
        assert_eq!(check_component("a/b"), Err(BadComponent::Separator));
        assert_eq!(check_component("a\u{7}"), Err(BadComponent::Control));
        assert_eq!(check_component("..."), Ok(()));
    }
}
