//! The CPU forward pass of a BERT encoder, written for embedding many texts of
//! different lengths: the tokens of a whole batch are packed into one matrix
//! with no padding. Every per-token step (embeddings, the four linear layers,
//! GELU, layer norms) runs once over the packed matrix, so its matrix
//! products are large and fill the AVX-512 kernels; only attention is per
//! text, and the texts are spread over the threads. Padding to the longest
//! text, as candle's `BertModel` and PyTorch do, costs up to half the work
//! on code, whose functions range from 5 to 256 tokens.
//!
//! The weights are read with candle's safetensors loader; the products are
//! computed by `gemm`, the kernels candle itself calls on CPU. The arithmetic
//! is f32 throughout and follows Hugging Face's `BertModel` (erf GELU, layer
//! norm over the hidden size with a biased variance), so the vectors stay
//! within about 1e-6 of sentence-transformers'.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{Device, Tensor};
use candle_transformers::models::bert::Config;
use gemm::Parallelism;
use rayon::prelude::*;

/// A linear layer, its weight stored transposed (`[input, output]`, row
/// major) so that a packed row of tokens multiplies it directly.
struct Linear {
    weight: Vec<f32>,
    bias: Vec<f32>,
    input: usize,
    output: usize,
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    /// Query, key and value side by side: one product instead of three.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    up: Linear,
    down: Linear,
    output_norm: Norm,
}

pub(crate) struct Encoder {
    hidden: usize,
    heads: usize,
    eps: f32,
    word: Vec<f32>,
    position: Vec<f32>,
    max_positions: usize,
    /// Token type 0's row: every text is a single segment.
    segment: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    pool: rayon::ThreadPool,
}

/// Named tensors of a safetensors file, with or without the `bert.` prefix
/// some exports carry.
struct Weights(HashMap<String, Tensor>);

impl Weights {
    fn get(&self, name: &str) -> Result<(Vec<f32>, Vec<usize>), String> {
        let tensor = self
            .0
            .get(name)
            .or_else(|| self.0.get(&format!("bert.{name}")))
            .ok_or_else(|| format!("model.safetensors lacks {name}"))?;
        let shape = tensor.dims().to_vec();
        let values = tensor
            .to_dtype(candle_core::DType::F32)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1::<f32>())
            .map_err(|e| format!("{name}: {e}"))?;
        Ok((values, shape))
    }

    fn vector(&self, name: &str, len: usize) -> Result<Vec<f32>, String> {
        let (values, shape) = self.get(name)?;
        if shape != [len] {
            return Err(format!("{name} has shape {shape:?}, expected [{len}]"));
        }
        Ok(values)
    }

    fn matrix(&self, name: &str, rows: usize, cols: usize) -> Result<Vec<f32>, String> {
        let (values, shape) = self.get(name)?;
        if shape != [rows, cols] {
            return Err(format!("{name} has shape {shape:?}, expected [{rows}, {cols}]"));
        }
        Ok(values)
    }

    fn norm(&self, prefix: &str, len: usize) -> Result<Norm, String> {
        Ok(Norm {
            weight: self.vector(&format!("{prefix}.weight"), len)?,
            bias: self.vector(&format!("{prefix}.bias"), len)?,
        })
    }

    /// PyTorch stores `[output, input]`; several layers with the same input
    /// are joined column-wise.
    fn linear(&self, prefixes: &[&str], input: usize, output: usize) -> Result<Linear, String> {
        let total = output * prefixes.len();
        let mut weight = vec![0.0; input * total];
        let mut bias = Vec::with_capacity(total);
        for (part, prefix) in prefixes.iter().enumerate() {
            let w = self.matrix(&format!("{prefix}.weight"), output, input)?;
            for o in 0..output {
                for i in 0..input {
                    weight[i * total + part * output + o] = w[o * input + i];
                }
            }
            bias.extend(self.vector(&format!("{prefix}.bias"), output)?);
        }
        Ok(Linear { weight, bias, input, output: total })
    }
}

impl Encoder {
    pub(crate) fn load(weights: &Path, config: &Config) -> Result<Encoder, String> {
        if config.hidden_size % config.num_attention_heads != 0 {
            return Err("hidden_size is not a multiple of num_attention_heads".into());
        }
        let weights =
            Weights(candle_core::safetensors::load(weights, &Device::Cpu).map_err(|e| e.to_string())?);
        let (hidden, inter) = (config.hidden_size, config.intermediate_size);
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for l in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{l}");
            layers.push(Layer {
                qkv: weights.linear(
                    &[
                        &format!("{p}.attention.self.query"),
                        &format!("{p}.attention.self.key"),
                        &format!("{p}.attention.self.value"),
                    ],
                    hidden,
                    hidden,
                )?,
                attention_out: weights.linear(&[&format!("{p}.attention.output.dense")], hidden, hidden)?,
                attention_norm: weights.norm(&format!("{p}.attention.output.LayerNorm"), hidden)?,
                up: weights.linear(&[&format!("{p}.intermediate.dense")], hidden, inter)?,
                down: weights.linear(&[&format!("{p}.output.dense")], inter, hidden)?,
                output_norm: weights.norm(&format!("{p}.output.LayerNorm"), hidden)?,
            });
        }
        let max_positions = config.max_position_embeddings;
        let segments =
            weights.matrix("embeddings.token_type_embeddings.weight", config.type_vocab_size, hidden)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("aura-embed-{i}"))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Encoder {
            hidden,
            heads: config.num_attention_heads,
            eps: config.layer_norm_eps as f32,
            word: weights.matrix("embeddings.word_embeddings.weight", config.vocab_size, hidden)?,
            position: weights.matrix("embeddings.position_embeddings.weight", max_positions, hidden)?,
            max_positions,
            segment: segments[..hidden].to_vec(),
            embedding_norm: weights.norm("embeddings.LayerNorm", hidden)?,
            layers,
            pool,
        })
    }

    pub(crate) fn vocab_size(&self) -> usize {
        self.word.len() / self.hidden
    }

    /// Mean-pooled, L2-normalised vectors, one per text. Every text must be
    /// non-empty, within the position table and made of known token ids.
    pub(crate) fn embed(&self, texts: &[&[u32]]) -> Vec<Vec<f32>> {
        self.pool.install(|| self.forward(texts))
    }

    fn forward(&self, texts: &[&[u32]]) -> Vec<Vec<f32>> {
        let h = self.hidden;
        let mut spans = Vec::with_capacity(texts.len());
        let mut rows = 0;
        for ids in texts {
            debug_assert!(!ids.is_empty() && ids.len() <= self.max_positions);
            spans.push(rows..rows + ids.len());
            rows += ids.len();
        }
        let mut x = vec![0.0f32; rows * h];
        for (ids, span) in texts.iter().zip(&spans) {
            for (pos, (&id, row)) in ids.iter().zip(x[span.start * h..span.end * h].chunks_mut(h)).enumerate()
            {
                let word = &self.word[id as usize * h..][..h];
                let position = &self.position[pos * h..][..h];
                for (((out, w), p), s) in row.iter_mut().zip(word).zip(position).zip(&self.segment) {
                    *out = w + p + s;
                }
            }
        }
        self.layer_norm(&mut x, &self.embedding_norm);

        let mut qkv = vec![0.0f32; rows * 3 * h];
        let mut context = vec![0.0f32; rows * h];
        let mut attended = vec![0.0f32; rows * h];
        let mut up = vec![0.0f32; rows * self.layers.first().map_or(0, |l| l.up.output)];
        for layer in &self.layers {
            linear(&x, &layer.qkv, None, &mut qkv);
            self.attention(&qkv, &spans, &mut context);
            linear(&context, &layer.attention_out, Some(&x), &mut attended);
            self.layer_norm(&mut attended, &layer.attention_norm);
            linear(&attended, &layer.up, None, &mut up);
            up.par_chunks_mut(4096).for_each(simd::gelu);
            linear(&up, &layer.down, Some(&attended), &mut x);
            self.layer_norm(&mut x, &layer.output_norm);
        }

        spans
            .iter()
            .map(|span| {
                let mut mean = vec![0.0f32; h];
                for row in x[span.start * h..span.end * h].chunks(h) {
                    mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
                }
                let count = span.len() as f32;
                mean.iter_mut().for_each(|m| *m /= count);
                // torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
                let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
                mean.iter_mut().for_each(|m| *m /= norm);
                mean
            })
            .collect()
    }

    /// Softmax(Q Kᵀ / √d) V per text and head, written into `context`. Texts
    /// own disjoint rows, so each runs on its own thread without locks.
    fn attention(&self, qkv: &[f32], spans: &[std::ops::Range<usize>], context: &mut [f32]) {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut parts = Vec::with_capacity(spans.len());
        let mut rest = context;
        for span in spans {
            let (part, tail) = rest.split_at_mut(span.len() * h);
            parts.push((span.clone(), part));
            rest = tail;
        }
        parts.into_par_iter().for_each(|(span, out)| {
            let n = span.len();
            let base = &qkv[span.start * 3 * h..span.end * 3 * h];
            let mut scores = vec![0.0f32; n * n];
            for head in 0..self.heads {
                let q = base[head * d..].as_ptr();
                let k = base[h + head * d..].as_ptr();
                let v = base[2 * h + head * d..].as_ptr();
                // SAFETY: every pointer, stride and extent stays inside the
                // slices above: `n` rows of `3h` (q, k, v) or `n` by `n`
                // (scores) or `n` rows of `h` (out), columns `head·d..+d`.
                unsafe {
                    gemm::gemm(
                        n,
                        n,
                        d,
                        scores.as_mut_ptr(),
                        1,
                        n as isize,
                        false,
                        q,
                        1,
                        3 * h as isize,
                        k,
                        3 * h as isize,
                        1,
                        0.0,
                        scale,
                        false,
                        false,
                        false,
                        Parallelism::None,
                    );
                }
                scores.chunks_mut(n).for_each(simd::softmax);
                // SAFETY: as above.
                unsafe {
                    gemm::gemm(
                        n,
                        d,
                        n,
                        out[head * d..].as_mut_ptr(),
                        1,
                        h as isize,
                        false,
                        scores.as_ptr(),
                        1,
                        n as isize,
                        v,
                        1,
                        3 * h as isize,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        Parallelism::None,
                    );
                }
            }
        });
    }

    fn layer_norm(&self, x: &mut [f32], norm: &Norm) {
        let eps = self.eps;
        x.par_chunks_mut(self.hidden * 16).for_each(|rows| {
            for row in rows.chunks_mut(self.hidden) {
                let n = row.len() as f32;
                let mean = row.iter().sum::<f32>() / n;
                let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
                let inv = 1.0 / (var + eps).sqrt();
                for ((v, w), b) in row.iter_mut().zip(&norm.weight).zip(&norm.bias) {
                    *v = (*v - mean) * inv * w + b;
                }
            }
        });
    }
}

/// `out = x · W + b (+ residual)`, all rows at once on the pool's threads.
fn linear(x: &[f32], layer: &Linear, residual: Option<&[f32]>, out: &mut [f32]) {
    let rows = x.len() / layer.input;
    let out = &mut out[..rows * layer.output];
    match residual {
        Some(residual) => {
            for (row, res) in out.chunks_mut(layer.output).zip(residual.chunks(layer.output)) {
                for ((o, r), b) in row.iter_mut().zip(res).zip(&layer.bias) {
                    *o = r + b;
                }
            }
        }
        None => {
            for row in out.chunks_mut(layer.output) {
                row.copy_from_slice(&layer.bias);
            }
        }
    }
    // SAFETY: `x` is `rows × input`, the weight `input × output` and `out`
    // `rows × output`, all row major and contiguous, as the strides say.
    unsafe {
        gemm::gemm(
            rows,
            layer.output,
            layer.input,
            out.as_mut_ptr(),
            1,
            layer.output as isize,
            true,
            x.as_ptr(),
            1,
            layer.input as isize,
            layer.weight.as_ptr(),
            1,
            layer.output as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            Parallelism::Rayon(rayon::current_num_threads()),
        );
    }
}

mod simd;
