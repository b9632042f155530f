//! Page data as template values, built once per build and shared by every page that lists them.

use tera::{Map, Value};

use super::RenderInput;
use super::bodies::LinkTargets;
use super::labels::enum_shown;
use super::reads::{Read, Recorder};
use super::summaries::{KeptSummaries, PageSummary, summaries};
use crate::model::{FieldValue, Page, PageId, Role};

/// Builds a template map from `(key, value)` pairs.
pub(crate) fn object<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (k, v) in pairs {
        map.insert(k.into(), v);
    }
    Value::from(map)
}

/// Builds the template values of pages; the short forms are made once and shared.
pub(crate) struct PageValues<'a> {
    /// What the earlier stages computed.
    pub input: &'a RenderInput<'a>,
    /// Short forms of all pages, indexed like pages.
    pub summaries: Vec<PageSummary>,
    /// Where each page's internal links go.
    pub targets: LinkTargets<'a>,
    /// Per taxonomy, per term: `{name, url, count}`, shared by every page with the term.
    pub terms: Vec<Vec<Value>>,
    /// Per page: the pages before and after it in its section's order.
    pub neighbours: Vec<(Option<PageId>, Option<PageId>)>,
    /// The default language's graph laid out, made by the first graph page rendered:
    /// every language's graph puts its pages where their originals are.
    pub graph_layout: std::sync::OnceLock<super::graph::GraphLayout>,
    /// Per language code, the language switcher's entry for its home page.
    pub language_homes: std::collections::HashMap<String, Value>,
}

impl<'a> PageValues<'a> {
    /// Makes the short form of every page once.
    #[cfg_attr(not(any(feature = "serve", feature = "lsp")), allow(dead_code))]
    pub(crate) fn new(input: &'a RenderInput<'a>) -> PageValues<'a> {
        PageValues::new_kept(input, None, false)
    }

    /// Makes the short form of every page once, taking summaries from `kept` where it
    /// holds them; each with its fingerprint if the build is `fingerprinted`.
    pub(crate) fn new_kept(
        input: &'a RenderInput<'a>,
        kept: Option<KeptSummaries<'_>>,
        fingerprinted: bool,
    ) -> PageValues<'a> {
        let links = LinkTargets::new(
            (input.site, &input.config.language),
            input.graph,
            input.urls,
            input.call_templates(),
        );
        let summaries = summaries(input.config, input.site, &links, kept, fingerprinted);
        PageValues::with_summaries(input, links, summaries)
    }

    /// Page values around short forms made before (`serve` keeps them between rebuilds).
    pub(crate) fn with_summaries(
        input: &'a RenderInput<'a>,
        links: LinkTargets<'a>,
        summaries: Vec<PageSummary>,
    ) -> PageValues<'a> {
        let terms = input
            .taxonomies
            .iter()
            .map(|tax| {
                tax.terms
                    .iter()
                    .map(|term| {
                        object([
                            ("name", term.name.as_str().into()),
                            ("url", input.urls.path(&tax.term_path(term)).into()),
                            ("count", term.pages.len().into()),
                        ])
                    })
                    .collect()
            })
            .collect();
        // One pass over each section's list, rather than a search per page.
        let mut neighbours = vec![(None, None); input.site.pages.len()];
        for list in input.site.section_pages.values() {
            for (i, id) in list.iter().enumerate() {
                let before = i.checked_sub(1).map(|j| list[j]);
                neighbours[id.0] = (before, list.get(i + 1).copied());
            }
        }
        PageValues {
            input,
            summaries,
            targets: links,
            terms,
            neighbours,
            graph_layout: std::sync::OnceLock::new(),
            language_homes: super::languages::language_homes(input),
        }
    }

    /// Lets go of the short forms' template values once every output is rendered,
    /// keeping their summaries' HTML, which the data files read: at 100,000 pages the
    /// maps are about 150 MB that the search index and `pages.json` would otherwise be
    /// made beside. Nothing may be rendered with these values after it.
    pub(crate) fn drop_template_values(&mut self) {
        for summary in &mut self.summaries {
            summary.value = Value::none();
        }
    }

    /// The short form of page `id`, recorded as read.
    pub(crate) fn short_form(&self, id: PageId, recorder: &Recorder) -> Value {
        recorder.read(Read::Summary(id));
        self.summaries[id.0].value.clone()
    }

    /// The full value of page `id`, its body filled in; what it shows goes to `recorder`.
    pub(crate) fn page(&self, id: PageId, recorder: &Recorder) -> Value {
        let pages = self
            .input
            .site
            .section_pages
            .get(&id)
            .map_or(&[][..], Vec::as_slice);
        self.page_listing(id, pages, None, recorder)
    }

    /// The value of a page whose listing (for sections) shows `pages`.
    fn page_listing(
        &self,
        id: PageId,
        pages: &[PageId],
        paginator: Option<Value>,
        recorder: &Recorder,
    ) -> Value {
        let page = self.input.site.page(id);
        let short_form = self.short_form(id, recorder);
        let mut map = short_form
            .as_map()
            .cloned()
            .expect("a page's short form is a map: `summary` makes it with `object`");
        let mut put = |k: &'static str, v: Value| {
            map.insert(k.into(), v);
        };
        put(
            "content",
            Value::safe_string(&self.targets.body_html(id, recorder)),
        );
        // Its summary as plain text, for the head's descriptions: made once per page
        // rendered, not kept with the short form, which every listing holds.
        put(
            "summary_text",
            crate::text::html_to_text(self.summaries[id.0].html()).into(),
        );
        put("permalink", self.input.urls.permalink(&page.path).into());
        let lang = self.input.config.language_code(page.lang.as_deref());
        put("lang", lang.into());
        let (versions, alternates) = super::languages::versions_values(self, id, recorder);
        put("translations", versions);
        put("alternates", alternates);
        put(
            "untranslated",
            super::languages::untranslated_value(self.input, id, recorder),
        );
        put(
            "source",
            page.file
                .as_ref()
                .map(|f| f.to_string_lossy().replace('\\', "/"))
                .into(),
        );
        put("toc", self.toc(page));
        put("fields", self.fields(id, page, recorder));
        put(
            "extra",
            serde_value(&serde_json::Value::Object(page.meta.extra.clone())),
        );
        put("taxonomies", self.page_terms(page));
        put("authors", super::post::authors(&page.meta.extra));
        if page.kind.is_none() {
            put("extra_facts", super::post::extra_facts(&page.meta.extra));
        }
        // At 200 words a minute, as most blogs count.
        put("reading_time", page.body.words.div_ceil(200).max(1).into());
        self.put_neighbourhood(&mut map, id, recorder);
        if page.role == Role::Section {
            self.put_listing(&mut map, id, pages, recorder);
        }
        if let Some(paginator) = paginator {
            map.insert("paginator".into(), paginator);
        }
        Value::from(map)
    }

    /// Adds what page `id` stands among to its value `map`: its local graph, previous and
    /// next pages, backlinks, inverse relations and section.
    fn put_neighbourhood(&self, map: &mut tera::Map, id: PageId, recorder: &Recorder) {
        let page = self.input.site.page(id);
        let mut put = |k: &'static str, v: Value| {
            map.insert(k.into(), v);
        };
        if page.role == Role::Page {
            put("local_graph", self.local_graph(id, recorder));
            let (before, after) = self.neighbours[id.0];
            put(
                "previous",
                before.map_or_else(Value::none, |p| self.short_form(p, recorder)),
            );
            put(
                "next",
                after.map_or_else(Value::none, |p| self.short_form(p, recorder)),
            );
        }
        put("backlinks", self.backlinks(id, recorder));
        put("inverse", self.inverse(id, recorder));
        put(
            "section",
            self.input
                .site
                .section_of(page)
                .map(|s| self.short_form(s, recorder))
                .unwrap_or_else(Value::none),
        );
    }

    /// Adds the listing of section `id` to its value `map`: its `pages` (as a table too,
    /// for a kind with `columns:`) and subsections.
    fn put_listing(&self, map: &mut tera::Map, id: PageId, pages: &[PageId], recorder: &Recorder) {
        let page = self.input.site.page(id);
        // A kind's section with `columns:` shows its pages as a table.
        let table = self
            .input
            .config
            .kind_for_section(&page.path)
            .filter(|(_, def)| !def.columns.is_empty() && !pages.is_empty())
            .map(|(kind, _)| {
                let view = self.targets.view();
                super::queries::section_table(self.input.config, &view, kind, pages, recorder)
            });
        map.insert("table".into(), table.unwrap_or_else(Value::none));
        map.insert("pages".into(), self.slice(pages, recorder));
        map.insert(
            "subsections".into(),
            self.list(self.input.site.subsections.get(&id), recorder),
        );
    }

    /// The value of listing page `number` (from 1) of a paginated section: its
    /// `pages` are that page's share, and `paginator` links the others.
    pub(crate) fn listing_page(&self, id: PageId, number: usize, recorder: &Recorder) -> Value {
        let page = self.input.site.page(id);
        let all: &[PageId] = self
            .input
            .site
            .section_pages
            .get(&id)
            .map_or(&[], Vec::as_slice);
        let per_page = page.meta.seldom().paginate_by.unwrap_or(all.len().max(1));
        let total = all.len().div_ceil(per_page).max(1);
        let share = all.chunks(per_page).nth(number - 1).unwrap_or(&[]);
        let url = |n: usize| match n {
            1 => self.input.urls.path(&page.path),
            n => self.input.urls.path(&super::pager_path(&page.path, n)),
        };
        let paginator = object([
            ("current", number.into()),
            ("total", total.into()),
            ("previous", (number > 1).then(|| url(number - 1)).into()),
            ("next", (number < total).then(|| url(number + 1)).into()),
            ("first", url(1).into()),
            ("last", url(total).into()),
        ]);
        self.page_listing(id, share, Some(paginator), recorder)
    }

    /// Short forms of `ids`, shared rather than copied.
    pub(super) fn slice(&self, ids: &[PageId], recorder: &Recorder) -> Value {
        Value::from(
            ids.iter()
                .map(|&id| self.short_form(id, recorder))
                .collect::<Vec<_>>(),
        )
    }

    /// Short forms of `ids`, shared rather than copied.
    pub(crate) fn list(&self, ids: Option<&Vec<PageId>>, recorder: &Recorder) -> Value {
        self.slice(ids.map_or(&[][..], Vec::as_slice), recorder)
    }

    fn toc(&self, page: &Page) -> Value {
        Value::from(
            page.body
                .headings
                .iter()
                .map(|h| {
                    object([
                        ("level", h.level.into()),
                        ("id", (&*h.id).into()),
                        ("title", (&*h.title).into()),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    fn fields(&self, id: PageId, page: &Page, recorder: &Recorder) -> Value {
        let Some(def) = page
            .kind
            .as_ref()
            .and_then(|k| self.input.config.kinds.get(k))
        else {
            return Value::from(Vec::<Value>::new());
        };
        let refs = &self.input.graph.refs[id.0];
        let (config, kind) = (self.input.config, page.kind.as_deref().unwrap_or_default());
        let lang = page.lang.as_deref();
        let list: Vec<Value> = def
            .fields
            .iter()
            .filter_map(|(name, field)| {
                let value = page.fields.get(name)?;
                let v = match value {
                    FieldValue::Ref(_) => refs
                        .get(name)?
                        .first()
                        .map(|&t| self.short_form(t, recorder))?,
                    FieldValue::Refs(_) => self.slice(refs.get(name).unwrap_or_default(), recorder),
                    other => serde_value(
                        &serde_json::to_value(other)
                            .expect("field values serialize: strings, numbers, dates and lists"),
                    ),
                };
                // An enum value is a slug (`command-staff`); readers see it as words,
                // as queries show it.
                let shown = match (&field.ty, value) {
                    (crate::config::FieldType::Enum { .. }, FieldValue::Str(s)) => config
                        .label_in(lang, &format!("{kind}.{name}.{s}"))
                        .map_or_else(|| enum_shown(&field.ty, s), str::to_string)
                        .into(),
                    _ => Value::none(),
                };
                let label = config
                    .label_in(lang, &format!("{kind}.{name}"))
                    .unwrap_or_else(|| field.label.as_deref().unwrap_or(name));
                Some(object([
                    ("name", name.as_str().into()),
                    ("label", label.into()),
                    ("type", field.ty.name().into()),
                    ("value", v),
                    ("shown", shown),
                    ("inferred_from", inferred_from(page, name)),
                ]))
            })
            .collect();
        Value::from(list)
    }

    fn page_terms(&self, page: &Page) -> Value {
        let list: Vec<Value> = self
            .input
            .taxonomies
            .iter()
            .zip(&self.terms)
            .filter(|(tax, _)| tax.lang == page.lang)
            .filter_map(|(tax, term_values)| {
                let written = page.meta.taxonomies.get(&tax.name)?;
                // A page lists each of its terms once, in the order written.
                let mut indexes: Vec<usize> = Vec::with_capacity(written.len());
                for i in written
                    .iter()
                    .filter_map(|w| tax.by_written.get(w).copied())
                {
                    if !indexes.contains(&i) {
                        indexes.push(i);
                    }
                }
                let terms: Vec<Value> = indexes
                    .into_iter()
                    .map(|i| term_values[i].clone())
                    .collect();
                Some(object([
                    ("name", tax.name.as_str().into()),
                    ("label", tax.label(self.input.config).into()),
                    ("terms", terms.into()),
                ]))
            })
            .collect();
        Value::from(list)
    }
}

/// What the value of field `name` of `page` is inferred from (its `inferred:`), for
/// `partials/inferred_marker.html`; none if the sources state it.
pub(crate) fn inferred_from(page: &Page, name: &str) -> Value {
    page.meta
        .seldom()
        .inferred
        .get(name)
        .map_or(Value::none(), |from| from.as_str().into())
}

/// `text` escaped for HTML text and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// Converts JSON data (front matter extras, typed scalars) to a template value.
pub(crate) fn serde_value(v: &serde_json::Value) -> Value {
    Value::from_serializable(v)
}
