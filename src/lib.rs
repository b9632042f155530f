//! muster: a static site generator for cross-linked knowledge bases.
//!
//! Data flows one way through stages that each own one job:
//! [`config`] → [`source`] → [`model`] → [`links`] → [`markdown`] → [`render`] → [`output`],
//! driven by [`build`].

pub mod build;
pub mod config;
pub mod error;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod source;
pub mod taxonomy;
mod yaml_pos;

pub use build::{BuildOptions, BuildStats, build, check};
pub use error::{BuildErrors, Diagnostic, ErrorKind, Location};
