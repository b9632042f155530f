//! What a page shows of the pages relating to it: its inverse relations, named as
//! site.yaml says, and its other backlinks, each once, with the sentence that links.

use tera::Value;

use super::reads::{Read, Recorder};
use super::values::{PageValues, inverse_shown_in, object};
use crate::links::{BodyTarget, Relation};
use crate::model::PageId;

impl PageValues<'_> {
    /// Pages relating to `id` that its inverse relations do not already show: each once,
    /// with the names of its typed relations and the sentence of its first link.
    pub(super) fn backlinks(&self, id: PageId, recorder: &Recorder) -> Value {
        // Group relations by the page they come from. The graph lists a page's
        // incoming edges ordered by source page, so each group is one run.
        // Per source page: every relation's label, those of typed relations (what
        // readers see: a field's name, never "link" or "embed"), and whether an inverse
        // relation lists it.
        let mut grouped: Vec<(PageId, Vec<Value>, Vec<Value>, bool)> = Vec::new();
        let site = self.input.site;
        let lang = &site.page(id).lang;
        for &e in &self.input.graph.incoming[id.0] {
            let edge = &self.input.graph.edges[e];
            // Pages of the page's language only: a translation linking to an original
            // it has no translation of repeats what the translation's original says.
            if edge.from == id || site.page(edge.from).lang != *lang {
                continue;
            }
            let label = self.relation_label(edge.from, &edge.relation);
            let listed = self.has_inverse(edge.from, &edge.relation);
            // Typed relations the inverse relations do not show.
            let named =
                (matches!(edge.relation, Relation::Ref { .. }) && !listed).then(|| label.clone());
            match grouped.last_mut() {
                Some((from, labels, names, inverse)) if *from == edge.from => {
                    labels.push(label);
                    names.extend(named);
                    *inverse |= listed;
                }
                _ => grouped.push((edge.from, vec![label], named.into_iter().collect(), listed)),
            }
        }
        Value::from(
            grouped
                .into_iter()
                // A page an inverse relation lists comes again only for a relation it lacks.
                .filter(|(_, _, named, listed)| !listed || !named.is_empty())
                .map(|(from, labels, named, _)| {
                    object([
                        ("page", self.short_form(from, recorder)),
                        ("relations", labels.into()),
                        ("named", named.into()),
                        ("context", self.link_context(from, id, recorder)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
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
            .and_then(|k| k.fields.get(field))
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
            self.input.graph.inverse[id.0]
                .iter()
                .filter_map(|(name, ids)| {
                    // As backlinks: the pages of the page's language only.
                    let ids: std::borrow::Cow<'_, [PageId]> = match site.languages.is_empty() {
                        true => ids.as_slice().into(),
                        false => ids
                            .iter()
                            .copied()
                            .filter(|from| site.page(*from).lang.as_deref() == lang)
                            .collect::<Vec<_>>()
                            .into(),
                    };
                    (!ids.is_empty()).then_some((name, ids))
                })
                .map(|(name, ids)| {
                    object([
                        ("name", name.as_str().into()),
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
                    kind.fields.get(field)?.label.as_deref()
                })
                .unwrap_or(field)
        }
    }
}
