//! The files beyond pages: sitemap, feeds, robots.txt, data export, graph,
//! timeline and search index, parsed and checked against the built site.

use std::path::Path;

use crate::common::TestSite;
use serde_json::Value;

const MEMBER: &str = "---\ntitle: {T}\njoined: {Y}\ntags: [csto]\n---\n{T} is a member. {L}\n\n## History\n\nText.\n";

fn member(title: &str, year: u32, links: &str) -> String {
    MEMBER
        .replace("{T}", title)
        .replace("{Y}", &year.to_string())
        .replace("{L}", links)
}

/// A small site whose titles need escaping in every format.
fn site() -> TestSite {
    TestSite::new(&[
        (
            "drills/one.md",
            "---\ntitle: Exercise <One> & \"Two\" ]]>\ndates: { start: 2024-09-26, end: 2024-10-07 }\nupdated: 2024-10-08\nhost: kz\nparticipants: [ru, kz]\ntags: [peacekeeping]\n---\nHeld in [[kz]]. Нерушимое братство.\n\n## Plan\n\nDeploy.\n",
        ),
        (
            "members/kz.md",
            &member("Kazakhstan", 1992, "Hosts [[one]]."),
        ),
        ("members/ru.md", &member("Russia", 1992, "")),
        (
            "members/old.md",
            "---\ntitle: Old news\ndate: 2007-10-06\n---\nAn agreement day.\n",
        ),
    ])
}

fn build_under(site: &TestSite, base_url: &str) -> std::path::PathBuf {
    let options = muster::BuildOptions {
        base_url: Some(base_url.into()),
        ..muster::BuildOptions::new(site.root())
    };
    let out = site.root().join("public");
    if let Err(e) = muster::build(&options, &out) {
        panic!("{e}");
    }
    out
}

/// The file a URL of the site is served from, if it exists.
fn file_for(public: &Path, url: &str, base: &str) -> Option<std::path::PathBuf> {
    let rel = url.strip_prefix(base)?;
    let path = rel.split('#').next()?;
    let file = if path.is_empty() || path.ends_with('/') {
        public.join(path).join("index.html")
    } else {
        public.join(path)
    };
    file.is_file().then_some(file)
}

const BASE: &str = "https://host.example/kb/";

#[test]
fn sitemap_lists_every_page_and_only_existing_ones() {
    let site = site();
    let public = build_under(&site, BASE);
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for loc in &locs {
        assert!(
            file_for(&public, loc, BASE).is_some(),
            "{loc} is not in public/"
        );
    }
    for page in [
        "drills/one/",
        "members/kz/",
        "timeline/",
        "graph/",
        "search/",
        "tags/csto/",
        "",
    ] {
        let url = format!("{BASE}{page}");
        assert!(
            locs.contains(&url.as_str()),
            "{url} missing from the sitemap"
        );
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    // A page's last change is its date.
    assert!(
        xml.contains(
            "<loc>https://host.example/kb/members/old/</loc><lastmod>2007-10-06</lastmod>"
        )
    );
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://host.example/kb/sitemap.xml\n"),
        "{robots}"
    );
}

#[test]
fn atom_feeds_have_the_required_fields_and_escape_titles() {
    let site = site();
    let public = build_under(&site, BASE);
    for (file, entries) in [
        ("atom.xml", 2),
        ("drills/atom.xml", 1),
        ("members/atom.xml", 1),
    ] {
        let xml = std::fs::read_to_string(public.join(file)).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file}: {e}\n{xml}"));
        let feed = doc.root_element();
        assert_eq!(
            feed.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        let child = |n, name: &str| xml_child(n, name, file);
        // RFC 4287: a feed has id, title, updated, and an author (here at feed level).
        for name in ["id", "title", "updated"] {
            assert!(
                !child(feed, name).text().unwrap_or("").is_empty(),
                "{file}: empty {name}"
            );
        }
        assert!(child(child(feed, "author"), "name").text().is_some());
        let self_link = feed
            .children()
            .find(|c| c.has_tag_name("link") && c.attribute("rel") == Some("self"))
            .unwrap();
        assert_eq!(
            self_link.attribute("href"),
            Some(format!("{BASE}{file}").as_str())
        );
        let list: Vec<_> = feed
            .children()
            .filter(|c| c.has_tag_name("entry"))
            .collect();
        assert_eq!(list.len(), entries, "{file}");
        for entry in &list {
            for name in ["id", "title", "updated"] {
                assert!(child(*entry, name).text().is_some());
            }
            let href = child(*entry, "link").attribute("href").unwrap();
            assert!(file_for(&public, href, BASE).is_some(), "{href}");
            jiff::Timestamp::from_str(child(*entry, "updated").text().unwrap()).unwrap();
        }
    }
    let xml = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title"))?.text())
        .collect();
    // Newest first; the title comes back exactly as written.
    assert_eq!(titles, ["Exercise <One> & \"Two\" ]]>", "Old news"]);
}

use std::str::FromStr;

fn xml_child<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &str,
    file: &str,
) -> roxmltree::Node<'a, 'i> {
    n.children()
        .find(|c| c.has_tag_name(name))
        .unwrap_or_else(|| panic!("{file}: no <{name}>"))
}

#[test]
fn a_sites_own_robots_txt_wins() {
    let site = site();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let public = build_under(&site, BASE);
    assert_eq!(
        std::fs::read_to_string(public.join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /\n"
    );
}

fn json(public: &Path, file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(public.join(file)).unwrap()).unwrap()
}

#[test]
fn pages_json_exports_fields_urls_and_relations() {
    let site = site();
    let public = build_under(&site, BASE);
    let data = json(&public, "api/pages.json");
    let pages = data["pages"].as_array().unwrap();
    let drill = pages.iter().find(|p| p["path"] == "drills/one").unwrap();
    assert_eq!(drill["url"], "/kb/drills/one/");
    assert_eq!(drill["permalink"], "https://host.example/kb/drills/one/");
    assert_eq!(drill["kind"], "drill");
    assert_eq!(drill["fields"]["host"], "members/kz");
    assert_eq!(
        drill["fields"]["participants"],
        serde_json::json!(["members/ru", "members/kz"])
    );
    assert_eq!(drill["fields"]["dates"]["start"], "2024-09-26");
    assert_eq!(
        drill["taxonomies"]["tags"],
        serde_json::json!(["peacekeeping"])
    );
    let out = drill["relations"]["out"].as_array().unwrap();
    assert!(
        out.iter()
            .any(|r| r["to"] == "members/kz" && r["type"] == "ref" && r["field"] == "host")
    );
    assert!(
        out.iter()
            .any(|r| r["to"] == "members/kz" && r["type"] == "link")
    );
    let kz = pages.iter().find(|p| p["path"] == "members/kz").unwrap();
    let incoming = kz["relations"]["in"].as_array().unwrap();
    assert!(
        incoming
            .iter()
            .any(|r| r["from"] == "drills/one" && r["field"] == "participants")
    );
    // Every page of the site is there, and every URL exists.
    for p in pages {
        let url = p["url"].as_str().unwrap();
        assert!(file_for(&public, url, "/kb/").is_some(), "{url}");
    }
}

#[test]
fn graph_json_and_page_show_every_relation() {
    let site = site();
    let public = build_under(&site, BASE);
    let graph = json(&public, "graph.json");
    let ids: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for edge in graph["edges"].as_array().unwrap() {
        assert!(ids.contains(&edge["source"].as_str().unwrap()));
        assert!(ids.contains(&edge["target"].as_str().unwrap()));
    }
    assert!(
        graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["source"] == "drills/one"
                && e["target"] == "members/ru"
                && e["field"] == "participants")
    );
    let html = std::fs::read_to_string(public.join("graph/index.html")).unwrap();
    let svg_start = html
        .find("<svg class=\"graph\"")
        .expect("an SVG drawn at build time");
    let svg_end = svg_start + html[svg_start..].find("</svg>").unwrap() + "</svg>".len();
    let svg = &html[svg_start..svg_end];
    roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    for page in ["drills/one", "members/kz", "members/ru", "members/old"] {
        assert!(
            svg.contains(&format!("href=\"/kb/{page}/\"")),
            "{page} not drawn"
        );
    }
    // The escaped title, not markup.
    assert!(svg.contains("Exercise &lt;One&gt; &amp; &quot;Two&quot; ]]&gt;"));
    // One line per related pair: one–kz (ref, links both ways) and one–ru.
    assert_eq!(svg.matches("<line ").count(), 2);
}

#[test]
fn timeline_lists_dated_pages_by_year_in_order() {
    let site = site();
    let public = build_under(&site, BASE);
    let html = std::fs::read_to_string(public.join("timeline/index.html")).unwrap();
    let y2007 = html.find("<h2 id=\"year-2007\">2007</h2>").expect("2007");
    let y2024 = html.find("<h2 id=\"year-2024\">2024</h2>").expect("2024");
    assert!(y2007 < y2024);
    let old = html.find("href=\"/kb/members/old/\"").unwrap();
    let drill = html.find("href=\"/kb/drills/one/\"").unwrap();
    assert!(y2007 < old && old < y2024 && y2024 < drill);
    assert!(html.contains("<time datetime=\"2024-09-26\">26 September 2024</time> – <time datetime=\"2024-10-07\">7 October 2024</time>"));
    // Undated pages are not on it.
    assert!(!html.contains("href=\"/kb/members/ru/\""));
}

#[test]
fn search_index_is_sharded_and_transliterated() {
    let site = site();
    let public = build_under(&site, BASE);
    let meta = json(&public, "search/meta.json");
    let shards: Vec<&str> = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(shards.len() > 5, "{shards:?}");
    assert_eq!(meta["translit"]["б"], "b");
    // Every shard named exists and holds only its prefix's terms.
    for prefix in &shards {
        // As search.js names them: the prefix's UTF-8 bytes in hex.
        let hex: String = prefix.bytes().map(|b| format!("{b:02x}")).collect();
        let file = format!("search/shard-{hex}.json");
        let shard = json(&public, &file);
        for term in shard.as_object().unwrap().keys() {
            assert!(term.starts_with(prefix), "{term} in {file}");
        }
    }
    // Cyrillic text is indexed in Latin letters: `братство` and `bratstvo` are one term.
    let br = json(&public, "search/shard-6272.json");
    let postings = br["bratstvo"].as_array().expect("bratstvo indexed");
    let docs = json(&public, "search/docs-0.json");
    let doc = postings[0].as_u64().unwrap() as usize;
    assert_eq!(docs[doc][1], "/kb/drills/one/");
    // The title weighs more than the body.
    let ex = json(&public, "search/shard-6578.json");
    let deploy = json(&public, "search/shard-6465.json");
    assert!(ex["exercise"][1].as_u64() > deploy["deploy"][1].as_u64());
    // Field values are searched, above the text: `kazakhstan` is the drill's host and
    // a participant, and linked in its text.
    let ka = json(&public, "search/shard-6b61.json");
    let kz = ka["kazakhstan"].as_array().expect("kazakhstan indexed");
    let drill_weight = kz
        .chunks(2)
        .find(|p| docs[p[0].as_u64().unwrap() as usize][1] == "/kb/drills/one/")
        .map(|p| p[1].as_u64().unwrap())
        .expect("the drill found by its host");
    // Host and participant (5 each); a mention in the text alone would weigh 1.
    assert_eq!(drill_weight, 10);
    // The browser's stemmer comes with the index.
    assert!(meta["stem"]["min"].as_u64().unwrap() >= 3);
    assert!(meta["stem"]["suffixes"].as_array().unwrap().len() > 20);
    // Each row carries the start of its text for the passage that matched.
    assert!(
        docs[doc][4]
            .as_str()
            .unwrap()
            .contains("Нерушимое братство"),
        "{}",
        docs[doc]
    );
}

#[test]
fn every_page_links_the_feed_search_and_fingerprinted_assets() {
    let site = site();
    let public = build_under(&site, BASE);
    let html = std::fs::read_to_string(public.join("members/kz/index.html")).unwrap();
    assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    assert!(html.contains("href=\"/kb/atom.xml\""));
    assert!(html.contains("action=\"/kb/search/\""));
    for script in ["search", "preview"] {
        let at = html
            .find(&format!("src=\"/kb/{script}."))
            .unwrap_or_else(|| panic!("{script}.js"));
        let src = &html[at + 5..];
        let src = &src[..src.find('"').unwrap()];
        assert!(file_for(&public, src, "/kb/").is_some(), "{src}");
    }
}
