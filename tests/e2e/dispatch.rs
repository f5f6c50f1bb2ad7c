//! The AI dispatch commands on a small workspace: listing the catalog,
//! module activation, routing with file context, prompts, the routing
//! evaluation and feedback reset, including their error paths.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::aura;

fn run(dir: &Path, args: &[&str]) -> Output {
    aura().args(args).current_dir(dir).env_remove("AURA_LOG").output().expect("run aura")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "fastapi\npytest\n").unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef run(cmd):\n    os.system(cmd)\n    return 1\n",
    )
    .unwrap();
    dir
}

#[test]
fn catalog_listings() {
    let dir = tempfile::tempdir().unwrap();
    let programs = json(&run(dir.path(), &["programs", "--format", "json"]));
    assert_eq!(programs.as_array().unwrap().len(), 66);
    let tiers = json(&run(dir.path(), &["tiers", "--format", "json"]));
    assert_eq!(tiers.as_array().unwrap().len(), 188);
    let text = String::from_utf8(run(dir.path(), &["programs"]).stdout).unwrap();
    assert!(text.contains("P19 unit-tests"), "{text}");
}

#[test]
fn modules_explain_activation() {
    let dir = workspace();
    let out = json(&run(dir.path(), &["modules", "--format", "json"]));
    let codes: Vec<&str> =
        out["active"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    for code in ["fastapi", "pytest", "python", "pydantic"] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    let bad = run(dir.path(), &["modules", "no-such-dir"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn route_uses_the_file_context() {
    let dir = workspace();
    let out =
        json(&run(dir.path(), &["route", "fix this", "--file", "app.py", "--line", "8", "--format", "json"]));
    assert_eq!(out["programs"][0]["number"], 11, "{out:#}");
    assert_eq!(out["language"], "python");
    let reasons = out["programs"][0]["reasons"].to_string();
    assert!(reasons.contains("diagnostic AUR3"), "{reasons}");
    let text =
        String::from_utf8(run(dir.path(), &["route", "tests?", "--file", "app.py", "--line", "8"]).stdout)
            .unwrap();
    assert!(text.contains("1. P19"), "{text}");
    let past_end = run(dir.path(), &["route", "x", "--file", "app.py", "--line", "999"]);
    assert_eq!(past_end.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&past_end.stderr).contains("past the end"));
}

#[test]
fn prompt_prints_what_would_be_sent() {
    let dir = workspace();
    let out = run(dir.path(), &["prompt", "write unit tests", "--file", "app.py", "--line", "8"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("=== system ===") && text.contains("=== user ==="));
    assert!(text.contains("with pytest for run in app.py"), "{text}");
    assert!(text.contains("os.system(cmd)"));
    assert!(!text.contains("{{"), "{text}");
}

#[test]
fn eval_routing_reports_and_rejects_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("set.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"a\",\"text\":\"add docstrings\",\"lang\":\"python\",\"code\":\"def f(x):\\n    return x\",\"programs\":[31],\"tier_groups\":[\"Foundation\"]}\n",
    )
    .unwrap();
    let out = json(&run(dir.path(), &["eval", "routing", "set.jsonl", "--format", "json"]));
    assert_eq!(out["n"], 1);
    assert_eq!(out["top1"], 1.0);
    assert_eq!(out["predictions"][0]["programs"][0], 31);
    std::fs::write(&file, "{oops\n").unwrap();
    let bad = run(dir.path(), &["eval", "routing", "set.jsonl"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("line 1"));
}

#[test]
fn eval_routing_compares_the_embedding_signal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("set.jsonl"),
        concat!(
            "{\"id\":\"a\",\"text\":\"Write unit tests for this function, with edge cases\",\"programs\":[19]}\n",
            "{\"id\":\"b\",\"text\":\"Set up streaming replication with a read replica for Postgres\",\"programs\":[52]}\n",
        ),
    )
    .unwrap();
    let out = json(&run(dir.path(), &["eval", "routing", "set.jsonl", "--embeddings", "--format", "json"]));
    assert_eq!(out["lexical"]["n"], 2);
    assert_eq!(out["with_embeddings"]["n"], 2);
    assert_eq!(out["embeddings_alone"]["top1"], 1.0, "{out}");
    let text = run(dir.path(), &["eval", "routing", "set.jsonl", "--embeddings", "--model", "/nonexistent"]);
    assert_eq!(text.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&text.stderr).contains("/nonexistent"));
}

#[test]
fn feedback_reset_deletes_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join(".aura/cache/feedback.json");
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    std::fs::write(&store, r#"{"entries":[{"key":"testing:python","program":19,"signal":"accept"}]}"#)
        .unwrap();
    let out = run(dir.path(), &["feedback", "reset"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("forgot 1"));
    assert!(!store.exists());
}
