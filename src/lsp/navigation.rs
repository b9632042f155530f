//! Going from a name to what it names and back: definition, references, and the
//! headings and pages as symbols.

use std::path::{Path, PathBuf};

use lsp_types::{DocumentSymbol, Location, OneOf, Position, Range, SymbolKind, WorkspaceSymbol};

use super::analysis::Analysis;
use super::spot::{Spot, spot_at};
use super::text::{position_at, range_of, uri_of};
use crate::links::{BodyTarget, Relation};
use crate::model::{FieldValue, Page, PageId};
use crate::source::MatterFormat;

/// The text of a site file (relative to the root): the editor's buffer if open, else
/// the file on disk.
pub(super) type Sources<'a> = &'a dyn Fn(&Path) -> Option<String>;

/// A page, or one heading of it (by id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    /// The page.
    pub page: PageId,
    /// The heading's id, if one is named.
    pub heading: Option<String>,
}

/// What the name at byte `offset` of `text` (the source of `file`) names; on nothing
/// in particular, the page itself.
pub(super) fn target_at(
    analysis: &Analysis,
    file: &Path,
    text: &str,
    offset: usize,
) -> Option<Target> {
    let this = analysis.page_of_file(file).map(|(id, _)| id);
    let page_of = |written: &str| match written.is_empty() {
        true => this,
        false => analysis.find_page(written),
    };
    let heading_id = |page: PageId, written: &str| {
        let page = analysis.site.page(page);
        let found = page
            .body
            .headings
            .iter()
            .find(|h| *h.id == *written || h.title.eq_ignore_ascii_case(written.trim()));
        found.map(|h| h.id.to_string())
    };
    match spot_at(text, offset) {
        Spot::Value { value, .. } => Some(Target {
            page: analysis.find_page(&value.text)?,
            heading: None,
        }),
        Spot::LinkPage(_, token) => Some(Target {
            page: page_of(&token.text)?,
            heading: None,
        }),
        Spot::LinkHeading { page, heading, .. } => {
            let page = page_of(&page)?;
            Some(Target {
                page,
                heading: heading_id(page, &heading.text),
            })
        }
        Spot::Heading(title) => {
            let page = this?;
            Some(Target {
                page,
                heading: heading_id(page, &title.text),
            })
        }
        _ => Some(Target {
            page: this?,
            heading: None,
        }),
    }
}

/// Where the name at `offset` is defined: the page's file, at the heading if one is named.
pub(super) fn definition(
    analysis: &Analysis,
    (root, file): (&Path, &Path),
    text: &str,
    offset: usize,
    sources: Sources<'_>,
) -> Option<Location> {
    let spot = spot_at(text, offset);
    if let Some(template) = super::calls::definition(analysis, root, &spot) {
        return Some(template);
    }
    if !matches!(
        spot,
        Spot::Value { .. } | Spot::LinkPage(..) | Spot::LinkHeading { .. }
    ) {
        return None;
    }
    let target = target_at(analysis, file, text, offset)?;
    let page = analysis.site.page(target.page);
    let target_file = page.file.as_ref()?;
    let heading = target
        .heading
        .and_then(|id| page.body.headings.iter().find(|h| *h.id == *id));
    let range = match (heading, sources(target_file)) {
        (Some(h), Some(target_text)) => {
            let at = page.body_offset + h.offset;
            range_of(&target_text, at, line_end(&target_text, at))
        }
        _ => Range::default(),
    };
    Some(Location::new(uri_of(&root.join(target_file)), range))
}

fn line_end(text: &str, from: usize) -> usize {
    let from = from.min(text.len());
    text[from..].find('\n').map_or(text.len(), |i| from + i)
}

/// Every place that links or refers to `target`, in page order; with `declaration`,
/// the target page's own file first.
pub(super) fn references(
    analysis: &Analysis,
    root: &Path,
    target: &Target,
    declaration: bool,
    sources: Sources<'_>,
) -> Vec<Location> {
    let mut found = Vec::new();
    let page = analysis.site.page(target.page);
    if let (true, Some(file)) = (declaration, &page.file) {
        found.push(Location::new(uri_of(&root.join(file)), Range::default()));
    }
    for (file, text, mentions) in mentions(analysis, target, sources) {
        let uri = uri_of(&root.join(file));
        for m in mentions {
            let range = range_of(&text, m.offset, link_end(&text, m.offset));
            found.push(Location::new(uri.clone(), range));
        }
    }
    found
}

/// One place that names a target: where a body link starts, or a ref's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Mention {
    /// Byte offset in the file.
    pub offset: usize,
    /// A ref's value in front matter, not a link.
    pub is_ref: bool,
}

/// The pages that name `target`, in page order: each one's file (relative to the site
/// root), its text, and where in it.
pub(super) fn mentions(
    analysis: &Analysis,
    target: &Target,
    sources: Sources<'_>,
) -> Vec<(PathBuf, String, Vec<Mention>)> {
    let graph = &analysis.graph;
    let mut from: Vec<PageId> = graph.incoming[target.page.0]
        .iter()
        .map(|&e| graph.edges[e].from)
        .collect();
    // Links to a heading of the same page (`[[#History]]`) make no edge.
    if target.heading.is_some() {
        from.push(target.page);
    }
    from.sort_unstable();
    from.dedup();
    let mut found = Vec::new();
    for id in from {
        let source = analysis.site.page(id);
        let Some(file) = &source.file else { continue };
        let Some(text) = sources(file) else { continue };
        let links = link_offsets(analysis, id, target).into_iter();
        let mut mentions: Vec<Mention> = links
            .map(|offset| Mention {
                offset,
                is_ref: false,
            })
            .collect();
        if target.heading.is_none() {
            let refs = ref_offsets(analysis, id, source, target.page, &text);
            mentions.extend(refs.into_iter().map(|offset| Mention {
                offset,
                is_ref: true,
            }));
        }
        mentions.sort_unstable();
        mentions.dedup();
        if !mentions.is_empty() {
            found.push((file.clone(), text, mentions));
        }
    }
    found
}

/// Offsets in page `id`'s source of its body links to `target`.
fn link_offsets(analysis: &Analysis, id: PageId, target: &Target) -> Vec<usize> {
    let page = analysis.site.page(id);
    let targets = &analysis.graph.body_targets[id.0];
    page.body
        .internal_links
        .iter()
        .zip(targets)
        .filter_map(|(link, to)| match to {
            Some(BodyTarget::Page {
                page: to,
                anchor_id,
            }) if *to == target.page => {
                let anchor = anchor_id.as_deref().or(link.anchor.as_deref());
                match &target.heading {
                    Some(id) if anchor != Some(id.as_str()) => None,
                    _ => Some(page.body_offset + link.offset),
                }
            }
            _ => None,
        })
        .collect()
}

/// Offsets in `page`'s front matter (of `text`) of the values of its ref fields that
/// name `target`.
fn ref_offsets(
    analysis: &Analysis,
    id: PageId,
    page: &Page,
    target: PageId,
    text: &str,
) -> Vec<usize> {
    let graph = &analysis.graph;
    let fields = graph.edges[graph.outgoing[id.0].clone()]
        .iter()
        .filter(|e| e.to == target)
        .filter_map(|e| match &e.relation {
            Relation::Ref { field } => Some(&**field),
            _ => None,
        });
    let start = page.matter_offset;
    let Some(matter) = text.get(start..start + page.matter_len) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for field in fields {
        let written: Vec<&str> = match page.fields.get(field) {
            Some(FieldValue::Ref(one)) => vec![one.as_str()],
            Some(FieldValue::Refs(many)) => many.iter().map(String::as_str).collect(),
            _ => continue,
        };
        for value in written {
            if analysis.find_page(value) != Some(target) {
                continue;
            }
            // Where errors about the value point: the same lookup.
            let at = match page.matter_format {
                MatterFormat::Yaml => crate::yaml_pos::locate_value(matter, field, value),
                MatterFormat::Toml => crate::toml_pos::locate_value(matter, field, Some(value)),
                MatterFormat::None => None,
            };
            found.extend(at.map(|at| start + at));
        }
    }
    found
}

/// Where the link starting at `at` ends: after its `]]` or `)`, on its line.
fn link_end(text: &str, at: usize) -> usize {
    let end = line_end(text, at);
    let line = &text[at.min(end)..end];
    let close = match line.starts_with("[[") || line.starts_with("![[") {
        true => line.find("]]").map(|i| i + 2),
        false => line.find(')').map(|i| i + 1),
    };
    at + close.unwrap_or(line.len())
}

/// The headings of the page in `file` as nested symbols.
pub(super) fn document_symbols(
    analysis: &Analysis,
    file: &Path,
    text: &str,
) -> Vec<DocumentSymbol> {
    let Some((_, page)) = analysis.page_of_file(file) else {
        return Vec::new();
    };
    // Each open heading with its level, innermost last.
    let mut open: Vec<(u8, DocumentSymbol)> = Vec::new();
    let mut top = Vec::new();
    let close =
        |open: &mut Vec<(u8, DocumentSymbol)>, top: &mut Vec<DocumentSymbol>, end: Position| {
            let (_, mut done) = open.pop().expect("an open heading");
            done.range.end = end;
            match open.last_mut() {
                Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
                None => top.push(done),
            }
        };
    for h in &page.body.headings {
        let at = page.body_offset + h.offset;
        let start = position_at(text, at);
        while open.last().is_some_and(|(level, _)| *level >= h.level) {
            close(&mut open, &mut top, start);
        }
        let line = range_of(text, at, line_end(text, at));
        #[allow(deprecated)] // `deprecated` is a field every client still reads.
        let symbol = DocumentSymbol {
            name: h.title.to_string(),
            detail: Some(format!("#{}", h.id)),
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range: line,
            selection_range: line,
            children: None,
        };
        open.push((h.level, symbol));
    }
    let end = position_at(text, text.len());
    while !open.is_empty() {
        close(&mut open, &mut top, end);
    }
    top
}

/// Pages whose title or slug holds `query` (any case), by title.
pub(super) fn workspace_symbols(
    analysis: &Analysis,
    root: &Path,
    query: &str,
) -> Vec<WorkspaceSymbol> {
    let query = query.to_lowercase();
    let mut found: Vec<WorkspaceSymbol> = analysis
        .site
        .pages
        .iter()
        .filter(|p| {
            p.meta.title.to_lowercase().contains(&query) || p.slug.to_lowercase().contains(&query)
        })
        .filter_map(|p| {
            let file: &PathBuf = p.file.as_ref()?;
            Some(WorkspaceSymbol {
                name: p.meta.title.clone(),
                kind: SymbolKind::FILE,
                tags: None,
                container_name: p.kind.clone(),
                location: OneOf::Left(Location::new(uri_of(&root.join(file)), Range::default())),
                data: None,
            })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}
