//! `muster schema`: JSON Schemas of the kinds and the editor settings that use them.

use std::path::PathBuf;
use std::process::ExitCode;

use muster::{BuildErrors, outln};

use super::{Global, Reporter, fail};

/// Options of `muster schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Site root (the folder with site.yaml).
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Where to write schemas/ and .vscode/ [default: the site root].
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Writes the schemas and settings and prints their paths.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let config = match muster::SiteConfig::load(&args.root) {
        Ok(c) => c,
        Err(errors) => return Reporter::new(global).errors(&BuildErrors(errors)),
    };
    let output = args.output.clone().unwrap_or_else(|| args.root.clone());
    match muster::write_schemas(&config, &output) {
        Ok(files) => {
            for f in files {
                outln!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(format_args!("{}: {e}", output.display())),
    }
}
