//! A minimal static file server on 127.0.0.1 for tests: serves a built `public/`
//! under a base path, as a static host would, with no knowledge of muster.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// A server thread; lives as long as the test process.
pub struct StaticServer {
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    listener: TcpListener,
}

impl StaticServer {
    /// Binds a free port; call [`StaticServer::serve`] once the files exist.
    pub fn bind() -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        StaticServer { origin, listener }
    }

    /// Serves `root` at `base_path` (e.g. `/kb/`) in a background thread.
    pub fn serve(self, root: &Path, base_path: &str) {
        let root = root.to_path_buf();
        let base = base_path.to_string();
        std::thread::spawn(move || {
            for stream in self.listener.incoming().flatten() {
                let (root, base) = (root.clone(), base.clone());
                std::thread::spawn(move || handle(stream, &root, &base));
            }
        });
    }
}

fn handle(mut stream: TcpStream, root: &Path, base: &str) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Drain the headers.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(base)
        .filter(|p| !p.split('/').any(|c| c == ".."))
        .map(|p| {
            let decoded = percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned();
            let f: PathBuf = root.join(&decoded);
            if decoded.is_empty() || decoded.ends_with('/') {
                f.join("index.html")
            } else {
                f
            }
        })
        .filter(|f| f.is_file());
    let (status, file) = match file {
        Some(f) => ("200 OK", Some(f)),
        None => (
            "404 Not Found",
            Some(root.join("404.html")).filter(|f| f.is_file()),
        ),
    };
    let body = file
        .as_ref()
        .map(|f| std::fs::read(f).unwrap())
        .unwrap_or_default();
    let ext = file
        .as_ref()
        .and_then(|f| f.extension())
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let content_type = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        _ => "text/plain",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}
