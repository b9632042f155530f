//! A language client for the tests: runs `muster lsp` and speaks JSON-RPC to it over
//! its standard input and output, as an editor does.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any answer may take on a busy machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// A running `muster lsp`, initialized.
pub struct LspClient {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    notifications: Vec<Value>,
    next_id: i64,
}

impl LspClient {
    /// Starts `muster lsp` for the site at `root` and initializes it.
    pub fn start(root: &Path) -> LspClient {
        LspClient::start_with(root, json!({}))
    }

    /// Starts `muster lsp` for the site at `root` and initializes it, telling it the
    /// client's `capabilities`.
    pub fn start_with(root: &Path, capabilities: Value) -> LspClient {
        let mut client = LspClient::spawn(root);
        let uri = file_uri(root);
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": capabilities,
                   "workspaceFolders": [{"uri": uri, "name": "site"}]}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "muster", "{init}");
        client.notify("initialized", json!({}));
        client
    }

    /// Starts `muster lsp` without initializing it.
    pub fn spawn(root: &Path) -> LspClient {
        let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(["lsp", "--root"])
            .arg(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start muster lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = stdout;
            while let Some(message) = read_frame(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        LspClient {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            next_id: 1,
        }
    }

    /// Sends `payload` as one frame, as it is.
    pub fn send_raw(&mut self, payload: &str) {
        write!(
            self.stdin,
            "Content-Length: {}\r\n\r\n{payload}",
            payload.len()
        )
        .unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(&message.to_string());
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response_to(&json!(id))
    }

    /// Waits for the response with `id`.
    pub fn response_to(&mut self, id: &Value) -> Value {
        loop {
            let message = self.next_message("a response");
            if message.get("method").is_none() && message["id"] == *id {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn next_message(&mut self, what: &str) -> Value {
        match self.messages.recv_timeout(DEADLINE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no {what} from muster lsp in {DEADLINE:?}"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("muster lsp ended while waiting for {what}")
            }
        }
    }

    /// The diagnostics of the latest `publishDiagnostics` for `uri` that satisfy `done`,
    /// waiting for one.
    pub fn diagnostics(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let until = Instant::now() + DEADLINE;
        let mut seen = 0;
        loop {
            let found = self.notifications[seen..].iter().rev().find_map(|n| {
                let params = &n["params"];
                (n["method"] == "textDocument/publishDiagnostics" && params["uri"] == uri).then(
                    || {
                        params["diagnostics"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default()
                    },
                )
            });
            seen = self.notifications.len();
            if let Some(found) = found.filter(|d| done(d)) {
                return found;
            }
            assert!(
                Instant::now() < until,
                "no diagnostics as expected for {uri}"
            );
            let message = self.next_message("diagnostics");
            self.notifications.push(message);
        }
    }

    /// The requests the server sent to the client so far (or waits for the first).
    pub fn requests_from_server(&mut self, method: &str) -> Vec<Value> {
        let until = Instant::now() + DEADLINE;
        loop {
            let found: Vec<Value> = self
                .notifications
                .iter()
                .filter(|m| m["method"] == method && m.get("id").is_some())
                .cloned()
                .collect();
            if !found.is_empty() {
                return found;
            }
            assert!(
                Instant::now() < until,
                "no {method} request from the server"
            );
            let message = self.next_message(method);
            self.notifications.push(message);
        }
    }

    /// The first notification `method` received, waiting for it.
    pub fn notification(&mut self, method: &str) -> Value {
        let until = Instant::now() + DEADLINE;
        loop {
            if let Some(found) = self.notifications.iter().find(|m| m["method"] == method) {
                return found.clone();
            }
            assert!(Instant::now() < until, "no {method} from the server");
            let message = self.next_message(method);
            self.notifications.push(message);
        }
    }

    /// Opens the file at `path` with `text`.
    pub fn open(&mut self, path: &Path, text: &str) {
        let document =
            json!({"uri": file_uri(path), "languageId": "markdown", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
    }

    /// Replaces the text of open file `path`.
    pub fn change(&mut self, path: &Path, version: i64, text: &str) {
        let document = json!({"uri": file_uri(path), "version": version});
        let changes = json!([{"text": text}]);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": document, "contentChanges": changes}),
        );
    }

    /// Shuts the server down and waits for it to exit; its exit status.
    pub fn shutdown(mut self) -> std::process::ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let until = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < until, "muster lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `file:` URI of `path`, as editors write it.
pub fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy();
    let encoded: String = text
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("file://{encoded}")
}

/// The position (LSP's 0-based line and UTF-16 character) of the first `needle` in
/// `text`, plus `plus` characters.
pub fn position_of(text: &str, needle: &str, plus: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[start..at].encode_utf16().count() + plus;
    json!({"line": line, "character": character})
}

fn read_frame(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut payload = vec![0; length?];
    input.read_exact(&mut payload).ok()?;
    serde_json::from_slice(&payload).ok()
}

/// Applies a workspace edit of `documentChanges` to the files on disk, as an editor
/// would: each file's edits (ranges in the text before any of them), then file moves.
pub fn apply_workspace_edit(edit: &Value) {
    for change in edit["documentChanges"].as_array().expect("documentChanges") {
        if change["kind"] == "create" {
            let path = path_of(&change["uri"]);
            assert!(
                !path.exists(),
                "the edit would overwrite {}",
                path.display()
            );
            std::fs::write(path, "").unwrap();
            continue;
        }
        if let Some(kind) = change.get("kind") {
            assert_eq!(kind, "rename", "{change}");
            let from = path_of(&change["oldUri"]);
            let to = path_of(&change["newUri"]);
            assert!(!to.exists(), "the rename would overwrite {}", to.display());
            std::fs::rename(from, to).unwrap();
            continue;
        }
        let path = path_of(&change["textDocument"]["uri"]);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut edits: Vec<(usize, usize, String)> = change["edits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let start = offset_at(&text, &e["range"]["start"]);
                let end = offset_at(&text, &e["range"]["end"]);
                (start, end, e["newText"].as_str().unwrap().to_string())
            })
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut text = text;
        for (start, end, new) in edits {
            text.replace_range(start..end, &new);
        }
        std::fs::write(&path, text).unwrap();
    }
}

fn path_of(uri: &Value) -> std::path::PathBuf {
    let uri = uri.as_str().unwrap();
    std::path::PathBuf::from(uri.strip_prefix("file://").unwrap().replace("%20", " "))
}

/// The byte offset of LSP position `position` in `text`.
fn offset_at(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}
