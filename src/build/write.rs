//! `muster build`: a loaded site rendered into a staging folder (the spare site of the
//! build cache, or a fresh one) and put in place of the output folder.

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::load::{LoadedSite, Resolve, load_with};
use super::render::{DataCache, ToKeep, render_reusing};
use super::{BuildOptions, BuildStats, PreviousOutput, StageTimes, free_later, sorted, stats};
use crate::error::{BuildErrors, Diagnostic, ErrorKind};
use crate::incremental;
use crate::incremental::kept::{KeptLog, LogToKeep};
use crate::incremental::parsed::ParsesFrom;
use crate::output::listings::Listings;
use crate::output::replace::{self, Installed};
use crate::output::{self, DirSink, OutputFolder, OutputPlace};
use crate::progress::{BuildProgress, CountingSink, NoProgress};
use crate::publish::data::{ENTRIES_FILE, entries_setup};
use crate::publish::search::state::IndexState;
use crate::publish::search::{TERMS_FILE, terms_setup};

/// Builds the site into `output`. The new site is written to a staging folder
/// and swapped in only when everything succeeded; on failure `output` is untouched.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildStats, BuildErrors> {
    build_with_progress(options, output, &NoProgress)
}

/// [`build`], telling `progress` what it does.
pub fn build_with_progress(
    options: &BuildOptions,
    output: &Path,
    progress: &dyn BuildProgress,
) -> Result<BuildStats, BuildErrors> {
    let started = Instant::now();
    progress.stage("reading and linking pages");
    let (mut folder, loaded, took, kept) = load_beside_look(options, output)?;
    let listings = std::mem::take(&mut folder.listings);
    let folders_listed = listings.counts;
    let io_error = |e: std::io::Error| BuildErrors(vec![Diagnostic::io(output, &e)]);
    let cache = output::BuildCache::beside(&folder.path);
    if !options.cache {
        cache.remove().map_err(io_error)?;
    }
    // Read only for a build that keeps its cache.
    let reused = kept.is_some().then_some(&cache);
    let FromCache {
        previous,
        terms,
        entries,
        index,
        mut notices,
    } = KeptFromCache::taken(kept);
    let staging_started = Instant::now();
    let (staging, there) = replace::staging_dir(&folder, reused).map_err(io_error)?;
    let staging_made = staging_started.elapsed();
    progress.stage("rendering");
    // Pages, redirects and static files are known now; the data files come on top.
    progress.total((loaded.site.pages.len() + loaded.static_files.len()) as u64);
    let dir = DirSink::reusing(staging.clone(), there);
    let result = render_reusing(
        &loaded,
        &CountingSink {
            inner: &dir,
            progress,
        },
        reused.map(|_| previous),
        options.ignored_reads,
        DataCache {
            terms: terms.as_ref(),
            entries: entries.as_ref(),
            index,
        },
    );
    progress.stage("publishing");
    let kept_terms = terms.map(incremental::kept::KeptLog::finish);
    let kept_entries = entries.map(incremental::kept::KeptLog::finish);
    let outcome = result.and_then(|(rendered, to_keep)| {
        let (written, installing) = install(&folder, dir, &staging, reused, options, output)?;
        let manifest = written.manifest;
        let mut stats = stats(&loaded, rendered, started);
        stats.unchanged = written.kept;
        stats.folders_listed = Some(folders_listed);
        // None made or carried: the data files were all taken as they were, index and all.
        let index_files = to_keep.index.as_ref().map(|(_, files)| *files);
        stats.search_files = index_files.filter(|&(made, carried)| made + carried > 0);
        took.add_to(&mut stats.stages, loaded.stages.len(), staging_made);
        stats.stages.extend(installing);
        let keep_started = Instant::now();
        // The site is in place: a cache that cannot be written only costs the next build
        // time. Only beside a folder swapped whole: the parse cache was read for any other too.
        if let Some(cache) = reused {
            let logs = [
                loaded.parses_to_keep.as_ref(),
                kept_terms.as_ref(),
                kept_entries.as_ref(),
            ];
            notices.extend(write_cache(cache, to_keep, &manifest, logs, listings));
        }
        stats
            .stages
            .push(("write build cache", keep_started.elapsed()));
        stats.elapsed = started.elapsed();
        stats.warnings.extend(notices);
        Ok(stats)
    });
    if outcome.is_err() {
        // Everything in it is this build's; on success it is gone already.
        let _ = std::fs::remove_dir_all(&staging);
    }
    free_later(loaded);
    outcome
}

/// Loads the site while a thread of its own looks into the output folder (and reads the
/// build cache beside it): reading every folder of a large site takes as long as reading
/// its sources. The folder's errors are reported with the site's own.
fn load_beside_look(
    options: &BuildOptions,
    output: &Path,
) -> Result<(OutputFolder, LoadedSite, LookTimes, Option<KeptFromCache>), BuildErrors> {
    let place = OutputPlace::check(&options.root, output);
    // The parse cache is read whenever the build may keep one: it is keyed by what it
    // parsed, so it is right whatever the output folder holds, and written again only
    // beside a folder swapped whole.
    let parses = match &place {
        Ok(place) if options.cache => Some(ParsesFrom::Folder(
            output::BuildCache::beside(&place.path).dir().to_path_buf(),
        )),
        _ => None,
    };
    let (looked, loaded) = std::thread::scope(|scope| {
        let looking = scope.spawn(|| look(place, options.cache));
        let loaded = load_with(options, parses, Resolve::Once);
        let looked = looking
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (looked, loaded)
    });
    let Looked { folder, took, kept } = looked;
    match (folder, loaded) {
        (Ok(folder), Ok(loaded)) => Ok((folder, loaded, took, kept)),
        (folder, loaded) => {
            let mut errors: Vec<Diagnostic> = folder.err().into_iter().collect();
            errors.extend(loaded.err().into_iter().flat_map(|e| e.0));
            Err(BuildErrors(sorted(errors)))
        }
    }
}

/// Puts the site written into `dir` (the staging folder `staging`) in place of the one in
/// `folder`, unless it would replace files that are not muster's; the site it replaces
/// becomes the spare of `reused`, or is deleted. Returns what was written and how long
/// the manifest and the swap took.
fn install(
    folder: &OutputFolder,
    dir: DirSink,
    staging: &Path,
    reused: Option<&output::BuildCache>,
    options: &BuildOptions,
    output: &Path,
) -> Result<(output::Written, StageTimes), BuildErrors> {
    let io_error = |e: std::io::Error| BuildErrors(vec![Diagnostic::io(output, &e)]);
    let started = Instant::now();
    let written = dir.finish().map_err(io_error)?;
    let conflicts = folder.conflicts(&written.manifest);
    if !conflicts.is_empty() {
        return Err(BuildErrors(vec![conflict_error(folder, &conflicts)]));
    }
    let finished = started.elapsed();
    let swap_started = Instant::now();
    match replace::install(folder, staging, &written.manifest).map_err(io_error)? {
        Installed::Swapped(Some(previous)) => match reused {
            Some(cache) => cache.keep_spare(&previous).map_err(io_error)?,
            None => remove_previous(&options.previous_output, &previous).map_err(io_error)?,
        },
        Installed::Swapped(None) | Installed::InPlace => {}
    }
    let times = vec![
        ("output manifest", finished),
        ("swap output", swap_started.elapsed()),
    ];
    Ok((written, times))
}

/// What the output folder holds, and what the build cache beside it holds for a build
/// that keeps one: found on a thread of their own while the site is read.
struct Looked {
    folder: Result<OutputFolder, Diagnostic>,
    took: LookTimes,
    /// For a build that keeps its cache (`options.cache`, a folder swapped whole).
    kept: Option<KeptFromCache>,
}

/// How long looking took.
struct LookTimes {
    folder: Duration,
    cache: Duration,
}

impl LookTimes {
    /// Puts the look's times before the `loading` stages of `stages` that it ran beside,
    /// and the staging folder's, `staging`, after them.
    fn add_to(&self, stages: &mut StageTimes, loading: usize, staging: Duration) {
        let beside = [
            ("output folder (while reading)", self.folder),
            ("build cache (while reading)", self.cache),
        ];
        stages.splice(0..0, beside);
        stages.insert(2 + loading, ("staging folder", staging));
    }
}

/// What a build takes from its cache before rendering, besides the spare site.
struct KeptFromCache {
    /// The last build's state and site, or the notice why it cannot be used.
    previous: Result<Option<incremental::Previous>, Diagnostic>,
    /// The search documents' terms.
    terms: KeptLog,
    /// Pages' entries, `graph.json`'s edges and summaries.
    entries: KeptLog,
    /// The search indexes.
    index: Option<IndexState>,
}

/// What a build uses of its cache: nothing for a build without one.
#[derive(Default)]
struct FromCache {
    /// The last build's state and site, if usable.
    previous: Option<incremental::Previous>,
    /// The search documents' terms.
    terms: Option<KeptLog>,
    /// Pages' entries, `graph.json`'s edges and summaries.
    entries: Option<KeptLog>,
    /// The search indexes.
    index: Option<IndexState>,
    /// Why the last build's state could not be used, as a notice.
    notices: Vec<Diagnostic>,
}

impl KeptFromCache {
    /// What a build uses of `kept` (none for a build without a cache).
    fn taken(kept: Option<KeptFromCache>) -> FromCache {
        let Some(kept) = kept else {
            return FromCache::default();
        };
        let (previous, notices) = match kept.previous {
            Ok(previous) => (previous, Vec::new()),
            Err(notice) => (None, vec![notice]),
        };
        FromCache {
            previous,
            terms: Some(kept.terms),
            entries: Some(kept.entries),
            index: kept.index,
            notices,
        }
    }
}

/// Looks into the output folder at `place`, then, for a build that keeps its `cache`,
/// reads what the cache beside it holds. Only reads.
fn look(place: Result<OutputPlace, Diagnostic>, cache: bool) -> Looked {
    let started = Instant::now();
    // Only a build that keeps its cache trusts the listings kept there.
    let listings = match &place {
        Ok(place) if cache => Listings::read(output::BuildCache::beside(&place.path).dir()),
        _ => Listings::default(),
    };
    let folder = place.and_then(|place| place.look(listings));
    let looked = started.elapsed();
    let kept = folder
        .as_ref()
        .ok()
        .filter(|folder| cache && folder.swaps_whole())
        .map(|folder| {
            let cache = output::BuildCache::beside(&folder.path);
            let log = |name: &str, setup: u128| {
                incremental::kept::KeptFrom::Folder(cache.dir().to_path_buf()).open(name, setup)
            };
            KeptFromCache {
                previous: incremental::previous(&cache, &folder.path, folder.shared_manifest()),
                terms: log(TERMS_FILE, terms_setup()),
                entries: log(ENTRIES_FILE, entries_setup()),
                index: IndexState::read(cache.dir(), terms_setup()),
            }
        });
    Looked {
        folder,
        took: LookTimes {
            folder: looked,
            cache: started.elapsed() - looked,
        },
        kept,
    }
}

/// Writes the render state, the search indexes, the output folder's listings and the logs into `cache`, in
/// parallel; what cannot be written is a notice.
fn write_cache(
    cache: &output::BuildCache,
    ToKeep { state, index }: ToKeep,
    manifest: &output::manifest::Manifest,
    logs: [Option<&LogToKeep>; 3],
    listings: Listings,
) -> Vec<Diagnostic> {
    let notice = |e: std::io::Error| Diagnostic::io(cache.dir(), &e).warning();
    let (state, logs) = rayon::join(
        || {
            let kept = state.and_then(|state| incremental::keep(cache, state, manifest).err());
            kept.into_iter()
                .chain(listings.write(cache.dir()).err())
                .chain(index.and_then(|(index, _)| index.write(cache.dir(), terms_setup()).err()))
                .collect::<Vec<_>>()
        },
        || {
            logs.into_par_iter()
                .flatten()
                .filter_map(|log| log.write().err())
                .collect::<Vec<_>>()
        },
    );
    state.into_iter().chain(logs).map(notice).collect()
}

/// The error for files that are not muster's where the new site goes.
fn conflict_error(folder: &OutputFolder, conflicts: &[String]) -> Diagnostic {
    const SHOWN: usize = 8;
    let mut names = conflicts[..conflicts.len().min(SHOWN)].join(", ");
    if conflicts.len() > SHOWN {
        names.push_str(&format!(", … ({} in all)", conflicts.len()));
    }
    let shown = folder.shown.display();
    let hint = match folder.manifest() {
        None => format!(
            "{shown} has no {} listing muster's files, so nothing in it counts as muster's: if another \
             tool or an older muster built it, delete it and build again; if these files are yours, \
             move them or choose another --output",
            output::manifest::FILE
        ),
        Some(_) => format!(
            "muster replaces only the files it wrote (listed in {shown}/{}); move these files away or choose another --output",
            output::manifest::FILE
        ),
    };
    Diagnostic::new(
        ErrorKind::Output,
        format!("the new site would replace files in {shown} that muster did not write: {names}"),
    )
    .hint(hint)
}

/// Deletes the site a build swapped out, now or by a background helper.
fn remove_previous(how: &PreviousOutput, previous: &Path) -> std::io::Result<()> {
    if let PreviousOutput::RemoveInBackground { program } = how
        && hand_to_helper(program, previous).is_ok()
    {
        return Ok(());
    }
    replace::remove_previous(previous)
}

/// Starts `program __remove-previous-output`, renames the previous site for it (so that a
/// build starting meanwhile leaves it alone) and tells it the new name on its input.
fn hand_to_helper(program: &Path, previous: &Path) -> std::io::Result<()> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut helper = Command::new(program)
        .arg("__remove-previous-output")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let handed = replace::hand_over(previous, helper.id()).and_then(|path| {
        let mut stdin = helper
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no pipe to the helper"))?;
        writeln!(stdin, "{}", path.display())
    });
    if handed.is_err() {
        // The helper reads nothing and ends; the folder keeps a name muster removes later.
        let _ = helper.kill();
    }
    let _ = helper.try_wait();
    handed
}
