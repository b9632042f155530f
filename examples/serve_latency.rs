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

    let (tx, events) = mpsc::channel::<String>();
    let response = agent
        .get(format!("{url}__muster/events"))
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

    let pages = markdown_files(&root.join("content"));
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
        let mut times = Vec::new();
        for i in 0..edits.min(10) {
            let edited = original.replacen(
                "{% block main %}",
                &format!("{{% block main %}}<!-- edit {i} -->"),
                1,
            );
            let t = Instant::now();
            std::fs::write(&template, edited).unwrap();
            times.push(wait_reload(&events, t));
        }
        std::fs::write(&template, &original).unwrap();
        report("template edit (page.html) -> reload event", &mut times);
    }
    let _ = child.kill();
    let _ = child.wait();
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
