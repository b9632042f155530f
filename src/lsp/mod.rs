//! `muster lsp`: a language server over stdio. It loads the site once per change with
//! the editor's open buffers in place of the files on disk, through the build's own
//! stages (see `analysis`), and answers from what they made: the diagnostics of
//! `muster check`, completion and hover from the site's kinds and pages, and navigation
//! over its links. It never writes a file.
//!
//! The protocol's types and messages are rust-analyzer's `lsp-types` and `lsp-server`;
//! the frames are read in `transport` so that a malformed message gets an error answer
//! instead of ending the session.

mod actions;
mod analyser;
mod analysis;
mod calls;
mod completion;
mod diagnostics;
mod hover;
mod navigation;
mod quick;
mod rename;
mod requests;
mod server;
mod spot;
mod text;
mod transport;

use std::path::PathBuf;

/// Why the server stopped other than by `shutdown` and `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client's stream broke or could not be written.
    #[error("the connection to the editor failed: {0}")]
    Io(#[from] std::io::Error),
    /// The client exited without asking the server to shut down first.
    #[error("the editor exited without shutting the server down")]
    ExitWithoutShutdown,
}

/// Serves the site at `root` (else the editor's workspace folder, or the nearest
/// folder above it with a site.yaml) on standard input and output until the editor exits.
///
/// `release_memory` gives freed memory back to the system. It is called after each
/// analysis the server lets go of: an allocator keeps freed pages for a while, and the
/// next analysis, which allocates as much, would otherwise add to them. The library
/// does not choose the allocator, so the binary that does passes this.
pub fn run(root: Option<PathBuf>, release_memory: fn()) -> Result<(), LspError> {
    let input = std::io::BufReader::new(std::io::stdin());
    server::serve(input, std::io::stdout(), root, release_memory)
}
