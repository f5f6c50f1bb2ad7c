//! Where configuration files live and how they are read.

use std::path::{Path, PathBuf};

use crate::{ConfigError, Layer, Origin};

/// `$XDG_CONFIG_HOME/aura/config.toml`, else `~/.config/aura/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("aura").join("config.toml"))
}

/// The nearest `.aura/config.toml` at or above `start`.
pub fn workspace_config_path(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(".aura").join("config.toml")).find(|candidate| candidate.is_file())
}

/// Read and validate one file; `Ok(None)` when it does not exist.
pub fn load_file(path: &Path, origin: Origin) -> Result<Option<Layer>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Layer::from_toml(&text, origin, path).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError {
            location: path.display().to_string(),
            line: None,
            column: None,
            message: format!("cannot read configuration: {e}"),
        }),
    }
}
