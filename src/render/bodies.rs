//! Page bodies as HTML: the link slots of each parsed body filled with the
//! URLs and titles of their resolved targets, page by page when rendered.

use std::cell::Cell;
use std::sync::OnceLock;

use crate::links::embeds::{MAX_EMBED_DEPTH, MAX_EMBEDDED_PARTS};
use crate::links::{BodyTarget, LinkGraph};
use crate::markdown::LinkTarget;
use crate::model::{PageId, Site};

use super::Urls;
use super::calls::{CallTemplates, PageArg, RenderedCalls, linked_page};
use super::reads::{Read, Recorder};
use crate::error::Diagnostic;
use crate::incremental::fingerprint::SiteFingerprints;
use crate::markdown::CallOutput;

/// Where every page's internal links go, with target URLs made once per build.
pub(crate) struct LinkTargets<'a> {
    site: &'a Site,
    /// The code of the site's default language, for links from a translation to a page
    /// not translated.
    default_language: &'a str,
    graph: &'a LinkGraph,
    page_urls: Vec<String>,
    urls: Urls,
    /// The shortcode templates, if calls are rendered.
    calls: Option<CallTemplates<'a>>,
    /// Per page: its calls rendered, the first time its body is filled.
    rendered: Vec<OnceLock<RenderedCalls>>,
    /// Pages by kind and name, for queries, made on first use.
    index: OnceLock<crate::query::PageIndex>,
}

impl<'a> LinkTargets<'a> {
    /// The site as queries and tables read it.
    pub(crate) fn view(&self) -> super::queries::SiteView<'_> {
        super::queries::SiteView {
            site: self.site,
            graph: self.graph,
            page_urls: &self.page_urls,
            index: self
                .index
                .get_or_init(|| crate::query::PageIndex::new(self.site)),
        }
    }

    /// Makes the URL of every page once; shortcode calls are rendered with `calls`.
    pub(crate) fn new(
        (site, default_language): (&'a Site, &'a str),
        graph: &'a LinkGraph,
        urls: &Urls,
        calls: Option<CallTemplates<'a>>,
    ) -> LinkTargets<'a> {
        let page_urls = site.pages.iter().map(|p| urls.path(&p.path)).collect();
        LinkTargets {
            site,
            default_language,
            graph,
            page_urls,
            urls: urls.clone(),
            calls,
            rendered: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            index: OnceLock::new(),
        }
    }

    /// The outputs of page `id`'s shortcode calls, rendered on first use; what they
    /// read goes to `recorder`.
    fn call_outputs(&self, id: PageId, recorder: &Recorder) -> &[CallOutput] {
        match self.rendered_calls(id) {
            Some(r) => {
                recorder.read_all(&r.reads);
                r.outputs.as_slice()
            }
            None => &[],
        }
    }

    fn rendered_calls(&self, id: PageId) -> Option<&RenderedCalls> {
        let page = self.site.page(id);
        if page.body.calls.is_empty() {
            return None;
        }
        let calls = self.calls.as_ref()?;
        Some(self.rendered[id.0].get_or_init(|| {
            let view = self.view();
            let recorder = Recorder::default();
            let page_arg = |link| self.page_arg(id, link, &recorder);
            let mut rendered = calls.render((id, page), &view, page_arg, &recorder);
            rendered.reads = recorder.finish();
            rendered
        }))
    }

    /// The page that internal link `link` of page `id` goes to, with the URL.
    fn page_arg(&self, id: PageId, link: usize, recorder: &Recorder) -> PageArg<'a> {
        let target = self.graph.body_targets[id.0].get(link)?.as_ref();
        let (to, anchor) = linked_page(target)?;
        recorder.read(Read::Facts(to));
        let written = self.site.page(id).body.internal_links.get(link)?;
        let url = &self.page_urls[to.0];
        let url = match anchor.or(written.anchor.as_deref()) {
            Some(a) => format!("{url}#{a}"),
            None => url.clone(),
        };
        Some((self.site.page(to), url))
    }

    /// What page `id`'s queries found: (call number, pages in order).
    pub(crate) fn query_results(&self, id: PageId) -> &[(usize, Vec<PageId>)] {
        self.rendered_calls(id)
            .map_or(&[][..], |r| r.found.as_slice())
    }

    /// The errors of page `id`'s shortcode templates.
    pub(crate) fn call_errors_of(&self, id: PageId) -> Vec<Diagnostic> {
        self.rendered_calls(id)
            .map(|r| r.errors.clone())
            .unwrap_or_default()
    }

    /// The URL of page `id`.
    pub(crate) fn url(&self, id: PageId) -> &str {
        &self.page_urls[id.0]
    }

    /// Where the `link`th internal link of page `id` goes, if it resolved, `depth` embeds
    /// deep: an embed of a page carries the part it shows, up to [`MAX_EMBED_DEPTH`] and
    /// while `budget` (the parts the page may still embed, nested ones included) lasts;
    /// past them, and on a cycle (which the links stage reports), it is a link.
    fn target_within(
        &self,
        id: PageId,
        link: usize,
        depth: usize,
        budget: &Cell<usize>,
        recorder: &Recorder,
    ) -> Option<LinkTarget<'a>> {
        let written = &self.site.page(id).body.internal_links[link];
        let (to, anchor_id) = match self.graph.body_targets[id.0].get(link)?.as_ref()? {
            BodyTarget::Page { page, anchor_id } => (*page, anchor_id),
            BodyTarget::File(path) => {
                return Some(LinkTarget {
                    url: self.urls.file(path),
                    title: &written.target,
                    file: true,
                    embedded: None,
                    hreflang: None,
                });
            }
        };
        let anchor = anchor_id.as_deref().or(written.anchor.as_deref());
        let target = self.site.page(to);
        recorder.read(Read::Facts(to));
        // A bare `[[#heading]]` on its own page reads as the heading, not the page.
        let heading_title = match anchor {
            Some(a) if to == id => target
                .body
                .headings
                .iter()
                .find(|h| *h.id == *a)
                .map(|h| &*h.title),
            _ => None,
        };
        let url = &self.page_urls[to.0];
        let embeds = written.embed.is_some() && depth < MAX_EMBED_DEPTH && budget.get() > 0;
        let embedded = embeds.then(|| {
            budget.set(budget.get() - 1);
            self.embedded(to, anchor, depth + 1, budget, recorder)
        });
        Some(LinkTarget {
            url: match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            },
            title: heading_title.unwrap_or(&target.meta.title),
            file: false,
            embedded,
            // A translation's link to a page it has no translation of goes to the original
            // (or to its untranslated copy): a text in another language, marked.
            hreflang: (target.text_lang() != self.site.page(id).text_lang())
                .then(|| target.text_lang().unwrap_or(self.default_language)),
        })
    }

    /// The part of page `to` that an embed with `anchor` shows, its own embeds filled
    /// `depth` deep.
    fn embedded(
        &self,
        to: PageId,
        anchor: Option<&str>,
        depth: usize,
        budget: &Cell<usize>,
        recorder: &Recorder,
    ) -> String {
        recorder.read(Read::Text(to));
        let body = self.site.page(to).body.html_with(
            |link| self.target_within(to, link, depth, budget, recorder),
            self.call_outputs(to, recorder),
            &|kind| self.callout_word(to, kind),
        );
        let part = crate::markdown::embedded_part(&body, anchor);
        crate::markdown::shown_elsewhere(&part, &self.page_urls[to.0])
    }

    /// The theme's word for callout type `kind` (`callout_warning`) in the language of
    /// page `id`'s text, if the theme has one; the type itself shows otherwise.
    fn callout_word(&self, id: PageId, kind: &str) -> Option<String> {
        let calls = self.calls.as_ref()?;
        let code = calls.config.language_code(self.site.page(id).text_lang());
        let key = format!("callout_{kind}");
        calls.templates.strings.say(code, &key, &[])
    }

    /// The body of page `id` as HTML; what it read goes to `recorder`.
    pub(crate) fn body_html(&self, id: PageId, recorder: &Recorder) -> String {
        recorder.read(Read::Text(id));
        let budget = Cell::new(MAX_EMBEDDED_PARTS);
        self.site.page(id).body.html_with(
            |link| self.target_within(id, link, 0, &budget, recorder),
            self.call_outputs(id, recorder),
            &|kind| self.callout_word(id, kind),
        )
    }

    /// The body of page `id` as the search index reads it: without what its queries
    /// list, which is other pages' titles and facts, indexed on those pages already.
    pub(crate) fn searchable_body_html(&self, id: PageId) -> String {
        // The search index is written whole: what it read is not kept.
        let recorder = Recorder::default();
        let Some(rendered) = self.rendered_calls(id).filter(|r| !r.found.is_empty()) else {
            return self.body_html(id, &recorder);
        };
        let mut outputs = rendered.outputs.clone();
        for (call, _) in &rendered.found {
            outputs[*call] = CallOutput::default();
        }
        let budget = Cell::new(MAX_EMBEDDED_PARTS);
        self.site.page(id).body.html_with(
            |link| self.target_within(id, link, 0, &budget, &recorder),
            &outputs,
            &|kind| self.callout_word(id, kind),
        )
    }

    /// A hash of everything [`LinkTargets::searchable_body_html`] makes page `id`'s
    /// HTML of, without making it: the site's setup (settings, templates and words,
    /// every place and anchor), the page's own text, where each of its links goes and
    /// the facts of the pages there (title, URL), and its shortcodes' output but its
    /// queries'. `None` for a page that embeds another, whose HTML holds that page's
    /// text too.
    pub(crate) fn searchable_body_key(
        &self,
        id: PageId,
        fingerprints: &SiteFingerprints,
    ) -> Option<u128> {
        self.made_of(id, fingerprints, false)
    }

    /// The same for [`LinkTargets::summary_html`], whose shortcodes' output includes
    /// what its queries list.
    pub(crate) fn summary_key(&self, id: PageId, fingerprints: &SiteFingerprints) -> Option<u128> {
        self.made_of(id, fingerprints, true)
    }

    /// See [`LinkTargets::searchable_body_key`]; `queries`: with what queries list.
    fn made_of(&self, id: PageId, fingerprints: &SiteFingerprints, queries: bool) -> Option<u128> {
        use std::hash::Hash;
        let targets = &self.graph.body_targets[id.0];
        let written = &self.site.page(id).body.internal_links;
        let embeds = written.iter().zip(targets).any(|(link, target)| {
            link.embed.is_some() && matches!(target, Some(BodyTarget::Page { .. }))
        });
        if embeds {
            return None;
        }
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        // The summary's key and the searchable body's never meet.
        hash.update(&[u8::from(queries)]);
        for number in [
            fingerprints.setup,
            fingerprints.pages[id.0].text,
            id.0 as u128,
        ] {
            hash.update(&number.to_le_bytes());
        }
        targets.hash(&mut hash);
        for target in targets.iter().flatten() {
            if let BodyTarget::Page { page, .. } = target {
                fingerprints.pages[page.0].facts.hash(&mut hash);
            }
        }
        if let Some(rendered) = self.rendered_calls(id) {
            for (n, output) in rendered.outputs.iter().enumerate() {
                match !queries && rendered.found.iter().any(|(call, _)| *call == n) {
                    true => None,
                    false => Some((&output.before, &output.after, output.shows_body)),
                }
                .hash(&mut hash);
            }
        }
        Some(hash.digest128())
    }

    /// The summary of page `id` as HTML; what it read goes to `recorder`.
    pub(crate) fn summary_html(&self, id: PageId, recorder: &Recorder) -> String {
        recorder.read(Read::Text(id));
        // One budget for the whole summary, as for the body: not one per link.
        let budget = Cell::new(MAX_EMBEDDED_PARTS);
        self.site.page(id).body.summary_html_with(
            |link| self.target_within(id, link, 0, &budget, recorder),
            self.call_outputs(id, recorder),
            &|kind| self.callout_word(id, kind),
        )
    }
}
