//! Routing quality on a labelled set (`aura eval routing FILE.jsonl`): top-1
//! and top-3 program accuracy, tier-group recall@3, and the conversation
//! detector's accuracy and calibration (expected calibration error).
//!
//! Each line is `{"id", "text", "lang", "code", "programs", "tier_groups"}`:
//! `programs` lists the acceptable program numbers, best first;
//! `tier_groups` names tier domains ("Foundation", "Web Development", ...).
//! A top-1 hit means the first predicted program is acceptable; tier recall
//! counts labelled groups found among the domains of the first three tiers
//! (micro-averaged over all labelled groups).

use std::collections::BTreeSet;

use aura_catalog::Catalog;
use serde::{Deserialize, Serialize};

use crate::context::{Context, Request};
use crate::detect::{detect_with_temperature, TEMPERATURE};
use crate::lexicon::Lexicon;
use crate::route::{program_evidence, Router};

#[derive(Debug, Deserialize)]
pub struct Example {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    pub programs: Vec<u16>,
    #[serde(default)]
    pub tier_groups: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub n: usize,
    pub top1: f64,
    pub top3: f64,
    pub tier_recall_at_3: f64,
    pub conversation: Calibration,
    pub predictions: Vec<Prediction>,
}

#[derive(Debug, Serialize)]
pub struct Prediction {
    pub id: String,
    pub programs: Vec<u16>,
    pub tier_groups: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Calibration {
    /// Share of examples whose detected type is the first type of the best labelled program.
    pub accuracy: f64,
    /// Expected calibration error over 10 confidence bins.
    pub ece: f64,
    pub temperature: f32,
    /// The temperature that would minimise the negative log-likelihood on
    /// this set (grid 0.2..=4.0): compare with `temperature` to spot drift.
    pub fitted_temperature: f32,
}

/// Parse a JSONL file's text; blank lines are skipped, bad lines are errors
/// with their line number.
pub fn parse(text: &str) -> Result<Vec<Example>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

pub fn request_of(example: &Example) -> Request {
    Request {
        text: example.text.clone(),
        language: example.lang.clone(),
        code: example.code.clone(),
        ..Request::default()
    }
}

pub fn evaluate(router: &Router, examples: &[Example]) -> Report {
    let catalog = Catalog::builtin();
    let (mut top1, mut top3, mut groups_found, mut groups_total) = (0, 0, 0, 0);
    let mut predictions = Vec::with_capacity(examples.len());
    for example in examples {
        let decision = router.route(&request_of(example));
        let programs: Vec<u16> = decision.programs.iter().map(|p| p.number).collect();
        if programs.first().is_some_and(|p| example.programs.contains(p)) {
            top1 += 1;
        }
        if programs.iter().take(3).any(|p| example.programs.contains(p)) {
            top3 += 1;
        }
        let mut tier_groups: Vec<String> = Vec::new();
        for tier in decision.tiers.iter().take(3) {
            let name = catalog.domain(&tier.domain).map_or(tier.domain.clone(), |d| d.name.clone());
            if !tier_groups.contains(&name) {
                tier_groups.push(name);
            }
        }
        groups_total += example.tier_groups.len();
        groups_found += example.tier_groups.iter().filter(|g| tier_groups.contains(g)).count();
        predictions.push(Prediction { id: example.id.clone(), programs, tier_groups });
    }
    let n = examples.len();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Report {
        n,
        top1: ratio(top1, n),
        top3: ratio(top3, n),
        tier_recall_at_3: ratio(groups_found, groups_total),
        conversation: calibration(examples, TEMPERATURE),
        predictions,
    }
}

/// Top-1 and top-3 accuracy of rankings (program numbers, best first), one
/// per example: for signals scored outside the router.
pub fn top_k(examples: &[Example], rankings: &[Vec<u16>]) -> (f64, f64) {
    let (mut top1, mut top3) = (0usize, 0usize);
    for (example, ranking) in examples.iter().zip(rankings) {
        top1 += usize::from(ranking.first().is_some_and(|p| example.programs.contains(p)));
        top3 += usize::from(ranking.iter().take(3).any(|p| example.programs.contains(p)));
    }
    let n = examples.len().max(1) as f64;
    (top1 as f64 / n, top3 as f64 / n)
}

/// The detector's accuracy and ECE against the conversation type implied by
/// each example's best program.
pub fn calibration(examples: &[Example], temperature: f32) -> Calibration {
    let lexicon = Lexicon::builtin();
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    let mut correct = 0;
    let mut counted = 0;
    let labelled: Vec<(Context, Vec<f32>, BTreeSet<&str>)> = examples
        .iter()
        .map(|e| {
            let request = request_of(e);
            let ctx = Context::new(&request);
            let evidence = program_evidence(lexicon, &request, &ctx).iter().map(|e| e.total()).collect();
            (ctx, evidence, acceptable_conversations(e))
        })
        .collect();
    for (ctx, evidence, acceptable) in &labelled {
        if acceptable.is_empty() {
            continue;
        }
        let d = detect_with_temperature(lexicon, ctx, evidence, temperature);
        let hit = acceptable.contains(d.conversation.as_str());
        counted += 1;
        correct += usize::from(hit);
        let bin = ((d.confidence * 10.0) as usize).min(9);
        bins[bin].0 += f64::from(d.confidence);
        bins[bin].1 += if hit { 1.0 } else { 0.0 };
        bins[bin].2 += 1;
    }
    let ece = bins
        .iter()
        .filter(|b| b.2 > 0)
        .map(|(conf, hits, n)| (*n as f64 / counted.max(1) as f64) * ((conf - hits) / *n as f64).abs())
        .sum();
    let nll = |t: f32| -> f64 {
        labelled
            .iter()
            .filter(|(_, _, a)| !a.is_empty())
            .map(|(ctx, evidence, acceptable)| {
                let d = detect_with_temperature(lexicon, ctx, evidence, t);
                let p: f32 = acceptable.iter().map(|c| d.probability(c)).sum();
                -f64::from(p.max(1e-6)).ln()
            })
            .sum()
    };
    let fitted_temperature =
        (2..=40).map(|i| i as f32 / 10.0).min_by(|a, b| nll(*a).total_cmp(&nll(*b))).unwrap_or(temperature);
    Calibration { accuracy: correct as f64 / counted.max(1) as f64, ece, temperature, fitted_temperature }
}

/// The primary conversation types of the example's acceptable programs.
fn acceptable_conversations(example: &Example) -> BTreeSet<&'static str> {
    let catalog = Catalog::builtin();
    example
        .programs
        .iter()
        .filter_map(|n| catalog.program_number(*n))
        .filter_map(|p| p.conversation.first().map(String::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reports_the_bad_line() {
        let err = parse("{\"id\":\"a\",\"text\":\"x\",\"programs\":[1]}\n\nnot json\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
    }

    #[test]
    fn scores_count_hits() {
        let examples = parse(concat!(
            "{\"id\":\"a\",\"text\":\"write unit tests for this function with pytest\",\"lang\":\"python\",\"code\":\"def f(x):\\n    return x\",\"programs\":[19],\"tier_groups\":[\"Testing & QA\"]}\n",
            "{\"id\":\"b\",\"text\":\"write unit tests for this function with pytest\",\"lang\":\"python\",\"code\":null,\"programs\":[66],\"tier_groups\":[\"Mobile Development\"]}\n",
        ))
        .unwrap();
        let report = evaluate(&Router::new(), &examples);
        assert_eq!(report.n, 2);
        assert_eq!(report.top1, 0.5);
        assert_eq!(report.tier_recall_at_3, 0.5);
        assert_eq!(report.predictions[0].programs[0], 19);
        assert_eq!(top_k(&examples, &[vec![1, 2, 19], vec![66]]), (0.5, 1.0));
    }
}
