//! The front matter splitter and parser: any bytes as a page file give a page or
//! located errors, never a panic; every location lies inside the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use muster::SiteConfig;

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| SiteConfig::parse(include_str!("../site.yaml")).expect("valid"))
}

fuzz_target!(|data: &[u8]| muster::fuzzing::front_matter(config(), data));
