//! A running `muster serve` for tests: the real binary on a free port, with an
//! HTTP client and a reader of its live-reload event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::TestSite;

/// A stand-in for the writer's editor: a script in a temporary folder that notes each
/// file, line and column it is asked to open, as a line of the file `opened`. Returns the
/// `--editor` command, the folder (kept while it lives) and that file.
pub fn recording_editor() -> (String, tempfile::TempDir, std::path::PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let opened = outside.path().join("opened");
    let script = outside.path().join("editor.sh");
    std::fs::write(&script, format!("echo \"$@\" >> '{}'\n", opened.display())).unwrap();
    let editor = format!("sh '{}' {{file}} {{line}} {{column}}", script.display());
    (editor, outside, opened)
}

/// How long to wait for the server to react before failing; a deadline, not a measurement.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub struct Server {
    pub child: Child,
    pub url: String,
    stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Server {
    pub fn start(site: &TestSite, extra: &[&str]) -> Server {
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
    pub fn get(&self, path: &str) -> (u16, String, ureq::http::HeaderMap) {
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let mut response = self.agent.get(&url).call().expect("GET");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, body, headers)
    }

    /// A raw request line, sent as written (no client-side normalisation).
    pub fn raw(&self, request_line: &str) -> String {
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

    /// Sends `bytes` as they are on a new connection and reads until the server closes
    /// it (or `PATIENCE` passes); returns what came back and how long the server took.
    pub fn send_raw(&self, bytes: &[u8]) -> (String, std::time::Duration) {
        let host = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(host).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let started = Instant::now();
        stream.write_all(bytes).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        (
            String::from_utf8_lossy(&response).into_owned(),
            started.elapsed(),
        )
    }

    /// The `host:port` the server listens on.
    pub fn host(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    /// Subscribes to the live-reload stream and waits for its greeting.
    pub fn events(&self) -> Events {
        self.events_at(&format!("{}__muster/events", self.url))
    }

    /// Subscribes as the page at URL path `page` does (live.js names its page).
    pub fn events_of(&self, page: &str) -> Events {
        self.events_at(&format!("{}__muster/events?page={page}", self.url))
    }

    fn events_at(&self, url: &str) -> Events {
        // The stream lives as long as the test: no overall deadline on it.
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(PATIENCE))
            .build()
            .new_agent();
        let response = agent.get(url).call().expect("events");
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

    /// Waits until the server's log contains `needle` (it is printed after the event is
    /// sent, so it may lag behind); panics with the log if it never does.
    pub fn wait_for_log(&self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.log().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Events {
    rx: Receiver<Value>,
    pub seen: Vec<Value>,
}

impl Events {
    /// Waits for an event that satisfies `matches`; panics with what came instead.
    pub fn wait(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
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

    pub fn reload_of(&mut self, url_path: &str) -> Value {
        self.wait(&format!("reload of {url_path}"), |v| {
            v["type"] == "reload"
                && v["paths"]
                    .as_array()
                    .is_some_and(|p| p.iter().any(|p| p == url_path))
        })
    }

    pub fn errors(&mut self, non_empty: bool) -> Vec<Value> {
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

impl Server {
    pub fn events_hello(&self) -> Value {
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
