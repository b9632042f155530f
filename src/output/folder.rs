//! The output folder: checked before a build touches it, and looked at to decide
//! how the new site replaces the old one.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::listings::Listings;
use super::manifest::{self, Manifest};
use super::replace;
use crate::error::{Diagnostic, ErrorKind};

/// The site's own folders, which an output folder may never be, hold or lie in.
const SOURCE_FOLDERS: [&str; 4] = ["content", "themes", "static", "templates"];

/// An output folder that passed [`OutputFolder::check`].
#[derive(Debug)]
pub(crate) struct OutputFolder {
    /// Absolute, with symbolic links resolved.
    pub path: PathBuf,
    /// As the user named it, for messages.
    pub shown: PathBuf,
    /// What is there now.
    pub existing: Existing,
    /// Its folders' listings, for the next build to know which it need not list again.
    pub listings: Listings,
}

/// What an output folder holds before a build.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Nothing: the new site is renamed into place.
    Absent,
    /// Only files muster wrote (by its manifest), or nothing: swapped whole with the new site.
    /// The manifest is shared with the build cache's view of the last build
    /// ([`OutputFolder::shared_manifest`]): 100,000 files' paths and hashes are held once.
    Ours(std::sync::Arc<Manifest>),
    /// Files muster did not write, or a mount point that cannot be swapped: the new site is
    /// moved in file by file, and only muster's own files of the last build are removed.
    Shared {
        /// The last build's manifest, if there is one.
        manifest: Option<Manifest>,
        /// Paths of what muster did not write (a folder stands for all it holds).
        foreign: BTreeSet<String>,
    },
}

impl OutputFolder {
    /// Checks `output` for a build of the site at `root` ([`OutputPlace::check`]), then
    /// looks at what it holds ([`OutputPlace::look`]). Nothing is written.
    #[cfg(test)]
    pub(crate) fn check(root: &Path, output: &Path) -> Result<OutputFolder, Diagnostic> {
        OutputPlace::check(root, output)?.look(Listings::default())
    }

    /// Whether the new site replaces the old one by swapping the whole folder.
    pub(crate) fn swaps_whole(&self) -> bool {
        matches!(self.existing, Existing::Absent | Existing::Ours(_))
    }

    /// The last build's manifest, if any.
    pub(crate) fn manifest(&self) -> Option<&Manifest> {
        match &self.existing {
            Existing::Absent => None,
            Existing::Ours(m) => Some(m),
            Existing::Shared { manifest, .. } => manifest.as_ref(),
        }
    }

    /// The last build's manifest of a folder swapped whole, shared rather than copied.
    pub(crate) fn shared_manifest(&self) -> Option<&std::sync::Arc<Manifest>> {
        match &self.existing {
            Existing::Ours(m) => Some(m),
            Existing::Absent | Existing::Shared { .. } => None,
        }
    }

    /// The files and folders of the existing output that are not muster's and that the
    /// new site (listed in `new`) would replace, or that stand where it needs a folder.
    pub(crate) fn conflicts(&self, new: &Manifest) -> Vec<String> {
        let Existing::Shared { manifest, foreign } = &self.existing else {
            return Vec::new();
        };
        let ours = |rel: &str| manifest.as_ref().is_some_and(|m| m.files.contains(rel));
        let holds_foreign = |rel: &str| {
            let prefix = format!("{rel}/");
            foreign
                .range(prefix.clone()..)
                .next()
                .is_some_and(|f| f.starts_with(&prefix))
                || foreign.contains(rel)
        };
        let mut conflicts = BTreeSet::new();
        for file in &new.files {
            let mut at = String::new();
            for component in file.split('/') {
                if !at.is_empty() {
                    at.push('/');
                }
                at.push_str(component);
                let is_last = at.len() == file.len();
                match std::fs::symlink_metadata(self.path.join(&at)) {
                    Err(_) => break,
                    // A folder on the way is fine; one where the file goes must hold only muster's files.
                    Ok(m) if m.is_dir() => {
                        if is_last && holds_foreign(&at) {
                            conflicts.insert(at.clone());
                        }
                    }
                    // A file or link where a folder or the file goes: muster's own, or a conflict.
                    Ok(_) => {
                        if !ours(&at) {
                            conflicts.insert(at.clone());
                        }
                        break;
                    }
                }
            }
        }
        conflicts.into_iter().collect()
    }
}

/// Where a build's output folder is, checked but not yet looked into: finding what an
/// existing folder holds means reading every folder in it, which a build does while it
/// reads the site.
#[derive(Debug, Clone)]
pub(crate) struct OutputPlace {
    /// Absolute, with symbolic links resolved.
    pub path: PathBuf,
    /// As the user named it, for messages.
    pub shown: PathBuf,
}

impl OutputPlace {
    /// Checks `output` for a build of the site at `root`: it must not be, hold or lie
    /// inside the site root's sources (the root itself, `content/`, `themes/`,
    /// `static/`, `templates/`, or a folder above them).
    pub(crate) fn check(root: &Path, output: &Path) -> Result<OutputPlace, Diagnostic> {
        let refuse = |message: String| {
            Diagnostic::new(ErrorKind::Output, message).hint(
                "build into a folder of its own, e.g. `public/` in the site root (the default) or a folder outside the site",
            )
        };
        let shown = output.to_path_buf();
        let io_error = |e: io::Error| Diagnostic::io(output, &e);
        let root = root.canonicalize().map_err(|e| Diagnostic::io(root, &e))?;
        let path = resolve(output).map_err(io_error)?;
        if path == root || root.starts_with(&path) {
            return Err(refuse(format!(
                "the output folder {} {} the site itself: building there would replace the site's sources",
                shown.display(),
                if path == root { "is" } else { "holds" }
            )));
        }
        for name in SOURCE_FOLDERS {
            let source = resolve(&root.join(name)).map_err(io_error)?;
            if path.starts_with(&source) {
                return Err(refuse(format!(
                    "the output folder {} is in the site's {name}/ folder, which muster reads",
                    shown.display()
                )));
            }
        }
        Ok(OutputPlace { path, shown })
    }

    /// What the folder holds now; it must not be a file. Nothing is written. Folders
    /// that `listings` (the last builds') knows unchanged are not listed again.
    pub(crate) fn look(self, mut listings: Listings) -> Result<OutputFolder, Diagnostic> {
        let OutputPlace { path, shown } = self;
        let io_error = |e: io::Error| Diagnostic::io(&shown, &e);
        let existing = match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Existing::Absent,
            Err(e) => return Err(io_error(e)),
            Ok(m) if !m.is_dir() => {
                return Err(Diagnostic::new(
                    ErrorKind::Output,
                    format!(
                        "the output folder {} is a file, not a folder",
                        shown.display()
                    ),
                )
                .hint(
                    "name a folder (it is created if missing); muster never replaces a file with the site",
                ));
            }
            Ok(_) => look(&path, &mut listings).map_err(io_error)?,
        };
        Ok(OutputFolder {
            path,
            shown,
            existing,
            listings,
        })
    }
}

/// `path` made absolute, `.` and `..` applied, and symbolic links of the part that
/// exists resolved: the folder a build would really write.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                out = canonical_if_there(out)?;
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                out = canonical_if_there(out)?;
            }
        }
    }
    Ok(out)
}

/// The canonical form of `path` if it exists, else `path` itself.
fn canonical_if_there(path: PathBuf) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => match path.canonicalize() {
            Ok(p) => Ok(p),
            // A link to nothing: building there would create its target; refuse to guess.
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "a symbolic link on the way points to nothing",
            )),
            Err(e) => Err(e),
        },
        _ => Ok(path),
    }
}

/// What the existing output folder at `path` holds: each of its folders that holds
/// muster's files is listed (or its listing taken from `listings`), and every entry the
/// manifest does not account for is foreign (a foreign folder stands for all it holds).
fn look(path: &Path, listings: &mut Listings) -> io::Result<Existing> {
    let manifest = Manifest::read(path)?;
    let now = std::time::SystemTime::now();
    let mut foreign = BTreeSet::new();
    let mut folders = vec![String::new()];
    while let Some(rel) = folders.pop() {
        let dir = match rel.is_empty() {
            true => path.to_path_buf(),
            false => path.join(&rel),
        };
        for (name, is_folder) in listings.list(&dir, &rel, now)? {
            if rel.is_empty() && (name == manifest::FILE || replace::is_inner_staging(&name)) {
                continue;
            }
            let inner = match rel.is_empty() {
                true => name,
                false => [rel.as_str(), "/", &name].concat(),
            };
            let ours = manifest.as_ref().is_some_and(|m| match is_folder {
                true => m.holds_folder(&inner),
                false => m.files.contains(&inner),
            });
            match (ours, is_folder) {
                (true, true) => folders.push(inner),
                (true, false) => {}
                (false, _) => {
                    foreign.insert(inner);
                }
            }
        }
    }
    Ok(if foreign.is_empty() && !is_mount_point(path) {
        Existing::Ours(std::sync::Arc::new(manifest.unwrap_or_default()))
    } else {
        Existing::Shared { manifest, foreign }
    })
}

/// Whether `path` is where another file system is mounted (a Docker volume, say):
/// such a folder cannot be renamed, so the site is written inside it.
#[cfg(unix)]
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev());
    match (dev(path), path.parent().map(dev)) {
        (Ok(own), Some(Ok(parent))) => own != parent,
        _ => true,
    }
}

/// Whether `path` is where another file system is mounted; unknown here, so assumed.
#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["site/content", "site/themes", "site/static"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("site/site.yaml"), "title: T\n").unwrap();
        dir
    }

    #[test]
    fn sources_and_their_parents_are_refused() {
        let tmp = site();
        let root = tmp.path().join("site");
        for bad in [
            root.clone(),
            root.join("."),
            root.join("content"),
            root.join("content/sub/out"),
            root.join("themes"),
            root.join("static/x"),
            root.join("templates"),
            root.join("content/.."),
            tmp.path().to_path_buf(),
            PathBuf::from("/"),
            root.join("site.yaml"),
        ] {
            let e = OutputFolder::check(&root, &bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Output, "{}", bad.display());
        }
        for good in [
            root.join("public"),
            root.join("docs"),
            tmp.path().join("out"),
        ] {
            let f = OutputFolder::check(&root, &good).unwrap();
            assert_eq!(f.existing, Existing::Absent, "{}", good.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_before_checking() {
        let tmp = site();
        let root = tmp.path().join("site");
        std::os::unix::fs::symlink(&root, tmp.path().join("link")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("public")).unwrap();
        assert!(OutputFolder::check(&root, &tmp.path().join("link")).is_err());
        assert!(OutputFolder::check(&root, &root.join("public")).is_err());
        assert!(OutputFolder::check(&root, &tmp.path().join("link/public/x")).is_err());
    }

    #[test]
    fn foreign_files_are_found_and_conflicts_named() {
        let tmp = site();
        let root = tmp.path().join("site");
        let out = root.join("public");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::create_dir_all(out.join(".git/objects")).unwrap();
        for f in ["index.html", "a/index.html", "CNAME", ".git/objects/x"] {
            std::fs::write(out.join(f), "x").unwrap();
        }
        let ours = Manifest {
            files: ["index.html", "a/index.html"].map(String::from).into(),
            ..Default::default()
        };
        ours.write(&out).unwrap();
        let folder = OutputFolder::check(&root, &out).unwrap();
        let Existing::Shared { foreign, .. } = &folder.existing else {
            panic!("{:?}", folder.existing)
        };
        assert_eq!(foreign.iter().collect::<Vec<_>>(), [".git", "CNAME"]);
        let new = Manifest {
            files: ["index.html", "CNAME/index.html", ".git", "b/index.html"]
                .map(String::from)
                .into(),
            ..Default::default()
        };
        assert_eq!(folder.conflicts(&new), [".git", "CNAME"]);
        // Without a manifest nothing there is muster's.
        std::fs::remove_file(out.join(manifest::FILE)).unwrap();
        let folder = OutputFolder::check(&root, &out).unwrap();
        assert_eq!(folder.conflicts(&ours), ["a/index.html", "index.html"]);
    }

    #[test]
    fn a_folder_of_muster_files_is_ours() {
        let tmp = site();
        let root = tmp.path().join("site");
        let out = root.join("public");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "x").unwrap();
        let m = Manifest {
            files: ["a/index.html".to_string()].into(),
            ..Default::default()
        };
        m.write(&out).unwrap();
        let folder = OutputFolder::check(&root, &out).unwrap();
        assert_eq!(folder.existing, Existing::Ours(m.into()));
        assert!(folder.swaps_whole());
    }
}
