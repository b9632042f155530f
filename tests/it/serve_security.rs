//! `muster serve` cannot be abused: it answers only GET and HEAD for files of the
//! built site, lists no folders, sends `nosniff` and the right `Content-Type`, binds
//! to loopback unless told otherwise, and never writes into `content/` or `public/`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use crate::common::TestSite;
use crate::common::server::Server;

fn site() -> TestSite {
    let site = TestSite::new(&[
        (
            "members/m1.md",
            "---\ntitle: Member 1\ntags: [t]\n---\nOriginal words. [[m2]]\n",
        ),
        ("members/m2.md", "---\ntitle: Member 2\n---\nText.\n"),
    ]);
    site.write("static/extra.css", "p { color: black; }\n");
    site.write("static/app.js", "console.log(1);\n");
    site.write(
        "static/pic.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    site.write("secret.txt", "do not serve");
    site
}

#[test]
fn no_form_of_path_reaches_a_file_outside_the_built_site() {
    let site = site();
    let server = Server::start(&site, &[]);
    let absolute = site.root().join("secret.txt");
    let absolute = absolute.to_string_lossy();
    let host = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let forms = [
        "/../secret.txt".to_string(),
        "/../../../../etc/passwd".into(),
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E%2Fsecret.txt".into(),
        "/%252e%252e/secret.txt".into(),
        "/%252e%252e%252fsecret.txt".into(),
        "/members%2f..%2f..%2fsecret.txt".into(),
        "/..%5csecret.txt".into(),
        "/..\\secret.txt".into(),
        "/members/..\\..\\secret.txt".into(),
        "/%c0%ae%c0%ae/secret.txt".into(),
        "/./secret.txt".into(),
        "/secret.txt".into(),
        "//etc/passwd".into(),
        format!("/{absolute}"),
        format!("/{}", absolute.replace('/', "%2f")),
        "/site.yaml".into(),
        "/content/members/m1.md".into(),
        "/%00secret.txt".into(),
        format!("http://{host}/../secret.txt"),
        "*".into(),
    ];
    for target in &forms {
        let response = server.raw(&format!("GET {target} HTTP/1.1"));
        let status = &response[..response.find("\r\n").unwrap_or(response.len())];
        assert!(
            status.contains(" 400 ") || status.contains(" 404 "),
            "{target}: {status}"
        );
        assert!(!response.contains("do not serve"), "{target}: {response}");
        assert!(!response.contains("root:"), "{target}");
        assert!(!response.contains("title: Member"), "{target}");
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let site = site();
    let server = Server::start(&site, &[]);
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND",
    ] {
        let response = server.raw(&format!("{method} /members/m1/ HTTP/1.1"));
        let lower = response.to_ascii_lowercase();
        assert!(
            response.starts_with("HTTP/1.1 405") || response.starts_with("HTTP/1.1 400"),
            "{method}: {response}"
        );
        if response.starts_with("HTTP/1.1 405") {
            assert!(lower.contains("allow: get, head"), "{method}: {response}");
        }
        assert!(!response.contains("Original words."), "{method}");
    }
    for path in ["/__muster/events", "/__muster/live.js"] {
        let response = server.raw(&format!("POST {path} HTTP/1.1"));
        assert!(response.starts_with("HTTP/1.1 405"), "{path}: {response}");
    }
    let head = server.raw("HEAD /members/m1/ HTTP/1.1");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(!head.contains("Original words."));
}

#[test]
fn folders_are_never_listed() {
    let site = site();
    let server = Server::start(&site, &[]);
    let (_, not_found, _) = server.get("/nowhere/");
    // `api/` holds pages.json but no index.html: the answer is the site's 404 page.
    for folder in ["/api/", "/api", "/__muster/", "/static/", "/content/"] {
        let (status, body, _) = server.get(folder);
        assert_eq!(status, 404, "{folder}");
        assert_eq!(body, not_found, "{folder} is not the 404 page");
    }
}

#[test]
fn every_response_says_nosniff_and_its_true_type() {
    let site = site();
    let server = Server::start(&site, &[]);
    let (_, home, _) = server.get("/");
    let style = home
        .split('"')
        .find(|s| s.contains("style") && s.ends_with(".css"))
        .expect("a stylesheet link")
        .to_string();
    let expected = [
        ("/", 200, "text/html; charset=utf-8"),
        ("/members/m1/", 200, "text/html; charset=utf-8"),
        (style.as_str(), 200, "text/css; charset=utf-8"),
        ("/extra.css", 200, "text/css; charset=utf-8"),
        ("/app.js", 200, "text/javascript; charset=utf-8"),
        ("/__muster/live.js", 200, "text/javascript; charset=utf-8"),
        ("/pic.svg", 200, "image/svg+xml"),
        ("/api/pages.json", 200, "application/json"),
        ("/graph.json", 200, "application/json"),
        ("/atom.xml", 200, "xml"),
        ("/sitemap.xml", 200, "xml"),
        ("/robots.txt", 200, "text/plain; charset=utf-8"),
        ("/nowhere/", 404, "text/html; charset=utf-8"),
    ];
    for (path, status, content_type) in expected {
        let (got, _, headers) = server.get(path);
        assert_eq!(got, status, "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let ct = headers["content-type"].to_str().unwrap();
        assert!(
            ct.contains(content_type),
            "{path}: {ct}, not {content_type}"
        );
    }
    let refused = server.raw("POST / HTTP/1.1");
    assert!(
        refused
            .to_ascii_lowercase()
            .contains("x-content-type-options: nosniff"),
        "{refused}"
    );
}

#[test]
fn data_files_asked_for_right_after_start_are_served_not_404() {
    let site = site();
    let server = Server::start(&site, &[]);
    // Pages come first at start; a request for a data file waits for it.
    for path in [
        "/api/pages.json",
        "/atom.xml",
        "/sitemap.xml",
        "/graph.json",
    ] {
        assert_eq!(server.get(path).0, 200, "{path}");
    }
    assert_eq!(server.get("/nowhere/").0, 404);
}

#[test]
fn serve_binds_to_loopback_by_default() {
    let site = site();
    let server = Server::start(&site, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
}

/// Every file below `dir` with its contents and modification time.
fn state(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = e.metadata().unwrap();
            (
                rel,
                (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn serve_never_writes_into_content_or_public() {
    let site = site();
    site.build_ok();
    let public_before = state(&site.root().join("public"));
    let content_before = state(&site.root().join("content"));
    let root_before: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let edited = "members/m1.md";
    {
        let server = Server::start(&site, &[]);
        let mut events = server.events();
        for round in 0..5 {
            site.write(
                &format!("content/{edited}"),
                &format!("---\ntitle: Member 1\n---\nRound {round}. [[m2]]\n"),
            );
            events.reload_of("/members/m1/");
            for path in [
                "/",
                "/members/m1/",
                "/search/",
                "/api/pages.json",
                "/atom.xml",
            ] {
                assert_eq!(server.get(path).0, 200, "{path}");
            }
        }
        // A broken save too: serve reports it and still writes nothing.
        site.write(&format!("content/{edited}"), "---\ntitle: [\n---\n");
        events.errors(true);
    }
    assert_eq!(
        state(&site.root().join("public")),
        public_before,
        "public/ was written"
    );
    let mut content_after = state(&site.root().join("content"));
    let mut content_expected = content_before;
    content_after.remove(edited);
    content_expected.remove(edited);
    assert_eq!(content_after, content_expected, "content/ was written");
    let mut root_after: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut root_before = root_before;
    root_before.sort();
    root_after.sort();
    assert_eq!(root_after, root_before, "serve made files in the site root");
}

#[test]
fn requests_for_another_host_are_refused() {
    // A page on evil.example whose name resolves to 127.0.0.1 (DNS rebinding) must not
    // read the preview: every request names its host, and only the server's own pass.
    let site = site();
    let server = Server::start(&site, &[]);
    let port = server.host().rsplit_once(':').unwrap().1.to_string();
    for path in [
        "/",
        "/api/pages.json",
        "/__muster/events",
        "/__muster/live.js",
        "/members/m1/",
    ] {
        for host in [
            format!("evil.example:{port}"),
            format!("localhost.evil.example:{port}"),
            "127.0.0.1:1".to_string(),
        ] {
            let request =
                format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
            let (response, _) = server.send_raw(request.as_bytes());
            assert!(
                response.starts_with("HTTP/1.1 421 "),
                "{path} for {host}: {response}"
            );
            assert!(!response.contains("Member 1"), "{path} for {host}");
        }
        // No Host at all (HTTP/1.0) is refused too.
        let (response, _) = server.send_raw(format!("GET {path} HTTP/1.0\r\n\r\n").as_bytes());
        assert!(
            response.starts_with("HTTP/1.1 421 ") || response.starts_with("HTTP/1.0 421 "),
            "{response}"
        );
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let request =
            format!("GET /members/m1/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (response, _) = server.send_raw(request.as_bytes());
        assert!(response.starts_with("HTTP/1.1 200 "), "{host}: {response}");
    }
}

#[test]
fn idle_and_half_sent_connections_are_closed() {
    let site = site();
    // The default is 30 s; a test waits for a shorter one, under a generous deadline.
    let server = Server::start(&site, &["--request-timeout", "2"]);
    let host = server.host().to_string();
    // Headers never finished.
    let (response, took) =
        server.send_raw(format!("GET / HTTP/1.1\r\nHost: {host}\r\n").as_bytes());
    assert!(!response.contains("200 OK"), "{response}");
    assert!(
        took < crate::common::server::PATIENCE / 2,
        "a half-sent request was kept open"
    );
    // Nothing sent at all.
    let (response, took) = server.send_raw(b"");
    assert!(response.is_empty(), "{response}");
    assert!(
        took < crate::common::server::PATIENCE / 2,
        "an idle connection was kept open"
    );
    // Kept alive after a whole answer, then idle.
    let (response, took) =
        server.send_raw(format!("GET /members/m1/ HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(
        took < crate::common::server::PATIENCE / 2,
        "an idle kept-alive connection stayed open"
    );
    // A request announcing a body it never sends gets its answer and the connection ends.
    let (response, took) = server.send_raw(
        format!("GET /members/m1/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100000\r\n\r\nab")
            .as_bytes(),
    );
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("connection: close"),
        "{response}"
    );
    assert!(took < crate::common::server::PATIENCE / 2);
}

#[test]
fn redirects_stay_on_the_same_origin() {
    let site = site();
    let server = Server::start(&site, &[]);
    for (target, location) in [
        ("//members/m1", "/members/m1/"),
        ("///members/m1", "/members/m1/"),
        ("/members/m1", "/members/m1/"),
        ("/members//m1?x=1", "/members//m1/?x=1"),
    ] {
        let response = server.raw(&format!("GET {target} HTTP/1.1"));
        assert!(
            response.starts_with("HTTP/1.1 301 "),
            "{target}: {response}"
        );
        let found = response
            .lines()
            .find_map(|l| {
                l.strip_prefix("location: ")
                    .or_else(|| l.strip_prefix("Location: "))
            })
            .unwrap_or_default();
        assert_eq!(found, location, "{target}");
        assert!(!found.starts_with("//"), "{target}");
    }
}

/// `POST /__muster/open` for `file` at line 3, column 2, with `token`: the status line.
fn ask_to_open(server: &Server, file: &str, token: Option<&str>) -> String {
    let token = token.map_or(String::new(), |t| format!("X-Muster-Token: {t}\r\n"));
    let request = format!(
        "POST /__muster/open?file={file}&line=3&column=2 HTTP/1.1\r\nHost: {}\r\n{token}Content-Length: 0\r\nConnection: close\r\n\r\n",
        server.host()
    );
    let (response, _) = server.send_raw(request.as_bytes());
    response.lines().next().unwrap_or_default().to_string()
}

/// The overlay's locations open the writer's editor through serve's endpoint: only
/// with the token of the event stream, and only for files inside the site.
#[test]
fn the_editor_opens_site_files_only_and_only_for_this_servers_pages() {
    let site = site();
    let (editor, _outside, record) = crate::common::server::recording_editor();
    let server = Server::start(&site, &["--editor", &editor]);
    let token = server.events_hello()["open_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(token.len(), 32, "{token}");

    // Refused: no token, a wrong one, files outside the site, GET.
    let refused = [
        ("content/members/m1.md", None, "403"),
        (
            "content/members/m1.md",
            Some("0123456789abcdef0123456789abcdef"),
            "403",
        ),
        ("..%2Fopened", Some(token.as_str()), "404"),
        ("%2Fetc%2Fpasswd", Some(token.as_str()), "404"),
        ("content%2F..%2F..%2Fx", Some(token.as_str()), "404"),
        ("content%2Fmembers%2Fnone.md", Some(token.as_str()), "404"),
        ("content", Some(token.as_str()), "404"),
    ];
    for (file, token, status) in refused {
        let line = ask_to_open(&server, file, token);
        assert!(line.contains(status), "{file} {token:?}: {line}");
    }
    let get = server.raw("GET /__muster/open?file=secret.txt HTTP/1.1");
    assert!(get.starts_with("HTTP/1.1 405"), "{get}");

    let line = ask_to_open(&server, "content%2Fmembers%2Fm1.md", Some(&token));
    assert!(line.contains("204"), "{line}");
    let file = site
        .root()
        .canonicalize()
        .unwrap()
        .join("content/members/m1.md");
    let expected = format!("{} 3 2\n", file.display());
    crate::common::wait_until(
        "the editor to be started",
        crate::common::server::PATIENCE,
        || std::fs::read_to_string(&record).is_ok_and(|r| !r.is_empty()),
    );
    // Only the one request that should have opened a file did.
    assert_eq!(std::fs::read_to_string(&record).unwrap(), expected);
}
