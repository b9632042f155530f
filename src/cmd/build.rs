//! `muster build`: the site into its output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use muster::errln;

use super::{Global, Reporter, SiteArgs, finish_build};

/// Options of `muster build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// Output folder [default: public/ in the site root].
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Write every file anew and delete the cache beside the output folder, where a
    /// build keeps the previous site to update only what changed.
    #[arg(long)]
    no_cache: bool,
}

/// Builds, with a progress bar on a terminal.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let site = &args.site;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| site.root.join("public"));
    if global.verbose {
        errln!("building {} into {}", site.root.display(), output.display());
    }
    let human = Reporter::new(global).human();
    let progress = muster::TerminalProgress::new(!global.quiet && human);
    let options = muster::BuildOptions {
        cache: !args.no_cache,
        ..site.options()
    };
    let result = muster::build_with_progress(&options, &output, &progress);
    progress.finish();
    finish_build(global, result.map(|s| ("built", s)))
}
