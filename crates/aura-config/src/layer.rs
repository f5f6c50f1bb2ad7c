//! Configuration layers (defaults, files, environment, client, CLI) and how
//! they are validated and merged, remembering where every value came from.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::{Table, Value};

use crate::{Config, ConfigError};

/// Where a configuration value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Aura's built-in default.
    Default,
    /// The user file (`~/.config/aura/config.toml`).
    UserFile(PathBuf),
    /// The workspace file (`.aura/config.toml`).
    WorkspaceFile(PathBuf),
    /// An `AURA_*` environment variable.
    Env(String),
    /// The editor: `initializationOptions` or `workspace/configuration`.
    Client,
    /// A command-line flag.
    Cli(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::UserFile(p) => write!(f, "user file {}", p.display()),
            Origin::WorkspaceFile(p) => write!(f, "workspace file {}", p.display()),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::Client => f.write_str("editor settings"),
            Origin::Cli(flag) => write!(f, "command-line flag {flag}"),
        }
    }
}

/// One validated layer of settings.
#[derive(Debug, Clone)]
pub struct Layer {
    origin: Origin,
    table: Table,
}

impl Layer {
    /// Parse and validate a TOML file's text. Errors carry the file, line and column.
    pub fn from_toml(text: &str, origin: Origin, path: &Path) -> Result<Layer, ConfigError> {
        let at = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map(|s| line_column(text, s.start)).unzip();
            ConfigError { location: path.display().to_string(), line, column, message }
        };
        let table: Table = toml::from_str(text).map_err(|e| at(e.span(), e.message().to_string()))?;
        toml::from_str::<Config>(text).map_err(|e| at(e.span(), explain(e.message())))?;
        Ok(Layer { origin, table })
    }

    /// A layer from JSON settings sent by an editor. `null` values are ignored.
    pub fn from_json(value: &serde_json::Value, origin: Origin) -> Result<Layer, ConfigError> {
        let err =
            |message: String| ConfigError { location: origin.to_string(), line: None, column: None, message };
        let cleaned = strip_nulls(value.clone());
        if cleaned.is_null() {
            return Ok(Layer { origin, table: Table::new() });
        }
        let table: Table = Table::try_from(&cleaned).map_err(|e| err(e.to_string()))?;
        Config::deserialize(Value::Table(table.clone())).map_err(|e| err(explain(&e.to_string())))?;
        Ok(Layer { origin, table })
    }

    /// A layer from `AURA_*` variables, one per setting: `diagnostics.debounce_ms`
    /// is `AURA_DIAGNOSTICS_DEBOUNCE_MS`. Values are read as TOML (`80`, `true`,
    /// `["a"]`), falling back to a plain string.
    pub fn from_env(vars: impl IntoIterator<Item = (String, String)>) -> Result<Vec<Layer>, ConfigError> {
        let vars: BTreeMap<String, String> = vars.into_iter().collect();
        let mut layers = Vec::new();
        for key in setting_keys() {
            let var = env_var_name(&key);
            let Some(raw) = vars.get(&var) else { continue };
            let value = toml::from_str::<Table>(&format!("v = {raw}"))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .unwrap_or_else(|| Value::String(raw.clone()));
            layers.push(Layer::single(&key, value, Origin::Env(var.clone()), &var)?);
        }
        Ok(layers)
    }

    /// A single setting from a command-line flag, such as `check.fail_on`.
    pub fn from_flag(flag: &str, key: &str, value: Value) -> Result<Layer, ConfigError> {
        Layer::single(key, value, Origin::Cli(flag.to_string()), flag)
    }

    /// A layer setting one dotted `key`, validated; errors name `location`.
    fn single(key: &str, value: Value, origin: Origin, location: &str) -> Result<Layer, ConfigError> {
        let mut table = Table::new();
        insert_path(&mut table, key, value);
        Config::deserialize(Value::Table(table.clone())).map_err(|e| ConfigError {
            location: location.to_string(),
            line: None,
            column: None,
            message: explain(&e.to_string()),
        })?;
        Ok(Layer { origin, table })
    }

    /// Where this layer came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// The merged configuration and the origin of every setting.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The effective configuration.
    pub config: Config,
    /// Dotted setting name → where its value came from.
    pub origins: BTreeMap<String, Origin>,
    /// Dotted setting name → effective value.
    pub values: BTreeMap<String, Value>,
}

/// Merge layers over the defaults, later layers winning per setting.
pub fn resolve(layers: &[Layer]) -> Result<Resolved, ConfigError> {
    let mut merged = defaults_table();
    let mut origins: BTreeMap<String, Origin> =
        setting_keys().into_iter().map(|k| (k, Origin::Default)).collect();
    for layer in layers {
        merge(&mut merged, &layer.table, "", &layer.origin, &mut origins);
    }
    let config = Config::deserialize(Value::Table(merged.clone())).map_err(|e| ConfigError {
        location: "merged configuration".to_string(),
        line: None,
        column: None,
        message: explain(&e.to_string()),
    })?;
    let mut values = BTreeMap::new();
    flatten(&merged, "", &mut values);
    Ok(Resolved { config, origins, values })
}

fn merge(
    into: &mut Table,
    from: &Table,
    prefix: &str,
    origin: &Origin,
    origins: &mut BTreeMap<String, Origin>,
) {
    for (key, value) in from {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match (into.get_mut(key), value) {
            (Some(Value::Table(inner)), Value::Table(sub)) => merge(inner, sub, &path, origin, origins),
            _ => {
                into.insert(key.clone(), value.clone());
                let mut leaves = BTreeMap::new();
                flatten_value(value, &path, &mut leaves);
                for leaf in leaves.into_keys() {
                    origins.insert(leaf, origin.clone());
                }
            }
        }
    }
}

fn defaults_table() -> Table {
    Table::try_from(Config::default()).unwrap_or_default()
}

/// Every setting's dotted name, from the defaults (tables are not settings).
pub fn setting_keys() -> Vec<String> {
    let mut values = BTreeMap::new();
    flatten(&defaults_table(), "", &mut values);
    values.into_keys().collect()
}

/// The environment variable that sets `key`.
pub fn env_var_name(key: &str) -> String {
    format!("AURA_{}", key.replace('.', "_").to_uppercase())
}

fn flatten(table: &Table, prefix: &str, out: &mut BTreeMap<String, Value>) {
    for (key, value) in table {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        flatten_value(value, &path, out);
    }
}

fn flatten_value(value: &Value, path: &str, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Table(t) => flatten(t, path, out),
        other => {
            out.insert(path.to_string(), other.clone());
        }
    }
}

fn insert_path(table: &mut Table, dotted: &str, value: Value) {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut current = table;
    for part in parts {
        let entry = current.entry(part.to_string()).or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = Value::Table(Table::new());
        }
        let Value::Table(t) = entry else { return };
        current = t;
    }
    current.insert(last.to_string(), value);
}

fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect(),
        ),
        other => other,
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" plus a suggestion.
fn explain(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else { return message.to_string() };
    let Some((field, tail)) = rest.split_once('`') else { return message.to_string() };
    let candidates: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(field, c), *c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, suggestion)) => format!("{message}; did you mean `{suggestion}`?"),
        None => message.to_string(),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}
