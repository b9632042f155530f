//! The whole load and render of a site with one fuzzed page, into memory: it
//! renders, or every error is located and has a hint.
#![no_main]

use std::path::Path;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use muster::fuzzing::OnePageSite;

static SITE: Mutex<Option<OnePageSite>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let mut site = SITE.lock().unwrap_or_else(|e| e.into_inner());
    let site = site.get_or_insert_with(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        OnePageSite::new(&repo, include_str!("../site.yaml"))
    });
    site.run(data);
});
