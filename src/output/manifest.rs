//! The manifest: the list of files a build wrote, kept in the output folder, so the
//! next build knows which files are muster's to replace or delete and which are not.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

/// The manifest's file name inside the output folder.
pub(crate) const FILE: &str = ".muster-manifest";

/// Its first line; a file without it is not a manifest muster wrote.
const HEADER: &str =
    "# muster manifest 1: the files muster wrote here; it replaces or deletes only these";

/// The output paths (`/`-separated, relative to the output folder) of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// Every file written, sorted; the manifest itself is not listed.
    pub files: BTreeSet<String>,
}

impl Manifest {
    /// The manifest of the output folder `dir`; `None` when it has none (or not one
    /// muster wrote), so that every file there counts as someone else's.
    pub(crate) fn read(dir: &Path) -> io::Result<Option<Manifest>> {
        let text = match std::fs::read_to_string(dir.join(FILE)) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            // Not UTF-8: not ours.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Ok(None);
        }
        // Only paths muster could have written count; anything else in the file is ignored.
        let files = lines
            .filter(|l| super::path::check_relative(l).is_ok())
            .map(str::to_string)
            .collect();
        Ok(Some(Manifest { files }))
    }

    /// The manifest's text.
    pub(crate) fn to_text(&self) -> String {
        let mut text = String::with_capacity(HEADER.len() + 1 + self.files.len() * 32);
        text.push_str(HEADER);
        text.push('\n');
        for f in &self.files {
            text.push_str(f);
            text.push('\n');
        }
        text
    }

    /// Writes the manifest into `dir` in one step (a temporary file renamed over it),
    /// so a build killed meanwhile leaves the old list or the new one.
    pub(crate) fn write(&self, dir: &Path) -> io::Result<()> {
        let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, self.to_text())?;
        std::fs::rename(&tmp, dir.join(FILE)).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Whether `rel` is a file of this manifest, or a folder holding one.
    pub(crate) fn holds_folder(&self, rel: &str) -> bool {
        let prefix = format!("{rel}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|f| f.starts_with(&prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_what_is_not_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        let m = Manifest {
            files: ["index.html", "a/b/index.html", "style.css"]
                .map(String::from)
                .into(),
        };
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(m.clone()));
        assert!(m.holds_folder("a") && m.holds_folder("a/b") && !m.holds_folder("a/b/index.html"));
        assert!(!m.holds_folder("b"));
        // Someone else's file of that name, or lines that would leave the folder.
        std::fs::write(dir.path().join(FILE), "my notes\nindex.html\n").unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        std::fs::write(
            dir.path().join(FILE),
            format!("{HEADER}\n../x\n/etc/passwd\nok.html\n"),
        )
        .unwrap();
        let read = Manifest::read(dir.path()).unwrap().unwrap();
        assert_eq!(read.files.into_iter().collect::<Vec<_>>(), ["ok.html"]);
        // Only the manifest is left: no temporary file.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
