//! The session: initialize, then notifications that change the open documents and
//! requests answered from the latest analysis, until shutdown and exit.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CompletionOptions, HoverProviderCapability, InitializeParams, InitializeResult, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind,
};

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
    /// A full analysis of the site as it was at `generation`.
    Analysed {
        /// The generation of the open documents it read.
        generation: u64,
        /// What it found.
        analysis: Box<Analysis>,
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

/// Answers everything but `initialize` with an error until it comes; `None` if the
/// client exits or leaves first.
fn wait_for_initialize(
    incoming: &Receiver<Event>,
    out: &mut Output,
) -> Result<Option<(lsp_server::RequestId, InitializeParams)>, LspError> {
    while let Ok(Event::Client(message)) = incoming.recv() {
        match message {
            Incoming::Message(Message::Request(r)) if r.method == "initialize" => {
                match serde_json::from_value(r.params) {
                    Ok(params) => return Ok(Some((r.id, params))),
                    Err(e) => out.send(invalid_params(r.id, &e))?,
                }
            }
            Incoming::Message(Message::Request(r)) => out.send(Response::new_err(
                r.id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".into(),
            ))?,
            Incoming::Message(Message::Notification(n)) if n.method == "exit" => return Ok(None),
            Incoming::Message(_) => {}
            Incoming::Malformed { id, code, message } => out.reject(id, code, &message)?,
            Incoming::Closed(None) => return Ok(None),
            Incoming::Closed(Some(e)) => return Err(e.into()),
        }
    }
    Ok(None)
}

/// The site's folder: as given, else the editor's first workspace folder; the nearest
/// folder at or above it with a site.yaml, if any.
fn site_root(given: Option<PathBuf>, params: &InitializeParams) -> PathBuf {
    #[allow(deprecated)] // Older clients send only `rootUri` or `rootPath`.
    let from_client = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| &f.uri)
        .chain(params.root_uri.as_ref())
        .find_map(path_of)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    let start = given
        .or(from_client)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let start = std::path::absolute(&start).unwrap_or(start);
    start
        .ancestors()
        .find(|dir| dir.join(diagnostics::SITE_FILE).is_file())
        .map_or(start.clone(), Path::to_path_buf)
}

/// Whether the client watches files for servers that ask.
fn can_watch_files(params: &InitializeParams) -> bool {
    let workspace = params.capabilities.workspace.as_ref();
    let watched = workspace.and_then(|w| w.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration) == Some(true)
}

/// Asks the client to tell of every file of the site changed outside its buffers (a
/// checkout, a template saved elsewhere): each is a full analysis.
fn watch_files() -> lsp_server::Request {
    use lsp_types::{
        DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration,
        RegistrationParams,
    };
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/*".into()),
            kind: None,
        }],
    };
    let registration = Registration {
        id: "muster-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(options).ok(),
    };
    let params = RegistrationParams {
        registrations: vec![registration],
    };
    let id = lsp_server::RequestId::from("muster-watch-files".to_string());
    lsp_server::Request::new(id, "client/registerCapability".into(), params)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["[", "#", "/", ":", " ", ","].map(String::from).into()),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Right(lsp_types::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        ..Default::default()
    }
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
                Event::Analysed {
                    generation,
                    analysis,
                } => {
                    self.running = None;
                    let unused = match generation == self.generation {
                        true => {
                            let replaced = std::mem::replace(&mut self.analysis, *analysis);
                            self.analysed = generation;
                            self.publish()?;
                            replaced
                        }
                        false => *analysis,
                    };
                    // Freed on the analyser's thread, and given back before the next
                    // analysis starts, so that two analyses' memory is never held.
                    let release = self.release_memory;
                    self.analyser.run(move || {
                        drop(unused);
                        release();
                    });
                }
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
                self.generation += 1;
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
        self.generation += 1;
        if let (Some(file), Some(text)) = (self.site_file(&path), now)
            && quick::update_page(&mut self.analysis, &file, &text)
        {
            self.publish()?;
        }
        Ok(())
    }

    /// Starts a full analysis of the site as it is now on a thread of its own.
    fn analyse_in_background(&mut self) {
        let overlay: Overlay = self
            .open
            .iter()
            .filter_map(|(path, text)| Some((self.site_file(path)?, text.clone())))
            .collect();
        let (options, events, generation) =
            (self.options.clone(), self.events.clone(), self.generation);
        self.running = Some(generation);
        let release = self.release_memory;
        self.analyser.run(move || {
            release();
            let analysis = Box::new(Analysis::run(&options, &overlay));
            let _ = events.send(Event::Analysed {
                generation,
                analysis,
            });
        });
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
