//! The catalog compiled for scoring: every keyword, intent, cue and trigger
//! tokenized and stemmed once, plus a BM25 index over each program's name,
//! purpose, intents and phrasings for the similarity signal.

use std::collections::HashMap;
use std::sync::OnceLock;

use aura_catalog::Catalog;

use crate::text::{is_stopword, tokens, Phrase, Terms};

pub struct Lexicon {
    pub catalog: &'static Catalog,
    pub programs: Vec<ProgramLex>,
    pub conversations: Vec<Vec<Phrase>>,
    pub tiers: Vec<Vec<Phrase>>,
    pub domains: HashMap<String, Vec<Phrase>>,
    bm25: Bm25,
}

pub struct ProgramLex {
    pub keywords: Vec<Phrase>,
    pub intents: Vec<Phrase>,
}

impl Lexicon {
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::new(Catalog::builtin()))
    }

    pub fn new(catalog: &'static Catalog) -> Lexicon {
        let programs = catalog
            .programs
            .iter()
            .map(|p| ProgramLex {
                keywords: dedupe(p.keywords.iter().map(|(k, w)| Phrase::new(k, *w))),
                intents: dedupe(p.intents.iter().map(|i| Phrase::new(i, 1.0))),
            })
            .collect();
        let conversations = catalog
            .conversations
            .iter()
            .map(|c| dedupe(c.cues.iter().map(|(k, w)| Phrase::new(k, *w))))
            .collect();
        let tiers = catalog
            .tiers
            .iter()
            .map(|t| dedupe(t.triggers.keywords.iter().map(|k| Phrase::new(k, 1.0))))
            .collect();
        let domains = catalog
            .domains
            .iter()
            .map(|d| (d.code.clone(), dedupe(d.keywords.iter().map(|k| Phrase::new(k, 1.0)))))
            .collect();
        let docs = catalog
            .programs
            .iter()
            .map(|p| {
                let mut text = format!("{} {} {}", p.name, p.purpose, p.intents.join(" "));
                for phrasing in &p.phrasings {
                    text.push(' ');
                    text.push_str(phrasing);
                }
                tokens(&text).into_iter().filter(|t| !is_stopword(t)).collect()
            })
            .collect();
        Lexicon { catalog, programs, conversations, tiers, domains, bm25: Bm25::new(docs) }
    }

    /// BM25 similarity of the request to each program's description.
    pub fn similarity(&self, terms: &Terms) -> Vec<f32> {
        self.bm25.scores(terms)
    }
}

/// Phrases that stem alike ("test" and "tests") count once, at the highest weight.
fn dedupe(phrases: impl Iterator<Item = Phrase>) -> Vec<Phrase> {
    let mut out: Vec<Phrase> = Vec::new();
    for p in phrases {
        if p.stems.is_empty() {
            continue;
        }
        match out.iter_mut().find(|q| q.stems == p.stems) {
            Some(q) if q.weight < p.weight => *q = p,
            Some(_) => {}
            None => out.push(p),
        }
    }
    out
}

/// Okapi BM25 over a fixed set of documents (k1 = 1.2, b = 0.75).
struct Bm25 {
    docs: Vec<HashMap<String, f32>>,
    lengths: Vec<f32>,
    average: f32,
    idf: HashMap<String, f32>,
}

impl Bm25 {
    fn new(docs: Vec<Vec<String>>) -> Bm25 {
        let n = docs.len() as f32;
        let mut df: HashMap<String, f32> = HashMap::new();
        let mut tf = Vec::with_capacity(docs.len());
        let mut lengths = Vec::with_capacity(docs.len());
        for doc in &docs {
            let mut counts: HashMap<String, f32> = HashMap::new();
            for t in doc {
                *counts.entry(t.clone()).or_default() += 1.0;
            }
            for t in counts.keys() {
                *df.entry(t.clone()).or_default() += 1.0;
            }
            lengths.push(doc.len() as f32);
            tf.push(counts);
        }
        let average = lengths.iter().sum::<f32>() / n.max(1.0);
        let idf = df.into_iter().map(|(t, d)| (t, ((n - d + 0.5) / (d + 0.5) + 1.0).ln())).collect();
        Bm25 { docs: tf, lengths, average, idf }
    }

    fn scores(&self, terms: &Terms) -> Vec<f32> {
        let (k1, b) = (1.2, 0.75);
        let mut query: Vec<&String> = terms.tokens.iter().filter(|t| !is_stopword(t)).collect();
        query.sort();
        query.dedup();
        self.docs
            .iter()
            .zip(&self.lengths)
            .map(|(doc, len)| {
                query
                    .iter()
                    .filter_map(|t| {
                        let f = *doc.get(*t)?;
                        let idf = self.idf.get(*t).copied().unwrap_or(0.0);
                        Some(idf * f * (k1 + 1.0) / (f + k1 * (1.0 - b + b * len / self.average)))
                    })
                    .sum()
            })
            .collect()
    }
}
