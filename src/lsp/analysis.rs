//! The site as the build sees it, with the editor's unsaved buffers in place of the files
//! on disk: the same stages and diagnostics as `muster check`, and the model they made
//! for completion, hover and navigation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
        let stages = match run_stages(options, None, overlay) {
            Ok(stages) => stages,
            Err(errors) => {
                let mut analysis = Analysis::new(None, Default::default(), Default::default());
                analysis.diagnostics = errors.0;
                return analysis;
            }
        };
        match stages.into_loaded() {
            Ok((loaded, errors)) => {
                let mut diagnostics = errors;
                diagnostics.extend(loaded.warnings.iter().cloned());
                diagnostics.extend(crate::build::check_pages(&loaded));
                let LoadedSite {
                    config,
                    site,
                    graph,
                    attachments,
                    taxonomies,
                    shortcodes,
                    templates,
                    ..
                } = loaded;
                let mut analysis = Analysis::new(
                    Some(config),
                    (site, graph),
                    (Some(shortcodes), Some(templates)),
                );
                analysis.attachments = attachments;
                analysis.taxonomies = taxonomies;
                analysis.diagnostics = crate::build::sorted(diagnostics);
                analysis
            }
            Err(stages) => {
                let stages = *stages;
                let shortcodes = stages.shortcodes;
                let model = (Arc::new(stages.site), Arc::new(stages.graph));
                let mut analysis =
                    Analysis::new(Some(stages.config), model, (shortcodes, stages.templates));
                analysis.attachments = stages.attachments;
                analysis.taxonomies = stages.taxonomies;
                analysis.diagnostics = crate::build::sorted(stages.errors);
                analysis
            }
        }
    }

    fn new(
        config: Option<SiteConfig>,
        (mut site, graph): (Arc<Site>, Arc<LinkGraph>),
        (shortcodes, templates): (Option<Shortcodes>, Option<Templates>),
    ) -> Analysis {
        // The templates (their `query()` function holds the pages) go first.
        let template_files = templates
            .map(|t| {
                t.sources
                    .into_iter()
                    .map(|(name, (file, _))| (name, file))
                    .collect()
            })
            .unwrap_or_default();
        // The pages' HTML is rendered and checked; the editor needs none of it.
        if let Some(site) = Arc::get_mut(&mut site) {
            for page in &mut site.pages {
                page.body.drop_rendering();
            }
            // Nothing is read back from it now: its file and its write buffer can go.
            site.html_spill = None;
        }
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
            shortcodes,
            template_files,
            diagnostics: Vec::new(),
            by_file,
        }
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

    /// The analysis finds what `muster check` finds: errors of every stage, rendering
    /// included (broken links do not stop it), and the warnings.
    #[test]
    fn the_diagnostics_are_checks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
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
        let options = BuildOptions::new(root);
        let rendered = |found: &[Diagnostic]| {
            let mut all: Vec<String> = found.iter().map(|d| d.render(false)).collect();
            all.sort();
            all
        };
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
}
