//! The start of a session: the `initialize` request, the site's folder, and what the
//! server offers and asks of the client.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use lsp_server::{ErrorCode, Message, Response};
use lsp_types::{
    CompletionOptions, HoverProviderCapability, InitializeParams, OneOf, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind,
};

use super::super::text::path_of;
use super::super::transport::{Incoming, Output};
use super::super::{LspError, diagnostics};
use super::{Event, invalid_params};

/// Answers everything but `initialize` with an error until it comes; `None` if the
/// client exits or leaves first.
pub(super) fn wait_for_initialize(
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
pub(super) fn site_root(given: Option<PathBuf>, params: &InitializeParams) -> PathBuf {
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
pub(super) fn can_watch_files(params: &InitializeParams) -> bool {
    let workspace = params.capabilities.workspace.as_ref();
    let watched = workspace.and_then(|w| w.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration) == Some(true)
}

/// Asks the client to tell of every file of the site changed outside its buffers (a
/// checkout, a template saved elsewhere): each is a full analysis.
pub(super) fn watch_files() -> lsp_server::Request {
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

/// What the server can do.
pub(super) fn capabilities() -> ServerCapabilities {
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
