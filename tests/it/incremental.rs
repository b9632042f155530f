//! Incremental `muster build` against cold builds: after any sequence of edits, a build
//! that reuses the previous site and what its outputs read must leave byte for byte
//! the folder a build from nothing leaves, or fail with the same errors.

use std::path::Path;

use muster::{BuildOptions, BuildStats, Diagnostic};

use crate::common::snapshot_tree;
use crate::serve_live::{Editor, options, site_with};

pub(crate) fn build(options: &BuildOptions, out: &Path) -> Result<BuildStats, Vec<Diagnostic>> {
    muster::build(options, out).map_err(|e| e.0)
}

/// The first path whose bytes differ between two output folders, if any.
pub(crate) fn difference(a: &Path, b: &Path) -> Option<String> {
    let (a, b) = (snapshot_tree(a), snapshot_tree(b));
    let paths_a: Vec<&String> = a.iter().map(|(p, _)| p).collect();
    let paths_b: Vec<&String> = b.iter().map(|(p, _)| p).collect();
    if paths_a != paths_b {
        let only_a: Vec<_> = paths_a.iter().filter(|p| !paths_b.contains(p)).collect();
        let only_b: Vec<_> = paths_b.iter().filter(|p| !paths_a.contains(p)).collect();
        return Some(format!(
            "only incremental: {only_a:?}; only cold: {only_b:?}"
        ));
    }
    a.iter().zip(&b).find(|(x, y)| x.1 != y.1).map(|(x, y)| {
        format!(
            "{} differs\n--- incremental\n{}\n--- cold\n{}",
            x.0,
            String::from_utf8_lossy(&x.1),
            String::from_utf8_lossy(&y.1)
        )
    })
}

/// Runs `steps` random edits from `seed` on the test site (`dense`: see `site_with`),
/// each followed by an incremental build and a cold build (into another folder,
/// without cache), which must agree. Returns how many incremental builds rendered only
/// some of the outputs. With `ignored`, the incremental builds leave that kind of
/// recorded read out of their decisions.
fn run_builds(
    seed: u64,
    steps: usize,
    dense: bool,
    ignored: Option<&'static str>,
) -> Result<usize, String> {
    run_builds_on(site_with(dense), seed, steps, ignored)
}

/// [`run_builds`] on `site`.
fn run_builds_on(
    site: crate::common::TestSite,
    seed: u64,
    steps: usize,
    ignored: Option<&'static str>,
) -> Result<usize, String> {
    let root = site.root().canonicalize().unwrap();
    let options = BuildOptions {
        ignored_reads: ignored,
        cache: true,
        ..options(&root)
    };
    let cold_options = BuildOptions {
        cache: false,
        // Every body's HTML through the temporary file: the same site as from memory.
        html_in_memory: 0,
        ..options.clone()
    };
    let (out, cold) = (site.parent().join("public"), site.parent().join("cold"));
    build(&options, &out).expect("the first build");
    let mut editor = Editor::new(&root, seed);
    let mut partial = 0;
    let mut log = Vec::new();
    for _ in 0..steps {
        let (what, _) = editor.edit();
        log.push(what);
        let at = || format!("seed {seed}, after {log:?}");
        match (build(&options, &out), build(&cold_options, &cold)) {
            (Ok(incremental), Ok(full)) => {
                if let Some(diff) = difference(&out, &cold) {
                    return Err(format!("{}: {diff}", at()));
                }
                if incremental.rendered < full.rendered {
                    partial += 1;
                }
            }
            (Err(a), Err(b)) if a == b => {}
            (a, b) => {
                return Err(format!(
                    "{}: the builds disagree\n--- incremental\n{:?}\n--- cold\n{:?}",
                    at(),
                    a.map(|s| s.rendered),
                    b.map(|s| s.rendered)
                ));
            }
        }
    }
    Ok(partial)
}

#[test]
fn random_edit_sequences_build_what_cold_builds_build() {
    let partial: usize = [(1, true), (2, true), (3, false), (4, false), (5, false)]
        .into_iter()
        .map(|(seed, dense)| run_builds(seed, 30, dense, None).unwrap_or_else(|e| panic!("{e}")))
        .sum();
    // Many edits break the site until a later one repairs it, and on the dense site
    // most change every page; the seeds are fixed, and gave 8 partial builds.
    assert!(
        partial >= 5,
        "only {partial} builds rendered part of the site"
    );
}

/// The same in two languages: an edit to an original or a translation rebuilds what
/// shows it in either language.
#[test]
fn random_edit_sequences_in_two_languages_build_what_cold_builds_build() {
    for (seed, dense) in [(1, true), (3, false)] {
        let site = site_with(dense);
        crate::serve_live::add_russian(&site, dense);
        run_builds_on(site, seed, 30, None).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The test above must be able to fail: with any one kind of recorded read left out of
/// the incremental build's decisions, some sequence of edits leaves a stale file.
/// Not `facts`: on this site whatever shows a page's facts (title, URL, description)
/// also shows its short form, which holds them too, so only a unit test of the
/// fingerprints sees facts alone (`incremental::tests`). Not `template`: a build
/// renders everything when a template changes.
#[test]
fn the_build_equivalence_test_notices_any_kind_of_read_dropped() {
    for kind in ["text", "summary", "field"] {
        let caught = (1..=12).find_map(|seed| run_builds(seed, 30, false, Some(kind)).err());
        assert!(
            caught.is_some(),
            "with `{kind}` reads dropped, every incremental build still matched"
        );
    }
}

/// The sparse test site, options that use the build cache, and its output folder.
pub(crate) fn cached_site() -> (crate::common::TestSite, BuildOptions, std::path::PathBuf) {
    let site = site_with(false);
    let root = site.root().canonicalize().unwrap();
    let options = BuildOptions {
        cache: true,
        ..options(&root)
    };
    let out = site.parent().join("public");
    (site, options, out)
}

#[test]
fn an_unchanged_site_renders_nothing_and_writes_nothing() {
    // The site's folder lives as long as this binding.
    let (_site, options, out) = cached_site();
    let root = options.root.clone();
    let first = build(&options, &out).unwrap();
    assert_eq!((first.unchanged, first.rendered > 0), (0, true));
    // The second build has no spare site yet, but already its reads.
    let second = build(&options, &out).unwrap();
    assert_eq!(second.rendered, 0, "{second:?}");
    let third = build(&options, &out).unwrap();
    assert_eq!((third.rendered, third.unchanged), (0, third.files));
    let page = out.join("members/m1/index.html");
    let before = std::fs::metadata(&page).unwrap().modified().unwrap();
    // One page's body: that page is rendered again, and the pages showing its summary
    // are not (the summary is its first paragraph, unchanged).
    let member = root.join("content/members/m1.md");
    let text = std::fs::read_to_string(&member).unwrap();
    let added = text.replacen("\n\n## History", "\n\nOne more line.\n\n## History", 1);
    std::fs::write(&member, added).unwrap();
    let edited = build(&options, &out).unwrap();
    // The page, and the two that embed its section or link to its heading.
    assert_eq!(edited.rendered, 3, "{edited:?}");
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("One more line.")
    );
    assert_ne!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        before
    );
    // Of the spare site (the one before last), only what changed since was written:
    // the three pages and three data files holding the page's words.
    assert_eq!(edited.files - edited.unchanged, 6, "{edited:?}");
}

/// One replacement in a file of the test site: `(file, text, by)`.
type Replacement<'a> = (&'a str, &'a str, &'a str);

/// On the sparse test site: makes `first` and builds twice (the second build has the
/// cache's every part), then makes `then` and builds again, which must leave what a cold
/// build leaves. Returns the site (its folder lives as long as it) and the output folder.
fn edit_after_a_cached_build(
    first: Replacement<'_>,
    then: Replacement<'_>,
) -> (crate::common::TestSite, std::path::PathBuf) {
    let (site, options, out) = cached_site();
    let edit = |(rel, from, to): Replacement<'_>| {
        let file = options.root.join(rel);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    edit(first);
    build(&options, &out).unwrap();
    build(&options, &out).unwrap();
    edit(then);
    build(&options, &out).unwrap();
    let cold_out = site.parent().join("cold");
    let cold = BuildOptions {
        cache: false,
        ..options.clone()
    };
    build(&cold, &cold_out).unwrap();
    assert_eq!(difference(&out, &cold_out), None);
    (site, out)
}

/// A document's terms, and a summary, are found by what the body is made of, without
/// making its HTML (see `LinkTargets::searchable_body_key` and `summary_key`). A bare
/// link's text is its target's title: renaming the target changes the document of a
/// page linking to it (here with the link outside the page's summary, which would
/// otherwise show the change) and the summary of m0 (`next to [[m1]]`) in every listing.
/// The title keeps its place in the listings, whose order the site's setup holds: with
/// the setup changed, everything is made again and the test would show nothing.
#[test]
fn renaming_a_linked_page_changes_the_search_document_linking_to_it() {
    let (_site, out) = edit_after_a_cached_build(
        (
            "content/members/m4.md",
            "Joined long ago.",
            "Joined long ago. Later [[m1]] too.",
        ),
        (
            "content/members/m1.md",
            "title: Member 1",
            "title: Member 1 Quokka",
        ),
    );
    let docs: String = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("docs-")
        })
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(docs.contains("Later Member 1 Quokka too"), "{docs}");
    let listing = std::fs::read_to_string(out.join("members/index.html")).unwrap();
    let at = listing
        .find("Intro paragraph of member 0, next to")
        .expect("the listing shows m0's summary");
    let shown: String = listing[at..].chars().take(200).collect();
    assert!(shown.contains("Member 1 Quokka"), "{shown}");
}

/// A page's entry of `pages.json` is kept by the page's text and the site's setup, and
/// by what its queries found, which a field of another page changes without either.
#[test]
fn a_query_finding_other_pages_changes_the_entry_of_the_page_asking() {
    let (_site, out) = edit_after_a_cached_build(
        (
            "content/_index.md",
            "Start at [[d0]].",
            "Start at [[d0]].\n\n```query\nkind: member\nwhere: { joined: { to: 1991 } }\n```",
        ),
        ("content/members/m3.md", "joined: 1993", "joined: 1990"),
    );
    let pages = std::fs::read_to_string(out.join("api/pages.json")).unwrap();
    let found = r#""queries":[{"kind":"member","pages":["members/m0","members/m1","members/m3"]}]"#;
    assert!(pages.contains(found), "{pages}");
}

#[test]
fn a_damaged_cache_is_a_notice_and_the_build_renders_everything() {
    let (site, options, out) = cached_site();
    let first = build(&options, &out).unwrap();
    let state = site.parent().join(".public.muster-cache/render-state");
    assert!(state.is_file());
    std::fs::write(&state, b"\xff\xfe not a state").unwrap();
    let damaged = build(&options, &out).unwrap();
    assert_eq!(damaged.rendered, first.rendered);
    let notice = damaged
        .warnings
        .iter()
        .find(|w| w.message.contains("build cache cannot be used"))
        .unwrap_or_else(|| panic!("no notice: {:?}", damaged.warnings));
    assert_eq!(notice.location.as_ref().unwrap().file, state);
    // The build wrote a good state again.
    let next = build(&options, &out).unwrap();
    assert_eq!(next.rendered, 0);
    assert!(next.warnings.is_empty(), "{:?}", next.warnings);
    // An output folder changed behind muster's back (its manifest no longer the one
    // the state describes): no notice, everything rendered.
    let manifest = out.join(".muster-manifest");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let home = text.lines().find(|l| l.ends_with(" index.html")).unwrap();
    let changed = format!("{:032x} index.html", 7);
    std::fs::write(&manifest, text.replacen(home, &changed, 1)).unwrap();
    let replaced = build(&options, &out).unwrap();
    assert_eq!(replaced.rendered, first.rendered);
    // Without the cache nothing is kept beside the output folder.
    let cold = BuildOptions {
        cache: false,
        ..options
    };
    build(&cold, &out).unwrap();
    assert!(!site.parent().join(".public.muster-cache").exists());
}
