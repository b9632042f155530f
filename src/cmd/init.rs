//! `muster init`: a new site that builds at once.

use std::path::PathBuf;
use std::process::ExitCode;

use muster::errln;

use super::{Global, fail};

/// Options of `muster init`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder to create (must not exist, or be empty).
    dir: PathBuf,
}

/// Creates the site and says how to preview it.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let dir = &args.dir;
    match muster::init(dir) {
        Ok(files) => {
            if !global.quiet {
                errln!(
                    "created a site with {} files in {}; try `muster serve --root {}`",
                    files.len(),
                    dir.display(),
                    dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
