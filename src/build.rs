//! The build pipeline: config → source → model → links → markdown → render → output.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::assets::{self, StaticNames};
use crate::config::SiteConfig;
use crate::error::{BuildErrors, Diagnostic, ErrorKind};
use crate::incremental;
use crate::links::{self, LinkGraph};
use crate::model::{self, Site};
use crate::output::replace::{self, Installed};
use crate::output::{self, DirSink, NullSink, OutputFolder, OutputSink};
use crate::progress::{BuildProgress, CountingSink, NoProgress};
use crate::publish;
use crate::render::guide::Guide;
use crate::render::{self, RenderInput, RenderPlan, Templates, Urls};
use crate::shortcodes::Shortcodes;
use crate::source;
use crate::taxonomy::{self, Taxonomy};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// Include pages with `draft: true`.
    pub drafts: bool,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Put content hashes in the names of stylesheets and scripts (not in `serve`).
    pub fingerprint: bool,
    /// What happens to the previous site once the new one is swapped in.
    pub previous_output: PreviousOutput,
    /// Keep the previous site and what its pages read beside the output folder, in
    /// `.<name>.muster-cache/`, and render and write only what changed in the next
    /// build; `false` deletes that cache.
    pub cache: bool,
    /// Reads of this kind (`text`, `facts`, `summary`, `field`) are left out of an
    /// incremental build's decisions: the equivalence test uses it to show that it
    /// notices a dependency dropped. Not for use otherwise.
    #[doc(hidden)]
    pub ignored_reads: Option<&'static str>,
}

/// What a build does with the previous site it replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PreviousOutput {
    /// Delete it before returning.
    #[default]
    Remove,
    /// Hand it to `program __remove-previous-output` (which reads its path on standard
    /// input) and return at once; the new site is complete either way. Falls back to
    /// `Remove` if the program cannot start.
    RemoveInBackground {
        /// The `muster` executable.
        program: PathBuf,
    },
}

impl BuildOptions {
    /// Options for the site at `root`, with defaults.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            drafts: false,
            base_url: None,
            fingerprint: true,
            previous_output: PreviousOutput::Remove,
            cache: true,
            ignored_reads: None,
        }
    }
}

/// Counts and timing of a successful build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Regular pages.
    pub pages: usize,
    /// Sections, home included.
    pub sections: usize,
    /// Taxonomy terms.
    pub terms: usize,
    /// Files written (rendered and copied).
    pub files: usize,
    /// Of them, those already in the reused previous site with the same contents.
    pub unchanged: usize,
    /// Pages, listings and redirects rendered: all, or those whose reads changed
    /// since the previous build (the others were taken from it).
    pub rendered: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time of each stage, in order.
    pub stages: StageTimes,
    /// What does not stop the build but should be seen, sorted by file and line.
    pub warnings: Vec<Diagnostic>,
}

/// Wall time of each stage of a build, in order.
pub type StageTimes = Vec<(&'static str, Duration)>;

/// Records how long each stage took.
#[derive(Debug)]
struct Stopwatch {
    last: Instant,
    laps: StageTimes,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// A site loaded and resolved: everything before rendering.
pub struct LoadedSite {
    /// The site root, as given.
    pub(crate) root: PathBuf,
    /// Settings.
    pub(crate) config: SiteConfig,
    /// Pages, shared with the templates' `query()` function.
    pub(crate) site: std::sync::Arc<Site>,
    /// Relations, shared with the templates' `query()` function.
    pub(crate) graph: std::sync::Arc<LinkGraph>,
    /// Taxonomies.
    pub(crate) taxonomies: Vec<Taxonomy>,
    /// Templates.
    pub(crate) templates: Templates,
    /// The shortcodes among them.
    pub(crate) shortcodes: Shortcodes,
    /// What the templates' `query()` calls read.
    pub(crate) template_queries: render::query_function::TemplateQueryReads,
    /// Non-Markdown files under `content/`, where they are published.
    // Kept for serve, which copies them again when one changes.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) assets: Vec<assets::Placed>,
    /// The same, by name, for wikilinks to them.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) attachments: links::Attachments,
    /// Files copied as they are: (output path, source file).
    pub(crate) static_files: Vec<(String, PathBuf)>,
    /// Output paths of stylesheets and scripts, by template name.
    pub(crate) static_names: StaticNames,
    /// The writer's guide, if `guide:` names one.
    pub(crate) guide: Option<Guide>,
    /// How long each stage took so far.
    pub(crate) stages: StageTimes,
    /// What the stages found that does not stop the build.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl LoadedSite {
    /// What rendering needs of this site, with URLs made by `urls`.
    pub(crate) fn render_input<'a>(&'a self, urls: &'a Urls) -> RenderInput<'a> {
        RenderInput {
            config: &self.config,
            site: &self.site,
            graph: &self.graph,
            taxonomies: &self.taxonomies,
            templates: &self.templates,
            urls,
            static_names: &self.static_names,
            guide: self.guide.as_ref(),
            shortcodes: &self.shortcodes,
            template_queries: &self.template_queries,
        }
    }

    /// The pages and relations, to change in place (`serve`): the templates' `query()`
    /// lets go of them until [`LoadedSite::share_with_templates`].
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn pages_mut(&mut self) -> (&mut Site, &mut LinkGraph) {
        render::query_function::withdraw(&mut self.templates.tera);
        let only = "nothing but the templates' query() holds the pages";
        (
            std::sync::Arc::get_mut(&mut self.site).expect(only),
            std::sync::Arc::get_mut(&mut self.graph).expect(only),
        )
    }

    /// Gives the templates' `query()` the pages and relations as they are now.
    pub(crate) fn share_with_templates(&mut self) {
        render::query_function::register(
            &mut self.templates.tera,
            &self.config,
            (&self.site, &self.graph),
            &self.template_queries,
        );
    }

    /// Every file to render with its template (see `render::plan`), and the errors of
    /// the plan: missing templates, and any two outputs at one path.
    pub(crate) fn plan(&self, templates: &Templates) -> (RenderPlan, Vec<Diagnostic>) {
        use render::collisions::{self, Origin};
        let (plan, mut errors) =
            render::plan(&self.site, &self.taxonomies, templates, self.guide.as_ref());
        let data = publish::planned_files(&self.site, self.has_static_file("robots.txt"));
        let claims: Vec<collisions::Claim<'_>> = collisions::planned(&plan)
            .chain(
                data.iter()
                    .map(|(p, name)| (p.as_str(), Origin::Data(name))),
            )
            .chain(
                self.static_files
                    .iter()
                    .map(|(rel, from)| (rel.as_str(), Origin::Copied(from.as_path()))),
            )
            .collect();
        errors.extend(collisions::check(
            &self.site,
            &self.taxonomies,
            &self.root,
            &claims,
        ));
        // Links to paths and files, against every file the build writes.
        let outputs = links::local::OutputFiles::new(claims.iter().map(|(path, _)| *path));
        errors.extend(links::local::check(
            &self.config,
            &self.site,
            &outputs,
            None,
        ));
        (plan, errors)
    }

    /// Whether a static file will be copied to output path `rel`.
    pub(crate) fn has_static_file(&self, rel: &str) -> bool {
        self.static_files.iter().any(|(r, _)| r == rel)
    }
}

/// Runs every stage up to rendering; collects all errors of all stages it can run.
pub fn load(options: &BuildOptions) -> Result<LoadedSite, BuildErrors> {
    let mut clock = Stopwatch::start();
    let mut config = SiteConfig::load(&options.root).map_err(BuildErrors)?;
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    let mut errors = config.warnings();
    let templates = Templates::load(&options.root, &config)
        .map_err(|e| errors.extend(e))
        .ok();
    let shortcodes = templates.as_ref().map(|t| {
        let (shortcodes, declaration_errors) = Shortcodes::from_templates(&t.sources);
        errors.extend(declaration_errors);
        shortcodes
    });
    let guide = render::guide::load(&options.root, &config)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    clock.lap("config and templates");
    // Commit times are read while the files are.
    let commits = config
        .git_dates
        .then(|| crate::git_dates::start(&options.root));
    let (source::SourceTree { files, assets }, source_errors) = source::load(&options.root);
    errors.extend(source_errors);
    clock.lap("walk and read");
    let (mut site, model_errors) = model::load(&config, shortcodes.as_ref(), files, options.drafts);
    errors.extend(model_errors);
    if let Some(commits) = commits {
        crate::git_dates::apply(&mut site, &commits.finish());
    }
    clock.lap("front matter and markdown parse");
    let (assets, asset_errors) = assets::place(&options.root, &config, &site, &assets);
    errors.extend(asset_errors);
    let attachments = links::Attachments::new(&assets);
    let (graph, link_errors) = links::resolve(&config, &site, &attachments);
    errors.extend(link_errors);
    errors.extend(crate::query::check_pages(&site));
    let taxonomies = taxonomy::collect(&config, &site);
    let (mut static_files, static_errors) = assets::static_files(&options.root, &config, &assets);
    errors.extend(static_errors);
    let static_names = assets::name_static_files(&mut static_files, options.fingerprint)
        .map_err(|e| errors.extend(e))
        .unwrap_or_default();
    clock.lap("links and taxonomies");
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        errors.into_iter().partition(Diagnostic::is_error);
    // Broken links render as their text, so the site can still be rendered to find the
    // template errors and broken paths too: all of them in one run.
    let renders_anyway = errors.iter().all(|e| e.kind.is_broken_link());
    match templates {
        Some(templates) if errors.is_empty() || renders_anyway => {
            let mut loaded = LoadedSite {
                warnings: sorted(warnings),
                root: options.root.clone(),
                config,
                site: site.into(),
                graph: graph.into(),
                template_queries: Default::default(),
                taxonomies,
                templates,
                shortcodes: shortcodes.unwrap_or_default(),
                assets,
                attachments,
                static_files,
                static_names,
                guide,
                stages: clock.laps,
            };
            loaded.share_with_templates();
            if errors.is_empty() {
                return Ok(loaded);
            }
            let mut all = errors;
            all.extend(loaded.warnings.iter().cloned());
            match render_into(&loaded, &NullSink) {
                Ok(rendered) => all.extend(rendered.warnings),
                Err(more) => all.extend(more.0),
            }
            Err(BuildErrors(sorted(all)))
        }
        _ => Err(BuildErrors(sorted(
            errors.into_iter().chain(warnings).collect(),
        ))),
    }
}

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
    render_reusing(loaded, sink, None, None).map(|(rendered, _)| rendered)
}

/// How a build uses its cache: not at all, or to record what it renders and to take
/// what did not change from the previous site, if there is one.
type Reuse<'a> = Option<Option<&'a incremental::Previous>>;

/// [`render_into`]; with `reuse`, renders only the outputs whose reads changed since
/// the previous site and takes the others from it, and returns the new cache state.
fn render_reusing(
    loaded: &LoadedSite,
    sink: &dyn OutputSink,
    reuse: Reuse<'_>,
    ignored_reads: Option<&'static str>,
) -> Result<(Rendered, Option<incremental::RenderState>), BuildErrors> {
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
    let values = render::PageValues::new(&input);
    clock.lap("plan and short forms");
    let previous = reuse.flatten();
    let fingerprints = reuse.map(|_| incremental::fingerprint::of(loaded, &plan, &values));
    let to_render = match &fingerprints {
        Some(now) if planned_whole => incremental::renders(previous, now, ignored_reads),
        _ => incremental::Renders::All,
    };
    clock.lap("fingerprints");
    let mut report = render::RenderReport::default();
    if renders {
        let into: &dyn OutputSink = if planned_whole { sink } else { &NullSink };
        let outputs = plan.outputs.par_iter().enumerate();
        let outputs = outputs.filter(|(n, _)| to_render.output(*n));
        report = render::render_outputs(&input, &values, outputs, into);
        errors.append(&mut report.errors);
    }
    if !planned_whole {
        errors.extend(warnings);
        return Err(BuildErrors(sorted(errors)));
    }
    let rendered = report.reads.len();
    if let Some(previous) = previous {
        let kept = (0..plan.outputs.len()).filter(|n| !to_render.output(*n));
        let paths: Vec<&str> = kept.map(|n| plan.outputs[n].path.as_str()).collect();
        errors.extend(carry(previous, &paths, sink));
    }
    clock.lap("render and write");
    let data_files = if let (false, Some(previous)) = (to_render.data(), previous) {
        let data = data_files_of(previous, &plan, &loaded.static_files);
        errors.extend(carry(previous, &data, sink));
        data.len()
    } else {
        publish::write(
            &input,
            &plan,
            &values,
            loaded.has_static_file("robots.txt"),
            sink,
        )
        .unwrap_or_else(|e| {
            errors.extend(e);
            0
        })
    };
    clock.lap("search index, feeds, sitemap, data");
    let copies = &loaded.static_files;
    errors.extend(copy_files(copies, sink));
    clock.lap("copy static files");
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
    Ok((rendered, state))
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

/// Copies `(output path, source file)` pairs into `sink` in parallel; returns the failures.
pub(crate) fn copy_files(copies: &[(String, PathBuf)], sink: &dyn OutputSink) -> Vec<Diagnostic> {
    copies
        .par_iter()
        .filter_map(|(rel, from)| sink.copy(rel, from).err().map(|e| Diagnostic::io(from, &e)))
        .collect()
}

/// Orders diagnostics by file, line and column so output is stable.
pub(crate) fn sorted(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Causes first, then what follows from them; each in file order.
    fn key(d: &Diagnostic) -> (bool, Option<(&Path, usize, usize)>) {
        let at = d
            .location
            .as_ref()
            .map(|l| (l.file.as_path(), l.line, l.column));
        (d.caused_by.is_some(), at)
    }
    errors.sort_by(|a, b| key(a).cmp(&key(b)));
    errors
}

fn stats(loaded: &LoadedSite, rendered: Rendered, started: Instant) -> BuildStats {
    let sections = loaded
        .site
        .pages
        .iter()
        .filter(|p| p.role == model::Role::Section)
        .count();
    BuildStats {
        pages: loaded.site.pages.len() - sections,
        sections,
        terms: loaded.taxonomies.iter().map(|t| t.terms.len()).sum(),
        files: rendered.files,
        unchanged: 0,
        rendered: rendered.rendered,
        elapsed: started.elapsed(),
        stages: loaded
            .stages
            .iter()
            .copied()
            .chain(rendered.stages)
            .collect(),
        warnings: sorted(
            loaded
                .warnings
                .iter()
                .cloned()
                .chain(rendered.warnings)
                .collect(),
        ),
    }
}

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
    // The output folder is checked first but reported with the site's own errors.
    let folder = OutputFolder::check(&options.root, output);
    let (folder, loaded) = match (folder, load(options)) {
        (Ok(folder), Ok(loaded)) => (folder, loaded),
        (folder, loaded) => {
            let mut errors: Vec<Diagnostic> = folder.err().into_iter().collect();
            errors.extend(loaded.err().into_iter().flat_map(|e| e.0));
            return Err(BuildErrors(sorted(errors)));
        }
    };
    let io_error = |e: std::io::Error| BuildErrors(vec![Diagnostic::io(output, &e)]);
    let cache = output::BuildCache::beside(&folder.path);
    if !options.cache {
        cache.remove().map_err(io_error)?;
    }
    // Only a site swapped whole is reused: one sharing its folder is moved in file by file.
    let reused = options
        .cache
        .then_some(&cache)
        .filter(|_| folder.swaps_whole());
    let mut notices = Vec::new();
    let previous = reused.and_then(|cache| {
        incremental::previous(cache, &folder.path, folder.manifest()).unwrap_or_else(|notice| {
            notices.push(notice);
            None
        })
    });
    let (staging, there) = replace::staging_dir(&folder, reused).map_err(io_error)?;
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
        reused.map(|_| previous.as_ref()),
        options.ignored_reads,
    );
    progress.stage("publishing");
    let outcome = result.and_then(|(rendered, state)| {
        let written = dir.finish().map_err(io_error)?;
        let manifest = written.manifest;
        let conflicts = folder.conflicts(&manifest);
        if !conflicts.is_empty() {
            return Err(BuildErrors(vec![conflict_error(&folder, &conflicts)]));
        }
        let swap_started = Instant::now();
        match replace::install(&folder, &staging, &manifest).map_err(io_error)? {
            Installed::Swapped(Some(previous)) => match reused {
                Some(cache) => cache.keep_spare(&previous).map_err(io_error)?,
                None => remove_previous(&options.previous_output, &previous).map_err(io_error)?,
            },
            Installed::Swapped(None) | Installed::InPlace => {}
        }
        let mut stats = stats(&loaded, rendered, started);
        stats.unchanged = written.kept;
        stats.stages.push(("swap output", swap_started.elapsed()));
        if let (Some(cache), Some(state)) = (reused, state) {
            // The site is in place: a cache that cannot be written only costs the next build time.
            if let Err(e) = incremental::keep(cache, state, &manifest) {
                notices.push(Diagnostic::io(cache.dir(), &e).warning());
            }
        }
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

/// Frees `value` on a thread of its own: freeing a large site's pages takes tens of
/// milliseconds on one thread, which the command's caller need not wait for (and a
/// process that exits meanwhile never spends).
fn free_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
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

/// Loads, validates, resolves and renders everything without writing a file.
pub fn check(options: &BuildOptions) -> Result<BuildStats, BuildErrors> {
    let started = Instant::now();
    let loaded = load(options)?;
    let rendered = render_into(&loaded, &NullSink)?;
    let stats = stats(&loaded, rendered, started);
    free_later(loaded);
    Ok(stats)
}

#[cfg(feature = "external")]
/// Checks like [`check`], then requests every external link once; their failures
/// are errors too. Returns the stats and how many distinct URLs answered.
pub fn check_external(
    options: &BuildOptions,
    external: &links::external::ExternalOptions,
) -> Result<(BuildStats, usize), BuildErrors> {
    let started = Instant::now();
    let loaded = load(options)?;
    let mut rendered = render_into(&loaded, &NullSink)?;
    let external_started = Instant::now();
    let report = links::external::check(&options.root, &loaded.config, &loaded.site, external);
    rendered
        .stages
        .push(("external links", external_started.elapsed()));
    if !report.failures.is_empty() {
        return Err(BuildErrors(sorted(report.failures)));
    }
    Ok((stats(&loaded, rendered, started), report.checked))
}
