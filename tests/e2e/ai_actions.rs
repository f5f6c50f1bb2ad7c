//! The AI path over LSP: code actions that offer a few fitting programs,
//! resolved lazily into `aura.runProgram`, which (with no model configured)
//! opens the built prompt as a document and says so; `aura.route`,
//! `aura/route` and `aura.feedback`.

use serde_json::{json, Value};

use crate::support::{pos, range, Client};

const TEXT: &str = "import os\n\ndef run(cmd):\n    os.system(cmd)\n    return 1\n";

fn setup(dir: &std::path::Path) -> (Client, String) {
    let mut client = Client::start_in(Some(dir), &[]);
    client.initialize_with(json!({}), json!(null));
    let uri = lsp_uri(&dir.join("tool.py"));
    std::fs::write(dir.join("tool.py"), TEXT).unwrap();
    client.open(&uri, "python", 1, TEXT);
    client.diagnostics(&uri, Some(1));
    (client, uri)
}

fn lsp_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn code_actions(client: &mut Client, uri: &str, r: Value) -> Vec<Value> {
    let resp = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": r, "context": {"diagnostics": []}}),
    );
    resp["result"].as_array().cloned().unwrap_or_default()
}

fn ai(actions: &[Value]) -> Vec<&Value> {
    actions.iter().filter(|a| a["title"].as_str().unwrap_or("").starts_with("Aura AI: ")).collect()
}

#[test]
fn selection_offers_a_few_programs_resolved_lazily_and_run_opens_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, uri) = setup(dir.path());
    let found = code_actions(&mut client, &uri, range((2, 0), (4, 12)));
    let offered = ai(&found);
    let titles: Vec<&str> = offered.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!((3..=6).contains(&offered.len()), "a few programs, never 66: {titles:?}");
    for wanted in ["Code Walkthrough", "Refactoring", "Unit Test Generation", "Code Documentation"] {
        assert!(titles.iter().any(|t| t.contains(wanted)), "{wanted} missing from {titles:?}");
    }
    assert!(
        titles.iter().any(|t| t.contains("Security Vulnerability Repair")),
        "repair for the os.system finding: {titles:?}"
    );
    let tests = offered.iter().find(|a| a["title"].as_str().unwrap().contains("Unit Test")).unwrap();
    assert!(tests.get("command").is_none() && tests.get("edit").is_none(), "listing does no work: {tests}");

    let resolved = client.request("codeAction/resolve", (*tests).clone())["result"].clone();
    assert_eq!(resolved["command"]["command"], "aura.runProgram");
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.runProgram", "arguments": resolved["command"]["arguments"]}),
    );
    let result = &run["result"];
    assert_eq!(result["program"]["number"], 19, "{run}");
    assert!(result["model"].is_null());
    let user = result["prompt"]["user"].as_str().unwrap();
    assert!(
        user.contains("os.system(cmd)") && user.contains("for run in ") && user.contains("tool.py (python)"),
        "{user}"
    );
    let shown = client.wait_for(|m| m["method"] == "window/showDocument").expect("prompt document shown");
    let path = shown["params"]["uri"].as_str().unwrap().trim_start_matches("file://").to_owned();
    let document = std::fs::read_to_string(path).unwrap();
    assert!(document.contains("No model is configured"), "{document}");
    assert!(client
        .wait_for(|m| m["method"] == "window/showMessage"
            && m["params"]["message"].as_str().unwrap_or("").contains("no model is configured"))
        .is_some());
    assert!(dir.path().join(".aura/cache/feedback.json").exists(), "running a program records an accept");
    client.shutdown();
}

#[test]
fn cursor_without_findings_offers_no_ai_actions_and_route_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, uri) = setup(dir.path());
    let found = code_actions(&mut client, &uri, range((0, 0), (0, 0)));
    assert!(ai(&found).is_empty(), "{found:?}");

    let routed = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.route", "arguments": [{"text": "explain this", "uri": uri, "range": range((2, 0), (4, 12))}]}),
    );
    assert_eq!(routed["result"]["programs"][0]["number"], 38, "{routed}");
    let custom = client.request("aura/route", json!({"text": "write a pytest for this", "uri": uri, "range": {"start": pos(3, 0), "end": pos(3, 0)}}));
    assert_eq!(custom["result"]["programs"][0]["number"], 19, "{custom}");
    assert_eq!(custom["result"]["language"], "python");

    let fb = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.feedback", "arguments": [{"program": 29, "signal": "reject", "text": "explain this"}]}),
    );
    assert_eq!(fb["result"]["stored"], 1, "{fb}");
    let bad = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.runProgram", "arguments": [{"program": 999}]}),
    );
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let closed = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.route", "arguments": [{"text": "x", "uri": "file:///not/open.py"}]}),
    );
    assert_eq!(closed["error"]["code"], -32602, "{closed}");
    client.shutdown();
}

#[test]
fn doctor_command_reports_the_usual_servers_and_opens_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = setup(dir.path());
    let answer = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.doctor", "arguments": [{"generate": false}]}),
    );
    let report = &answer["result"]["report"];
    let names: Vec<&str> =
        report["probes"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    for usual in ["ollama", "llama.cpp", "lm-studio"] {
        assert!(names.contains(&usual), "{usual} probed: {answer}");
    }
    assert_eq!(report["remote_allowed"], false, "remote providers are off until configured");
    let shown = client.wait_for(|m| m["method"] == "window/showDocument").expect("report opened");
    let path = shown["params"]["uri"].as_str().unwrap().trim_start_matches("file://").to_owned();
    let document = std::fs::read_to_string(path).unwrap();
    assert!(document.starts_with("# Aura doctor") && document.contains("| lm-studio |"), "{document}");
    client.shutdown();
}
