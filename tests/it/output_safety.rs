//! Front matter values reach every output escaped for its context: HTML text and
//! attributes, inline JSON, JSON files, XML (feeds, sitemap) and SVG (graph). And no
//! output names a path of the machine that built it.
//!
//! The same site is built twice: once with hostile values (`<script>`, quotes, `&`,
//! `]]>`, `</script>`, `<!--`), once with the same words and the punctuation blanked.
//! Both give the same URLs (slugs drop punctuation), so every HTML file of the hostile
//! build must have exactly the tags and attributes of its benign twin: a value that
//! escaped its context would add a tag or an attribute.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{TestSite, snapshot_tree};

const HOSTILE: &str = r#"<script>alert("x")</script> & 'q' ]]> </script><!-- a=b"#;

/// The hostile text with every character that matters to a parser blanked.
fn benign(s: &str) -> String {
    s.chars()
        .map(|c| if "<>&\"'/!=-]".contains(c) { ' ' } else { c })
        .collect()
}

const CONFIG: &str = "\
title: Safety KB
base_url: https://example.org/kb/
guide: GUIDE.md
taxonomies: [tags]
kinds:
  drill:
    section: drills
    fields:
      dates: { type: daterange, required: true }
      host: { type: ref, kind: member, required: true, inverse: hosted }
      objectives: { type: list, label: Objectives }
      code: { type: string, label: Code }
      focus: { type: text, label: Focus }
  member:
    section: members
";

/// A site whose drill carries `value` in its title, summary, tags and fields.
fn site(value: &str) -> TestSite {
    let yaml = serde_json::to_string(value).unwrap();
    let drill = format!(
        "---\ntitle: {yaml}\nsummary: {yaml}\ntags: [{yaml}]\ndates: {{ start: 2024-09-26, end: 2024-10-07 }}\nupdated: 2024-10-08\nhost: kazakhstan\nobjectives: [{yaml}]\ncode: {yaml}\nfocus: {yaml}\n---\nThe drill [[kazakhstan]].\n"
    );
    let site = TestSite::with_config(
        CONFIG,
        &[
            (
                "members/kazakhstan.md",
                "---\ntitle: Kazakhstan\n---\nHost.\n",
            ),
            ("drills/d.md", &drill),
        ],
    );
    site.write("GUIDE.md", "# Guide\n\nHow to write.\n");
    site.build_ok();
    site
}

/// The tags of an HTML document with their attribute names, in order. Quoted attribute
/// values are skipped whole, so a quote that escaped its attribute shows as new names.
fn structure(html: &str) -> Vec<String> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let start = i + p + 1;
        if html[start..].starts_with("!--") {
            let end = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            out.push("<!---->".to_string());
            i = end;
            continue;
        }
        let name_len = html[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '!'))
            .unwrap_or(html.len() - start);
        let mut tag = html[start..start + name_len].to_ascii_lowercase();
        let mut j = start + name_len;
        if name_len == 0 {
            // A `<` that starts no tag: text, which escaped output never has.
            out.push("<stray>".to_string());
            i = start;
            continue;
        }
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            if bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let name_end = html[j..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>')
                .map_or(html.len(), |e| j + e);
            tag.push(' ');
            tag.push_str(&html[j..name_end]);
            j = name_end;
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        j = html[j + 1..]
                            .find(q as char)
                            .map_or(html.len(), |e| j + 1 + e + 1);
                    }
                    _ => {
                        j = html[j..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |e| j + e);
                    }
                }
            }
        }
        out.push(tag);
        i = (j + 1).min(html.len());
        // The text of a script element is not markup; skip to its end tag.
        if out
            .last()
            .is_some_and(|t| t == "script" || t.starts_with("script "))
        {
            i = html[i..].find("</script").map_or(html.len(), |e| i + e);
        }
    }
    out
}

fn files(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    snapshot_tree(&site.root().join("public"))
        .into_iter()
        .map(|(path, bytes)| (path.replace('\\', "/"), bytes))
        .collect()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn hostile_values_do_not_change_the_structure_of_any_html_page() {
    let hostile = files(&site(HOSTILE));
    let plain = files(&site(&benign(HOSTILE)));
    assert_eq!(
        hostile.keys().collect::<Vec<_>>(),
        plain.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let mut html_files = 0;
    for (path, bytes) in &hostile {
        if path.ends_with(".html") {
            html_files += 1;
            let html = text(bytes);
            assert_eq!(
                structure(html),
                structure(text(&plain[path])),
                "{path} differs in structure:\n{html}"
            );
            assert!(!html.contains("<script>alert"), "{path}");
        }
    }
    eprintln!(
        "{html_files} HTML files of {} outputs have the structure of their benign twins",
        hostile.len()
    );
    assert!(html_files > 8, "{html_files} HTML files");
    // The structure check sees an escape: an unescaped value would add a tag.
    let broken = "<p>".to_string() + HOSTILE + "</p>";
    assert_ne!(
        structure(&broken),
        structure(&format!("<p>{}</p>", benign(HOSTILE)))
    );
}

#[test]
fn hostile_values_round_trip_through_json_xml_svg_and_inline_json() {
    let site = site(HOSTILE);
    let out = files(&site);
    // Every JSON file parses; pages.json holds the title exactly.
    for (path, bytes) in &out {
        if path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    let pages: serde_json::Value = serde_json::from_slice(&out["api/pages.json"]).unwrap();
    let pages_text = pages.to_string();
    assert!(
        pages_text.contains(&serde_json::to_string(HOSTILE).unwrap()),
        "{pages_text}"
    );
    // Every XML file parses; the feed's entry title and the sitemap are intact.
    let mut xml_files = 0;
    for (path, bytes) in &out {
        if path.ends_with(".xml") {
            xml_files += 1;
            roxmltree::Document::parse(text(bytes)).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    assert!(xml_files >= 2, "{xml_files} XML files");
    let feed = roxmltree::Document::parse(text(&out["atom.xml"])).unwrap();
    let titles: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&HOSTILE), "{titles:?}");
    // The graph's SVG parses as XML and names the page exactly.
    let graph = text(&out["graph/index.html"]);
    let svg_start = graph.find("<svg class=\"graph\"").expect("an inline SVG");
    let svg_end = svg_start + graph[svg_start..].find("</svg>").unwrap() + "</svg>".len();
    let svg = roxmltree::Document::parse(&graph[svg_start..svg_end]).expect("SVG is XML");
    assert!(
        svg.descendants().any(|n| n.text() == Some(HOSTILE)),
        "the title is not in the SVG"
    );
    // The page's inline JSON-LD parses and holds the title exactly.
    let page = text(&out["drills/d/index.html"]);
    let open = r#"<script type="application/ld+json">"#;
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["headline"], HOSTILE);
    assert!(!page[start..end].contains('<'));
}

#[test]
fn no_output_names_a_path_of_the_build_machine() {
    let site = site(HOSTILE);
    let root = site.root().to_string_lossy().into_owned();
    let canonical = site.root().canonicalize().unwrap();
    let repo = crate::common::repo();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let temp = std::env::temp_dir().to_string_lossy().into_owned();
    let needles = [
        root.as_str(),
        canonical.to_str().unwrap(),
        repo.to_str().unwrap(),
        &home,
        &temp,
    ];
    for (path, bytes) in files(&site) {
        let content = String::from_utf8_lossy(&bytes);
        for needle in needles.iter().filter(|n| n.len() > 1) {
            let needle = needle.trim_end_matches('/');
            assert!(
                !content.contains(needle),
                "{path} contains the build machine's path {needle}"
            );
        }
    }
    assert!(Path::new(&root).is_absolute());
}
