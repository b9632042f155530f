//! Measures `muster lsp` on a site: start to the first diagnostics, and from an edit of
//! an open page (a broken link typed, then removed) to its diagnostics; and the server's
//! peak memory.
//!
//! cargo build --release && cargo run --release --example lsp_latency -- --root DIR [--edits 20] [--pause MS]
//!
//! `--pause` (default 50 ms) is the time between an edit's diagnostics and the next edit:
//! short, the server's full check of each edit is still running when the next comes, as
//! while typing; long (longer than a full check), each full check ends first.
//!
//! Uses the release binary at target/release/muster. Nothing is written: the edits stay
//! in the editor's (this program's) buffer.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let root = PathBuf::from(arg("--root").expect("--root DIR"));
    let root = std::path::absolute(&root).unwrap();
    let edits: usize = arg("--edits").map_or(20, |n| n.parse().expect("--edits N"));
    let pause: u64 = arg("--pause").map_or(50, |n| n.parse().expect("--pause MS"));
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/muster");
    let page = first_page(&root.join("content")).expect("a page under content/");
    let text = std::fs::read_to_string(&page).unwrap();
    let uri = format!("file://{}", page.display());

    let started = Instant::now();
    let mut child = Command::new(&binary)
        .args(["lsp", "--root"])
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start muster lsp");
    let mut stdin = child.stdin.take().unwrap();
    let messages = read_messages(child.stdout.take().unwrap());
    let mut send = |message: Value| {
        let text = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).unwrap();
        stdin.flush().unwrap();
    };
    let root_uri = format!("file://{}", root.display());
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}));
    wait(&messages, |m| m["id"] == 1);
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let document = json!({"uri": uri, "languageId": "markdown", "version": 1, "text": text});
    send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": document}}));
    // The first analysis: wait until the site's first diagnostics or a request answers.
    send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "zzz"}}),
    );
    wait(&messages, |m| m["id"] == 2);
    println!("start to first answer: {:.0?}", started.elapsed());
    println!(
        "peak memory after the first analysis: {}",
        peak_memory(child.id())
    );

    let mut times = Vec::new();
    for n in 0..edits {
        // Odd edits add a broken link, even ones take it away: each changes the page's errors.
        let body = match n % 2 {
            0 => format!("{text}\nSee [[no-such-page-{n}]].\n"),
            _ => text.clone(),
        };
        let params = json!({"textDocument": {"uri": uri, "version": n + 2},
                            "contentChanges": [{"text": body}]});
        let sent = Instant::now();
        send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params}));
        let expect_errors = n % 2 == 0;
        wait(&messages, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == "E006") == expect_errors)
        });
        times.push(sent.elapsed());
        std::thread::sleep(Duration::from_millis(pause));
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "edit to diagnostics ({edits} edits): median {:.1?}, p90 {:.1?}, max {:.1?}",
        at(0.5),
        at(0.9),
        times[times.len() - 1]
    );
    println!("server peak memory: {}", peak_memory(child.id()));
    send(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
    wait(&messages, |m| m["id"] == 3);
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
}

/// The peak resident memory of process `pid` so far, as Linux reports it.
fn peak_memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:"));
    peak.map_or("unknown".into(), |p| p.trim().to_string())
}

/// The first Markdown page below `dir` that is not a section's `_index.md`, by name.
fn first_page(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in &entries {
        let name = path.file_name()?.to_string_lossy();
        if path.is_file() && name.ends_with(".md") && !name.starts_with('_') {
            return Some(path.clone());
        }
    }
    entries
        .iter()
        .filter(|p| p.is_dir())
        .find_map(|p| first_page(p))
}

fn read_messages(stdout: impl Read + Send + 'static) -> mpsc::Receiver<Value> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut input = BufReader::new(stdout);
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if input.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut payload = vec![0; length];
            input.read_exact(&mut payload).unwrap();
            if sender
                .send(serde_json::from_slice(&payload).unwrap())
                .is_err()
            {
                return;
            }
        }
    });
    receiver
}

fn wait(messages: &mpsc::Receiver<Value>, done: impl Fn(&Value) -> bool) -> Value {
    loop {
        let message = messages
            .recv_timeout(Duration::from_secs(600))
            .expect("muster lsp answered in time");
        if done(&message) {
            return message;
        }
    }
}
