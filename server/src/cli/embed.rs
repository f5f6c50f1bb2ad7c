//! `aura embed`: sentence embeddings for a JSON-lines file, printed as one
//! JSON object `{"ID": [384 floats], ...}` in input order.

use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

use aura_embed::Embedder;
use serde_json::{Map, Value};

use super::dispatch::fail;
use super::EmbedArgs;

pub fn run(args: EmbedArgs) -> ExitCode {
    let reader: Box<dyn Read> = if args.input.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        match std::fs::File::open(&args.input) {
            Ok(f) => Box::new(f),
            Err(e) => return fail(&format!("cannot read {}: {e}", args.input.display())),
        }
    };
    let at = |n: usize| format!("{}: line {}", args.input.display(), n + 1);
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for (n, line) in BufReader::new(reader).lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => return fail(&format!("{}: {e}", at(n))),
        };
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => return fail(&format!("{}: not JSON: {e}", at(n))),
        };
        let (Some(id), Some(text)) = (record.get("id"), record.get("text").and_then(Value::as_str)) else {
            return fail(&format!("{}: expected {{\"id\", \"text\"}}", at(n)));
        };
        let id = id.as_str().map(str::to_owned).unwrap_or_else(|| id.to_string());
        ids.push(id);
        texts.push(text.to_owned());
    }
    let embedder = match args.model.as_deref().map_or_else(Embedder::load_default, Embedder::load) {
        Ok(e) => e,
        Err(e) => return fail(&e.to_string()),
    };
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = match embedder.embed(&refs) {
        Ok(v) => v,
        Err(e) => return fail(&e.to_string()),
    };
    let mut out = Map::new();
    for (id, vector) in ids.into_iter().zip(vectors) {
        out.insert(id, Value::from(vector));
    }
    println!("{}", Value::Object(out));
    ExitCode::SUCCESS
}
