//! The generated secret corpus (`crates/aura-llm/tests/support/secret_corpus.rs`:
//! fake but format-valid secrets planted where people leave them, and
//! harmless look-alikes) sent through every way Aura talks to a model:
//! `aura ask`, `aura run-program`, LSP `aura.runProgram` and inline
//! completion, against `ScriptedChat` (NOT a model), which records every
//! request body. No piece of a planted secret may be in any body, and every
//! body must be about its file, so a leak would be seen.

use serde_json::json;

use crate::support::{aura_in, Client, ScriptedChat};

#[path = "../../crates/aura-llm/tests/support/secret_corpus.rs"]
mod secret_corpus;

struct Planted {
    path: std::path::PathBuf,
    marker: String,
    case: secret_corpus::Case,
}

/// Each case in its own directory `cN/`, named like the file it imitates.
fn plant(root: &std::path::Path) -> Vec<Planted> {
    let mut out = Vec::new();
    let cases = secret_corpus::secrets(2026).into_iter().take(39).chain(secret_corpus::look_alikes(2026));
    for (i, case) in cases.enumerate() {
        let marker = format!("c{i}");
        let path = root.join(&marker).join(case.file.replace('/', "_"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &case.text).unwrap();
        out.push(Planted { path, marker, case });
    }
    out
}

fn config(root: &std::path::Path, chat: &ScriptedChat) {
    std::fs::create_dir_all(root.join(".aura")).unwrap();
    // Local-only globs off: this test is about redaction, so every file must go out.
    std::fs::write(
        root.join(".aura/config.toml"),
        format!(
            "[ai.cache]\nenable = false\n\n[ai.privacy]\nlocal_only = []\n\n[ai.providers.script]\nkind = \"openai\"\nurl = \"{}\"\nmodel = \"scripted\"\n",
            chat.url
        ),
    )
    .unwrap();
}

/// The bodies sent since `before`, checked for leaks of `planted`'s secrets.
fn check(chat: &ScriptedChat, before: usize, planted: &Planted, channel: &str, leaks: &mut Vec<String>) {
    let bodies = chat.requests();
    let new = &bodies[before..];
    assert!(!new.is_empty(), "{channel}: no request for {}", planted.case.format);
    for body in new {
        for secret in &planted.case.secrets {
            if secret_corpus::leaked(secret, body) {
                leaks.push(format!("{channel}: {} ({secret})", planted.case.format));
            }
        }
    }
}

#[test]
fn no_planted_secret_reaches_the_provider_from_the_cli() {
    let chat = ScriptedChat::start(vec!["Looks fine to me."]);
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    config(&root, &chat);
    let planted = plant(&root);
    let mut leaks = Vec::new();
    let mut about_the_file = 0;
    let mut unnamed = Vec::new();
    for p in &planted {
        for args in [
            vec!["ask", "what does this file do?", "--file"],
            vec!["run-program", "code-review", "--line", "1", "--file"],
        ] {
            let before = chat.requests().len();
            let out = aura_in(&root).args(&args).arg(&p.path).output().unwrap();
            assert!(
                out.status.success(),
                "{args:?} {}: {}",
                p.case.format,
                String::from_utf8_lossy(&out.stderr)
            );
            check(&chat, before, p, args[0], &mut leaks);
            let named = chat.requests()[before..].iter().any(|b| b.contains(&format!("{}/", p.marker)));
            if named {
                about_the_file += 1;
            } else {
                unnamed.push(format!(
                    "{} {}: {:?}",
                    p.marker,
                    p.case.format,
                    chat.requests()[before..]
                        .iter()
                        .map(|b| b.chars().take(600).collect::<String>())
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
    assert_eq!(about_the_file, planted.len() * 2, "every request names its file: {unnamed:#?}");
}

#[test]
fn no_planted_secret_reaches_the_provider_from_the_editor() {
    let chat = ScriptedChat::start(vec!["Looks fine to me."]);
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    config(&root, &chat);
    let planted = plant(&root);
    let mut client = Client::start_in(Some(&root), &[("XDG_CACHE_HOME", "/nonexistent-aura-test-cache")]);
    client.send(&json!({"jsonrpc": "2.0", "id": 900, "method": "initialize", "params": {
        "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {},
        "initializationOptions": {"diagnostics": {"debounce_ms": 5}}}}));
    client.response(900);
    client.notify("initialized", json!({}));
    let mut leaks = Vec::new();
    for p in &planted {
        let uri = format!("file://{}", p.path.display());
        client.open(&uri, "plaintext", 1, &p.case.text);
        let lines = p.case.text.lines().count() as u64;

        let before = chat.requests().len();
        let reply = client.request(
            "workspace/executeCommand",
            json!({"command": "aura.runProgram", "arguments": [{
                "uri": uri, "program": 43,
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}}]}),
        );
        assert!(reply.get("error").is_none(), "{}: {reply}", p.case.format);
        check(&chat, before, p, "aura.runProgram", &mut leaks);

        let before = chat.requests().len();
        let last = p.case.text.lines().last().unwrap_or("").chars().count() as u64;
        let reply = client.request(
            "textDocument/inlineCompletion",
            json!({"textDocument": {"uri": uri}, "position": {"line": lines.saturating_sub(1), "character": last},
                   "context": {"triggerKind": 1}}),
        );
        assert!(reply.get("error").is_none(), "{}: {reply}", p.case.format);
        check(&chat, before, p, "inline completion", &mut leaks);
    }
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
    client.shutdown();
}

/// With the default globs, a local-only file never leaves the process, not
/// even to a provider on this machine: the request fails with the reason and
/// nothing is sent.
#[test]
fn local_only_files_reach_no_http_provider_by_default() {
    let chat = ScriptedChat::start(vec!["Looks fine to me."]);
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir_all(root.join(".aura")).unwrap();
    std::fs::write(
        root.join(".aura/config.toml"),
        format!("[ai.cache]\nenable = false\n\n[ai.providers.script]\nkind = \"openai\"\nurl = \"{}\"\nmodel = \"scripted\"\n", chat.url),
    )
    .unwrap();
    for name in [".env", "id_ed25519", ".npmrc"] {
        std::fs::write(root.join(name), "TOKEN=abc\n").unwrap();
        let out = aura_in(&root).args(["ask", "what is this?", "--file", name]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: {stderr}");
        assert!(stderr.contains("local-only"), "{name}: {stderr}");
    }
    assert!(chat.requests().is_empty(), "{:?}", chat.requests());
}

/// `aura doctor` is held to the same policy: a remote provider that
/// `allow_remote` forbids is not contacted, and every HTTP request it makes
/// to an allowed one (the model list, the test generation) is an audit line.
#[test]
fn doctor_contacts_only_allowed_providers_and_audits_each_request() {
    let chat = ScriptedChat::start(vec!["ok"]);
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir_all(root.join(".aura")).unwrap();
    std::fs::write(
        root.join(".aura/config.toml"),
        format!(
            "[ai.cache]\nenable = false\n\n[ai.providers.local]\nkind = \"openai\"\nurl = \"{}\"\nmodel = \"scripted\"\n\n\
             [ai.providers.remote]\nkind = \"openai\"\nurl = \"https://api.example.invalid/v1\"\nmodel = \"m\"\n",
            chat.url
        ),
    )
    .unwrap();
    let out = aura_in(&root).args(["doctor", "--format", "json"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not contacted"), "{stdout}");
    let audit = std::fs::read_to_string(root.join(".aura/audit.jsonl")).unwrap_or_default();
    let lines: Vec<serde_json::Value> = audit.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.iter().all(|l| l["provider"] == "local"), "{audit}");
    let programs: Vec<&str> = lines.iter().filter_map(|l| l["program"].as_str()).collect();
    assert!(programs.contains(&"doctor: model list"), "{audit}");
    assert_eq!(lines.len(), chat.requests().len(), "one audit line per request: {audit}");
}
