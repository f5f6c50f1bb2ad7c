//! The outbound audit log: one JSON line per request that leaves the process
//! for an HTTP provider — when, where, for which program, how many bytes,
//! what was redacted and the prompt's hash. Never a secret; the prompt only
//! when the user opts in. Append-only: Aura never rewrites or trims it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// One outbound request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// UTC, RFC 3339.
    pub time: String,
    /// The provider's configured name.
    pub provider: String,
    /// Where the request went.
    pub host: String,
    /// The model asked for.
    pub model: String,
    /// The program (or "ask") that made the request.
    pub program: String,
    /// Bytes of text sent.
    pub bytes: usize,
    /// Secrets replaced before sending.
    pub redactions: usize,
    /// Their kinds and counts.
    pub redaction_kinds: BTreeMap<String, usize>,
    /// sha256 of the prompt as sent (after redaction).
    pub prompt_sha256: String,
    /// The prompt as sent, only with `privacy.audit_prompts = true`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prompt: Option<String>,
    /// "ok", "cached" is never logged (nothing left), or the error.
    pub outcome: String,
}

/// An append-only JSON-lines file.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    lock: Mutex<()>,
}

impl AuditLog {
    /// A log at `path`; the file and its folder are created on the first entry.
    pub fn new(path: &Path) -> AuditLog {
        AuditLog { path: path.to_path_buf(), lock: Mutex::new(()) }
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one entry. Failures are logged, never raised: an unwritable log
    /// must not break the request (the request itself was already allowed).
    pub fn append(&self, entry: &AuditEntry) {
        let Ok(line) = serde_json::to_string(entry) else { return };
        let _guard = self.lock.lock();
        let result = (|| {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
            file.write_all(format!("{line}\n").as_bytes())
        })();
        if let Err(e) = result {
            tracing::warn!("cannot append to the audit log {}: {e}", self.path.display());
        }
    }

    /// Every entry (for tests and `aura doctor`); unreadable lines are skipped.
    pub fn read(&self) -> Vec<AuditEntry> {
        std::fs::read_to_string(&self.path)
            .map(|text| text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
            .unwrap_or_default()
    }
}

/// The current UTC time as RFC 3339 with seconds.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn entries_are_appended_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(&dir.path().join("sub/audit.jsonl"));
        let entry = AuditEntry {
            time: now_rfc3339(),
            provider: "p".into(),
            host: "h".into(),
            model: "m".into(),
            program: "ask".into(),
            bytes: 10,
            redactions: 0,
            redaction_kinds: BTreeMap::new(),
            prompt_sha256: "00".into(),
            prompt: None,
            outcome: "ok".into(),
        };
        log.append(&entry);
        log.append(&AuditEntry { bytes: 20, ..entry.clone() });
        let read = log.read();
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].bytes, 20);
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(!text.contains("\"prompt\":"), "the prompt is only logged on opt-in: {text}");
    }
}
