//! The build cache beside the output folder, `.<output name>.muster-cache/`: the site
//! the last build replaced (the spare), which the next build brings up to date in
//! place, writing only the files that changed, instead of creating every file anew.
//! Everything in it is muster's; `muster build --no-cache` deletes it.

use std::io;
use std::path::{Path, PathBuf};

use super::manifest::Manifest;

/// The spare site's folder inside the cache.
const SPARE: &str = "site";

/// The cache folder of one output folder.
#[derive(Debug, Clone)]
pub(crate) struct BuildCache {
    dir: PathBuf,
}

impl BuildCache {
    /// The cache of the output folder `output` (absolute), beside it: on the same file
    /// system, so the spare can be renamed into place.
    pub(crate) fn beside(output: &Path) -> BuildCache {
        let name = output
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let parent = output.parent().unwrap_or(Path::new("/"));
        BuildCache {
            dir: parent.join(format!(".{name}.muster-cache")),
        }
    }

    /// The cache folder.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the spare site for a build, renamed to `staging` (which must not exist), so
    /// that a build running meanwhile does not take it too, and a killed build's is
    /// removed as any staging folder is. Returns its manifest; `None` when there is no
    /// spare, or one without a manifest (then `staging` is not made).
    pub(crate) fn take_spare(&self, staging: &Path) -> Option<Manifest> {
        std::fs::rename(self.dir.join(SPARE), staging).ok()?;
        match Manifest::read(staging) {
            Ok(Some(manifest)) => Some(manifest),
            _ => {
                let _ = std::fs::remove_dir_all(staging);
                None
            }
        }
    }

    /// Keeps `previous`, the site a build just replaced, as the spare for the next build.
    pub(crate) fn keep_spare(&self, previous: &Path) -> io::Result<()> {
        let spare = self.dir.join(SPARE);
        if spare.exists() {
            // Another build's spare, kept meanwhile: the newer one stays.
            std::fs::remove_dir_all(&spare)?;
        }
        std::fs::create_dir_all(&self.dir)?;
        std::fs::rename(previous, spare)
    }

    /// Deletes the cache.
    pub(crate) fn remove(&self) -> io::Result<()> {
        match std::fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::content_hash;

    #[test]
    fn a_spare_is_taken_once_and_one_without_a_manifest_is_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = BuildCache::beside(&tmp.path().join("public"));
        assert_eq!(cache.dir(), tmp.path().join(".public.muster-cache"));
        let staging = tmp.path().join("staging");
        assert!(cache.take_spare(&staging).is_none());
        let previous = tmp.path().join("previous");
        std::fs::create_dir(&previous).unwrap();
        std::fs::write(previous.join("index.html"), "x").unwrap();
        let manifest = Manifest::hashed([("index.html".to_string(), content_hash(b"x"))].into());
        manifest.write(&previous).unwrap();
        cache.keep_spare(&previous).unwrap();
        assert!(!previous.exists());
        assert_eq!(cache.take_spare(&staging), Some(manifest));
        assert!(staging.join("index.html").is_file());
        // Taken: a second build finds none.
        assert!(cache.take_spare(&tmp.path().join("other")).is_none());
        std::fs::remove_dir_all(&staging).unwrap();
        std::fs::create_dir(&previous).unwrap();
        cache.keep_spare(&previous).unwrap();
        assert!(cache.take_spare(&staging).is_none());
        assert!(!staging.exists());
        cache.remove().unwrap();
        assert!(!cache.dir().exists());
    }
}
