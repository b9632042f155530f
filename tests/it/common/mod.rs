//! Helpers for integration tests: small real sites in temporary folders.

#![allow(dead_code)]

pub mod lsp;
pub mod server;
pub mod static_server;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A site in a temporary folder, using the repository's default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
    root: PathBuf,
}

/// A `site.yaml` with two kinds and a ref with an inverse between them.
pub const CONFIG: &str = "\
title: Test KB
base_url: https://example.org/
taxonomies: [tags]
kinds:
  drill:
    section: drills
    fields:
      dates: { type: daterange, required: true }
      host: { type: ref, kind: member, required: true, inverse: hosted }
      participants: { type: refs, kind: member, inverse: drills, label: Participants }
      format: { type: enum, values: [command-staff, field] }
      objectives: { type: list }
  member:
    section: members
    label: Member state
    fields:
      joined: { type: integer }
";

impl TestSite {
    /// A site with `CONFIG` and the given `(path under content/, text)` files.
    pub fn new(files: &[(&str, &str)]) -> TestSite {
        TestSite::with_config(CONFIG, files)
    }

    /// A site with `CONFIG` and files whose paths and texts were made at run time.
    pub fn from_owned(files: &[(String, String)]) -> TestSite {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        TestSite::new(&refs)
    }

    /// A site with its own `site.yaml`.
    pub fn with_config(config: &str, files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        TestSite::fill(TestSite { dir, root }, config, files)
    }

    /// A site in `site/` of its own temporary folder, so that what lies beside and
    /// above the site (the folder's other files) belongs to the test too.
    pub fn nested(config: &str, files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(dir.path().join("beside.txt"), "a file beside the site").unwrap();
        TestSite::fill(TestSite { dir, root }, config, files)
    }

    fn fill(site: TestSite, config: &str, files: &[(&str, &str)]) -> TestSite {
        site.write("site.yaml", config);
        copy_dir(
            &repo().join("themes/default"),
            &site.root().join("themes/default"),
        );
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        for (path, text) in files {
            site.write(&format!("content/{path}"), text);
        }
        site
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder holding the site (the site root itself unless [`TestSite::nested`]).
    pub fn parent(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file below the site root, creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Builds through the library into `public/`.
    pub fn build(&self) -> Result<muster::BuildStats, muster::BuildErrors> {
        muster::build(
            &muster::BuildOptions::new(self.root()),
            &self.root().join("public"),
        )
    }

    /// Builds and panics with the errors if it fails.
    pub fn build_ok(&self) -> muster::BuildStats {
        match self.build() {
            Ok(s) => s,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Reads a file of the output.
    pub fn output(&self, rel: &str) -> String {
        let path = self.root().join("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Runs the `muster` binary in the site root.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run muster")
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Everything below `dir` but `skip` (which may not exist): each file with its bytes,
/// each symbolic link with its target, each folder with its permissions; for proving
/// that a command changed nothing there.
pub fn fingerprint(dir: &Path, skip: &[&Path]) -> Vec<(String, String)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !skip.iter().any(|s| e.path() == *s))
        .map(|e| e.expect("walk"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let what = if e.path_is_symlink() {
                format!(
                    "link to {}",
                    std::fs::read_link(e.path()).unwrap().display()
                )
            } else if e.file_type().is_dir() {
                format!("folder {:o}", e.metadata().unwrap().permissions().mode())
            } else {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                format!("file {:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
            };
            (rel, what)
        })
        .collect();
    out.sort();
    out
}

/// Whether `name`, beside an output folder, is one muster makes while it builds: a
/// staging folder or a site swapped out (not the build cache, which stays).
pub fn is_build_leftover(name: &str) -> bool {
    name.contains(".muster-") && !name.ends_with(".muster-cache")
}

/// The build cache beside the output folder `output`; checks that it holds nothing but
/// the spare site, the render state, the parse cache, the search index's terms and its
/// state, the pages' entries of `pages.json` and the output folders' listings.
pub fn build_cache(output: &Path) -> std::path::PathBuf {
    let name = output.file_name().unwrap().to_string_lossy();
    let cache = output.with_file_name(format!(".{name}.muster-cache"));
    if let Ok(entries) = std::fs::read_dir(&cache) {
        for entry in entries {
            let name = entry.unwrap().file_name();
            assert!(
                [
                    "site",
                    "render-state",
                    "parsed",
                    "terms",
                    "search-index",
                    "page-entries",
                    "listings",
                ]
                .contains(&name.to_string_lossy().as_ref()),
                "the build cache holds {name:?}"
            );
        }
    }
    cache
}

/// Every file below `dir` with its contents, for comparing output trees.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Waits until `done()` holds, checking every 20 ms, for at most `deadline` (choose it
/// generous: a busy machine is slow); panics naming `what` if it never does.
pub fn wait_until(what: &str, deadline: std::time::Duration, mut done: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + deadline;
    while !done() {
        assert!(
            std::time::Instant::now() < until,
            "gave up waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A count from the environment variable `name` (for longer runs by hand), else `default`.
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every `href="..."` and `src="..."` value in `html`.
pub fn links_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

/// A member page.
pub fn member(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

/// Held by the tests that load the machine most (the serve load tests, the killed
/// builds), so that they never run at once: each stays meaningful on a 2-core machine
/// while the rest of the suite runs beside it.
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}
