//! `query()` for templates: the typed queries pages write in ```` ```query ```` blocks,
//! with the same keys, checks and result, e.g.
//! `{% set q = query(kind="drill", where={"participants": "this"}, sort="-dates") %}`.
//!
//! Tera's functions outlive a render (`'static`), so the function shares the pages and
//! relations through `Arc`s; `serve` takes them back (see [`withdraw`]) before it
//! changes a page in place.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::Urls;
use super::queries::SiteView;
use super::reads::{Read, Reads, Recorder};
use crate::config::SiteConfig;
use crate::links::LinkGraph;
use crate::model::{PageId, Site};
use crate::query::PageIndex;

/// The function's name in templates.
pub(crate) const NAME: &str = "query";

/// What the templates' queries read, for every build of one `serve` session or one
/// build: a query run from a template counts as read by every output.
#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateQueryReads(Arc<Mutex<BTreeSet<Read>>>);

impl TemplateQueryReads {
    /// What they read so far.
    pub(crate) fn reads(&self) -> Reads {
        let recorder = Recorder::default();
        for read in self.lock().iter() {
            recorder.read(read.clone());
        }
        recorder.finish()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<Read>> {
        // A panic while holding the lock leaves a set that is still whole.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Registers a `query()` that only says it runs once the site is loaded: templates are
/// checked for unknown functions when added, before there are pages to query.
pub(crate) fn register_placeholder(tera: &mut Tera) {
    tera.register_function(NAME, |_: Kwargs, _: &State| -> TeraResult<Value> {
        Err(tera::Error::message(
            "query() runs only while the site renders",
        ))
    });
}

/// Lets go of the pages and relations the function shares, so that they can change.
pub(crate) fn withdraw(tera: &mut Tera) {
    register_placeholder(tera);
}

/// Registers `query()` over `site` and `graph`.
pub(crate) fn register(
    tera: &mut Tera,
    config: &SiteConfig,
    (site, graph): (&Arc<Site>, &Arc<LinkGraph>),
    reads: &TemplateQueryReads,
) {
    let world = QueryWorld {
        config: config.clone(),
        site: Arc::clone(site),
        graph: Arc::clone(graph),
        urls: Urls::new(&config.base_url),
        page_urls: OnceLock::new(),
        index: OnceLock::new(),
        reads: reads.clone(),
    };
    tera.register_function(NAME, move |kwargs: Kwargs, state: &State| {
        world.call(&kwargs, state)
    });
}

/// What the function reads from: the site as it was when registered.
struct QueryWorld {
    config: SiteConfig,
    site: Arc<Site>,
    graph: Arc<LinkGraph>,
    urls: Urls,
    page_urls: OnceLock<Vec<String>>,
    index: OnceLock<PageIndex>,
    reads: TemplateQueryReads,
}

impl QueryWorld {
    /// Runs the query its arguments spell, on the page being rendered (`this`).
    fn call(&self, kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
        let spec: serde_json::Value = kwargs.deserialize()?;
        // A query's keys are YAML; JSON is YAML.
        let text = serde_json::to_string(&spec).map_err(tera::Error::message)?;
        let this = state
            .get::<Value>("page")?
            .and_then(|p| {
                p.as_map()?
                    .get(&"path".into())?
                    .as_str()
                    .map(str::to_string)
            })
            .and_then(|path| self.site.by_path.get(&path).copied());
        let kind = this.and_then(|id| self.site.page(id).kind.as_deref());
        let query = crate::query::parse(&text, &self.config, kind).map_err(|errors| {
            let messages: Vec<String> = errors
                .iter()
                .map(|e| format!("{} ({})", e.message, e.hint))
                .collect();
            tera::Error::message(format!("query(): {}", messages.join("; ")))
        })?;
        let view = SiteView {
            site: &self.site,
            graph: &self.graph,
            page_urls: self.page_urls.get_or_init(|| {
                self.site
                    .pages
                    .iter()
                    .map(|p| self.urls.path(&p.path))
                    .collect()
            }),
            index: self.index.get_or_init(|| PageIndex::new(&self.site)),
        };
        let recorder = Recorder::default();
        // Without a page of a kind, `parse` refuses `this`: the page given here is never read.
        let this = this.unwrap_or(PageId(0));
        let (value, _) = super::queries::query_value(&self.config, &view, &query, this, &recorder)
            .map_err(|message| tera::Error::message(format!("query(): {message}")))?;
        let mut reads = self.reads.lock();
        for read in recorder.finish().iter() {
            reads.insert(read.clone());
        }
        Ok(value)
    }
}
