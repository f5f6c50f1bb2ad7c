//! `aura check` and `aura config` on fixture trees: golden JSON and SARIF,
//! exit codes, skipped files, configuration errors.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::support::aura;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn check(dir: &Path, args: &[&str]) -> Output {
    aura()
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", "/nonexistent-aura-test-config")
        .env_remove("AURA_LOG")
        .output()
        .expect("run aura check")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

#[test]
fn json_output_is_golden() {
    let out = check(&fixtures(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "errors found → exit 1");
    let json: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let languages: std::collections::BTreeSet<_> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["language"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(languages.len(), 13, "a finding in every language: {languages:?}");
    insta::assert_snapshot!("check_json", stdout(&out));
}

#[test]
fn sarif_output_is_golden() {
    let out = check(&fixtures(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"], "AUR001");
    insta::assert_snapshot!("check_sarif", stdout(&out).replace(env!("CARGO_PKG_VERSION"), "[version]"));
}

#[test]
fn text_output_points_at_the_error() {
    let out = check(&fixtures(), &["check/python/unicode.py"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("check_text_unicode", stdout(&out));
}

#[test]
fn skips_are_noted_and_gitignore_is_respected() {
    let out = check(&fixtures(), &["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths: Vec<&str> =
        json["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(!paths.iter().any(|p| p.contains("ignored.py")), "{paths:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: skipped check/clean/binary.py: binary file"), "{stderr}");
    assert!(stderr.contains("note: skipped check/clean/latin1.py: not valid UTF-8"), "{stderr}");
    assert!(!stderr.contains("README.txt"), "unknown files found by walking are not noise: {stderr}");
    assert!(!stderr.contains('\u{1b}'), "no progress bar or colour when piped: {stderr:?}");
    let out = check(&fixtures(), &["check/python/broken.py", "--max-file-size", "10", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "nothing analysed → nothing failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("over the 10-byte limit"), "{stderr}");
}

#[test]
fn exit_codes() {
    let clean = check(&fixtures(), &["check/clean"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("All clear"));
    assert_eq!(check(&fixtures(), &["check", "--fail-on", "never"]).status.code(), Some(0));
    assert_eq!(check(&fixtures(), &["does/not/exist"]).status.code(), Some(2));
    assert_eq!(check(&fixtures(), &["--format", "yaml"]).status.code(), Some(2));
}

#[test]
fn invalid_config_is_a_usage_error_with_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aura")).unwrap();
    std::fs::write(dir.path().join(".aura/config.toml"), "[check]\nfail_on = \"sometimes\"\n").unwrap();
    std::fs::write(dir.path().join("a.py"), "x = 1\n").unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".aura/config.toml:2:11: unknown variant `sometimes`"), "{stderr}");
}

#[test]
fn config_layers_reach_check_and_config_reports_origins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aura")).unwrap();
    std::fs::write(dir.path().join(".aura/config.toml"), "[check]\nfail_on = \"never\"\n").unwrap();
    std::fs::write(dir.path().join("a.py"), "x = (\n").unwrap();
    assert_eq!(check(dir.path(), &[]).status.code(), Some(0), "workspace file says never fail");
    assert_eq!(check(dir.path(), &["--fail-on", "error"]).status.code(), Some(1), "the flag wins");
    let out = aura()
        .arg("config")
        .current_dir(dir.path())
        .env("XDG_CONFIG_HOME", "/nonexistent-aura-test-config")
        .env("AURA_DIAGNOSTICS_DEBOUNCE_MS", "75")
        .output()
        .unwrap();
    // Keys are padded to the longest one; compare with single spaces.
    let text = stdout(&out).split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    assert!(text.contains("check.fail_on = \"never\""), "{text}");
    assert!(text.contains("workspace file"), "{text}");
    assert!(text.contains("diagnostics.debounce_ms = 75"), "{text}");
    assert!(text.contains("environment variable AURA_DIAGNOSTICS_DEBOUNCE_MS"), "{text}");
    let schema = aura().args(["config", "--schema"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&schema.stdout).unwrap();
    assert!(schema["properties"]["diagnostics"].is_object());
}

#[test]
fn duplicates_across_files_are_reported_with_the_other_copy() {
    let dir = tempfile::tempdir().unwrap();
    let body = "def load_users(path, limit):\n    with open(path) as f:\n        rows = [line.split(',') for line in f if line.strip()]\n    users = [User(r[0], r[1], int(r[2])) for r in rows if len(r) == 3]\n    return users[:limit]\n";
    std::fs::write(dir.path().join("a.py"), body).unwrap();
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/b.py"), format!("import os\n\n{body}")).unwrap();
    let renamed =
        body.replace("load_users", "load_admins").replace("limit", "count").replace("rows", "lines");
    // Suppressed in c.py, which comes before pkg/b.py: a pair is reported
    // once, on its later copy, so pkg/b.py points at a.py and at c.py.
    std::fs::write(dir.path().join("c.py"), format!("# aura: ignore[AUR4]\n{renamed}")).unwrap();
    // A test file repeats code on purpose: neither reported nor a copy's source.
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    std::fs::write(dir.path().join("tests/test_users.py"), body).unwrap();
    // AUR402 is off by default; these copies are under the default 100 tokens.
    std::fs::create_dir(dir.path().join(".aura")).unwrap();
    std::fs::write(
        dir.path().join(".aura/config.toml"),
        "[rules]\nextend_select = [\"AUR402\"]\n[rules.thresholds]\nduplicate_tokens = 50\nduplicate_lines = 5\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "json", "."]);
    let json: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let files = json["files"].as_array().unwrap();
    let report: Vec<(String, String, String)> = files
        .iter()
        .flat_map(|f| {
            f["diagnostics"].as_array().unwrap().iter().map(move |d| {
                let related = &d["related"][0];
                (
                    f["path"].as_str().unwrap().to_string(),
                    d["code"].as_str().unwrap().to_string(),
                    format!(
                        "{}:{}-{}",
                        related["path"].as_str().unwrap(),
                        related["start_line"],
                        related["end_line"]
                    ),
                )
            })
        })
        .collect();
    let expect = |p: &str, c: &str, r: &str| (p.to_string(), c.to_string(), r.to_string());
    assert_eq!(
        report,
        vec![expect("pkg/b.py", "AUR401", "a.py:1-5"), expect("pkg/b.py", "AUR402", "c.py:2-6"),],
        "{json:#}"
    );
    // Thresholds come from the config: at 200 tokens these copies are too short.
    std::fs::write(
        dir.path().join(".aura/config.toml"),
        "[rules]\nextend_select = [\"AUR402\"]\n[rules.thresholds]\nduplicate_tokens = 200\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "json", "."]);
    let json: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["summary"]["findings"], 0, "{json:#}");
}

#[test]
fn embed_prints_one_unit_vector_per_id_and_rejects_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"add\", \"text\": \"def add(a, b): return a + b\"}\n\n{\"id\": 7, \"text\": \"SELECT 1\"}\n",
    )
    .unwrap();
    let out = aura().args(["embed", "--input"]).arg(&input).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let vectors: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(vectors.keys().collect::<Vec<_>>(), ["add", "7"]);
    for v in vectors.values() {
        let v: Vec<f64> = v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        assert_eq!(v.len(), 384);
        assert!((v.iter().map(|x| x * x).sum::<f64>().sqrt() - 1.0).abs() < 1e-4);
    }
    std::fs::write(&input, "{\"id\": \"x\"}\n").unwrap();
    let bad = aura().args(["embed", "--input"]).arg(&input).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("line 1: expected {\"id\", \"text\"}"));
}

#[test]
fn tda_prints_ripsers_json_shape_and_rejects_bad_points() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("square.csv");
    std::fs::write(&points, "x,y\n0,0\n1,0\n1,1\n0,1\n").unwrap();
    let out = aura().args(["tda", "--points"]).arg(&points).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["h0"], serde_json::json!([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.0, null]]));
    assert_eq!(json["h1"], serde_json::json!([[1.0, std::f32::consts::SQRT_2]]));

    let h0 = aura()
        .args(["tda", "--maxdim", "0", "--metric", "cosine", "--points"])
        .arg(&points)
        .output()
        .unwrap();
    assert_eq!(h0.status.code(), Some(2), "the zero vector has no cosine distance");
    assert!(String::from_utf8_lossy(&h0.stderr).contains("zero vector"));

    std::fs::write(&points, "1,2\n3\n").unwrap();
    let bad = aura().args(["tda", "--points"]).arg(&points).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("line 2: 1 values; earlier lines have 2"));
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::Read;
    let mut child = aura()
        .args(["tiers", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Each AUR501 finding as (file, line, message, related files).
fn import_cycles(out: &Output) -> Vec<(String, u64, String, Vec<String>)> {
    let json: Value = serde_json::from_str(&stdout(out)).expect("valid JSON");
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "AUR501").map(move |d| {
                let related = d["related"].as_array().unwrap();
                (
                    path.clone(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                    related.iter().map(|r| r["path"].as_str().unwrap().to_string()).collect(),
                )
            })
        })
        .collect()
}

#[test]
fn check_reports_import_cycles_across_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    write("pkg/__init__.py", "");
    write(
        "pkg/a.py",
        "import os
from pkg import b
",
    );
    write(
        "pkg/b.py",
        "from . import c
",
    );
    write(
        "pkg/c.py",
        "import pkg.a
",
    );
    // An import inside a function does not run at load time: no cycle.
    write(
        "pkg/d.py",
        "import pkg.a

def late():
    import pkg.d
",
    );
    write(
        "main.py",
        "import pkg.a
",
    );
    let out = check(dir.path(), &["--format", "json", "."]);
    let cycle = "import cycle: pkg/a.py → pkg/b.py → pkg/c.py → pkg/a.py";
    let want = |file: &str, line: u64, message: &str, related: &[&str]| {
        (
            file.to_string(),
            line,
            message.to_string(),
            related.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        )
    };
    // One finding for the cycle, in its first file, the other imports related.
    assert_eq!(
        import_cycles(&out),
        vec![want("pkg/a.py", 2, cycle, &["pkg/b.py", "pkg/c.py"])],
        "{}",
        stdout(&out)
    );
    // From elsewhere, `aura check DIR` resolves modules from DIR.
    let outside = check(dir.path().parent().unwrap(), &["--format", "json", &dir.path().to_string_lossy()]);
    assert_eq!(import_cycles(&outside).len(), 1, "{}", stdout(&outside));
    // A suppression comment on the reported import and `ignore` both silence it.
    write(
        "pkg/a.py",
        "import os
from pkg import b  # aura: ignore[AUR501]
",
    );
    assert!(import_cycles(&check(dir.path(), &["--format", "json", "."])).is_empty());
    std::fs::create_dir(dir.path().join(".aura")).unwrap();
    write(".aura/config.toml", "[rules]\nignore = [\"AUR501\"]\n");
    let ignored = check(dir.path(), &["--format", "json", "."]);
    assert!(import_cycles(&ignored).is_empty(), "{}", stdout(&ignored));
}

/// A small tree with a near-copy pair, an unrelated function and an import
/// cycle, analysed with the real embedding model.
fn shape_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "orders.py",
        "from customers import Customer\n\n\
         def load_orders(path):\n    with open(path) as f:\n        rows = json.load(f)\n    return [Order(**r) for r in rows if r.get(\"active\")]\n\n\
         def render_invoice_pdf(invoice, canvas):\n    canvas.set_font(\"Helvetica\", 12)\n    for i, line in enumerate(invoice.lines):\n        canvas.draw_text(40, 700 - 14 * i, f\"{line.sku} {line.total:.2f}\")\n    canvas.save()\n",
    );
    write(
        "customers.py",
        "from orders import Order\n\n\
         def load_orders(path):\n    with open(path, encoding=\"utf-8\") as f:\n        rows = json.load(f)\n    return [Order(**r) for r in rows if r.get(\"active\")]\n",
    );
    dir
}

#[test]
fn shape_finds_the_near_copy_and_the_import_cycle() {
    let dir = shape_fixture();
    let out = aura().args(["shape", ".", "--format", "json"]).current_dir(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["functions"], 3, "{report:#}");
    let clusters = report["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{report:#}");
    let names: Vec<&str> =
        clusters[0]["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["load_orders", "load_orders"]);
    assert_eq!(clusters[0]["members"][0]["file"], "customers.py");
    assert!(clusters[0]["similarity"].as_f64().unwrap() >= 0.95);
    assert_eq!(report["cycles"], serde_json::json!([["customers.py", "orders.py"]]));
    assert_eq!(report["h0"].as_array().unwrap().len(), 2);
    assert!(dir.path().join(".aura/cache/embeddings.bin").is_file(), "the cache is written");

    let svg = aura().args(["shape", "--format", "svg"]).current_dir(dir.path()).output().unwrap();
    let svg = String::from_utf8(svg.stdout).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("H0 barcode"), "{svg}");

    let similar = aura()
        .args(["similar", "--file", "orders.py", "--line", "4", "--top", "2", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(similar.status.success(), "{}", String::from_utf8_lossy(&similar.stderr));
    let similar: Value = serde_json::from_slice(&similar.stdout).unwrap();
    assert_eq!(similar["function"]["name"], "load_orders");
    assert_eq!(similar["similar"][0]["file"], "customers.py");
    assert_eq!(similar["similar"][1]["name"], "render_invoice_pdf");
    assert!(similar["similar"][0]["similarity"].as_f64() > similar["similar"][1]["similarity"].as_f64());

    let nowhere = aura()
        .args(["similar", "--file", "orders.py", "--line", "1"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nowhere.stderr)
        .contains("no function of three lines or more at orders.py:1"));
}

#[test]
fn shape_reports_the_near_copy_a_fix_commit_left_behind() {
    let mut git = aura_git::testing::Script::new();
    // Inside the default history window (git.window_days).
    git.clock =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 86_400;
    let loader = "def load_orders(path):\n    with open(path) as f:\n        rows = json.load(f)\n    return [Order(**r) for r in rows if r.get(\"active\")]\n";
    git.write("orders.py", &format!("import json\n\n{loader}"));
    git.write("archive.py", &format!("import json\n\n\n{loader}"));
    git.commit("add the loaders");
    git.write(
        "orders.py",
        &format!("import json\n\n{}", loader.replace("json.load(f)", "json.load(f) or []")),
    );
    let fix = git.commit("fix: an empty file is no orders");
    let out = aura().args(["shape", "--format", "json"]).current_dir(git.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["clusters"].as_array().unwrap().len(), 1, "{report:#}");
    let divergent = report["divergent"].as_array().unwrap();
    assert_eq!(divergent.len(), 1, "{report:#}");
    assert_eq!(divergent[0]["stale"]["file"], "archive.py");
    assert_eq!(divergent[0]["stale"]["start_line"], 4);
    assert_eq!(divergent[0]["fixed"]["file"], "orders.py");
    assert!(fix.starts_with(divergent[0]["commit"].as_str().unwrap()));
    assert_eq!(divergent[0]["summary"], "fix: an empty file is no orders");

    let text = aura().args(["shape"]).current_dir(git.path()).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Near-copies a fix left behind\n  archive.py:4 load_orders  missed "), "{text}");
}

/// Hints (complexity and size) are counted in the text summary but listed
/// only with `--hints`; they never fail the check by default.
#[test]
fn text_output_lists_hints_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wide.py"), "def wide(a, b, c, d, e, f):\n    return a\n").unwrap();
    let quiet = check(dir.path(), &["--no-progress", "."]);
    assert_eq!(quiet.status.code(), Some(0));
    let text = stdout(&quiet);
    assert!(!text.contains("AUR105"), "{text}");
    assert!(
        text.contains("Found 1 finding (1 hint; hints not listed, --hints lists them) in 1 of 1 file."),
        "{text}"
    );
    let listed = stdout(&check(dir.path(), &["--no-progress", "--hints", "."]));
    assert!(listed.contains("wide.py:1:5: AUR105 `wide` takes 6 parameters (limit 5)"), "{listed}");
    assert!(listed.ends_with("Found 1 finding (1 hint) in 1 of 1 file.\n"), "{listed}");
}
