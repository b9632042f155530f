//! muster: a static site generator for cross-linked knowledge bases.
//!
//! Data flows one way through stages that each own one job (all private to this crate):
//! config → source → model (with Markdown parsed once) → links → render → publish →
//! output, driven by [`build()`]. What is public is what the `muster` command, the
//! tests and other tools need: building and checking a site, its errors, the writers'
//! tools, and (feature `serve`, on by default) the live preview.
//!
//! Building a site from code:
//!
//! ```no_run
//! let options = muster::BuildOptions::new("path/to/site");
//! match muster::build(&options, std::path::Path::new("path/to/site/public")) {
//!     Ok(stats) => println!("{} pages", stats.pages),
//!     Err(errors) => eprintln!("{errors}"),
//! }
//! ```
//!
//! The front matter splitter can be used alone:
//!
//! ```
//! let text = "---\ntitle: Russia\n---\nA member state.\n";
//! let split = muster::split_front_matter(text).unwrap();
//! assert_eq!(split.format, muster::MatterFormat::Yaml);
//! assert_eq!(split.matter, "title: Russia\n");
//! assert_eq!(split.body, "A member state.\n");
//! ```
//!
//! Features: `serve` (the live preview, with tokio, axum and notify) and `external`
//! (`check --external`, with ureq) are on by default; `fuzzing` and `stages` expose the
//! checks of the fuzz targets and the stages one by one, for `fuzz/` and the benchmarks.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

mod assets;
mod build;
#[macro_use]
mod console;
mod config;
mod error;
pub mod explain;
mod file_at;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod git_dates;
mod incremental;
mod links;
#[cfg(feature = "lsp")]
pub mod lsp;
mod markdown;
mod model;
mod output;
mod progress;
mod publish;
mod query;
mod render;
mod scaffold;
mod schema;
#[cfg(feature = "serve")]
mod serve;
mod shortcodes;
mod source;
#[cfg(feature = "stages")]
#[doc(hidden)]
pub mod stages;
mod taxonomy;
mod text;
mod toml_pos;
pub mod translations;
mod url_path;
mod yaml_errors;
mod yaml_guard;
mod yaml_pos;

#[cfg(feature = "external")]
pub use build::check_external;
pub use build::{
    BuildOptions, BuildStats, LoadedSite, PreviousOutput, Rendered, StageTimes, build,
    build_with_progress, check, load, render_into,
};
pub use config::{SiteConfig, valid_base_url};
pub use error::{
    BuildErrors, Diagnostic, ErrorKind, Location, SOURCE_WINDOW, Severity, diagnostic_json,
};
#[cfg(feature = "external")]
pub use links::external::ExternalOptions;
pub use output::replace::remove_previous;
pub use output::{MemorySink, NullSink, OutputSink};
pub use progress::{BuildProgress, NoProgress, TerminalProgress};
pub use scaffold::{ScaffoldError, init, kinds_overview, new_page, new_translation};
pub use schema::write_schemas;
#[cfg(feature = "serve")]
pub use serve::{LiveSite, OpenFirst, ServeError, ServeOptions, Strategy, Update, serve};
pub use source::{FrontMatterSplit, MatterFormat, SplitError, is_xml_char, split_front_matter};
