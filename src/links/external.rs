//! `muster check --external`: every `http(s)://` link of the site requested once
//! (HEAD, then GET where HEAD is refused), hosts in parallel, each host at most one
//! request per interval, each request with a timeout. Failures point at the file,
//! line and column of every place the link is written.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::{FieldType, SiteConfig};
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::is_web_url;
use crate::model::{FieldValue, PageId, Site};

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Longest wait for one response.
    pub timeout: Duration,
    /// Least time between two requests to the same host.
    pub per_host_interval: Duration,
    /// Hosts checked at once.
    pub workers: usize,
}

impl Default for ExternalOptions {
    fn default() -> ExternalOptions {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            per_host_interval: Duration::from_millis(250),
            workers: 8,
        }
    }
}

/// What the check found.
#[derive(Debug, Default)]
pub(crate) struct ExternalReport {
    /// Distinct URLs requested.
    pub checked: usize,
    /// One diagnostic per place a failing URL is written.
    pub failures: Vec<Diagnostic>,
}

/// Where a URL is written: at a byte of a page's body, or in a front matter field.
enum Place {
    Body(PageId, usize),
    Field(PageId, String),
}

/// Checks every external link of `site` (whose files are below `root`).
pub(crate) fn check(
    root: &Path,
    config: &SiteConfig,
    site: &Site,
    options: &ExternalOptions,
) -> ExternalReport {
    let places = collect(config, site);
    let results = request_all(places.keys().map(String::as_str), options);
    let mut failures = Vec::new();
    // Each page's text is read again only if one of its links failed: the build
    // keeps no page bodies, and failures are few.
    let mut texts: HashMap<PageId, Option<String>> = HashMap::new();
    for (url, wheres) in &places {
        let Some(Err(why)) = results.get(url) else {
            continue;
        };
        let message = format!("external link failed: {url}: {why}");
        for place in wheres {
            let d = match place {
                Place::Field(id, field) => site.page(*id).diagnostic_at_value(
                    ErrorKind::External,
                    message.clone(),
                    field,
                    Some(url),
                ),
                Place::Body(id, offset) => {
                    let page = site.page(*id);
                    let text = texts.entry(*id).or_insert_with(|| {
                        let file = page.file.as_ref()?;
                        std::fs::read_to_string(root.join(file)).ok()
                    });
                    let d = Diagnostic::new(ErrorKind::External, message.clone());
                    match (text, &page.file) {
                        (Some(text), Some(file)) => {
                            d.at_offset(file, text, page.body_offset + offset)
                        }
                        _ => d,
                    }
                }
            };
            failures.push(
                d.hint("check the address in a browser; if the page moved, link its new address"),
            );
        }
    }
    ExternalReport {
        checked: results.len(),
        failures,
    }
}

/// Every external URL of the site with the places it is written, in a stable order.
fn collect(config: &SiteConfig, site: &Site) -> BTreeMap<String, Vec<Place>> {
    let mut places: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (id, page) in site.iter() {
        for (url, offset) in &page.body.external {
            places
                .entry(url.clone())
                .or_default()
                .push(Place::Body(id, *offset));
        }
        let Some(kind) = page.kind.as_ref().and_then(|k| config.kinds.get(k)) else {
            continue;
        };
        for (name, def) in &kind.fields {
            if def.ty == FieldType::Url
                && let Some(FieldValue::Str(url)) = page.fields.get(name)
                && is_web_url(url)
            {
                places
                    .entry(url.clone())
                    .or_default()
                    .push(Place::Field(id, name.clone()));
            }
        }
    }
    places
}

/// The host part of a URL, which rate limits are counted by.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// Requests each URL once; hosts in parallel, one host's URLs one after another.
fn request_all<'a>(
    urls: impl Iterator<Item = &'a str>,
    options: &ExternalOptions,
) -> HashMap<String, Result<(), String>> {
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host(url)).or_default().push(url);
    }
    let queue: Mutex<VecDeque<Vec<&str>>> = Mutex::new(by_host.into_values().collect());
    let results = Mutex::new(HashMap::new());
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "muster/",
            env!("CARGO_PKG_VERSION"),
            " link checker"
        ))
        .build()
        .new_agent();
    std::thread::scope(|scope| {
        for _ in 0..options.workers.max(1) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.pop_front()).ok().flatten();
                    let Some(host_urls) = next else {
                        break;
                    };
                    let mut last: Option<Instant> = None;
                    for url in host_urls {
                        if let Some(at) = last {
                            // Be polite: space requests to one host.
                            let wait = options.per_host_interval.saturating_sub(at.elapsed());
                            std::thread::sleep(wait);
                        }
                        last = Some(Instant::now());
                        let outcome = request(&agent, url);
                        if let Ok(mut r) = results.lock() {
                            r.insert(url.to_string(), outcome);
                        }
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// HEAD, then GET when the server does not answer HEAD properly.
fn request(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = match agent.head(url).call() {
        Ok(r) => r.status().as_u16(),
        Err(e) => return Err(describe(&e)),
    };
    let status = if matches!(status, 403 | 404 | 405 | 501) {
        // Some servers refuse or mishandle HEAD; GET decides.
        match agent.get(url).call() {
            Ok(r) => r.status().as_u16(),
            Err(e) => return Err(describe(&e)),
        }
    } else {
        status
    };
    if status < 400 {
        Ok(())
    } else {
        let reason = ureq::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        Err(format!("HTTP {status} {reason}").trim_end().to_string())
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "no answer in time".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(host("https://a.example/x?y"), "a.example");
        assert_eq!(host("http://127.0.0.1:8080/p"), "127.0.0.1:8080");
        assert_eq!(host("https://h.example"), "h.example");
        assert_eq!(host("https://h.example#top"), "h.example");
    }
}
