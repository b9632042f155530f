//! The Markdown scan that finds internal links and wikilinks: offsets inside the
//! body, unique heading ids, every link slot filled.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| muster::fuzzing::links(body));
