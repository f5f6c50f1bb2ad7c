//! Streaming overhead (issue budget: the first token is shown within 5 ms of
//! the provider's first byte): a loopback server writes the response head,
//! waits, then writes one SSE event and stamps the moment; the OpenAI
//! provider's token callback stamps when it sees the text. Prints p50/p95 of
//! the gap over many requests.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aura_llm::{Budget, CancellationToken, GenRequest, Message, OpenAi, Provider};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        let sent_at: Arc<Mutex<Option<Instant>>> = Arc::default();
        let stamp = sent_at.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let stamp = stamp.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 65536];
                    let _ = stream.read(&mut buf).await;
                    let _ = stream
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
                        .await;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    let event = b"data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n";
                    *stamp.lock().unwrap() = Some(Instant::now());
                    let _ = stream.write_all(event).await;
                    let _ = stream.write_all(b"data: [DONE]\n\n").await;
                });
            }
        });
        let provider = OpenAi::new("bench", &base, "m", None, &Budget::default()).unwrap();
        let request = GenRequest::chat(vec![Message::user("hi")], 8);
        let mut gaps = Vec::new();
        for _ in 0..200 {
            let seen: Arc<Mutex<Option<Instant>>> = Arc::default();
            let mark = seen.clone();
            let on_token = move |_: &str| {
                mark.lock().unwrap().get_or_insert_with(Instant::now);
            };
            provider.generate(&request, &on_token, &CancellationToken::new(), &Budget::default()).await.unwrap();
            let (sent, shown) = (sent_at.lock().unwrap().unwrap(), seen.lock().unwrap().unwrap());
            gaps.push(shown.saturating_duration_since(sent));
        }
        gaps.sort();
        let p = |q: f64| gaps[((gaps.len() - 1) as f64 * q) as usize];
        println!(
            "first byte of an SSE token → token callback (200 requests; budget 5 ms): p50 {:.1?}  p95 {:.1?}  max {:.1?}",
            p(0.5),
            p(0.95),
            p(1.0)
        );
    });
}
