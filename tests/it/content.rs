//! The real knowledge base in `content/` builds cleanly and is fully cross-linked.

use std::path::Path;

use crate::common::{copy_dir, links_in, repo};

/// Builds a copy of the repository's site into a temporary folder.
fn build_repo_site(base_url: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "docs"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    let options = muster::BuildOptions {
        base_url: base_url.map(str::to_string),
        ..muster::BuildOptions::new(dir.path())
    };
    if let Err(e) = muster::build(&options, &dir.path().join("public")) {
        panic!("the knowledge base does not build:\n{e}");
    }
    dir
}

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

/// Checks every root-relative href/src in `public` against the files there.
fn assert_internal_links_resolve(public: &Path, base_path: &str) {
    let mut checked = 0;
    for file in html_files(public) {
        let html = std::fs::read_to_string(&file).unwrap();
        for link in links_in(&html) {
            let Some(path) = link.strip_prefix(base_path) else {
                assert!(
                    link.starts_with("http")
                        || link.starts_with('#')
                        || link.starts_with("mailto:"),
                    "{link} in {} is outside the base path {base_path}",
                    file.display()
                );
                continue;
            };
            let path = path.split('#').next().unwrap();
            let target = if path.is_empty() || path.ends_with('/') {
                public.join(path).join("index.html")
            } else {
                public.join(path)
            };
            assert!(
                target.is_file(),
                "{link} in {} points to nothing",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn knowledge_base_builds_and_every_internal_link_exists() {
    let dir = build_repo_site(None);
    assert_internal_links_resolve(&dir.path().join("public"), "/");
}

/// Bodies' HTML past the memory budget waits in a temporary file between parsing and
/// rendering: a site built with every body there is the site built from memory.
#[test]
fn the_knowledge_base_built_with_every_body_spilled_is_the_same() {
    let dir = build_repo_site(None);
    let spilled = dir.path().join("spilled");
    let options = muster::BuildOptions {
        html_in_memory: 0,
        ..muster::BuildOptions::new(dir.path())
    };
    muster::build(&options, &spilled).unwrap();
    let (from_memory, from_file) = (
        crate::common::snapshot_tree(&dir.path().join("public")),
        crate::common::snapshot_tree(&spilled),
    );
    assert!(from_memory.len() > 50, "{} files", from_memory.len());
    assert_eq!(
        from_memory.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        from_file.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in from_memory.iter().zip(&from_file) {
        assert!(a == b, "{path} differs");
    }
}

#[test]
fn knowledge_base_links_hold_under_a_sub_path() {
    let dir = build_repo_site(Some("https://user.example.io/kb/"));
    assert_internal_links_resolve(&dir.path().join("public"), "/kb/");
}

#[test]
fn every_entity_of_the_article_has_a_page() {
    let dir = build_repo_site(None);
    let public = dir.path().join("public");
    for page in [
        "drills/indestructible-brotherhood-2024",
        "members/russia",
        "members/armenia",
        "members/belarus",
        "members/kazakhstan",
        "members/kyrgyzstan",
        "members/tajikistan",
        "organizations/csto",
        "organizations/collective-peacekeeping-force",
        "organizations/collective-security-council",
        "organizations/united-nations",
        "agreements/agreement-2007-10-06",
        "people/almaz-dzhumakeyev",
        "places/bereg-training-ground",
        "places/almaty-region",
        "units/kazakhstan-airborne-assault-troops",
        "events/armenia-withdrawal-announcement",
        "sources/asiaplus-drill-article",
    ] {
        assert!(
            public.join(page).join("index.html").is_file(),
            "{page} missing"
        );
    }
}

#[test]
fn the_drill_page_shows_its_facts_as_links() {
    let dir = build_repo_site(None);
    let html = std::fs::read_to_string(
        dir.path()
            .join("public/drills/indestructible-brotherhood-2024/index.html"),
    )
    .unwrap();
    for expected in [
        r#"<time datetime="2024-09-26">26 September 2024</time>"#,
        r#"<time datetime="2024-10-07">7 October 2024</time>"#,
        r#"<a href="/places/bereg-training-ground/">Bereg training ground</a>"#,
        r#"<a href="/people/almaz-dzhumakeyev/">Almaz Dzhumakeyev</a>"#,
        r#"<a href="/members/tajikistan/">Tajikistan</a>"#,
        r#"<a href="/sources/asiaplus-drill-article/">"#,
        r#"<data value="command-staff">Command-staff</data>"#,
    ] {
        assert!(html.contains(expected), "drill page lacks {expected}");
    }
    let armenia =
        std::fs::read_to_string(dir.path().join("public/members/armenia/index.html")).unwrap();
    assert!(
        armenia.contains(
            r#"<data value="announced-withdrawal">Announced its intention to withdraw</data>"#
        ),
        "{armenia}"
    );
    assert!(armenia.contains(r#"href="/events/armenia-withdrawal-announcement/""#));
    let russia =
        std::fs::read_to_string(dir.path().join("public/members/russia/index.html")).unwrap();
    assert!(
        russia.contains(r#"<div class="fact inverse-drills">"#)
            && russia.contains("<dt>Takes part in</dt>"),
        "members list their drills through the inverse relation"
    );
}

#[test]
fn every_page_cites_the_source_article() {
    let dir = build_repo_site(None);
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("public/api/pages.json")).unwrap())
            .unwrap();
    let mut typed = 0;
    for page in data["pages"].as_array().unwrap() {
        let kind = page["kind"].as_str();
        if kind.is_none() || kind == Some("source") {
            continue;
        }
        typed += 1;
        // Refs are written as the paths of the pages they resolved to: a translation's
        // to the source page's translation.
        let sources = page["fields"]["sources"].as_array();
        let cited = |p: &serde_json::Value| {
            let path = p.as_str().unwrap_or_default();
            path == "sources/asiaplus-drill-article" || path == "ru/sources/asiaplus-drill-article"
        };
        assert!(
            sources.is_some_and(|s| s.iter().any(cited)),
            "{} does not cite the article: {:?}",
            page["path"],
            page["fields"]
        );
    }
    assert!(typed > 10, "only {typed} typed pages");
}

#[test]
fn timeline_and_graph_show_every_dated_and_related_page() {
    let dir = build_repo_site(None);
    let public = dir.path().join("public");
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("api/pages.json")).unwrap()).unwrap();
    let timeline = std::fs::read_to_string(public.join("timeline/index.html")).unwrap();
    let graph = std::fs::read_to_string(public.join("graph/index.html")).unwrap();
    let mut dated = 0;
    for page in data["pages"].as_array().unwrap() {
        // The timeline and the graph show the default language's pages.
        if page["section"] == true || page["lang"] != "en" {
            continue;
        }
        let href = format!("href=\"{}\"", page["url"].as_str().unwrap());
        let has_dates = page["date"].is_string()
            || page["fields"]
                .as_object()
                .unwrap()
                .values()
                .any(|v| v.get("start").is_some());
        if has_dates {
            dated += 1;
            assert!(timeline.contains(&href), "{href} not on the timeline");
        }
        let related = !page["relations"]["out"].as_array().unwrap().is_empty()
            || !page["relations"]["in"].as_array().unwrap().is_empty();
        if related {
            assert!(graph.contains(&href), "{href} not in the graph");
        }
    }
    // The drill (a date range) and the 2007 agreement.
    assert!(dated >= 2, "{dated}");
}

#[test]
fn the_writers_guide_is_published_and_lists_the_real_kinds() {
    let dir = build_repo_site(None);
    let guide = std::fs::read_to_string(dir.path().join("public/guide/index.html")).unwrap();
    assert!(guide.contains("<title>Writer’s guide · "), "{guide}");
    assert!(guide.contains("id=\"links\""), "headings get anchors");
    // Its title first, then its contents.
    let title = guide.find("<h1").expect("a title");
    let contents = guide.find("class=\"toc\"").expect("contents");
    assert!(title < contents, "{guide}");
    // Linked from every page's footer, not from the readers' navigation.
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    let footer = &home[home.find("<footer").expect("a footer")..];
    assert!(footer.contains("href=\"/guide/\""), "{footer}");
    let nav = &home[home.find("<nav").expect("a nav")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(!nav.contains("/guide/"), "{nav}");
    assert!(
        home.contains("href=\"/guide/\""),
        "the guide is in the navigation"
    );
    // The kinds table in the guide is what `muster new --list` prints for this site.
    let config = muster::SiteConfig::load(&repo()).unwrap();
    let overview = muster::kinds_overview(&config);
    let written = std::fs::read_to_string(repo().join("docs/WRITING.md")).unwrap();
    assert!(
        written.contains(&overview),
        "docs/WRITING.md is out of date; paste `muster new --list`:\n{overview}"
    );
}

#[test]
fn pages_have_a_favicon_a_canonical_url_and_opengraph_tags() {
    let dir = build_repo_site(None);
    let public = dir.path().join("public");
    let drill =
        std::fs::read_to_string(public.join("drills/indestructible-brotherhood-2024/index.html"))
            .unwrap();
    let url = "https://example.org/drills/indestructible-brotherhood-2024/";
    for tag in [
        "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">".to_string(),
        format!("<link rel=\"canonical\" href=\"{url}\">"),
        format!("<meta property=\"og:url\" content=\"{url}\">"),
        "<meta property=\"og:title\" content=\"Indestructible Brotherhood-2024\">".to_string(),
        "<meta property=\"og:type\" content=\"article\">".to_string(),
    ] {
        assert!(drill.contains(&tag), "{tag} missing:\n{drill}");
    }
    let description = drill
        .split("<meta property=\"og:description\" content=\"")
        .nth(1)
        .expect("a description");
    assert!(
        description.starts_with("“Indestructible Brotherhood-2024” is a command-staff drill"),
        "{description}"
    );
    let svg =
        std::fs::read_to_string(public.join("favicon.svg")).expect("the favicon is published");
    assert!(svg.starts_with("<svg"), "{svg}");
    // Pages without a page of their own (the graph) still name the site.
    let graph = std::fs::read_to_string(public.join("graph/index.html")).unwrap();
    assert!(
        graph.contains("<meta property=\"og:type\" content=\"website\">"),
        "{graph}"
    );
    assert!(!graph.contains("rel=\"canonical\""), "{graph}");
}
