//! The cheap ways of a rebuild: changed pages read again, changed templates loaded
//! again, static files copied again, each re-rendering only what read the change; a
//! change they cannot take falls back to a full rebuild.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use super::super::partial::{Outcome, Rendered, reread_page};
use super::super::recorded;
use super::super::touched::{Touched, classify};
use super::{LiveSite, OpenFirst, Strategy, merge};
use crate::assets;
use crate::build;
use crate::error::Diagnostic;
use crate::model::PageId;
use crate::output::MemorySink;
use crate::render::Templates;
use crate::render::reads::Read;

impl LiveSite {
    /// Tries the cheap ways; `None` when only a full rebuild is right.
    pub(super) fn partial(
        &mut self,
        changed: &[PathBuf],
        open: &mut OpenFirst<'_>,
        started: Instant,
    ) -> Option<((Outcome, usize), Strategy)> {
        if self.stale || self.built.is_none() {
            return None;
        }
        let root = self.options.root.clone();
        let mut pages = Vec::new();
        let mut templates = Vec::new();
        let mut statics = Vec::new();
        for path in changed {
            match classify(self.built.as_ref()?, &root, path)? {
                Touched::Page(p) => pages.push(p),
                Touched::Template => templates.push(path.clone()),
                Touched::Static => statics.push(path.clone()),
                Touched::Nothing => {}
            }
        }
        let mut outcome = Ok(Rendered::default());
        let mut rendered = 0;
        let mut strategy = Strategy::Nothing;
        let mut reads = HashSet::new();
        if !pages.is_empty() {
            reads.extend(self.pages_changed(&pages)?);
            strategy = Strategy::Page;
            self.data_pending = true;
        }
        if !templates.is_empty() {
            match self.templates_changed(&templates)? {
                Ok(changed) => reads.extend(changed),
                Err(errors) => outcome = Err(errors),
            }
            strategy = Strategy::Templates;
        }
        if !reads.is_empty() && outcome.is_ok() {
            let (pages, count) = self.render_reading(reads, open, strategy, started)?;
            outcome = merge(outcome, pages);
            rendered += count;
        }
        if !statics.is_empty() {
            outcome = merge(outcome, self.statics_changed()?);
            if strategy == Strategy::Nothing {
                strategy = Strategy::Static;
            }
        }
        Some(((outcome, rendered), strategy))
    }

    /// Re-reads changed pages; when each keeps its place in the site and its links go
    /// to the same pages, re-renders the outputs that read what changed.
    fn pages_changed(&mut self, ids: &[PageId]) -> Option<HashSet<Read>> {
        let built = self.built.as_mut()?;
        let mut changed = HashSet::new();
        for &id in ids {
            changed.extend(reread_page(&self.options, built, id)?);
        }
        Some(changed)
    }

    /// The reads a template change touched, or the errors of the new templates.
    fn templates_changed(
        &mut self,
        files: &[PathBuf],
    ) -> Option<Result<HashSet<Read>, Vec<Diagnostic>>> {
        let built = self.built.as_mut()?;
        let root = &self.options.root;
        let templates = match Templates::load(root, &built.loaded.config) {
            Ok(t) => t,
            Err(errors) => return Some(Err(build::sorted(errors))),
        };
        let (plan, errors) = built.loaded.plan(&templates);
        // Warnings (broken links made warnings) do not stop the preview.
        if errors.iter().any(Diagnostic::is_error) {
            return Some(Err(build::sorted(errors)));
        }
        // A template added or removed can change which template a page uses.
        if plan.outputs != built.plan.outputs {
            return None;
        }
        let named = |t: &Templates| -> Vec<String> {
            t.sources
                .iter()
                .filter(|(_, (file, _))| files.contains(&root.join(file)))
                .map(|(name, _)| name.clone())
                .collect()
        };
        let mut changed: HashSet<String> = named(&templates).into_iter().collect();
        changed.extend(named(&built.loaded.templates));
        // Shortcodes are declared by their templates and calls are checked against the
        // declarations when pages are read: a change to one reads the pages again.
        let (shortcodes, errors) =
            crate::shortcodes::Shortcodes::from_templates(&templates.sources);
        if !errors.is_empty() || shortcodes != built.loaded.shortcodes {
            return None;
        }
        let affected = recorded::templates_using(&templates, &changed);
        built.loaded.templates = templates;
        built.loaded.share_with_templates();
        Some(Ok(affected.into_iter().map(Read::template).collect()))
    }

    /// Copies every static file again; the comparison finds what changed.
    fn statics_changed(&mut self) -> Option<Outcome> {
        let built = self.built.as_mut()?;
        let loaded = &built.loaded;
        let (mut copies, errors) =
            assets::static_files(&self.options.root, &loaded.config, &loaded.assets);
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        let names = match assets::name_static_files(&mut copies, self.options.fingerprint) {
            Ok(names) => names,
            Err(errors) => return Some(Err(errors)),
        };
        let paths: HashSet<String> = copies.iter().map(|(rel, _)| rel.clone()).collect();
        if names != loaded.static_names || paths != built.static_paths {
            // A file added or removed: templates may name it, or it may replace a
            // generated one (a site's own robots.txt).
            return None;
        }
        let sink = MemorySink::default();
        let errors = build::copy_files(&copies, &sink);
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        Some(Ok(Rendered {
            files: sink.into_files(),
            removed: Vec::new(),
        }))
    }
}
