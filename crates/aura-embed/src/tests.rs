//! Parity with sentence-transformers on committed reference vectors, and the
//! batching and truncation that parity depends on. They need the model:
//! `scripts/fetch-embedding-model` (run by scripts/test).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::*;

fn embedder() -> &'static Embedder {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        Embedder::load_default().unwrap_or_else(|e| panic!("{e} (scripts/test fetches the model)"))
    })
}

#[derive(serde::Deserialize)]
struct Snippet {
    id: String,
    text: String,
}

#[derive(serde::Deserialize)]
struct Reference {
    max_seq_length: usize,
    vectors: BTreeMap<String, Vec<f32>>,
}

fn snippets() -> Vec<Snippet> {
    serde_json::from_str(include_str!("../tests/snippets.json")).unwrap()
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../tests/reference.json")).unwrap()
}

#[test]
fn vectors_match_sentence_transformers() {
    let (snippets, reference) = (snippets(), reference());
    assert_eq!(reference.max_seq_length, MAX_TOKENS);
    assert!(snippets.len() >= 20);
    let texts: Vec<&str> = snippets.iter().map(|s| s.text.as_str()).collect();
    let ours = embedder().embed(&texts).unwrap();
    let mut worst = (1.0f32, 0.0f32, "");
    for (snippet, vector) in snippets.iter().zip(&ours) {
        let expected = &reference.vectors[&snippet.id];
        assert_eq!(vector.len(), DIM);
        let cos = cosine(vector, expected);
        let delta = vector.iter().zip(expected).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(cos >= 0.99999 && delta <= 1e-5, "{}: cosine {cos}, max |Δ| {delta}", snippet.id);
        if delta > worst.1 {
            worst = (cos, delta, &snippet.id);
        }
    }
    eprintln!("worst snippet {}: cosine {}, max |Δ| {:e}", worst.2, worst.0, worst.1);
}

#[test]
fn a_text_embeds_the_same_alone_and_packed_with_others() {
    let snippets = snippets();
    let texts: Vec<&str> = snippets.iter().map(|s| s.text.as_str()).collect();
    let together = embedder().embed(&texts).unwrap();
    for (i, text) in texts.iter().enumerate().step_by(5) {
        let alone = embedder().embed(&[text]).unwrap().remove(0);
        let delta = alone.iter().zip(&together[i]).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(delta <= 1e-5, "{}: packing changed the vector by {delta}", snippets[i].id);
    }
}

/// The path CUDA takes (candle's `BertModel` on padded batches), run on CPU
/// so it cannot rot unseen: it must agree with the packed encoder.
#[test]
fn candles_padded_bert_agrees_with_the_packed_encoder() {
    let dir = model_dir().expect("scripts/test fetches the model");
    let candle = Embedder::load_candle(&dir, Device::Cpu).unwrap();
    let snippets = snippets();
    let texts: Vec<&str> = snippets.iter().map(|s| s.text.as_str()).collect();
    let (padded, packed) = (candle.embed(&texts).unwrap(), embedder().embed(&texts).unwrap());
    for ((a, b), snippet) in padded.iter().zip(&packed).zip(&snippets) {
        let delta = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
        assert!(delta <= 1e-5, "{}: the two paths differ by {delta}", snippet.id);
    }
}

#[test]
fn long_texts_are_cut_at_256_tokens_not_the_tokenizer_files_128() {
    let snippets = snippets();
    let long = snippets.iter().find(|s| s.id == "js_long_over_256_tokens").unwrap();
    assert_eq!(embedder().token_ids(&long.text).unwrap().len(), MAX_TOKENS);
    let medium = snippets.iter().find(|s| s.id == "py_long_200_tokens").unwrap();
    let n = embedder().token_ids(&medium.text).unwrap().len();
    assert!(n > 128 && n < MAX_TOKENS, "{n} tokens: the fixture must sit between the two limits");
    let short = embedder().token_ids("def f(): pass").unwrap();
    assert!(short.len() < 10, "no fixed padding: {short:?}");
}

#[test]
fn vectors_are_unit_length_and_similar_code_is_closer() {
    let v = embedder()
        .embed(&[
            "def add(a, b):\n    return a + b\n",
            "def plus(x, y):\n    return x + y\n",
            "SELECT * FROM users",
        ])
        .unwrap();
    for vector in &v {
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "{norm}");
    }
    assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]));
    assert!(embedder().embed(&[]).unwrap().is_empty());
}

#[test]
fn a_folder_without_the_model_is_a_clear_error() {
    let dir = std::env::temp_dir().join("aura-embed-no-model");
    std::fs::create_dir_all(&dir).unwrap();
    let err = Embedder::load(&dir).err().expect("no model there");
    assert!(err.to_string().contains("lacks config.json"), "{err}");
}
