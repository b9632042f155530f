//! The `muster` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use muster::{BuildErrors, BuildOptions, BuildStats};

/// A fast static site generator for cross-linked knowledge bases.
#[derive(Parser)]
#[command(name = "muster", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Print more about what is done.
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: public/ in the site root].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Check every page, link and template without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Also request every external (http/https) link once and report those that fail.
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external link's answer.
        #[arg(long, default_value_t = 10, requires = "external")]
        timeout: u64,
    },
    /// Preview the site: serve it from memory and reload the browser on every change.
    Serve {
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
    },
}

#[derive(Args)]
struct SiteArgs {
    /// Site root (the folder with site.yaml).
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Include draft pages.
    #[arg(long)]
    drafts: bool,
    /// Override base_url from site.yaml, e.g. https://host/kb/.
    #[arg(long, value_parser = base_url)]
    base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            fingerprint: true,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Command::Serve {
        root,
        bind,
        port,
        hide_drafts,
        open,
        poll,
        ..
    } = &cli.command
    {
        let options = muster::serve::ServeOptions {
            root: root.clone(),
            bind: *bind,
            port: *port,
            drafts: !hide_drafts,
            open: *open,
            poll: *poll,
            quiet: cli.quiet,
        };
        return match muster::serve::serve(&options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    let result = match &cli.command {
        Command::Build { site, output } => {
            let output = output.clone().unwrap_or_else(|| site.root.join("public"));
            if cli.verbose {
                eprintln!("building {} into {}", site.root.display(), output.display());
            }
            muster::build(&site.options(), &output).map(|s| ("built", s))
        }
        Command::Check {
            site,
            external: false,
            ..
        } => muster::check(&site.options()).map(|s| ("checked", s)),
        Command::Check {
            site,
            external: true,
            timeout,
        } => {
            let external = muster::links::external::ExternalOptions {
                timeout: std::time::Duration::from_secs(*timeout),
                ..Default::default()
            };
            muster::build::check_external(&site.options(), &external).map(|(s, urls)| {
                if !cli.quiet {
                    eprintln!("{urls} external links answered");
                }
                ("checked", s)
            })
        }
        Command::Serve { .. } => unreachable!("handled above"),
    };
    match result {
        Ok((verb, stats)) => {
            if cli.verbose {
                for (stage, time) in &stats.stages {
                    eprintln!("  {stage:<32} {time:>10.1?}");
                }
            }
            if !cli.quiet {
                eprintln!("{}", summary(verb, &stats));
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            report(&errors);
            ExitCode::from(1)
        }
    }
}

fn base_url(value: &str) -> Result<String, String> {
    if muster::config::valid_base_url(value) {
        Ok(value.to_string())
    } else {
        Err(
            "expected an absolute http(s) URL such as https://host/kb/, or a path such as /kb/"
                .into(),
        )
    }
}

fn summary(verb: &str, s: &BuildStats) -> String {
    format!(
        "{verb} {} pages, {} sections, {} terms; {} files in {:.0?}",
        s.pages, s.sections, s.terms, s.files, s.elapsed
    )
}

fn report(errors: &BuildErrors) {
    eprintln!("{errors}");
}
