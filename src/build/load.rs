//! Every stage up to rendering: config and templates, sources, pages, links.

use std::path::PathBuf;

use super::{BuildOptions, StageTimes, Stopwatch, render_into, sorted};
use crate::assets::{self, StaticNames};
use crate::config::SiteConfig;
use crate::error::{BuildErrors, Diagnostic};
use crate::links::{self, LinkGraph};
use crate::model::{self, Site};
use crate::output::NullSink;
use crate::publish;
use crate::render::guide::Guide;
use crate::render::{self, RenderInput, RenderPlan, Templates, Urls};
use crate::shortcodes::Shortcodes;
use crate::source;
use crate::taxonomy::{self, Taxonomy};

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
    /// The parse cache to write for the next build, if this one succeeds.
    pub(crate) parses_to_keep: Option<crate::incremental::parsed::ParsesToKeep>,
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
    load_with(options, None, Resolve::Once)
}

/// Whether a page's links are resolved again after the site is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolve {
    /// Every link is resolved once, while loading (`build`, `check`).
    Once,
    /// An edited page's links are resolved again (`serve`).
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    Again,
}

/// Loads like [`load`], taking page bodies that did not change from the parse cache
/// `parses` (this build's are in `parses_to_keep`, for the next).
pub(crate) fn load_with(
    options: &BuildOptions,
    parses: Option<crate::incremental::parsed::ParsesFrom>,
    resolve: Resolve,
) -> Result<LoadedSite, BuildErrors> {
    let mut stages = run_stages(options, parses, &source::Overlay::new())?;
    if resolve == Resolve::Once {
        // The names every page is found by: tens of MB at 100,000 pages, which only
        // resolving a page again needs.
        stages.graph.names = links::PageNames::default();
    }
    stages.finish()
}

/// What every stage up to rendering made, whatever errors they found on the way.
pub(crate) struct Stages {
    root: PathBuf,
    pub(crate) config: SiteConfig,
    pub(crate) templates: Option<Templates>,
    pub(crate) shortcodes: Option<Shortcodes>,
    guide: Option<Guide>,
    pub(crate) site: Site,
    pub(crate) graph: LinkGraph,
    pub(crate) taxonomies: Vec<Taxonomy>,
    assets: Vec<assets::Placed>,
    pub(crate) attachments: links::Attachments,
    static_files: Vec<(String, PathBuf)>,
    static_names: StaticNames,
    /// Errors and warnings of every stage.
    pub(crate) errors: Vec<Diagnostic>,
    clock: Stopwatch,
    parses_to_keep: Option<crate::incremental::parsed::ParsesToKeep>,
}

/// Runs every stage up to rendering on the site's files on disk (site.yaml, templates,
/// pages), or in `overlay` for those it holds; fails only if site.yaml cannot be read.
pub(crate) fn run_stages(
    options: &BuildOptions,
    parses: Option<crate::incremental::parsed::ParsesFrom>,
    overlay: &source::Overlay,
) -> Result<Stages, BuildErrors> {
    let mut clock = Stopwatch::start();
    let mut config = SiteConfig::load_with(&options.root, overlay).map_err(BuildErrors)?;
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    let mut errors = config.warnings();
    let (templates, shortcodes, guide) = templates(options, &config, overlay, &mut errors);
    clock.lap("config and templates");
    // Commit times are read while the files are.
    let commits = config
        .git_dates
        .then(|| crate::git_dates::start(&options.root));
    // The parse cache (tens of MB at 10,000 pages) is read while the sources are.
    let setup = crate::incremental::parsed::setup(&config, shortcodes.as_ref());
    let spill = crate::markdown::HtmlSpill::new(options.html_in_memory);
    let ((source::SourceTree { files, assets }, source_errors), parsed) = rayon::join(
        || source::load(&options.root, overlay),
        || {
            parses.map(|from| {
                let spill = std::sync::Arc::clone(&spill);
                crate::incremental::parsed::ParseCache::from(from, setup, spill)
            })
        },
    );
    errors.extend(source_errors);
    clock.lap("walk");
    let (mut site, model_errors) = model::load(
        &config,
        shortcodes.as_ref(),
        parsed.as_ref(),
        files,
        options.drafts,
        Some(spill),
    );
    errors.extend(model_errors);
    let parses_to_keep = parsed.map(crate::incremental::parsed::ParseCache::finish);
    if let Some(commits) = commits {
        crate::git_dates::apply(&mut site, &commits.finish());
    }
    clock.lap("read, front matter and markdown parse");
    if let Some(release) = options.between_stages {
        release();
    }
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
    Ok(Stages {
        root: options.root.clone(),
        config,
        templates,
        shortcodes,
        guide,
        site,
        graph,
        taxonomies,
        assets,
        attachments,
        static_files,
        static_names,
        errors,
        clock,
        parses_to_keep,
    })
}

/// The templates, the shortcodes among them and the writer's guide, whatever of them
/// loads; what fails goes to `errors`, with the templates' warnings.
fn templates(
    options: &BuildOptions,
    config: &SiteConfig,
    overlay: &source::Overlay,
    errors: &mut Vec<Diagnostic>,
) -> (Option<Templates>, Option<Shortcodes>, Option<Guide>) {
    let templates = Templates::load_with(&options.root, config, overlay)
        .map_err(|e| errors.extend(e))
        .ok();
    if let Some(t) = &templates {
        errors.extend(t.warnings.iter().cloned());
    }
    let shortcodes = templates.as_ref().map(|t| {
        let (shortcodes, declaration_errors) = Shortcodes::from_templates(&t.sources);
        errors.extend(declaration_errors);
        shortcodes
    });
    let guide = render::guide::load(&options.root, config)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    (templates, shortcodes, guide)
}

impl Stages {
    /// The site ready to render, if nothing but broken links stops it; else every
    /// error. With broken links, the errors of rendering it into nothing are added.
    pub(crate) fn finish(self) -> Result<LoadedSite, BuildErrors> {
        match self.into_loaded() {
            Ok((loaded, errors)) if errors.is_empty() => Ok(loaded),
            Ok((loaded, errors)) => Err(BuildErrors(sorted(render_errors(&loaded, errors)))),
            Err(stages) => Err(BuildErrors(sorted(stages.errors))),
        }
    }

    /// The site to render with the errors that do not stop rendering (its warnings are
    /// in it), or the stages as they are when it cannot be rendered.
    pub(crate) fn into_loaded(mut self) -> Result<(LoadedSite, Vec<Diagnostic>), Box<Stages>> {
        // Broken links render as their text, so the site can still be rendered to find the
        // template errors and broken paths too: all of them in one run.
        let renders_anyway = self
            .errors
            .iter()
            .all(|e| !e.is_error() || e.kind.is_broken_link());
        let templates = match self.templates.take() {
            Some(templates) if renders_anyway => templates,
            templates => {
                self.templates = templates;
                return Err(Box::new(self));
            }
        };
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            self.errors.into_iter().partition(Diagnostic::is_error);
        let mut loaded = LoadedSite {
            warnings: sorted(warnings),
            root: self.root,
            config: self.config,
            site: self.site.into(),
            graph: self.graph.into(),
            template_queries: Default::default(),
            taxonomies: self.taxonomies,
            templates,
            shortcodes: self.shortcodes.unwrap_or_default(),
            assets: self.assets,
            attachments: self.attachments,
            static_files: self.static_files,
            static_names: self.static_names,
            guide: self.guide,
            stages: self.clock.laps,
            parses_to_keep: self.parses_to_keep,
        };
        loaded.share_with_templates();
        Ok((loaded, errors))
    }
}

/// `errors`, the warnings of `loaded`, and what rendering it into nothing finds.
pub(crate) fn render_errors(loaded: &LoadedSite, mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.extend(loaded.warnings.iter().cloned());
    match render_into(loaded, &NullSink) {
        Ok(rendered) => errors.extend(rendered.warnings),
        Err(more) => errors.extend(more.0),
    }
    errors
}
