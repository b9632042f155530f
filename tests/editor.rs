//! Editor tests: a real editor's LSP client attached to `muster lsp`. Neovim runs
//! headless (`nvim`, Debian's `neovim`, installed by `.ci/run`) with the script in
//! `tests/editor/`; Helix (`hx`, Debian 13's, which `.ci/run` unpacks when it can) runs in
//! a tmux pane, driven by keys and read off the screen, as a writer would use it. Without
//! an editor its test is reported as ignored, not passed (this binary runs its own harness,
//! libtest-mimic, to decide that at run time), unless `MUSTER_REQUIRE_EDITOR=1` (set by
//! `.ci/run`) makes a missing Neovim a failure, and `MUSTER_REQUIRE_HELIX=1` (set by
//! `.ci/run` once Helix is unpacked) a missing Helix.

#[path = "editor/helix.rs"]
mod helix;

#[path = "it/common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let nvim = which_nvim();
    let required = std::env::var_os("MUSTER_REQUIRE_EDITOR").is_some();
    if nvim.is_none() {
        eprintln!("editor tests cannot run here: no `nvim` on PATH");
    }
    let trial = libtest_mimic::Trial::test("neovim_shows_errors_and_completes_refs", move || {
        match &nvim {
            Some(nvim) => neovim_shows_errors_and_completes_refs(nvim),
            None => return Err("editor tests required but `nvim` is missing".into()),
        }
        Ok(())
    })
    .with_ignored_flag(which_nvim().is_none() && !required);
    libtest_mimic::run(&args, vec![trial, helix::trial()]).exit();
}

fn which_nvim() -> Option<String> {
    let nvim = std::env::var("NVIM_BIN").unwrap_or_else(|_| "nvim".into());
    let found = Command::new(&nvim)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    found.then_some(nvim)
}

const DRILL: &str = "content/drills/indestructible-brotherhood-2024.md";

/// A copy of the knowledge base whose drill page names its host `kazakstan` (no page):
/// the folder, and the page's text.
fn site_with_broken_host() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    for part in ["content", "themes", "docs"] {
        common::copy_dir(&common::repo().join(part), &site.join(part));
    }
    std::fs::copy(common::repo().join("site.yaml"), site.join("site.yaml")).unwrap();
    let page = site.join(DRILL);
    let text = std::fs::read_to_string(&page).unwrap();
    let broken = text.replacen("host: kazakhstan", "host: kazakstan", 1);
    assert_ne!(
        broken, text,
        "the drill page no longer names its host as expected"
    );
    std::fs::write(&page, &broken).unwrap();
    (dir, broken)
}

/// Neovim opens the knowledge base's drill page with a broken ref and receives its
/// error, then asks for the values of `participants:`.
fn neovim_shows_errors_and_completes_refs(nvim: &str) {
    let (dir, broken) = site_with_broken_host();
    let site = dir.path();
    let page = site.join(DRILL);
    // Inside `kazakhstan`, the first of the participants.
    let participants = broken.find("participants: [").unwrap() + "participants: [".len() + 3;
    let line = broken[..participants].matches('\n').count();
    let character = participants - broken[..participants].rfind('\n').map_or(0, |i| i + 1);
    let out = site.join("neovim-result.json");
    let mut child = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            common::repo().join("tests/editor/neovim.lua").display()
        ))
        .env("MUSTER_BIN", env!("CARGO_BIN_EXE_muster"))
        .env("MUSTER_SITE", site)
        .env("MUSTER_PAGE", &page)
        .env("MUSTER_OUT", &out)
        .env("MUSTER_LINE", line.to_string())
        .env("MUSTER_CHARACTER", character.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start nvim");
    let until = Instant::now() + Duration::from_secs(180);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > until {
            let _ = child.kill();
            panic!("nvim did not finish in 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let result: Value = match std::fs::read_to_string(&out) {
        Ok(text) => serde_json::from_str(&text).unwrap(),
        Err(e) => panic!("nvim wrote no result ({e})"),
    };
    let diagnostics = result["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{result}");
    let host_line = broken.lines().position(|l| l.starts_with("host:")).unwrap();
    assert_eq!(diagnostics[0]["line"], host_line, "{result}");
    assert_eq!(diagnostics[0]["col"], "host: ".len(), "{result}");
    assert_eq!(diagnostics[0]["code"], "E005", "{result}");
    assert_eq!(diagnostics[0]["source"], "muster", "{result}");
    let inserts: Vec<&str> = result["completion"]
        .as_array()
        .expect("completion")
        .iter()
        .map(|i| i["insert"].as_str().unwrap())
        .collect();
    let members = [
        "armenia",
        "belarus",
        "kazakhstan",
        "kyrgyzstan",
        "russia",
        "tajikistan",
    ];
    assert_eq!(inserts, members, "{result}");
    let labels: Vec<&str> = result["completion"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Kazakhstan"), "{labels:?}");
}
