//! The integration tests, one binary (as ripgrep's and mdBook's): each module builds
//! real small sites in temporary folders and checks what muster made of them.

mod common;

mod build;
mod code_blocks;
mod content;
mod dates;
mod diagnostics;
mod embeds;
mod errors;
mod external;
mod fuzz_regressions;
mod incremental;
mod incremental_search;
mod invalid_input;
mod languages;
mod lsp;
mod nothing_lost;
mod only_what_it_wrote;
mod other_tools;
mod output_safety;
mod publish;
mod queries;
mod rich_markdown;
mod robustness;
mod serve;
mod serve_live;
mod serve_load;
mod serve_security;
mod shortcodes;
mod snapshots;
mod writers;
