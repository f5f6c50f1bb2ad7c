//! A small LSP test client: spawns the real `aura lsp`, frames JSON-RPC over
//! its stdio and collects responses and notifications on a reader thread.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub fn aura() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aura"))
}

/// `aura` run in `dir` with the user's config, cache and embedded model kept
/// out: only the workspace's `.aura/config.toml` applies.
pub fn aura_in(dir: &std::path::Path) -> Command {
    let mut cmd = aura();
    cmd.current_dir(dir)
        .env("XDG_CONFIG_HOME", "/nonexistent-aura-test-config")
        .env("XDG_CACHE_HOME", "/nonexistent-aura-test-cache")
        .env_remove("AURA_LLM_MODEL");
    cmd
}

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Start `aura lsp` with extra environment variables and working directory.
    pub fn start_in(dir: Option<&std::path::Path>, env: &[(&str, &str)]) -> Client {
        let mut cmd = aura();
        cmd.arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
        // Keep the user's own config out of the tests.
        cmd.env("XDG_CONFIG_HOME", "/nonexistent-aura-test-config");
        // And the user's cache: the embedded model is only used where a test asks for it.
        cmd.env("XDG_CACHE_HOME", "/nonexistent-aura-test-cache");
        cmd.env_remove("AURA_LLM_MODEL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn().expect("spawn aura lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let Some(len) = len else { return };
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(value) = serde_json::from_slice::<Value>(&body) else { return };
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, incoming: rx, backlog: Vec::new(), next_id: 1 }
    }

    pub fn start() -> Client {
        Client::start_in(None, &[])
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialise");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
    }

    /// Send a request and return its id without waiting.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// Send a request and wait for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.response(id)
    }

    /// The response to `id`, waiting up to `limit` (model runs take longer than protocol work).
    pub fn response_within(&mut self, id: i64, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(found) =
                self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            {
                return found;
            }
        }
        panic!("no response to request {id} within {limit:?}")
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to request {id}"))
    }

    /// The first message (from the backlog, then the wire) matching `pred`.
    pub fn wait_for(&mut self, mut pred: impl FnMut(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&mut pred) {
            return Some(self.backlog.remove(i));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.incoming.recv_timeout(left) {
                Ok(msg) => {
                    // Answer server-to-client requests so the server never waits on us.
                    if msg.get("method").is_some() && msg.get("id").is_some() {
                        let result = if msg["method"] == "workspace/configuration" {
                            json!([null])
                        } else if msg["method"] == "workspace/applyEdit" {
                            json!({"applied": true})
                        } else if msg["method"] == "window/showDocument" {
                            json!({"success": true})
                        } else {
                            Value::Null
                        };
                        let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": result});
                        self.send(&reply);
                    }
                    if pred(&msg) {
                        return Some(msg);
                    }
                    self.backlog.push(msg);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Whether a message matching `pred` already arrived (and is unclaimed).
    pub fn received(&mut self, pred: impl Fn(&Value) -> bool) -> bool {
        while let Ok(msg) = self.incoming.try_recv() {
            self.backlog.push(msg);
        }
        self.backlog.iter().any(pred)
    }

    /// The next `publishDiagnostics` for `uri` with the given version.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let msg = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && version.is_none_or(|v| m["params"]["version"] == v)
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri} version {version:?}"));
        msg["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn initialize_with(&mut self, capabilities: Value, options: Value) -> Value {
        let resp = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        resp
    }

    pub fn initialize(&mut self) -> Value {
        self.initialize_with(json!({}), json!({"diagnostics": {"debounce_ms": 5}}))
    }

    pub fn open(&mut self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn document_text(&mut self, uri: &str) -> Value {
        self.request("aura/documentText", json!({"uri": uri}))["result"].clone()
    }

    /// shutdown + exit, then the exit status of the process.
    pub fn shutdown(mut self) -> std::process::ExitStatus {
        let resp = self.request("shutdown", Value::Null);
        assert!(resp.get("error").is_none(), "shutdown failed: {resp}");
        self.notify("exit", Value::Null);
        // stdin stays open, as some editors keep it: the server must exit anyway.
        self.wait_exit()
    }

    /// Wait for the server process to end, with the usual timeout.
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

pub fn range(a: (u64, u64), b: (u64, u64)) -> Value {
    json!({"start": pos(a.0, a.1), "end": pos(b.0, b.1)})
}

/// A scripted OpenAI-compatible server, NOT a model: it answers every
/// request (chat or completion) with the next scripted answer (the last one
/// repeats), streamed as SSE chunks, and keeps each request as its path, a
/// line break and its body.
pub struct ScriptedChat {
    pub url: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl ScriptedChat {
    pub fn start(answers: Vec<&'static str>) -> ScriptedChat {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let seen = bodies.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                let mut path = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if path.is_empty() {
                        path = line.split(' ').nth(1).unwrap_or("").to_string();
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    continue;
                }
                let n = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(format!("{path}\n{}", String::from_utf8_lossy(&body)));
                    seen.len()
                };
                let answer = answers[(n - 1).min(answers.len() - 1)];
                let mut sse = String::new();
                for piece in answer.split_inclusive('\n') {
                    let chunk =
                        json!({"model": "scripted", "choices": [{"index": 0, "delta": {"content": piece}}]});
                    sse.push_str(&format!("data: {chunk}\n\n"));
                }
                sse.push_str("data: [DONE]\n\n");
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    sse.len()
                );
                let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(sse.as_bytes()));
            }
        });
        ScriptedChat { url, bodies }
    }

    pub fn requests(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }
}
