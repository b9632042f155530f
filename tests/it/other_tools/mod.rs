//! Markdown written for other tools builds as those tools would build it, with no
//! false error and no silent mis-render: small corpora in the style of a Zola site (TOML
//! front matter, `[taxonomies]`, `[extra]`), a Hugo site (bundles, `_index.md`, headless
//! pages, `build` options), an Obsidian vault (no front matter, titles from headings,
//! folder `index.md` pages) and a plain blog (`.markdown`, `.MD`), each with true and
//! false cases of the rules.

use std::process::Output;

use crate::common::{CONFIG, TestSite};

mod corpora;
mod obsidian;
mod urls;

/// Runs `muster <args>` on `site` with JSON messages; the exit code and the diagnostics
/// as (severity, code, file, line, column, message).
fn run_json(site: &TestSite, args: &[&str]) -> (Option<i32>, Vec<Reported>) {
    let mut all = args.to_vec();
    all.extend(["--message-format", "json", "-q"]);
    let out: Output = site.run(&all);
    let reported = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Reported {
                severity: v["severity"].as_str().unwrap_or_default().to_string(),
                code: v["code"].as_str().unwrap_or_default().to_string(),
                file: v["location"]["file"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                line: v["location"]["line"].as_u64().unwrap_or(0),
                column: v["location"]["column"].as_u64().unwrap_or(0),
                message: v["message"].as_str().unwrap_or_default().to_string(),
                hint: v["hint"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect();
    (out.status.code(), reported)
}

#[derive(Debug)]
#[allow(dead_code)]
struct Reported {
    severity: String,
    code: String,
    file: String,
    line: u64,
    column: u64,
    message: String,
    hint: String,
}

/// Builds and fails with every diagnostic if the build fails.
fn builds(site: &TestSite) -> Vec<Reported> {
    let (code, reported) = run_json(site, &["build"]);
    assert_eq!(code, Some(0), "the build failed: {reported:#?}");
    reported
}

fn pages_json(site: &TestSite) -> serde_json::Value {
    serde_json::from_str(&site.output("api/pages.json")).unwrap()
}

fn page<'a>(data: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    data["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == path)
        .unwrap_or_else(|| panic!("no page {path}"))
}

#[test]
fn a_zola_site_with_toml_front_matter_builds() {
    let site = TestSite::new(&[
        (
            "blog/_index.md",
            "+++\ntitle = \"Blog\"\nsort_by = \"date\"\n+++\nPosts.\n",
        ),
        (
            "blog/first.md",
            "+++\ntitle = \"First post\"\ndate = 2024-09-26\ndescription = \"The first one.\"\nweight = 3\n\n[taxonomies]\ntags = [\"csto\", \"drill\"]\n\n[extra]\nauthor = \"Ann\"\nlead = true\n+++\n\nHello, see [the second](@/blog/second.md).\n",
        ),
        (
            "blog/second.md",
            "\n\n+++\ntitle = \"Second post\"\ndate = 2024-10-01T10:00:00Z\n+++\nBack to [[first]].\n",
        ),
    ]);
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    let data = pages_json(&site);
    let first = page(&data, "blog/first");
    assert_eq!(first["title"], "First post");
    assert_eq!(first["date"], "2024-09-26");
    assert_eq!(
        first["taxonomies"]["tags"],
        serde_json::json!(["csto", "drill"])
    );
    assert_eq!(first["extra"]["author"], "Ann");
    assert_eq!(first["extra"]["lead"], true);
    // `description` stands for the summary when there is no `summary`.
    let listing = site.output("blog/index.html");
    assert!(listing.contains("The first one."), "{listing}");
    assert!(site.output("tags/csto/index.html").contains("First post"));
    assert_eq!(page(&data, "blog/second")["title"], "Second post");
}

#[test]
fn dates_with_a_time_keep_it() {
    let site = TestSite::new(&[
        ("blog/_index.md", "---\ntitle: Blog\nsort_by: date\n---\n"),
        (
            "blog/morning.md",
            "---\ntitle: Morning\ndate: 2024-10-01T08:00:00+03:00\n---\n",
        ),
        (
            "blog/evening.md",
            "+++\ntitle = \"Evening\"\ndate = 2024-10-01T20:30:00Z\n+++\n",
        ),
        (
            "blog/day.md",
            "---\ntitle: Day\ndate: \"2024-10-01\"\n---\n",
        ),
        (
            "blog/old.md",
            "---\ntitle: Old\ndate: Mon, 30 Sep 2024 12:00:00 +0000\n---\n",
        ),
    ]);
    assert!(builds(&site).is_empty());
    // Newest first, the time deciding within a day (a day alone is its midnight).
    let listing = site.output("blog/index.html");
    let at = |t: &str| {
        listing
            .find(&format!(">{t}</a>"))
            .unwrap_or_else(|| panic!("{t}: {listing}"))
    };
    assert!(at("Evening") < at("Morning") && at("Morning") < at("Day") && at("Day") < at("Old"));
    let data = pages_json(&site);
    assert_eq!(page(&data, "blog/evening")["date"], "2024-10-01T20:30:00Z");
    assert_eq!(page(&data, "blog/old")["date"], "2024-09-30T12:00:00Z");
    let feed = site.output("blog/atom.xml");
    assert!(
        feed.contains("<updated>2024-10-01T08:00:00+03:00</updated>"),
        "{feed}"
    );
    assert!(
        feed.contains("<updated>2024-10-01T00:00:00Z</updated>"),
        "{feed}"
    );
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2024-10-01T20:30:00Z</lastmod>"),
        "{sitemap}"
    );
    // A date that is none is an error with the forms that work.
    site.write(
        "content/blog/bad.md",
        "---\ntitle: Bad\ndate: 26.09.2024\n---\n",
    );
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        (reported[0].line, reported[0].column),
        (3, 7),
        "{reported:#?}"
    );
    assert!(reported[0].hint.contains("YYYY-MM-DD"), "{reported:#?}");
}

#[test]
fn toml_mistakes_are_located_as_yaml_ones_are() {
    for (text, line, column, code, hint) in [
        (
            "+++\ntitle = \"A\nweight = 2\n+++\n",
            2,
            11,
            "E003",
            "TOML syntax",
        ),
        (
            "+++\ntitle = \"A\"\nweight = \"heavy\"\n+++\n",
            3,
            10,
            "E004",
            "weight: 10",
        ),
        (
            "+++\ntitle = \"A\"\n[taxonomies]\ntopics = [\"x\"]\n+++\n",
            4,
            1,
            "E004",
            "site.yaml",
        ),
        (
            "+++\ntitle = \"A\"\nslug = \"..\"\n+++\n",
            3,
            8,
            "E004",
            "slug",
        ),
        ("+++\ntitle = \"A\"\n", 1, 1, "E003", "+++"),
    ] {
        let site = TestSite::new(&[("notes/n.md", text)]);
        let (code_seen, reported) = run_json(&site, &["check"]);
        assert_eq!(code_seen, Some(1), "{text}: {reported:#?}");
        assert_eq!(reported.len(), 1, "{text}: {reported:#?}");
        let r = &reported[0];
        assert_eq!(
            (r.code.as_str(), r.line, r.column),
            (code, line, column),
            "{text}: {r:#?}"
        );
        assert!(r.hint.contains(hint), "{text}: {r:#?}");
    }
}

#[test]
fn an_obsidian_vault_without_front_matter_builds() {
    let site = TestSite::new(&[
        ("vault/index.md", "# My vault\n\nStart at [[Note A]].\n"),
        ("vault/Note A.md", "# The A note\n\nSee [[Note B]].\n"),
        ("vault/Note B.md", "Just text, no heading.\n"),
        ("vault/topic/index.md", "# Topic\n\nThe topic's own page.\n"),
        ("vault/topic/detail.md", "Detail of the topic.\n"),
        (
            "vault/bundle/index.md",
            "A page with an image: ![x](pic.png)\n",
        ),
    ]);
    site.write("content/vault/bundle/pic.png", "png");
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    let data = pages_json(&site);
    // A folder's index.md with other pages beside it is the folder's page.
    let vault = page(&data, "vault");
    assert_eq!(
        (vault["title"].as_str(), vault["section"].as_bool()),
        (Some("My vault"), Some(true))
    );
    let topic = page(&data, "vault/topic");
    assert_eq!(
        (topic["title"].as_str(), topic["section"].as_bool()),
        (Some("Topic"), Some(true))
    );
    // The title is the first `# ` heading, else the file name.
    assert_eq!(page(&data, "vault/note-a")["title"], "The A note");
    assert_eq!(page(&data, "vault/note-b")["title"], "Note B");
    // A folder of one page and its files is a bundle: the file stays beside the page.
    let bundle = page(&data, "vault/bundle");
    assert_eq!(bundle["section"], false);
    assert!(site.root().join("public/vault/bundle/pic.png").is_file());
    assert!(
        site.output("vault/bundle/index.html")
            .contains(r#"src="pic.png""#)
    );
}

#[test]
fn typed_pages_still_need_their_title_and_required_values() {
    let site = TestSite::new(&[
        ("members/kz.md", "# Kazakhstan\n\nNo front matter.\n"),
        (
            "drills/d.md",
            "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: \"\"\nparticipants: []\n---\n",
        ),
    ]);
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1));
    let found: Vec<(&str, u64, u64)> = reported
        .iter()
        .map(|r| (r.file.as_str(), r.line, r.column))
        .collect();
    assert_eq!(
        found,
        [
            ("content/drills/d.md", 4, 7),
            ("content/members/kz.md", 1, 1)
        ],
        "{reported:#?}"
    );
    assert!(
        reported[0].message.contains("`host` is empty"),
        "{reported:#?}"
    );
    assert!(
        reported[1]
            .message
            .contains("missing required field `title`")
    );
}

#[test]
fn index_md_and_index_md_both_in_a_folder_is_an_error() {
    let site = TestSite::new(&[
        ("notes/_index.md", "---\ntitle: Notes\n---\n"),
        ("notes/index.md", "# Also notes\n"),
        ("notes/a.md", "A.\n"),
    ]);
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1));
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert_eq!(
        (reported[0].code.as_str(), reported[0].file.as_str()),
        ("E008", "content/notes/index.md")
    );
}

#[test]
fn markdown_extensions_and_formats_muster_does_not_render() {
    let site = TestSite::new(&[
        ("blog/post.markdown", "# A .markdown post\n"),
        ("blog/SHOUT.MD", "# An upper-case extension\n"),
        ("blog/notes.org", "* An Org file\n"),
        ("blog/comp.mdx", "# MDX\n<Widget />\n"),
    ]);
    let reported = builds(&site);
    let warnings: Vec<(&str, &str, &str)> = reported
        .iter()
        .map(|r| (r.severity.as_str(), r.code.as_str(), r.file.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            ("warning", "E013", "content/blog/comp.mdx"),
            ("warning", "E013", "content/blog/notes.org")
        ]
    );
    let data = pages_json(&site);
    assert_eq!(page(&data, "blog/post")["title"], "A .markdown post");
    assert_eq!(
        page(&data, "blog/shout")["title"],
        "An upper-case extension"
    );
    // Never copied raw.
    assert!(!site.root().join("public/blog/notes.org").exists());
    assert!(!site.root().join("public/blog/comp.mdx").exists());
    // People see the warnings too, and the build succeeds.
    let out = site.run(&["build", "--color", "never"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(
        stderr.contains("warning[E013]") && stderr.contains("2 warnings"),
        "{stderr}"
    );
}

#[test]
fn headless_pages_and_sections_are_not_published() {
    let site = TestSite::new(&[
        ("notes/shown.md", "---\ntitle: Shown\n---\nText.\n"),
        (
            "notes/snippet.md",
            "---\ntitle: Snippet\nheadless: true\n---\nShared text.\n",
        ),
        (
            "notes/hugo.md",
            "---\ntitle: Hugo style\nbuild: { render: never, list: never }\n---\n",
        ),
        (
            "shared/_index.md",
            "---\ntitle: Shared\nheadless: true\n---\n",
        ),
        ("shared/part.md", "---\ntitle: Part\n---\nA part.\n"),
    ]);
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    for gone in ["notes/snippet", "notes/hugo", "shared", "shared/part"] {
        assert!(
            !site.root().join("public").join(gone).exists(),
            "{gone} was published"
        );
    }
    let listing = site.output("notes/index.html");
    assert!(
        listing.contains("Shown") && !listing.contains("Snippet"),
        "{listing}"
    );
    // A link to one is a link to nothing a reader can open.
    site.write(
        "content/notes/shown.md",
        "---\ntitle: Shown\n---\nSee [[snippet]].\n",
    );
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1));
    assert!(reported[0].hint.contains("headless"), "{reported:#?}");
}

#[test]
fn keys_of_other_tools_work_alike_or_say_what_muster_does_instead() {
    for (front, message, hint) in [
        (
            "redirect_to: /elsewhere/\n",
            "another tool's key",
            "aliases",
        ),
        ("url: /custom/path/\n", "another tool's key", "slug"),
        ("build: { list: local }\n", "no equivalent", "headless"),
        (
            "draftt: true\n",
            "unknown key `draftt`",
            "did you mean `draft`?",
        ),
        ("titel: X\n", "unknown key `titel`", "did you mean `title`?"),
        ("extra: [1, 2]\n", "must be a mapping", "[extra]"),
        ("layout: wide\n", "another tool's key", "template:"),
        (
            "publishDate: 2030-01-01\n",
            "another tool's key",
            "draft: true",
        ),
    ] {
        let site = TestSite::new(&[("notes/n.md", &format!("---\ntitle: N\n{front}---\n"))]);
        let (code, reported) = run_json(&site, &["check"]);
        assert_eq!(code, Some(1), "{front}");
        assert_eq!(reported.len(), 1, "{front}: {reported:#?}");
        assert_eq!(reported[0].line, 3, "{front}: {reported:#?}");
        assert!(
            reported[0].message.contains(message),
            "{front}: {reported:#?}"
        );
        assert!(reported[0].hint.contains(hint), "{front}: {reported:#?}");
    }
    // Keys other tools use that are no misspelling stay the page's extras.
    let site = TestSite::new(&[(
        "notes/n.md",
        "---\ntitle: N\nauthor: Ann\ncategories: [x]\nlastmod: 2024-01-01\nparams: { mood: calm }\n---\n",
    )]);
    assert!(builds(&site).is_empty());
    let data = pages_json(&site);
    assert_eq!(page(&data, "notes/n")["extra"]["author"], "Ann");
    // Hugo's names for `updated` and `extra` work as those do.
    assert_eq!(page(&data, "notes/n")["extra"]["mood"], "calm");
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2024-01-01</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn heading_ids_follow_github_unless_site_yaml_says_zola() {
    let files = [(
        "notes/n.md",
        "# Intro\n\n## Нерушимое братство!\n\n## C++ & Rust\n\nSee [there](@/notes/n.md#нерушимое-братство) and [here](#c--rust).\n",
    )];
    let site = TestSite::new(&files);
    assert!(builds(&site).is_empty());
    let html = site.output("notes/n/index.html");
    assert!(html.contains(r#"id="нерушимое-братство""#), "{html}");
    assert!(html.contains(r#"id="c--rust""#), "{html}");
    let zola = TestSite::with_config(&format!("{CONFIG}heading_ids: zola\n"), &files);
    let (code, reported) = run_json(&zola, &["check"]);
    // Under Zola's scheme those anchors do not exist, and the hint names the ones that do.
    assert_eq!(code, Some(1));
    assert_eq!(reported.len(), 2, "{reported:#?}");
    assert!(
        reported[0].hint.contains("nerushimoe-bratstvo"),
        "{reported:#?}"
    );
}

#[test]
fn wikilinks_may_name_a_heading_by_its_text_as_obsidian_writes_them() {
    let site = TestSite::new(&[
        ("notes/a.md", "# A\n\n## The Plan of 2024\n\nText.\n"),
        (
            "notes/b.md",
            "See [[a#The Plan of 2024]] and [[a#the plan of 2024|the plan]].\n",
        ),
    ]);
    assert!(builds(&site).is_empty());
    let html = site.output("notes/b/index.html");
    assert_eq!(
        html.matches(r#"href="/notes/a/#the-plan-of-2024""#).count(),
        2,
        "{html}"
    );
    // Markdown links name anchors by id, as browsers do: a heading's text is no anchor there.
    site.write(
        "content/notes/b.md",
        "See [the plan](@/notes/a.md#plan-of-2024).\n",
    );
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1), "{reported:#?}");
    assert!(
        reported[0].hint.contains("#the-plan-of-2024"),
        "{reported:#?}"
    );
}

#[test]
fn anchors_are_what_a_browser_finds_raw_html_ids_footnotes_and_block_ids() {
    let site = TestSite::new(&[
        (
            "notes/a.md",
            "# A\n\n<a id=\"legacy\"></a>\n\nA claim.[^src]\n\nA paragraph to point at. ^quote-1\n\n[^src]: The source.\n",
        ),
        (
            "notes/b.md",
            "[old](@/notes/a.md#legacy), [note](@/notes/a.md#src), [[a#^quote-1]], [[a#legacy]].\n\n`[[nowhere]]` and\n\n```\n[x](/not/a/link/)\n```\n\n<!-- [[hidden]] [y](/gone/) -->\n",
        ),
    ]);
    assert!(builds(&site).is_empty());
    let a = site.output("notes/a/index.html");
    assert!(a.contains(r#"<span id="^quote-1"></span>"#), "{a}");
    assert!(
        !a.contains("^quote-1\n") && !a.contains("point at. ^"),
        "the marker is not text: {a}"
    );
    let b = site.output("notes/b/index.html");
    assert!(b.contains(r#"href="/notes/a/#^quote-1""#), "{b}");
}

#[test]
fn paths_images_and_files_are_checked_against_the_site_built() {
    let site = TestSite::with_config(
        &CONFIG.replace("https://example.org/", "https://example.org/kb/"),
        &[
            (
                "blog/post/index.md",
                "---\ntitle: Post\n---\n![diagram](diagram.png) [pdf](files/plan.pdf) [up](../) [home](/kb/) [about](/kb/about/#team) [feed](/kb/atom.xml) [mail](mailto:a@b.org) [web](https://example.com/x)\n",
            ),
            (
                "about.md",
                "---\ntitle: About\n---\n## Team\n\n[guide](/kb/docs/guide.txt) [a post](../blog/post/) [query](../blog/post/?x=1#top)\n",
            ),
        ],
    );
    site.write("content/blog/post/diagram.png", "png");
    site.write("content/blog/post/files/plan.pdf", "pdf");
    site.write("static/docs/guide.txt", "text");
    let reported = builds(&site);
    assert!(reported.is_empty(), "{reported:#?}");
    // Each broken one is an error at its place, with the path it looked for.
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n## Team\n\n![logo](logo.svg)\n[gone](/kb/gone/) [anchor](/kb/blog/post/#nope)\n[root](/about/) [above](../../../x)\n",
    );
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1), "{reported:#?}");
    let found: Vec<(u64, u64, &str)> = reported
        .iter()
        .map(|r| (r.line, r.column, r.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (6, 1, "E006"),
            (7, 1, "E006"),
            (7, 19, "E007"),
            (8, 1, "E006"),
            (8, 17, "E006")
        ],
        "{reported:#?}"
    );
    assert!(
        reported[0].message.contains("/about/logo.svg"),
        "{reported:#?}"
    );
    assert!(reported[3].hint.contains("/kb/"), "{reported:#?}");
    // site.yaml can make them warnings, so a site half-way through a move still builds.
    site.write(
        "site.yaml",
        &format!(
            "{}broken_links: {{ files: warning, anchors: warning }}\n",
            CONFIG.replace("https://example.org/", "https://example.org/kb/")
        ),
    );
    let reported = builds(&site);
    assert_eq!(reported.len(), 5, "{reported:#?}");
    assert!(
        reported.iter().all(|r| r.severity == "warning"),
        "{reported:#?}"
    );
}

#[test]
fn zolas_section_keys_work_alike_or_say_what_muster_does_instead() {
    let site = TestSite::new(&[
        (
            "snippets/_index.md",
            "+++\ntitle = \"Snippets\"\nrender = false\n+++\n",
        ),
        (
            "snippets/one.md",
            "+++\ntitle = \"One\"\n+++\nShared text.\n",
        ),
        ("notes/a.md", "+++\ntitle = \"A\"\n+++\nText.\n"),
    ]);
    assert!(builds(&site).is_empty());
    assert!(!site.root().join("public/snippets").exists());
    assert!(site.output("notes/a/index.html").contains("Text."));
    site.write(
        "content/notes/_index.md",
        "+++\ntitle = \"Notes\"\npage_template = \"note.html\"\n+++\n",
    );
    let (code, reported) = run_json(&site, &["check"]);
    assert_eq!(code, Some(1), "{reported:#?}");
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert_eq!(reported[0].line, 3, "{reported:#?}");
    assert!(
        reported[0].hint.contains("templates/kinds/"),
        "{reported:#?}"
    );
}
