//! The session: initialize, then notifications that change the open documents and
//! requests answered from the latest analysis, until shutdown and exit.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, Receiver, Sender};

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{InitializeResult, PublishDiagnosticsParams, ServerInfo};

mod background;
mod initialize;
#[cfg(test)]
mod tests;

use initialize::{can_watch_files, capabilities, site_root, wait_for_initialize, watch_files};

use super::analyser::Analyser;
use super::analysis::Analysis;
use super::text::{path_of, uri_of};
use super::transport::{Incoming, Output, read_on_thread};
use super::{LspError, diagnostics, quick};
use crate::build::BuildOptions;
use crate::error::Diagnostic;
use crate::source::Overlay;

/// What the session's loop waits for: the client, or an analysis done in the background.
pub(super) enum Event {
    /// A message (or a broken one) from the client.
    Client(Incoming),
    /// The model of a full analysis of the site as it was at `generation`, made before
    /// its render is checked.
    Loaded {
        /// The generation of the open documents it read.
        generation: u64,
        /// The model, without diagnostics yet.
        analysis: Box<Analysis>,
        /// Told once the model the session let go of is freed: the check waits for it
        /// before it makes its render's values.
        freed: Sender<()>,
    },
    /// The end of that analysis: every diagnostic, once its check no longer holds the model.
    Analysed {
        /// The generation of the open documents it read.
        generation: u64,
        /// What it found (part of it when the check was cancelled).
        diagnostics: Vec<Diagnostic>,
    },
}

/// Runs a session on `input` and `output`.
pub(super) fn serve(
    input: impl BufRead + Send + 'static,
    output: impl Write + 'static,
    root: Option<PathBuf>,
    release_memory: fn(),
) -> Result<(), LspError> {
    let (events, received) = mpsc::channel();
    read_on_thread(input, events.clone(), Event::Client);
    let mut out = Output::new(output);
    let Some((id, params)) = wait_for_initialize(&received, &mut out)? else {
        return Err(LspError::ExitWithoutShutdown);
    };
    let root = site_root(root, &params);
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "muster".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    out.send(Response::new_ok(id, result))?;
    if can_watch_files(&params) {
        out.send(watch_files())?;
    }
    let mut server = Server::new(root, out, events, release_memory);
    server.say_if_no_site()?;
    server.publish()?;
    server.run(&received)
}

pub(super) fn invalid_params(id: lsp_server::RequestId, e: &serde_json::Error) -> Response {
    let message = format!("invalid parameters: {e}");
    Response::new_err(id, ErrorCode::InvalidParams as i32, message)
}

/// A session's state.
pub(super) struct Server {
    /// The site's folder.
    pub(super) root: PathBuf,
    options: BuildOptions,
    /// Open documents' texts, by absolute path.
    open: HashMap<PathBuf, String>,
    /// The last full analysis, with the quick updates of the edits since.
    pub(super) analysis: Analysis,
    /// How many times the open documents (or files on disk) changed.
    generation: u64,
    /// The generation the analysis has seen in full; behind `generation`, a full
    /// analysis is due.
    analysed: u64,
    /// The generation a background analysis is reading, if one runs.
    running: Option<u64>,
    /// Set to stop the running analysis's check: its result is of no use any more.
    cancel: Arc<AtomicBool>,
    /// Documents edited while a check held the model, to read again once it ends.
    deferred: BTreeSet<PathBuf>,
    /// Where the background analysis sends what it found.
    events: Sender<Event>,
    /// The thread every analysis runs on.
    analyser: Analyser,
    /// Gives the memory an analysis freed back to the system (see [`super::run`]).
    release_memory: fn(),
    /// The diagnostics last sent, by file (relative to the root): only changes are sent.
    published: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// What the error codes of the diagnostics link to.
    explanations: diagnostics::Explanations,
    shutting_down: bool,
    out: Output,
}

impl Server {
    /// A session on the site at `root`, analysed once before it answers anything.
    fn new(root: PathBuf, out: Output, events: Sender<Event>, release_memory: fn()) -> Server {
        let mut options = BuildOptions::new(&root);
        // Nothing is written; names of stylesheets need no hashing.
        options.fingerprint = false;
        options.cache = false;
        // A full check runs beside the analysis kept for answering: every body's HTML,
        // read back once when its page is rendered for errors, waits in the spill file.
        options.html_in_memory = 0;
        options.between_stages = Some(release_memory);
        let analyser = Analyser::start();
        let (sender, received) = mpsc::channel();
        let first = options.clone();
        analyser.run(move || drop(sender.send(Analysis::run(&first, &Overlay::new()))));
        let analysis = received
            .recv()
            .unwrap_or_else(|_| Analysis::run(&options, &Overlay::new()));
        Server {
            root,
            options,
            open: HashMap::new(),
            analysis,
            generation: 0,
            analysed: 0,
            running: None,
            cancel: Arc::default(),
            deferred: BTreeSet::new(),
            events,
            analyser,
            release_memory,
            published: BTreeMap::new(),
            explanations: diagnostics::Explanations::write(),
            shutting_down: false,
            out,
        }
    }

    /// Handles events until `exit`. An edit of a page is answered at once by the quick
    /// path (`quick.rs`); the full analysis runs on a thread of its own once no message
    /// waits, and is taken if no edit came meanwhile (else it runs again).
    fn run(&mut self, events: &Receiver<Event>) -> Result<(), LspError> {
        let mut waiting = VecDeque::new();
        loop {
            let event = match waiting.pop_front() {
                Some(event) => event,
                None => events.recv().map_err(|_| LspError::ExitWithoutShutdown)?,
            };
            match event {
                Event::Client(incoming) => {
                    if self.client(incoming)? {
                        return Ok(());
                    }
                }
                Event::Loaded {
                    generation,
                    analysis,
                    freed,
                } => self.loaded(generation, *analysis, freed),
                Event::Analysed {
                    generation,
                    diagnostics,
                } => self.analysed(generation, diagnostics)?,
            }
            if self.analysed < self.generation && self.running.is_none() {
                match events.try_recv() {
                    Ok(next) => waiting.push_back(next),
                    Err(_) => self.analyse_in_background(),
                }
            }
        }
    }

    /// Handles a client's message; `true` once the session is over.
    fn client(&mut self, incoming: Incoming) -> Result<bool, LspError> {
        match incoming {
            Incoming::Message(Message::Request(r)) => {
                let response = self.answer(r);
                self.out.send(response)?;
            }
            Incoming::Message(Message::Notification(n)) if n.method == "exit" => {
                return match self.shutting_down {
                    true => Ok(true),
                    false => Err(LspError::ExitWithoutShutdown),
                };
            }
            Incoming::Message(Message::Notification(n)) => self.notice(n)?,
            Incoming::Message(Message::Response(_)) => {}
            Incoming::Malformed { id, code, message } => self.out.reject(id, code, &message)?,
            Incoming::Closed(None) => return Err(LspError::ExitWithoutShutdown),
            Incoming::Closed(Some(e)) => return Err(e.into()),
        }
        Ok(false)
    }

    /// Applies a notification.
    fn notice(&mut self, n: Notification) -> Result<(), LspError> {
        use lsp_types::{
            DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
        };
        let (uri, text) = match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                (p.text_document.uri, Some(p.text_document.text))
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let Some(change) = p.content_changes.into_iter().last() else {
                    return Ok(());
                };
                (p.text_document.uri, Some(change.text))
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                (p.text_document.uri, None)
            }
            // Files saved or changed outside the editor's buffers: templates, site.yaml.
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                self.next_generation();
                return Ok(());
            }
            _ => return Ok(()),
        };
        let Some(path) = path_of(&uri) else {
            return Ok(());
        };
        let before = self.source(&path);
        match text {
            Some(text) => self.open.insert(path.clone(), text),
            None => self.open.remove(&path),
        };
        let now = self.source(&path);
        // Opening a file as it is on disk, or closing it saved, changes nothing.
        if now == before {
            return Ok(());
        }
        self.next_generation();
        if self.analysis.is_shared() {
            // A check reads the model: the page alone is read now, and the model takes
            // the edit once the check is over.
            self.deferred.insert(path.clone());
            return match self.read_quickly(&path, quick::preview_page) {
                true => self.publish(),
                false => Ok(()),
            };
        }
        match self.read_quickly(&path, quick::update_page) {
            true => self.publish(),
            false => Ok(()),
        }
    }

    /// Tells the writer, in a message the editor shows, when the folder is no site (its
    /// site.yaml missing or unreadable): a diagnostic on a file that does not exist may
    /// never be seen.
    fn say_if_no_site(&mut self) -> Result<(), LspError> {
        use lsp_types::{MessageType, ShowMessageParams};
        if self.analysis.config.is_some() {
            return Ok(());
        }
        let Some(first) = self.analysis.diagnostics.first() else {
            return Ok(());
        };
        let hint = first
            .hint
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let params = ShowMessageParams {
            typ: MessageType::ERROR,
            message: format!("muster: {} in {}{hint}", first.message, self.root.display()),
        };
        self.out
            .send(Notification::new("window/showMessage".into(), params))?;
        Ok(())
    }

    /// Sends the diagnostics of every file whose diagnostics changed since last sent
    /// (an empty list clears a file).
    fn publish(&mut self) -> Result<(), LspError> {
        let mut now = diagnostics::by_file(&self.analysis.diagnostics);
        for file in self.published.keys() {
            now.entry(file.clone()).or_default();
        }
        for (file, found) in now {
            if self
                .published
                .get(&file)
                .map_or(found.is_empty(), |p| *p == found)
            {
                continue;
            }
            let path = self.root.join(&file);
            let text = self.source(&path);
            let files = (self.root.as_path(), path.as_path());
            let converted = diagnostics::to_lsp(&found, files, text.as_deref(), &self.explanations);
            let params = PublishDiagnosticsParams::new(uri_of(&path), converted, None);
            let notification = Notification::new("textDocument/publishDiagnostics".into(), params);
            self.out.send(notification)?;
            match found.is_empty() {
                true => self.published.remove(&file),
                false => self.published.insert(file, found),
            };
        }
        Ok(())
    }

    /// `path` relative to the site root, if it names a file below it by plain names
    /// (no `..`, which the client's URIs may hold).
    pub(super) fn site_file(&self, path: &Path) -> Option<PathBuf> {
        let file = path.strip_prefix(&self.root).ok()?;
        let plain = file
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        plain.then(|| file.to_path_buf())
    }

    /// The text of the file at absolute `path`: its open buffer, else what is on disk.
    pub(super) fn source(&self, path: &Path) -> Option<String> {
        match self.open.get(path) {
            Some(text) => Some(text.clone()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    /// The response to request `r`, from the analysis as it stands (the full analysis
    /// of an edit may still run); a panic in a handler is an error response.
    fn answer(&mut self, r: Request) -> Response {
        if self.shutting_down {
            let message = "the server is shutting down".into();
            return Response::new_err(r.id, ErrorCode::InvalidRequest as i32, message);
        }
        if r.method == "shutdown" {
            self.shutting_down = true;
            return Response::new_ok(r.id, ());
        }
        let id = r.id.clone();
        let server = &*self;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.dispatch(r)))
            .unwrap_or_else(|_| {
                let message = "muster failed on this request (a bug: please report it)".into();
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            })
    }
}
