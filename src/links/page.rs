//! One page's references and links, resolved: each ref field's pages, each body link's
//! target (page, heading or attachment), the relations they make, and the errors of
//! those that do not resolve. `resolve` merges the pages' results into the graph.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::attachments::{Attachments, NotFound};
use super::local;
use super::named::RelationNames;
use super::resolver::{Resolver, Suggester, Unresolved};
use super::{BodyTarget, Edge, Relation};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::{InternalLink, LinkSyntax};
use crate::model::{FieldValue, Page, PageId};

/// What one page's references and links resolve to, before merging into the graph.
pub(super) struct PageLinks {
    pub(super) from: PageId,
    /// Relations already recorded, so a page linking twice makes one edge.
    pub(super) seen: FxHashSet<(PageId, Relation)>,
    pub(super) body_targets: Vec<Option<BodyTarget>>,
    /// Resolved ref fields, by field name.
    pub(super) refs: Vec<(Arc<str>, Vec<PageId>)>,
    /// Relations from this page, without duplicates, in source order.
    pub(super) edges: Vec<Edge>,
    /// `(target, inverse name)` for ref fields that declare an inverse.
    pub(super) inverse: Vec<(PageId, Arc<str>)>,
    pub(super) errors: Vec<Diagnostic>,
    /// Errors (by index) about missing pages whose hint a [`Suggester`] works out later,
    /// with what was written and the kind wanted.
    pub(super) to_suggest: Vec<(usize, String, Option<String>)>,
}

impl PageLinks {
    pub(super) fn new(from: PageId) -> PageLinks {
        PageLinks {
            from,
            seen: FxHashSet::default(),
            body_targets: Vec::new(),
            refs: Vec::new(),
            edges: Vec::new(),
            inverse: Vec::new(),
            errors: Vec::new(),
            to_suggest: Vec::new(),
        }
    }

    /// Records an error about `written`, which did not resolve for `why`.
    fn unresolved(
        &mut self,
        resolver: &Resolver<'_>,
        error: Diagnostic,
        written: &str,
        why: &Unresolved,
        kind: Option<&str>,
    ) {
        let error = match resolver.cause(written) {
            Some(file) => error.caused_by(file),
            None => error,
        };
        match resolver.hint(written, why) {
            Some(hint) => self.errors.push(error.hint(hint)),
            None => {
                self.to_suggest.push((
                    self.errors.len(),
                    written.to_string(),
                    kind.map(str::to_string),
                ));
                self.errors.push(error);
            }
        }
    }

    /// The errors, with "did you mean" hints from `suggester`.
    pub(super) fn take_errors(&mut self, suggester: &mut Suggester<'_>) -> Vec<Diagnostic> {
        for (i, written, kind) in self.to_suggest.drain(..) {
            let hint = suggester.hint(&written, kind.as_deref());
            self.errors[i].hint = Some(hint);
        }
        std::mem::take(&mut self.errors)
    }

    fn add_edge(&mut self, to: PageId, relation: Relation) {
        if self.seen.insert((to, relation.clone())) {
            self.edges.push(Edge {
                from: self.from,
                to,
                relation,
            });
        }
    }
}

pub(super) fn resolve_page(
    (config, names): (&SiteConfig, &RelationNames),
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
) -> PageLinks {
    let mut out = PageLinks::new(id);
    resolve_refs((config, names), resolver, page, &mut out);
    let targets = (0..page.body.internal_links.len())
        .map(|n| resolve_link(config, resolver, id, page, n, &mut out))
        .collect();
    out.body_targets = targets;
    // Only merging needs it; every page's set would otherwise wait for the merge.
    out.seen = FxHashSet::default();
    out.refs.shrink_to_fit();
    if page.untranslated {
        // Its original's text, resolved as the original's: its relations and errors are
        // the original's already, and would show twice.
        out.edges.clear();
        out.inverse.clear();
        out.errors.clear();
        out.to_suggest.clear();
    }
    out
}

/// The page the internal link `link` of page `id` (`page`) names, in the page's language.
fn link_target(
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
    link: &InternalLink,
) -> Result<PageId, Unresolved> {
    // `[[#history]]` points at a heading of the same page.
    let same_page = link.target.is_empty() && link.anchor.is_some();
    if same_page {
        Ok(id)
    } else if link.syntax == LinkSyntax::Relative {
        match join_relative(&page.source_dir, &link.target) {
            Some(path) => resolver.resolve_in(&path, page.text_lang()),
            None => Err(Unresolved::Invalid("the link climbs above content/")),
        }
    } else {
        resolver.resolve_in(&link.target, page.text_lang())
    }
}

/// The anchor link `n` of `page` names in `target_page`: none when the page has it as
/// written, the heading's id when a wikilink names it by its text (as Obsidian does),
/// else the error.
fn anchor_in(
    config: &SiteConfig,
    (page, n): (&Page, usize),
    target_page: &Page,
    anchor: &str,
) -> Result<Option<Box<str>>, Diagnostic> {
    if local::has_anchor(target_page, anchor) {
        return Ok(None);
    }
    let link = &page.body.internal_links[n];
    match heading_by_text(target_page, anchor, config.heading_ids) {
        // `[[page#Heading Text]]`: Obsidian names headings by their text.
        Some(id) if link.syntax == LinkSyntax::Wiki => Ok(Some(id.into())),
        _ => {
            let msg = format!(
                "link to a heading that does not exist: `{}#{anchor}`",
                link.target
            );
            let d = page
                .diagnostic_at_link(ErrorKind::Anchor, msg, n)
                .hint(local::anchor_hint(target_page, anchor));
            Err(config.broken_links.anchors.apply(d))
        }
    }
}

/// Where the `n`th internal link of `page` goes, recording its edge or its error in `out`.
fn resolve_link(
    config: &SiteConfig,
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
    n: usize,
    out: &mut PageLinks,
) -> Option<BodyTarget> {
    let link = &page.body.internal_links[n];
    let resolved = link_target(resolver, id, page, link);
    if let Err(Unresolved::Missing) = resolved
        && link.syntax == LinkSyntax::Wiki
        && Attachments::is_file_name(&link.target)
        && crate::source::markdown_stem(&link.target).is_none()
    {
        return attachment(config, resolver, page, n, out);
    }
    let target = match resolved {
        Ok(t) => t,
        Err(why) => {
            let msg = match why {
                Unresolved::Ambiguous(_) => {
                    format!("link to `{}` is ambiguous", link.target)
                }
                _ => format!("link to a page that does not exist: `{}`", link.target),
            };
            let error =
                config
                    .broken_links
                    .pages
                    .apply(page.diagnostic_at_link(ErrorKind::Link, msg, n));
            out.unresolved(resolver, error, &link.target, &why, None);
            return None;
        }
    };
    let anchor_id = match &link.anchor {
        Some(anchor) => {
            // The page itself as given, which the site may hold as it was before an edit.
            let target_page = match target == id {
                true => page,
                false => resolver.site.page(target),
            };
            match anchor_in(config, (page, n), target_page, anchor) {
                Ok(id) => id,
                Err(d) => {
                    out.errors.push(d);
                    return None;
                }
            }
        }
        None => None,
    };
    let relation = match link.embed {
        Some(_) => Relation::Embed,
        None => Relation::Link {
            syntax: link.syntax,
        },
    };
    out.add_edge(target, relation);
    Some(BodyTarget::Page {
        page: target,
        anchor_id,
    })
}

/// The warning for embed `n` of `page`, a file browsers do not show inline: it is
/// written as a link (markdown's `push_embed`).
fn shown_as_link(page: &Page, n: usize) -> Diagnostic {
    let target = &page.body.internal_links[n].target;
    let msg = format!(
        "`![[{target}]]` embeds a file that browsers do not show inline: it is shown as a link"
    );
    page.diagnostic_at_link(ErrorKind::Link, msg, n)
        .hint("write [[…]] for a link; images, audio, video and PDF files are embedded")
        .warning()
}

/// The attachment the `n`th link of `page` names (`[[report.pdf]]`, `![[map.png]]`).
fn attachment(
    config: &SiteConfig,
    resolver: &Resolver<'_>,
    page: &Page,
    n: usize,
    out: &mut PageLinks,
) -> Option<BodyTarget> {
    let link = &page.body.internal_links[n];
    let (msg, hint) = match resolver.attachments.find(&link.target) {
        Ok(path) => {
            if link.embed.is_some() && !crate::markdown::is_embeddable(path) {
                out.errors.push(shown_as_link(page, n));
            }
            return Some(BodyTarget::File(path.into()));
        }
        Err(NotFound::Missing) => (
            format!("link to a file that does not exist: `{}`", link.target),
            resolver.attachments.hint(&link.target),
        ),
        Err(NotFound::Ambiguous(paths)) => (
            format!("link to `{}` is ambiguous", link.target),
            format!(
                "`{}` names several files; write enough of the path to tell them apart: {}",
                link.target,
                paths.join(", ")
            ),
        ),
    };
    let d = page.diagnostic_at_link(ErrorKind::Link, msg, n).hint(hint);
    out.errors.push(config.broken_links.files.apply(d));
    None
}

/// The id of the heading of `page` whose text is `text` (compared ignoring case, or
/// through the site's id scheme), for links that name a heading by its text.
fn heading_by_text<'p>(
    page: &'p Page,
    text: &str,
    scheme: crate::markdown::IdScheme,
) -> Option<&'p str> {
    let as_id = scheme.id(text);
    page.body
        .headings
        .iter()
        .find(|h| *h.id == *as_id || h.title.to_lowercase() == text.to_lowercase())
        .map(|h| &*h.id)
}

/// `target` (which may use `.` and `..`) joined to the folder `dir`, both below
/// `content/`; `None` if it climbs above it.
pub(super) fn join_relative(dir: &str, target: &str) -> Option<String> {
    crate::url_path::join(dir, target).map(|parts| parts.join("/"))
}

fn resolve_refs(
    (config, names): (&SiteConfig, &RelationNames),
    resolver: &Resolver<'_>,
    page: &Page,
    out: &mut PageLinks,
) {
    let Some(kind_def) = page.kind.as_ref().and_then(|k| config.kinds.get(k)) else {
        return;
    };
    for (field, value) in &page.fields {
        let written: Vec<&str> = match value {
            FieldValue::Ref(r) => vec![r.as_str()],
            FieldValue::Refs(rs) => rs.iter().map(String::as_str).collect(),
            _ => continue,
        };
        let def = &kind_def.fields[field];
        // Only ref fields hold references (`FieldValue::Ref`/`Refs` come from them).
        let points_to = def.ty.target();
        let want = points_to.map(|t| t.kind.as_str());
        let mut targets = Vec::with_capacity(written.len());
        for w in written {
            let target = match resolver.resolve_in(w, page.text_lang()) {
                Ok(t) => t,
                Err(why) => {
                    let msg = match why {
                        Unresolved::Ambiguous(_) => format!("field `{field}`: `{w}` is ambiguous"),
                        Unresolved::Invalid(_) => {
                            format!("field `{field}`: `{w}` is not a valid reference")
                        }
                        Unresolved::Missing => format!("field `{field}`: no page `{w}`"),
                    };
                    let error = page.diagnostic_at_value(ErrorKind::Reference, msg, field, Some(w));
                    out.unresolved(resolver, error, w, &why, want);
                    continue;
                }
            };
            let target_page = resolver.site.page(target);
            if let Some(want) = want
                && target_page.kind.as_deref() != Some(want)
            {
                let found = target_page
                    .kind
                    .as_deref()
                    .map_or("a page with no kind".to_string(), |k| {
                        format!("a page of kind `{k}`")
                    });
                let msg = format!("field `{field}`: `{w}` is {found}, expected kind `{want}`");
                let hint = resolver.list_of_kind(want);
                out.errors.push(
                    page.diagnostic_at_value(ErrorKind::Reference, msg, field, Some(w))
                        .hint(hint),
                );
                continue;
            }
            targets.push(target);
            out.add_edge(
                target,
                Relation::Ref {
                    field: names.get(field),
                },
            );
            if let Some(inverse) = points_to.and_then(|t| t.inverse.as_deref()) {
                out.inverse.push((target, names.get(inverse)));
            }
        }
        out.refs.push((names.get(field), targets));
    }
}
