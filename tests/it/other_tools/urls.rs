//! URLs of migrated sites: names kept as the old tool kept them (`url_names:`).

use super::builds;
use crate::common::{CONFIG, TestSite};

fn with_url_names(style: &str, files: &[(&str, &str)]) -> TestSite {
    TestSite::with_config(&format!("{CONFIG}url_names: {style}\n"), files)
}

#[test]
fn safe_url_names_keep_case_dots_and_underscores() {
    let site = with_url_names(
        "safe",
        &[
            ("notes/Release_Notes v1.2.md", "# Release notes\n"),
            (
                "Guides/Getting Started.md",
                "# Start\n\n![map](../img/Map%201.png)\n",
            ),
            ("Guides/img/Map 1.png", "png"),
            (
                "notes/links.md",
                "[[Release_Notes v1.2]] [start](/Guides/Getting-Started/) [[Map 1.png]]\n",
            ),
        ],
    );
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    let html = site.output("notes/links/index.html");
    assert!(
        html.contains(r#"href="/notes/Release_Notes-v1.2/""#),
        "{html}"
    );
    assert!(html.contains(r#"href="/Guides/img/Map%201.png""#), "{html}");
    assert!(
        site.output("Guides/Getting-Started/index.html")
            .contains("Start")
    );
    assert_eq!(site.output("Guides/img/Map 1.png"), "png");
}

#[test]
fn names_as_written_are_kept_and_encoded_in_every_url() {
    let site = with_url_names(
        "as_written",
        &[
            ("notes/My Page.md", "# Mine\n"),
            (
                "notes/renamed.md",
                "---\ntitle: Renamed\nslug: Über Uns\n---\n",
            ),
            (
                "notes/links.md",
                "[[My Page]] [again](../My%20Page/) [[renamed]]\n",
            ),
        ],
    );
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    assert!(site.output("notes/My Page/index.html").contains("Mine"));
    assert!(site.output("notes/Über Uns/index.html").contains("Renamed"));
    let html = site.output("notes/links/index.html");
    assert!(html.contains(r#"href="/notes/My%20Page/""#), "{html}");
    assert!(html.contains(r#"href="/notes/%C3%9Cber%20Uns/""#), "{html}");
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/notes/My%20Page/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("My Page"), "{sitemap}");
}

#[test]
fn a_slug_that_is_not_one_name_is_an_error_where_it_is_written() {
    let site = with_url_names(
        "as_written",
        &[("notes/a.md", "---\ntitle: A\nslug: a/b\n---\n")],
    );
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("notes/a.md:3:7"), "{err}");
    assert!(err.contains("not one plain name"), "{err}");
}

#[test]
fn summaries_shown_elsewhere_keep_their_relative_urls_working() {
    let site = TestSite::new(&[
        ("blog/_index.md", "---\ntitle: Blog\nsort_by: date\n---\n"),
        (
            "blog/trip/index.md",
            "---\ntitle: Trip\ndate: 2024-05-01\n---\n![the view](view.png) and [notes](notes.pdf), [the next](../other/).\n\nMore.\n",
        ),
        ("blog/trip/view.png", "png"),
        ("blog/trip/notes.pdf", "pdf"),
        (
            "blog/other.md",
            "---\ntitle: Other\ndate: 2024-04-01\n---\nText.\n",
        ),
    ]);
    let reported = super::builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    // On its own page the relative URLs are as written, and work there.
    let own = site.output("blog/trip/index.html");
    assert!(own.contains(r#"src="view.png""#), "{own}");
    // Elsewhere they are made to point at the same files.
    let listing = site.output("blog/index.html");
    assert!(
        listing.contains(r#"src="/blog/trip/view.png""#),
        "{listing}"
    );
    assert!(
        listing.contains(r#"href="/blog/trip/notes.pdf""#),
        "{listing}"
    );
    assert!(listing.contains(r#"href="/blog/other/""#), "{listing}");
    assert!(!listing.contains(r#"src="view.png""#), "{listing}");
    let feed = site.output("blog/atom.xml");
    assert!(
        feed.contains("src=&quot;/blog/trip/view.png&quot;"),
        "{feed}"
    );
    assert!(
        feed.contains("<id>https://example.org/blog/trip/</id>"),
        "{feed}"
    );
}

#[test]
fn a_base_url_without_a_host_warns_that_feeds_need_one() {
    let site = TestSite::with_config(
        &CONFIG.replace("base_url: https://example.org/", "base_url: /kb/"),
        &[("notes/a.md", "---\ntitle: A\n---\n")],
    );
    let reported = super::builds(&site);
    assert_eq!(reported.len(), 1, "{reported:#?}");
    let r = &reported[0];
    assert_eq!(
        (r.severity.as_str(), r.file.as_str(), r.line),
        ("warning", "site.yaml", 2),
        "{r:#?}"
    );
    assert!(r.message.contains("absolute URLs"), "{r:#?}");
    // Given a host when publishing, nothing to say.
    let (code, reported) = super::run_json(&site, &["build", "--base-url", "https://x.org/kb/"]);
    assert_eq!(code, Some(0));
    assert!(reported.is_empty(), "{reported:#?}");
}
