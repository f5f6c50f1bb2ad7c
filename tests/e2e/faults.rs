//! Provider faults through the whole product: `aura ask` and LSP
//! `aura.runProgram` against a local server that misbehaves in one way each
//! (NOT a model): 500, 429, hanging before headers, a slow first token, a cut
//! stream, a malformed chunk, a reset, a stream that never ends, a 5 MB
//! answer, a JSON reply to a stream request. Every request is answered within
//! the overall deadline (`ai.timeouts.total_ms`) plus process overhead, with
//! a clear error or the answer, and the server stays up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{aura_in, Client};

const TOTAL_MS: u64 = 2_000;
/// Starting a debug `aura`, reading config and writing the reply, on a busy CI machine.
const OVERHEAD: Duration = Duration::from_secs(6);

const FAULTS: [&str; 10] =
    ["500", "429", "hang", "slow-first-token", "cut", "malformed", "reset", "endless", "5mb", "json"];

fn chunk(text: &str) -> String {
    format!("data: {}\n\n", json!({"choices": [{"index": 0, "delta": {"content": text}}]}))
}

fn answer(fault: &str, mut stream: TcpStream) {
    let sse = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
    let _ = match fault {
        "500" => stream.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: 31\r\nconnection: close\r\n\r\n{\"error\":{\"message\":\"broken\"}}\n"),
        "429" => stream.write_all(b"HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"),
        "hang" => {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        }
        "slow-first-token" => stream.write_all(sse.as_bytes()).and_then(|()| {
            std::thread::sleep(Duration::from_secs(30));
            stream.write_all(chunk("late").as_bytes())
        }),
        "cut" => stream.write_all(format!("{sse}{}data: {{\"choices\":[{{\"del", chunk("partial")).as_bytes()),
        "malformed" => stream.write_all(format!("{sse}{}data: {{not json}}\n\n", chunk("partial")).as_bytes()),
        "reset" => {
            let _ = stream.write_all(format!("{sse}{}", chunk("partial")).as_bytes());
            // SO_LINGER 0: close with RST, not FIN.
            let _ = socket2_linger_zero(&stream);
            Ok(())
        }
        "endless" => stream.write_all(sse.as_bytes()).and_then(|()| loop {
            stream.write_all(chunk("more ").as_bytes())?;
            std::thread::sleep(Duration::from_millis(20));
        }),
        "5mb" => {
            let piece = "x = 1  # filler line of a very long answer\n".repeat(1_000);
            let mut body = String::from(sse);
            while body.len() < 5_000_000 {
                body.push_str(&chunk(&piece));
            }
            body.push_str("data: [DONE]\n\n");
            stream.write_all(body.as_bytes())
        }
        "json" => stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 63\r\nconnection: close\r\n\r\n{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}\n"),
        _ => unreachable!(),
    };
}

#[cfg(unix)]
fn socket2_linger_zero(stream: &TcpStream) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    #[repr(C)]
    struct Linger {
        onoff: i32,
        linger: i32,
    }
    extern "C" {
        fn setsockopt(fd: i32, level: i32, name: i32, value: *const Linger, len: u32) -> i32;
    }
    const SOL_SOCKET: i32 = 1;
    const SO_LINGER: i32 = 13;
    let value = Linger { onoff: 1, linger: 0 };
    // SAFETY: a valid socket descriptor and a correctly sized option value.
    let rc = unsafe { setsockopt(stream.as_raw_fd(), SOL_SOCKET, SO_LINGER, &value, 8) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn socket2_linger_zero(_: &TcpStream) -> std::io::Result<()> {
    Ok(())
}

/// A server on a free port answering every request with `fault`.
fn start(fault: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_ok() {
                    answer(fault, stream);
                }
            });
        }
    });
    url
}

fn workspace(url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aura")).unwrap();
    std::fs::write(
        dir.path().join(".aura/config.toml"),
        format!(
            "[ai.cache]\nenable = false\n\n[ai.timeouts]\nconnect_ms = 500\nfirst_token_ms = 800\ntotal_ms = {TOTAL_MS}\n\n\
             [ai.providers.faulty]\nkind = \"openai\"\nurl = \"{url}\"\nmodel = \"m\"\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("app.py"), "def greet(name):\n    return 'hi ' + name\n").unwrap();
    dir
}

#[test]
fn every_fault_is_answered_within_the_deadline_by_the_cli() {
    for fault in FAULTS {
        let dir = workspace(&start(fault));
        let started = Instant::now();
        let out =
            aura_in(dir.path()).args(["ask", "what does greet do?", "--file", "app.py"]).output().unwrap();
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(took < Duration::from_millis(TOTAL_MS) + OVERHEAD, "{fault}: took {took:?}");
        assert!(out.status.code().is_some(), "{fault}: killed by a signal: {stderr}");
        match fault {
            "5mb" => {
                assert!(out.status.success(), "{fault}: {stderr}");
                assert!(out.stdout.len() >= 5_000_000 - 200_000, "{fault}: {} bytes", out.stdout.len());
            }
            _ => {
                assert_eq!(out.status.code(), Some(2), "{fault}: a failed request: {stderr}");
                assert!(stderr.contains("faulty"), "{fault}: the error names the provider: {stderr}");
                // A pipe never holds a failed provider's partial text.
                assert!(!String::from_utf8_lossy(&out.stdout).contains("partial"), "{fault}");
            }
        }
        if fault == "json" {
            assert!(stderr.contains("single JSON document"), "{stderr}");
        }
    }
}

#[test]
fn every_fault_is_answered_within_the_deadline_in_the_editor() {
    let mut client: Option<Client> = None;
    for fault in FAULTS {
        let dir = workspace(&start(fault));
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let mut c = Client::start_in(Some(&root), &[("XDG_CACHE_HOME", "/nonexistent-aura-test-cache")]);
        c.send(&json!({"jsonrpc": "2.0", "id": 900, "method": "initialize", "params": {
            "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {},
            "initializationOptions": {}}}));
        c.response(900);
        c.notify("initialized", json!({}));
        let uri = format!("file://{}", root.join("app.py").display());
        c.open(&uri, "python", 1, "def greet(name):\n    return 'hi ' + name\n");
        let started = Instant::now();
        let id = c.request_async(
            "workspace/executeCommand",
            json!({"command": "aura.runProgram", "arguments": [{"uri": uri, "program": 43,
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}}]}),
        );
        let reply = c.response_within(id, Duration::from_millis(TOTAL_MS) + OVERHEAD);
        assert!(started.elapsed() < Duration::from_millis(TOTAL_MS) + OVERHEAD, "{fault}");
        if fault != "5mb" {
            assert!(reply["result"]["error"].is_string() || reply["error"].is_object(), "{fault}: {reply}");
        }
        // Still up and answering.
        let symbols = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
        assert!(symbols["result"].is_array(), "{fault}: {symbols}");
        if let Some(previous) = client.replace(c) {
            previous.shutdown();
        }
    }
    if let Some(c) = client {
        c.shutdown();
    }
}
