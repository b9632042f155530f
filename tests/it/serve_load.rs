//! `muster serve` under load and under rapid saves: no failed request, no response
//! that mixes two versions of a page, memory flat across many rebuilds, and the last
//! of many quick saves is what is served.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::TestSite;
use crate::common::server::{PATIENCE, Server};

/// Member 1 at version `v`: the version is in its title (front matter) and at both
/// ends of its body, so a response mixing two versions shows different numbers.
fn versioned(v: usize) -> String {
    format!(
        "---\ntitle: Member 1 v{v}\n---\nStart v{v}.\n\n{}\n\nEnd v{v}.\n",
        "Words of the page. ".repeat(50)
    )
}

fn site() -> TestSite {
    let mut files: Vec<(String, String)> = (0..10)
        .map(|i| {
            (
                format!("members/m{i}.md"),
                format!(
                    "---\ntitle: Member {i}\n---\nLinks to [[m{}]].\n",
                    (i + 1) % 10
                ),
            )
        })
        .collect();
    files[1].1 = versioned(0);
    TestSite::from_owned(&files)
}

/// The versions a page of member 1 names: title, start and end of the body.
fn versions(html: &str) -> Vec<String> {
    ["<h1>Member 1 v", "Start v", "End v"]
        .iter()
        .map(|marker| {
            let at = html.find(marker).map(|i| i + marker.len()).unwrap_or(0);
            html[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .collect()
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

#[test]
fn fifty_clients_get_whole_pages_while_the_site_is_rebuilt() {
    let _heavy = crate::common::heavy();
    let site = site();
    let server = Arc::new(Server::start(&site, &[]));
    let (_, home, _) = server.get("/");
    let style = home
        .split('"')
        .find(|s| s.ends_with(".css"))
        .unwrap()
        .to_string();
    let paths: Arc<Vec<String>> = Arc::new(
        [
            "/",
            "/members/m1/",
            "/members/",
            "/members/m2/",
            "/api/pages.json",
            "/atom.xml",
            "/search/",
            style.as_str(),
            "/members/m1/",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    );
    let done = Arc::new(AtomicBool::new(false));
    let rebuilds = Arc::new(AtomicUsize::new(0));
    // The writer: a new version of member 1 as soon as the last one is served.
    let editor = {
        let site_root = site.root().to_path_buf();
        let done = done.clone();
        let rebuilds = rebuilds.clone();
        let mut events = server.events();
        std::thread::spawn(move || {
            let mut v = 0;
            while !done.load(Ordering::Relaxed) {
                v += 1;
                std::fs::write(site_root.join("content/members/m1.md"), versioned(v)).unwrap();
                events.reload_of("/members/m1/");
                rebuilds.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let clients = 50;
    let per_client = 200;
    let failures = Arc::new(AtomicUsize::new(0));
    let mixed = Arc::new(AtomicUsize::new(0));
    let versions_seen = Arc::new(std::sync::Mutex::new(std::collections::BTreeSet::new()));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let base = server.url.clone();
            let paths = paths.clone();
            let failures = failures.clone();
            let mixed = mixed.clone();
            let versions_seen = versions_seen.clone();
            std::thread::spawn(move || {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(PATIENCE))
                    .build()
                    .new_agent();
                for n in 0..per_client {
                    let path = &paths[(c + n) % paths.len()];
                    let url = format!("{base}{}", path.trim_start_matches('/'));
                    let body = match agent.get(&url).call() {
                        Ok(mut r) if r.status() == 200 => r.body_mut().read_to_string(),
                        Ok(r) => {
                            eprintln!("{path}: {}", r.status());
                            failures.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        Err(e) => {
                            eprintln!("{path}: {e}");
                            failures.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    };
                    let Ok(body) = body else {
                        failures.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    if path == "/members/m1/" {
                        let v = versions(&body);
                        if v[0].is_empty() || v.iter().any(|x| *x != v[0]) {
                            eprintln!("mixed versions {v:?}");
                            mixed.fetch_add(1, Ordering::Relaxed);
                        }
                        versions_seen.lock().unwrap().insert(v[0].clone());
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    // While the writer keeps saving, the data files still follow the pages (within a
    // second): pages.json catches up with the version saved now.
    let now = rebuilds.load(Ordering::Relaxed);
    let deadline = Instant::now() + PATIENCE;
    let caught_up = loop {
        let (_, json, _) = server.get("/api/pages.json");
        let listed: usize = json
            .split("Member 1 v")
            .nth(1)
            .map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if listed >= now {
            break listed;
        }
        assert!(
            Instant::now() < deadline,
            "pages.json stuck at v{listed}, pages at v{now}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // And saves go on after it: on a busy machine the next one may take a while.
    crate::common::wait_until("the writer saves again", PATIENCE, || {
        rebuilds.load(Ordering::Relaxed) > now
    });
    done.store(true, Ordering::Relaxed);
    editor.join().unwrap();
    eprintln!("pages.json reached v{caught_up} while saves went on");
    let requests = clients * per_client;
    let distinct = versions_seen.lock().unwrap().len();
    eprintln!(
        "{requests} requests from {clients} clients in {elapsed:?} during {} rebuilds; {distinct} versions of the edited page seen",
        rebuilds.load(Ordering::Relaxed)
    );
    assert_eq!(failures.load(Ordering::Relaxed), 0, "failed requests");
    assert_eq!(
        mixed.load(Ordering::Relaxed),
        0,
        "responses mixing versions"
    );
    // The load really ran across rebuilds.
    assert!(rebuilds.load(Ordering::Relaxed) >= 2);
    assert!(distinct >= 2, "{distinct} versions seen");
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn memory_stays_flat_across_a_thousand_rebuilds() {
    let _heavy = crate::common::heavy();
    let rebuilds = crate::common::env_count("MUSTER_REBUILDS", 1000);
    let site = site();
    let server = Server::start(&site, &[]);
    let pid = server.child.id();
    let mut events = server.events();
    let warm_up = rebuilds / 10;
    let mut after_warm_up = 0;
    for v in 1..=rebuilds {
        // Body edits and, every tenth time, a title edit (a full rebuild).
        let text = if v % 10 == 0 {
            versioned(v)
        } else {
            versioned(v).replacen(&format!("title: Member 1 v{v}"), "title: Member 1 v0", 1)
        };
        site.write("content/members/m1.md", &text);
        events.reload_of("/members/m1/");
        if v == warm_up {
            after_warm_up = rss_kib(pid);
        }
    }
    let at_end = rss_kib(pid);
    eprintln!(
        "resident memory after {warm_up} rebuilds: {after_warm_up} KiB; after {rebuilds}: {at_end} KiB"
    );
    // Flat: no more than 10% (and 4 MiB of allocator slack) above the warmed-up size.
    assert!(
        at_end <= after_warm_up + (after_warm_up / 10).max(4096),
        "grew from {after_warm_up} KiB to {at_end} KiB"
    );
    let (_, body, _) = server.get("/members/m1/");
    assert!(body.contains(&format!("End v{rebuilds}.")));
}

#[test]
fn the_last_of_two_hundred_saves_in_a_second_is_served() {
    let _heavy = crate::common::heavy();
    let site = site();
    let server = Server::start(&site, &[]);
    let path = site.root().join("content/members/m1.md");
    let started = Instant::now();
    for v in 1..=200 {
        std::fs::write(&path, versioned(v)).unwrap();
        std::thread::sleep(Duration::from_millis(4));
    }
    let saving = started.elapsed();
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (_, body, _) = server.get("/members/m1/");
        if versions(&body) == ["200", "200", "200"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never served v200: {:?}",
            versions(&body)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // And it stays so: nothing older arrives afterwards. Rebuilds run in order, so once a
    // later save of another page is served, every earlier one has been handled.
    let mut events = server.events();
    site.write(
        "content/members/m2.md",
        "---\ntitle: Member 2\n---\nA later save.\n",
    );
    events.reload_of("/members/m2/");
    let (_, body, _) = server.get("/members/m1/");
    assert_eq!(versions(&body), ["200", "200", "200"]);
    let (_, members, _) = server.get("/members/");
    assert!(members.contains("Member 1 v200"), "{members}");
    eprintln!("200 saves in {saving:?}");
}
