//! Hover, code lens and the metrics command over LSP, as an editor calls them.

use serde_json::{json, Value};

use crate::support::{pos, Client};

const URI: &str = "file:///tmp/aura-e2e/shape.go";
const TEXT: &str = "package main\n\nfunc classify(n int, strict bool) string {\n\tif n < 0 && strict {\n\t\treturn \"negative\"\n\t}\n\tfor i := 0; i < n; i++ {\n\t}\n\treturn \"ok\"\n}\n";

fn hover(client: &mut Client, line: u64, character: u64) -> Value {
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(line, character)}),
    )["result"]
        .clone()
}

#[test]
fn hover_on_a_function_header_shows_its_metrics() {
    let mut client = Client::start();
    client.initialize();
    client.open(URI, "go", 1, TEXT);
    let on_name = hover(&mut client, 2, 7);
    let value = on_name["contents"]["value"].as_str().expect("markdown hover");
    assert_eq!(on_name["contents"]["kind"], "markdown");
    assert!(value.starts_with("**classify** · lines 3–10"), "{value}");
    assert!(value.contains("| cyclomatic | 4 |"), "{value}");
    assert!(value.contains("| cognitive | 3 |"), "{value}");
    assert!(value.contains("| parameters | 2 |"), "{value}");
    assert_eq!(on_name["range"]["start"], pos(2, 5));
    assert_eq!(on_name["range"]["end"], pos(2, 13));
    // Inside the body there is nothing to say.
    assert!(hover(&mut client, 6, 2).is_null());
    assert!(client.shutdown().success());
}

#[test]
fn lenses_title_each_function_and_their_command_answers() {
    let mut client = Client::start();
    client.initialize();
    client.open(URI, "go", 1, TEXT);
    let lenses =
        client.request("textDocument/codeLens", json!({"textDocument": {"uri": URI}}))["result"].clone();
    let lenses = lenses.as_array().expect("lens list");
    assert_eq!(lenses.len(), 1, "{lenses:?}");
    let command = &lenses[0]["command"];
    assert_eq!(command["title"], "cyclomatic 4 · cognitive 3");
    assert_eq!(lenses[0]["range"]["start"], pos(2, 5));

    let answer = client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(answer["result"]["name"], "classify");
    assert_eq!(answer["result"]["cyclomatic"], 4);
    assert_eq!(answer["result"]["start_line"], 3);
    let message = client
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("the command tells the person who clicked");
    assert!(message["params"]["message"]
        .as_str()
        .unwrap()
        .starts_with("classify: cyclomatic 4, cognitive 3"));

    let bad = client.request("workspace/executeCommand", json!({"command": "aura.nope", "arguments": []}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let bad = client
        .request("workspace/executeCommand", json!({"command": "aura.functionMetrics", "arguments": [1]}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    assert!(client.shutdown().success());
}

#[test]
fn lenses_can_be_turned_off() {
    let mut client = Client::start();
    client.initialize_with(json!({}), json!({"lens": {"complexity": false}}));
    client.open(URI, "go", 1, TEXT);
    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": URI}}));
    assert_eq!(lenses["result"], json!([]));
    assert!(client.shutdown().success());
}
