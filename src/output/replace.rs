//! Replacing the previous site with a new one built in a staging folder: swapped
//! whole in one step where the output folder is muster's alone, else moved in file
//! by file. Either way only files muster wrote are replaced or deleted.

use std::io;
use std::path::{Path, PathBuf};

use super::cache::BuildCache;
use super::folder::OutputFolder;
use super::manifest::{self, Manifest};
use super::path::inside;

/// Staging folders beside the output are `.<output name>.muster-staging-<pid>`;
/// a previous site swapped out is `.<output name>.muster-previous-<pid>`, where
/// `pid` is the process that will delete it. Inside a shared output folder the
/// staging folder is `.muster-staging-<pid>`.
const STAGING: &str = "muster-staging-";
const PREVIOUS: &str = "muster-previous-";

/// What a folder name beside or inside an output folder says about its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leftover {
    /// A staging folder: muster made it and everything in it.
    Staging(u32),
    /// A previous site: muster deletes what its manifest lists.
    Previous(u32),
}

/// Parses `.<prefix><kind><pid>`.
fn leftover(name: &str, prefix: &str) -> Option<Leftover> {
    let rest = name.strip_prefix('.')?.strip_prefix(prefix)?;
    let pid = |digits: &str| {
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    if let Some(digits) = rest.strip_prefix(STAGING) {
        pid(digits).map(Leftover::Staging)
    } else {
        rest.strip_prefix(PREVIOUS)
            .and_then(pid)
            .map(Leftover::Previous)
    }
}

/// The prefix of the folders muster keeps beside the output folder `output`.
fn beside_prefix(output: &Path) -> String {
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    format!("{name}.")
}

/// Whether `name` (at the top of an output folder) is muster's staging folder.
pub(crate) fn is_inner_staging(name: &str) -> bool {
    matches!(leftover(name, ""), Some(Leftover::Staging(_)))
}

/// Whether process `pid` still runs; unknown (so assumed) where `/proc` does not tell.
fn running(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

/// The folder to build the new site in, and the files it holds: beside the output
/// folder when the new site will be swapped in whole (the spare site of `cache`, if
/// there is one, else a fresh folder), inside it otherwise (the same file system, so
/// every file can be renamed into place). Leftovers of killed builds go first.
pub(crate) fn staging_dir(
    folder: &OutputFolder,
    cache: Option<&BuildCache>,
) -> io::Result<(PathBuf, Manifest)> {
    let output = &folder.path;
    let pid = std::process::id();
    let staging = if folder.swaps_whole() {
        let parent = output.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(parent)?;
        remove_abandoned(parent, &beside_prefix(output));
        parent.join(format!(".{}{STAGING}{pid}", beside_prefix(output)))
    } else {
        remove_abandoned(output, "");
        output.join(format!(".{STAGING}{pid}"))
    };
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let spare = cache
        .filter(|_| folder.swaps_whole())
        .and_then(|cache| cache.take_spare(&staging));
    match spare {
        Some(there) => Ok((staging, there)),
        None => {
            std::fs::create_dir(&staging)?;
            Ok((staging, Manifest::default()))
        }
    }
}

/// Removes what killed builds left in `dir`: staging folders and previous sites whose
/// process no longer runs. A previous site loses only the files its manifest lists.
fn remove_abandoned(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        match leftover(&name, prefix) {
            Some(Leftover::Staging(pid)) if !running(pid) => {
                let _ = std::fs::remove_dir_all(entry.path());
            }
            Some(Leftover::Previous(pid)) if !running(pid) => {
                let _ = remove_listed(&entry.path());
            }
            _ => {}
        }
    }
}

/// How the new site went in.
#[derive(Debug)]
pub(crate) enum Installed {
    /// Swapped whole; the previous site is in this folder, for the caller to delete
    /// (see [`remove_previous`]).
    Swapped(Option<PathBuf>),
    /// Moved in file by file; muster's files of the last build that the new one lacks
    /// are deleted, everything else there is kept.
    InPlace,
}

/// Puts the site built in `staging` (which lists its files in `new`) into the output
/// folder, after [`OutputFolder::conflicts`] found nothing in the way.
pub(crate) fn install(
    folder: &OutputFolder,
    staging: &Path,
    new: &Manifest,
) -> io::Result<Installed> {
    if folder.swaps_whole() {
        new.write(staging)?;
        swap_in(staging, &folder.path).map(Installed::Swapped)
    } else {
        install_in_place(folder, staging, new).map(|()| Installed::InPlace)
    }
}

/// Replaces `output` with `staging`. Where the system can swap two folders in one step
/// (Linux `renameat2` with `RENAME_EXCHANGE`) it does, so a build killed at any moment
/// leaves either the old site or the new one; elsewhere the old output is moved aside
/// first and put back if the second rename fails. Returns the folder that now holds
/// the previous site, named for this process.
fn swap_in(staging: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if !output.exists() {
        return std::fs::rename(staging, output).map(|()| None);
    }
    let previous = previous_name(output, std::process::id());
    if exchange(staging, output)? {
        // `staging` now holds the previous site.
        std::fs::rename(staging, &previous)?;
        return Ok(Some(previous));
    }
    std::fs::rename(output, &previous)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back so a failed swap loses nothing.
        let _ = std::fs::rename(&previous, output);
        return Err(e);
    }
    Ok(Some(previous))
}

/// Where the previous site of `output` waits to be deleted by process `pid`.
fn previous_name(output: &Path, pid: u32) -> PathBuf {
    let parent = output.parent().unwrap_or(Path::new("/"));
    parent.join(format!(".{}{PREVIOUS}{pid}", beside_prefix(output)))
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

/// Moves every file of `staging` into the shared output folder, each in one rename
/// (a reader never sees half a file), then deletes muster's files of the last build
/// that the new one does not have. The manifest first lists the files of both builds,
/// so a build killed halfway leaves no file of muster's unlisted.
fn install_in_place(folder: &OutputFolder, staging: &Path, new: &Manifest) -> io::Result<()> {
    let output = &folder.path;
    let old = folder.manifest().cloned().unwrap_or_default();
    let mut both = old.clone();
    both.files.extend(new.files.iter().cloned());
    both.write(output)?;
    for rel in &new.files {
        let target = inside(output, rel)?;
        make_parents(output, rel, &old)?;
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            // A folder of muster's last build where a file goes now (conflicts() checked it).
            remove_listed_under(output, rel, &old)?;
        }
        std::fs::rename(inside(staging, rel)?, &target)?;
    }
    let gone: Vec<&String> = old.files.difference(&new.files).collect();
    for rel in &gone {
        let path = inside(output, rel)?;
        match std::fs::symlink_metadata(&path) {
            Ok(m) if !m.is_dir() => remove_file_if_there(&path)?,
            _ => {}
        }
    }
    remove_empty_parents(output, gone.iter().map(|s| s.as_str()));
    new.write(output)?;
    std::fs::remove_dir_all(staging)
}

/// Creates the folders on the way to `rel` below `output`; a file of muster's last
/// build standing where a folder goes is deleted first.
fn make_parents(output: &Path, rel: &str, old: &Manifest) -> io::Result<()> {
    let Some((dirs, _)) = rel.rsplit_once('/') else {
        return Ok(());
    };
    let mut at = String::new();
    for component in dirs.split('/') {
        if !at.is_empty() {
            at.push('/');
        }
        at.push_str(component);
        let path = inside(output, &at)?;
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) if old.files.contains(&at) => remove_file_if_there(&path)?,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{at} is not muster's and stands where a folder must go"),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        std::fs::create_dir(&path)?;
    }
    Ok(())
}

pub(super) fn remove_file_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Deletes the files of `old` below folder `rel` of `output`, and the folders they leave empty.
fn remove_listed_under(output: &Path, rel: &str, old: &Manifest) -> io::Result<()> {
    let prefix = format!("{rel}/");
    let files: Vec<&String> = old
        .files
        .range(prefix.clone()..)
        .take_while(|f| f.starts_with(&prefix))
        .collect();
    for f in &files {
        remove_file_if_there(&inside(output, f)?)?;
    }
    // Removes `rel` itself too, being the parent of its files.
    remove_empty_parents(output, files.iter().map(|s| s.as_str()));
    match std::fs::remove_dir(inside(output, rel)?) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes the folders above each of `removed` (paths below `root`) that are empty now,
/// deepest first; folders that still hold anything stay.
pub(super) fn remove_empty_parents<'a>(root: &Path, removed: impl Iterator<Item = &'a str>) {
    let mut dirs = std::collections::BTreeSet::new();
    for rel in removed {
        let mut rest = rel;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if !dirs.insert(dir) {
                break;
            }
            rest = dir;
        }
    }
    let mut dirs: Vec<&str> = dirs.into_iter().collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for dir in dirs {
        if let Ok(path) = inside(root, dir) {
            let _ = std::fs::remove_dir(path);
        }
    }
}

/// Deletes the files a previous site's manifest lists, the folders they leave empty,
/// and the folder itself if nothing else is in it. Anything muster did not write stays.
fn remove_listed(dir: &Path) -> io::Result<()> {
    let manifest = Manifest::read(dir)?.unwrap_or_default();
    {
        use rayon::prelude::*;
        // On a large site deleting the files one by one costs more than writing the new site.
        manifest
            .files
            .par_iter()
            .try_for_each(|rel| remove_file_if_there(&inside(dir, rel)?))?;
    }
    remove_empty_parents(dir, manifest.files.iter().map(String::as_str));
    remove_file_if_there(&dir.join(manifest::FILE))?;
    std::fs::remove_dir(dir)
}

/// Whether `path` is a previous site that muster swapped out.
pub(crate) fn is_previous(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    // `.<output name>.muster-previous-<pid>`: find where the output name ends.
    name.match_indices(&format!(".{PREVIOUS}"))
        .any(|(i, _)| matches!(leftover(&name[i..], ""), Some(Leftover::Previous(_))))
        && name.starts_with('.')
}

/// Deletes a previous site swapped out by a build (run by `muster`'s background helper,
/// or by the build itself): only the files its manifest lists. Refuses any folder not
/// named as muster names them.
pub fn remove_previous(path: &Path) -> io::Result<()> {
    if !is_previous(path) {
        return Err(io::Error::other(format!(
            "{} is not a folder muster swapped out; not deleting it",
            path.display()
        )));
    }
    remove_listed(path)
}

/// Hands a previous site to the process `pid` that will delete it: the folder is renamed
/// for that process, so a build starting meanwhile leaves it alone while it runs, and
/// removes it if that process dies first. Returns the new path.
pub(crate) fn hand_over(previous: &Path, pid: u32) -> io::Result<PathBuf> {
    let name = previous
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::other("not a previous site"))?;
    let at = name
        .rfind(PREVIOUS)
        .ok_or_else(|| io::Error::other("not a previous site"))?;
    let renamed = previous.with_file_name(format!("{}{pid}", &name[..at + PREVIOUS.len()]));
    std::fs::rename(previous, &renamed)?;
    Ok(renamed)
}

#[cfg(test)]
mod tests;
