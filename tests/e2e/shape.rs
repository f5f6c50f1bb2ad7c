//! The semantic index in the server, with the real embedding model: import
//! cycles on the import lines, near-copies once the background worker has
//! embedded the workspace (with `$/progress`), `aura/similar`, `aura.shape`,
//! and typing answered while the worker runs.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::Client;

const LOADER: &str = "def load_orders(path):\n    with open(path) as f:\n        rows = json.load(f)\n    return [Order(**r) for r in rows if r.get(\"active\")]\n";

/// The first published diagnostic with `code`, waiting for it.
fn published(client: &mut Client, code: &str) -> Value {
    published_in(client, code, None)
}

/// As [`published`], for one document when `uri` is given.
fn published_in(client: &mut Client, code: &str, uri: Option<&str>) -> Value {
    let has = |m: &Value| {
        m["method"] == "textDocument/publishDiagnostics"
            && uri.is_none_or(|u| m["params"]["uri"] == u)
            && m["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == code))
    };
    let message = client.wait_for(has).unwrap_or_else(|| panic!("no {code} diagnostic"));
    message["params"]["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == code).unwrap().clone()
}

fn uri(dir: &Path, name: &str) -> String {
    format!("file://{}", std::fs::canonicalize(dir).unwrap().join(name).display())
}

#[test]
fn import_cycles_near_copies_and_similar_functions() {
    let model = aura_embed::model_dir().expect("the embedding model (scripts/fetch-embedding-model)");
    let dir = tempfile::tempdir().unwrap();
    let orders = format!(
        "from customers import Customer\n\n{LOADER}\ndef render_invoice_pdf(invoice, canvas):\n    canvas.set_font(\"Helvetica\", 12)\n    for i, line in enumerate(invoice.lines):\n        canvas.draw_text(40, 700 - 14 * i, f\"{{line.sku}} {{line.total:.2f}}\")\n    canvas.save()\n"
    );
    std::fs::write(dir.path().join("orders.py"), &orders).unwrap();
    std::fs::write(
        dir.path().join("customers.py"),
        format!("import orders\n\n{}", LOADER.replace("(path)", "(path, limit=None)")),
    )
    .unwrap();
    let mut client = Client::start_in(Some(dir.path()), &[("AURA_MODEL_DIR", model.to_str().unwrap())]);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", std::fs::canonicalize(dir.path()).unwrap().display()),
               "capabilities": {"window": {"workDoneProgress": true}},
               "initializationOptions": {"diagnostics": {"debounce_ms": 5}}}),
    );
    client.notify("initialized", json!({}));
    let orders_uri = uri(dir.path(), "orders.py");
    client.open(&orders_uri, "python", 1, &orders);

    // The import cycle first (no model needed), once per cycle: on the import
    // line of its first file, customers.py, with orders.py's import related.
    let customers_uri = uri(dir.path(), "customers.py");
    let customers = std::fs::read_to_string(dir.path().join("customers.py")).unwrap();
    client.open(&customers_uri, "python", 1, &customers);
    let d = published(&mut client, "AUR501");
    assert_eq!(d["message"], "import cycle: customers.py → orders.py → customers.py");
    assert_eq!(d["range"]["start"]["line"], 0);
    assert_eq!(d["relatedInformation"][0]["location"]["uri"], orders_uri);

    // The worker reports its progress, then the near-copy appears.
    let begin = client
        .wait_for(|m| m["method"] == "$/progress" && m["params"]["token"] == "aura/semantic-index")
        .expect("semantic index progress");
    assert_eq!(begin["params"]["value"]["kind"], "begin");
    // Typing while it works is answered at once.
    let started = Instant::now();
    let text = client.document_text(&orders_uri);
    assert!(started.elapsed() < Duration::from_secs(2), "the server kept answering");
    assert_eq!(text["version"], 1);
    let d = published_in(&mut client, "AUR403", Some(&orders_uri));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("near-copy of `load_orders` in customers.py (similarity 0.9"),
        "{d}"
    );
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(d["severity"], 3, "information");

    // A lens above the copy; clicking it opens the other one.
    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": orders_uri}}))
        ["result"]
        .clone();
    let lens = lenses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["command"]["command"] == "aura.openNearCopy")
        .unwrap_or_else(|| panic!("no near-copy lens in {lenses}"))
        .clone();
    assert_eq!(lens["range"]["start"]["line"], 2);
    assert!(
        lens["command"]["title"]
            .as_str()
            .unwrap()
            .starts_with("near-copy of load_orders in customers.py (0.9"),
        "{lens}"
    );
    assert_eq!(lens["command"]["arguments"], json!([customers_uri, 2]));
    let opened = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.openNearCopy", "arguments": lens["command"]["arguments"]}),
    );
    assert_eq!(opened["result"]["uri"], customers_uri, "{opened}");
    assert_eq!(opened["result"]["shown"], true, "{opened}");
    let shown = client.wait_for(|m| m["method"] == "window/showDocument").expect("showDocument");
    assert_eq!(shown["params"]["uri"], customers_uri);
    assert_eq!(shown["params"]["selection"]["start"]["line"], 2);
    let bad =
        client.request("workspace/executeCommand", json!({"command": "aura.openNearCopy", "arguments": []}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    let similar = client.request(
        "aura/similar",
        json!({"textDocument": {"uri": orders_uri}, "position": {"line": 3, "character": 4}, "k": 2}),
    )["result"]
        .clone();
    assert_eq!(similar["function"]["name"], "load_orders", "{similar}");
    assert_eq!(similar["similar"][0]["uri"], uri(dir.path(), "customers.py"));
    assert_eq!(similar["similar"][0]["range"]["start"]["line"], 2);
    assert_eq!(similar["similar"][1]["name"], "render_invoice_pdf");

    // AI programs about a function get its near relatives as context.
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.runProgram", "arguments": [{
            "uri": orders_uri, "program": 38,
            "range": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 4}}}]}),
    );
    let user = run["result"]["prompt"]["user"].as_str().unwrap_or_else(|| panic!("{run}"));
    assert!(user.contains("customers.py:3 `load_orders` (similarity 0.9"), "{user}");
    assert!(!user.contains("render_invoice_pdf` (similarity"), "unrelated code stays out: {user}");

    let shape = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.shape", "arguments": [{"show": false, "svg": true}]}),
    )["result"]
        .clone();
    assert_eq!(shape["clusters"].as_array().unwrap().len(), 1, "{shape}");
    assert_eq!(shape["cycles"], json!([["customers.py", "orders.py"]]));
    assert!(shape["svg"].as_str().unwrap().starts_with("<svg"));
    client.shutdown();
}

#[test]
fn a_near_copy_that_missed_a_fix_commit_is_a_warning_in_the_editor() {
    let model = aura_embed::model_dir().expect("the embedding model (scripts/fetch-embedding-model)");
    let mut git = aura_git::testing::Script::new();
    // Inside the default history window (git.window_days).
    git.clock =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 86_400;
    git.write("orders.py", &format!("import json\n\n{LOADER}"));
    let archive = format!("import json\n\n\n{LOADER}");
    git.write("archive.py", &archive);
    git.commit("add the loaders");
    git.write(
        "orders.py",
        &format!("import json\n\n{}", LOADER.replace("json.load(f)", "json.load(f) or []")),
    );
    git.commit("fix: an empty file is no orders");

    let mut client = Client::start_in(Some(git.path()), &[("AURA_MODEL_DIR", model.to_str().unwrap())]);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", std::fs::canonicalize(git.path()).unwrap().display()),
               "capabilities": {}, "initializationOptions": {"diagnostics": {"debounce_ms": 5}}}),
    );
    client.notify("initialized", json!({}));
    let archive_uri = uri(git.path(), "archive.py");
    client.open(&archive_uri, "python", 1, &archive);
    let d = published(&mut client, "AUR404");
    assert_eq!(d["severity"], 2, "warning");
    assert_eq!(d["range"]["start"]["line"], 3);
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with("near-copy `load_orders` in orders.py was fixed by ")
            && message.ends_with(" \"fix: an empty file is no orders\"; this copy was not"),
        "{message}"
    );
    assert_eq!(d["relatedInformation"][0]["location"]["uri"], uri(git.path(), "orders.py"));
    client.shutdown();
}
