//! `muster translations`: each page's translation status per language, and `--mark` to
//! record that translations match their originals.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use muster::{BuildOptions, outln};

use super::{Global, Reporter};

/// Options of `muster translations`.
#[derive(clap::Args)]
pub struct Args {
    /// Site root (the folder with site.yaml).
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Record that these translations (e.g. content/members/russia.ru.md) match their
    /// originals as they are now, instead of printing the table.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    mark: Vec<PathBuf>,
}

/// Prints the table, or marks the files given and prints their paths.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let options = BuildOptions::new(&args.root);
    if args.mark.is_empty() {
        return match muster::translations::report(&options) {
            Ok(text) => {
                outln!("{}", text.trim_end());
                ExitCode::SUCCESS
            }
            Err(errors) => Reporter::new(global).errors(&errors),
        };
    }
    let files: Vec<PathBuf> = args
        .mark
        .iter()
        .map(|f| below_root(&args.root, f))
        .collect();
    match muster::translations::mark(&options, &files) {
        Ok(written) => {
            for file in written {
                outln!("{}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(errors) => Reporter::new(global).errors(&errors),
    }
}

/// `file` relative to the site root: as given from the current folder when it names a
/// file there below the root, else as a path from the root.
fn below_root(root: &Path, file: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).ok();
    match (absolute(file), absolute(root)) {
        (Some(f), Some(r)) if file.exists() => f
            .strip_prefix(&r)
            .map_or_else(|_| file.to_path_buf(), Path::to_path_buf),
        _ => file.to_path_buf(),
    }
}
