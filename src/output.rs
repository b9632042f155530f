//! Output: where rendered files go — a folder swapped in whole, or memory.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Receives the files of a build, from many threads at once.
pub trait OutputSink: Sync {
    /// Stores `contents` at `rel_path` (`/`-separated, relative to the output root).
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()>;
    /// Stores `parts`, one after another, as one file at `rel_path`.
    fn write_parts(&self, rel_path: &str, parts: &[Vec<u8>]) -> io::Result<()> {
        self.write(rel_path, &parts.concat())
    }
    /// Stores a copy of the file at `from` as `rel_path`.
    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(rel_path, &bytes)
    }
}

/// Writes files below a folder, creating parent folders as needed.
#[derive(Debug)]
pub struct DirSink {
    root: PathBuf,
}

impl DirSink {
    /// A sink writing below `root`.
    pub fn new(root: PathBuf) -> DirSink {
        DirSink { root }
    }

    fn target(&self, rel_path: &str) -> io::Result<PathBuf> {
        let path = self.root.join(rel_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl OutputSink for DirSink {
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()> {
        std::fs::write(self.target(rel_path)?, contents)
    }

    fn write_parts(&self, rel_path: &str, parts: &[Vec<u8>]) -> io::Result<()> {
        use std::io::Write;
        let mut file = io::BufWriter::new(std::fs::File::create(self.target(rel_path)?)?);
        for part in parts {
            file.write_all(part)?;
        }
        file.flush()
    }

    fn copy(&self, rel_path: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.target(rel_path)?).map(|_| ())
    }
}

/// Keeps files in memory, for `muster serve` and tests.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// Takes the stored files out.
    pub fn into_files(self) -> HashMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl OutputSink for MemorySink {
    fn write(&self, rel_path: &str, contents: &[u8]) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel_path.to_string(), contents.to_vec());
        Ok(())
    }
}

/// Discards everything, for `muster check`.
#[derive(Debug, Default)]
pub struct NullSink;

impl OutputSink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn write_parts(&self, _: &str, _: &[Vec<u8>]) -> io::Result<()> {
        Ok(())
    }

    fn copy(&self, _: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from).map(|_| ())
    }
}

/// A fresh folder beside `output` to build into before swapping it in.
pub fn staging_dir(output: &Path) -> io::Result<PathBuf> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.muster-staging-");
    remove_abandoned_staging(&parent, &prefix);
    let staging = parent.join(format!("{prefix}{}", std::process::id()));
    if staging.exists() {
        remove_tree(&staging)?;
    }
    std::fs::create_dir(&staging)?;
    Ok(staging)
}

/// Removes staging folders left by builds that were killed: those whose
/// process no longer runs. Only where `/proc` tells; elsewhere they stay.
fn remove_abandoned_staging(parent: &Path, prefix: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(prefix)
            .map(|rest| rest.trim_end_matches(".old"))
        else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Replaces `output` with `staging`. Where the system can swap two folders in
/// one step (Linux `renameat2` with `RENAME_EXCHANGE`) it does, so a build killed
/// at any moment leaves either the old site or the new one; elsewhere the old
/// output is moved aside first and put back if the second rename fails.
/// Returns the folder that now holds the previous site, for the caller to delete.
pub fn swap_in(staging: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if !output.exists() {
        return std::fs::rename(staging, output).map(|()| None);
    }
    if exchange(staging, output)? {
        // `staging` now holds the previous site.
        return Ok(Some(staging.to_path_buf()));
    }
    swap_by_two_renames(staging, output).map(Some)
}

/// Whether `path` is a folder muster made beside an output folder (a staging folder,
/// or a previous site swapped out): the only folders `remove_previous` deletes.
pub fn is_muster_folder(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let Some((_, pid)) = name.split_once(".muster-staging-") else {
        return false;
    };
    name.starts_with('.')
        && !pid.is_empty()
        && pid
            .trim_end_matches(".old")
            .bytes()
            .all(|b| b.is_ascii_digit())
}

/// Deletes a previous site swapped out by a build (for `muster`'s background helper);
/// refuses any other folder.
pub fn remove_previous(path: &Path) -> io::Result<()> {
    if !is_muster_folder(path) {
        return Err(io::Error::other(format!(
            "{} is not a folder muster swapped out; not deleting it",
            path.display()
        )));
    }
    remove_tree(path)
}

/// Moves `output` aside and `staging` in; returns where the old output went.
fn swap_by_two_renames(staging: &Path, output: &Path) -> io::Result<PathBuf> {
    let mut old = staging.as_os_str().to_owned();
    old.push(".old");
    let old = PathBuf::from(old);
    if old.exists() {
        remove_tree(&old)?;
    }
    std::fs::rename(output, &old)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back so a failed swap loses nothing.
        let _ = std::fs::rename(&old, output);
        return Err(e);
    }
    Ok(old)
}

/// Swaps two paths atomically; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Swaps two paths atomically; `Ok(false)` where the system or file system cannot.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Deletes a folder tree, removing its files in parallel: on a large site the
/// old output holds as many files as pages, and deleting them one by one
/// costs more than writing the new site.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push((entry.depth(), entry.into_path()));
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(std::fs::remove_file)?;
    // Deepest folders first, so each is empty when removed.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    dirs.iter().try_for_each(|(_, d)| std::fs::remove_dir(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_muster_folders_are_removed_as_previous_output() {
        assert!(is_muster_folder(Path::new("/s/.public.muster-staging-123")));
        assert!(is_muster_folder(Path::new(".out.muster-staging-9.old")));
        for other in [
            "/s/public",
            "/s/.public.muster-staging-",
            "/s/.public.muster-staging-12x",
            "/",
            "public.muster-staging-1",
        ] {
            assert!(!is_muster_folder(Path::new(other)), "{other}");
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(remove_previous(dir.path()).is_err());
        assert!(dir.path().exists());
    }

    /// Makes each folder with a file `mark` holding its text.
    fn marked_dirs(dirs: &[(&Path, &str)]) {
        for (dir, mark) in dirs {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("mark"), mark).unwrap();
        }
    }

    #[test]
    fn exchange_swaps_two_folders_or_says_it_cannot() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        marked_dirs(&[(&a, "A"), (&b, "B")]);
        let swapped = exchange(&a, &b).unwrap();
        // Linux file systems used here support the atomic swap; elsewhere nothing moves.
        assert_eq!(swapped, cfg!(target_os = "linux"));
        let (in_a, in_b) = if swapped { ("B", "A") } else { ("A", "B") };
        assert_eq!(std::fs::read_to_string(a.join("mark")).unwrap(), in_a);
        assert_eq!(std::fs::read_to_string(b.join("mark")).unwrap(), in_b);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn staging_left_by_a_killed_build_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // No process has pid 0 in /proc; this process's parent runs.
        let abandoned = tmp.path().join(".public.muster-staging-0");
        let running = tmp.path().join(format!(
            ".public.muster-staging-{}",
            std::os::unix::process::parent_id()
        ));
        for dir in [&abandoned, &running] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("index.html"), "x").unwrap();
        }
        let staging = staging_dir(&out).unwrap();
        assert!(!abandoned.exists());
        assert!(
            running.exists(),
            "a running build's staging folder must be left alone"
        );
        assert!(staging.exists());
    }

    #[test]
    fn fallback_swap_by_two_renames() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, out) = (tmp.path().join("staging"), tmp.path().join("public"));
        marked_dirs(&[(&staging, "new"), (&out, "old")]);
        let old = swap_by_two_renames(&staging, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("mark")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(old.join("mark")).unwrap(), "old");
        remove_tree(&old).unwrap();
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn swap_replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let staging = staging_dir(&out).unwrap();
        DirSink::new(staging.clone())
            .write("a/index.html", b"new")
            .unwrap();
        if let Some(old) = swap_in(&staging, &out).unwrap() {
            remove_previous(&old).unwrap();
        }
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!staging.exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
