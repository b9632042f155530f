//! The timeline: every dated page in order, grouped by year.

use jiff::civil::Date;
use tera::Value;

use super::values::{PageValues, object};
use crate::model::{FieldValue, PageId, Role, Site};

/// One dated page: when it starts and, for a range, ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dated {
    /// The page.
    pub page: PageId,
    /// Its date, or the start of its date range.
    pub start: Date,
    /// The end of its date range.
    pub end: Option<Date>,
}

/// Every regular page of language `lang` (`None`: the default) with a date, oldest
/// first (ties by title): each language has its own timeline, so no event shows twice.
pub(crate) fn dated_pages(site: &Site, lang: Option<&str>) -> Vec<Dated> {
    let mut dated: Vec<Dated> = site
        .iter()
        .filter(|(_, p)| p.role == Role::Page && p.lang.as_deref() == lang)
        .filter_map(|(id, p)| {
            // A date range field gives both ends; otherwise the page's date.
            let range = p.fields.values().find_map(|v| match v {
                FieldValue::DateRange { start, end } => Some((*start, Some(*end))),
                _ => None,
            });
            let (start, end) = range.or_else(|| p.meta.date.map(|d| (d.day, None)))?;
            Some(Dated {
                page: id,
                start,
                end,
            })
        })
        .collect();
    dated.sort_by(|a, b| {
        a.start.cmp(&b.start).then_with(|| {
            site.page(a.page)
                .meta
                .title
                .cmp(&site.page(b.page).meta.title)
        })
    });
    dated
}

/// How many pages `site.recent` lists.
pub(crate) const RECENT: usize = 20;

/// Per language with pages (`None`: the default), its `n` regular pages that changed
/// last, newest first (to the second where times are known; ties by title): one sort
/// for every language. Untranslated copies changed when their originals did, which is
/// news in the originals' language.
pub(crate) fn newest_per_language(
    site: &Site,
    n: usize,
) -> std::collections::HashMap<Option<&str>, Vec<PageId>> {
    let mut newest: std::collections::HashMap<Option<&str>, Vec<PageId>> =
        std::collections::HashMap::new();
    for (id, _) in site.by_last_change() {
        let page = site.page(id);
        if page.untranslated {
            continue;
        }
        let list = newest.entry(page.lang.as_deref()).or_default();
        if list.len() < n {
            list.push(id);
        }
    }
    newest
}

/// The `n` regular pages of language `lang` that changed last (see
/// [`newest_per_language`]).
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn newest(site: &Site, lang: Option<&str>, n: usize) -> Vec<PageId> {
    newest_per_language(site, n)
        .remove(&lang)
        .unwrap_or_default()
}

/// The pages of language `lang` of kinds that have a date field but give it no value,
/// for the timeline to list apart rather than leave out.
pub(crate) fn undated_value(
    config: &crate::config::SiteConfig,
    (site, lang): (&Site, Option<&str>),
    values: &PageValues<'_>,
    recorder: &super::reads::Recorder,
) -> Value {
    let dated_kind = |kind: &str| {
        config.kinds.get(kind).is_some_and(|k| {
            k.fields.values().any(|f| {
                matches!(
                    f.ty,
                    crate::config::FieldType::Date | crate::config::FieldType::DateRange
                )
            })
        })
    };
    let undated: Vec<Value> = site
        .iter()
        .filter(|(_, p)| p.role == Role::Page && p.meta.date.is_none() && p.lang.as_deref() == lang)
        .filter(|(_, p)| p.kind.as_deref().is_some_and(dated_kind))
        .map(|(id, _)| values.short_form(id, recorder))
        .collect();
    undated.into()
}

/// `[{year, entries: [{page, start, end}]}]`, oldest year first.
pub(crate) fn timeline_value(
    (site, lang): (&Site, Option<&str>),
    values: &PageValues<'_>,
    recorder: &super::reads::Recorder,
) -> Value {
    let mut years: Vec<(i16, Vec<Value>)> = Vec::new();
    for d in dated_pages(site, lang) {
        let entry = object([
            ("page", values.short_form(d.page, recorder)),
            ("start", d.start.to_string().into()),
            ("end", d.end.map(|e| e.to_string()).into()),
        ]);
        match years.last_mut() {
            Some((year, entries)) if *year == d.start.year() => entries.push(entry),
            _ => years.push((d.start.year(), vec![entry])),
        }
    }
    Value::from(
        years
            .into_iter()
            .map(|(year, entries)| object([("year", year.into()), ("entries", entries.into())]))
            .collect::<Vec<_>>(),
    )
}
