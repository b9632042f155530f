//! Embeds (transclusion) as Obsidian writes them: `![[page]]`, `![[page#Heading]]`,
//! `![[page#^block]]` show that part of the page, its links still right; files show as
//! images, players or viewers; missing targets and cycles are located errors.

use crate::common::TestSite;

const SOURCE: &str = "---\ntitle: Source Page\n---\nFirst paragraph with ![map](../map.png).\n\n\
## Background\n\nHistory with [a link](@/notes/other.md) and a note[^1].\n\n\
- a point ^p1\n- another\n\n## Later\n\nNot in the background.\n\n[^1]: The note.\n";

fn site(embedder: &str) -> TestSite {
    let site = TestSite::new(&[
        ("notes/source.md", SOURCE),
        ("notes/other.md", "---\ntitle: Other\n---\nOther page.\n"),
        ("notes/embedder.md", embedder),
    ]);
    site.write("content/notes/map.png", "png");
    site.write("content/notes/report.pdf", "%PDF-1.4");
    site.write("content/notes/talk.mp3", "ID3");
    site
}

#[test]
fn pages_sections_and_blocks_are_shown_with_their_links_right() {
    let site = site(
        "---\ntitle: Embedder\n---\nBefore.\n\n![[source]]\n\nA section: ![[source#Background]] and a block ![[source#^p1]].\n",
    );
    site.build_ok();
    let html = site.output("notes/embedder/index.html");
    let embeds: Vec<&str> = html.split("<div class=\"embed\">").skip(1).collect();
    assert_eq!(embeds.len(), 3, "{html}");
    // The whole page: its relative image and its links lead where they led there.
    assert!(
        embeds[0].contains(r#"<img src="/notes/map.png""#),
        "{}",
        embeds[0]
    );
    assert!(
        embeds[0].contains(r#"<a href="/notes/other/">a link</a>"#),
        "{}",
        embeds[0]
    );
    assert!(
        embeds[0]
            .contains(r#"<p class="embed-source"><a href="/notes/source/">Source Page</a></p>"#),
        "{}",
        embeds[0]
    );
    // A section: from its heading to the next of its level.
    assert!(embeds[1].contains("History with"), "{}", embeds[1]);
    assert!(
        !embeds[1].contains("Not in the background"),
        "{}",
        embeds[1]
    );
    assert!(!embeds[1].contains("First paragraph"), "{}", embeds[1]);
    // A block: the list item alone, in a list.
    assert!(embeds[2].contains("<ul>\n<li>a point"), "{}", embeds[2]);
    assert!(!embeds[2].contains("another"), "{}", embeds[2]);
    // Ids of the embedded page do not clash with the embedder's; no block inside a <p>.
    assert!(!embeds[1].contains(" id=\"background\""), "{}", embeds[1]);
    assert!(
        embeds[1].contains(" data-source-id=\"background\""),
        "{}",
        embeds[1]
    );
    assert!(!html.contains("<p><div"), "{html}");
    assert!(!html.contains("<p>\n<div"), "{html}");
    // Embeds are their own relation in the graph data and backlinks.
    let graph = site.output("graph.json");
    assert!(graph.contains(r#""type":"embed""#), "{graph}");
    let source = site.output("notes/source/index.html");
    assert!(source.contains("embed"), "{source}");
}

#[test]
fn files_are_embedded_as_images_players_and_viewers() {
    let site =
        site("---\ntitle: Embedder\n---\n![[map.png|300]]\n\n![[report.pdf]]\n\n![[talk.mp3]]\n");
    let stats = site.build_ok();
    assert!(stats.warnings.is_empty(), "{:?}", stats.warnings);
    let html = site.output("notes/embedder/index.html");
    assert!(
        html.contains(r#"<img src="/notes/map.png" alt="map.png" width="300""#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<object class="embed-file" data="/notes/report.pdf" type="application/pdf""#
        ),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<audio class="embed-file" controls preload="metadata" src="/notes/talk.mp3""#
        ),
        "{html}"
    );
}

#[test]
fn missing_targets_and_cycles_are_located_errors() {
    let site =
        site("---\ntitle: Embedder\n---\nSee:\n\n![[nowhere]]\n\n![[source#No Such Heading]]\n");
    let err = site.build().unwrap_err();
    let found: Vec<(&str, usize)> = err
        .0
        .iter()
        .map(|d| (d.kind.code(), d.location.as_ref().unwrap().line))
        .collect();
    assert_eq!(found, [("E006", 6), ("E007", 8)], "{err}");

    // a embeds b's section, whose text embeds a: a cycle, at the embed that closes it.
    let site = TestSite::new(&[
        ("notes/a.md", "---\ntitle: A\n---\n![[b#Back]]\n"),
        (
            "notes/b.md",
            "---\ntitle: B\n---\nB.\n\n## Back\n\n![[a]]\n\n## Free\n\n![[a]]\n",
        ),
        // An embed of a part that does not embed back is no cycle.
        ("notes/c.md", "---\ntitle: C\n---\n![[b#Free]]\n"),
        ("notes/self.md", "---\ntitle: Self\n---\nMe: ![[self]]\n"),
    ]);
    let err = site.build().unwrap_err();
    let cycles: Vec<String> = err.0.iter().map(|d| d.to_string()).collect();
    assert_eq!(err.0.len(), 2, "{err}");
    assert!(err.0.iter().all(|d| d.kind.code() == "E015"), "{err}");
    assert!(
        cycles
            .iter()
            .any(|c| c.contains("notes/a → notes/b → notes/a")),
        "{cycles:?}"
    );
    assert!(
        cycles.iter().any(|c| c.contains("notes/self → notes/self")),
        "{cycles:?}"
    );
}

#[test]
fn hostile_embed_targets_and_titles_stay_text() {
    // An embedded page's title is markup-free in the line naming where the part comes from.
    let titled = TestSite::new(&[
        (
            "notes/x.md",
            "---\ntitle: \"<script>alert(1)</script>\"\n---\nShown.\n",
        ),
        ("notes/host.md", "---\ntitle: Host\n---\n![[x]]\n"),
    ]);
    titled.build_ok();
    let html = titled.output("notes/host/index.html");
    assert!(html.contains("Shown."), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</a></p>"),
        "{html}"
    );
    // A target of markup that names nothing is a located error, its text never written.
    let site = site("---\ntitle: Embedder\n---\n![[\"><script>alert(1)</script>.png]]\n");
    let err = site.build().unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert_eq!(err.0[0].location.as_ref().map(|l| l.line), Some(4), "{err}");
}

#[test]
fn embeds_inside_embeds_are_shown_whole() {
    let site = TestSite::new(&[
        ("notes/a.md", "---\ntitle: A\n---\n![[b#Part]]\n"),
        (
            "notes/b.md",
            "---\ntitle: B\n---\n## Part\n\nBefore.\n\n![[c#Inner]]\n\nAfter, still in the part.\n\n## Other\n\nNot shown.\n",
        ),
        (
            "notes/c.md",
            "---\ntitle: C\n---\n## Inner\n\nFrom c.\n\n## Outer\n\nNot from c.\n",
        ),
    ]);
    site.build_ok();
    let html = site.output("notes/a/index.html");
    let content = &html[html.find("<div class=\"content\">").unwrap()..];
    let content = &content[..content.find("</article>").unwrap()];
    for shown in ["Before.", "From c.", "After, still in the part."] {
        assert!(content.contains(shown), "{shown} missing: {content}");
    }
    for hidden in ["Not shown.", "Not from c."] {
        assert!(!content.contains(hidden), "{hidden} shown: {content}");
    }
}

#[test]
fn embeds_that_multiply_stay_bounded() {
    // Each page embeds the next ten times: a million parts if nothing stopped it.
    let mut files: Vec<(String, String)> = (0..7)
        .map(|i| {
            let embeds = format!("![[p{}]]\n\n", i + 1).repeat(10);
            (
                format!("notes/p{i}.md"),
                format!("---\ntitle: P{i}\n---\nPage {i}.\n\n{embeds}"),
            )
        })
        .collect();
    files.push((
        "notes/p7.md".into(),
        "---\ntitle: P7\n---\nThe last page.\n".into(),
    ));
    // A first paragraph of 300 embeds: the summary in the listing is bounded too.
    let many = "![[p7]] ".repeat(300);
    files.push(("notes/q.md".into(), format!("---\ntitle: Q\n---\n{many}\n")));
    let site = TestSite::from_owned(&files);
    let stats = site.build_ok();
    // The writer is told where, at the embed that crosses the limit.
    let warned: Vec<String> = stats
        .warnings
        .iter()
        .filter(|w| w.kind.code() == "E015")
        .map(|w| w.to_string())
        .collect();
    assert!(
        warned
            .iter()
            .any(|w| w.contains("more than 256 embedded parts")
                && w.contains("content/notes/p0.md:")),
        "{warned:#?}"
    );
    let html = site.output("notes/p0/index.html");
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
    assert_eq!(html.matches("<div class=\"embed\">").count(), 256);
    let listing = site.output("notes/index.html");
    assert_eq!(listing.matches("<div class=\"embed\">").count(), 256);
    // Past the limit, an embed is a link to its page, alone in its paragraph.
    assert!(html.contains("<p><a href=\"/notes/p"), "no link");
}

#[test]
fn a_chain_of_embeds_as_long_as_the_site_is_followed_without_recursion() {
    // Each page embeds the next: the cycle search follows the whole chain (a recursive
    // search would need a stack frame per page); pages show the first 8 levels.
    let _heavy = crate::common::heavy();
    const PAGES: usize = 3000;
    let files: Vec<(String, String)> = (0..PAGES)
        .map(|i| {
            let next = if i + 1 < PAGES {
                format!("![[c{}]]\n", i + 1)
            } else {
                String::new()
            };
            (
                format!("chain/c{i}.md"),
                format!("---\ntitle: C{i}\n---\nLink {i}.\n\n{next}"),
            )
        })
        .collect();
    let site = TestSite::from_owned(&files);
    let stats = site.build_ok();
    let deep = |page: &str| {
        stats.warnings.iter().any(|w| {
            w.to_string().contains("nest more than 8 levels deep")
                && w.location.as_ref().is_some_and(|l| l.file.ends_with(page))
        })
    };
    // From c0 the chain goes 2,999 deep; from c2991, 8 levels: all shown.
    assert!(
        deep("c0.md") && deep("c2990.md"),
        "{:?}",
        stats.warnings.first()
    );
    assert!(!deep("c2991.md"));
    let html = site.output("chain/c0/index.html");
    assert!(html.contains("Link 8."), "8 levels shown");
    assert!(!html.contains("Link 9."), "no deeper");
}
