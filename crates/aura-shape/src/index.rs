//! The semantic index: every indexed function with its embedding, by file,
//! and exact top-k cosine search.
//!
//! Embedding is separated from the index so that a caller can run it
//! elsewhere (the server's background worker takes a batch with
//! [`SemanticIndex::pending`], embeds it without holding any lock, and hands
//! the vectors back with [`SemanticIndex::fill`]). Vectors are unit length,
//! so cosine similarity is a dot product; search is a linear scan
//! (10,000 functions × 384 floats is about a millisecond).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::cache::EmbeddingCache;
use crate::chunks::{Chunk, ContentHash};

#[derive(Clone)]
pub struct Entry {
    pub chunk: Chunk,
    /// `None` until embedded.
    pub vector: Option<Arc<[f32]>>,
}

/// A function found similar to another.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub file: String,
    pub name: String,
    pub start_line: u32,
    pub end_line: u32,
    pub similarity: f32,
}

#[derive(Default)]
pub struct SemanticIndex {
    files: BTreeMap<String, Vec<Entry>>,
    cache: EmbeddingCache,
}

impl SemanticIndex {
    pub fn new(cache: EmbeddingCache) -> Self {
        SemanticIndex { files: BTreeMap::new(), cache }
    }

    /// Replaces what is known of `file` with `chunks`; vectors for texts
    /// seen before (in the cache) are reused at once.
    pub fn set_file(&mut self, file: &str, chunks: Vec<Chunk>) {
        let entries = chunks
            .into_iter()
            .map(|chunk| {
                let vector = self.cache.get(&chunk.hash).map(Arc::from);
                Entry { chunk, vector }
            })
            .collect();
        self.files.insert(file.to_owned(), entries);
    }

    /// The files and vectors without the cache, for analysis off the lock.
    pub fn snapshot(&self) -> SemanticIndex {
        SemanticIndex { files: self.files.clone(), cache: EmbeddingCache::in_memory() }
    }

    pub fn remove_file(&mut self, file: &str) -> bool {
        self.files.remove(file).is_some()
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &[Entry])> {
        self.files.iter().map(|(f, e)| (f.as_str(), e.as_slice()))
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.files.values().flatten()
    }

    /// (functions, of which embedded).
    pub fn counts(&self) -> (usize, usize) {
        let total = self.entries().count();
        (total, self.entries().filter(|e| e.vector.is_some()).count())
    }

    /// Up to `max` distinct texts still to embed.
    pub fn pending(&self, max: usize) -> Vec<(ContentHash, String)> {
        let mut seen = HashSet::new();
        self.entries()
            .filter(|e| e.vector.is_none() && seen.insert(e.chunk.hash))
            .take(max)
            .map(|e| (e.chunk.hash, e.chunk.text.clone()))
            .collect()
    }

    /// Stores vectors computed for [`pending`](Self::pending) texts (in the
    /// entries that still have those texts, and in the cache).
    pub fn fill(&mut self, vectors: Vec<(ContentHash, Vec<f32>)>) {
        for (hash, vector) in vectors {
            let shared: Arc<[f32]> = Arc::from(vector.as_slice());
            for entry in self.files.values_mut().flatten() {
                if entry.chunk.hash == hash {
                    entry.vector = Some(shared.clone());
                }
            }
            self.cache.insert(hash, vector);
        }
    }

    /// Embeds everything pending, `batch` texts at a time; `progress(done,
    /// total)` after each batch may return false to stop early.
    pub fn embed_pending(
        &mut self,
        embedder: &aura_embed::Embedder,
        batch: usize,
        mut progress: impl FnMut(usize, usize) -> bool,
    ) -> Result<(), aura_embed::EmbedError> {
        let total = self.pending(usize::MAX).len();
        let mut done = 0;
        loop {
            let work = self.pending(batch.max(1));
            if work.is_empty() {
                return Ok(());
            }
            let texts: Vec<&str> = work.iter().map(|(_, t)| t.as_str()).collect();
            let vectors = embedder.embed(&texts)?;
            done += work.len();
            self.fill(work.into_iter().map(|(h, _)| h).zip(vectors).collect());
            if !progress(done, total) {
                return Ok(());
            }
        }
    }

    /// Persists the cache, first dropping vectors no indexed text uses.
    pub fn save_cache(&mut self) -> std::io::Result<()> {
        let live: HashSet<ContentHash> = self.entries().map(|e| e.chunk.hash).collect();
        self.cache.retain(|h| live.contains(h));
        self.cache.save()
    }

    /// The innermost indexed function of `file` containing 1-based `line`.
    pub fn function_at(&self, file: &str, line: u32) -> Option<&Entry> {
        self.files
            .get(file)?
            .iter()
            .filter(|e| e.chunk.start_line <= line && line <= e.chunk.end_line)
            .min_by_key(|e| e.chunk.end_line - e.chunk.start_line)
    }

    /// The `k` functions most similar to `query` (a unit vector), best
    /// first, leaving out the function at `skip` (file, start line).
    pub fn top_k(&self, query: &[f32], k: usize, skip: Option<(&str, u32)>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self
            .files
            .iter()
            .flat_map(|(file, entries)| entries.iter().map(move |e| (file, e)))
            .filter(|(file, e)| skip != Some((file.as_str(), e.chunk.start_line)))
            .filter_map(|(file, e)| {
                let v = e.vector.as_ref()?;
                Some(Hit {
                    file: file.clone(),
                    name: e.chunk.name.clone(),
                    start_line: e.chunk.start_line,
                    end_line: e.chunk.end_line,
                    similarity: dot(query, v),
                })
            })
            .collect();
        hits.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then_with(|| a.file.cmp(&b.file)));
        hits.truncate(k);
        hits
    }

    /// The `k` functions most similar to the one at `file:line`; `None`
    /// when no embedded function is there.
    pub fn similar(&self, file: &str, line: u32, k: usize) -> Option<(Hit, Vec<Hit>)> {
        let entry = self.function_at(file, line)?;
        let vector = entry.vector.as_ref()?;
        let me = Hit {
            file: file.to_owned(),
            name: entry.chunk.name.clone(),
            start_line: entry.chunk.start_line,
            end_line: entry.chunk.end_line,
            similarity: 1.0,
        };
        Some((me, self.top_k(vector, k, Some((file, entry.chunk.start_line)))))
    }
}

/// Dot product in eight lanes, which the compiler turns into SIMD.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}
