//! Partial rebuilds: one page re-read and re-resolved alone, and some planned
//! outputs rendered with the page summaries kept from the last build.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::live::Built;
use crate::build::{self, BuildOptions, LoadedSite};
use crate::error::Diagnostic;
use crate::links;
use crate::model::{self, PageId, Role};
use crate::output::MemorySink;
use crate::render::{self, PageValues, RenderInput, RenderPlan, Urls, bodies};
use crate::source::{self, SourceFile};

/// Files rendered by a rebuild (all or some) and files it found gone.
#[derive(Default)]
pub(super) struct Rendered {
    pub(super) files: HashMap<String, Vec<u8>>,
    pub(super) removed: Vec<String>,
}

pub(super) type Outcome = Result<Rendered, Vec<Diagnostic>>;

/// Reads page `id` again. When its front matter, headings and link targets are as
/// before, takes its new body and returns the outputs to re-render; otherwise `None`,
/// and the caller rebuilds everything (which replaces `built`).
pub(super) fn reread_page(
    options: &BuildOptions,
    built: &mut Built,
    id: PageId,
) -> Option<BTreeSet<usize>> {
    let loaded = &mut built.loaded;
    let old = loaded.site.page(id);
    let file = options.root.join(old.file.as_ref()?);
    let rel = file
        .strip_prefix(options.root.join(source::CONTENT_DIR))
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    // Includes are put in place from every page's text, which a full rebuild reads;
    // so is an edit to a page that others include.
    let included = |rel: &str| {
        loaded
            .site
            .pages
            .iter()
            .any(|p| p.body.included.iter().any(|i| i == rel))
    };
    if !old.body.included.is_empty() || included(&rel) {
        return None;
    }
    let text = source::decode(&file, std::fs::read(&file).ok()?).ok()?;
    let source = SourceFile {
        // An index.md read as its folder's section stays one (sections rebuild in full).
        section_index: old.role == Role::Section,
        rel,
        file: old.file.clone()?,
        text,
    };
    let (Some(new), errors) = model::page::load(
        &loaded.config,
        crate::shortcodes::SiteShortcodes {
            known: Some(&loaded.shortcodes),
            pages: None,
        },
        source,
    ) else {
        return None;
    };
    let includes = new
        .body
        .calls
        .iter()
        .any(|c| c.name == crate::shortcodes::INCLUDE);
    let same_place = !includes
        && new.matter() == old.matter()
        && new.path == old.path
        && new.role == Role::Page
        && errors.is_empty()
        && (options.drafts || !new.meta.draft);
    let same_headings = new.body.headings.len() == old.body.headings.len()
        && new
            .body
            .headings
            .iter()
            .zip(&old.body.headings)
            .all(|(a, b)| a.id == b.id);
    // Other anchors (raw HTML ids, footnotes, block ids) may be linked to, and paths
    // and files are checked against the whole plan: a change to either is a full rebuild.
    let same_targets = new.body.anchors == old.body.anchors
        && new
            .body
            .local
            .iter()
            .map(|l| &l.dest)
            .eq(old.body.local.iter().map(|l| &l.dest));
    // Which embeds lie in which section decides what embeds of sections show, and so
    // which embeds form cycles: a change is a full rebuild.
    let same_sections = sections_of_embeds(&new.body) == sections_of_embeds(&old.body);
    if !same_place || !same_headings || !same_targets || !same_sections {
        return None;
    }
    let page = &mut loaded.site.pages[id.0];
    let old_body = std::mem::replace(&mut page.body, new.body);
    let old_text = std::mem::replace(&mut page.front_matter_source, new.front_matter_source);
    let old_places = std::mem::replace(&mut page.link_places, new.link_places);
    let resolution = links::resolve_one(&loaded.config, &loaded.site, &loaded.attachments, id);
    let old_edges = loaded.graph.edges.iter().filter(|e| e.from == id);
    if !resolution.errors.is_empty() || !old_edges.eq(resolution.edges.iter()) {
        let page = &mut loaded.site.pages[id.0];
        page.body = old_body;
        page.front_matter_source = old_text;
        page.link_places = old_places;
        return None;
    }
    loaded.graph.body_targets[id.0] = resolution.body_targets;
    let urls = Urls::new(&loaded.config.base_url);
    let calls = render::calls::CallTemplates {
        config: &loaded.config,
        templates: &loaded.templates,
        shortcodes: &loaded.shortcodes,
    };
    let targets = bodies::LinkTargets::new(&loaded.site, &loaded.graph, &urls, Some(calls));
    let summary = render::values::summary(&loaded.config, &loaded.site, &targets, id);
    let mut outputs: BTreeSet<usize> = built.index.of_page[id.0].iter().copied().collect();
    outputs.extend(built.index.embedders_of(&loaded.graph, id));
    if summary != built.summaries[id.0] {
        // Every page lists the newest pages (`site.recent`): one of them changing is
        // a change to every page, which only a full rebuild does in one go.
        if render::timeline::newest(&loaded.site, render::timeline::RECENT).contains(&id) {
            return None;
        }
        built.summaries[id.0] = summary;
        outputs.extend(built.index.readers_of_summary(
            &loaded.site,
            &loaded.graph,
            &loaded.taxonomies,
            id,
        ));
    }
    Some(outputs)
}

/// For each embed of `body`, the number of headings before it.
fn sections_of_embeds(body: &crate::markdown::ParsedBody) -> Vec<usize> {
    body.internal_links
        .iter()
        .filter(|l| l.embed.is_some())
        .map(|l| body.headings.partition_point(|h| h.offset <= l.offset))
        .collect()
}

/// Runs `f` with page values around the summaries kept from the last build,
/// so that a partial rebuild does not make the short form of every page again.
pub(super) fn with_kept_values<T>(
    built: &mut Built,
    f: impl FnOnce(&LoadedSite, &RenderPlan, &RenderInput<'_>, &PageValues<'_>) -> T,
) -> T {
    let Built {
        loaded,
        plan,
        summaries,
        ..
    } = built;
    let urls = Urls::new(&loaded.config.base_url);
    let input = loaded.render_input(&urls);
    let targets = bodies::LinkTargets::new(input.site, input.graph, &urls, input.call_templates());
    let values = PageValues::with_summaries(&input, targets, std::mem::take(summaries));
    let result = f(loaded, plan, &input, &values);
    *summaries = values.summaries;
    result
}

/// Renders the planned outputs numbered `outputs` with the kept summaries.
pub(super) fn render_some(built: &mut Built, outputs: &BTreeSet<usize>) -> Outcome {
    let sink = MemorySink::default();
    let errors = with_kept_values(built, |_, plan, input, values| {
        let planned: Vec<&render::PlannedOutput> =
            outputs.iter().map(|&i| &plan.outputs[i]).collect();
        render::render_outputs(input, values, planned.into_par_iter(), &sink)
    });
    if errors.is_empty() {
        Ok(Rendered {
            files: sink.into_files(),
            removed: Vec::new(),
        })
    } else {
        Err(build::sorted(errors))
    }
}
