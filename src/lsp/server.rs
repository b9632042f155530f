//! The session: initialize, then notifications that change the open documents and
//! requests answered from the latest analysis, until shutdown and exit.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use lsp_server::{ErrorCode, Message, Notification, Request, Response, ResponseError};
use lsp_types::{
    CompletionOptions, CompletionParams, DocumentSymbolParams, GotoDefinitionParams, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, OneOf, PublishDiagnosticsParams,
    ReferenceParams, ServerCapabilities, ServerInfo, TextDocumentIdentifier,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
    WorkspaceSymbolParams,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::analysis::Analysis;
use super::text::{offset_of, path_of, uri_of};
use super::transport::{Incoming, Output, read_on_thread};
use super::{LspError, actions, completion, diagnostics, hover, navigation, rename};
use crate::build::BuildOptions;
use crate::source::Overlay;

/// Runs a session on `input` and `output`.
pub(super) fn serve(
    input: impl BufRead + Send + 'static,
    output: impl Write + 'static,
    root: Option<PathBuf>,
) -> Result<(), LspError> {
    let incoming = read_on_thread(input);
    let mut out = Output::new(output);
    let Some((id, params)) = wait_for_initialize(&incoming, &mut out)? else {
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
    let mut server = Server::new(root, out);
    server.refresh()?;
    server.run(&incoming)
}

/// Answers everything but `initialize` with an error until it comes; `None` if the
/// client exits or leaves first.
fn wait_for_initialize(
    incoming: &Receiver<Incoming>,
    out: &mut Output,
) -> Result<Option<(lsp_server::RequestId, InitializeParams)>, LspError> {
    while let Ok(message) = incoming.recv() {
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

fn invalid_params(id: lsp_server::RequestId, e: &serde_json::Error) -> Response {
    let message = format!("invalid parameters: {e}");
    Response::new_err(id, ErrorCode::InvalidParams as i32, message)
}

/// A session's state.
struct Server {
    root: PathBuf,
    options: BuildOptions,
    /// Open documents' texts, by absolute path.
    open: HashMap<PathBuf, String>,
    analysis: Analysis,
    /// The open documents changed since the last analysis.
    stale: bool,
    /// The diagnostics last sent, by absolute path: only changes are sent again.
    published: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>,
    /// What the error codes of the diagnostics link to.
    explanations: diagnostics::Explanations,
    shutting_down: bool,
    out: Output,
}

impl Server {
    fn new(root: PathBuf, out: Output) -> Server {
        let mut options = BuildOptions::new(&root);
        // Nothing is written; names of stylesheets need no hashing.
        options.fingerprint = false;
        options.cache = false;
        Server {
            root,
            options,
            open: HashMap::new(),
            analysis: Analysis::run(&BuildOptions::new(""), &Overlay::new()),
            stale: true,
            published: BTreeMap::new(),
            explanations: diagnostics::Explanations::write(),
            shutting_down: false,
            out,
        }
    }

    /// Handles messages until `exit`. Notifications that change documents waiting behind
    /// one another are all applied before the site is analysed again.
    fn run(&mut self, incoming: &Receiver<Incoming>) -> Result<(), LspError> {
        let mut waiting = VecDeque::new();
        loop {
            let message = match waiting.pop_front() {
                Some(message) => message,
                None => match incoming.recv() {
                    Ok(message) => message,
                    Err(_) => return Err(LspError::ExitWithoutShutdown),
                },
            };
            match message {
                Incoming::Message(Message::Request(r)) => {
                    let response = self.answer(r);
                    self.out.send(response)?;
                }
                Incoming::Message(Message::Notification(n)) if n.method == "exit" => {
                    return match self.shutting_down {
                        true => Ok(()),
                        false => Err(LspError::ExitWithoutShutdown),
                    };
                }
                Incoming::Message(Message::Notification(n)) => {
                    self.notice(n);
                    if self.stale {
                        match incoming.try_recv() {
                            Ok(next) => waiting.push_back(next),
                            Err(TryRecvError::Empty) => self.refresh()?,
                            Err(TryRecvError::Disconnected) => {}
                        }
                    }
                }
                Incoming::Message(Message::Response(_)) => {}
                Incoming::Malformed { id, code, message } => self.out.reject(id, code, &message)?,
                Incoming::Closed(None) => return Err(LspError::ExitWithoutShutdown),
                Incoming::Closed(Some(e)) => return Err(e.into()),
            }
        }
    }

    /// Applies a notification.
    fn notice(&mut self, n: Notification) {
        use lsp_types::{
            DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
        };
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    self.set_text(&p.text_document.uri, Some(p.text_document.text));
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.set_text(&p.text_document.uri, Some(change.text));
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    self.set_text(&p.text_document.uri, None);
                }
            }
            // Files saved or changed outside the editor's buffers: templates, site.yaml.
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => self.stale = true,
            _ => {}
        }
    }

    fn set_text(&mut self, uri: &Uri, text: Option<String>) {
        let Some(path) = path_of(uri) else { return };
        match text {
            Some(text) => self.open.insert(path, text),
            None => self.open.remove(&path),
        };
        self.stale = true;
    }

    /// Analyses the site again and sends the diagnostics that changed.
    fn refresh(&mut self) -> Result<(), LspError> {
        let overlay: Overlay = self
            .open
            .iter()
            .filter_map(|(path, text)| {
                Some((
                    path.strip_prefix(&self.root).ok()?.to_path_buf(),
                    text.clone(),
                ))
            })
            .collect();
        self.analysis = Analysis::run(&self.options, &overlay);
        self.stale = false;
        let sources = |file: &Path| self.source(&self.root.join(file));
        let files = (self.root.as_path(), &self.explanations);
        let mut now = diagnostics::by_file(&self.analysis.diagnostics, files, &sources);
        let cleared: Vec<PathBuf> = self
            .published
            .keys()
            .filter(|p| !now.contains_key(*p))
            .cloned()
            .collect();
        for path in cleared {
            now.insert(path, Vec::new());
        }
        for (path, found) in now {
            if self.published.get(&path) == Some(&found) {
                continue;
            }
            let params = PublishDiagnosticsParams::new(uri_of(&path), found.clone(), None);
            let notification = Notification::new("textDocument/publishDiagnostics".into(), params);
            self.out.send(notification)?;
            match found.is_empty() {
                true => self.published.remove(&path),
                false => self.published.insert(path, found),
            };
        }
        Ok(())
    }

    /// The text of the file at absolute `path`: its open buffer, else what is on disk.
    fn source(&self, path: &Path) -> Option<String> {
        match self.open.get(path) {
            Some(text) => Some(text.clone()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    /// The response to request `r`; a panic in a handler is an error response.
    fn answer(&mut self, r: Request) -> Response {
        if self.shutting_down {
            let message = "the server is shutting down".into();
            return Response::new_err(r.id, ErrorCode::InvalidRequest as i32, message);
        }
        if r.method == "shutdown" {
            self.shutting_down = true;
            return Response::new_ok(r.id, ());
        }
        if self.stale
            && let Err(e) = self.refresh()
        {
            let message = format!("could not send diagnostics: {e}");
            return Response::new_err(r.id, ErrorCode::InternalError as i32, message);
        }
        let id = r.id.clone();
        let server = &*self;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.dispatch(r)))
            .unwrap_or_else(|_| {
                let message = "muster failed on this request (a bug: please report it)".into();
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            })
    }

    fn dispatch(&self, r: Request) -> Response {
        match r.method.as_str() {
            "textDocument/completion" => handle(r, |p: CompletionParams| {
                let at = self.at(&p.text_document_position)?;
                Ok(completion::complete(
                    &self.analysis,
                    &at.file,
                    &at.text,
                    at.offset,
                ))
            }),
            "textDocument/hover" => handle(r, |p: HoverParams| {
                let at = self.at(&p.text_document_position_params)?;
                Ok(hover::hover(&self.analysis, &at.file, &at.text, at.offset))
            }),
            "textDocument/definition" => handle(r, |p: GotoDefinitionParams| {
                let at = self.at(&p.text_document_position_params)?;
                let sources = |file: &Path| self.source(&self.root.join(file));
                let files = (self.root.as_path(), at.file.as_path());
                Ok(navigation::definition(
                    &self.analysis,
                    files,
                    &at.text,
                    at.offset,
                    &sources,
                ))
            }),
            "textDocument/references" => handle(r, |p: ReferenceParams| {
                let at = self.at(&p.text_document_position)?;
                let sources = |file: &Path| self.source(&self.root.join(file));
                let target = navigation::target_at(&self.analysis, &at.file, &at.text, at.offset);
                Ok(target.map(|t| {
                    let declaration = p.context.include_declaration;
                    navigation::references(&self.analysis, &self.root, &t, declaration, &sources)
                }))
            }),
            "textDocument/documentSymbol" => handle(r, |p: DocumentSymbolParams| {
                let (file, text) = self.document(&p.text_document)?;
                Ok(navigation::document_symbols(&self.analysis, &file, &text))
            }),
            "textDocument/prepareRename" => handle(r, |p: TextDocumentPositionParams| {
                let at = self.at(&p)?;
                Ok(rename::prepare(
                    &self.analysis,
                    &at.file,
                    &at.text,
                    at.offset,
                ))
            }),
            "textDocument/rename" => handle(r, |p: lsp_types::RenameParams| {
                let at = self.at(&p.text_document_position)?;
                let sources = |file: &Path| self.source(&self.root.join(file));
                let files = (self.root.as_path(), at.file.as_path());
                let found = (at.text.as_str(), at.offset);
                rename::rename(&self.analysis, files, found, &p.new_name, &sources).map_err(
                    |message| ResponseError {
                        code: ErrorCode::RequestFailed as i32,
                        message,
                        data: None,
                    },
                )
            }),
            "textDocument/codeAction" => handle(r, |p: lsp_types::CodeActionParams| {
                let (file, text) = self.document(&p.text_document)?;
                let files = (self.root.as_path(), file.as_path());
                Ok(actions::actions(&self.analysis, files, &text, p.range))
            }),
            "workspace/symbol" => handle(r, |p: WorkspaceSymbolParams| {
                Ok(navigation::workspace_symbols(
                    &self.analysis,
                    &self.root,
                    &p.query,
                ))
            }),
            _ => Response::new_err(
                r.id,
                ErrorCode::MethodNotFound as i32,
                format!("muster lsp does not handle `{}`", r.method),
            ),
        }
    }

    /// The site file (relative to the root) and text of `document`, or why it has none.
    fn document(
        &self,
        document: &TextDocumentIdentifier,
    ) -> Result<(PathBuf, String), ResponseError> {
        let refuse = |message: String| ResponseError {
            code: ErrorCode::InvalidParams as i32,
            message,
            data: None,
        };
        let path = path_of(&document.uri)
            .ok_or_else(|| refuse(format!("not a file: {}", document.uri.as_str())))?;
        let file = path.strip_prefix(&self.root).map_err(|_| {
            refuse(format!(
                "{} is not part of the site at {}",
                path.display(),
                self.root.display()
            ))
        })?;
        let text = self
            .source(&path)
            .ok_or_else(|| refuse(format!("{} is neither open nor readable", path.display())))?;
        Ok((file.to_path_buf(), text))
    }

    fn at(&self, position: &TextDocumentPositionParams) -> Result<At, ResponseError> {
        let (file, text) = self.document(&position.text_document)?;
        let offset = offset_of(&text, position.position);
        Ok(At { file, text, offset })
    }
}

/// A request's place: the file (relative to the site root), its text and the offset.
struct At {
    file: PathBuf,
    text: String,
    offset: usize,
}

/// Answers `r` with `f` applied to its parameters, or says they do not fit.
fn handle<P: DeserializeOwned, R: Serialize>(
    r: Request,
    f: impl FnOnce(P) -> Result<R, ResponseError>,
) -> Response {
    let params = match serde_json::from_value::<P>(r.params) {
        Ok(params) => params,
        Err(e) => return invalid_params(r.id, &e),
    };
    match f(params) {
        Ok(result) => Response::new_ok(r.id, result),
        Err(error) => Response {
            id: r.id,
            response_result: Err(error),
        },
    }
}
