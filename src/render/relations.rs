//! What a page shows of the pages relating to it: its inverse relations, named as
//! site.yaml says, and its other backlinks, each once, with the sentence that links.

use std::borrow::Cow;

use tera::Value;

use super::labels::inverse_shown_in;
use super::reads::{Read, Recorder};
use super::values::{PageValues, object};
use crate::links::{BodyTarget, Edge, Relation};
use crate::model::PageId;

/// One page among a page's backlinks: the page shown, its relations' labels, those of
/// its typed relations, whether an inverse relation lists it, and its first edge's ends.
type Grouped = (PageId, Vec<Value>, Vec<Value>, bool, (PageId, PageId));

impl PageValues<'_> {
    /// Pages relating to `id` that its inverse relations do not already show: each once,
    /// with the names of its typed relations and the sentence of its first link.
    pub(super) fn backlinks(&self, id: PageId, recorder: &Recorder) -> Value {
        // Group relations by the page shown as their source; the edges come ordered by
        // it, so each group is one run. Per page: every relation's label, those of
        // typed relations (what readers see: a field's name, never "link" or "embed"),
        // whether an inverse relation lists it, and its first edge's ends.
        let mut grouped: Vec<Grouped> = Vec::new();
        for (shown, edge) in self.incoming_seen(id) {
            let label = self.relation_label(shown, &edge.relation);
            let listed = self.has_inverse(edge.from, &edge.relation);
            // Typed relations the inverse relations do not show.
            let named =
                (matches!(edge.relation, Relation::Ref { .. }) && !listed).then(|| label.clone());
            match grouped.last_mut() {
                Some((from, labels, names, inverse, _)) if *from == shown => {
                    labels.push(label);
                    names.extend(named);
                    *inverse |= listed;
                }
                _ => grouped.push((
                    shown,
                    vec![label],
                    named.into_iter().collect(),
                    listed,
                    (edge.from, edge.to),
                )),
            }
        }
        Value::from(
            grouped
                .into_iter()
                // A page an inverse relation lists comes again only for a relation it lacks.
                .filter(|(_, _, named, listed, _)| !listed || !named.is_empty())
                .map(|(shown, labels, named, _, (from, to))| {
                    object([
                        ("page", self.short_form(shown, recorder)),
                        ("relations", labels.into()),
                        ("named", named.into()),
                        // A copy's sentence is its original's, linking to the version
                        // its edge reaches.
                        ("context", self.link_context(from, to, recorder)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    /// The edges into page `id` that its readers see, each with the page shown as
    /// their source, ordered by it: those from pages of its language into any of its
    /// versions (a language without page X links to X's original), and those from an
    /// original whose untranslated copy in that language stands for it
    /// (`untranslated: notice`: the copy has no edges of its own).
    fn incoming_seen(&self, id: PageId) -> Vec<(PageId, &Edge)> {
        let (site, graph) = (self.input.site, self.input.graph);
        let edges = |v: PageId| graph.incoming[v.0].iter().map(|&e| &graph.edges[e]);
        if site.languages.is_empty() {
            return edges(id)
                .filter(|e| e.from != id)
                .map(|e| (e.from, e))
                .collect();
        }
        let reader = self.reader(id);
        let mut seen: Vec<(PageId, &Edge)> = site
            .versions(id)
            .into_iter()
            .flat_map(edges)
            .filter_map(|e| Some((self.shown_as(e.from, reader)?, e)))
            .filter(|(shown, e)| *shown != id && e.from != id)
            .collect();
        // Stable: each page's edges stay in the order it makes them.
        seen.sort_by_key(|(shown, _)| *shown);
        seen
    }

    /// The page of language `lang` that stands for page `from` among a page's
    /// relations: `from` if it is in `lang`, its untranslated copy in `lang` if it is
    /// an original shown so (`copies`: `lang` shows them), else none (its translation
    /// relates in its own right).
    fn shown_as(&self, from: PageId, (lang, copies): (Option<&str>, bool)) -> Option<PageId> {
        let site = self.input.site;
        let page = site.page(from);
        if page.lang.as_deref() == lang {
            return Some(from);
        }
        if page.lang.is_some() || !copies {
            return None;
        }
        let copy = site.translation(from, lang)?;
        site.page(copy).untranslated.then_some(copy)
    }

    /// The language of page `id`'s readers, and whether it shows untranslated copies.
    fn reader(&self, id: PageId) -> (Option<&str>, bool) {
        let lang = self.input.site.page(id).lang.as_deref();
        let copies = lang.is_some_and(|l| self.input.config.notice_languages().any(|n| n == l));
        (lang, copies)
    }

    /// Per inverse relation of page `id`, the pages listing it that its readers see
    /// (as [`Self::incoming_seen`]), in page order.
    fn inverse_seen(&self, id: PageId) -> Vec<(&str, Cow<'_, [PageId]>)> {
        let (site, graph) = (self.input.site, self.input.graph);
        // A page referring to itself is not listed among its own inverse relations, as
        // it is not among its own backlinks.
        if site.languages.is_empty() {
            return graph.inverse[id.0]
                .iter()
                .map(|(name, ids)| {
                    let ids: Cow<'_, [PageId]> = match ids.contains(&id) {
                        true => ids.iter().copied().filter(|&p| p != id).collect(),
                        false => ids.into(),
                    };
                    (name, ids)
                })
                .filter(|(_, ids)| !ids.is_empty())
                .collect();
        }
        let reader = self.reader(id);
        let mut seen: indexmap::IndexMap<&str, Vec<PageId>> = indexmap::IndexMap::new();
        for version in site.versions(id) {
            for (name, ids) in graph.inverse[version.0].iter() {
                let shown = ids.iter().filter_map(|&from| self.shown_as(from, reader));
                seen.entry(name).or_default().extend(shown);
            }
        }
        seen.into_iter()
            .map(|(name, mut ids)| {
                ids.sort_unstable();
                ids.dedup();
                ids.retain(|&p| p != id);
                (name, Cow::from(ids))
            })
            .filter(|(_, ids)| !ids.is_empty())
            .collect()
    }

    /// Whether `relation` from page `from` is a ref field with an inverse, which the
    /// target page lists among its inverse relations.
    fn has_inverse(&self, from: PageId, relation: &Relation) -> bool {
        let Relation::Ref { field } = relation else {
            return false;
        };
        let page = self.input.site.page(from);
        page.kind
            .as_ref()
            .and_then(|k| self.input.config.kinds.get(k))
            .and_then(|k| k.fields.get(&**field))
            .and_then(|f| f.ty.target())
            .is_some_and(|t| t.inverse.is_some())
    }

    /// The sentence around the first link of page `from` to page `to`, as
    /// `{before, link, after}`; bare wikilinks in it show their pages' titles.
    fn link_context(&self, from: PageId, to: PageId, recorder: &Recorder) -> Value {
        let targets = &self.input.graph.body_targets[from.0];
        let links = &self.input.site.page(from).body.internal_links;
        let found = targets
            .iter()
            .zip(links)
            .find_map(|(target, link)| match target {
                Some(BodyTarget::Page { page, .. }) if *page == to => link.context.as_ref(),
                _ => None,
            });
        let Some(context) = found else {
            return Value::none();
        };
        recorder.read(Read::Text(from));
        let title = |n: usize| match targets.get(n) {
            Some(Some(BodyTarget::Page { page, .. })) => {
                recorder.read(Read::Summary(*page));
                Some(self.input.site.page(*page).meta.title.as_str())
            }
            _ => None,
        };
        let [before, link, after] = context.parts(title);
        object([
            ("before", before.into()),
            ("link", link.into()),
            ("after", after.into()),
        ])
    }

    fn relation_label(&self, from: PageId, relation: &Relation) -> Value {
        relation_name(self.input.config, self.input.site, from, relation).into()
    }

    /// Page `id` among the pages it relates to, drawn: `{svg, shown, total}`, or none.
    pub(super) fn local_graph(&self, id: PageId, recorder: &Recorder) -> Value {
        let input = self.input;
        let url = |p: PageId| {
            // The graph shows each neighbour's title, kind and URL.
            recorder.read(Read::Facts(p));
            self.targets.url(p).to_string()
        };
        let mark = |kind: Option<&str>| super::graph::Mark::of_kind(input.config, kind);
        let page = input.site.page(id);
        let title = &page.meta.title;
        let code = input.config.language_code(page.lang.as_deref());
        let label = input
            .templates
            .strings
            .say(code, "local_graph_caption", &[("title", title.clone())])
            .unwrap_or_else(|| format!("{title} and the pages it relates to"));
        match super::graph::local::draw((input.site, input.graph), id, &label, url, mark) {
            Some(drawn) => object([
                ("svg", Value::safe_string(&drawn.svg)),
                ("shown", drawn.shown.into()),
                ("total", drawn.total.into()),
            ]),
            None => Value::none(),
        }
    }

    pub(super) fn inverse(&self, id: PageId, recorder: &Recorder) -> Value {
        let site = self.input.site;
        let page = site.page(id);
        let (kind, lang) = (page.kind.as_deref(), page.lang.as_deref());
        Value::from(
            self.inverse_seen(id)
                .into_iter()
                .map(|(name, ids)| {
                    object([
                        ("name", name.into()),
                        (
                            "label",
                            inverse_shown_in(self.input.config, lang, kind, name).into(),
                        ),
                        ("pages", self.slice(&ids, recorder)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }
}

/// What readers call `relation` from page `from`: its field's label in the page's
/// language, else its name; "link" or "embed" for the body's.
pub(crate) fn relation_name<'c>(
    config: &'c crate::config::SiteConfig,
    site: &'c crate::model::Site,
    from: PageId,
    relation: &'c Relation,
) -> &'c str {
    match relation {
        Relation::Link { .. } => "link",
        Relation::Embed => "embed",
        Relation::Ref { field } => {
            let page = site.page(from);
            let kind = page.kind.as_deref();
            let translated = match (page.lang.as_deref(), kind) {
                (Some(lang), Some(k)) => config.label_in(Some(lang), &format!("{k}.{field}")),
                _ => None,
            };
            translated
                .or_else(|| {
                    let kind = config.kinds.get(kind?)?;
                    kind.fields.get(&**field)?.label.as_deref()
                })
                .unwrap_or(field)
        }
    }
}
