//! Repository features through the real binary: blame in hover, change
//! lenses, hotspot diagnostics, the git commands over LSP and the CLI, in a
//! scripted repository and outside any repository.

use std::time::Duration;

use aura_git::testing::Script;
use serde_json::{json, Value};

use crate::support::{aura, pos, Client};

const LIB: &str = "\
def parse_header(data):
    if not data:
        return None
    return data[:4]


def read_frame(stream):
    return stream.read(8)
";

/// A repository where `parse_header` changed in four commits and is being
/// edited again (its condition, and the last commit's comment dropped), and
/// `app.py` imports it and calls it twice.
fn repository() -> Script {
    let mut s = Script::new();
    s.write("pkg/lib.py", LIB);
    s.write("app.py", "from pkg.lib import parse_header\n\n\ndef run(s):\n    return parse_header(s)\n\n\nfirst = parse_header(b'x')\n");
    s.commit("feat: parse headers");
    for (i, message) in ["fix: empty header", "tweak header slicing", "fix: short header"].iter().enumerate()
    {
        s.write("pkg/lib.py", &LIB.replace("data[:4]", &format!("data[:4]  # v{i}")));
        s.commit(message);
    }
    s.write("pkg/lib.py", &LIB.replace("if not data:", "if not data or len(data) < 4:"));
    s
}

fn start(dir: &std::path::Path) -> Client {
    let mut client = Client::start_in(Some(dir), &[]);
    let root = format!("file://{}", dir.canonicalize().unwrap().display());
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": {"diagnostics": {"debounce_ms": 5}, "git": {"window_days": 0}}}),
    );
    client.notify("initialized", json!({}));
    client
}

/// Ask until `done` holds: the first answers may come before git's work
/// (computed off the protocol task, cached for the next request) is ready.
fn until(client: &mut Client, method: &str, params: Value, done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..40 {
        last = client.request(method, params.clone());
        if done(&last["result"]) {
            return last["result"].clone();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{method} never satisfied the test: last answer {last}");
}

#[test]
fn blame_lenses_hotspots_and_commands_in_a_repository() {
    let s = repository();
    let dir = s.path().canonicalize().unwrap();
    let uri = format!("file://{}/pkg/lib.py", dir.display());
    let mut client = start(&dir);
    let buffer = std::fs::read_to_string(dir.join("pkg/lib.py")).unwrap();
    client.open(&uri, "python", 1, &buffer);

    let lenses = until(&mut client, "textDocument/codeLens", json!({"textDocument": {"uri": uri}}), |r| {
        r.as_array().is_some_and(|l| {
            l.iter().any(|l| l["command"]["title"].as_str().unwrap_or("").starts_with("changed"))
        })
    });
    let changed: Vec<_> =
        lenses.as_array().unwrap().iter().filter(|l| l["command"]["command"] == "aura.impact").collect();
    assert_eq!(changed.len(), 1, "{lenses}");
    assert_eq!(changed[0]["command"]["title"], "changed · 2 callers");
    assert_eq!(changed[0]["range"]["start"], pos(0, 4));

    // Line 0 is untouched since the first commit; line 1 is the edit.
    let hover = |line: u64| json!({"textDocument": {"uri": uri}, "position": pos(line, 1)});
    let blamed = until(&mut client, "textDocument/hover", hover(0), |r| !r.is_null());
    let text = blamed["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Ada") && text.contains("feat: parse headers"), "{text}");
    let edited = until(&mut client, "textDocument/hover", hover(1), |r| !r.is_null());
    assert!(edited["contents"]["value"].as_str().unwrap().contains("Not committed yet"), "{edited}");

    let hot = client
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == "hotspot"))
        })
        .expect("a hotspot diagnostic on parse_header");
    let d = hot["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "hotspot")
        .unwrap()
        .clone();
    assert_eq!((d["source"].as_str(), d["severity"].as_i64()), (Some("aura-git"), Some(3)));
    assert_eq!(d["range"]["start"], pos(0, 4));
    assert!(d["message"].as_str().unwrap().contains("changed in 4 of the last commits (2 fixes)"), "{d}");

    let run = |client: &mut Client, command: &str, args: Value| {
        client.request("workspace/executeCommand", json!({"command": command, "arguments": [args]}))["result"]
            .clone()
    };
    let message = run(&mut client, "aura.commitMessage", json!({"noModel": true}));
    assert_eq!(
        message["message"].as_str().unwrap().lines().next(),
        Some("fix(pkg): correct parse_header"),
        "{message}"
    );
    assert_eq!(message["source"], "draft");
    let shown = client
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("the message is shown for clients that ignore command results");
    assert!(
        shown["params"]["message"].as_str().unwrap().contains("fix(pkg): correct parse_header"),
        "{shown}"
    );
    assert_eq!(
        run(&mut client, "aura.branchName", json!({"description": "Fix crash on empty input"}))["branch"],
        "fix/crash-on-empty-input"
    );
    assert_eq!(run(&mut client, "aura.branchName", json!({}))["branch"], "fix/pkg-correct-parse-header");
    let impact = run(&mut client, "aura.impact", json!({}));
    let refs = impact["report"]["functions"][0]["references"].as_array().unwrap();
    assert_eq!(refs.iter().map(|r| r["line"].as_i64().unwrap()).collect::<Vec<_>>(), vec![1, 5, 8]);
    let document = impact["document"].as_str().expect("a markdown report");
    let path = document.strip_prefix("file://").unwrap();
    assert!(std::fs::read_to_string(path).unwrap().contains("`parse_header` (modified"));
    let hotspots = run(&mut client, "aura.hotspots", json!({"top": 1}));
    assert_eq!(hotspots["functions"][0]["name"], "parse_header");
    assert_eq!(hotspots["functions"][0]["commits"], 4);
    let report = hotspots["document"].as_str().expect("a hotspots report").strip_prefix("file://").unwrap();
    assert!(std::fs::read_to_string(report).unwrap().contains("parse_header"));
    let quiet = run(&mut client, "aura.hotspots", json!({"top": 1, "show": false, "svg": true}));
    assert!(quiet.get("document").is_none() && quiet["functions"][0]["name"] == "parse_header", "{quiet}");
    let svg = quiet["svg"].as_str().expect("an SVG chart for the editor's picture view");
    assert!(svg.starts_with("<svg") && svg.contains("parse_header"), "{svg}");
    assert!(client.shutdown().success());
}

#[test]
fn outside_a_repository_features_degrade_quietly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), LIB).unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let uri = format!("file://{}/a.py", dir.display());
    let mut client = start(&dir);
    client.open(&uri, "python", 1, LIB);
    // Inside a body: no metrics hover, and no blame without a repository.
    let hover =
        client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": pos(2, 9)}));
    assert_eq!(hover["result"], Value::Null, "{hover}");
    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    assert!(lenses["result"].as_array().unwrap().iter().all(|l| l["command"]["command"] != "aura.impact"));
    let answer =
        client.request("workspace/executeCommand", json!({"command": "aura.impact", "arguments": []}));
    assert!(answer["result"]["error"].as_str().unwrap().contains("not inside a git repository"), "{answer}");
    let message = client.wait_for(|m| m["method"] == "window/showMessage").expect("one clear message");
    assert_eq!(message["params"]["type"], 3, "information, not an error popup");
    assert!(client.shutdown().success());
}

fn cli(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = aura()
        .args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", "/nonexistent-aura-test-config")
        .env("XDG_CACHE_HOME", "/nonexistent-aura-test-cache")
        .env_remove("AURA_LLM_MODEL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn git_commands_on_the_command_line() {
    let s = repository();
    let (code, out, _) = cli(s.path(), &["impact", "--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["functions"][0]["name"], "parse_header");
    assert_eq!(report["functions"][0]["references"].as_array().unwrap().len(), 3);

    let (code, out, _) = cli(s.path(), &["hotspots", "--format", "json", "--days", "0"]);
    assert_eq!(code, 0);
    let hot: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((hot["commits"].as_i64(), hot["fix_commits"].as_i64()), (Some(4), Some(2)));
    assert_eq!(hot["functions"][0]["score"], 8);
    let (code, svg, _) = cli(s.path(), &["hotspots", "--format", "svg", "--days", "0"]);
    assert_eq!(code, 0);
    assert!(
        svg.starts_with("<svg") && svg.contains("pkg/lib.py:1 parse_header") && svg.contains("<rect"),
        "{svg}"
    );

    let (code, out, _) = cli(s.path(), &["commit-msg", "--no-model"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("fix(pkg): correct parse_header\n\n- pkg/lib.py: change parse_header (+2 −2)"),
        "{out}"
    );
    s.git(&["add", "app.py"]);
    let (code, _, err) = cli(s.path(), &["commit-msg", "--no-model", "--staged"]);
    assert_eq!((code, err.trim()), (2, "error: nothing is staged"));
    let (code, out, _) = cli(s.path(), &["branch-name", "add TOML support"]);
    assert_eq!((code, out.trim()), (0, "feat/toml-support"));

    let elsewhere = tempfile::tempdir().unwrap();
    let (code, _, err) = cli(elsewhere.path(), &["hotspots"]);
    assert_eq!(code, 2);
    assert!(err.contains("not inside a git repository"), "{err}");
}
