//! `muster lsp`: the language server editors start (docs/EDITORS.md).

use std::path::PathBuf;
use std::process::ExitCode;

use super::fail;

/// Options of `muster lsp`.
#[derive(clap::Args)]
pub struct Args {
    /// Site root (the folder with site.yaml); by default the editor's workspace folder,
    /// or the nearest folder above it with a site.yaml.
    #[arg(long, short)]
    root: Option<PathBuf>,
    /// Talk over standard input and output (the only transport; editors pass it).
    #[arg(long)]
    stdio: bool,
}

/// Serves the site to the editor on standard input and output.
pub fn run(args: &Args) -> ExitCode {
    match muster::lsp::run(args.root.clone(), crate::release_memory) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
