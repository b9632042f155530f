//! The `muster` command line.

use std::path::PathBuf;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use muster::{BuildErrors, BuildOptions, BuildStats, errln, outln};

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
    /// How to print errors: for people, or one JSON object per line (stdout) for tools.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Colour in messages: on a terminal only (auto), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = Colour::Auto)]
    color: Colour,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
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
        /// Seconds to wait for each external link's answer (1 to 3600).
        #[arg(long, default_value_t = 10, requires = "external",
              value_parser = clap::value_parser!(u64).range(1..=3600))]
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
        /// Seconds a browser may take to send a request, or keep a connection idle (1 to 3600).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        request_timeout: u64,
    },
    /// Create a page of a kind, with the kind's fields to fill in.
    New {
        /// The kind, as declared in site.yaml (e.g. `drill`).
        #[arg(required_unless_present = "list")]
        kind: Option<String>,
        /// The page's title; its file name is made from it.
        #[arg(required_unless_present = "list")]
        title: Option<String>,
        /// List the kinds and their fields instead.
        #[arg(long)]
        list: bool,
        /// Site root (the folder with site.yaml).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site that builds at once: settings, two kinds, example pages, the theme.
    Init {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Write JSON Schemas of each kind's front matter and the editor settings that use them.
    Schema {
        /// Site root (the folder with site.yaml).
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Where to write schemas/ and .vscode/ [default: the site root].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Explain an error code, e.g. `muster explain E004`; without a code, list them all.
    Explain {
        /// The code, e.g. E004.
        code: Option<String>,
    },
    /// Deletes a previous site that `build` swapped out, named on standard input (run by `build` itself).
    #[command(name = "__remove-previous-output", hide = true)]
    RemovePreviousOutput,
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
            previous_output: match std::env::current_exe() {
                // The new site is in place at once; the old one is deleted by a helper.
                Ok(program) => muster::build::PreviousOutput::RemoveInBackground { program },
                Err(_) => muster::build::PreviousOutput::Remove,
            },
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
    let reporter = Reporter::new(&cli);
    match &cli.command {
        Command::Build { site, output } => {
            let output = output.clone().unwrap_or_else(|| site.root.join("public"));
            if cli.verbose {
                errln!("building {} into {}", site.root.display(), output.display());
            }
            let progress = muster::progress::TerminalProgress::new(!cli.quiet && reporter.human());
            let result = muster::build::build_with_progress(&site.options(), &output, &progress);
            progress.finish();
            finish_build(&cli, &reporter, result.map(|s| ("built", s)))
        }
        Command::Check {
            site,
            external: false,
            ..
        } => finish_build(
            &cli,
            &reporter,
            muster::check(&site.options()).map(|s| ("checked", s)),
        ),
        Command::Check {
            site,
            external: true,
            timeout,
        } => {
            let external = muster::links::external::ExternalOptions {
                timeout: std::time::Duration::from_secs(*timeout),
                ..Default::default()
            };
            let result =
                muster::build::check_external(&site.options(), &external).map(|(s, urls)| {
                    if !cli.quiet {
                        errln!("{urls} external links answered");
                    }
                    ("checked", s)
                });
            finish_build(&cli, &reporter, result)
        }
        Command::Serve {
            root,
            bind,
            port,
            hide_drafts,
            open,
            poll,
            request_timeout,
            ..
        } => {
            let options = muster::serve::ServeOptions {
                root: root.clone(),
                bind: *bind,
                port: *port,
                drafts: !hide_drafts,
                open: *open,
                poll: *poll,
                quiet: cli.quiet,
                request_timeout: std::time::Duration::from_secs(*request_timeout),
            };
            match muster::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    errln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New {
            kind,
            title,
            list,
            root,
        } => {
            let config = match muster::config::SiteConfig::load(root) {
                Ok(c) => c,
                Err(errors) => return reporter.errors(&BuildErrors(errors)),
            };
            if *list {
                outln!("{}", muster::scaffold::kinds_overview(&config).trim_end());
                return ExitCode::SUCCESS;
            }
            let (Some(kind), Some(title)) = (kind, title) else {
                return ExitCode::from(2);
            };
            match muster::scaffold::new_page(root, &config, kind, title) {
                Ok(path) => {
                    outln!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    errln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir } => match muster::scaffold::init(dir) {
            Ok(files) => {
                if !cli.quiet {
                    errln!(
                        "created a site with {} files in {}; try `muster serve --root {}`",
                        files.len(),
                        dir.display(),
                        dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                errln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Command::Schema { root, output } => {
            let config = match muster::config::SiteConfig::load(root) {
                Ok(c) => c,
                Err(errors) => return reporter.errors(&BuildErrors(errors)),
            };
            let output = output.clone().unwrap_or_else(|| root.clone());
            match muster::schema::write_schemas(&config, &output) {
                Ok(files) => {
                    for f in files {
                        outln!("{}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    errln!("error: {}: {e}", output.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::Explain { code: Some(code) } => match muster::explain::kind_of(code) {
            Some(kind) => {
                let (title, text) = muster::explain::explanation(kind);
                outln!("{}: {title}\n\n{text}", kind.code());
                ExitCode::SUCCESS
            }
            None => {
                errln!("error: no error code `{code}`; `muster explain` lists them");
                ExitCode::from(2)
            }
        },
        Command::RemovePreviousOutput => {
            // The build names the folder once it is renamed for this process; nothing named, nothing done.
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
            let path = line.trim_end_matches(['\n', '\r']);
            if path.is_empty() {
                return ExitCode::SUCCESS;
            }
            match muster::output::replace::remove_previous(std::path::Path::new(path)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    errln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Explain { code: None } => {
            for kind in muster::explain::ALL {
                outln!("{}  {}", kind.code(), muster::explain::explanation(kind).0);
            }
            ExitCode::SUCCESS
        }
    }
}

/// Prints the outcome of a build or check and chooses the exit status.
fn finish_build(
    cli: &Cli,
    reporter: &Reporter,
    result: Result<(&str, BuildStats), BuildErrors>,
) -> ExitCode {
    match result {
        Ok((verb, stats)) => {
            if cli.verbose {
                for (stage, time) in &stats.stages {
                    errln!("  {stage:<36} {time:>10.1?}");
                }
            }
            if !cli.quiet {
                errln!("{}", summary(verb, &stats));
            }
            ExitCode::SUCCESS
        }
        Err(errors) => reporter.errors(&errors),
    }
}

/// Prints diagnostics as the user asked: rendered (coloured on a terminal) or as JSON lines.
struct Reporter {
    format: MessageFormat,
    colour: bool,
}

impl Reporter {
    fn new(cli: &Cli) -> Reporter {
        use std::io::IsTerminal;
        let colour = match cli.color {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Reporter {
            format: cli.message_format,
            colour,
        }
    }

    fn human(&self) -> bool {
        self.format == MessageFormat::Human
    }

    fn errors(&self, errors: &BuildErrors) -> ExitCode {
        match self.format {
            MessageFormat::Human => {
                for d in &errors.0 {
                    errln!("{}\n", d.render(self.colour));
                }
                let n = errors.0.len();
                errln!("{n} error{}", if n == 1 { "" } else { "s" });
            }
            MessageFormat::Json => {
                for d in &errors.0 {
                    outln!("{}", muster::error::diagnostic_json(d));
                }
            }
        }
        ExitCode::from(1)
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
