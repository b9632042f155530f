//! `muster check`: everything a build does but writing, and with `--external` the links out.

use std::process::ExitCode;

use super::{Global, SiteArgs, finish_build};

/// Options of `muster check`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// Also request every external (http/https) link once and report those that fail.
    #[cfg(feature = "external")]
    #[arg(long)]
    external: bool,
    /// Seconds to wait for each external link's answer (1 to 3600).
    #[cfg(feature = "external")]
    #[arg(long, default_value_t = 10, requires = "external",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
}

/// Checks the site, and the external links if asked.
pub fn run(args: &Args, global: &Global) -> ExitCode {
    let options = args.site.options();
    #[cfg(feature = "external")]
    if args.external {
        return check_external(args, global, &options);
    }
    finish_build(global, muster::check(&options).map(|s| ("checked", s)))
}

/// Checks the site, then requests every external link.
#[cfg(feature = "external")]
fn check_external(args: &Args, global: &Global, options: &muster::BuildOptions) -> ExitCode {
    let external = muster::ExternalOptions {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..Default::default()
    };
    let result = muster::check_external(options, &external).map(|(s, urls)| {
        if !global.quiet {
            muster::errln!("{urls} external links answered");
        }
        ("checked", s)
    });
    finish_build(global, result)
}
