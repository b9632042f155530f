//! The site as the build sees it, with the editor's unsaved buffers in place of the files
//! on disk: the same stages and diagnostics as `muster check`, and the model they made
//! for completion, hover and navigation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::build::{BuildOptions, LoadedSite, run_stages};
use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::links::{Attachments, LinkGraph};
use crate::model::{Page, PageId, Site};
use crate::render::Templates;
use crate::shortcodes::Shortcodes;
use crate::source::Overlay;
use crate::taxonomy::Taxonomy;

/// One analysis of the whole site.
pub(super) struct Analysis {
    /// The settings, unless site.yaml could not be read.
    pub config: Option<SiteConfig>,
    /// Every page of the site.
    pub site: Arc<Site>,
    /// Their relations.
    pub graph: Arc<LinkGraph>,
    /// Files under `content/` that links may name.
    pub attachments: Attachments,
    /// Taxonomies and their terms in use.
    pub taxonomies: Vec<Taxonomy>,
    /// The shortcodes pages may call; `None` when the templates did not load (calls are
    /// then not checked).
    pub shortcodes: Option<Shortcodes>,
    /// Each template's file (relative to the site root), by template name.
    pub template_files: HashMap<String, PathBuf>,
    /// Everything `muster check` reports, warnings included.
    pub diagnostics: Vec<Diagnostic>,
    /// Each page's source file (relative to the site root).
    by_file: HashMap<PathBuf, PageId>,
}

impl Analysis {
    /// Runs the build's stages on the site at `options.root`, with `overlay` for the
    /// files open in the editor, and renders it into nothing as `check` does.
    pub(super) fn run(options: &BuildOptions, overlay: &Overlay) -> Analysis {
        let mut model = None;
        let diagnostics = Analysis::run_in_two(options, overlay, &AtomicBool::new(false), |m| {
            model = Some(m);
        });
        let mut analysis = model.unwrap_or_else(|| Analysis::new(None, Default::default(), None));
        analysis.complete(diagnostics);
        analysis
    }

    /// [`Analysis::run`] in two steps: the model (without diagnostics) goes to `loaded` as
    /// soon as the stages made it, shared with the check of its render that follows, so that
    /// the session can let go of its previous model before the render's memory is taken;
    /// then every diagnostic is returned, once nothing holds the model any more. A check
    /// stopped by `cancelled` returns only part of its diagnostics.
    pub(super) fn run_in_two(
        options: &BuildOptions,
        overlay: &Overlay,
        cancelled: &AtomicBool,
        loaded: impl FnOnce(Analysis),
    ) -> Vec<Diagnostic> {
        let stages = match run_stages(options, None, overlay) {
            Ok(stages) => stages,
            Err(errors) => {
                loaded(Analysis::new(None, Default::default(), None));
                return errors.0;
            }
        };
        match stages.into_loaded() {
            Ok((mut site, errors)) => {
                let mut diagnostics = errors;
                diagnostics.extend(site.warnings.iter().cloned());
                loaded(Analysis::of_loaded(&mut site));
                diagnostics.extend(crate::build::check_pages(&site, cancelled));
                // The templates' `query()` holds the pages too: all of it goes before the
                // diagnostics say that the model is the session's alone.
                drop(site);
                crate::build::sorted(diagnostics)
            }
            Err(stages) => {
                let stages = *stages;
                let model = (Arc::new(stages.site), Arc::new(stages.graph));
                let files = stages.templates.as_ref().map(template_files);
                let mut analysis = Analysis::new(Some(stages.config), model, files);
                analysis.shortcodes = stages.shortcodes;
                analysis.attachments = stages.attachments;
                analysis.taxonomies = stages.taxonomies;
                loaded(analysis);
                crate::build::sorted(stages.errors)
            }
        }
    }

    /// The model of `site`, sharing its pages and relations with it.
    fn of_loaded(site: &mut LoadedSite) -> Analysis {
        let model = (Arc::clone(&site.site), Arc::clone(&site.graph));
        let files = Some(template_files(&site.templates));
        let mut analysis = Analysis::new(Some(site.config.clone()), model, files);
        analysis.shortcodes = Some(site.shortcodes.clone());
        // Rendering reads no attachments; the taxonomies it lists.
        analysis.attachments = std::mem::take(&mut site.attachments);
        analysis.taxonomies = site.taxonomies.clone();
        analysis
    }

    fn new(
        config: Option<SiteConfig>,
        (site, graph): (Arc<Site>, Arc<LinkGraph>),
        template_files: Option<HashMap<String, PathBuf>>,
    ) -> Analysis {
        let by_file = site
            .iter()
            .filter_map(|(id, p)| Some((p.file.clone()?, id)))
            .collect();
        Analysis {
            config,
            site,
            graph,
            attachments: Attachments::default(),
            taxonomies: Vec::new(),
            shortcodes: None,
            template_files: template_files.unwrap_or_default(),
            diagnostics: Vec::new(),
            by_file,
        }
    }

    /// Takes `diagnostics` as the model's, once its check is over, and lets go of what
    /// only rendering read: the editor needs none of the pages' HTML.
    pub(super) fn complete(&mut self, diagnostics: Vec<Diagnostic>) {
        self.diagnostics = diagnostics;
        self.let_go_of_rendering();
    }

    /// Drops the pages' HTML and link sentences, and the HTML spill file, if no check
    /// still holds the pages.
    pub(super) fn let_go_of_rendering(&mut self) {
        if let Some(site) = Arc::get_mut(&mut self.site) {
            for page in &mut site.pages {
                page.body.drop_rendering();
            }
            site.html_spill = None;
        }
    }

    /// Whether a check still reads the pages or relations: they cannot change until it
    /// ends.
    pub(super) fn is_shared(&self) -> bool {
        let count = |n: usize, weak: usize| n > 1 || weak > 0;
        count(Arc::strong_count(&self.site), Arc::weak_count(&self.site))
            || count(Arc::strong_count(&self.graph), Arc::weak_count(&self.graph))
    }

    /// The page read from `file` (relative to the site root), if it is in the site.
    pub(super) fn page_of_file(&self, file: &Path) -> Option<(PageId, &Page)> {
        let id = *self.by_file.get(file)?;
        Some((id, self.site.page(id)))
    }

    /// The page a link or ref written as `written` names (a slug, a path below
    /// `content/`, or an `@/` path).
    pub(super) fn find_page(&self, written: &str) -> Option<PageId> {
        let written = written.strip_prefix("@/").unwrap_or(written);
        crate::links::find_page(&self.site, &self.graph, &self.attachments, written)
    }
}

/// Each template's file (relative to the site root), by template name.
fn template_files(templates: &Templates) -> HashMap<String, PathBuf> {
    let sources = templates.sources.iter();
    sources
        .map(|(name, (file, _))| (name.clone(), file.clone()))
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The repository's default theme, copied into the site at `root`.
    pub(in crate::lsp) fn copy_theme(root: &Path) {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for entry in walkdir::WalkDir::new(&theme) {
            let entry = entry.unwrap();
            let to = root
                .join("themes/default")
                .join(entry.path().strip_prefix(&theme).unwrap());
            match entry.file_type().is_dir() {
                true => std::fs::create_dir_all(to).unwrap(),
                false => drop(std::fs::copy(entry.path(), to).unwrap()),
            }
        }
    }

    /// A site with errors of every stage: a bad field value, broken links, a missing
    /// image and a template that fails when a page is rendered.
    fn site_with_errors(root: &Path) {
        copy_theme(root);
        let config = "title: T\nbase_url: https://example.org/\nkinds:\n  member:\n    section: members\n    fields:\n      status: { type: enum, values: [member, observer] }\n";
        std::fs::write(root.join("site.yaml"), config).unwrap();
        std::fs::create_dir_all(root.join("content/members")).unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("templates/broken.html"), "{{ nothing.here }}").unwrap();
        let pages = [
            ("a.md", "---\ntitle: A\n---\nSee [[b#none]] and [[c]].\n"),
            (
                "b.md",
                "---\ntitle: B\ntemplate: broken.html\n---\n## Past\n\n![](missing.png)\n",
            ),
            (
                "d.md",
                "---\ntitle: D\ndraft: true\nstatus: x\n---\nText.\n",
            ),
        ];
        for (name, text) in pages {
            std::fs::write(root.join("content/members").join(name), text).unwrap();
        }
    }

    fn rendered(found: &[Diagnostic]) -> Vec<String> {
        let mut all: Vec<String> = found.iter().map(|d| d.render(false)).collect();
        all.sort();
        all
    }

    /// The analysis finds what `muster check` finds: errors of every stage, rendering
    /// included (broken links do not stop it), and the warnings.
    #[test]
    fn the_diagnostics_are_checks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_errors(root);
        let options = BuildOptions::new(root);
        let analysed = rendered(&Analysis::run(&options, &Overlay::new()).diagnostics);
        let checked = match crate::build::check(&options) {
            Ok(stats) => rendered(&stats.warnings),
            Err(errors) => rendered(&errors.0),
        };
        assert_eq!(analysed, checked);
        let kinds = ["E004", "E006", "E007", "E010"];
        for code in kinds {
            assert!(
                analysed.iter().any(|d| d.contains(code)),
                "no {code} in {analysed:#?}"
            );
        }
    }

    /// The model goes to the session before its render is checked, shared with the check
    /// until the diagnostics come, and then the session's alone; a check cancelled finds
    /// what the stages found and nothing of the render.
    #[test]
    fn the_model_comes_first_and_a_cancelled_check_stops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_errors(root);
        let options = BuildOptions::new(root);
        let mut handed = None;
        let whole = Analysis::run_in_two(&options, &Overlay::new(), &AtomicBool::new(false), |m| {
            assert!(m.is_shared(), "the check reads the same pages");
            assert!(m.diagnostics.is_empty());
            handed = Some(m);
        });
        let mut model = handed.expect("the model is handed over");
        assert!(!model.is_shared());
        assert!(
            model
                .page_of_file(Path::new("content/members/a.md"))
                .is_some()
        );
        model.complete(whole.clone());
        assert!(model.site.html_spill.is_none(), "the HTML is let go of");
        let run = Analysis::run(&options, &Overlay::new());
        assert_eq!(rendered(&whole), rendered(&run.diagnostics));
        let cancelled =
            Analysis::run_in_two(&options, &Overlay::new(), &AtomicBool::new(true), drop);
        let (whole, cancelled) = (rendered(&whole), rendered(&cancelled));
        for code in ["E004", "E006"] {
            assert!(cancelled.iter().any(|d| d.contains(code)), "{cancelled:#?}");
        }
        assert!(whole.iter().any(|d| d.contains("E010")), "{whole:#?}");
        assert!(
            !cancelled.iter().any(|d| d.contains("E010")),
            "{cancelled:#?}"
        );
    }
}
