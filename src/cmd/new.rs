//! `muster new`: a page of a kind with its fields to fill in, or the list of kinds.

use std::path::PathBuf;
use std::process::ExitCode;

use muster::{BuildErrors, outln};

use super::{Global, Reporter, fail};

/// Options of `muster new`.
#[derive(clap::Args)]
pub struct Args {
    /// The kind, as declared in site.yaml (e.g. `drill`).
    #[arg(required_unless_present = "list")]
    kind: Option<String>,
    /// The page's title; its file name is made from it.
    #[arg(required_unless_present = "list")]
    title: Option<String>,
    /// List the kinds and their fields instead.
    #[arg(long)]
    list: bool,
    /// Make the translation into this language (e.g. `ru`) of the page of that kind and
    /// title: `name.ru.md` beside it, a copy with its fields to translate.
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
    /// Site root (the folder with site.yaml).
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
}

/// Creates the page (never over an existing file) and prints its path.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let config = match muster::SiteConfig::load(&args.root) {
        Ok(c) => c,
        Err(errors) => return Reporter::new(global).errors(&BuildErrors(errors)),
    };
    if args.list {
        outln!("{}", muster::kinds_overview(&config).trim_end());
        return ExitCode::SUCCESS;
    }
    let (Some(kind), Some(title)) = (&args.kind, &args.title) else {
        return ExitCode::from(2);
    };
    let made = match &args.lang {
        Some(lang) => muster::new_translation(&args.root, &config, (kind, title), lang),
        None => muster::new_page(&args.root, &config, kind, title),
    };
    match made {
        Ok(path) => {
            outln!("{}", path.display());
            if args.lang.is_some() && !global.quiet {
                muster::errln!(
                    "a draft copy of the original: translate its title and text, remove `draft: true`, then \
                     record it with `muster translations --mark {}`",
                    path.display()
                );
            } else if !global.quiet {
                muster::errln!(
                    "a draft: fill in its fields (`muster serve` shows drafts and what is missing), and remove \
                     `draft: true` when it is ready"
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
