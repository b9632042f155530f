//! `muster serve` end to end: the real binary on a free port against a temporary
//! site, files edited on disk, results checked over HTTP and the event stream.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::TestSite;
use crate::common::server::{PATIENCE, Server};

fn member(i: usize, body: &str) -> String {
    format!(
        "---\ntitle: Member {i}\ntags: [t{i}]\n---\nMember {i} links to [[m{}]]. {body}\n\n## History\n\nText.\n",
        (i + 1) % 3
    )
}

fn site() -> TestSite {
    let site = TestSite::new(&[
        ("members/m0.md", &member(0, "")),
        ("members/m1.md", &member(1, "Original words.")),
        ("members/m2.md", &member(2, "")),
        ("_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    ]);
    site.write("static/extra.css", "p { color: black; }\n");
    site
}

#[test]
fn an_edit_is_served_and_its_page_told_to_reload() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    let (status, body, headers) = server.get("/members/m1/");
    assert_eq!(status, 200);
    assert!(body.contains("Original words."));
    assert!(body.contains("<script src=\"/__muster/live.js\" defer></script></body>"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");

    site.write("content/members/m1.md", &member(1, "Fresh words."));
    let reload = events.reload_of("/members/m1/");
    assert_eq!(reload["all"], false);
    let (_, body, _) = server.get("/members/m1/");
    assert!(body.contains("Fresh words."), "{body}");
    assert!(!body.contains("Original words."));
    // serve renders into memory only.
    assert!(!site.root().join("public").exists());
    server.wait_for_log("rebuilt (Page)");
}

#[test]
fn a_template_edit_reloads_the_open_page_before_the_rest_is_rendered() {
    // Forty pages use the template: more than serve renders in one go after the open one.
    let files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("notes/n{i}.md"),
                format!("---\ntitle: Note {i}\n---\nText {i}.\n"),
            )
        })
        .collect();
    let site = TestSite::from_owned(&files);
    let server = Server::start(&site, &[]);
    let mut open = server.events_of("/notes/n7/");
    let mut other = server.events();
    let template = site.root().join("themes/default/templates/page.html");
    let original = std::fs::read_to_string(&template).unwrap();
    let edited = original.replacen("{% block main %}", "{% block main %}<p>Edited.</p>", 1);
    assert_ne!(edited, original, "the theme's page.html has a main block");
    std::fs::write(&template, edited).unwrap();
    // The open page comes alone, then every other page.
    let first = open.reload_of("/notes/n7/");
    assert_eq!(first["paths"].as_array().unwrap().len(), 1, "{first}");
    let rest = other.reload_of("/notes/n8/");
    assert!(
        !rest["paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "/notes/n7/"),
        "{rest}"
    );
    for page in ["/notes/n7/", "/notes/n8/", "/notes/n39/"] {
        assert!(server.get(page).1.contains("<p>Edited.</p>"), "{page}");
    }
}

#[test]
fn an_atomic_save_and_a_new_folder_are_picked_up() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    // Editors that write a temporary file and rename it over the page.
    let tmp = site.root().join("content/members/.m2.md.tmp");
    std::fs::write(&tmp, member(2, "Saved atomically.")).unwrap();
    std::fs::rename(&tmp, site.root().join("content/members/m2.md")).unwrap();
    events.reload_of("/members/m2/");
    assert!(server.get("/members/m2/").1.contains("Saved atomically."));
    // A folder created with a page already inside.
    let dir = site.root().join("content/places/deep");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("spot.md"), "---\ntitle: Spot\n---\nA place.\n").unwrap();
    events.reload_of("/places/deep/spot/");
    let (status, body, _) = server.get("/places/deep/spot/");
    assert_eq!(status, 200);
    assert!(body.contains("A place."));
}

#[test]
fn an_error_shows_in_the_overlay_while_the_last_good_page_stays() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    site.write(
        "content/members/m1.md",
        "---\ntitle: Member 1\ntags: [t1\n---\nBroken.\n",
    );
    let errors = events.errors(true);
    // Every error at once: the YAML one, and m0's link to the page that no longer loads.
    let e = errors
        .iter()
        .find(|e| e["location"]["file"] == "content/members/m1.md")
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(
        errors
            .iter()
            .any(|e| e["location"]["file"] == "content/members/m0.md")
    );
    assert!(e["location"]["line"].as_u64().unwrap() >= 3, "{e}");
    assert!(e["code"].as_str().unwrap().starts_with('E'));
    assert!(e["message"].as_str().is_some() && e["source_line"].as_str().is_some());
    // The last good version is still served.
    let (status, body, _) = server.get("/members/m1/");
    assert_eq!(status, 200);
    assert!(body.contains("Original words."));
    // A listener that connects now is told at once.
    let late = server.events_hello();
    assert_eq!(late["errors"].as_array().unwrap().len(), errors.len());
    // The terminal shows the same, printed just after the browsers were told.
    crate::common::wait_until(
        "the terminal to show the error",
        crate::common::server::PATIENCE,
        || server.log().contains("content/members/m1.md:"),
    );

    site.write("content/members/m1.md", &member(1, "Repaired."));
    events.errors(false);
    assert!(server.get("/members/m1/").1.contains("Repaired."));
}

#[test]
fn deleting_a_page_gives_404_and_a_broken_link_error_where_it_was_linked() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    std::fs::remove_file(site.root().join("content/members/m2.md")).unwrap();
    let errors = events.errors(true);
    // m1 links to m2.
    let broken = errors
        .iter()
        .find(|e| e["location"]["file"] == "content/members/m1.md")
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert_eq!(broken["code"], "E006");
    assert_eq!(broken["location"]["line"], 5);
    events.reload_of("/members/m2/");
    let (status, body, _) = server.get("/members/m2/");
    assert_eq!(status, 404);
    assert!(
        body.contains("live.js"),
        "the 404 page also carries the overlay"
    );
    assert_eq!(server.get("/members/m1/").0, 200);
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    site.write("static/extra.css", "p { color: red; }\n");
    let css = events.wait("css", |v| v["type"] == "css");
    assert_eq!(css["paths"], serde_json::json!(["/extra.css"]));
    let (status, body, headers) = server.get("/extra.css");
    assert_eq!(status, 200);
    assert_eq!(body, "p { color: red; }\n");
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    // Nothing else was reloaded.
    assert!(
        !events.seen.iter().any(|v| v["type"] == "reload"),
        "{:?}",
        events.seen
    );
}

#[test]
fn nothing_a_writer_saves_crashes_the_server() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    let page = site.root().join("content/members/m0.md");
    let saves: [(&str, &[u8]); 4] = [
        ("empty file", b""),
        ("half-written front matter", b"---\ntitle: Mem"),
        ("invalid UTF-8", b"---\ntitle: x\n---\n\xff\xfe bad\n"),
        ("only a fence", b"---\n"),
    ];
    for (what, bytes) in saves {
        std::fs::write(&page, bytes).unwrap();
        let errors = events.errors(true);
        assert!(!errors.is_empty(), "{what}");
        assert_eq!(server.get("/").0, 200, "{what}: server still answers");
        std::fs::write(&page, member(0, "")).unwrap();
        events.errors(false);
    }
    // A template with a syntax error.
    let template = site
        .root()
        .join("themes/default/templates/partials/toc.html");
    let good = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{good}{{% if %}}")).unwrap();
    let errors = events.errors(true);
    assert!(
        errors[0]["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("toc.html"),
        "{errors:?}"
    );
    std::fs::write(&template, &good).unwrap();
    events.errors(false);
    // A whole section folder deleted.
    std::fs::remove_dir_all(site.root().join("content/members")).unwrap();
    events.reload_of("/members/m0/");
    assert_eq!(server.get("/members/m0/").0, 404);
    assert_eq!(server.get("/").0, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn paths_cannot_leave_the_site_and_only_reads_are_allowed() {
    let site = site();
    site.write("secret.txt", "do not serve");
    let server = Server::start(&site, &[]);
    for line in [
        "GET /../secret.txt HTTP/1.1",
        "GET /%2e%2e/secret.txt HTTP/1.1",
        "GET /members%2f..%2f..%2fsecret.txt HTTP/1.1",
        "GET /..%5csecret.txt HTTP/1.1",
    ] {
        let response = server.raw(line);
        assert!(
            response.starts_with("HTTP/1.1 400") || response.starts_with("HTTP/1.1 404"),
            "{line}: {response}"
        );
        assert!(!response.contains("do not serve"), "{line}");
    }
    let double = server.raw("GET /%252e%252e/secret.txt HTTP/1.1");
    assert!(double.starts_with("HTTP/1.1 404"), "{double}");
    let post = server.raw("POST /members/m1/ HTTP/1.1");
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    let head = server.raw("HEAD /members/m1/ HTTP/1.1");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(!head.contains("Original words."), "HEAD has no body");
    // Ranges for media, and a redirect to the folder URL as static hosts do.
    let range = server.raw("GET /extra.css HTTP/1.1\r\nRange: bytes=0-1");
    assert!(range.starts_with("HTTP/1.1 206"), "{range}");
    assert!(range.ends_with("\r\n\r\np "), "{range}");
    let redirect = server.raw("GET /members/m1 HTTP/1.1");
    assert!(redirect.starts_with("HTTP/1.1 301"), "{redirect}");
    assert!(redirect.contains("location: /members/m1/"), "{redirect}");
}

#[test]
fn a_taken_port_makes_serve_try_the_next() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start(&site, &["--port", &port.to_string()]);
    assert!(
        server.log().contains(&format!("port {port} is taken")),
        "{}",
        server.log()
    );
    assert!(!server.url.contains(&format!(":{port}/")), "{}", server.url);
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = site();
    let mut server = Server::start(&site, &[]);
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + PATIENCE;
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    assert!(!site.root().join("public").exists());
}

#[test]
fn drafts_are_shown_and_marked_unless_hidden() {
    let site = site();
    site.write(
        "content/members/draft.md",
        "---\ntitle: Unfinished\ndraft: true\n---\nWork in progress.\n",
    );
    let server = Server::start(&site, &[]);
    let (status, body, _) = server.get("/members/draft/");
    assert_eq!(status, 200);
    assert!(body.contains("draft-badge"), "{body}");
    drop(server);
    let hidden = Server::start(&site, &["--hide-drafts"]);
    assert_eq!(hidden.get("/members/draft/").0, 404);
}

#[test]
fn polling_watcher_sees_edits_too() {
    let site = site();
    let server = Server::start(&site, &["--poll"]);
    let mut events = server.events();
    site.write("content/members/m1.md", &member(1, "Seen by polling."));
    events.reload_of("/members/m1/");
    assert!(server.get("/members/m1/").1.contains("Seen by polling."));
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = site();
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    assert!(
        server.log().contains("anyone who can reach this machine"),
        "{}",
        server.log()
    );
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn an_edit_of_the_guide_outside_content_is_served() {
    let site = site();
    site.write(
        "site.yaml",
        &format!("{}guide: docs/guide.md\n", crate::common::CONFIG),
    );
    site.write("docs/guide.md", "# Guide\n\nFirst words.\n");
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    assert!(server.get("/guide/").1.contains("First words."));
    site.write("docs/guide.md", "# Guide\n\nSecond words.\n");
    events.reload_of("/guide/");
    assert!(server.get("/guide/").1.contains("Second words."));
}
