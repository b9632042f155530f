//! `muster check --external` against a local test server on 127.0.0.1 only.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// Requests the server saw: (method, path, when).
pub(crate) type Seen = Arc<Mutex<Vec<(String, String, Instant)>>>;

/// A server whose paths answer as their names say.
pub(crate) fn start_server() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap_or(0);
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let mut parts = line.split_whitespace();
                let method = parts.next().unwrap_or("").to_string();
                let path = parts.next().unwrap_or("").to_string();
                log.lock()
                    .unwrap()
                    .push((method.clone(), path.clone(), Instant::now()));
                let status = match (method.as_str(), path.as_str()) {
                    (_, "/ok") => "200 OK",
                    ("HEAD", "/no-head") => "405 Method Not Allowed",
                    (_, "/no-head") => "200 OK",
                    (_, "/missing") => "404 Not Found",
                    (_, "/error") => "500 Internal Server Error",
                    (_, "/redirect") => "301 Moved Permanently\r\nLocation: /ok",
                    (_, "/slow") => {
                        std::thread::sleep(Duration::from_secs(4));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    (origin, seen)
}

const CONFIG: &str = "\
title: Links
base_url: https://example.org/
kinds:
  source:
    section: sources
    fields:
      website: { type: url }
";

#[test]
fn failing_external_links_are_reported_where_they_are_written() {
    let (origin, seen) = start_server();
    let a = format!(
        "---\ntitle: A\nwebsite: {origin}/missing\n---\nFine: [ok]({origin}/ok), [no head]({origin}/no-head).\n\nGone: [this]({origin}/missing).\n\n![img]({origin}/error)\n"
    );
    let b = format!(
        "---\ntitle: B\n---\nAgain <{origin}/missing>, moved [here]({origin}/redirect), and [slow]({origin}/slow).\n\n`[not a link]({origin}/error)`\n"
    );
    let site = TestSite::with_config(CONFIG, &[("sources/a.md", &a), ("sources/b.md", &b)]);
    let out = site.run(&["check", "--external", "--timeout", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");

    let missing =
        format!("error[E011]: external link failed: {origin}/missing: HTTP 404 Not Found");
    assert_eq!(stderr.matches(&missing).count(), 3, "{stderr}");
    // Each place, with its line and column: the field, the body link, the autolink.
    assert!(stderr.contains("--> content/sources/a.md:3:10"), "{stderr}");
    assert!(stderr.contains("--> content/sources/a.md:7:7"), "{stderr}");
    assert!(stderr.contains("--> content/sources/b.md:4:7"), "{stderr}");
    assert!(stderr.contains(&format!("{origin}/error: HTTP 500 Internal Server Error")));
    assert!(stderr.contains("--> content/sources/a.md:9:1"), "{stderr}");
    assert!(
        stderr.contains(&format!("{origin}/slow: no answer in time")),
        "{stderr}"
    );
    for fine in ["/ok:", "/no-head:", "/redirect:"] {
        assert!(
            !stderr.contains(&format!("{origin}{fine}")),
            "{fine} reported:\n{stderr}"
        );
    }
    assert!(stderr.contains("5 errors"), "{stderr}");

    let seen = seen.lock().unwrap();
    let count = |method: &str, path: &str| {
        seen.iter()
            .filter(|(m, p, _)| m == method && p == path)
            .count()
    };
    // Each URL once, however often it is written; GET only where HEAD failed.
    assert_eq!(count("HEAD", "/missing"), 1);
    assert_eq!(count("GET", "/missing"), 1);
    assert_eq!(count("HEAD", "/no-head"), 1);
    assert_eq!(count("GET", "/no-head"), 1);
    assert_eq!(count("GET", "/ok"), 0);
    // The code span is not a link.
    assert_eq!(count("HEAD", "/error"), 1);
    // One host: requests for different URLs are spaced out.
    let mut firsts: Vec<Instant> = ["/missing", "/error", "/no-head", "/slow", "/redirect"]
        .iter()
        .filter_map(|p| seen.iter().find(|(_, q, _)| q == p).map(|(_, _, t)| *t))
        .collect();
    firsts.sort();
    for pair in firsts.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(200),
            "requests {:?} apart",
            pair[1] - pair[0]
        );
    }
}

#[test]
fn without_the_flag_no_request_is_made() {
    let (origin, seen) = start_server();
    let site = TestSite::with_config(
        CONFIG,
        &[(
            "sources/a.md",
            &format!("---\ntitle: A\n---\n[x]({origin}/missing)\n"),
        )],
    );
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(seen.lock().unwrap().is_empty());
}
