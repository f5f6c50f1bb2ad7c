//! The persistent response cache: one JSON file per answer under the
//! workspace cache folder, keyed by provider, model, the prompt's hash and
//! the sampling parameters; entries expire after a TTL and the oldest are
//! evicted past a size bound. Only greedy (temperature 0) answers are cached:
//! a sampled answer is meant to differ.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::provider::{GenRequest, Generation};

/// The cache folder and its limits.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    ttl: Duration,
    max_entries: usize,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    generation: Generation,
}

/// sha256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: &Path, ttl: Duration, max_entries: usize) -> Cache {
        Cache { dir: dir.to_path_buf(), ttl, max_entries: max_entries.max(1) }
    }

    /// The key for `request` sent to `provider`'s `model`.
    pub fn key(provider: &str, model: &str, request: &GenRequest) -> Option<String> {
        if request.temperature > 0.0 {
            return None;
        }
        let params = serde_json::to_string(request).ok()?;
        Some(sha256_hex(format!("{provider}\u{0}{model}\u{0}{params}").as_bytes()))
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// A fresh cached answer for `key`.
    pub fn get(&self, key: &str) -> Option<Generation> {
        let path = self.path(key);
        let age = std::fs::metadata(&path).ok()?.modified().ok()?.elapsed().unwrap_or_default();
        if age > self.ttl {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        let entry: Entry = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
        (entry.key == key).then_some(Generation { cached: true, ..entry.generation })
    }

    /// Store an answer, evicting the oldest entries past the bound. Errors are
    /// logged: a cache that cannot write is a slower cache, not a failure.
    pub fn put(&self, key: &str, generation: &Generation) {
        let entry = Entry { key: key.to_string(), generation: generation.clone() };
        let result = std::fs::create_dir_all(&self.dir).and_then(|()| {
            let tmp = self.dir.join(format!(".{key}.tmp"));
            std::fs::write(&tmp, serde_json::to_vec(&entry).unwrap_or_default())?;
            std::fs::rename(&tmp, self.path(key))
        });
        if let Err(e) = result {
            tracing::warn!("cannot write the response cache in {}: {e}", self.dir.display());
            return;
        }
        self.evict();
    }

    fn evict(&self) {
        let Ok(read) = std::fs::read_dir(&self.dir) else { return };
        let mut entries: Vec<(SystemTime, PathBuf)> = read
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        if entries.len() <= self.max_entries {
            return;
        }
        entries.sort();
        for (_, path) in &entries[..entries.len() - self.max_entries] {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Remove every entry.
    pub fn clear(&self) -> std::io::Result<()> {
        match std::fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::{Finish, Message};

    fn generation(text: &str) -> Generation {
        Generation {
            text: text.into(),
            finish: Finish::Stop,
            tokens: 1,
            provider: "p".into(),
            model: "m".into(),
            first_token: None,
            total: None,
            cached: false,
        }
    }

    #[test]
    fn hits_misses_and_parameters_in_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), Duration::from_secs(3600), 10);
        let request = GenRequest::chat(vec![Message::user("hi")], 16);
        let key = Cache::key("p", "m", &request).unwrap();
        assert!(cache.get(&key).is_none());
        cache.put(&key, &generation("hello"));
        let hit = cache.get(&key).unwrap();
        assert_eq!(hit.text, "hello");
        assert!(hit.cached);
        let longer = GenRequest { max_tokens: 32, ..request.clone() };
        assert_ne!(Cache::key("p", "m", &longer), Some(key.clone()));
        assert_ne!(Cache::key("q", "m", &request), Some(key));
        let sampled = GenRequest { temperature: 0.7, ..request };
        assert_eq!(Cache::key("p", "m", &sampled), None);
    }

    #[test]
    fn expired_entries_miss_and_the_bound_evicts_the_oldest() {
        let dir = tempfile::tempdir().unwrap();
        let expired = Cache::new(dir.path(), Duration::ZERO, 10);
        expired.put("k", &generation("old"));
        std::thread::sleep(Duration::from_millis(5));
        assert!(expired.get("k").is_none());

        let bounded = Cache::new(dir.path(), Duration::from_secs(3600), 2);
        for (i, key) in ["a", "b", "c"].iter().enumerate() {
            bounded.put(key, &generation(&i.to_string()));
            std::thread::sleep(Duration::from_millis(15));
        }
        assert!(bounded.get("a").is_none());
        assert!(bounded.get("b").is_some() && bounded.get("c").is_some());
    }
}
