//! A query's pages as the theme's `shortcodes/query.html` sees them: per page its
//! title, URL and the `show` fields typed as the page's own facts are (references as
//! links, dates as dates, enum values by a readable label).

use tera::{Context, Value};

use crate::config::{FieldType, SiteConfig};
use crate::links::LinkGraph;
use crate::model::{FieldValue, PageId, Site};
use crate::query::{Column, Field, PageIndex, Query};

use super::labels::{enum_shown, kind_label_in};
use super::reads::{Read, Recorder};
use super::values::{object, serde_value};

/// The site as queries read it, with page URLs made once.
#[derive(Clone, Copy)]
pub(crate) struct SiteView<'a> {
    /// The pages.
    pub site: &'a Site,
    /// Their resolved references and inverses.
    pub graph: &'a LinkGraph,
    /// Every page's URL.
    pub page_urls: &'a [String],
    /// Pages by kind and name.
    pub index: &'a PageIndex,
}

/// Runs `query` on page `this`; the template context of its output and the pages it
/// found, or the message of a page it names that does not exist.
pub(crate) fn context(
    config: &SiteConfig,
    view: &SiteView<'_>,
    query: &Query,
    this: PageId,
    recorder: &Recorder,
) -> Result<(Context, Vec<PageId>), String> {
    let (value, found) = query_value(config, view, query, this, recorder)?;
    let mut context = Context::new();
    context.insert_value("query", value);
    Ok((context, found))
}

/// Runs `query` on page `this`: `{kind, kind_label, style, count, none, columns, rows}`
/// and the pages it found, or the message of a page it names that does not exist.
pub(crate) fn query_value(
    config: &SiteConfig,
    view: &SiteView<'_>,
    query: &Query,
    this: PageId,
    recorder: &Recorder,
) -> Result<(Value, Vec<PageId>), String> {
    record_fields(query, recorder);
    let run = crate::query::Run {
        site: view.site,
        graph: view.graph,
        index: view.index,
    };
    let found = crate::query::run(query, this, &run)?;
    let lang = view.site.page(this).lang.as_deref();
    let columns = in_language(config, (&query.kind, lang), &query.show);
    let mut cells = SharedCells::default();
    let rows: Vec<Value> = found
        .iter()
        .map(|&id| {
            let at = (id, lang);
            row(
                config,
                view,
                (&query.kind, &columns),
                at,
                recorder,
                &mut cells,
            )
        })
        .collect();
    let value = object([
        ("kind", query.kind.as_str().into()),
        (
            "kind_label",
            kind_label_in(config, lang, &query.kind).into(),
        ),
        ("style", query.style.name().into()),
        ("count", found.len().into()),
        // What to say when nothing matches: the query's own words, else the theme's.
        ("none", query.none.as_deref().into()),
        ("columns", heads(&columns)),
        ("rows", Value::from(rows)),
    ]);
    Ok((value, found))
}

/// Records what `query` reads of every page of its kind: the fields its conditions,
/// sort and columns name, and what each row shows (title, date, description). A page
/// of the kind whose other fields change cannot enter, leave or change the result.
fn record_fields(query: &Query, recorder: &Recorder) {
    let named = query.conditions.iter().map(|c| &c.field);
    let sorted = query.sort.iter().map(|(f, _)| f);
    let shown = query.show.iter().map(|c| &c.field);
    let always = ["title", "date", "description"].into_iter();
    for field in named
        .chain(sorted)
        .chain(shown)
        .map(field_name)
        .chain(always)
    {
        recorder.read(Read::field(query.kind.as_str(), field));
    }
}

fn field_name(field: &Field) -> &str {
    match field {
        Field::Title => "title",
        Field::Date => "date",
        Field::Declared(n) | Field::Reference(n) | Field::Inverse(n) => n,
    }
}

/// A section's table of `pages` of `kind` with `columns` (site.yaml's `columns:`):
/// `{kind_label, columns: [{name, label}], rows: [{title, url, …, cells}]}`, as a query
/// table shows them; what it reads is recorded as a query's columns are.
pub(crate) fn section_table(
    config: &SiteConfig,
    view: &SiteView<'_>,
    kind: &str,
    pages: &[PageId],
    recorder: &Recorder,
) -> Value {
    // Checked when site.yaml was read: every column is a field of the kind.
    let columns: Vec<Column> = config.kinds[kind]
        .columns
        .iter()
        .filter_map(|name| Column::of(config, kind, name))
        .collect();
    let lang = pages
        .first()
        .and_then(|id| view.site.page(*id).lang.as_deref());
    let columns = in_language(config, (kind, lang), &columns);
    for column in &columns {
        recorder.read(Read::field(kind, field_name(&column.field)));
    }
    let mut cells = SharedCells::default();
    let rows: Vec<Value> = pages
        .iter()
        .map(|&id| {
            row(
                config,
                view,
                (kind, &columns),
                (id, lang),
                recorder,
                &mut cells,
            )
        })
        .collect();
    object([
        ("kind_label", kind_label_in(config, lang, kind).into()),
        ("columns", heads(&columns)),
        ("rows", rows.into()),
    ])
}

/// `columns` of `kind` headed as readers of `lang` read them (`languages:`'s labels),
/// where a query's `show:` gives no heading of its own.
fn in_language(
    config: &SiteConfig,
    (kind, lang): (&str, Option<&str>),
    columns: &[Column],
) -> Vec<Column> {
    columns
        .iter()
        .map(|c| {
            let name = format!("{kind}.{}", field_name(&c.field));
            let default = Column::of(config, kind, field_name(&c.field)).map(|d| d.label);
            let label = match config.label_in(lang, &name) {
                Some(label) if default.as_deref() == Some(c.label.as_str()) => label.to_string(),
                _ => c.label.clone(),
            };
            Column {
                field: c.field.clone(),
                label,
            }
        })
        .collect()
}

/// The headings of `columns`: `[{name, label}]`.
fn heads(columns: &[Column]) -> Value {
    let heads: Vec<Value> = columns
        .iter()
        .map(|c| {
            object([
                ("name", field_name(&c.field).into()),
                ("label", c.label.as_str().into()),
            ])
        })
        .collect();
    heads.into()
}

/// One page of `kind` listed: `{title, url, text_lang, kind, description, date, cells}`.
fn row(
    config: &SiteConfig,
    view: &SiteView<'_>,
    (kind, columns): (&str, &[Column]),
    (id, lang): (PageId, Option<&str>),
    recorder: &Recorder,
    shared: &mut SharedCells,
) -> Value {
    let cells: Vec<Value> = columns
        .iter()
        .enumerate()
        .map(|(at, column)| {
            let cell = cell(config, view, (kind, id, lang), column, recorder);
            shared.share(at, cell)
        })
        .collect();
    let page = (view.site.page(id), view.page_urls[id.0].as_str());
    super::calls::listed_page(config, page, ("cells", Value::from(cells)))
}

/// The cells of one table made so far, by column and what they show: rows that show
/// the same (a status, a host, a format) share one value instead of a map each.
#[derive(Default)]
struct SharedCells {
    made: std::collections::HashMap<(usize, String), Value>,
}

impl SharedCells {
    /// `cell` of column `at`, or the equal one made before. Cells hold no safe
    /// strings, so their JSON tells them apart exactly.
    fn share(&mut self, at: usize, cell: Value) -> Value {
        let Ok(shown) = serde_json::to_string(&cell) else {
            return cell;
        };
        self.made.entry((at, shown)).or_insert(cell).clone()
    }
}

/// The value of `column` on page `id` with its type, as `partials/query_value.html`
/// shows it.
fn cell(
    config: &SiteConfig,
    view: &SiteView<'_>,
    (kind, id, lang): (&str, PageId, Option<&str>),
    column: &Column,
    recorder: &Recorder,
) -> Value {
    let page = view.site.page(id);
    let link = |to: &PageId| {
        recorder.read(Read::Facts(*to));
        object([
            ("title", view.site.page(*to).meta.title.as_str().into()),
            ("url", view.page_urls[to.0].as_str().into()),
            (
                "text_lang",
                config.language_code(view.site.page(*to).text_lang()).into(),
            ),
        ])
    };
    let links = |ids: Option<&[PageId]>| {
        Value::from(ids.map_or(Vec::new(), |ids| ids.iter().map(link).collect::<Vec<_>>()))
    };
    let (ty, value): (&str, Value) = match &column.field {
        Field::Title => ("string", page.meta.title.as_str().into()),
        Field::Date => (
            "date",
            page.meta
                .date
                .map(|d| d.day)
                .or_else(|| page.fields.values().find_map(FieldValue::first_date))
                .map(|d| d.to_string())
                .into(),
        ),
        Field::Inverse(name) => ("refs", links(view.graph.inverse[id.0].get(name))),
        Field::Declared(name) | Field::Reference(name) => {
            let ty = &config.kinds[kind].fields[name].ty;
            let refs = view.graph.refs[id.0].get(name);
            let value = match (ty, page.fields.get(name)) {
                (_, None) => Value::none(),
                (FieldType::Ref(_), _) => {
                    refs.and_then(|r| r.first()).map_or_else(Value::none, link)
                }
                (FieldType::Refs(_), _) => links(refs),
                (FieldType::Enum { .. }, Some(FieldValue::Str(v))) => config
                    .label_in(lang, &format!("{kind}.{name}.{v}"))
                    .map_or_else(|| enum_shown(ty, v), str::to_string)
                    .into(),
                (_, Some(v)) => serde_value(
                    &serde_json::to_value(v)
                        .expect("field values serialize: strings, numbers, dates and lists"),
                ),
            };
            (ty.name(), value)
        }
    };
    let inferred = match &column.field {
        Field::Declared(name) | Field::Reference(name) => super::values::inferred_from(page, name),
        _ => Value::none(),
    };
    object([
        ("name", field_name(&column.field).into()),
        ("label", column.label.as_str().into()),
        ("type", ty.into()),
        ("value", value),
        ("inferred_from", inferred),
    ])
}
