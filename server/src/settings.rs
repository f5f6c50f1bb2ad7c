//! Builds the effective configuration from its layers (user file, workspace
//! file, environment, then whatever the caller adds) for the CLI and the server.

use std::path::Path;

use aura_config::{
    load_file, resolve, user_config_path, workspace_config_path, ConfigError, Layer, Origin, Resolved,
};

/// User file, workspace file (nearest `.aura/config.toml` at or above `root`), environment.
fn base_layers(root: &Path) -> Result<Vec<Layer>, ConfigError> {
    let mut layers = Vec::new();
    if let Some(path) = user_config_path() {
        layers.extend(load_file(&path, Origin::UserFile(path.clone()))?);
    }
    if let Some(path) = workspace_config_path(root) {
        layers.extend(load_file(&path, Origin::WorkspaceFile(path.clone()))?);
    }
    layers.extend(Layer::from_env(std::env::vars())?);
    Ok(layers)
}

/// Base layers plus the given higher layers, resolved.
pub fn resolve_with(root: &Path, higher: Vec<Layer>) -> Result<Resolved, ConfigError> {
    let mut layers = base_layers(root)?;
    layers.extend(higher);
    resolve(&layers)
}
