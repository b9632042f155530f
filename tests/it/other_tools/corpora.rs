//! Small sites in the style of each tool (`tests/corpora/`): an Obsidian vault, a Zola
//! site, a Hugo site with bundles, a plain blog with raw-HTML anchors and dotted names.
//! Each builds with no false error, every `href` and `src` of the output resolves (with
//! its `#fragment`, against the ids of the page it lands on), no markup of another tool
//! is left literal; and a true error in each is reported where it is.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use super::{Reported, run_json};
use crate::common::{TestSite, links_in, repo};

/// The corpus `name` as a site in a temporary folder.
fn corpus(name: &str) -> TestSite {
    let dir = repo().join("tests/corpora").join(name);
    let config = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    let content = dir.join("content");
    let files: Vec<(String, String)> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&content).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    TestSite::with_config(&config, &refs)
}

/// Builds `site`; fails on any error, and returns the warnings' codes.
fn builds_clean(site: &TestSite) -> Vec<String> {
    let (code, reported) = run_json(site, &["build"]);
    assert_eq!(code, Some(0), "{reported:#?}");
    assert!(
        reported.iter().all(|r| r.severity == "warning"),
        "{reported:#?}"
    );
    reported.into_iter().map(|r| r.code).collect()
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The output file a browser gets for `link` found in the page at `from` (a file below
/// `public`), or `None` for links away from the site; with the decoded fragment.
fn target_of(public: &Path, from: &Path, link: &str, base: &str) -> Option<(PathBuf, String)> {
    let lower = link.to_ascii_lowercase();
    if ["http:", "https:", "mailto:", "data:", "//"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let (rest, fragment) = link.split_once('#').unwrap_or((link, ""));
    let rest = rest.split('?').next().unwrap();
    let rest = percent_decode_str(rest).decode_utf8().unwrap().into_owned();
    // The folder whose URL the page has: `x/index.html` is `/x/`.
    let page_dir = from
        .parent()
        .unwrap()
        .strip_prefix(public)
        .unwrap()
        .to_path_buf();
    let mut parts: Vec<String> = if rest.is_empty() {
        // `#fragment` alone: this very file.
        return Some((from.to_path_buf(), fragment.to_string()));
    } else if let Some(root) = rest.strip_prefix(base) {
        root.split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    } else {
        assert!(
            !rest.starts_with('/'),
            "{link} in {} leaves the base {base}",
            from.display()
        );
        let mut parts: Vec<String> = page_dir
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        for c in rest.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop().expect("climbs above the site");
                }
                c => parts.push(c.to_string()),
            }
        }
        parts
    };
    let mut path = public.to_path_buf();
    path.extend(parts.drain(..));
    if path.is_dir() {
        path.push("index.html");
    }
    Some((
        path,
        percent_decode_str(fragment)
            .decode_utf8()
            .unwrap()
            .into_owned(),
    ))
}

/// Every `href` and `src` in the output of `site` resolves, fragments included; and no
/// wikilink, block id, shortcode or front matter of another tool shows as text.
fn assert_output_whole(site: &TestSite, base: &str) -> usize {
    let public = site.root().join("public");
    let mut checked = 0;
    for file in html_files(&public) {
        let html = std::fs::read_to_string(&file).unwrap();
        for link in links_in(&html) {
            let Some((target, fragment)) = target_of(&public, &file, &link, base) else {
                continue;
            };
            assert!(
                target.is_file(),
                "{link} in {} points to nothing",
                file.display()
            );
            if !fragment.is_empty() && fragment != "top" {
                let there = std::fs::read_to_string(&target).unwrap();
                let ids = [format!("id=\"{fragment}\""), format!("name=\"{fragment}\"")];
                assert!(
                    ids.iter().any(|id| there.contains(id.as_str())),
                    "{link} in {}: no #{fragment} there",
                    file.display()
                );
            }
            checked += 1;
        }
        let text = without_code(&html);
        for literal in [
            "[[",
            "]]",
            "{{<",
            "+++",
            " ^",
            "title = \"",
            "%%",
            "Ask Ann",
        ] {
            assert!(
                !text.contains(literal),
                "`{literal}` left in {}: {html}",
                file.display()
            );
        }
    }
    checked
}

/// `html` without what is inside `<code>`, `<script>` and comments, where other tools'
/// markup may stand as written.
fn without_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = [
            ("<code", "</code>"),
            ("<script", "</script>"),
            ("<!--", "-->"),
        ]
        .iter()
        .filter_map(|(open, close)| rest.find(open).map(|i| (i, *close)))
        .min_by_key(|(i, _)| *i);
        let Some((i, close)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find(close)
            .map_or("", |j| &rest[i + j + close.len()..]);
    }
}

/// The one error of `reported`, as (file, line, column).
fn only_error(reported: &[Reported]) -> (&str, u64, u64) {
    let errors: Vec<&Reported> = reported.iter().filter(|r| r.severity == "error").collect();
    assert_eq!(errors.len(), 1, "{reported:#?}");
    (errors[0].file.as_str(), errors[0].line, errors[0].column)
}

#[test]
fn an_obsidian_vault_builds_whole() {
    let site = corpus("obsidian");
    assert!(builds_clean(&site).is_empty());
    assert!(assert_output_whole(&site, "/vault/") > 20);
    let home = site.output("Home/index.html");
    assert!(
        home.contains(
            r#"<img src="/vault/Attachments/Diagram.png" alt="Diagram.png" width="400" />"#
        ),
        "{home}"
    );
    assert!(home.contains("<mark>the one to read</mark>"), "{home}");
    // The title heading shows once, and links to it still land.
    assert_eq!(home.matches(">Home</h1>").count(), 1, "{home}");
    // A true error: two notes are called Plan.
    site.write("content/daily/2024-05-02.md", "Back to [[Plan]].\n");
    let (_, reported) = run_json(&site, &["check"]);
    assert_eq!(only_error(&reported), ("content/daily/2024-05-02.md", 1, 9));
}

#[test]
fn a_zola_site_builds_whole() {
    let site = corpus("zola");
    assert!(builds_clean(&site).is_empty());
    assert!(assert_output_whole(&site, "/") > 20);
    let post = site.output("blog/first-post/index.html");
    assert!(post.contains(r#"<h2 id="nerushimoe-bratstvo">"#), "{post}");
    site.write(
        "content/blog/third.md",
        "+++\ntitle = \"Third\"\n+++\nSee [the fourth](@/blog/fourth.md).\n",
    );
    let (_, reported) = run_json(&site, &["check"]);
    assert_eq!(only_error(&reported), ("content/blog/third.md", 4, 5));
}

#[test]
fn a_hugo_site_builds_whole() {
    let site = corpus("hugo");
    assert!(builds_clean(&site).is_empty());
    assert!(assert_output_whole(&site, "/blog/") > 20);
    assert_eq!(site.output("posts/first-trip/files/log.txt"), "log");
    assert!(!site.root().join("public/snippets").exists());
    // A true error: a link to the headless page, which is not published.
    site.write(
        "content/posts/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nSee [the snippets](../../snippets/).\n",
    );
    let (_, reported) = run_json(&site, &["check"]);
    assert_eq!(only_error(&reported), ("content/posts/notes.md", 4, 5));
}

#[test]
fn a_plain_blog_builds_whole() {
    let site = corpus("blog");
    assert_eq!(builds_clean(&site), ["E013"]);
    assert!(assert_output_whole(&site, "/") > 20);
    assert!(
        site.output("posts/v1.2-released/index.html")
            .contains("Thanks to everyone.")
    );
    assert!(!site.root().join("public/posts/draft-notes.org").exists());
    // A true error: an anchor the page does not have.
    site.write(
        "content/posts/README.MD",
        "---\ntitle: About\n---\nSee [the release](v1.2-released.markdown#nope).\n",
    );
    let (_, reported) = run_json(&site, &["check"]);
    assert_eq!(only_error(&reported), ("content/posts/README.MD", 4, 5));
}
