//! `muster serve`: builds the site into memory, serves it on loopback, watches
//! the files and rebuilds only what a change touched, telling browsers what to reload.
//!
//! Threads: the watcher's settling thread delivers batches of changed paths to one rebuild
//! thread, which owns the [`LiveSite`]; tokio runs only the HTTP server.

mod editor;
mod hosts;
pub(crate) mod http;
pub(crate) mod live;
mod open_pages;
mod partial;
pub(crate) mod recorded;
mod settle;
mod touched;
pub(crate) mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub(crate) use http::ServedSite;
pub use live::{LiveSite, OpenFirst, Strategy, Update};

use crate::build::BuildOptions;
use crate::error::{BuildErrors, Diagnostic};

/// How `muster serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Address to listen on; loopback unless asked otherwise.
    pub bind: IpAddr,
    /// First port to try; 0 lets the system choose.
    pub port: u16,
    /// Show draft pages.
    pub drafts: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll for changes instead of using the system's notifications.
    pub poll: bool,
    /// Print only errors.
    pub quiet: bool,
    /// How long a client may take to send a request's headers, and keep a connection
    /// idle between requests, before it is closed.
    pub request_timeout: Duration,
    /// The editor command the error overlay opens files with (`--editor`); `None` reads
    /// `$MUSTER_EDITOR`, `$VISUAL`, `$EDITOR`.
    pub editor: Option<String>,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site root cannot be read.
    #[error("cannot open the site root {path}: {source}")]
    Root {
        /// The root given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No port could be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The last address tried.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Watching the files failed.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    /// The HTTP server failed.
    #[error("server error: {0}")]
    Server(#[from] std::io::Error),
}

/// How long after a page edit the search index and feeds wait for another save.
const DATA_PAUSE: Duration = Duration::from_millis(100);

/// The longest the search index and feeds lag behind the pages while saves keep coming.
const DATA_MAX_LAG: Duration = Duration::from_secs(1);

/// How many ports after the requested one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// Runs the preview server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            path: options.root.clone(),
            source,
        })?;
    let (listener, addr, url) = listen(options)?;
    let build = BuildOptions::serving(&root, &url, options.drafts);
    let served = Arc::new(ServedSite::new());
    let opener = file_opener(options, &root, &served);
    // Pages are rendered after the server starts, those asked for first (`first_render`).
    let started = Instant::now();
    let (live, first) = LiveSite::start(build);
    let mut errors_json = String::from("[]");
    show(&served, &first, &mut errors_json);
    if !first.errors.is_empty() {
        report(&first, options.quiet, true);
    }

    let (batches_tx, batches) = mpsc::channel();
    let watcher = watch::Watcher::start(&root, &root.join("public"), options.poll, batches_tx)?;
    let rebuilder = Rebuilder {
        live,
        watcher,
        root,
        batches,
        served: served.clone(),
        quiet: options.quiet,
        errors_json,
        data_waiting: None,
        started: (started, first.changed.len()),
    };
    std::thread::Builder::new()
        .name("muster rebuild".into())
        .spawn(move || rebuilder.run())?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        // Listen for Ctrl-C before saying we serve, so that an early one stops us cleanly.
        let stop = stop_signal()?;
        outln!("Serving at {url} (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
        if options.open
            && let Err(e) = opener::open_browser(&url)
        {
            errln!("warning: could not open a browser: {e}");
        }
        let hosts = hosts::AllowedHosts::new(options.bind, addr.port());
        http::run(
            listener,
            http::router(served, hosts, opener),
            options.request_timeout,
            stop,
        )
        .await;
        Ok::<(), std::io::Error>(())
    })?;
    errln!("stopped");
    Ok(())
}

/// The socket serve listens on (the port asked for, or one of the next), its address and
/// the site's URL there; a warning when others can reach it.
fn listen(options: &ServeOptions) -> Result<(TcpListener, SocketAddr, String), ServeError> {
    if !options.bind.is_loopback() {
        errln!(
            "warning: listening on {}: anyone who can reach this machine can read the site",
            options.bind
        );
    }
    let listener = bind(options.bind, options.port)?;
    let addr = listener.local_addr()?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    Ok((listener, addr, url))
}

/// What opens a file at a location of the error overlay: `--editor`, else the editor the
/// environment names (see [`editor::EditorCommand::chosen`]); a warning when `--editor` is no command.
fn file_opener(
    options: &ServeOptions,
    root: &std::path::Path,
    served: &ServedSite,
) -> Arc<editor::FileOpener> {
    let editor =
        editor::EditorCommand::chosen(options.editor.as_deref(), |name| std::env::var(name).ok());
    if let (Some(flag), None) = (&options.editor, &editor) {
        errln!(
            "warning: --editor {flag:?} is not a command (are its quotes closed?): locations in the error overlay will not open"
        );
    }
    Arc::new(editor::FileOpener {
        root: root.to_path_buf(),
        editor,
        token: served.open_token.clone(),
    })
}

/// A future that completes on Ctrl-C (or SIGTERM); the handlers are installed now.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Binds `ip:port`, or the next free port of the following few when it is taken.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let tries = if port == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for p in (0..tries).filter_map(|i| port.checked_add(i)) {
        let addr = SocketAddr::new(ip, p);
        match TcpListener::bind(addr) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                errln!("port {p} is taken; trying {}", p.saturating_add(1));
                last = Some((addr, e));
            }
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    let (addr, source) = last.unwrap_or_else(|| {
        (
            SocketAddr::new(ip, port),
            std::io::Error::other("no port to try"),
        )
    });
    Err(ServeError::Bind { addr, source })
}

/// The rebuild thread: receives batches of changed paths, rebuilds, and shows each
/// update; refreshes the data files when the writer pauses.
struct Rebuilder {
    live: LiveSite,
    watcher: watch::Watcher,
    root: PathBuf,
    batches: mpsc::Receiver<Vec<PathBuf>>,
    served: Arc<ServedSite>,
    quiet: bool,
    /// The errors last sent to browsers, as JSON, so that only changes are sent.
    errors_json: String,
    /// Since when the data files have waited for a pause in the saves.
    data_waiting: Option<Instant>,
    /// When serve started and how many files its first update had (static files), for
    /// the first build's report.
    started: (Instant, usize),
}

impl Rebuilder {
    /// Runs until the watcher's channel closes.
    fn run(mut self) {
        // Before any page is served: an edit of the guide right after its page was read
        // must be seen (the first build has read site.yaml, which names it).
        self.watch_guide();
        self.first_render();
        while let Some(paths) = self.next_batch() {
            self.rebuild(paths);
        }
    }

    /// The next batch of changed paths, refreshing the data files while waiting for it;
    /// `None` when no more can come.
    fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            if !self.live.data_pending() {
                self.data_waiting = None;
                self.served.data_ready.send_replace(true);
            }
            // After a page edit the search index and feeds are refreshed when the
            // writer pauses, so the edit itself reaches the browser first; but a writer
            // who never pauses gets them at least every DATA_MAX_LAG.
            let next = if self.live.data_pending() {
                let lag = self.data_waiting.get_or_insert_with(Instant::now).elapsed();
                match DATA_MAX_LAG.checked_sub(lag) {
                    Some(left) => self.batches.recv_timeout(DATA_PAUSE.min(left)),
                    None => Err(mpsc::RecvTimeoutError::Timeout),
                }
            } else {
                self.batches
                    .recv()
                    .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            };
            match next {
                Ok(mut paths) => {
                    // Changes that arrived while the last rebuild ran are handled together.
                    while let Ok(more) = self.batches.try_recv() {
                        paths.extend(more);
                    }
                    paths.sort();
                    paths.dedup();
                    return Some(paths);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(update) = self.live.refresh_data() {
                        show(&self.served, &update, &mut self.errors_json);
                        report(&update, true, false);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn rebuild(&mut self, paths: Vec<PathBuf>) {
        for dir in watch::WATCHED_DIRS {
            let dir = self.root.join(dir);
            if paths.contains(&dir)
                && let Err(e) = self.watcher.watch_if_present(&dir)
            {
                errln!("warning: cannot watch {}: {e}", dir.display());
            }
        }
        if std::env::var_os("MUSTER_DEBUG_WATCH").is_some() {
            errln!("changed: {paths:?}");
        }
        let pages = self.served.open_pages.now();
        let (served, errors_json, quiet) = (&self.served, &mut self.errors_json, self.quiet);
        // The pages on screen may be shown before the rest of a large change is rendered.
        let mut show_early = |update: Update| {
            show(served, &update, errors_json);
            report(&update, quiet, false);
        };
        let open = OpenFirst {
            pages: &pages,
            show: &mut show_early,
        };
        let update = self.live.rebuild_with(&paths, open);
        show(&self.served, &update, &mut self.errors_json);
        report(&update, self.quiet, false);
        self.watch_guide();
    }

    /// Renders the first build's pages a part at a time, the pages browsers asked for
    /// first, showing each part as soon as it is rendered.
    fn first_render(&mut self) {
        let (started, mut files) = self.started;
        let mut last = None;
        let mut part = FIRST_PART;
        while let Some(update) = self.live.render_next(&self.served.open_pages.first(), part) {
            part = (part * 2).min(LARGEST_PART);
            // No reloads: no browser can show a page before its first rendering.
            place_files(&self.served, &update);
            files += update.changed.len();
            // Wakes the requests waiting for a page (`send_modify` always notifies).
            self.served.pages_shown.send_modify(|_| ());
            last = Some(update);
        }
        if let Some(last) = &last {
            show_errors(&self.served, &last.errors, &mut self.errors_json);
        }
        self.served.pages_shown.send_replace(true);
        if let Some(mut last) = last {
            last.elapsed = started.elapsed();
            if last.errors.is_empty() && !self.quiet {
                errln!("built {files} files in {:.0?}", last.elapsed);
            } else {
                report(&last, self.quiet, true);
            }
        }
    }

    /// Watches the writer's guide that the last good build read (`guide:` may change).
    fn watch_guide(&mut self) {
        if let Some(guide) = self.live.guide_file()
            && let Err(e) = self.watcher.watch_file(&guide)
        {
            errln!("warning: cannot watch {}: {e}", guide.display());
        }
    }
}

/// How many outputs of the first build are rendered before the first look at the pages
/// browsers ask for: a part takes about 50 ms on two cores.
const FIRST_PART: usize = 256;

/// The most outputs of the first build rendered between two looks: each part doubles up
/// to it, since every part makes the site-wide values again (about 7 ms at 10,000
/// pages), while a page asked for waits for the part being rendered (about 0.2 s).
const LARGEST_PART: usize = 1024;

/// Puts an update's files in place and tells browsers what to reload.
pub(crate) fn show(served: &ServedSite, update: &Update, errors_json: &mut String) {
    place_files(served, update);
    show_errors(served, &update.errors, errors_json);
    let paths = update
        .changed
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(update.removed.iter().map(String::as_str));
    let (mut css, mut pages, mut other) = (Vec::new(), Vec::new(), false);
    for path in paths {
        let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
        match extension {
            "css" => css.push(http::url_of(path)),
            "html" => pages.push(http::url_of(path)),
            // Data files (search index, feeds, sitemap) change no page on screen.
            "json" | "xml" | "txt" => {}
            _ => other = true,
        }
    }
    if !css.is_empty() {
        served.send(serde_json::json!({"type": "css", "paths": css}).to_string());
    }
    if other || !pages.is_empty() {
        served
            .send(serde_json::json!({"type": "reload", "paths": pages, "all": other}).to_string());
    }
}

/// Puts an update's files in place, telling no browser.
fn place_files(served: &ServedSite, update: &Update) {
    let mut files = match served.files.write() {
        Ok(f) => f,
        Err(e) => e.into_inner(),
    };
    for (path, bytes) in &update.changed {
        files.insert(path.clone(), bytes.clone());
    }
    for path in &update.removed {
        files.remove(path);
    }
}

/// Sends `errors` to the overlays if they differ from those sent last (`errors_json`).
fn show_errors(served: &ServedSite, errors: &[Diagnostic], errors_json: &mut String) {
    let json = diagnostics_json(errors);
    if json != *errors_json {
        *errors_json = json.clone();
        if let Ok(mut stored) = served.errors_json.write() {
            stored.clone_from(&json);
        }
        served.send(format!(r#"{{"type":"errors","errors":{json}}}"#));
    }
}

/// Diagnostics as a JSON array, each with its code, for the browser overlay.
pub(crate) fn diagnostics_json(errors: &[Diagnostic]) -> String {
    let items: Vec<String> = errors.iter().map(crate::error::diagnostic_json).collect();
    format!("[{}]", items.join(","))
}

fn report(update: &Update, quiet: bool, first: bool) {
    if !update.errors.is_empty() {
        errln!("{}", BuildErrors(update.errors.clone()));
        errln!("serving the last good version until this is fixed");
        return;
    }
    if quiet {
        return;
    }
    let n = update.changed.len() + update.removed.len();
    if first {
        errln!("built {n} files in {:.0?}", update.elapsed);
    } else {
        errln!(
            "rebuilt ({:?}) in {:.1?}: {n} file{} changed",
            update.strategy,
            update.elapsed,
            if n == 1 { "" } else { "s" }
        );
    }
}
