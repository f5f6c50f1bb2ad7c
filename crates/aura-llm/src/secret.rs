//! API keys: read from the environment variable the config names, never
//! printed by `Debug` or `Display`, never logged.

use std::fmt;

use crate::provider::LlmError;

/// A credential. Only [`ApiKey::reveal`] shows it, at the one place it goes
/// into a request header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key in environment variable `var`, or a configuration error naming
    /// the variable (not its value).
    pub fn from_env(var: &str) -> Result<ApiKey, LlmError> {
        match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => Ok(ApiKey(value.trim().to_string())),
            _ => Err(LlmError::Config(format!("environment variable {var} (the API key) is not set"))),
        }
    }

    /// A key given directly (tests, tools).
    pub fn new(value: impl Into<String>) -> ApiKey {
        ApiKey(value.into())
    }

    /// The secret itself.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("sk-live-very-secret");
        assert!(!format!("{key:?}").contains("very-secret"));
        assert_eq!(key.reveal(), "sk-live-very-secret");
    }

    #[test]
    fn a_missing_variable_is_named_in_the_error() {
        let err = ApiKey::from_env("AURA_TEST_SURELY_UNSET_KEY").unwrap_err();
        assert!(err.to_string().contains("AURA_TEST_SURELY_UNSET_KEY"));
    }
}
