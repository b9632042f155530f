//! Requests: each answered from the latest analysis and the documents' texts.

use std::path::{Path, PathBuf};

use lsp_server::{ErrorCode, Request, Response, ResponseError};
use lsp_types::{
    CompletionParams, DocumentSymbolParams, GotoDefinitionParams, HoverParams, ReferenceParams,
    TextDocumentIdentifier, TextDocumentPositionParams, WorkspaceSymbolParams,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::server::{Server, invalid_params};
use super::text::{offset_of, path_of};
use super::{actions, completion, hover, navigation, rename};

impl Server {
    /// The answer to request `r`.
    pub(super) fn dispatch(&self, r: Request) -> Response {
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
        let file = self.site_file(&path).ok_or_else(|| {
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
