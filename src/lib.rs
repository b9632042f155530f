//! muster: a static site generator for cross-linked knowledge bases.
//!
//! Data flows one way through stages that each own one job:
//! [`config`] → [`source`] → [`model`] → [`links`] → [`markdown`] → [`render`] → [`output`],
//! driven by [`build()`].
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
//! The stages can be used alone, for example the front matter splitter:
//!
//! ```
//! let text = "---\ntitle: Russia\n---\nA member state.\n";
//! let split = muster::source::split_front_matter(text).unwrap();
//! assert_eq!(split.yaml, "title: Russia\n");
//! assert_eq!(split.body, "A member state.\n");
//! ```

#![warn(missing_docs)]

pub mod assets;
pub mod build;
pub mod config;
#[macro_use]
pub mod console;
pub mod error;
pub mod explain;
#[doc(hidden)]
pub mod fuzzing;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;
pub mod taxonomy;
pub mod text;
mod yaml_errors;
mod yaml_guard;
mod yaml_pos;

pub use build::{BuildOptions, BuildStats, build, check};
pub use error::{BuildErrors, Diagnostic, ErrorKind, Location};
