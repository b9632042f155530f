//! The wire: LSP's `Content-Length` frames of JSON-RPC over a byte stream. Messages are
//! lsp-server's types; the frames are read here, not by lsp-server's reader thread,
//! because that thread stops at the first payload that is not a message, and a server
//! must answer it with an error and go on.

use std::io::{self, BufRead, Write};
use std::sync::mpsc;

use lsp_server::{ErrorCode, Message};

/// What the client sent, as the reader thread hands it over.
#[derive(Debug)]
pub(super) enum Incoming {
    /// A request, response or notification.
    Message(Message),
    /// A frame whose payload is not a JSON-RPC message: answered with an error.
    Malformed {
        /// The request's id, if the payload is JSON with one.
        id: Option<serde_json::Value>,
        /// `ParseError` for text that is not JSON, `InvalidRequest` for JSON that is
        /// not a message.
        code: ErrorCode,
        /// What is wrong.
        message: String,
    },
    /// The stream ended, or its framing broke so that no later frame can be found.
    Closed(Option<io::Error>),
}

/// Reads frames from `input` on a thread of its own, each sent as `wrap` makes it, until
/// the stream ends or the client sends `exit`.
pub(super) fn read_on_thread<T: Send + 'static>(
    input: impl BufRead + Send + 'static,
    sender: mpsc::Sender<T>,
    wrap: fn(Incoming) -> T,
) {
    std::thread::spawn(move || {
        let mut input = input;
        loop {
            let incoming = match read_frame(&mut input) {
                Ok(Some(payload)) => parse(&payload),
                Ok(None) => Incoming::Closed(None),
                Err(e) => Incoming::Closed(Some(e)),
            };
            let last = match &incoming {
                Incoming::Closed(_) => true,
                Incoming::Message(Message::Notification(n)) => n.method == "exit",
                _ => false,
            };
            if sender.send(wrap(incoming)).is_err() || last {
                break;
            }
        }
    });
}

/// The payload of the next frame; `None` at the end of the stream.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(invalid(format!("malformed header {header:?}")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value.trim().parse::<usize>();
            length = Some(n.map_err(|_| invalid(format!("bad Content-Length {value:?}")))?);
        }
    }
    let length = length.ok_or_else(|| invalid("a frame without Content-Length".into()))?;
    let mut payload = vec![0; length];
    input.read_exact(&mut payload)?;
    Ok(Some(payload))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// The message in `payload`, or why it is none.
fn parse(payload: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(payload) {
        Ok(value) => value,
        Err(e) => {
            return Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                message: format!("the message is not JSON: {e}"),
            };
        }
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(e) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: format!("not a JSON-RPC request, response or notification: {e}"),
        },
    }
}

/// Writes messages to the client, one frame each.
pub(super) struct Output {
    out: Box<dyn Write>,
}

impl Output {
    /// Frames written to `out`.
    pub(super) fn new(out: impl Write + 'static) -> Output {
        Output { out: Box::new(out) }
    }

    /// Sends `message`.
    pub(super) fn send(&mut self, message: impl Into<Message>) -> io::Result<()> {
        message.into().write(&mut self.out)
    }

    /// Answers a payload that was no message: with its id if it had one, else with
    /// `null`, which lsp-server's `Response` cannot carry.
    pub(super) fn reject(
        &mut self,
        id: Option<serde_json::Value>,
        code: ErrorCode,
        message: &str,
    ) -> io::Result<()> {
        let response = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id.unwrap_or(serde_json::Value::Null),
            "error": { "code": code as i32, "message": message },
        });
        let text = response.to_string();
        write!(self.out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(payloads: &[&str]) -> io::Cursor<Vec<u8>> {
        let text: String = payloads
            .iter()
            .map(|p| format!("Content-Length: {}\r\n\r\n{p}", p.len()))
            .collect();
        io::Cursor::new(text.into_bytes())
    }

    #[test]
    fn frames_are_read_and_bad_payloads_named() {
        let mut input = frames(&[
            r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#,
            "{not json",
            r#"{"jsonrpc":"2.0","id":7}"#,
        ]);
        let first = parse(&read_frame(&mut input).unwrap().unwrap());
        assert!(matches!(first, Incoming::Message(Message::Request(r)) if r.method == "shutdown"));
        let second = parse(&read_frame(&mut input).unwrap().unwrap());
        assert!(matches!(
            second,
            Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                ..
            }
        ));
        let third = parse(&read_frame(&mut input).unwrap().unwrap());
        assert!(matches!(
            third,
            Incoming::Malformed { id: Some(id), code: ErrorCode::InvalidRequest, .. } if id == 7
        ));
        assert!(read_frame(&mut input).unwrap().is_none());
    }

    #[test]
    fn a_frame_without_length_breaks_the_stream() {
        let mut input = io::Cursor::new(b"Content-Type: x\r\n\r\n{}".to_vec());
        assert!(read_frame(&mut input).is_err());
    }
}
