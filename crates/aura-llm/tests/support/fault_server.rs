//! A scripted fault-injection HTTP server: NOT a model. Each connection gets
//! the actions a test scripts for it — bytes, pauses, a clean close or a TCP
//! reset — so the providers' handling of timeouts at each stage, error
//! statuses, malformed JSON, cut streams and slow drips can be checked
//! against real sockets. It records every request it receives, so tests can
//! inspect exactly what left the process.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One step of a scripted response.
#[derive(Debug, Clone)]
pub enum Action {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Wait.
    Sleep(Duration),
    /// Reset the connection (RST, not FIN).
    Reset,
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub path: String,
    pub headers: String,
    pub body: String,
}

type Script = dyn Fn(usize, &Captured) -> Vec<Action> + Send + Sync;

pub struct FaultServer {
    pub base: String,
    pub requests: Arc<Mutex<Vec<Captured>>>,
}

impl FaultServer {
    /// Serve on a free loopback port; `script(n, request)` answers the n-th request (0-based).
    pub async fn start(
        script: impl Fn(usize, &Captured) -> Vec<Action> + Send + Sync + 'static,
    ) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let script = script.clone();
                let log = log.clone();
                tokio::spawn(async move { serve(stream, script, log).await });
            }
        });
        FaultServer { base, requests }
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Script>, log: Arc<Mutex<Vec<Captured>>>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let body = String::from_utf8_lossy(&buffer[header_end..]).to_string();
    let captured = Captured { path, headers: head, body };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(captured.clone());
        log.len() - 1
    };
    for action in script(index, &captured) {
        match action {
            Action::Send(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
                let _ = stream.flush().await;
            }
            Action::Sleep(d) => tokio::time::sleep(d).await,
            Action::Reset => {
                let _ = stream.set_zero_linger();
                drop(stream);
                return;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// Status line and headers for a close-delimited streaming body.
pub fn head(status: u16, content_type: &str, extra: &str) -> Action {
    Action::Send(
        format!("HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\nconnection: close\r\n{extra}\r\n")
            .into_bytes(),
    )
}

pub fn send(text: impl Into<String>) -> Action {
    Action::Send(text.into().into_bytes())
}

pub fn sleep(ms: u64) -> Action {
    Action::Sleep(Duration::from_millis(ms))
}

/// A complete JSON error response.
pub fn error(status: u16, extra: &str, message: &str) -> Vec<Action> {
    vec![
        head(status, "application/json", extra),
        send(format!("{{\"error\":{{\"message\":\"{message}\"}}}}")),
    ]
}

/// An OpenAI chat stream answering with `pieces`.
pub fn openai_stream(pieces: &[&str]) -> Vec<Action> {
    let mut actions = vec![head(200, "text/event-stream", "")];
    for piece in pieces {
        let event = serde_json::json!({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": null}]});
        actions.push(send(format!("data: {event}\n\n")));
    }
    actions.push(send(
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
    ));
    actions
}

/// An Ollama NDJSON chat stream answering with `pieces`.
pub fn ollama_stream(pieces: &[&str]) -> Vec<Action> {
    let mut actions = vec![head(200, "application/x-ndjson", "")];
    for piece in pieces {
        let line = serde_json::json!({"model": "m", "message": {"role": "assistant", "content": piece}, "done": false});
        actions.push(send(format!("{line}\n")));
    }
    actions.push(send("{\"model\":\"m\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":7}\n"));
    actions
}

/// An Anthropic Messages stream answering with `pieces`.
pub fn anthropic_stream(pieces: &[&str]) -> Vec<Action> {
    let mut actions = vec![
        head(200, "text/event-stream", ""),
        send("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}\n\n"),
        send("event: ping\ndata: {\"type\":\"ping\"}\n\n"),
    ];
    for piece in pieces {
        let event = serde_json::json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}});
        actions.push(send(format!("event: content_block_delta\ndata: {event}\n\n")));
    }
    actions.push(send("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\n"));
    actions.push(send("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    actions
}
