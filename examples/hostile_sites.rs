//! Writes the small sites whose cost once grew faster than their size, for
//! `scripts/bench` (docs/PERFORMANCE.md, "Hostile inputs"):
//!
//! - `links`: 20,000 wikilinks to missing pages on one 380 KB line;
//! - `nesting`: `x: [[[[…` nested 100,000 deep in front matter (200 KB);
//! - `headings`: 20,000 identical headings on one page;
//! - `broken`: 5,000 pages, each with one link to a missing page.
//!
//! `cargo run --release --example hostile_sites -- DIR` (each site in `DIR/<name>`,
//! with this repository's default theme).

use std::path::{Path, PathBuf};

fn main() {
    let Some(out) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: hostile_sites DIR");
        std::process::exit(2);
    };
    let one_page = |body: &str| format!("---\ntitle: A\n---\n{body}\n");
    let links: String = (0..20_000)
        .map(|i| format!("[[missing-page-{}]] ", i % 10))
        .collect();
    site(&out.join("links"), &[("a.md".into(), one_page(&links))]);
    let nesting = format!(
        "---\ntitle: A\nx: {}{}\n---\nbody\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    site(&out.join("nesting"), &[("a.md".into(), nesting)]);
    site(
        &out.join("headings"),
        &[("a.md".into(), one_page(&"## A\n\n".repeat(20_000)))],
    );
    let broken: Vec<(String, String)> = (0..5_000)
        .map(|i| {
            (
                format!("p{i}.md"),
                format!("---\ntitle: Page {i}\n---\nSee [[nowhere-{i}]].\n"),
            )
        })
        .collect();
    site(&out.join("broken"), &broken);
}

/// A site at `root` with the default theme and `files` in `content/notes/`.
fn site(root: &Path, files: &[(String, String)]) {
    let notes = root.join("content/notes");
    std::fs::create_dir_all(&notes).expect("create the site");
    std::fs::write(root.join("site.yaml"), "title: Hostile input\n").expect("site.yaml");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    copy(&theme, &root.join("themes/default"));
    for (name, text) in files {
        std::fs::write(notes.join(name), text).expect("write a page");
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read the theme") {
        let entry = entry.expect("read the theme");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy the theme");
        }
    }
}
