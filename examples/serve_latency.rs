//! Measures `muster serve` on a site: cold start to the first page served, and
//! from a file's save to the reload event, for body edits and template edits.
//!
//! cargo build --release && cargo run --release --example serve_latency -- --root DIR [--edits 30]
//!
//! Uses the release binary at target/release/muster. Edits are undone at the end.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let root = PathBuf::from(arg("--root").expect("--root DIR"));
    let edits: usize = arg("--edits").map_or(30, |n| n.parse().expect("--edits N"));
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/muster");

    let started = Instant::now();
    let mut child = Command::new(&binary)
        .args(["serve", "--quiet", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start muster serve");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(rest) = line.strip_prefix("Serving at ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let status = agent.get(&url).call().expect("GET /").status();
    let cold = started.elapsed();
    println!("cold start to first page served: {cold:.2?} (status {status})");
    // The search index is made once every page is rendered: a request for it waits.
    let status = agent
        .get(format!("{url}search/meta.json"))
        .call()
        .expect("GET search/meta.json")
        .status();
    let whole = started.elapsed();
    println!("cold start to every page and the search index served: {whole:.2?} (status {status})");

    let pages = markdown_files(&root.join("content"));
    // The event stream of one page open in a browser, as live.js opens it: the server
    // renders that page first after a change that touches many.
    let open_page = pages
        .iter()
        .find_map(|p| {
            let rel = p.strip_prefix(root.join("content")).ok()?.to_str()?;
            Some(format!("/{}/", rel.strip_suffix(".md")?))
        })
        .expect("a page");
    let (tx, events) = mpsc::channel::<String>();
    let response = agent
        .get(format!("{url}__muster/events?page={open_page}"))
        .call()
        .expect("events");
    std::thread::spawn(move || {
        let reader = BufReader::new(response.into_body().into_reader());
        for line in reader.lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send(data.to_string()).is_err()
            {
                break;
            }
        }
    });
    events.recv().expect("hello");

    let mut body = Vec::new();
    for i in 0..edits {
        let file = &pages[(i * 7919) % pages.len()];
        let original = std::fs::read_to_string(file).unwrap();
        let t = Instant::now();
        std::fs::write(file, format!("{original}\nEdited paragraph {i}.\n")).unwrap();
        body.push(wait_reload(&events, t));
        std::fs::write(file, &original).unwrap();
        wait_reload(&events, Instant::now());
    }
    report("body edit -> reload event", &mut body);

    let template = root.join("themes/default/templates/page.html");
    if template.exists() {
        let original = std::fs::read_to_string(&template).unwrap();
        let (mut times, mut whole) = (Vec::new(), Vec::new());
        for i in 0..edits.min(10) {
            let edited = original.replacen(
                "{% block main %}",
                &format!("{{% block main %}}<!-- edit {i} -->"),
                1,
            );
            let t = Instant::now();
            std::fs::write(&template, edited).unwrap();
            let (first, paths) = wait_reload_of(&events, t);
            times.push(first);
            // The open page came alone: the rest of the site follows in another event.
            whole.push(if paths <= 1 {
                wait_reload(&events, t)
            } else {
                first
            });
        }
        std::fs::write(&template, &original).unwrap();
        report(
            &format!("template edit (page.html) -> reload of the open page {open_page}"),
            &mut times,
        );
        report(
            "template edit (page.html) -> every page re-rendered",
            &mut whole,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The time to the first reload event, and how many paths it named.
fn wait_reload_of(events: &mpsc::Receiver<String>, since: Instant) -> (Duration, usize) {
    loop {
        let msg = events
            .recv_timeout(Duration::from_secs(30))
            .expect("reload event");
        if msg.contains("\"reload\"") {
            let paths = serde_json::from_str::<serde_json::Value>(&msg)
                .ok()
                .and_then(|v| Some(v.get("paths")?.as_array()?.len()))
                .unwrap_or(0);
            return (since.elapsed(), paths);
        }
    }
}

fn wait_reload(events: &mpsc::Receiver<String>, since: Instant) -> Duration {
    loop {
        let msg = events
            .recv_timeout(Duration::from_secs(30))
            .expect("reload event");
        if msg.contains("\"reload\"") {
            return since.elapsed();
        }
    }
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| x == "md")
                && e.file_name() != "_index.md"
        })
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: n={} median {:.1?}, p90 {:.1?}, max {:.1?}",
        times.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}
