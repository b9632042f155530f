//! The preview server: files from memory, a live-reload event stream, and the
//! script that listens to it, injected into HTML responses.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use tokio::sync::{broadcast, watch};
use tokio_stream::{Stream, StreamExt, wrappers::BroadcastStream};
use tower_http::set_header::SetResponseHeaderLayer;

use super::hosts::{AllowedHosts, check_host};

/// Where the event stream and the script are served; no site path starts with `__muster`
/// because content folders starting with `_` are not published that way.
pub(crate) const EVENTS_PATH: &str = "/__muster/events";
/// The live-reload script's URL.
pub(crate) const SCRIPT_PATH: &str = "/__muster/live.js";
/// Where the overlay asks to open a file in the writer's editor (POST).
pub(crate) const OPEN_PATH: &str = "/__muster/open";

const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the server shows, shared with the thread that rebuilds.
pub(crate) struct ServedSite {
    /// Output files by path relative to the site root (`drills/x/index.html`).
    pub files: RwLock<HashMap<String, Bytes>>,
    /// The current errors as a JSON array, sent to every new listener.
    pub errors_json: RwLock<String>,
    /// Live-reload messages (JSON) for every listener.
    pub events: broadcast::Sender<String>,
    /// Differs on every server start, so pages reload after a restart.
    pub instance: String,
    /// What the overlay sends to open a file in the editor: random, and given only in
    /// the event stream, which pages of other origins cannot read.
    pub open_token: String,
    /// False until the first search index, feeds and data files are served: until then a
    /// request for a missing file waits for them instead of getting a 404.
    pub data_ready: watch::Sender<bool>,
    /// The pages browsers show now or asked for, rendered first.
    pub open_pages: Arc<super::open_pages::OpenPages>,
    /// True once every page of the first build is shown; until then a request for a page
    /// not shown yet waits for it, woken as each part is shown.
    pub pages_shown: watch::Sender<bool>,
}

/// What live.js says of the page it runs on.
#[derive(serde::Deserialize)]
struct Listener {
    /// The page's URL path, as the browser has it.
    page: Option<String>,
}

impl ServedSite {
    /// An empty site with a fresh instance id.
    pub(crate) fn new() -> ServedSite {
        let (events, _) = broadcast::channel(64);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        ServedSite {
            files: RwLock::default(),
            errors_json: RwLock::new("[]".into()),
            events,
            instance: format!("{:x}-{nanos:x}", std::process::id()),
            open_token: super::editor::new_token(),
            data_ready: watch::Sender::new(false),
            open_pages: Arc::default(),
            pages_shown: watch::Sender::new(false),
        }
    }

    /// Sends `message` to every listener; nobody listening is fine.
    pub(crate) fn send(&self, message: String) {
        let _ = self.events.send(message);
    }
}

impl Default for ServedSite {
    fn default() -> ServedSite {
        ServedSite::new()
    }
}

/// Serves `router` on `listener` until `stop` completes. Each connection is closed when
/// a client takes longer than `timeout` to send a request's headers or stays idle that
/// long between requests; open event streams are dropped a second after `stop`.
pub(crate) async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    timeout: std::time::Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                };
                let service = hyper_util::service::TowerToHyperService::new(router.clone());
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = &mut stop => break,
        }
    }
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), graceful.shutdown()).await;
}

/// The router: event stream, script, the editor endpoint, then the site's files for
/// everything else; every request for another host is refused first.
pub(crate) fn router(
    site: Arc<ServedSite>,
    hosts: AllowedHosts,
    opener: Arc<super::editor::FileOpener>,
) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .route(OPEN_PATH, post(super::editor::open_file).with_state(opener))
        .fallback(file)
        .with_state(site)
        .layer(axum::middleware::from_fn_with_state(hosts, check_host))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn events(
    State(site): State<Arc<ServedSite>>,
    listener: axum::extract::Query<Listener>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // live.js names the page it runs on; it counts as open while the stream lasts.
    let page = listener.0.page.and_then(|url| site.open_pages.show(&url));
    // Subscribe before reading the state, so no update falls between the two.
    let updates = BroadcastStream::new(site.events.subscribe());
    let errors = site
        .errors_json
        .read()
        .map(|e| e.clone())
        .unwrap_or_else(|e| e.into_inner().clone());
    let hello = format!(
        r#"{{"type":"hello","instance":"{}","open_token":"{}","errors":{errors}}}"#,
        site.instance, site.open_token
    );
    let stream = tokio_stream::once(hello)
        .chain(updates.filter_map(Result::ok))
        .map(move |data| {
            let _showing = &page;
            Ok(Event::default().data(data))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SCRIPT,
    )
        .into_response()
}

async fn file(State(site): State<Arc<ServedSite>>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let Some(key) = site_path(request.uri().path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    if let Some(found) = lookup(&site, &request, &key) {
        return found;
    }
    if !*site.pages_shown.borrow() {
        // Just after start: the page may not be rendered yet. Ask for it and wait.
        let mut shown = site.pages_shown.subscribe();
        site.open_pages.want(request.uri().path());
        let deadline = tokio::time::Instant::now() + DATA_WAIT;
        loop {
            if let Some(found) = lookup(&site, &request, &key) {
                return found;
            }
            if *shown.borrow_and_update()
                || tokio::time::timeout_at(deadline, shown.changed())
                    .await
                    .map_or(true, |r| r.is_err())
            {
                break;
            }
        }
    }
    if !*site.data_ready.borrow() {
        // Just after start the pages are served before the data files are made.
        let mut ready = site.data_ready.subscribe();
        let _ = tokio::time::timeout(DATA_WAIT, ready.wait_for(|r| *r)).await;
        if let Some(found) = lookup(&site, &request, &key) {
            return found;
        }
    }
    not_found(&site)
}

/// How long a request for a missing file waits for its page, and for the first data files.
const DATA_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The file `key` asks for, or a redirect to its folder URL.
fn lookup(site: &ServedSite, request: &Request, key: &str) -> Option<Response> {
    let raw = request.uri().path();
    let files = match site.files.read() {
        Ok(f) => f,
        Err(e) => e.into_inner(),
    };
    let wants_dir = key.is_empty() || raw.ends_with('/');
    let index = if key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{key}/index.html")
    };
    if wants_dir {
        if let Some(bytes) = files.get(&index) {
            return Some(respond(
                StatusCode::OK,
                &index,
                bytes.clone(),
                request.headers(),
            ));
        }
    } else if let Some(bytes) = files.get(key) {
        return Some(respond(
            StatusCode::OK,
            key,
            bytes.clone(),
            request.headers(),
        ));
    } else if files.contains_key(&index) {
        // As static hosts do: `/drills/x` → `/drills/x/`. One leading slash only: `//x/`
        // would send the browser to the host `x`.
        let query = request
            .uri()
            .query()
            .map_or(String::new(), |q| format!("?{q}"));
        let location = format!("/{}/{query}", raw.trim_start_matches('/'));
        return Some(
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response(),
        );
    }
    None
}

/// The site's 404 page, or while the site has never built, a page for the error overlay.
fn not_found(site: &ServedSite) -> Response {
    let files = match site.files.read() {
        Ok(f) => f,
        Err(e) => e.into_inner(),
    };
    if files.is_empty() {
        // The first build failed: a page for the overlay to show the errors on.
        let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Build failed</title>\
                    </head><body><p>The site has errors; fix them and this page reloads.</p></body></html>";
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "error.html",
            Bytes::from_static(page.as_bytes()),
            &HeaderMap::new(),
        );
    }
    match files.get("404.html") {
        Some(bytes) => respond(
            StatusCode::NOT_FOUND,
            "404.html",
            bytes.clone(),
            &HeaderMap::new(),
        ),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The output path a URL path asks for, or `None` when it tries to leave the site or
/// is not valid: `..` and `.` segments, encoded slashes, backslashes and NUL are refused.
pub(crate) fn site_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let mut parts = Vec::new();
    for segment in rest.split('/') {
        let decoded = percent_decode_str(segment).decode_utf8().ok()?;
        if decoded == ".." || decoded == "." || decoded.contains(['/', '\\', '\0']) {
            return None;
        }
        if !decoded.is_empty() {
            parts.push(decoded);
        }
    }
    Some(parts.join("/"))
}

fn respond(status: StatusCode, path: &str, bytes: Bytes, request: &HeaderMap) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => {
            "text/javascript; charset=utf-8".into()
        }
        _ => mime.essence_str().to_string(),
    };
    let bytes = if is_html {
        inject_script(&bytes)
    } else {
        bytes
    };
    let len = bytes.len() as u64;
    let range = request
        .get(header::RANGE)
        .and_then(|r| r.to_str().ok())
        .filter(|_| status == StatusCode::OK);
    let mut response = match range
        .map(|r| http_range_header::parse_range_header(r).and_then(|parsed| parsed.validate(len)))
    {
        Some(Ok(ranges)) if ranges.len() == 1 => {
            let r = &ranges[0];
            let body = bytes.slice(*r.start() as usize..=*r.end() as usize);
            let mut response = (StatusCode::PARTIAL_CONTENT, body).into_response();
            let content_range = format!("bytes {}-{}/{len}", r.start(), r.end());
            if let Ok(v) = HeaderValue::from_str(&content_range) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            response
        }
        Some(Err(_)) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return response;
        }
        // No range, or several: the whole file, as the standard allows.
        _ => (status, Body::from(bytes)).into_response(),
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    response
}

/// `html` with the live-reload script before its last `</body>`, or at its end.
pub(crate) fn inject_script(html: &[u8]) -> Bytes {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    Bytes::from(out)
}

/// The URL path a reader sees for output file `path`: `drills/x/index.html` → `/drills/x/`.
pub(crate) fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_cannot_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/drills/x/").as_deref(), Some("drills/x"));
        assert_eq!(site_path("/a//b").as_deref(), Some("a/b"));
        assert_eq!(site_path("/%D0%B0").as_deref(), Some("а"));
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/x",
            "/%2E%2E%2Fetc",
            "/a%2fb",
            "/a%5c..%5cb",
            "/a\\b",
            "/./x",
            "/%00",
            "/%ff",
            "relative",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        // Double encoding decodes once: a harmless (missing) file name.
        assert_eq!(site_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject_script(b"<p></body>x</BODY>");
        let out = String::from_utf8(out.to_vec()).unwrap();
        assert!(
            out.ends_with("x<script src=\"/__muster/live.js\" defer></script></BODY>"),
            "{out}"
        );
        let out = inject_script(b"<p>");
        assert!(out.ends_with(b"</script>"));
    }

    #[test]
    fn urls_of_outputs() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("drills/x/index.html"), "/drills/x/");
        assert_eq!(url_of("style.css"), "/style.css");
        assert_eq!(url_of("404.html"), "/404.html");
        assert_eq!(url_of("notindex.html"), "/notindex.html");
    }
}
