//! The in-process provider: a quantized llama-family GGUF run with candle on
//! the CPU. The tokenizer is built from the GGUF's own `tokenizer.ggml.*`
//! metadata (or a `tokenizer.json` beside the file), so nothing is fetched
//! from a hub. Weights load once, lazily, under the model-load budget; the
//! token loop runs on a blocking thread and stops at the next token when the
//! request is cancelled — the caller gets its answer at once.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use candle_transformers::models::quantized_llama::{ModelWeights, MAX_SEQ_LEN};
use rayon::prelude::*;
use serde_json::json;
use tokenizers::Tokenizer;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::provider::{Budget, Finish, GenRequest, Generation, Input, LlmError, OnToken, Provider, Role};

/// Prompt tokens fed per forward pass, so a cancel is noticed during a long prefill.
const PREFILL_CHUNK: usize = 128;
/// Small models loop without it; applying it keeps greedy decoding repeatable.
const REPEAT_PENALTY: f32 = 1.1;
const REPEAT_WINDOW: usize = 64;

/// A GGUF model run in this process.
pub struct Local {
    name: String,
    path: PathBuf,
    model: String,
    state: Arc<Mutex<Option<Loaded>>>,
}

impl std::fmt::Debug for Local {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Local").field("name", &self.name).field("path", &self.path).finish()
    }
}

/// The lazily loaded model, shared by providers for the same file.
type Slot = Mutex<Option<Loaded>>;

struct Loaded {
    weights: ModelWeights,
    tokenizer: Tokenizer,
    chat: ChatFormat,
    eos: Vec<u32>,
    context: usize,
}

/// How messages become one prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChatFormat {
    /// `<|im_start|>role\n...<|im_end|>` (SmolLM2, Qwen, ...).
    ChatMl,
    /// Plain "Role: text" lines, for models without a known template.
    Plain,
}

impl Local {
    /// A provider for the GGUF at `path`; nothing is read until the first
    /// request. Providers for the same file share one copy of the weights, so
    /// rebuilding the chain on a config change does not reload them.
    pub fn new(name: &str, path: &Path) -> Local {
        static LOADED: OnceLock<Mutex<HashMap<PathBuf, Weak<Slot>>>> = OnceLock::new();
        let model = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let registry = LOADED.get_or_init(Mutex::default);
        let mut registry = registry.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        registry.retain(|_, state| state.strong_count() > 0);
        let state = match registry.get(path).and_then(Weak::upgrade) {
            Some(state) => state,
            None => {
                let state = Arc::new(Mutex::new(None));
                registry.insert(path.to_path_buf(), Arc::downgrade(&state));
                state
            }
        };
        Local { name: name.to_string(), path: path.to_path_buf(), model, state }
    }

    /// Load the weights now (the CLI and benchmarks time this apart).
    pub async fn load(&self, budget: &Budget) -> Result<Duration, LlmError> {
        let state = self.state.clone();
        let path = self.path.clone();
        let start = Instant::now();
        let task = tokio::task::spawn_blocking(move || {
            let mut guard = state.lock().map_err(|_| LlmError::Model("the model thread panicked".into()))?;
            if guard.is_none() {
                *guard = Some(Loaded::open(&path)?);
            }
            Ok::<_, LlmError>(())
        });
        match tokio::time::timeout(budget.model_load, task).await {
            Err(_) => {
                Err(LlmError::Timeout { stage: crate::provider::Stage::ModelLoad, after: budget.model_load })
            }
            Ok(Err(e)) => Err(LlmError::Model(format!("loading failed: {e}"))),
            Ok(Ok(result)) => result.map(|()| start.elapsed()),
        }
    }
}

impl Loaded {
    fn open(path: &Path) -> Result<Loaded, LlmError> {
        let model_err = |e: candle_core::Error| LlmError::Model(format!("{}: {e}", path.display()));
        let mut file = std::fs::File::open(path)
            .map_err(|e| LlmError::Config(format!("cannot open the model {}: {e}", path.display())))?;
        let content = gguf_file::Content::read(&mut file).map_err(model_err)?;
        let tokenizer = match tokenizer_beside(path) {
            Some(tokenizer) => tokenizer,
            None => tokenizer_from_gguf(&content.metadata)?,
        };
        let context = content
            .metadata
            .get("llama.context_length")
            .and_then(|v| v.to_u32().ok())
            .map_or(MAX_SEQ_LEN, |n| (n as usize).min(MAX_SEQ_LEN));
        let mut eos: Vec<u32> = content
            .metadata
            .get("tokenizer.ggml.eos_token_id")
            .and_then(|v| v.to_u32().ok())
            .into_iter()
            .collect();
        for end in ["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "</s>"] {
            eos.extend(tokenizer.token_to_id(end));
        }
        let chat = if tokenizer.token_to_id("<|im_start|>").is_some() {
            ChatFormat::ChatMl
        } else {
            ChatFormat::Plain
        };
        let weights = match requantized(&content, &mut file).map_err(model_err)? {
            Some((content, mut converted)) => ModelWeights::from_gguf(content, &mut converted, &Device::Cpu),
            None => ModelWeights::from_gguf(content, &mut file, &Device::Cpu),
        }
        .map_err(model_err)?;
        Ok(Loaded { weights, tokenizer, chat, eos, context })
    }

    fn prompt(&self, input: &Input) -> String {
        let messages = match input {
            Input::Complete(prompt) => return prompt.clone(),
            Input::Chat(messages) => messages,
        };
        let mut out = String::new();
        match self.chat {
            ChatFormat::ChatMl => {
                for m in messages {
                    out.push_str(&format!("<|im_start|>{}\n{}<|im_end|>\n", m.role.as_str(), m.content));
                }
                out.push_str("<|im_start|>assistant\n");
            }
            ChatFormat::Plain => {
                for m in messages {
                    let who = match m.role {
                        Role::System => "System",
                        Role::User => "User",
                        Role::Assistant => "Assistant",
                    };
                    out.push_str(&format!("{who}: {}\n\n", m.content));
                }
                out.push_str("Assistant:");
            }
        }
        out
    }

    /// The token loop. Sends text pieces through `tx`; stops when `stop` is set.
    fn run(
        &mut self,
        request: &GenRequest,
        stop: &AtomicBool,
        tx: &mpsc::UnboundedSender<String>,
    ) -> Result<(Finish, u32), LlmError> {
        let model_err = |e: candle_core::Error| LlmError::Model(e.to_string());
        let prompt = self.prompt(&request.input);
        let encoding =
            self.tokenizer.encode(prompt, false).map_err(|e| LlmError::Model(format!("tokenizer: {e}")))?;
        let prompt_ids = encoding.get_ids().to_vec();
        let max_new = request.max_tokens as usize;
        if prompt_ids.is_empty() {
            return Err(LlmError::Model("the prompt is empty".into()));
        }
        if prompt_ids.len() + max_new > self.context {
            return Err(LlmError::Model(format!(
                "the prompt has {} tokens; with {max_new} to generate that exceeds the model's context of {}",
                prompt_ids.len(),
                self.context
            )));
        }
        self.weights.clear_kv_cache();
        let sampling = if request.temperature <= 0.0 {
            Sampling::ArgMax
        } else {
            Sampling::TopP { p: 0.95, temperature: f64::from(request.temperature) }
        };
        let mut sampler = LogitsProcessor::from_sampling(request.seed, sampling);

        let mut logits = None;
        for (i, chunk) in prompt_ids.chunks(PREFILL_CHUNK).enumerate() {
            if stop.load(Ordering::Relaxed) {
                return Ok((Finish::Stop, 0));
            }
            let input = Tensor::new(chunk, &Device::Cpu).and_then(|t| t.unsqueeze(0)).map_err(model_err)?;
            logits = Some(self.weights.forward(&input, i * PREFILL_CHUNK).map_err(model_err)?);
        }
        let mut generated: Vec<u32> = Vec::new();
        let mut emitted = String::new();
        let mut all_ids = prompt_ids.clone();
        while let Some(step) = logits.take() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let step = step.squeeze(0).map_err(model_err)?;
            let window = &all_ids[all_ids.len().saturating_sub(REPEAT_WINDOW)..];
            let step = candle_transformers::utils::apply_repeat_penalty(&step, REPEAT_PENALTY, window)
                .map_err(model_err)?;
            let next = sampler.sample(&step).map_err(model_err)?;
            if self.eos.contains(&next) {
                return Ok((Finish::Stop, generated.len() as u32));
            }
            generated.push(next);
            all_ids.push(next);
            // Decoding the whole answer each step keeps multi-token characters whole.
            let text = self.tokenizer.decode(&generated, true).map_err(|e| LlmError::Model(e.to_string()))?;
            if !text.ends_with('\u{fffd}') && text.len() > emitted.len() && text.starts_with(&emitted) {
                let piece = text[emitted.len()..].to_string();
                emitted = text;
                if let Some(at) = request.stop.iter().filter_map(|s| emitted.find(s.as_str())).min() {
                    let keep = at.saturating_sub(emitted.len() - piece.len());
                    let _ = tx.send(piece[..keep.min(piece.len())].to_string());
                    return Ok((Finish::Stop, generated.len() as u32));
                }
                let _ = tx.send(piece);
            }
            if generated.len() >= max_new {
                return Ok((Finish::Length, generated.len() as u32));
            }
            let input = Tensor::new(&[next], &Device::Cpu).and_then(|t| t.unsqueeze(0)).map_err(model_err)?;
            logits = Some(self.weights.forward(&input, all_ids.len() - 1).map_err(model_err)?);
        }
        Ok((Finish::Stop, generated.len() as u32))
    }
}

/// Quantized types whose dot product candle 0.11 runs as scalar code on x86
/// (no AVX kernel): decoding SmolLM2's Q4_1 weights that way was 3× slower
/// per token and 6× slower to read a prompt than the same weights as Q8_0.
const SCALAR_ON_CPU: &[GgmlDType] = &[GgmlDType::Q4_1, GgmlDType::Q5_0, GgmlDType::Q5_1];

/// When the model has weights of a [`SCALAR_ON_CPU`] type: the same model
/// with those tensors requantized to Q8_0 (which represents 4- and 5-bit
/// values to within 1/254 of each block's largest), as an in-memory GGUF.
/// Costs about a second at load and 1.7× those tensors' memory.
fn requantized(
    content: &gguf_file::Content,
    file: &mut std::fs::File,
) -> candle_core::Result<Option<(gguf_file::Content, Cursor<Vec<u8>>)>> {
    if !content.tensor_infos.values().any(|t| SCALAR_ON_CPU.contains(&t.ggml_dtype)) {
        return Ok(None);
    }
    let mut read = Vec::with_capacity(content.tensor_infos.len());
    for name in content.tensor_infos.keys() {
        read.push((name.as_str(), content.tensor(file, name, &Device::Cpu)?));
    }
    // Tensor by tensor on all cores: this is most of the load time.
    let tensors = read
        .into_par_iter()
        .map(|(name, tensor)| {
            if SCALAR_ON_CPU.contains(&tensor.dtype()) {
                Ok((name, QTensor::quantize(&tensor.dequantize(&Device::Cpu)?, GgmlDType::Q8_0)?))
            } else {
                Ok((name, tensor))
            }
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    let metadata: Vec<(&str, &gguf_file::Value)> =
        content.metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(k, v)| (*k, v)).collect();
    let mut converted = Cursor::new(Vec::new());
    gguf_file::write(&mut converted, &metadata, &refs)?;
    converted.set_position(0);
    let content = gguf_file::Content::read(&mut converted)?;
    Ok(Some((content, converted)))
}

fn tokenizer_beside(path: &Path) -> Option<Tokenizer> {
    let candidate = path.with_file_name("tokenizer.json");
    candidate.is_file().then(|| Tokenizer::from_file(&candidate).ok()).flatten()
}

/// A Hugging Face tokenizer equivalent to the GGUF's byte-level BPE
/// (`tokenizer.ggml.model = "gpt2"`): vocabulary, merges, and control tokens
/// as special added tokens. The pre-tokenizer follows llama.cpp's choice per
/// `tokenizer.ggml.pre` (SmolLM splits digits one by one).
fn tokenizer_from_gguf(metadata: &HashMap<String, gguf_file::Value>) -> Result<Tokenizer, LlmError> {
    let get = |key: &str| metadata.get(key).ok_or_else(|| LlmError::Model(format!("the GGUF has no {key}")));
    let kind = get("tokenizer.ggml.model")?.to_string().map_err(|e| LlmError::Model(e.to_string()))?;
    if kind != "gpt2" {
        return Err(LlmError::Model(format!(
            "tokenizer type \"{kind}\" is not built from GGUF metadata; put its tokenizer.json beside the model"
        )));
    }
    let strings = |key: &str| -> Result<Vec<String>, LlmError> {
        let values = get(key)?.to_vec().map_err(|e| LlmError::Model(e.to_string()))?;
        values.iter().map(|v| v.to_string().cloned().map_err(|e| LlmError::Model(e.to_string()))).collect()
    };
    let tokens = strings("tokenizer.ggml.tokens")?;
    let merges = strings("tokenizer.ggml.merges")?;
    let types: Vec<i32> = match metadata.get("tokenizer.ggml.token_type") {
        Some(v) => v
            .to_vec()
            .map_err(|e| LlmError::Model(e.to_string()))?
            .iter()
            .map(|t| t.to_i32().unwrap_or(1))
            .collect(),
        None => Vec::new(),
    };
    let pre =
        metadata.get("tokenizer.ggml.pre").and_then(|v| v.to_string().ok()).cloned().unwrap_or_default();

    let vocab: serde_json::Map<String, serde_json::Value> =
        tokens.iter().enumerate().map(|(id, token)| (token.clone(), json!(id))).collect();
    // Token types 3 (control) and 4 (user-defined) are whole tokens the BPE must not split.
    let added: Vec<serde_json::Value> = tokens
        .iter()
        .enumerate()
        .filter(|(id, _)| matches!(types.get(*id), Some(3 | 4)))
        .map(|(id, token)| {
            json!({"id": id, "content": token, "single_word": false, "lstrip": false,
                   "rstrip": false, "normalized": false, "special": true})
        })
        .collect();
    let byte_level =
        json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true});
    let pre_tokenizer = if pre == "smollm" || pre == "starcoder" || pre == "refact" {
        json!({"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, byte_level]})
    } else {
        byte_level.clone()
    };
    let spec = json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": null,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": null,
        "decoder": byte_level,
        "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                  "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
                  "ignore_merges": false, "vocab": vocab, "merges": merges},
    });
    spec.to_string()
        .parse::<Tokenizer>()
        .map_err(|e| LlmError::Model(format!("building the tokenizer from GGUF metadata: {e}")))
}

#[async_trait]
impl Provider for Local {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn kind(&self) -> &'static str {
        "local"
    }

    fn host(&self) -> String {
        "in-process".to_string()
    }

    fn is_remote(&self) -> bool {
        false
    }

    async fn generate(
        &self,
        request: &GenRequest,
        on_token: OnToken<'_>,
        cancel: &CancellationToken,
        budget: &Budget,
    ) -> Result<Generation, LlmError> {
        tokio::select! {
            _ = cancel.cancelled() => return Err(LlmError::Cancelled),
            loaded = self.load(budget) => { loaded?; }
        }
        // Loading has its own budget; the first-token clock starts after it.
        let start = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        let task = {
            let state = self.state.clone();
            let stop = stop.clone();
            let request = request.clone();
            tokio::task::spawn_blocking(move || {
                let mut guard =
                    state.lock().map_err(|_| LlmError::Model("the model thread panicked".into()))?;
                let loaded =
                    guard.as_mut().ok_or_else(|| LlmError::Model("the model is not loaded".into()))?;
                loaded.run(&request, &stop, &tx)
            })
        };
        // Stops the token loop however this future ends (answer, timeout, cancel, drop).
        struct StopOnDrop(Arc<AtomicBool>);
        impl Drop for StopOnDrop {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _guard = StopOnDrop(stop);

        let mut collector = crate::http::Collector::new(on_token, start);
        let task = std::pin::pin!(task);
        loop {
            let limit =
                if collector.has_token() { budget.total } else { budget.first_token.min(budget.total) };
            let stage = if collector.has_token() {
                crate::provider::Stage::Total
            } else {
                crate::provider::Stage::FirstToken
            };
            let deadline = tokio::time::Instant::from_std(start + limit);
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(LlmError::Cancelled),
                piece = rx.recv() => match piece {
                    Some(piece) => collector.piece(&piece),
                    None => {
                        let (finish, tokens) = task.await.map_err(|e| LlmError::Model(e.to_string()))??;
                        collector.set_finish(finish);
                        collector.set_tokens(tokens);
                        return Ok(collector.finish(&self.name, &self.model));
                    }
                },
                _ = tokio::time::sleep_until(deadline) => return Err(LlmError::Timeout { stage, after: limit }),
            }
        }
    }

    async fn models(&self, _budget: &Budget) -> Result<Vec<String>, LlmError> {
        if self.path.is_file() {
            Ok(vec![self.model.clone()])
        } else {
            Err(LlmError::Config(format!("no model file at {}", self.path.display())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The requantized model predicts what the original does: same next
    /// token, logits within a small fraction of their spread.
    #[test]
    fn requantized_weights_keep_the_model_s_predictions() {
        let path = crate::default_model_path().expect("run scripts/fetch-model");
        let mut file = std::fs::File::open(&path).unwrap();
        let content = gguf_file::Content::read(&mut file).unwrap();
        let (converted, mut bytes) = requantized(&content, &mut file).unwrap().expect("SmolLM2 ships Q4_1");
        assert!(converted.tensor_infos.values().all(|t| !SCALAR_ON_CPU.contains(&t.ggml_dtype)));
        let mut original = ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap();
        let mut fast = ModelWeights::from_gguf(converted, &mut bytes, &Device::Cpu).unwrap();
        let prompt: Vec<u32> = vec![504, 3458, 282, 4649, 314, 216, 1112, 9485, 30, 6417, 282];
        let input = Tensor::new(&prompt[..], &Device::Cpu).unwrap().unsqueeze(0).unwrap();
        let a: Vec<f32> = original.forward(&input, 0).unwrap().flatten_all().unwrap().to_vec1().unwrap();
        let b: Vec<f32> = fast.forward(&input, 0).unwrap().flatten_all().unwrap().to_vec1().unwrap();
        let argmax = |v: &[f32]| (0..v.len()).max_by(|&i, &j| v[i].total_cmp(&v[j])).unwrap();
        assert_eq!(argmax(&a), argmax(&b));
        let spread = a.iter().cloned().fold(f32::MIN, f32::max) - a.iter().cloned().fold(f32::MAX, f32::min);
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
        assert!(worst < 0.05 * spread, "largest logit change {worst} against a spread of {spread}");
    }
}
