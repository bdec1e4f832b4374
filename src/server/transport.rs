//! Framing: `Content-Length` headers and JSON bodies over stdin/stdout.
//!
//! lsp-server's own stdio reader ends the connection on the first malformed header or body
//! and allocates whatever `Content-Length` claims; an editor's stray byte would kill the
//! server. This reader reports a bad message and reads on, and caps what it buffers.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, Sender};

use lsp_server::Message;
use serde_json::{Value, json};

/// The largest body read: a 10 MB document sent as JSON, escaped, fits several times over.
pub const MAX_BODY: usize = 64 << 20;
/// The longest header line kept; the rest of a longer one is skipped.
const MAX_HEADER_LINE: usize = 8 << 10;

/// What the reader thread hands the main loop.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A frame that is not a message: answered with this error, with the id when one could
    /// be read (JSON-RPC says `null` otherwise).
    Malformed {
        id: Value,
        code: i32,
        message: String,
    },
    /// Standard input closed (or failed): the client is gone.
    Closed,
}

/// What the writer thread sends the client.
#[derive(Debug)]
pub enum Outgoing {
    Message(Message),
    /// An error reply lsp-server's `Response` cannot express (its id cannot be null).
    Raw(Value),
}

/// Reads frames until end of input, sending each as an [`Incoming`].
pub fn read_loop(mut input: impl BufRead, to: Sender<Incoming>) {
    loop {
        let incoming = match read_frame(&mut input) {
            Ok(Some(body)) => decode(&body),
            Ok(None) | Err(_) => {
                let _ = to.send(Incoming::Closed);
                return;
            }
        };
        if let Some(incoming) = incoming
            && to.send(incoming).is_err()
        {
            return;
        }
    }
}

/// Writes messages until every sender is gone.
pub fn write_loop(mut output: impl Write, from: Receiver<Outgoing>) {
    for out in from {
        let written = match out {
            Outgoing::Message(m) => m.write(&mut output),
            Outgoing::Raw(v) => write_raw(&mut output, &v),
        };
        if written.and_then(|_| output.flush()).is_err() {
            // The client is gone; draining keeps senders from blocking.
            continue;
        }
    }
}

fn write_raw(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let text = serde_json::to_string(value)?;
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())
}

/// An error response with a null id (or the given one), as JSON-RPC wants for bodies whose
/// id cannot be read.
pub fn error_reply(id: Value, code: i32, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// A frame's body, or why there is none: `Ok(None)` at end of input, `Err` for a frame to
/// answer with an error (its message in the error). Headers without a usable
/// `Content-Length` are answered and skipped; the next line that names one starts a new frame
/// (a body sent after a bad header runs into the next header, so the name is looked for
/// anywhere in a line).
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_any = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let Some(truncated) = read_line(input, &mut line)? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_any {
                continue; // blank lines between frames
            }
            break;
        }
        saw_any = true;
        if truncated {
            length = Some(Err("header line too long".into()));
            continue;
        }
        if let Some(at) = text.to_ascii_lowercase().find("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            length = Some(match value.parse::<usize>() {
                Ok(n) if n <= MAX_BODY => Ok(n),
                Ok(n) => Err(format!(
                    "Content-Length {n} is over the limit of {MAX_BODY} bytes"
                )),
                Err(_) => Err(format!("bad Content-Length `{value}`")),
            });
        }
    }
    let n = match length {
        Some(Ok(n)) => n,
        Some(Err(e)) => return Ok(Some(Err(e))),
        None => return Ok(Some(Err("header without Content-Length".into()))),
    };
    let mut body = Vec::with_capacity(n.min(1 << 20));
    let got = input.by_ref().take(n as u64).read_to_end(&mut body)?;
    if got < n {
        return Ok(None);
    }
    Ok(Some(Ok(body)))
}

/// Reads one line into `buf`, keeping at most [`MAX_HEADER_LINE`] bytes of it. `None` at end
/// of input; `Some(true)` when the line was longer and cut.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
    let mut truncated = false;
    let mut any = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(truncated));
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(buf.len());
        truncated |= take > room;
        buf.extend_from_slice(&chunk[..take.min(room)]);
        input.consume(take);
        if done {
            return Ok(Some(truncated));
        }
    }
}

fn decode(frame: &Result<Vec<u8>, String>) -> Option<Incoming> {
    let body = match frame {
        Ok(body) => body,
        Err(e) => {
            return Some(Incoming::Malformed {
                id: Value::Null,
                code: -32700,
                message: format!("Parse error: {e}"),
            });
        }
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Some(Incoming::Malformed {
                id: Value::Null,
                code: -32700,
                message: format!("Parse error: {e}"),
            });
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Some(Incoming::Message(m)),
        // A reply to something the server never asked, malformed: nothing to answer.
        Err(_) if id.is_null() || !id.is_number() && !id.is_string() => Some(Incoming::Malformed {
            id: Value::Null,
            code: -32600,
            message: "Invalid Request: not a JSON-RPC message".into(),
        }),
        Err(e) => Some(Incoming::Malformed {
            id,
            code: -32600,
            message: format!("Invalid Request: {e}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let (tx, rx) = std::sync::mpsc::channel();
        read_loop(io::Cursor::new(input.as_bytes().to_vec()), tx);
        rx.into_iter()
            .map(|i| match i {
                Incoming::Message(m) => format!("{m:?}").chars().take(30).collect(),
                Incoming::Malformed { code, .. } => code.to_string(),
                Incoming::Closed => "closed".into(),
            })
            .collect()
    }

    #[test]
    fn a_bad_frame_is_answered_and_the_next_one_read() {
        let good = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let input = format!(
            "Content-Length: 5\r\n\r\n{{bad}}Content-Length: {}\r\n\r\n{good}\
             X-Nothing: 1\r\n\r\nContent-Length: 99999999999\r\n\r\n\
             Content-Length: {}\r\n\r\n{good}",
            good.len(),
            good.len()
        );
        let got = frames(&input);
        assert_eq!(got.len(), 6, "{got:?}");
        assert_eq!(got[0], "-32700");
        assert!(got[1].starts_with("Notification"), "{got:?}");
        assert_eq!(got[2], "-32700");
        assert_eq!(got[3], "-32700");
        assert!(got[4].starts_with("Notification"), "{got:?}");
        assert_eq!(got[5], "closed");
    }

    #[test]
    fn a_well_formed_stream_has_no_errors() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = format!("Content-Length: {}\r\n\r\n{good}", good.len());
        let got = frames(&input);
        assert_eq!(got.len(), 2);
        assert!(got[0].starts_with("Request"), "{got:?}");
        // A body cut short by the end of input is the end, not a message.
        let cut = format!("Content-Length: {}\r\n\r\n{}", good.len() + 5, good);
        assert_eq!(frames(&cut), ["closed"]);
    }
}
