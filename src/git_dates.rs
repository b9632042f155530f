//! When each source file last changed, from git: the time of the last commit that
//! touched it, when the site is a git checkout (as Hugo's `enableGitInfo` does). A page's
//! "updated" date comes from its own `updated:`, else from here, never from the date of
//! its subject.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::model::Site;
use crate::model::dates::PageDate;

/// `git log` started, to read after the pages are loaded (it runs meanwhile).
pub(crate) struct Pending(Option<Child>);

/// Starts `git log` in `root`, listing each commit's time and the files it touched
/// (paths relative to `root`); nothing if git is missing or `root` is no checkout.
pub(crate) fn start(root: &Path) -> Pending {
    let child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--no-renames",
            "--name-only",
            "--relative",
            "--format=%x01%ct",
            "--",
            "content",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok();
    Pending(child)
}

impl Pending {
    /// The last commit time of each file, by path relative to the root; empty when git
    /// failed (no checkout, no commits).
    pub(crate) fn finish(self) -> HashMap<PathBuf, PageDate> {
        let Some(child) = self.0 else {
            return HashMap::new();
        };
        match child.wait_with_output() {
            Ok(out) if out.status.success() => parse(&String::from_utf8_lossy(&out.stdout)),
            _ => HashMap::new(),
        }
    }
}

/// Reads `git log --format=%x01%ct --name-only`: newest commit first, so a file's first
/// mention is its last change.
fn parse(log: &str) -> HashMap<PathBuf, PageDate> {
    let mut times = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(seconds) = line.strip_prefix('\u{1}') {
            current = seconds.trim().parse::<i64>().ok().and_then(moment);
        } else if let (Some(date), false) = (current, line.is_empty()) {
            times.entry(PathBuf::from(line)).or_insert(date);
        }
    }
    times
}

/// A Unix time as a UTC moment.
fn moment(seconds: i64) -> Option<PageDate> {
    let moment = jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::from_second(seconds).ok()?);
    Some(PageDate {
        day: moment.date(),
        time: Some(moment.time()),
        offset: Some(jiff::tz::Offset::UTC),
    })
}

/// Gives each page of `site` the last commit time of its file.
pub(crate) fn apply(site: &mut Site, times: &HashMap<PathBuf, PageDate>) {
    if times.is_empty() {
        return;
    }
    for page in &mut site.pages {
        page.committed = page.file.as_ref().and_then(|f| times.get(f)).copied();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_takes_the_time_of_its_newest_commit() {
        let log = "\u{1}1733250000\n\ncontent/a.md\ncontent/b.md\n\u{1}1600000000\n\ncontent/a.md\ncontent/c.md\n";
        let times = parse(log);
        assert_eq!(times.len(), 3);
        assert_eq!(
            times[Path::new("content/a.md")].to_string(),
            "2024-12-03T18:20:00Z"
        );
        assert_eq!(
            times[Path::new("content/c.md")].to_string(),
            "2020-09-13T12:26:40Z"
        );
        assert!(parse("").is_empty());
    }
}
