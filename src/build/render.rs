//! Rendering a loaded site into a sink: every output, or (with the build cache) the
//! outputs whose reads changed, the others taken from the previous site.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{LoadedSite, StageTimes, Stopwatch, sorted};
use crate::error::{BuildErrors, Diagnostic};
use crate::incremental;
use crate::output::{self, NullSink, OutputSink};
use crate::publish;
use crate::publish::search::state::{IndexKeeping, IndexState};
use crate::render::{self, RenderPlan, Urls};

/// What rendering did: how many files it wrote, how long each stage took, and the
/// warnings it found (links to files and anchors that `broken_links:` makes warnings).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Files written (rendered and copied).
    pub files: usize,
    /// Planned outputs rendered: all, or those an incremental build found changed.
    pub rendered: usize,
    /// Wall time of each stage, in order.
    pub stages: StageTimes,
    /// What does not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Renders `loaded` into `sink` and copies static files and assets.
pub fn render_into(loaded: &LoadedSite, sink: &dyn OutputSink) -> Result<Rendered, BuildErrors> {
    render_reusing(loaded, sink, None, None, DataCache::default()).map(|(rendered, _)| rendered)
}

/// What the data files take from the build cache.
#[derive(Default)]
pub(super) struct DataCache<'a> {
    /// The search documents' terms.
    pub terms: Option<&'a incremental::kept::KeptLog>,
    /// Pages' entries, `graph.json`'s edges and summaries.
    pub entries: Option<&'a incremental::kept::KeptLog>,
    /// The last build's search indexes.
    pub index: Option<IndexState>,
}

/// What a build that keeps its cache leaves there for the next.
pub(super) struct ToKeep {
    /// What each output read.
    pub state: Option<incremental::RenderState>,
    /// The search indexes, and how many of their files were made and how many carried.
    pub index: Option<(IndexState, (usize, usize))>,
}

/// How a build uses its cache: not at all, or to record what it renders and to take
/// what did not change from the previous site, if there is one.
type Reuse = Option<Option<incremental::Previous>>;

/// [`render_into`]; with `reuse`, renders only the outputs whose reads changed since
/// the previous site and takes the others from it, and returns the new cache state. The
/// search index takes unchanged documents' terms from `terms` and keeps all there, and
/// the short forms, `pages.json` and `graph.json` what `entries` holds of each page; an
/// index whose documents mostly did not change is the last build's, patched.
pub(super) fn render_reusing(
    loaded: &LoadedSite,
    sink: &dyn OutputSink,
    reuse: Reuse,
    ignored_reads: Option<&'static str>,
    cache: DataCache<'_>,
) -> Result<(Rendered, ToKeep), BuildErrors> {
    let DataCache {
        terms,
        entries,
        index,
    } = cache;
    let mut clock = Stopwatch::start();
    let (plan, planned) = loaded.plan(&loaded.templates);
    let (mut errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        planned.into_iter().partition(Diagnostic::is_error);
    // With broken links to paths nothing is written, but the pages are still rendered, into
    // nothing, for their template errors: every error in one run. (A missing template or a
    // collision would only repeat itself there.)
    let planned_whole = errors.is_empty();
    let renders = planned_whole || errors.iter().all(|e| e.kind.is_broken_link());
    let urls = Urls::new(&loaded.config.base_url);
    let input = loaded.render_input(&urls);
    clock.lap("plan");
    let (mut values, fingerprints) = short_forms(
        loaded,
        (&input, &plan),
        reuse.is_some(),
        entries,
        &mut clock,
    );
    let previous = reuse.flatten();
    let to_render = match &fingerprints {
        Some(now) if planned_whole => incremental::renders(previous.as_ref(), now, ignored_reads),
        _ => incremental::Renders::All,
    };
    clock.lap("fingerprints");
    let mut report = render::RenderReport::default();
    if renders {
        let into: &dyn OutputSink = if planned_whole { sink } else { &NullSink };
        let keep_reads = fingerprints.is_some();
        report = render_planned((&input, &values), &plan, &to_render, into, keep_reads);
        errors.append(&mut report.errors);
    }
    if !planned_whole {
        errors.extend(warnings);
        return Err(BuildErrors(sorted(errors)));
    }
    let rendered = report.reads.len();
    if let Some(previous) = &previous {
        let kept = (0..plan.outputs.len()).filter(|n| !to_render.output(*n));
        let paths: Vec<&str> = kept.map(|n| plan.outputs[n].path.as_str()).collect();
        errors.extend(carry(previous, &paths, sink));
    }
    clock.lap("render and write");
    values.drop_template_values();
    let keeping = terms
        .filter(|_| fingerprints.is_some())
        .map(|_| IndexKeeping::new(index, previous.as_ref()));
    let kept = publish::Kept {
        terms,
        entries,
        fingerprints: fingerprints.as_ref(),
        index: keeping.as_ref(),
    };
    let reused = previous.as_ref().filter(|_| !to_render.data());
    let data_files = data_files(loaded, (&input, &plan, &values), reused, kept, sink)
        .unwrap_or_else(|e| {
            errors.extend(e);
            0
        });
    let index = keeping.map(IndexKeeping::finish);
    clock.lap("search index, feeds, sitemap, data");
    let copies = &loaded.static_files;
    errors.extend(copy_files(copies, sink));
    clock.lap("copy static files");
    errors.extend(loaded.site.html_unreadable());
    if !errors.is_empty() {
        return Err(BuildErrors(sorted(errors)));
    }
    let outputs = plan.outputs.len();
    let state = fingerprints.map(|now| incremental::next_state(previous, now, outputs, report));
    let rendered = Rendered {
        files: outputs + data_files + copies.len(),
        rendered,
        stages: clock.laps,
        warnings,
    };
    Ok((rendered, ToKeep { state, index }))
}

/// Writes the data files into `sink`, or, where none of their reads changed, takes them
/// from the `reused` previous site as they are; how many, or the failures.
fn data_files(
    loaded: &LoadedSite,
    (input, plan, values): (
        &render::RenderInput<'_>,
        &RenderPlan,
        &render::PageValues<'_>,
    ),
    reused: Option<&incremental::Previous>,
    kept: publish::Kept<'_>,
    sink: &dyn OutputSink,
) -> Result<usize, Vec<Diagnostic>> {
    let Some(previous) = reused else {
        let has_robots = loaded.has_static_file("robots.txt");
        return publish::write(input, plan, values, has_robots, kept, sink);
    };
    let data = data_files_of(previous, plan, &loaded.static_files);
    let errors = carry(previous, &data, sink);
    match errors.is_empty() {
        true => Ok(data.len()),
        false => Err(errors),
    }
}

/// The short forms of every page, and, for a build that records what each output reads
/// (`fingerprint`), the fingerprints of all it may read: those the short forms are made
/// of first, so that short forms kept in `entries` are found by them.
fn short_forms<'a>(
    loaded: &LoadedSite,
    (input, plan): (&'a render::RenderInput<'a>, &RenderPlan),
    fingerprint: bool,
    entries: Option<&incremental::kept::KeptLog>,
    clock: &mut Stopwatch,
) -> (
    render::PageValues<'a>,
    Option<incremental::fingerprint::SiteFingerprints>,
) {
    let mut fingerprints =
        fingerprint.then(|| incremental::fingerprint::before_summaries(loaded, plan));
    if fingerprints.is_some() {
        clock.lap("fingerprints (before the short forms)");
    }
    let kept = entries
        .zip(fingerprints.as_ref())
        .map(|(log, fingerprints)| render::summaries::KeptSummaries { log, fingerprints });
    let values = render::PageValues::new_kept(input, kept, fingerprints.is_some());
    clock.lap("short forms");
    if let Some(fingerprints) = &mut fingerprints {
        fingerprints.add_summaries(&values);
    }
    (values, fingerprints)
}

/// Renders the outputs of `plan` that `to_render` names into `into`, each with what it
/// read (encoded for the build cache when `keep_reads`).
fn render_planned(
    (input, values): (&render::RenderInput<'_>, &render::PageValues<'_>),
    plan: &RenderPlan,
    to_render: &incremental::Renders,
    into: &dyn OutputSink,
    keep_reads: bool,
) -> render::RenderReport<Box<[u8]>> {
    let outputs = plan.outputs.par_iter().enumerate();
    let outputs = outputs.filter(|(n, _)| to_render.output(*n));
    let keep = |reads| match keep_reads {
        true => incremental::encode_reads(&reads),
        false => Box::default(),
    };
    render::render_outputs_keeping(input, values, outputs, into, keep)
}

/// Puts the previous site's files at `paths` into `sink` as they are.
fn carry(
    previous: &incremental::Previous,
    paths: &[&str],
    sink: &dyn OutputSink,
) -> Vec<Diagnostic> {
    paths
        .par_iter()
        .filter_map(|rel| {
            let from = output::path::inside(&previous.dir, rel).ok()?;
            let hash = previous.manifest.hashes.get(*rel).copied();
            let carried = match hash {
                Some(hash) => sink.carry(rel, &from, hash),
                None => sink.copy(rel, &from),
            };
            carried.err().map(|e| {
                Diagnostic::io(&from, &e)
                    .hint("the output folder changed since the last build: build with --no-cache")
            })
        })
        .collect()
}

/// The data files of the previous site: its files that are neither planned outputs
/// nor copies of static files.
fn data_files_of<'p>(
    previous: &'p incremental::Previous,
    plan: &RenderPlan,
    static_files: &[(String, PathBuf)],
) -> Vec<&'p str> {
    let others: std::collections::HashSet<&str> = plan
        .outputs
        .iter()
        .map(|o| o.path.as_str())
        .chain(static_files.iter().map(|(rel, _)| rel.as_str()))
        .collect();
    previous
        .manifest
        .files
        .iter()
        .map(String::as_str)
        .filter(|f| !others.contains(f))
        .collect()
}

/// What rendering `loaded` into nothing finds, as `check` does, but for the site-wide
/// data files (search index, feeds, sitemap, JSON): writing those into nothing cannot
/// fail, and making them is most of a check's time and memory after the pages. Errors
/// and warnings, for `muster lsp`. Once `cancelled` is set (the writer typed on), the
/// outputs not yet rendered are left out.
#[cfg(feature = "lsp")]
pub(crate) fn check_pages(
    loaded: &LoadedSite,
    cancelled: &std::sync::atomic::AtomicBool,
) -> Vec<Diagnostic> {
    use std::sync::atomic::Ordering;
    let going_on = || !cancelled.load(Ordering::Relaxed);
    let (plan, mut found) = loaded.plan(&loaded.templates);
    let mut errors = found.iter().filter(|d| d.is_error());
    let planned_whole = errors.clone().next().is_none();
    // As `render_reusing`: with broken links to paths the pages still render, for
    // their template errors.
    if errors.all(|e| e.kind.is_broken_link()) && going_on() {
        let urls = Urls::new(&loaded.config.base_url);
        let input = loaded.render_input(&urls);
        let mut values = render::PageValues::new(&input);
        let outputs = plan.outputs.par_iter().enumerate();
        let outputs = outputs.filter(|_| going_on());
        // Only the errors: what each output read is of no use here, and 10,000 pages'
        // reads held to the end took 7-8 MB of the language server's peak.
        let report = render::render_outputs_keeping(&input, &values, outputs, &NullSink, drop);
        found.extend(report.errors);
        // The short forms (a quarter of the check's memory) are freed beside: an edit
        // that waits for the check to let go of the pages need not wait for them too.
        let summaries = std::mem::take(&mut values.summaries);
        std::thread::spawn(move || drop(summaries));
    }
    if planned_whole && going_on() {
        found.extend(copy_files(&loaded.static_files, &NullSink));
    }
    found
}

/// Copies `(output path, source file)` pairs into `sink` in parallel; returns the failures.
pub(crate) fn copy_files(copies: &[(String, PathBuf)], sink: &dyn OutputSink) -> Vec<Diagnostic> {
    copies
        .par_iter()
        .filter_map(|(rel, from)| sink.copy(rel, from).err().map(|e| Diagnostic::io(from, &e)))
        .collect()
}
