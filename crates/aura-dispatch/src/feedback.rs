//! Feedback (DESIGN §1 LEARN): accept, reject and undo signals on routed
//! programs, stored per workspace in a small JSON file, used to re-rank
//! programs in similar contexts (same conversation type and language).
//!
//! The store keeps the newest `MAX_ENTRIES` signals; `reset` deletes it.
//! A program's adjustment is (accepts − rejects − 2·undos) / (signals + 2),
//! scaled by `SCALE` and so bounded: a few signals nudge, they never override
//! strong evidence.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::route::FeedbackSignal;

const MAX_ENTRIES: usize = 1_000;
const SCALE: f32 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    Accept,
    Reject,
    Undo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    program: u16,
    signal: Signal,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Data {
    entries: Vec<Entry>,
}

/// The feedback file of one workspace.
#[derive(Debug)]
pub struct FeedbackStore {
    path: Option<PathBuf>,
    data: Mutex<Data>,
}

impl FeedbackStore {
    /// Where a workspace keeps its feedback.
    pub fn path_for(workspace: &Path) -> PathBuf {
        workspace.join(".aura").join("cache").join("feedback.json")
    }

    /// Open (or start) the store at `path`; a missing or unreadable file is an
    /// empty store, never an error that blocks routing.
    pub fn open(path: PathBuf) -> FeedbackStore {
        let data = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        FeedbackStore { path: Some(path), data: Mutex::new(data) }
    }

    /// A store that lives in memory only.
    pub fn in_memory() -> FeedbackStore {
        FeedbackStore { path: None, data: Mutex::new(Data::default()) }
    }

    pub fn record(&self, key: &str, program: u16, signal: Signal) -> std::io::Result<()> {
        let mut data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        data.entries.push(Entry { key: key.to_owned(), program, signal });
        let excess = data.entries.len().saturating_sub(MAX_ENTRIES);
        data.entries.drain(..excess);
        self.save(&data)
    }

    pub fn len(&self) -> usize {
        self.data.lock().unwrap_or_else(|e| e.into_inner()).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forget everything and delete the file.
    pub fn reset(&self) -> std::io::Result<()> {
        self.data.lock().unwrap_or_else(|e| e.into_inner()).entries.clear();
        match &self.path {
            Some(p) if p.exists() => std::fs::remove_file(p),
            _ => Ok(()),
        }
    }

    fn save(&self, data: &Data) -> std::io::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(data).map_err(std::io::Error::other)?)?;
        std::fs::rename(tmp, path)
    }
}

impl FeedbackSignal for FeedbackStore {
    fn adjustments(&self, context_key: &str) -> Vec<(u16, f32)> {
        let data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        let mut tally: std::collections::BTreeMap<u16, (f32, f32)> = Default::default();
        for e in data.entries.iter().filter(|e| e.key == context_key) {
            let t = tally.entry(e.program).or_default();
            t.0 += match e.signal {
                Signal::Accept => 1.0,
                Signal::Reject => -1.0,
                Signal::Undo => -2.0,
            };
            t.1 += 1.0;
        }
        tally.into_iter().map(|(p, (sum, n))| (p, SCALE * sum / (n + 2.0))).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{Request, Router};

    #[test]
    fn feedback_reranks_close_calls_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let path = FeedbackStore::path_for(dir.path());
        let request = Request {
            text: "make this better".into(),
            language: Some("python".into()),
            code: Some("def f(x):\n    return [i for i in x]".into()),
            ..Request::default()
        };
        let before = Router::new().route(&request);
        let second = before.programs[1].number;
        let store = FeedbackStore::open(path.clone());
        for _ in 0..6 {
            store.record(&before.context_key, second, Signal::Accept).unwrap();
            store.record(&before.context_key, before.programs[0].number, Signal::Reject).unwrap();
        }
        let reopened = Arc::new(FeedbackStore::open(path.clone()));
        assert_eq!(reopened.len(), 12);
        let after = Router::new().with_feedback(reopened.clone()).route(&request);
        assert_eq!(after.programs[0].number, second, "{:?}", after.programs);
        assert!(after.programs[0].reasons.iter().any(|r| r.why.contains("past choices")));
        reopened.reset().unwrap();
        assert!(!path.exists());
        assert!(reopened.is_empty());
    }

    #[test]
    fn store_is_bounded_and_adjustments_are_capped() {
        let store = FeedbackStore::in_memory();
        for _ in 0..(MAX_ENTRIES + 10) {
            store.record("k", 1, Signal::Undo).unwrap();
        }
        assert_eq!(store.len(), MAX_ENTRIES);
        let adj = store.adjustments("k");
        assert!(adj[0].1 >= -2.0 * SCALE && adj[0].1 < 0.0);
        assert!(store.adjustments("other").is_empty());
    }

    #[test]
    fn unreadable_file_is_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedback.json");
        std::fs::write(&path, "{broken").unwrap();
        assert!(FeedbackStore::open(path).is_empty());
    }
}
