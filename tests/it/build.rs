//! Builds small real sites and checks the HTML they produce.

use crate::common::{TestSite, member};

const DRILL: &str = "---
title: Exercise One
dates: { start: 2024-09-26, end: 2024-10-07 }
host: kazakhstan
participants: [russia, members/kazakhstan]
format: command-staff
objectives: [Deploy faster]
tags: [CSTO, peacekeeping]
---
Hosted by [[kazakhstan]], see [its history](@/members/kazakhstan.md#history) and [[russia|the RF]].

## Plan

Text.
";

fn basic_site() -> TestSite {
    TestSite::new(&[
        ("drills/one.md", DRILL),
        (
            "members/kazakhstan.md",
            &member("Kazakhstan", "## History\n\nSome."),
        ),
        ("members/russia.md", &member("Russia", "Plain.")),
    ])
}

#[test]
fn pages_get_pretty_urls_and_sections_list_them() {
    let site = basic_site();
    let stats = site.build_ok();
    assert_eq!((stats.pages, stats.sections), (3, 3));
    let section = site.output("members/index.html");
    let k = section
        .find("/members/kazakhstan/")
        .expect("kazakhstan listed");
    let r = section.find("/members/russia/").expect("russia listed");
    assert!(k < r, "sorted by title");
    assert!(site.output("index.html").contains("href=\"/drills/\""));
}

#[test]
fn links_and_wikilinks_resolve_to_urls() {
    let site = basic_site();
    site.build_ok();
    let html = site.output("drills/one/index.html");
    assert!(
        html.contains(r#"Hosted by <a href="/members/kazakhstan/">Kazakhstan</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="/members/kazakhstan/#history">its history</a>"#));
    assert!(html.contains(r#"<a href="/members/russia/">the RF</a>"#));
    assert!(html.contains(r##"<h2 id="plan">Plan<a class="heading-anchor" href="#plan" aria-hidden="true" tabindex="-1"></a></h2>"##));
}

#[test]
fn relative_markdown_links_resolve_from_the_page_folder() {
    let site = TestSite::new(&[
        (
            "members/kazakhstan.md",
            &member(
                "Kazakhstan",
                "See [Russia](russia.md) and [the drill](../drills/one.md#plan).",
            ),
        ),
        ("members/russia.md", &member("Russia", "")),
        (
            "drills/one/index.md",
            "---\ntitle: One\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: kazakhstan\n---\n## Plan\n\n[Back](../../members/kazakhstan.md)\n",
        ),
    ]);
    site.build_ok();
    let html = site.output("members/kazakhstan/index.html");
    assert!(
        html.contains(r#"<a href="/members/russia/">Russia</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/drills/one/#plan">the drill</a>"#),
        "{html}"
    );
    assert!(
        site.output("drills/one/index.html")
            .contains(r#"<a href="/members/kazakhstan/">Back</a>"#)
    );
    assert!(
        site.output("members/russia/index.html")
            .contains("Linked from")
    );
}

#[test]
fn wikilinks_to_a_heading_of_the_same_page() {
    let site = TestSite::new(&[(
        "notes/a.md",
        &member("A", "See [[#details]].\n\n## Details\n"),
    )]);
    site.build_ok();
    let html = site.output("notes/a/index.html");
    assert!(
        html.contains(r#"<a href="/notes/a/#details">Details</a>"#),
        "{html}"
    );
    let broken = TestSite::new(&[("notes/a.md", &member("A", "See [[#nope]].\n\n## Details\n"))]);
    let errs = broken.build().unwrap_err().0;
    assert_eq!(errs[0].kind, muster::ErrorKind::Anchor);
    assert_eq!(errs[0].hint.as_deref(), Some("anchors there: `#details`"));
}

#[test]
fn markdown_links_to_a_heading_of_the_same_page_are_checked() {
    let site = TestSite::new(&[(
        "notes/a.md",
        &member(
            "A",
            "See [the details](#details).

## Details
",
        ),
    )]);
    site.build_ok();
    let html = site.output("notes/a/index.html");
    assert!(
        html.contains(r#"<a href="/notes/a/#details">the details</a>"#),
        "{html}"
    );
    let broken = TestSite::new(&[(
        "notes/a.md",
        &member(
            "A",
            "[x](#detials)

## Details
",
        ),
    )]);
    let errs = broken.build().unwrap_err().0;
    assert_eq!(errs[0].kind, muster::ErrorKind::Anchor);
    assert_eq!(errs[0].hint.as_deref(), Some("did you mean `#details`?"));
}

#[test]
fn wikilinks_may_use_titles_that_slugify_to_a_page() {
    let site = TestSite::new(&[
        ("notes/airborne-troops.md", &member("Airborne Troops", "")),
        (
            "notes/a.md",
            &member("A", "See [[Airborne Troops]] and [[Airborne Troops|them]]."),
        ),
    ]);
    site.build_ok();
    let html = site.output("notes/a/index.html");
    assert!(
        html.contains(r#"<a href="/notes/airborne-troops/">Airborne Troops</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/notes/airborne-troops/">them</a>"#),
        "{html}"
    );
}

#[test]
fn output_folder_is_relative_to_the_working_directory() {
    let site = basic_site();
    let out = site.run(&["build", "--quiet", "--output", "elsewhere"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.root().join("elsewhere/index.html").is_file());
    assert!(!site.root().join("public").exists());
}

#[test]
fn typed_fields_render_meaningfully() {
    let site = basic_site();
    site.build_ok();
    let html = site.output("drills/one/index.html");
    assert!(
        html.contains(r#"<time datetime="2024-09-26">26 September 2024</time>"#),
        "{html}"
    );
    assert!(html.contains("<dt>Participants</dt>"));
    assert!(html.contains(r#"<li><a href="/members/russia/">Russia</a></li>"#));
    assert!(html.contains("<li>Deploy faster</li>"));
    // An enum value is shown as words, its slug kept as the machine-readable value.
    assert!(
        html.contains(r#"<data value="command-staff">Command staff</data>"#),
        "{html}"
    );
}

#[test]
fn inverse_relations_show_once_named_and_other_backlinks_with_their_sentence() {
    let config = crate::common::CONFIG
        .replace("inverse: hosted }", "inverse: hosted, inverse_label: Hosts }")
        .replace(
            "      objectives: { type: list }\n",
            "      objectives: { type: list }\n      observer: { type: ref, kind: member, label: Observer }\n",
        );
    let drill = DRILL.replace(
        "format: command-staff\n",
        "format: command-staff\nobserver: russia\n",
    );
    let site = TestSite::with_config(
        &config,
        &[
            ("drills/one.md", &drill),
            (
                "members/kazakhstan.md",
                &member("Kazakhstan", "## History\n\nSome."),
            ),
            ("members/russia.md", &member("Russia", "Plain.")),
            (
                "notes/n.md",
                "---\ntitle: Note\n---\nFirst. A note on [[russia]] and\n[[kazakhstan|KZ]] here. Last.\n",
            ),
        ],
    );
    site.build_ok();
    let article = |path: &str| {
        let html = site.output(path);
        html[..html.find(r#"<aside class="recent""#).unwrap_or(html.len())].to_string()
    };
    let kz = article("members/kazakhstan/index.html");
    // Each inverse relation is a row of the infobox, named by `inverse_label` or by its
    // name as words.
    let infobox = &kz[kz.find(r#"<aside class="infobox""#).expect(&kz)..];
    let infobox = &infobox[..infobox.find("</aside>").unwrap()];
    assert!(infobox.contains("<dt>Hosts</dt>"), "{infobox}");
    assert!(infobox.contains("<dt>Drills</dt>"), "{infobox}");
    assert!(infobox.contains(r#"<a href="/drills/one/">Exercise One</a>"#));
    // The drill is listed by its relations only: not again among the backlinks.
    let backlinks = &kz[kz.find(r#"<section class="backlinks""#).expect(&kz)..];
    assert!(!backlinks.contains("/drills/one/"), "{backlinks}");
    // A link without a typed relation shows the sentence it stands in, with titles for
    // bare wikilinks and the link's own words marked.
    assert!(
        backlinks.contains(
            "<blockquote class=\"mention\">A note on Russia and <mark>KZ</mark> here.</blockquote>"
        ),
        "{backlinks}"
    );
    let russia = article("members/russia/index.html");
    // A ref without an inverse is a backlink named by its field, never "(link)".
    let backlinks = &russia[russia.find(r#"<section class="backlinks""#).expect(&russia)..];
    assert!(backlinks.contains("(Observer)"), "{backlinks}");
    assert!(!russia.contains("link)"), "{russia}");
    assert!(backlinks.contains("<mark>the RF</mark>"), "{backlinks}");
}

#[test]
fn taxonomies_get_list_and_term_pages() {
    let site = basic_site();
    let stats = site.build_ok();
    assert_eq!(stats.terms, 2);
    let list = site.output("tags/index.html");
    assert!(list.contains(r#"<a href="/tags/csto/">CSTO</a>"#), "{list}");
    let term = site.output("tags/peacekeeping/index.html");
    assert!(term.contains(r#"<a href="/drills/one/">Exercise One</a>"#));
    assert!(
        site.output("drills/one/index.html")
            .contains(r#"href="/tags/csto/""#)
    );
}

#[test]
fn base_url_with_sub_path_prefixes_every_link() {
    let site = basic_site();
    let options = muster::BuildOptions {
        base_url: Some("https://host/kb/".into()),
        ..muster::BuildOptions::new(site.root())
    };
    muster::build(&options, &site.root().join("public")).unwrap();
    let html = site.output("drills/one/index.html");
    for link in crate::common::links_in(&html) {
        // The canonical link is absolute, under the base URL.
        assert!(
            link.starts_with("/kb/")
                || link.starts_with('#')
                || link.starts_with("https://host/kb/"),
            "{link} in {html}"
        );
    }
    assert!(html.contains(r#"href="/kb/members/kazakhstan/#history""#));
}

#[test]
fn nested_folders_of_a_kind_section_share_its_kind_and_dates_default_from_fields() {
    let nested = DRILL.replace("title: Exercise One", "title: Nested");
    let site = TestSite::new(&[
        ("drills/2024/nested.md", &nested),
        ("members/kazakhstan.md", &member("Kazakhstan", "## History")),
        ("members/russia.md", &member("Russia", "")),
    ]);
    site.write(
        "templates/kinds/drill.html",
        "{{ page.kind }} {{ page.date }}",
    );
    site.build_ok();
    assert_eq!(
        site.output("drills/2024/nested/index.html"),
        "drill 2024-09-26"
    );
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::new(&[
        ("notes/a.md", "---\ntitle: Secret\ndraft: true\n---\nx"),
        ("notes/b.md", &member("Open", "")),
    ]);
    site.build_ok();
    assert!(!site.root().join("public/notes/a/index.html").exists());
    let options = muster::BuildOptions {
        drafts: true,
        ..muster::BuildOptions::new(site.root())
    };
    muster::build(&options, &site.root().join("public")).unwrap();
    assert!(site.output("notes/a/index.html").contains("Draft"));
}

#[test]
fn pages_without_a_kind_keep_extra_keys() {
    let site = TestSite::new(&[(
        "notes/a.md",
        "---\ntitle: A\nmood: calm\ntemplate: plain.html\n---\nx",
    )]);
    site.write(
        "templates/plain.html",
        "{{ page.extra.mood }}|{{ page.title }}",
    );
    site.build_ok();
    assert_eq!(site.output("notes/a/index.html"), "calm|A");
}

#[test]
fn site_templates_override_theme_and_kind_templates_apply() {
    let site = basic_site();
    site.write(
        "templates/kinds/member.html",
        "MEMBER {{ page.title }} {{ page.kind_label }}",
    );
    site.build_ok();
    assert_eq!(
        site.output("members/russia/index.html"),
        "MEMBER Russia Member state"
    );
    assert!(
        site.output("drills/one/index.html")
            .contains("<!doctype html>")
    );
}

#[test]
fn page_bundles_copy_their_files_and_static_is_copied() {
    let site = TestSite::new(&[(
        "notes/trip/index.md",
        "---\ntitle: Trip\n---\n![map](map.txt)",
    )]);
    site.write("content/notes/trip/map.txt", "MAP");
    site.write("static/robots.txt", "User-agent: *");
    site.build_ok();
    assert_eq!(site.output("notes/trip/map.txt"), "MAP");
    // A bundle renamed with `slug:` takes its files along.
    site.write(
        "content/notes/trip/index.md",
        "---\ntitle: Trip\nslug: journey\n---\n",
    );
    site.write("content/notes/trip/img/Photo One.txt", "PHOTO");
    site.build_ok();
    assert_eq!(site.output("notes/journey/map.txt"), "MAP");
    assert_eq!(site.output("notes/journey/img/Photo One.txt"), "PHOTO");
    assert_eq!(site.output("robots.txt"), "User-agent: *");
    // Stylesheets get their content's fingerprint in their name, and pages link that name.
    let styles: Vec<String> = std::fs::read_dir(site.root().join("public"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("style.") && n.ends_with(".css"))
        .collect();
    assert_eq!(styles.len(), 1, "{styles:?}");
    assert_eq!(styles[0].len(), "style..css".len() + 10, "{styles:?}");
    assert!(site.output(&styles[0]).contains("prefers-color-scheme"));
    assert!(
        site.output("index.html")
            .contains(&format!("href=\"/{}\"", styles[0]))
    );
}

#[test]
fn front_matter_values_are_escaped() {
    let site = TestSite::new(&[(
        "notes/x.md",
        "---\ntitle: \"<script>alert('x')</script> & co\"\nsummary: \"a <b> \\\"q\\\"\"\n---\nBody",
    )]);
    site.build_ok();
    let html = site.output("notes/x/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    let list = site.output("notes/index.html");
    assert!(list.contains("a &lt;b&gt;"), "{list}");
}

#[test]
fn crlf_bom_and_cyrillic_file_names_build() {
    let site = TestSite::new(&[
        (
            "notes/crlf.md",
            "\u{feff}---\r\ntitle: CRLF page\r\n---\r\nLine one\r\n",
        ),
        (
            "notes/Нерушимое братство-2024.md",
            "---\ntitle: Нерушимое братство\n---\nТекст [[crlf]]",
        ),
    ]);
    site.build_ok();
    assert!(site.output("notes/crlf/index.html").contains("CRLF page"));
    let html = site.output("notes/nerushimoe-bratstvo-2024/index.html");
    assert!(
        html.contains(r#"<a href="/notes/crlf/">CRLF page</a>"#),
        "{html}"
    );
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = TestSite::new(&[(
        "notes/new.md",
        "---\ntitle: New\naliases: [old/place]\n---\n",
    )]);
    site.build_ok();
    let html = site.output("old/place/index.html");
    assert!(html.contains(r#"url=/notes/new/"#), "{html}");
}

#[test]
fn a_second_build_removes_stale_files() {
    let site = basic_site();
    site.build_ok();
    std::fs::remove_file(site.root().join("content/members/russia.md")).unwrap();
    site.write(
        "content/drills/one.md",
        &DRILL
            .replace("russia, ", "")
            .replace(" and [[russia|the RF]]", ""),
    );
    site.build_ok();
    assert!(!site.root().join("public/members/russia").exists());
}

#[test]
fn check_writes_nothing() {
    let site = basic_site();
    let stats = muster::check(&muster::BuildOptions::new(site.root())).unwrap();
    assert_eq!(stats.pages, 3);
    assert!(!site.root().join("public").exists());
}

#[test]
fn cli_build_prints_summary_and_exits_zero() {
    let site = basic_site();
    let out = site.run(&["build", "--quiet"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
    let out = site.run(&["check"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("checked 3 pages, 3 sections, 2 terms"),
        "{stderr}"
    );
    let out = site.run(&["build", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
    let out = site.run(&["build", "--base-url", "example.org"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absolute http(s) URL"));
}

#[test]
fn slug_renames_a_page() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\nslug: Новое имя\n---\n")]);
    site.build_ok();
    assert!(
        site.output("notes/novoe-imia/index.html")
            .contains("<h1>A</h1>")
    );
}

#[test]
fn terms_spelled_differently_are_one_term_listed_once() {
    let site = TestSite::new(&[
        (
            "notes/a.md",
            "---\ntitle: A\ntags: [CSTO, csto, Peace Keeping]\n---\n",
        ),
        ("notes/b.md", "---\ntitle: B\ntags: [csto]\n---\n"),
    ]);
    let stats = site.build_ok();
    assert_eq!(stats.terms, 2);
    let html = site.output("notes/a/index.html");
    assert_eq!(html.matches(r#"href="/tags/csto/""#).count(), 1, "{html}");
    assert!(html.contains(r#"<a class="term" href="/tags/peace-keeping/">Peace Keeping</a>"#));
    let list = site.output("tags/index.html");
    assert!(list.contains("(2)"), "{list}");
}

#[test]
fn term_pages_list_newest_first_then_by_title_and_terms_by_name() {
    let site = TestSite::new(&[
        ("notes/a.md", "---\ntitle: Zeta\ntags: [beta]\n---\n"),
        (
            "notes/b.md",
            "---\ntitle: Old\ndate: 2020-01-01\ntags: [beta, Alpha]\n---\n",
        ),
        (
            "notes/c.md",
            "---\ntitle: New B\ndate: 2024-05-01\ntags: [beta]\n---\n",
        ),
        (
            "notes/d.md",
            "---\ntitle: New A\ndate: 2024-05-01\ntags: [beta, gamma]\n---\n",
        ),
        ("notes/e.md", "---\ntitle: Alpha\ntags: [beta]\n---\n"),
    ]);
    site.build_ok();
    let term = site.output("tags/beta/index.html");
    let at = |url: &str| term.find(&format!("href=\"{url}\"")).expect(url);
    // Dated pages newest first, a tie by title; undated ones after, by title.
    let order = [
        "/notes/d/",
        "/notes/c/",
        "/notes/b/",
        "/notes/e/",
        "/notes/a/",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{term}");
    let list = site.output("tags/index.html");
    let at = |url: &str| list.find(&format!("href=\"{url}\"")).expect(url);
    // By name whatever the case: Alpha, beta, gamma.
    assert!(at("/tags/alpha/") < at("/tags/beta/"), "{list}");
    assert!(at("/tags/beta/") < at("/tags/gamma/"), "{list}");
}

#[test]
fn sections_paginate_their_listing() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("notes/n{i}.md"),
                format!("---\ntitle: Note {i}\nweight: {i}\n---\n"),
            )
        })
        .collect();
    files.push((
        "notes/_index.md".into(),
        "---\ntitle: Notes\npaginate_by: 2\n---\n".into(),
    ));
    let site = TestSite::from_owned(&files);
    site.build_ok();
    let first = site.output("notes/index.html");
    assert!(
        first.contains("/notes/n1/")
            && first.contains("/notes/n2/")
            && !first.contains("/notes/n3/"),
        "{first}"
    );
    assert!(
        first.contains(r#"<a rel="next" href="/notes/page/2/">"#),
        "{first}"
    );
    let third = site.output("notes/page/3/index.html");
    assert!(
        third.contains("/notes/n5/") && !third.contains("/notes/n4/"),
        "{third}"
    );
    assert!(third.contains("Page 3 of 3"));
    assert!(third.contains(r#"<a rel="prev" href="/notes/page/2/">"#));
    assert!(!site.root().join("public/notes/page/4").exists());
}

#[test]
fn rendering_into_memory_matches_the_folder_build() {
    let site = basic_site();
    site.build_ok();
    let mut on_disk = crate::common::snapshot_tree(&site.root().join("public"));
    // The folder holds the list of what muster wrote there, besides the site.
    let manifest = on_disk.remove(
        on_disk
            .iter()
            .position(|(p, _)| p == ".muster-manifest")
            .expect("a manifest"),
    );
    let loaded = muster::load(&muster::BuildOptions::new(site.root())).unwrap();
    let memory = muster::MemorySink::default();
    muster::render_into(&loaded, &memory).unwrap();
    let mut in_memory: Vec<(String, Vec<u8>)> = memory.into_files().into_iter().collect();
    in_memory.sort();
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&in_memory), names(&on_disk));
    for ((path, memory), (_, disk)) in in_memory.iter().zip(&on_disk) {
        assert!(memory == disk, "{path} differs between memory and disk");
    }
    // Each line: the contents' hash, a space, the path.
    let listed: Vec<&str> = std::str::from_utf8(&manifest.1)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split_once(' ').unwrap().1)
        .collect();
    assert_eq!(listed, names(&on_disk));
}

#[test]
fn the_cli_removes_the_previous_site_in_the_background() {
    let site = basic_site();
    assert!(site.run(&["build", "-q"]).status.success());
    let first = site.output("drills/one/index.html");
    site.write(
        "content/drills/one.md",
        &DRILL.replace("Text.", "Changed text."),
    );
    // Without the cache, which would keep the previous site for the next build.
    let out = site.run(&["build", "-q", "--no-cache"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The new site is complete when the command returns.
    let second = site.output("drills/one/index.html");
    assert_ne!(first, second);
    assert!(second.contains("Changed text."));
    // The swapped-out site goes away without waiting for it (a deadline, not a timing).
    let leftovers = || {
        std::fs::read_dir(site.root())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".muster-"))
            .count()
    };
    crate::common::wait_until(
        "the previous site to be removed",
        crate::common::server::PATIENCE,
        || leftovers() == 0,
    );
    // The helper deletes only folders muster swapped out.
    let mut helper = std::process::Command::new(env!("CARGO_BIN_EXE_muster"))
        .arg("__remove-previous-output")
        .current_dir(site.root())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(helper.stdin.take().unwrap(), "content").unwrap();
    assert_eq!(helper.wait().unwrap().code(), Some(1));
    assert!(site.root().join("content/drills/one.md").exists());
}

#[test]
fn the_guide_keeps_links_to_its_own_headings() {
    let config = format!("{}guide: GUIDE.md\n", crate::common::CONFIG);
    let site = TestSite::with_config(&config, &[("notes/a.md", &member("A", ""))]);
    site.write("GUIDE.md", "# Guide\n\nSee [two](#two).\n\n## Two\n");
    site.build_ok();
    let html = site.output("guide/index.html");
    assert!(html.contains(r##"<a href="#two">two</a>"##), "{html}");
}

#[test]
fn pages_draw_their_neighbours_home_counts_sections_timeline_lists_the_undated() {
    let config = crate::common::CONFIG.replace(
        "      joined: { type: integer }\n",
        "      joined: { type: integer }\n      founded: { type: date }\n",
    );
    let site = TestSite::with_config(
        &config,
        &[
            ("drills/one.md", DRILL),
            (
                "members/kazakhstan.md",
                &member("Kazakhstan", "## History\n\nSome."),
            ),
            ("members/russia.md", &member("Russia", "Plain.")),
        ],
    );
    site.build_ok();
    // A local graph: the page in the middle, its neighbours around it as links.
    let russia = site.output("members/russia/index.html");
    let svg = &russia[russia.find(r#"<svg class="local-graph""#).expect(&russia)..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(
        svg.contains(r#"<a class="node" href="/drills/one/"><title>Exercise One</title>"#),
        "{svg}"
    );
    assert!(
        svg.contains(r#"<a class="node this" href="/members/russia/">"#),
        "{svg}"
    );
    assert_eq!(svg.matches("<line ").count(), 1, "{svg}");
    // The home page counts each section's pages.
    let home = site.output("index.html");
    assert!(
        home.contains(
            r#"<a href="/members/"><strong>Members</strong> <span class="count">2 pages</span></a>"#
        ),
        "{home}"
    );
    // Members have a date field none of them fills: the timeline lists them apart.
    let timeline = site.output("timeline/index.html");
    let undated = &timeline[timeline.find(r#"id="year-undated""#).expect(&timeline)..];
    assert!(undated.contains(r#"href="/members/russia/""#), "{undated}");
    assert!(!undated.contains("/drills/one/"), "{undated}");
}

#[test]
fn a_kind_with_columns_lists_its_section_as_a_table_of_them() {
    let config = crate::common::CONFIG.replace(
        "    section: drills\n",
        "    section: drills\n    columns: [host, format, dates]\n",
    );
    let site = TestSite::with_config(
        &config,
        &[
            ("drills/one.md", DRILL),
            (
                "members/kazakhstan.md",
                &member("Kazakhstan", "## History\n\nSome."),
            ),
            ("members/russia.md", &member("Russia", "")),
        ],
    );
    site.build_ok();
    let section = site.output("drills/index.html");
    // Headings as a query's `show:` gives them (query::Column::of).
    assert!(
        section.contains(r#"<th scope="col">drill</th><th scope="col">Host</th><th scope="col">Format</th><th scope="col">Dates</th>"#),
        "{section}"
    );
    assert!(
        section.contains(r#"<tr><th scope="row"><a href="/drills/one/">Exercise One</a></th><td><a href="/members/kazakhstan/">Kazakhstan</a></td><td>Command staff</td><td><time datetime="2024-09-26">26 September 2024</time> – <time datetime="2024-10-07">7 October 2024</time></td></tr>"#),
        "{section}"
    );
    // A column that is no field of the kind is a located error with a suggestion.
    site.write(
        "site.yaml",
        &config.replace("columns: [host, format, dates]", "columns: [host, fromat]"),
    );
    let errors = site.build().unwrap_err().0;
    let e = &errors[0];
    assert!(e.message.contains("column `fromat`"), "{errors:?}");
    assert_eq!(e.hint.as_deref(), Some("did you mean `format`?"));
    let at = e.location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (7, 21), "{errors:?}");
}
