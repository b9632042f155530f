//! Partial rebuilds: one page re-read and re-resolved alone, and the planned outputs
//! whose recorded reads a change touched rendered with the summaries kept from the last build.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::live::Built;
use crate::build::{self, BuildOptions, LoadedSite};
use crate::error::Diagnostic;
use crate::links;
use crate::markdown::ParsedBody;
use crate::model::{self, Meta, Page, PageId, Role, Site};
use crate::output::MemorySink;
use crate::render::reads::Read;
use crate::render::summaries::{self, PageSummary};
use crate::render::{self, PageValues, RenderInput, RenderPlan, Urls, bodies};
use crate::source::{self, SourceFile};

/// Files rendered by a rebuild (all or some) and files it found gone.
#[derive(Default)]
pub(super) struct Rendered {
    pub(super) files: HashMap<String, Vec<u8>>,
    pub(super) removed: Vec<String>,
}

pub(super) type Outcome = Result<Rendered, Vec<Diagnostic>>;

/// Reads page `id` again. When its place in the site (path, sections, order, taxonomies,
/// links) is as before, takes the new page and returns what changed, to re-render the
/// outputs that read it; otherwise `None`, and the caller rebuilds everything (which
/// replaces `built`).
pub(super) fn reread_page(
    options: &BuildOptions,
    built: &mut Built,
    id: PageId,
) -> Option<HashSet<Read>> {
    let loaded = &mut built.loaded;
    let old = loaded.site.page(id);
    // Its untranslated copies (`untranslated: notice`) show its text too: a full
    // rebuild makes them again.
    let site = &loaded.site;
    if site.versions(id).iter().any(|v| site.page(*v).untranslated) {
        return None;
    }
    let source = source_again(options, &loaded.site, old)?;
    let (Some(mut new), errors) = model::page_load::load(
        &loaded.config,
        crate::shortcodes::SiteShortcodes {
            known: Some(&loaded.shortcodes),
            pages: None,
        },
        None,
        source,
    ) else {
        return None;
    };
    // Git knows the file as it was at the last commit: the same time as before.
    new.committed = old.committed;
    if !errors.is_empty() || !same_place(options, old, &new) {
        return None;
    }
    let changed = changes(id, old, &new);
    // A new title or field can move the page in its section's list or on the timeline.
    let moves = old.meta.title != new.meta.title || old.fields != new.fields;
    let before = moves.then(|| standing(&loaded.site, id));
    let old = std::mem::replace(&mut loaded.pages_mut().0.pages[id.0], new);
    let resolution = links::resolve_one(
        &loaded.config,
        &loaded.site,
        &loaded.attachments,
        (&loaded.graph, id),
    );
    let old_edges = loaded.graph.edges.iter().filter(|e| e.from == id);
    let same_edges = resolution.errors.is_empty() && old_edges.eq(resolution.edges.iter());
    let same_standing = before.is_none_or(|b| b == standing(&loaded.site, id));
    if !same_edges || !same_standing {
        loaded.pages_mut().0.pages[id.0] = old;
        loaded.share_with_templates();
        return None;
    }
    loaded.pages_mut().1.body_targets[id.0] = resolution.body_targets;
    loaded.share_with_templates();
    Some(changed)
}

/// The source of page `old` of `site` read again, unless a full rebuild must read it:
/// it includes another page, or another includes it.
fn source_again(options: &BuildOptions, site: &model::Site, old: &Page) -> Option<SourceFile> {
    let file = options.root.join(old.file.as_ref()?);
    let rel = file
        .strip_prefix(options.root.join(source::CONTENT_DIR))
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    // Includes are put in place from every page's text, which a full rebuild reads;
    // so is an edit to a page that others include.
    let included = |rel: &str| {
        site.pages
            .iter()
            .any(|p| p.body.included.iter().any(|i| i == rel))
    };
    if !old.body.included.is_empty() || included(&rel) {
        return None;
    }
    let text = source::decode(&file, std::fs::read(&file).ok()?).ok()?;
    Some(SourceFile {
        // An index.md read as its folder's section stays one (sections rebuild in full).
        section_index: old.role == Role::Section,
        rel,
        file: old.file.clone()?,
        text,
    })
}

/// Whether page `new`, read again without errors, stands where `old` did: the same
/// kind, path, listing keys and link targets, no include, and still published.
fn same_place(options: &BuildOptions, old: &Page, new: &Page) -> bool {
    let includes = new
        .body
        .calls
        .iter()
        .any(|c| c.name == crate::shortcodes::INCLUDE);
    !includes
        && same_structure(&old.meta, &new.meta)
        && new.kind == old.kind
        && new.path == old.path
        && new.role == Role::Page
        && (options.drafts || !new.meta.draft)
        && same_link_targets(&old.body, &new.body)
}

/// Whether two versions of a page's common front matter put it in the same place:
/// they differ at most in what is shown of the page, not where or how it is listed.
fn same_structure(old: &Meta, new: &Meta) -> bool {
    let shown_only = Meta {
        title: old.title.clone(),
        summary: old.summary.clone(),
        description: old.description.clone(),
        extra: old.extra.clone(),
        ..new.clone()
    };
    shown_only == *old
}

/// Whether the headings, anchors, local links and embeds of two versions of a body are
/// the same: others may link to them, and paths are checked against the whole plan.
fn same_link_targets(old: &ParsedBody, new: &ParsedBody) -> bool {
    let same_headings = new.headings.len() == old.headings.len()
        && new
            .headings
            .iter()
            .zip(&old.headings)
            .all(|(a, b)| a.id == b.id);
    let same_targets = new.anchors == old.anchors
        && new
            .local
            .iter()
            .map(|l| &l.dest)
            .eq(old.local.iter().map(|l| &l.dest));
    // Which embeds lie in which section decides what embeds of sections show, and so
    // which embeds form cycles.
    same_headings && same_targets && sections_of_embeds(new) == sections_of_embeds(old)
}

/// What an edit of page `id` from `old` to `new` changed, as outputs read it: its text
/// always; its facts (title, description) and the fields that differ, which queries
/// of its kind read.
fn changes(id: PageId, old: &Page, new: &Page) -> HashSet<Read> {
    let mut changed = HashSet::from([Read::Text(id)]);
    let kind = new.kind.as_deref().unwrap_or_default();
    let field = |name: &str| Read::field(kind, name);
    if old.meta.title != new.meta.title {
        changed.extend([Read::Facts(id), field("title")]);
    }
    if old.meta.description() != new.meta.description() {
        changed.extend([Read::Facts(id), field("description")]);
    }
    let names = old.fields.keys().chain(new.fields.keys());
    for name in names.filter(|n| old.fields.get(*n) != new.fields.get(*n)) {
        changed.insert(field(name));
    }
    // A new date (`date:` or the first date field, which stands for it) is not among
    // these: it moves the page, which `same_structure` sends to a full rebuild.
    changed
}

/// Where page `id` stands among others, sorted afresh: its section's list, and the
/// timeline (with each page's days).
type Standing = (
    Vec<PageId>,
    Vec<(PageId, jiff::civil::Date, Option<jiff::civil::Date>)>,
    Vec<PageId>,
);

fn standing(site: &Site, id: PageId) -> Standing {
    let section = site.section_of(site.page(id));
    let mut listed = section
        .and_then(|s| site.section_pages.get(&s))
        .cloned()
        .unwrap_or_default();
    if let Some(section) = section {
        model::sections::sort_section(
            &site.pages,
            site.page(section).meta.seldom().sort_by,
            &mut listed,
        );
    }
    // The page stands only among the pages of its language.
    let lang = site.page(id).lang.as_deref();
    let dated = render::timeline::dated_pages(site, lang)
        .into_iter()
        .map(|d| (d.page, d.start, d.end))
        .collect();
    (
        listed,
        dated,
        render::timeline::newest(site, lang, render::timeline::RECENT),
    )
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
    let targets = bodies::LinkTargets::new(
        (input.site, &input.config.language),
        input.graph,
        &urls,
        input.call_templates(),
    );
    let values = PageValues::with_summaries(&input, targets, std::mem::take(summaries));
    let result = f(loaded, plan, &input, &values);
    *summaries = values.summaries;
    result
}

/// The planned outputs that read something among `changed`, in plan order: the short
/// forms that read a change are made again first, and those that differ are a change too.
pub(super) fn outputs_reading(built: &mut Built, changed: HashSet<Read>) -> Vec<usize> {
    let Built {
        loaded,
        summaries,
        reads,
        ..
    } = built;
    let mut changed = reads.considered(changed);
    let urls = Urls::new(&loaded.config.base_url);
    let input = loaded.render_input(&urls);
    let targets = bodies::LinkTargets::new(
        (input.site, &input.config.language),
        input.graph,
        &urls,
        input.call_templates(),
    );
    let remade: Vec<(usize, PageSummary)> = summaries
        .par_iter()
        .enumerate()
        .filter(|(_, s)| s.reads.touches(&changed))
        .map(|(i, _)| {
            (
                i,
                summaries::summary(input.config, input.site, &targets, PageId(i), None),
            )
        })
        .collect();
    for (i, summary) in remade {
        if summary.value != summaries[i].value {
            changed.insert(Read::Summary(PageId(i)));
        }
        summaries[i] = summary;
    }
    let changed = reads.considered(changed);
    reads.affected(&changed).into_iter().collect()
}

/// Renders the planned outputs numbered `outputs` with the kept summaries, and records
/// what each read.
pub(super) fn render_some(built: &mut Built, outputs: &[usize]) -> Outcome {
    let sink = MemorySink::default();
    let mut report = with_kept_values(built, |_, plan, input, values| {
        let planned = outputs.par_iter().map(|&i| (i, &plan.outputs[i]));
        render::render_outputs(input, values, planned, &sink)
    });
    let errors = std::mem::take(&mut report.errors);
    built.reads.update(report);
    if errors.is_empty() {
        Ok(Rendered {
            files: sink.into_files(),
            removed: Vec::new(),
        })
    } else {
        Err(build::sorted(errors))
    }
}
