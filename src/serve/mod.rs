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
mod rebuilder;
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

use rebuilder::{Rebuilder, report, show};

use crate::build::BuildOptions;

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
