//! Attachments named by wikilinks (`[[report.pdf]]`, `![[map.png]]`): found as
//! Obsidian finds them, by file name in any case from anywhere in `content/`, with
//! folders above the name only as far as needed to tell two apart.

use rustc_hash::FxHashMap;

use crate::assets::Placed;
use crate::error::closest;

/// Content assets by lower-case file name.
#[derive(Debug, Default)]
pub(crate) struct Attachments {
    /// (source path below `content/` in lower case, output path), by lower-case file name.
    by_name: FxHashMap<String, Vec<(String, String)>>,
}

/// Why a name found no single attachment.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NotFound {
    /// No attachment has that name.
    Missing,
    /// Several do: their paths below `content/`.
    Ambiguous(Vec<String>),
}

impl Attachments {
    /// The index of `placed`.
    pub(crate) fn new(placed: &[Placed]) -> Attachments {
        let mut by_name: FxHashMap<String, Vec<(String, String)>> = FxHashMap::default();
        for p in placed {
            let rel = p.rel.to_lowercase();
            let name = rel.rsplit('/').next().unwrap_or_default().to_string();
            by_name.entry(name).or_default().push((rel, p.out.clone()));
        }
        Attachments { by_name }
    }

    /// Whether `written` looks like a file rather than a page: it has an extension.
    pub(crate) fn is_file_name(written: &str) -> bool {
        let name = written.rsplit('/').next().unwrap_or_default();
        name.rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && !ext.contains(' '))
    }

    /// The output path of the attachment `written` names (`map.png`, `img/Map.PNG`).
    pub(crate) fn find(&self, written: &str) -> Result<&str, NotFound> {
        let written = written.to_lowercase();
        let wanted: Vec<&str> = written
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        let Some(name) = wanted.last() else {
            return Err(NotFound::Missing);
        };
        let matching: Vec<&(String, String)> = self
            .by_name
            .get(*name)
            .into_iter()
            .flatten()
            .filter(|(rel, _)| {
                rel.split('/')
                    .rev()
                    .zip(wanted.iter().rev())
                    .all(|(a, b)| a == *b)
                    && rel.split('/').count() >= wanted.len()
            })
            .collect();
        match matching.as_slice() {
            [(_, out)] => Ok(out),
            [] => Err(NotFound::Missing),
            many => Err(NotFound::Ambiguous(
                many.iter().map(|(rel, _)| rel.clone()).collect(),
            )),
        }
    }

    /// The hint for `written`, which found nothing: the nearest file name, if any.
    pub(crate) fn hint(&self, written: &str) -> String {
        let name = written.rsplit('/').next().unwrap_or(written).to_lowercase();
        match closest(&name, self.by_name.keys().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "attachments are found by file name anywhere under content/; check the name"
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(rel: &str, out: &str) -> Placed {
        Placed {
            rel: rel.into(),
            out: out.into(),
            path: rel.into(),
        }
    }

    #[test]
    fn attachments_are_found_by_name_in_any_case_with_enough_folders() {
        let a = Attachments::new(&[
            placed("Attachments/Map.png", "attachments/Map.png"),
            placed("notes/report.pdf", "notes/report.pdf"),
            placed("a/logo.svg", "a/logo.svg"),
            placed("b/logo.svg", "b/logo.svg"),
        ]);
        assert_eq!(a.find("map.PNG"), Ok("attachments/Map.png"));
        assert_eq!(a.find("attachments/Map.png"), Ok("attachments/Map.png"));
        assert_eq!(a.find("report.pdf"), Ok("notes/report.pdf"));
        assert_eq!(a.find("b/logo.svg"), Ok("b/logo.svg"));
        assert_eq!(
            a.find("logo.svg"),
            Err(NotFound::Ambiguous(vec![
                "a/logo.svg".into(),
                "b/logo.svg".into()
            ]))
        );
        assert_eq!(a.find("other/map.png"), Err(NotFound::Missing));
        assert_eq!(a.hint("reprot.pdf"), "did you mean `report.pdf`?");
        assert!(Attachments::is_file_name("img/x.png"));
        assert!(!Attachments::is_file_name("Chapter 2. The Plan"));
        assert!(!Attachments::is_file_name(".hidden"));
    }
}
