//! The OpenAI-compatible provider against a real llama.cpp server
//! (`llama-cpp-python[server]`, installed by `scripts/test`) serving the
//! embedded SmolLM2 GGUF: chat and completion, streaming, cancellation, and
//! the model list. The server is spawned once for the file and stopped by PID.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use aura_llm::{
    default_model_path, Budget, CancellationToken, GenRequest, LlmError, Message, OpenAi, Provider,
};

struct Server {
    base: String,
    child: Mutex<Child>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn python() -> String {
    std::env::var("AURA_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// One server for the whole test binary.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let model = default_model_path().expect("the embedded model is missing: run scripts/fetch-model");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        // llama.cpp logs a lot: to a file, so a full pipe never stalls it.
        let log_path = std::env::temp_dir().join(format!("aura-llama-server-{port}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        // A static is never dropped, so the server would outlive the test
        // binary: a shell watches this process and stops the server when it
        // is gone (a parent-death signal would fire when the first test's
        // thread ends, not the process).
        let watch = format!(
            "\"$@\" & server=$!; while kill -0 {} 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 0.5; done; \
             kill $server 2>/dev/null; wait $server",
            std::process::id()
        );
        let child = Command::new("sh")
            .args(["-c", &watch, "sh", &python(), "-m", "llama_cpp.server", "--model"])
            .arg(&model)
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--n_ctx", "2048", "--n_threads", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("cannot start python3 -m llama_cpp.server: run scripts/test, which installs llama-cpp-python[server]");
        let server = Server { base: format!("http://127.0.0.1:{port}/v1"), child: Mutex::new(child) };
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            let mut child = server.child.lock().unwrap();
            if let Ok(Some(status)) = child.try_wait() {
                let err = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("llama_cpp.server exited with {status}: {err}");
            }
            drop(child);
            assert!(Instant::now() < deadline, "llama_cpp.server did not listen within 180 s");
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    })
}

/// llama-cpp-python interrupts a running request when another arrives, so the
/// tests take turns.
fn turn() -> std::sync::MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn provider() -> OpenAi {
    OpenAi::new("llama.cpp", &server().base, "smollm2", None, &budget()).unwrap()
}

fn budget() -> Budget {
    Budget { first_token: Duration::from_secs(120), total: Duration::from_secs(300), ..Budget::default() }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn chat_streams_a_coherent_answer() {
    let _turn = turn();
    let rt = runtime();
    let p = provider();
    let pieces = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = pieces.clone();
    let on_token = move |t: &str| sink.lock().unwrap().push(t.to_string());
    let request = GenRequest::chat(
        vec![
            Message::system("You are a concise assistant."),
            Message::user("What is the capital of France?"),
        ],
        24,
    );
    let first = rt.block_on(p.generate(&request, &on_token, &CancellationToken::new(), &budget())).unwrap();
    assert!(pieces.lock().unwrap().len() > 1, "streamed in pieces");
    assert_eq!(pieces.lock().unwrap().concat(), first.text);
    assert!(first.text.contains("Paris"), "{:?}", first.text);
    // llama-cpp-python reuses its prompt cache on a repeat, and its greedy
    // answer then differs slightly; only ask that the repeat also succeeds.
    let second = rt.block_on(p.generate(&request, &|_| {}, &CancellationToken::new(), &budget())).unwrap();
    assert!(!second.text.is_empty());
}

#[test]
fn completion_continues_a_prompt() {
    let _turn = turn();
    let rt = runtime();
    let request =
        GenRequest::complete("def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n", 32);
    let done =
        rt.block_on(provider().generate(&request, &|_| {}, &CancellationToken::new(), &budget())).unwrap();
    assert!(!done.text.trim().is_empty());
    assert!(done.tokens > 0 && done.tokens <= 32, "{}", done.tokens);
}

#[test]
fn cancel_stops_a_long_answer_within_100_ms() {
    let _turn = turn();
    let rt = runtime();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let fired = Arc::new(Mutex::new(None::<Instant>));
    let seen = fired.clone();
    let on_token = move |_: &str| {
        let mut seen = seen.lock().unwrap();
        if seen.is_none() {
            *seen = Some(Instant::now());
            trigger.cancel();
        }
    };
    let request = GenRequest::chat(vec![Message::user("Write a long story about a lighthouse keeper.")], 500);
    let result = rt.block_on(provider().generate(&request, &on_token, &cancel, &budget()));
    assert!(matches!(result, Err(LlmError::Cancelled)), "{result:?}");
    let reaction = fired.lock().unwrap().unwrap().elapsed();
    assert!(reaction < Duration::from_millis(100), "{reaction:?}");
    // The server is still usable afterwards.
    let ok = rt.block_on(provider().generate(
        &GenRequest::chat(vec![Message::user("Say hi.")], 4),
        &|_| {},
        &CancellationToken::new(),
        &budget(),
    ));
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn the_model_list_names_the_served_model() {
    let _turn = turn();
    let rt = runtime();
    let models = rt.block_on(provider().models(&budget())).unwrap();
    assert_eq!(models.len(), 1, "{models:?}");
}
