//! Inputs saved from fuzzing (`fuzz/seeds/` and `fuzz/regressions/`) run through the
//! same checks as the fuzz targets (`muster::fuzzing`), so a crash once found stays fixed.

use muster::fuzzing::{self, OnePageSite, Outcome};

/// The files of `fuzz/<kind>/<target>/`.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = crate::common::repo().join("fuzz").join(kind).join(target);
        let mut files: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .collect();
        files.sort_by(|a, b| a.path().cmp(b.path()));
        for entry in files {
            let rel = entry
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .display()
                .to_string();
            out.push((
                format!("{kind}/{target}/{rel}"),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    out
}

fn config_text() -> String {
    std::fs::read_to_string(crate::common::repo().join("fuzz/site.yaml")).unwrap()
}

#[test]
fn front_matter_inputs() {
    let config = muster::SiteConfig::parse(&config_text()).unwrap();
    let inputs = inputs("front_matter");
    assert!(!inputs.is_empty());
    for (name, data) in inputs {
        eprintln!("{name}");
        fuzzing::front_matter(&config, &data);
    }
}

#[test]
fn link_inputs() {
    let inputs = inputs("links");
    assert!(!inputs.is_empty());
    for (name, data) in inputs {
        eprintln!("{name}");
        fuzzing::links(&String::from_utf8_lossy(&data));
    }
}

#[test]
fn one_page_site_inputs() {
    let mut site = OnePageSite::new(&crate::common::repo(), &config_text());
    let mut rendered = 0;
    for (name, data) in inputs("one_page_site") {
        eprintln!("{name}");
        if site.run(&data) == Outcome::Rendered {
            rendered += 1;
        }
    }
    // The seed drill is valid: the target reaches rendering, not only refusals.
    assert!(rendered >= 1);
    assert_eq!(
        site.run(b"---\ntitle: D\n---\n[[nowhere]]\n"),
        Outcome::Refused
    );
    assert_eq!(site.run(b"\xff"), Outcome::NotText);
}
