//! One module a command, as mdBook's `cmd/`; what they share is here: the global options,
//! the site options of `build` and `check`, and how outcomes and errors are printed.

pub mod build;
pub mod check;
pub mod explain;
pub mod init;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod new;
pub mod remove_previous;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod translations;

use std::path::PathBuf;
use std::process::ExitCode;

use muster::{BuildErrors, BuildOptions, BuildStats, errln, outln};

/// Options every command takes.
#[derive(clap::Args)]
pub struct Global {
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print more about what is done.
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// How to print errors: for people, or one JSON object per line (stdout) for tools.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// Colour in messages: on a terminal only (auto), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = Colour::Auto)]
    pub color: Colour,
}

/// How errors are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

/// When messages are coloured.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Colour {
    Auto,
    Always,
    Never,
}

/// The site a command works on, for `build` and `check`.
#[derive(clap::Args)]
pub struct SiteArgs {
    /// Site root (the folder with site.yaml).
    #[arg(long, short, default_value = ".")]
    pub root: PathBuf,
    /// Include draft pages.
    #[arg(long)]
    pub drafts: bool,
    /// Override base_url from site.yaml, e.g. https://host/kb/.
    #[arg(long, value_parser = base_url)]
    pub base_url: Option<String>,
}

impl SiteArgs {
    /// The build options these arguments ask for.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            fingerprint: true,
            previous_output: match std::env::current_exe() {
                // The new site is in place at once; the old one is deleted by a helper.
                Ok(program) => muster::PreviousOutput::RemoveInBackground { program },
                Err(_) => muster::PreviousOutput::Remove,
            },
            cache: true,
            ..BuildOptions::new(self.root.clone())
        }
    }
}

fn base_url(value: &str) -> Result<String, String> {
    if muster::valid_base_url(value) {
        Ok(value.to_string())
    } else {
        Err(
            "expected an absolute http(s) URL such as https://host/kb/, or a path such as /kb/"
                .into(),
        )
    }
}

/// Prints the outcome of a build or check and chooses the exit status.
pub fn finish_build(global: &Global, result: Result<(&str, BuildStats), BuildErrors>) -> ExitCode {
    match result {
        Ok((verb, stats)) => {
            Reporter::new(global).print(&stats.warnings);
            if global.verbose {
                for (stage, time) in &stats.stages {
                    errln!("  {stage:<36} {time:>10.1?}");
                }
                if let Some((listed, known)) = stats.folders_listed {
                    let what = "output folders";
                    errln!("  {what:<36} {listed} listed, {known} known unchanged");
                }
                if let Some((made, carried)) = stats.search_files {
                    let what = "search index files";
                    errln!("  {what:<36} {made} made, {carried} taken as they were");
                }
            }
            if !global.quiet {
                // How many files a build reusing the previous site actually wrote.
                let changed = match stats.unchanged {
                    0 => String::new(),
                    n => format!(
                        " ({} changed; {} rendered)",
                        stats.files.saturating_sub(n),
                        stats.rendered
                    ),
                };
                errln!(
                    "{verb} {} pages, {} sections, {} terms; {} files{changed} in {:.0?}",
                    stats.pages,
                    stats.sections,
                    stats.terms,
                    stats.files,
                    stats.elapsed
                );
            }
            ExitCode::SUCCESS
        }
        Err(errors) => Reporter::new(global).errors(&errors),
    }
}

/// Prints diagnostics as the user asked: rendered (coloured on a terminal) or as JSON lines.
pub struct Reporter {
    format: MessageFormat,
    colour: bool,
}

impl Reporter {
    /// A reporter for the global options.
    pub fn new(global: &Global) -> Reporter {
        use std::io::IsTerminal;
        let colour = match global.color {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Reporter {
            format: global.message_format,
            colour,
        }
    }

    /// Whether messages are for people.
    pub fn human(&self) -> bool {
        self.format == MessageFormat::Human
    }

    /// Prints `errors` (and the warnings among them); the exit status of a command
    /// that had them.
    pub fn errors(&self, errors: &BuildErrors) -> ExitCode {
        self.print(&errors.0);
        ExitCode::from(1)
    }

    /// Prints diagnostics, then (for people) how many errors and warnings there were.
    pub fn print(&self, diagnostics: &[muster::Diagnostic]) {
        match self.format {
            MessageFormat::Human => {
                for d in diagnostics {
                    errln!("{}\n", d.render(self.colour));
                }
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let warnings = diagnostics.len() - errors;
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                match (errors, warnings) {
                    (0, 0) => {}
                    (0, w) => errln!("{w} warning{}", plural(w)),
                    (e, 0) => errln!("{e} error{}", plural(e)),
                    (e, w) => errln!("{e} error{}, {w} warning{}", plural(e), plural(w)),
                }
            }
            MessageFormat::Json => {
                for d in diagnostics {
                    outln!("{}", muster::diagnostic_json(d));
                }
            }
        }
    }
}

/// Prints a failure that is not a site's error (a folder that exists, a server that
/// cannot start) and gives exit status 1.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    errln!("error: {message}");
    ExitCode::from(1)
}
