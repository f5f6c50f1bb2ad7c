//! MiniLM similarity between a request and each program's description, as a
//! routing signal for [`aura_dispatch::Router::with_similarity`].
//!
//! Each program is represented by several anchors: "name: purpose" and each
//! of its catalog phrasings; a request's score for a program is its best
//! cosine over those anchors (the nearest typical request, not the centroid,
//! because a program's phrasings are deliberately varied).
//!
//! The server does not route with this signal: `aura eval routing
//! --embeddings` measured it as no better than the lexical router on the
//! development, terse and held-out sets (ARCHITECTURE.md has the figures).
//! It stays so that the evaluation can be repeated when the catalog or the
//! model changes.

use std::sync::Arc;

use aura_catalog::Catalog;
use aura_dispatch::{ProgramSimilarity, Request};
use aura_embed::{EmbedError, Embedder};

/// Per program, in catalog order, the unit vectors of its anchors.
pub struct ProgramEmbeddings {
    embedder: Arc<Embedder>,
    anchors: Vec<Vec<Vec<f32>>>,
}

impl ProgramEmbeddings {
    /// Embed every program's anchors (a few hundred short texts: seconds on
    /// two cores).
    pub fn build(embedder: Arc<Embedder>, catalog: &Catalog) -> Result<ProgramEmbeddings, EmbedError> {
        let texts: Vec<Vec<String>> = catalog
            .programs
            .iter()
            .map(|p| {
                std::iter::once(format!("{}: {}", p.name, p.purpose))
                    .chain(p.phrasings.iter().cloned())
                    .collect()
            })
            .collect();
        let flat: Vec<&str> = texts.iter().flatten().map(String::as_str).collect();
        let mut vectors = embedder.embed(&flat)?.into_iter();
        let anchors = texts.iter().map(|t| vectors.by_ref().take(t.len()).collect()).collect();
        Ok(ProgramEmbeddings { embedder, anchors })
    }

    /// One score per program (catalog order) for an already embedded request.
    pub fn scores(&self, request: &[f32]) -> Vec<f32> {
        self.anchors
            .iter()
            .map(|vs| vs.iter().map(|v| aura_embed::cosine(request, v)).fold(-1.0, f32::max))
            .collect()
    }

    /// Embed request texts in one batch.
    pub fn embed_requests(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embedder.embed(texts)
    }
}

impl ProgramSimilarity for ProgramEmbeddings {
    /// `None` when the text cannot be embedded: routing then goes on without
    /// this signal rather than failing.
    fn similarities(&self, request: &Request) -> Option<Vec<f32>> {
        let vector = self.embedder.embed(&[request.text.as_str()]).ok()?.pop()?;
        Some(self.scores(&vector))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_programs_match_plain_requests() {
        let Some(dir) = aura_embed::model_dir() else {
            panic!("the embedding model is missing: run scripts/fetch-embedding-model");
        };
        let embedder = Arc::new(Embedder::load(&dir).unwrap());
        let catalog = Catalog::builtin();
        let programs = ProgramEmbeddings::build(embedder, catalog).unwrap();
        assert_eq!(programs.anchors.len(), catalog.programs.len());
        let best = |text: &str| {
            let request = Request { text: text.into(), ..Request::default() };
            let scores = programs.similarities(&request).unwrap();
            let i = (0..scores.len()).max_by(|a, b| scores[*a].total_cmp(&scores[*b])).unwrap();
            catalog.programs[i].number
        };
        assert_eq!(best("Write unit tests for this function, with edge cases"), 19);
        assert_eq!(best("Write a Dockerfile and Kubernetes manifests for the service"), 17);
        assert_eq!(best("Set up streaming replication with a read replica for Postgres"), 52);
    }
}
