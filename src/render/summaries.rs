//! The short form of every page (title, URL, kind, date, summary): made once per build
//! and shared by every listing, relation and backlink that shows the page; the summaries
//! made from bodies taken from the build cache where it holds them.

use rayon::prelude::*;
use tera::Value;

use super::bodies::LinkTargets;
use super::reads::{Read, Reads, Recorder};
use super::values::{escape_html, kind_label_in, object};
use crate::config::SiteConfig;
use crate::incremental::fingerprint::SiteFingerprints;
use crate::incremental::kept::KeptLog;
use crate::model::{FieldValue, PageId, Role, Site};

/// The short form of a page: the template value listings, relations and backlinks
/// share, and what later stages (feeds, search) read of it, typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageSummary {
    /// `{title, url, path, text_lang, kind, kind_label, date, updated, dates, summary,
    /// draft, is_section, count}` (`count`: a section's pages).
    pub value: Value,
    /// What making it read: the page's text, and what its summary's links and calls show.
    pub reads: Reads,
}

impl PageSummary {
    /// The summary as HTML: `summary:` escaped, or the body up to its first paragraph
    /// (or `<!-- more -->`), links filled in. Held once, in the template value.
    pub(crate) fn html(&self) -> &str {
        self.value
            .get_from_path("summary")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// Summaries' HTML kept from the last build in the build cache, found by what each is
/// made of ([`LinkTargets::summary_key`]), with what making it read.
#[derive(Clone, Copy)]
pub(crate) struct KeptSummaries<'a> {
    /// Where they are kept.
    pub log: &'a KeptLog,
    /// This build's fingerprints, but the short forms' (which these make).
    pub fingerprints: &'a SiteFingerprints,
}

/// The short form of every page (title, URL, kind, date, summary), built once; the
/// summaries' HTML from `kept` where it holds them.
pub(crate) fn summaries(
    config: &SiteConfig,
    site: &Site,
    links: &LinkTargets<'_>,
    kept: Option<KeptSummaries<'_>>,
) -> Vec<PageSummary> {
    (0..site.pages.len())
        .into_par_iter()
        .map(|i| summary(config, site, links, PageId(i), kept))
        .collect()
}

/// Page `id`'s summary made from its body, as other pages show it (relative URLs made
/// to work from there); from `kept` when it holds one made of the same. What making it
/// read goes to `recorder`.
fn body_summary(
    links: &LinkTargets<'_>,
    id: PageId,
    recorder: &Recorder,
    kept: Option<KeptSummaries<'_>>,
) -> String {
    let make = |recorder: &Recorder| {
        crate::markdown::shown_elsewhere(&links.summary_html(id, recorder), links.url(id))
    };
    let Some((kept, key)) =
        kept.and_then(|kept| Some((kept, links.summary_key(id, kept.fingerprints)?)))
    else {
        return make(recorder);
    };
    let found = kept.log.find(key, |bytes| {
        postcard::from_bytes::<(String, Reads)>(bytes).ok()
    });
    let (html, reads) = found.unwrap_or_else(|| {
        let own = Recorder::default();
        let html = make(&own);
        let made = (html, own.finish());
        if let Ok(bytes) = postcard::to_stdvec(&made) {
            kept.log.add(key, bytes);
        }
        made
    });
    recorder.read_all(&reads);
    html
}

/// The short form of page `id`: what listings, relations and backlinks show of it.
pub(crate) fn summary(
    config: &SiteConfig,
    site: &Site,
    links: &LinkTargets<'_>,
    id: PageId,
    kept: Option<KeptSummaries<'_>>,
) -> PageSummary {
    let page = site.page(id);
    let recorder = Recorder::default();
    recorder.read(Read::Text(id));
    let summary = match page
        .meta
        .summary
        .as_ref()
        .or(page.meta.description.as_ref())
    {
        Some(s) => format!("<p>{}</p>", escape_html(s)),
        // Shown on other pages and in feeds: relative URLs must work from there too.
        None => body_summary(links, id, &recorder, kept),
    };
    let date_range = page.fields.values().find_map(|v| match v {
        FieldValue::DateRange { start, end } => Some(object([
            ("start", start.to_string().into()),
            ("end", end.to_string().into()),
        ])),
        _ => None,
    });
    let value = object([
        ("title", page.meta.title.as_str().into()),
        ("url", links.url(id).into()),
        ("path", page.path.as_str().into()),
        // The language of its title and summary, which a page in another language marks.
        ("text_lang", config.language_code(page.text_lang()).into()),
        ("kind", page.kind.as_deref().into()),
        (
            "kind_label",
            page.kind
                .as_deref()
                .map(|k| kind_label_in(config, page.lang.as_deref(), k))
                .into(),
        ),
        ("date", page.meta.date.map(|d| d.to_string()).into()),
        ("updated", page.last_change().map(|d| d.to_string()).into()),
        ("dates", date_range.unwrap_or_else(Value::none)),
        ("summary", Value::safe_string(&summary)),
        ("draft", page.meta.draft.into()),
        ("is_section", (page.role == Role::Section).into()),
        (
            "count",
            site.section_pages.get(&id).map_or(0, Vec::len).into(),
        ),
    ]);
    PageSummary {
        value,
        reads: recorder.finish(),
    }
}
