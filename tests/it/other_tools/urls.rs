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
