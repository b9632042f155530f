//! `muster serve`: the live preview.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Global, fail};

/// Options of `muster serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Site root (the folder with site.yaml).
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Address to listen on; anything but loopback makes the site visible to others.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port; when taken, the next few are tried. 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Show draft pages (the default in serve).
    #[arg(long, conflicts_with = "hide_drafts")]
    drafts: bool,
    /// Hide draft pages, as `muster build` does.
    #[arg(long)]
    hide_drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Poll for changes (network file systems, containers) instead of notifications.
    #[arg(long)]
    poll: bool,
    /// Seconds a browser may take to send a request, or keep a connection idle (1 to 3600).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// The editor that file locations in the error overlay open, e.g. "code" or
    /// "xterm -e nvim +{line} {file}" (default: $MUSTER_EDITOR, $VISUAL, $EDITOR).
    #[arg(long, value_name = "COMMAND")]
    editor: Option<String>,
}

/// Serves until Ctrl-C.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let options = muster::ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        drafts: !args.hide_drafts,
        open: args.open,
        poll: args.poll,
        quiet: global.quiet,
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        editor: args.editor.clone(),
    };
    match muster::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
