//! The short form of every page (title, URL, kind, date, summary): made once per build
//! and shared by every listing, relation and backlink that shows the page; the summaries
//! made from bodies taken from the build cache where it holds them.

use rayon::prelude::*;
use tera::Value;

use super::bodies::LinkTargets;
use super::labels::kind_label_in;
use super::reads::{Read, Reads, Recorder};
use super::values::{escape_html, object};
use crate::config::SiteConfig;
use crate::incremental::fingerprint::SiteFingerprints;
use crate::incremental::kept::KeptLog;
use crate::model::{FieldValue, PageId, Role, Site};

/// The short form of a page: the template value listings, relations and backlinks
/// share, and what later stages (feeds, search) read of it, typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageSummary {
    /// `{title, url, path, text_lang, kind, kind_label, date, updated, dates, summary,
    /// draft, is_section, count}` (`count`: a section's pages); none once every output
    /// is rendered (see [`super::PageValues::drop_template_values`]).
    pub value: Value,
    /// The summary as HTML: the same string as the value's `summary`, shared.
    summary_html: Value,
    /// What making it read: the page's text, and what its summary's links and calls show.
    pub reads: Reads,
    /// A hash of the value, made with it where a build fingerprints its pages and keeps
    /// their summaries (see [`crate::incremental::fingerprint::of_pairs`]).
    pub fingerprint: Option<u128>,
}

impl PageSummary {
    /// The summary as HTML: `summary:` escaped, or the body up to its first paragraph
    /// (or `<!-- more -->`), links filled in. Held once, shared with the template value.
    pub(crate) fn html(&self) -> &str {
        self.summary_html.as_str().unwrap_or_default()
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
///
/// Every summary's HTML is made before any template value: the values, which a build lets
/// go of before the data files while the summaries stay, then lie in memory apart from the
/// summaries (both are about a kilobyte), so that letting go of them frees whole pages of
/// memory rather than leaving holes between the summaries.
pub(crate) fn summaries(
    config: &SiteConfig,
    site: &Site,
    links: &LinkTargets<'_>,
    kept: Option<KeptSummaries<'_>>,
    fingerprinted: bool,
) -> Vec<PageSummary> {
    let htmls: Vec<(Value, Reads)> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| summary_html(site, links, PageId(i), kept))
        .collect();
    htmls
        .into_par_iter()
        .enumerate()
        .map(|(i, html)| short_form(config, site, links, PageId(i), html, fingerprinted))
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
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn summary(
    config: &SiteConfig,
    site: &Site,
    links: &LinkTargets<'_>,
    id: PageId,
    kept: Option<KeptSummaries<'_>>,
) -> PageSummary {
    let html = summary_html(site, links, id, kept);
    // Only builds fingerprint their pages; `serve` compares what outputs read instead.
    short_form(config, site, links, id, html, false)
}

/// Page `id`'s summary as HTML (see [`PageSummary::html`]), with what making it read.
fn summary_html(
    site: &Site,
    links: &LinkTargets<'_>,
    id: PageId,
    kept: Option<KeptSummaries<'_>>,
) -> (Value, Reads) {
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
    (Value::safe_string(&summary), recorder.finish())
}

/// Page `id`'s short form around its summary's HTML `summary_html`, made with `reads`;
/// with its fingerprint if `fingerprinted`.
fn short_form(
    config: &SiteConfig,
    site: &Site,
    links: &LinkTargets<'_>,
    id: PageId,
    (summary_html, reads): (Value, Reads),
    fingerprinted: bool,
) -> PageSummary {
    let page = site.page(id);
    let date_range = page.fields.values().find_map(|v| match v {
        FieldValue::DateRange { start, end } => Some(object([
            ("start", start.to_string().into()),
            ("end", end.to_string().into()),
        ])),
        _ => None,
    });
    let pairs = [
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
        ("summary", summary_html.clone()),
        ("draft", page.meta.draft.into()),
        ("is_section", (page.role == Role::Section).into()),
        (
            "count",
            site.section_pages.get(&id).map_or(0, Vec::len).into(),
        ),
    ];
    // Hashed from the pairs, in their order: the map has none, and sorting its keys for
    // every page cost more than making it. Only where it is used: 5,000 instructions a page.
    let fingerprint = fingerprinted.then(|| crate::incremental::fingerprint::of_pairs(&pairs));
    PageSummary {
        value: object(pairs),
        summary_html,
        reads,
        fingerprint,
    }
}
