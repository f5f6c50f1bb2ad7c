//! Every HTTP protocol against the scripted fault-injection server: normal
//! streams split at awkward places, then each fault — timeouts at each stage,
//! 429/500/503, malformed JSON, a stream cut mid-event, slow drips, resets,
//! refused connections — must end in failover or a clear error inside the
//! budget, never a hang or a panic. Also: what leaves the process is redacted
//! and audited.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aura_llm::audit::AuditLog;
use aura_llm::{
    Anthropic, ApiKey, Budget, Call, CancellationToken, Chain, Event, GenRequest, LlmError, Message, Ollama,
    OpenAi, Policy, Privacy, Provider, Stage,
};
use support::fault_server::{self as fs, Action, FaultServer};

fn budget() -> Budget {
    Budget {
        connect: Duration::from_millis(500),
        model_load: Duration::from_secs(5),
        first_token: Duration::from_millis(400),
        total: Duration::from_millis(1000),
    }
}

fn request() -> GenRequest {
    GenRequest::chat(vec![Message::system("be brief"), Message::user("say hello")], 32)
}

fn quick_policy() -> Policy {
    Policy {
        backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        ..Policy::default()
    }
}

#[derive(Clone, Copy, Debug)]
enum Proto {
    OpenAi,
    Ollama,
    Anthropic,
}

const PROTOCOLS: [Proto; 3] = [Proto::OpenAi, Proto::Ollama, Proto::Anthropic];

fn provider(proto: Proto, server: &FaultServer, name: &str) -> Arc<dyn Provider> {
    match proto {
        Proto::OpenAi => {
            Arc::new(OpenAi::new(name, &format!("{}/v1", server.base), "m", None, &budget()).unwrap())
        }
        Proto::Ollama => Arc::new(Ollama::new(name, &server.base, "m", &budget()).unwrap()),
        Proto::Anthropic => {
            Arc::new(Anthropic::new(name, &server.base, "m", ApiKey::new("sk-ant-test"), &budget()).unwrap())
        }
    }
}

fn stream(proto: Proto, pieces: &[&str]) -> Vec<Action> {
    match proto {
        Proto::OpenAi => fs::openai_stream(pieces),
        Proto::Ollama => fs::ollama_stream(pieces),
        Proto::Anthropic => fs::anthropic_stream(pieces),
    }
}

/// The stream's bytes re-cut into pieces of `size` bytes (mid-line, mid-character).
fn rechunk(actions: Vec<Action>, size: usize) -> Vec<Action> {
    let mut out = Vec::new();
    for action in actions {
        match action {
            Action::Send(bytes) if bytes.starts_with(b"HTTP/") => out.push(Action::Send(bytes)),
            Action::Send(bytes) => out.extend(bytes.chunks(size).map(|c| Action::Send(c.to_vec()))),
            other => out.push(other),
        }
    }
    out
}

async fn generate(provider: &dyn Provider) -> (Result<String, LlmError>, Vec<String>) {
    let pieces = Arc::new(Mutex::new(Vec::new()));
    let sink = pieces.clone();
    let on_token = move |p: &str| sink.lock().unwrap().push(p.to_string());
    let result = provider.generate(&request(), &on_token, &CancellationToken::new(), &budget()).await;
    let pieces = pieces.lock().unwrap().clone();
    (result.map(|g| g.text), pieces)
}

#[tokio::test]
async fn streams_parse_however_the_bytes_are_split() {
    for proto in PROTOCOLS {
        for size in [1, 3, 7, 64, 4096] {
            let server =
                FaultServer::start(move |_, _| rechunk(stream(proto, &["Hé", "llo", " wörld"]), size)).await;
            let p = provider(proto, &server, "p");
            let (result, pieces) = generate(p.as_ref()).await;
            assert_eq!(result.unwrap(), "Héllo wörld", "{proto:?} split every {size} bytes");
            assert_eq!(pieces, ["Hé", "llo", " wörld"], "{proto:?}");
        }
    }
}

#[tokio::test]
async fn requests_carry_each_protocols_shape() {
    let server = FaultServer::start(|_, c| match c.path.as_str() {
        "/v1/chat/completions" => fs::openai_stream(&["a"]),
        "/api/chat" => fs::ollama_stream(&["a"]),
        "/v1/messages" => fs::anthropic_stream(&["a"]),
        _ => fs::error(404, "", "no route"),
    })
    .await;
    for proto in PROTOCOLS {
        let (result, _) = generate(provider(proto, &server, "p").as_ref()).await;
        assert_eq!(result.unwrap(), "a", "{proto:?}");
    }
    let requests = server.requests.lock().unwrap().clone();
    let bodies: Vec<serde_json::Value> =
        requests.iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect();
    assert_eq!(bodies[0]["messages"][0]["role"], "system");
    assert_eq!(bodies[0]["stream"], true);
    assert_eq!(bodies[1]["options"]["num_predict"], 32);
    assert_eq!(bodies[2]["system"], "be brief", "Anthropic's system prompt travels apart");
    assert_eq!(bodies[2]["messages"].as_array().unwrap().len(), 1);
    assert!(requests[2].headers.contains("x-api-key: sk-ant-test"));
    assert!(requests[2].headers.contains("anthropic-version: 2023-06-01"));
}

#[tokio::test]
async fn each_fault_is_a_clear_error_inside_the_budget() {
    struct Case {
        name: &'static str,
        script: fn(Proto) -> Vec<Action>,
        expect: fn(&LlmError) -> bool,
    }
    let cases = [
        Case {
            name: "no response headers",
            script: |_| vec![fs::sleep(5000)],
            expect: |e| matches!(e, LlmError::Timeout { stage: Stage::FirstToken, .. }),
        },
        Case {
            name: "headers but no token",
            script: |_| vec![fs::head(200, "text/event-stream", ""), fs::sleep(5000)],
            expect: |e| matches!(e, LlmError::Timeout { stage: Stage::FirstToken, .. }),
        },
        Case {
            name: "slow drip past the total budget",
            script: |proto| {
                let mut actions = stream(proto, &["a"; 40]);
                let head = actions.remove(0);
                let mut dripped = vec![head];
                for action in actions {
                    dripped.push(fs::sleep(100));
                    dripped.push(action);
                }
                dripped
            },
            expect: |e| matches!(e, LlmError::Timeout { stage: Stage::Total, .. }),
        },
        Case {
            name: "500",
            script: |_| fs::error(500, "", "boom"),
            expect: |e| matches!(e, LlmError::Status { status: 500, .. }) && e.to_string().contains("boom"),
        },
        Case {
            name: "503",
            script: |_| fs::error(503, "", "overloaded"),
            expect: |e| matches!(e, LlmError::Status { status: 503, .. }),
        },
        Case {
            name: "401 is not retried",
            script: |_| fs::error(401, "", "bad key"),
            expect: |e| matches!(e, LlmError::Status { status: 401, .. }),
        },
        Case {
            name: "malformed JSON",
            script: |proto| {
                let mut actions = stream(proto, &["a"]);
                let bad = match proto {
                    Proto::Ollama => "{\"message\": {oops\n",
                    _ => "data: {\"choices\": [oops\n\n",
                };
                actions.insert(2, fs::send(bad));
                actions
            },
            expect: |e| matches!(e, LlmError::Protocol(_)),
        },
        Case {
            name: "stream cut mid-event",
            script: |proto| {
                let mut actions = stream(proto, &["a", "b"]);
                actions.truncate(3);
                actions.push(fs::send(match proto {
                    Proto::Ollama => "{\"message\":{\"content\":\"tr",
                    _ => "data: {\"choices\":[{\"delta\":{\"content\":\"tr",
                }));
                actions
            },
            expect: |e| matches!(e, LlmError::Interrupted(_) | LlmError::Protocol(_)),
        },
        Case {
            name: "connection reset mid-stream",
            script: |proto| {
                let mut actions = stream(proto, &["a", "b"]);
                actions.truncate(3);
                actions.push(fs::sleep(20));
                actions.push(Action::Reset);
                actions
            },
            expect: |e| matches!(e, LlmError::Interrupted(_)),
        },
        Case {
            name: "an error event inside the stream",
            script: |proto| {
                match proto {
                Proto::OpenAi => vec![fs::head(200, "text/event-stream", ""), fs::send("data: {\"error\":{\"message\":\"context too long\"}}\n\n")],
                Proto::Ollama => vec![fs::head(200, "application/x-ndjson", ""), fs::send("{\"error\":\"context too long\"}\n")],
                Proto::Anthropic => vec![fs::head(200, "text/event-stream", ""), fs::send("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"context too long\"}}\n\n")],
            }
            },
            expect: |e| e.to_string().contains("context too long"),
        },
    ];
    // The protocols run side by side; each case's budget is what it waits.
    let cases = &cases;
    let runs = PROTOCOLS.map(|proto| async move {
        for case in cases {
            let script = case.script;
            let server = FaultServer::start(move |_, _| script(proto)).await;
            let p = provider(proto, &server, "p");
            let started = Instant::now();
            let (result, _) = generate(p.as_ref()).await;
            let elapsed = started.elapsed();
            let err = result.expect_err(case.name);
            assert!((case.expect)(&err), "{proto:?} {}: got {err:?}", case.name);
            assert!(
                elapsed < budget().total + Duration::from_millis(500),
                "{proto:?} {} took {elapsed:?}",
                case.name
            );
        }
    });
    futures_util::future::join_all(runs).await;
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let p = OpenAi::new("p", &format!("http://127.0.0.1:{port}/v1"), "m", None, &budget()).unwrap();
    let (result, _) = generate(&p).await;
    let err = result.unwrap_err();
    assert!(matches!(err, LlmError::Connect { .. }), "{err:?}");
    assert!(err.is_transient());
}

#[tokio::test]
async fn cancel_answers_within_100_ms_and_drops_the_connection() {
    for proto in PROTOCOLS {
        let server = FaultServer::start(move |_, _| {
            let mut actions = stream(proto, &["a"]);
            // Stall right after the first token.
            let at = actions.len() - if matches!(proto, Proto::Anthropic) { 2 } else { 1 };
            actions.insert(at, fs::sleep(10_000));
            actions
        })
        .await;
        let p = provider(proto, &server, "p");
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        let fired = Arc::new(Mutex::new(None::<Instant>));
        let seen = fired.clone();
        let on_token = move |_: &str| {
            *seen.lock().unwrap() = Some(Instant::now());
            trigger.cancel();
        };
        let long =
            Budget { first_token: Duration::from_secs(30), total: Duration::from_secs(30), ..budget() };
        let result = p.generate(&request(), &on_token, &cancel, &long).await;
        assert!(matches!(result, Err(LlmError::Cancelled)), "{proto:?}: {result:?}");
        let reaction = fired.lock().unwrap().unwrap().elapsed();
        assert!(reaction < Duration::from_millis(100), "{proto:?}: {reaction:?}");
    }
}

#[tokio::test]
async fn transient_errors_are_retried_with_retry_after() {
    for proto in PROTOCOLS {
        let server = FaultServer::start(move |n, _| match n {
            0 => fs::error(429, "retry-after: 0\r\n", "slow down"),
            1 => fs::error(503, "", "busy"),
            _ => stream(proto, &["ok"]),
        })
        .await;
        let chain = Chain::new(vec![provider(proto, &server, "p")], budget())
            .with_policy(Policy { attempts: 3, ..quick_policy() });
        let outcome =
            chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
        assert_eq!(outcome.generation.text, "ok", "{proto:?}");
        assert_eq!(server.count(), 3, "{proto:?}: two retries then success");
    }
}

#[tokio::test]
async fn failover_moves_to_the_next_provider_and_reports_the_restart() {
    let broken = FaultServer::start(|_, _| {
        let mut actions = fs::openai_stream(&["partial", "never"]);
        actions.truncate(2);
        actions.push(Action::Reset);
        actions
    })
    .await;
    let healthy = FaultServer::start(|_, _| fs::ollama_stream(&["whole answer"])).await;
    let chain = Chain::new(
        vec![provider(Proto::OpenAi, &broken, "first"), provider(Proto::Ollama, &healthy, "second")],
        budget(),
    )
    .with_policy(quick_policy());
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let on_event = move |e: Event<'_>| {
        sink.lock().unwrap().push(match e {
            Event::Token(t) => format!("token:{t}"),
            Event::Restart { failed, .. } => format!("restart:{failed}"),
        })
    };
    let outcome =
        chain.generate(&request(), &Call::default(), &on_event, &CancellationToken::new()).await.unwrap();
    assert_eq!(outcome.generation.text, "whole answer");
    assert_eq!(outcome.generation.provider, "second");
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(*events.lock().unwrap(), ["token:partial", "restart:first", "token:whole answer"]);
}

#[tokio::test]
async fn the_breaker_opens_after_repeated_failures_and_closes_after_cooldown() {
    let failing = FaultServer::start(|_, _| fs::error(500, "", "down")).await;
    let healthy = FaultServer::start(|_, _| fs::openai_stream(&["fine"])).await;
    let policy = Policy {
        attempts: 1,
        breaker_threshold: 2,
        breaker_cooldown: Duration::from_millis(300),
        ..quick_policy()
    };
    let chain = Chain::new(
        vec![provider(Proto::OpenAi, &failing, "flaky"), provider(Proto::OpenAi, &healthy, "backup")],
        budget(),
    )
    .with_policy(policy);
    for _ in 0..4 {
        let outcome =
            chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
        assert_eq!(outcome.generation.provider, "backup");
    }
    assert_eq!(failing.count(), 2, "after two failures the open breaker skips the provider");
    assert!(matches!(chain.health()[0].1, aura_llm::Health::Open { .. }));
    tokio::time::sleep(Duration::from_millis(350)).await;
    chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(failing.count(), 3, "half-open after the cooldown: one trial request");
}

#[tokio::test]
async fn every_provider_failing_names_each_error() {
    let a = FaultServer::start(|_, _| fs::error(500, "", "first down")).await;
    let b = FaultServer::start(|_, _| fs::error(400, "", "second refuses")).await;
    let chain =
        Chain::new(vec![provider(Proto::OpenAi, &a, "a"), provider(Proto::Anthropic, &b, "b")], budget())
            .with_policy(Policy { attempts: 1, ..quick_policy() });
    let err =
        chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("a: HTTP 500: first down") && text.contains("b: HTTP 400: second refuses"),
        "{text}"
    );
}

#[tokio::test]
async fn remote_providers_are_blocked_until_allowed() {
    // A non-loopback URL that is never contacted: privacy blocks it first.
    let remote: Arc<dyn Provider> =
        Arc::new(OpenAi::new("cloud", "https://api.example.invalid/v1", "m", None, &budget()).unwrap());
    let chain = Chain::new(vec![remote], budget());
    let err =
        chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("remote providers are off"), "{err}");
    let local_only = Call {
        privacy: Privacy { allow_remote: true, local_only: true, ..Privacy::default() },
        ..Call::default()
    };
    let err = chain.generate(&request(), &local_only, &|_| {}, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("local-only"), "{err}");
}

/// Real formats (test values, none live) that must never reach a server.
const SECRETS: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLQ",
    "ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i",
    "glpat-x7Yq2Lm9Np4Rs8Tv1Wz3",
    "xoxb-2048123456-4096123456789-AbCdEfGhIjKlMnOpQrStUvWx",
    "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx",
    "sk_live_51H8xYzAbCdEfGh12345678",
    "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn",
    "hunter2hunter2",
    "s3cr3t-Pa55w0rd!",
];

fn leaky_prompt() -> String {
    format!(
        "Fix this code:\n\
         AWS_KEY = \"{}\"\n\
         gh = '{}'\n\
         gitlab_token = \"{}\"\n\
         slack = \"{}\"\n\
         hook = \"{}\"\n\
         stripe.api_key = \"{}\"\n\
         maps = \"{}\"\n\
         jwt = \"{}\"\n\
         key = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n{}ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n-----END RSA PRIVATE KEY-----\"\"\"\n\
         # .env\n\
         DATABASE_PASSWORD={}\n\
         db_password: \"{}\"\n\
         Use the key ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i in the answer.",
        SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3], SECRETS[4], SECRETS[5], SECRETS[6], SECRETS[7], SECRETS[8],
        SECRETS[9], SECRETS[10]
    )
}

#[tokio::test]
async fn secrets_never_leave_and_echoed_placeholders_come_back() {
    for proto in PROTOCOLS {
        let server = FaultServer::start(move |_, c| {
            // Echo the first placeholder the server sees, as a model quoting the code would.
            let echoed = c.body.find("[REDACTED_SECRET_").map(|at| {
                let end = c.body[at..].find(']').map_or(at, |e| at + e + 1);
                c.body[at..end].to_string()
            });
            stream(proto, &["key: ", &echoed.unwrap_or_default()])
        })
        .await;
        let dir = tempfile::tempdir().unwrap();
        let audit = Arc::new(AuditLog::new(&dir.path().join("audit.jsonl")));
        let chain = Chain::new(vec![provider(proto, &server, "p")], budget()).with_audit(audit.clone());
        let mut req = request();
        req.input =
            aura_llm::Input::Chat(vec![Message::system(leaky_prompt()), Message::user(leaky_prompt())]);
        let call = Call { program: "P01".into(), ..Call::default() };
        let outcome = chain.generate(&req, &call, &|_| {}, &CancellationToken::new()).await.unwrap();

        let captured = server.requests.lock().unwrap().clone();
        assert_eq!(captured.len(), 1);
        for secret in SECRETS {
            assert!(!captured[0].body.contains(secret), "{proto:?} sent {secret}");
            assert!(!captured[0].headers.contains(secret), "{proto:?} sent {secret} in a header");
        }
        assert!(outcome.redactions >= SECRETS.len() - 1, "{proto:?}: {} redactions", outcome.redactions);
        assert!(outcome.generation.text.starts_with("key: "));
        assert!(
            SECRETS.iter().any(|s| outcome.generation.text.contains(s)),
            "{proto:?}: the echoed placeholder is restored: {}",
            outcome.generation.text
        );

        let entries = audit.read();
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry.program, "P01");
        assert_eq!(entry.host, "127.0.0.1");
        assert_eq!(entry.redactions, outcome.redactions);
        assert!(entry.bytes > 100);
        assert!(entry.prompt.is_none());
        let log = std::fs::read_to_string(audit.path()).unwrap();
        for secret in SECRETS {
            assert!(!log.contains(secret), "the audit log holds {secret}");
        }
    }
}

#[tokio::test]
async fn the_cache_answers_repeats_without_a_request_unless_bypassed() {
    let server = FaultServer::start(|_, _| fs::openai_stream(&["cached answer"])).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = aura_llm::cache::Cache::new(dir.path(), Duration::from_secs(60), 100);
    let chain = Chain::new(vec![provider(Proto::OpenAi, &server, "p")], budget()).with_cache(cache);
    let first =
        chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
    let second =
        chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
    assert!(!first.generation.cached);
    assert!(second.generation.cached);
    assert_eq!(second.generation.text, "cached answer");
    assert_eq!(server.count(), 1);
    let bypass = Call { bypass_cache: true, ..Call::default() };
    chain.generate(&request(), &bypass, &|_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn model_lists_come_from_each_protocol() {
    let server = FaultServer::start(|_, c| {
        let body = match c.path.as_str() {
            "/v1/models" => r#"{"data":[{"id":"smollm2"}]}"#,
            "/api/tags" => r#"{"models":[{"name":"llama3:8b"}]}"#,
            _ => "{}",
        };
        vec![fs::head(200, "application/json", ""), fs::send(body)]
    })
    .await;
    assert_eq!(provider(Proto::OpenAi, &server, "p").models(&budget()).await.unwrap(), ["smollm2"]);
    assert_eq!(provider(Proto::Ollama, &server, "p").models(&budget()).await.unwrap(), ["llama3:8b"]);
}

/// The chain as a whole answers within the budget's `total`, however many
/// providers hang in turn: [hang, hang, healthy] ends by the deadline.
#[tokio::test]
async fn the_whole_chain_answers_within_the_overall_deadline() {
    let hang = FaultServer::start(|_, _| vec![fs::sleep(5_000)]).await;
    let slow_drip = FaultServer::start(|_, _| {
        let mut actions = fs::openai_stream(&["a"]);
        let tail = actions.split_off(2);
        actions.extend((0..100).flat_map(|_| {
            [fs::sleep(30), fs::send("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n")]
        }));
        actions.extend(tail);
        actions
    })
    .await;
    let healthy = FaultServer::start(|_, _| fs::openai_stream(&["late"])).await;
    let budget =
        Budget { first_token: Duration::from_millis(600), total: Duration::from_millis(1000), ..budget() };
    let chain = Chain::new(
        vec![
            provider(Proto::OpenAi, &hang, "hang"),
            provider(Proto::OpenAi, &slow_drip, "drip"),
            provider(Proto::OpenAi, &healthy, "healthy"),
        ],
        budget,
    )
    .with_policy(quick_policy());
    let started = Instant::now();
    let result = chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await;
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1400), "took {took:?} against a 1000 ms deadline");
    let Err(LlmError::Exhausted(failed)) = result else { panic!("{result:?}") };
    let names: Vec<&str> = failed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["hang", "drip", "healthy"], "{failed:?}");
    assert!(failed[2].1.to_string().contains("timeout"), "{failed:?}");
    assert_eq!(healthy.count(), 0, "no request is started after the deadline");
}

#[tokio::test]
async fn a_json_reply_to_a_stream_request_says_so() {
    let server = FaultServer::start(|_, _| {
        vec![
            fs::head(200, "application/json", ""),
            fs::send("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}"),
        ]
    })
    .await;
    let (result, _) = generate(provider(Proto::OpenAi, &server, "p").as_ref()).await;
    let error = result.unwrap_err().to_string();
    assert!(error.contains("single JSON document"), "{error}");
    assert!(!error.contains("ended before"), "{error}");
}

/// Every HTTP request is one audit line, retries included.
#[tokio::test]
async fn each_http_request_is_one_audit_line() {
    let flaky =
        FaultServer::start(
            |n, _| if n < 1 { fs::error(503, "", "busy") } else { fs::error(500, "", "down") },
        )
        .await;
    let healthy = FaultServer::start(|_, _| fs::openai_stream(&["ok"])).await;
    let dir = tempfile::tempdir().unwrap();
    let audit = Arc::new(AuditLog::new(&dir.path().join("audit.jsonl")));
    let chain = Chain::new(
        vec![provider(Proto::OpenAi, &flaky, "flaky"), provider(Proto::OpenAi, &healthy, "healthy")],
        budget(),
    )
    .with_policy(quick_policy())
    .with_audit(audit.clone());
    chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
    let entries = audit.read();
    let requests = flaky.count() + healthy.count();
    assert_eq!(requests, 3);
    assert_eq!(entries.len(), requests, "{entries:?}");
    let outcomes: Vec<(&str, &str)> =
        entries.iter().map(|e| (e.provider.as_str(), e.outcome.as_str())).collect();
    assert_eq!(outcomes[0].0, "flaky");
    assert!(outcomes[0].1.contains("503") && outcomes[1].1.contains("500"), "{outcomes:?}");
    assert_eq!(outcomes[2], ("healthy", "ok"));
}

/// A rerun is answered from the cache before the dead first provider is tried.
#[tokio::test]
async fn the_cache_is_asked_before_a_dead_first_provider() {
    let dead = FaultServer::start(|_, _| vec![fs::sleep(5_000)]).await;
    let healthy = FaultServer::start(|_, _| fs::openai_stream(&["known answer"])).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = aura_llm::cache::Cache::new(dir.path(), Duration::from_secs(60), 100);
    let chain = Chain::new(
        vec![provider(Proto::OpenAi, &dead, "dead"), provider(Proto::OpenAi, &healthy, "healthy")],
        Budget { total: Duration::from_secs(3), ..budget() },
    )
    .with_policy(Policy { attempts: 1, ..quick_policy() })
    .with_cache(cache);
    let first =
        chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(first.generation.provider, "healthy");
    let dead_requests = dead.count();
    let second =
        chain.generate(&request(), &Call::default(), &|_| {}, &CancellationToken::new()).await.unwrap();
    assert!(second.generation.cached);
    assert_eq!(second.generation.text, "known answer");
    assert_eq!(dead.count(), dead_requests, "the dead provider was not asked again");
}

/// What streams to the user is what the final answer says: secrets come back
/// in the stream too, even when a placeholder is split across chunks.
#[tokio::test]
async fn streamed_pieces_have_secrets_restored() {
    let server = FaultServer::start(move |_, c| {
        let at = c.body.find("[REDACTED_SECRET_").unwrap();
        let end = at + c.body[at..].find(']').unwrap() + 1;
        let placeholder = c.body[at..end].to_string();
        let (a, b) = placeholder.split_at(7);
        fs::openai_stream(&["key: ", a, b, " done"])
    })
    .await;
    let chain = Chain::new(vec![provider(Proto::OpenAi, &server, "p")], budget());
    let mut req = request();
    req.input = aura_llm::Input::Chat(vec![Message::user(leaky_prompt())]);
    let streamed = Arc::new(Mutex::new(String::new()));
    let sink = streamed.clone();
    let on_event = move |e: Event<'_>| {
        if let Event::Token(t) = e {
            sink.lock().unwrap().push_str(t);
        }
    };
    let outcome = chain.generate(&req, &Call::default(), &on_event, &CancellationToken::new()).await.unwrap();
    let streamed = streamed.lock().unwrap().clone();
    assert_eq!(streamed, outcome.generation.text);
    assert!(!streamed.contains("REDACTED"), "{streamed}");
    assert!(SECRETS.iter().any(|s| streamed.contains(s)), "{streamed}");
}
