//! Joining a relative path (`../x/pic.png`, `./a`) to a folder, as a browser resolves a
//! relative URL and as relative Markdown links name files: one place for `.` and `..`.

/// The components of `relative` joined to the folder `base` (both `/`-separated);
/// `None` if `..` climbs above the root.
pub(crate) fn join<'a>(base: &'a str, relative: &'a str) -> Option<Vec<&'a str>> {
    let mut parts: Vec<&str> = base.split('/').filter(|c| !c.is_empty()).collect();
    for component in relative.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn dots_move_within_the_root_only() {
        assert_eq!(join("a/b", "../c/./d"), Some(vec!["a", "c", "d"]));
        assert_eq!(join("", "x"), Some(vec!["x"]));
        assert_eq!(join("a", "../.."), None);
    }
}
