//! Running a checked query on the site: the pages of its kind (indexed once per
//! build), filtered, sorted and cut to its limit.

use std::cmp::Ordering;
use std::collections::HashMap;

use jiff::civil::Date;

use crate::links::{LinkGraph, Relation};
use crate::model::{FieldValue, PageId, Site};

use super::{Field, Query, Test, Value};

/// The pages of each kind, and every page by slug and by path: made once per build.
#[derive(Debug, Default)]
pub(crate) struct PageIndex {
    by_kind: HashMap<String, Vec<PageId>>,
    by_name: HashMap<String, PageId>,
}

impl PageIndex {
    /// Indexes the pages of `site`.
    pub(crate) fn new(site: &Site) -> PageIndex {
        let mut index = PageIndex::default();
        for (id, page) in site.iter() {
            if let Some(kind) = &page.kind {
                index.by_kind.entry(kind.clone()).or_default().push(id);
            }
            for name in [&page.slug, &page.source_path, &page.path] {
                index.by_name.entry(name.clone()).or_insert(id);
            }
        }
        index
    }
}

/// What a field of a page holds, as a query compares it.
enum Observed<'a> {
    Nothing,
    Text(&'a str),
    Texts(&'a [String]),
    Pages(&'a [PageId]),
    Date(Date),
    Range(Date, Date),
    Number(i64),
    Bool(bool),
}

/// A value with its page resolved.
enum Wanted<'v> {
    /// A page, in each language it is written in: a reference to any of them is to it.
    Page(Vec<PageId>),
    Text(&'v str),
    Number(i64),
    Bool(bool),
    Date(Date),
}

/// The site a query runs on.
pub(crate) struct Run<'s> {
    /// The pages.
    pub site: &'s Site,
    /// Their resolved references.
    pub graph: &'s LinkGraph,
    /// Pages by kind and name.
    pub index: &'s PageIndex,
}

/// The pages `query` finds when run on page `this`, in order; a page named in it that
/// does not exist is an error (its message).
pub(crate) fn run(query: &Query, this: PageId, on: &Run<'_>) -> Result<Vec<PageId>, String> {
    let mut tests = Vec::with_capacity(query.conditions.len());
    for condition in &query.conditions {
        let versions = |id: PageId| on.site.versions(id);
        tests.push((
            &condition.field,
            resolve(&condition.test, this, (on.index, &versions))?,
        ));
    }
    let candidates = match referring(query, this, on) {
        Some(pages) => pages,
        None => on
            .index
            .by_kind
            .get(&query.kind)
            .map_or_else(Vec::new, Clone::clone),
    };
    let lang = on.site.page(this).lang.as_deref();
    let mut found: Vec<PageId> = candidates
        .into_iter()
        .filter(|&p| in_language(on.site, p, lang))
        .filter(|&p| {
            tests
                .iter()
                .all(|(field, test)| test.holds(&observe(on, p, field)))
        })
        .collect();
    let title = |p: PageId| on.site.page(p).meta.title.to_lowercase();
    found.sort_by(|&a, &b| {
        for (field, descending) in &query.sort {
            let order = compare(on, &observe(on, a, field), &observe(on, b, field));
            let order = if *descending { order.reverse() } else { order };
            if order != Ordering::Equal {
                return order;
            }
        }
        title(a).cmp(&title(b))
    });
    if let Some(limit) = query.limit {
        found.truncate(limit);
    }
    Ok(found)
}

/// Whether page `p` is one a query run in language `lang` (`None`: the default) lists:
/// a page in that language, or an original it has no translation of, as links fall back
/// to it. So each page is listed once, in the reader's language where it can be.
fn in_language(site: &Site, p: PageId, lang: Option<&str>) -> bool {
    let page_lang = site.page(p).lang.as_deref();
    page_lang == lang || (page_lang.is_none() && site.translation(p, lang).is_none())
}

/// When a condition asks for the pages whose reference field holds a given page
/// (`participants: this`), those pages, from that page's incoming references: a query
/// on every member page then costs what each member's drills are, not every drill.
/// The other conditions still filter them.
fn referring(query: &Query, this: PageId, on: &Run<'_>) -> Option<Vec<PageId>> {
    query.conditions.iter().find_map(|condition| {
        let (Field::Reference(name), Test::Is(value)) = (&condition.field, &condition.test) else {
            return None;
        };
        let target = match value {
            Value::This => this,
            Value::Page(name) => *on.index.by_name.get(name)?,
            _ => return None,
        };
        // Pages refer to the version of the target in their language, or to the original
        // where it has none: the referring pages of every version, each taken in the
        // query's language where it is written in it (an untranslated copy, which
        // refers as its original does, stands for its original).
        let site = on.site;
        let lang = site.page(this).lang.as_deref();
        let mut pages: Vec<PageId> = site
            .versions(target)
            .into_iter()
            .flat_map(|t| &on.graph.incoming[t.0])
            .map(|&e| &on.graph.edges[e])
            .filter(|e| matches!(&e.relation, Relation::Ref { field } if **field == **name))
            .map(|e| site.translation(e.from, lang).unwrap_or(e.from))
            .filter(|&p| site.page(p).kind.as_deref() == Some(query.kind.as_str()))
            .collect();
        pages.sort_unstable();
        pages.dedup();
        Some(pages)
    })
}

/// A test with its pages resolved.
enum Resolved<'v> {
    Is(Wanted<'v>),
    Not(Wanted<'v>),
    In(Vec<Wanted<'v>>),
    From(Wanted<'v>),
    To(Wanted<'v>),
    Present(bool),
    All(Vec<Resolved<'v>>),
}

/// Whether every page `test` names exists; the message of the first that does not.
pub(crate) fn resolve_names(test: &Test, index: &PageIndex) -> Result<(), String> {
    // `this` needs no page here: any id will do.
    resolve(test, PageId(0), (index, &|id| vec![id])).map(|_| ())
}

/// `test` with its values resolved: `this` and named pages to the page in every language
/// it has (`versions`).
fn resolve<'v>(
    test: &'v Test,
    this: PageId,
    (index, versions): (&PageIndex, &dyn Fn(PageId) -> Vec<PageId>),
) -> Result<Resolved<'v>, String> {
    let value = |v: &'v Value| -> Result<Wanted<'v>, String> {
        Ok(match v {
            Value::This => Wanted::Page(versions(this)),
            Value::Page(name) => {
                let page = *index.by_name.get(name.as_str()).ok_or_else(|| {
                    let near =
                        crate::error::closest(name, index.by_name.keys().map(String::as_str));
                    match near {
                        Some(n) => {
                            format!("the query names no page `{name}` (did you mean `{n}`?)")
                        }
                        None => format!("the query names no page `{name}`"),
                    }
                })?;
                Wanted::Page(versions(page))
            }
            Value::Text(t) => Wanted::Text(t),
            Value::Number(n) => Wanted::Number(*n),
            Value::Bool(b) => Wanted::Bool(*b),
            Value::Date(d) => Wanted::Date(*d),
        })
    };
    Ok(match test {
        Test::Is(v) => Resolved::Is(value(v)?),
        Test::Not(v) => Resolved::Not(value(v)?),
        Test::In(vs) => Resolved::In(vs.iter().map(value).collect::<Result<_, _>>()?),
        Test::From(v) => Resolved::From(value(v)?),
        Test::To(v) => Resolved::To(value(v)?),
        Test::Present(p) => Resolved::Present(*p),
        Test::All(tests) => Resolved::All(
            tests
                .iter()
                .map(|t| resolve(t, this, (index, versions)))
                .collect::<Result<_, _>>()?,
        ),
    })
}

impl Resolved<'_> {
    fn holds(&self, seen: &Observed<'_>) -> bool {
        match self {
            Resolved::Is(v) => is(seen, v),
            Resolved::Not(v) => !is(seen, v),
            Resolved::In(vs) => vs.iter().any(|v| is(seen, v)),
            Resolved::From(v) => bound(seen, v, Ordering::Greater),
            Resolved::To(v) => bound(seen, v, Ordering::Less),
            Resolved::Present(p) => present(seen) == *p,
            Resolved::All(tests) => tests.iter().all(|t| t.holds(seen)),
        }
    }
}

fn is(seen: &Observed<'_>, wanted: &Wanted<'_>) -> bool {
    match (seen, wanted) {
        (Observed::Pages(ids), Wanted::Page(any)) => ids.iter().any(|id| any.contains(id)),
        (Observed::Text(t), Wanted::Text(w)) => t == w,
        (Observed::Texts(items), Wanted::Text(w)) => items.iter().any(|i| i == w),
        (Observed::Date(d), Wanted::Date(w)) => d == w,
        (Observed::Range(start, end), Wanted::Date(w)) => start <= w && w <= end,
        (Observed::Number(n), Wanted::Number(w)) => n == w,
        (Observed::Bool(b), Wanted::Bool(w)) => b == w,
        _ => false,
    }
}

/// On or after (`Greater`) or on or before (`Less`) the wanted value; a date range
/// counts if any of its days does.
fn bound(seen: &Observed<'_>, wanted: &Wanted<'_>, side: Ordering) -> bool {
    let within = |order: Ordering| order == side || order == Ordering::Equal;
    match (seen, wanted) {
        (Observed::Date(d), Wanted::Date(w)) => within(d.cmp(w)),
        (Observed::Range(start, end), Wanted::Date(w)) => within(
            if side == Ordering::Greater {
                end
            } else {
                start
            }
            .cmp(w),
        ),
        (Observed::Number(n), Wanted::Number(w)) => within(n.cmp(w)),
        _ => false,
    }
}

fn present(seen: &Observed<'_>) -> bool {
    match seen {
        Observed::Nothing => false,
        Observed::Texts(items) => !items.is_empty(),
        Observed::Pages(ids) => !ids.is_empty(),
        _ => true,
    }
}

/// What `field` of page `p` holds.
fn observe<'a>(on: &Run<'a>, p: PageId, field: &Field) -> Observed<'a> {
    let page = on.site.page(p);
    match field {
        Field::Title => Observed::Text(&page.meta.title),
        Field::Date => match page
            .meta
            .date
            .map(|d| d.day)
            .or_else(|| page.fields.values().find_map(FieldValue::first_date))
        {
            Some(d) => Observed::Date(d),
            None => Observed::Nothing,
        },
        Field::Inverse(name) => on.graph.inverse[p.0]
            .get(name)
            .map_or(Observed::Nothing, Observed::Pages),
        Field::Reference(name) => on.graph.refs[p.0]
            .get(name)
            .map_or(Observed::Nothing, Observed::Pages),
        Field::Declared(name) => match page.fields.get(name) {
            None => Observed::Nothing,
            Some(FieldValue::Ref(_) | FieldValue::Refs(_)) => Observed::Nothing,
            Some(FieldValue::Str(s)) => Observed::Text(s),
            Some(FieldValue::List(items)) => Observed::Texts(items),
            Some(FieldValue::Date(d)) => Observed::Date(*d),
            Some(FieldValue::DateRange { start, end }) => Observed::Range(*start, *end),
            Some(FieldValue::Integer(n)) => Observed::Number(*n),
            Some(FieldValue::Bool(b)) => Observed::Bool(*b),
        },
    }
}

/// The order of two values of one field; pages without it come last.
fn compare(on: &Run<'_>, a: &Observed<'_>, b: &Observed<'_>) -> Ordering {
    let title = |ids: &[PageId]| {
        ids.first()
            .map(|id| on.site.page(*id).meta.title.to_lowercase())
    };
    match (a, b) {
        (Observed::Nothing, Observed::Nothing) => Ordering::Equal,
        (Observed::Nothing, _) => Ordering::Greater,
        (_, Observed::Nothing) => Ordering::Less,
        (Observed::Text(x), Observed::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Observed::Date(x) | Observed::Range(x, _), Observed::Date(y) | Observed::Range(y, _)) => {
            x.cmp(y)
        }
        (Observed::Number(x), Observed::Number(y)) => x.cmp(y),
        (Observed::Bool(x), Observed::Bool(y)) => x.cmp(y),
        (Observed::Pages(x), Observed::Pages(y)) => title(x).cmp(&title(y)),
        (Observed::Texts(x), Observed::Texts(y)) => x.len().cmp(&y.len()),
        _ => Ordering::Equal,
    }
}
