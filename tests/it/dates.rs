//! When a page changed, as readers, crawlers and feed readers see it: its `updated:`,
//! else its file's last git commit, else a post's `date:`; never the date of its subject.

use std::process::Command;

use crate::common::TestSite;

const DRILL: &str = "---\ntitle: Exercise One\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: kz\n---\nA drill.\n";

/// The `<lastmod>` of the sitemap entry for `path`, if it has one.
fn lastmod(site: &TestSite, path: &str) -> Option<String> {
    let sitemap = site.output("sitemap.xml");
    let entry = sitemap
        .lines()
        .find(|l| l.contains(&format!("<loc>https://example.org/{path}</loc>")))
        .unwrap_or_else(|| panic!("{path} in {sitemap}"));
    let start = entry.find("<lastmod>")? + "<lastmod>".len();
    Some(entry[start..entry.find("</lastmod>")?].to_string())
}

fn git(site: &TestSite, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(site.root())
        .args([
            "-c",
            "user.name=Writer",
            "-c",
            "user.email=writer@example.org",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-01-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T12:00:00Z")
        .status()
        .expect("git runs (CI clones this repository with it)");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_page_changes_when_it_says_or_git_says_never_when_its_subject_happened() {
    let site = TestSite::new(&[
        ("drills/one.md", DRILL),
        (
            "members/kz.md",
            "---\ntitle: Kazakhstan\nupdated: 2025-01-02T10:30:00Z\n---\nText.\n",
        ),
        (
            "notes/post.md",
            "---\ntitle: Post\ndate: 2023-05-06\n---\nA post.\n",
        ),
    ]);
    site.build_ok();
    // Not a git checkout: the drill's 2024 is when it happened, not when its page changed.
    assert_eq!(lastmod(&site, "drills/one/"), None);
    assert_eq!(
        lastmod(&site, "members/kz/").as_deref(),
        Some("2025-01-02T10:30:00Z")
    );
    assert_eq!(lastmod(&site, "notes/post/").as_deref(), Some("2023-05-06"));
    let feed = site.output("atom.xml");
    assert!(!feed.contains("Exercise One"), "{feed}");
    assert!(
        feed.contains("<updated>2025-01-02T10:30:00Z</updated>"),
        "{feed}"
    );

    // In a git checkout the drill's page changed when its file was last committed.
    git(&site, &["init", "-q"]);
    git(&site, &["add", "content"]);
    git(&site, &["commit", "-q", "-m", "Pages"]);
    site.build_ok();
    assert_eq!(
        lastmod(&site, "drills/one/").as_deref(),
        Some("2026-01-01T12:00:00Z")
    );
    // A page's own `updated:` wins over git.
    assert_eq!(
        lastmod(&site, "members/kz/").as_deref(),
        Some("2025-01-02T10:30:00Z")
    );
    assert_eq!(
        lastmod(&site, "notes/post/").as_deref(),
        Some("2026-01-01T12:00:00Z"),
        "a commit after a post's date is a change"
    );
    // "Newest pages" lists by last change, newest first (ties by title), with the day.
    let page = site.output("notes/post/index.html");
    let recent = &page[page.find(r#"class="recent""#).expect(&page)..];
    let order: Vec<usize> = ["/drills/one/", "/notes/post/", "/members/kz/"]
        .iter()
        .map(|u| recent.find(u).unwrap_or_else(|| panic!("{u} in {recent}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{recent}");
    assert!(recent.contains(r#"<time datetime="2026-01-01T12:00:00Z">1 January 2026</time>"#));

    // site.yaml can turn git's dates off.
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}git_dates: false\n"));
    site.build_ok();
    assert_eq!(lastmod(&site, "drills/one/"), None);
}

#[test]
fn a_post_shows_when_and_by_whom_how_long_and_its_neighbours() {
    let words = "word ".repeat(450);
    let site = TestSite::new(&[
        ("blog/_index.md", "---\ntitle: Blog\nsort_by: date\n---\n"),
        (
            "blog/a.md",
            "+++\ntitle = \"First\"\ndate = 2024-01-05\nauthors = [\"Ann\", \"Bo\"]\n+++\nShort.\n",
        ),
        (
            "blog/b.md",
            &format!(
                "---\ntitle: Second\ndate: 2024-02-06T09:30:00+03:00\nauthor: Cy\ntags: [csto]\nseries: Field notes\ncategories: [drills, csto]\nparams: {{ hero: x.png }}\n---\n{words}\n"
            ),
        ),
        (
            "blog/c.md",
            "---\ntitle: Third\ndate: 2024-03-07\n---\nLast.\n",
        ),
    ]);
    site.build_ok();
    let second = site.output("blog/b/index.html");
    // The time where one is given; Hugo's single author; 450 words at 200 a minute.
    assert!(
        second.contains(r#"<p class="byline"><time datetime="2024-02-06T09:30:00+03:00">6 February 2024, 09:30</time> · by Cy · 3 min read</p>"#),
        "{second}"
    );
    assert!(second.contains(r#"href="/tags/csto/""#));
    // Its other simple front matter values, as a reader's facts; tables are for templates.
    assert!(
        second.contains(r#"<div><dt>Categories</dt><dd>drills, csto</dd></div>"#)
            && second.contains(r#"<div><dt>Series</dt><dd>Field notes</dd></div>"#),
        "{second}"
    );
    assert!(!second.contains("<dt>Params</dt>") && !second.contains("<dt>Author</dt>"));
    // Newest first: the newer post comes before it, the older after it.
    assert!(
        second.contains(r#"<a class="pager-previous" href="/blog/c/" rel="prev"><span>Previous</span> Third</a>"#),
        "{second}"
    );
    assert!(second.contains(
        r#"<a class="pager-next" href="/blog/a/" rel="next"><span>Next</span> First</a>"#
    ));
    let first = site.output("blog/a/index.html");
    assert!(first.contains(" · by Ann, Bo · 1 min read</p>"), "{first}");
    assert!(!first.contains("pager-next"), "the last has no next");
}
