//! `muster serve` end to end: the real binary on a free port against a temporary
//! site, files edited on disk, results checked over HTTP and the event stream.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;
use serde_json::Value;

/// How long to wait for the server to react before failing; a deadline, not a measurement.
const PATIENCE: Duration = Duration::from_secs(20);

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

struct Server {
    child: Child,
    url: String,
    stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Server {
    fn start(site: &TestSite, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(["serve", "--root"])
            .arg(site.root())
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start muster serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let collected = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut s = collected.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let (tx, rx) = mpsc::channel();
        let out_pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Serving at ") {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
                }
            }
        });
        let url = match rx.recv_timeout(PATIENCE) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("serve did not start:\n{}", stderr.lock().unwrap());
            }
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(PATIENCE))
            .build()
            .new_agent();
        Server {
            child,
            url,
            stderr,
            agent,
        }
    }

    /// GET `path`: status, body, and the response for its headers.
    fn get(&self, path: &str) -> (u16, String, ureq::http::HeaderMap) {
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let mut response = self.agent.get(&url).call().expect("GET");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, body, headers)
    }

    /// A raw request line, sent as written (no client-side normalisation).
    fn raw(&self, request_line: &str) -> String {
        let host = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(host).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    }

    /// Subscribes to the live-reload stream and waits for its greeting.
    fn events(&self) -> Events {
        let url = format!("{}__muster/events", self.url);
        let response = self.agent.get(&url).call().expect("events");
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(response.into_body().into_reader());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ")
                    && let Ok(v) = serde_json::from_str::<Value>(data)
                    && tx.send(v).is_err()
                {
                    break;
                }
            }
        });
        let events = Events {
            rx,
            seen: Vec::new(),
        };
        let hello = events.rx.recv_timeout(PATIENCE).expect("hello event");
        assert_eq!(hello["type"], "hello");
        events
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    rx: Receiver<Value>,
    seen: Vec<Value>,
}

impl Events {
    /// Waits for an event that satisfies `matches`; panics with what came instead.
    fn wait(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(v) if matches(&v) => return v,
                Ok(v) => self.seen.push(v),
                Err(_) => break,
            }
        }
        panic!("no {what} event; got {:#?}", self.seen);
    }

    fn reload_of(&mut self, url_path: &str) -> Value {
        self.wait(&format!("reload of {url_path}"), |v| {
            v["type"] == "reload"
                && v["paths"]
                    .as_array()
                    .is_some_and(|p| p.iter().any(|p| p == url_path))
        })
    }

    fn errors(&mut self, non_empty: bool) -> Vec<Value> {
        let v = self.wait(
            if non_empty {
                "errors"
            } else {
                "errors cleared"
            },
            |v| {
                v["type"] == "errors"
                    && v["errors"]
                        .as_array()
                        .is_some_and(|e| e.is_empty() != non_empty)
            },
        );
        v["errors"].as_array().unwrap().clone()
    }
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
    assert!(server.log().contains("rebuilt (Page)"), "{}", server.log());
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
    // The terminal shows the same.
    assert!(
        server.log().contains("content/members/m1.md:"),
        "{}",
        server.log()
    );

    site.write("content/members/m1.md", &member(1, "Repaired."));
    events.errors(false);
    assert!(server.get("/members/m1/").1.contains("Repaired."));
}

impl Server {
    fn events_hello(&self) -> Value {
        let url = format!("{}__muster/events", self.url);
        let response = self.agent.get(&url).call().expect("events");
        let mut reader = BufReader::new(response.into_body().into_reader());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 {
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return serde_json::from_str(data).unwrap();
            }
            line.clear();
        }
        panic!("no hello");
    }
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
