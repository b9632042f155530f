//! An Obsidian vault: pages and attachments named by file name from anywhere, embeds.

use super::{builds, run_json};
use crate::common::TestSite;

#[test]
fn obsidian_links_find_pages_by_file_name_as_obsidian_does() {
    let site = TestSite::new(&[
        ("vault/Name Page.md", "# Name Page\n\nText.\n"),
        ("vault/topic/Deep One.md", "Deep.\n"),
        (
            "vault/links.md",
            "[[name page]] [[Name Page.md]] [[topic/Deep One]] [[Deep One|the deep one]]\n[by url](Name%20Page.md) [relative](topic/Deep%20One.md)\n\n| Page | Note |\n|---|---|\n| [[Name Page\\|aliased]] | x |\n",
        ),
    ]);
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    let page = site.output("vault/links/index.html");
    // The text's links, not the local graph's.
    let html = &page[..page
        .find(r#"class="local-graph-figure""#)
        .unwrap_or(page.len())];
    assert_eq!(
        html.matches(r#"href="/vault/name-page/""#).count(),
        4,
        "{html}"
    );
    assert_eq!(
        html.matches(r#"href="/vault/topic/deep-one/""#).count(),
        3,
        "{html}"
    );
    assert!(html.contains(">aliased</a>"), "{html}");
    // Two pages of one name: muster asks which, where Obsidian would pick one silently.
    site.write("content/vault/other/Name Page.md", "Another.\n");
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1), "{reported:#?}");
    assert_eq!(
        reported
            .iter()
            .map(|r| (r.line, r.column))
            .collect::<Vec<_>>(),
        [(1, 1), (1, 15), (6, 3)],
        "{reported:#?}"
    );
    assert!(
        reported[0].hint.contains("vault/other/name-page")
            || reported[0].hint.contains("other/Name Page"),
        "{reported:#?}"
    );
}

#[test]
fn attachments_are_found_by_name_and_embedded_images_sized_as_obsidian_does() {
    let site = TestSite::new(&[
        ("vault/Attachments/Site Map.png", "png"),
        ("vault/files/report.pdf", "pdf"),
        ("vault/a/logo.svg", "<svg/>"),
        ("vault/b/logo.svg", "<svg/>"),
        (
            "vault/notes/trip.md",
            "# Trip\n\n[[report.pdf]] and [[files/Report.PDF|the report]]\n\n![[site map.png]]\n\n![[Site Map.png|300]] ![[Site Map.png|A map|200x100]] ![[b/logo.svg]]\n",
        ),
    ]);
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    let html = site.output("vault/notes/trip/index.html");
    assert!(
        html.contains(r#"<a href="/vault/files/report.pdf">report.pdf</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/vault/files/report.pdf">the report</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<img src="/vault/attachments/Site%20Map.png" alt="site map.png" />"#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<img src="/vault/attachments/Site%20Map.png" alt="Site Map.png" width="300" />"#
        ),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<img src="/vault/attachments/Site%20Map.png" alt="A map" width="200" height="100" />"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<img src="/vault/b/logo.svg""#), "{html}");
    assert!(!html.contains("[["), "{html}");
    assert_eq!(site.output("vault/attachments/Site Map.png"), "png");

    // Missing and ambiguous names are located errors with the nearest name.
    site.write(
        "content/vault/notes/trip.md",
        "# Trip\n\n[[reprot.pdf]]\n\n![[logo.svg]]\n",
    );
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1), "{reported:#?}");
    let found: Vec<_> = reported
        .iter()
        .map(|r| (r.line, r.column, r.hint.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{reported:#?}");
    assert_eq!((found[0].0, found[0].1), (3, 1), "{reported:#?}");
    assert!(found[0].2.contains("report.pdf"), "{reported:#?}");
    assert_eq!((found[1].0, found[1].1), (5, 1), "{reported:#?}");
    assert!(found[1].2.contains("a/logo.svg") && found[1].2.contains("b/logo.svg"));
}

#[test]
fn embedding_a_page_shows_it_by_its_name() {
    let site = TestSite::new(&[
        ("vault/Other.md", "# Other\n\nText of the other note.\n"),
        ("vault/host.md", "# Host\n\n![[Other]]\n"),
    ]);
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    let html = site.output("vault/host/index.html");
    assert!(
        html.contains(
            r#"<div class="embed"><p class="embed-source"><a href="/vault/other/">Other</a></p>"#
        ),
        "{html}"
    );
    assert!(html.contains("<p>Text of the other note.</p>"), "{html}");
}

#[test]
fn embedding_a_file_browsers_cannot_show_is_a_warning_and_a_link() {
    let site = TestSite::new(&[
        ("vault/files/Report.docx", "docx"),
        ("vault/files/Report.pdf", "pdf"),
        (
            "vault/host.md",
            "# Host\n\n![[Report.docx]]\n\n![[Report.pdf]]\n",
        ),
    ]);
    let reported = builds(&site);
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert_eq!(
        (reported[0].severity.as_str(), reported[0].line),
        ("warning", 3)
    );
    let html = site.output("vault/host/index.html");
    assert!(
        html.contains(r#"<a href="/vault/files/Report.docx">Report.docx</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<object class="embed-file" data="/vault/files/Report.pdf""#),
        "{html}"
    );
}
