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

/// The `n` regular pages of language `lang` that changed last, newest first (to the
/// second where times are known; ties by title).
pub(crate) fn newest(site: &Site, lang: Option<&str>, n: usize) -> Vec<PageId> {
    let mut changed = site.by_last_change();
    // An untranslated copy changed when its original did, which is news in that language.
    changed.retain(|(id, _)| site.page(*id).written_in(lang));
    changed.truncate(n);
    changed.into_iter().map(|(id, _)| id).collect()
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
