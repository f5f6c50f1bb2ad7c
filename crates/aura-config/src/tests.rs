use std::path::Path;

use super::*;

fn file(text: &str) -> Result<Layer, ConfigError> {
    Layer::from_toml(text, Origin::WorkspaceFile(".aura/config.toml".into()), Path::new(".aura/config.toml"))
}

#[test]
fn defaults_need_no_file() {
    let resolved = resolve(&[]).unwrap();
    assert_eq!(resolved.config, Config::default());
    assert_eq!(resolved.config.diagnostics.debounce_ms, 50);
    assert!(resolved.origins.values().all(|o| *o == Origin::Default));
}

#[test]
fn later_layers_win_per_setting() {
    let user = Layer::from_toml(
        "[diagnostics]\ndebounce_ms = 10\nenable = false\n",
        Origin::UserFile("u.toml".into()),
        Path::new("u.toml"),
    )
    .unwrap();
    let workspace = file("[diagnostics]\ndebounce_ms = 80\n").unwrap();
    let env = Layer::from_env([("AURA_CHECK_FAIL_ON".to_string(), "warning".to_string())]).unwrap();
    let client =
        Layer::from_json(&serde_json::json!({"files": {"max_size": 1000, "exclude": null}}), Origin::Client)
            .unwrap();
    let flag = Layer::from_flag("--fail-on", "check.fail_on", toml::Value::String("never".into())).unwrap();
    let mut layers = vec![user, workspace];
    layers.extend(env);
    layers.push(client);
    layers.push(flag);
    let r = resolve(&layers).unwrap();
    assert_eq!(r.config.diagnostics.debounce_ms, 80);
    assert!(!r.config.diagnostics.enable);
    assert_eq!(r.config.files.max_size, 1000);
    assert_eq!(r.config.check.fail_on, FailOn::Never);
    assert_eq!(r.origins["diagnostics.debounce_ms"], Origin::WorkspaceFile(".aura/config.toml".into()));
    assert_eq!(r.origins["diagnostics.enable"], Origin::UserFile("u.toml".into()));
    assert_eq!(r.origins["files.max_size"], Origin::Client);
    assert_eq!(r.origins["check.fail_on"], Origin::Cli("--fail-on".into()));
    assert_eq!(r.origins["check.format"], Origin::Default);
}

#[test]
fn unknown_key_reports_position_and_suggestion() {
    let err = file("[diagnostics]\ndebounce = 80\n").unwrap_err();
    assert_eq!((err.line, err.column), (Some(2), Some(1)), "{err}");
    assert!(err.message.contains("unknown field `debounce`"), "{err}");
    assert!(err.message.contains("did you mean `debounce_ms`?"), "{err}");
}

#[test]
fn unknown_section_reports_suggestion() {
    let err = file("\n\n[diagnostic]\nenable = true\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
    assert!(err.message.contains("did you mean `diagnostics`?"), "{err}");
}

#[test]
fn wrong_type_reports_position() {
    let err = file("[diagnostics]\ndebounce_ms = \"fast\"\n").unwrap_err();
    assert_eq!((err.line, err.column), (Some(2), Some(15)), "{err}");
    assert!(err.message.contains("invalid type"), "{err}");
    let err = file("[check]\nfail_on = \"sometimes\"\n").unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    assert!(err.message.contains("unknown variant `sometimes`"), "{err}");
}

#[test]
fn broken_toml_reports_position() {
    let err = file("[diagnostics\n").unwrap_err();
    assert_eq!(err.line, Some(1), "{err}");
    assert!(err.to_string().starts_with(".aura/config.toml:1:"), "{err}");
}

#[test]
fn env_values_are_typed_and_validated() {
    let layers = Layer::from_env([
        ("AURA_DIAGNOSTICS_DEBOUNCE_MS".to_string(), "120".to_string()),
        ("AURA_LOG".to_string(), "debug".to_string()),
    ])
    .unwrap();
    assert_eq!(layers.len(), 1, "AURA_LOG is not a setting");
    assert_eq!(resolve(&layers).unwrap().config.diagnostics.debounce_ms, 120);
    let err =
        Layer::from_env([("AURA_DIAGNOSTICS_DEBOUNCE_MS".to_string(), "soon".to_string())]).unwrap_err();
    assert_eq!(err.location, "AURA_DIAGNOSTICS_DEBOUNCE_MS");
}

#[test]
fn client_settings_report_unknown_keys() {
    let err = Layer::from_json(&serde_json::json!({"files": {"max_sise": 3}}), Origin::Client).unwrap_err();
    assert!(err.message.contains("did you mean `max_size`?"), "{err}");
}

#[test]
fn every_setting_has_an_env_var() {
    let keys = setting_keys();
    assert!(keys.contains(&"diagnostics.debounce_ms".to_string()));
    assert_eq!(env_var_name("files.max_size"), "AURA_FILES_MAX_SIZE");
}

#[test]
fn workspace_file_is_found_upwards() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aura")).unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(dir.path().join(".aura/config.toml"), "[diagnostics]\nenable = false\n").unwrap();
    let found = workspace_config_path(&dir.path().join("a/b")).unwrap();
    let layer = load_file(&found, Origin::WorkspaceFile(found.clone())).unwrap().unwrap();
    assert!(!resolve(&[layer]).unwrap().config.diagnostics.enable);
    assert!(load_file(&dir.path().join("missing.toml"), Origin::Default).unwrap().is_none());
}

#[test]
fn committed_schema_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.schema.json");
    let fresh = json_schema();
    if std::env::var_os("AURA_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "config.schema.json is stale: run AURA_UPDATE_SCHEMA=1 cargo test -p aura-config"
    );
}
