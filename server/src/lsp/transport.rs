//! A guard in front of tower-lsp's stdin decoder. tower-lsp 0.20 stops reading
//! for good after one undecodable message (invalid JSON, invalid UTF-8, a
//! non-JSON-RPC object), which would leave the editor with a dead server. This
//! task re-frames stdin, passes valid messages through untouched and turns each
//! invalid one into an `aura/invalidMessage` request, whose handler answers with
//! the proper JSON-RPC error (-32700 parse error or -32600 invalid request).

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp::jsonrpc::{Request, Response};

/// The method invalid messages are rewritten to.
pub const INVALID_MESSAGE: &str = "aura/invalidMessage";

/// Messages larger than this are discarded unread (and answered with an error)
/// rather than buffered: no editor sends half a gigabyte in one message.
const MAX_MESSAGE: usize = 512 * 1024 * 1024;

/// Copy framed messages from `input` to `output` until `input` ends.
pub async fn guard(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::with_capacity(64 * 1024, input);
    loop {
        let length = match read_headers(&mut reader).await {
            Headers::Eof => break,
            Headers::Length(n) => n,
            Headers::Invalid(why) => {
                tracing::warn!("invalid message header: {why}");
                if write_frame(&mut output, &invalid(Value::Null, -32700, &why)).await.is_err() {
                    break;
                }
                continue;
            }
        };
        let frame = if length > MAX_MESSAGE {
            let skipped =
                tokio::io::copy(&mut (&mut reader).take(length as u64), &mut tokio::io::sink()).await;
            if skipped.is_err() {
                break;
            }
            invalid(
                Value::Null,
                -32700,
                &format!("message of {length} bytes is over the {MAX_MESSAGE}-byte limit"),
            )
        } else {
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).await.is_err() {
                break;
            }
            match check(&body) {
                Ok(Kind::Exit) => {
                    // After `exit` nothing more is read: ending the stream lets the
                    // server stop even if the editor keeps our stdin open.
                    let _ = write_frame(&mut output, &body).await;
                    break;
                }
                Ok(Kind::Other) => body,
                Err((id, code, why)) => {
                    tracing::warn!("invalid message: {why}");
                    invalid(id, code, &why)
                }
            }
        };
        if write_frame(&mut output, &frame).await.is_err() {
            break;
        }
    }
    let _ = output.shutdown().await;
}

enum Headers {
    Eof,
    Length(usize),
    Invalid(String),
}

async fn read_headers(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Headers {
    let mut length = None;
    let mut problem = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return Headers::Eof,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !saw_any {
                continue; // stray blank lines between messages
            }
            break;
        }
        saw_any = true;
        let Some((name, value)) = line.split_once(':') else {
            problem = Some(format!("malformed header line `{}`", line.chars().take(80).collect::<String>()));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(e) => problem = Some(format!("invalid Content-Length `{}`: {e}", value.trim())),
            }
        }
    }
    match (length, problem) {
        (Some(n), None) => Headers::Length(n),
        (_, Some(why)) => Headers::Invalid(why),
        (None, None) => Headers::Invalid("missing Content-Length header".to_string()),
    }
}

enum Kind {
    Exit,
    Other,
}

/// Whether tower-lsp can decode `body`; else the id to answer and the error.
fn check(body: &[u8]) -> Result<Kind, (Value, i64, String)> {
    let text = std::str::from_utf8(body)
        .map_err(|e| (Value::Null, -32700, format!("message is not valid UTF-8: {e}")))?;
    if let Ok(request) = serde_json::from_str::<Request>(text) {
        return Ok(if request.method() == "exit" && request.id().is_none() {
            Kind::Exit
        } else {
            Kind::Other
        });
    }
    if serde_json::from_str::<Response>(text).is_ok() {
        return Ok(Kind::Other);
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => Err((Value::Null, -32700, format!("message is not valid JSON: {e}"))),
        Ok(value) => {
            let id =
                value.get("id").filter(|id| id.is_string() || id.is_i64()).cloned().unwrap_or(Value::Null);
            Err((id, -32600, "message is not a JSON-RPC 2.0 request, notification or response".to_string()))
        }
    }
}

fn invalid(id: Value, code: i64, message: &str) -> Vec<u8> {
    let request = json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": INVALID_MESSAGE,
        "params": {"code": code, "message": message},
    });
    serde_json::to_vec(&request).unwrap_or_default()
}

/// Copy the server's framed output to `output`, adding `extra`'s entries to
/// the initialize result's capabilities: tower-lsp 0.20's types predate LSP
/// 3.18's `inlineCompletionProvider`. Every frame is flushed as it is written.
pub async fn add_capabilities(
    input: impl AsyncRead + Unpin,
    mut output: impl AsyncWrite + Unpin,
    extra: Value,
) {
    let mut reader = BufReader::with_capacity(64 * 1024, input);
    let mut patched = false;
    while let Headers::Length(length) = read_headers(&mut reader).await {
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            break;
        }
        if !patched {
            let extended = serde_json::from_slice::<Value>(&body).ok().and_then(|mut message| {
                let capabilities = message.get_mut("result")?.get_mut("capabilities")?.as_object_mut()?;
                for (key, value) in extra.as_object()? {
                    capabilities.entry(key.clone()).or_insert_with(|| value.clone());
                }
                serde_json::to_vec(&message).ok()
            });
            if let Some(extended) = extended {
                body = extended;
                patched = true;
            }
        }
        if write_frame(&mut output, &body).await.is_err() {
            return;
        }
    }
    let _ = output.flush().await;
}

async fn write_frame(output: &mut (impl AsyncWrite + Unpin), body: &[u8]) -> std::io::Result<()> {
    output.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(input: &[u8]) -> String {
        let mut out = Vec::new();
        guard(input, &mut out).await;
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn valid_messages_pass_through_and_invalid_ones_are_rewritten() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let bad_json = "{nope";
        let not_rpc = r#"{"id":7,"hello":1}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{ok}Content-Length: {}\r\n\r\n{bad_json}Content-Length: {}\r\n\r\n{not_rpc}X-Junk\r\n\r\n",
            ok.len(),
            bad_json.len(),
            not_rpc.len()
        );
        let out = run(input.as_bytes()).await;
        assert!(out.contains(ok), "{out}");
        assert!(out.contains(r#""id":null,"method":"aura/invalidMessage","params":{"code":-32700"#), "{out}");
        assert!(out.contains(r#""id":7,"method":"aura/invalidMessage","params":{"code":-32600"#), "{out}");
        assert!(out.contains("malformed header line `X-Junk`"), "{out}");
    }

    #[tokio::test]
    async fn nothing_is_read_after_exit() {
        let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let later = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{exit}Content-Length: {}\r\n\r\n{later}",
            exit.len(),
            later.len()
        );
        let out = run(input.as_bytes()).await;
        assert!(out.ends_with(exit), "{out}");
    }
}
