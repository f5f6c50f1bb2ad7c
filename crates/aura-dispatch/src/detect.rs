//! The conversation detector: a request (words plus code context) becomes a
//! probability over the 10 conversation types of `conversations.toml`.
//!
//! Evidence is the sum of matched cue weights plus a few context signals (a
//! stack trace points to debugging, a diff to review). Scores become
//! probabilities with a softmax at temperature `TEMPERATURE`, fitted by
//! `aura eval routing` on the labelled set (it prints the expected
//! calibration error, ECE, so the fit can be checked rather than trusted).

use serde::Serialize;

use crate::context::{Context, Request};
use crate::lexicon::Lexicon;

/// Softmax temperature; see the module docs and `eval::calibration`.
pub const TEMPERATURE: f32 = 0.5;

/// The detector's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// The most likely conversation type's code.
    pub conversation: String,
    pub confidence: f32,
    /// Every type with its probability, most likely first.
    pub distribution: Vec<(String, f32)>,
    /// Cues that fired, for explanations: (type, cue).
    #[serde(skip)]
    pub evidence: Vec<(String, String)>,
}

impl Detection {
    pub fn probability(&self, code: &str) -> f32 {
        self.distribution.iter().find(|(c, _)| c == code).map_or(0.0, |(_, p)| *p)
    }
}

/// Share of the strongest program evidence a conversation type inherits from
/// the programs whose primary type it is ("tests?" names no testing cue
/// strongly, but the unit-test program's keywords fire).
const PROGRAM_EVIDENCE_SHARE: f32 = 0.5;

/// Detect the conversation type of a request on its own.
pub fn detect_request(request: &Request) -> Detection {
    let lexicon = Lexicon::builtin();
    let ctx = Context::new(request);
    let evidence = crate::route::program_evidence(lexicon, request, &ctx);
    detect(lexicon, &ctx, &evidence.iter().map(|e| e.total()).collect::<Vec<_>>())
}

/// `program_evidence` is each program's lexical and context evidence, in
/// catalog order (see `route::program_evidence`).
pub(crate) fn detect(lexicon: &Lexicon, ctx: &Context, program_evidence: &[f32]) -> Detection {
    detect_with_temperature(lexicon, ctx, program_evidence, TEMPERATURE)
}

pub(crate) fn raw_scores(
    lexicon: &Lexicon,
    ctx: &Context,
    program_evidence: &[f32],
    evidence: &mut Vec<(String, String)>,
) -> Vec<f32> {
    let catalog = lexicon.catalog;
    catalog
        .conversations
        .iter()
        .zip(&lexicon.conversations)
        .map(|(conv, cues)| {
            let inherited = catalog
                .programs
                .iter()
                .zip(program_evidence)
                .filter(|(p, _)| p.conversation.first() == Some(&conv.code))
                .map(|(_, e)| *e)
                .fold(0.0f32, f32::max);
            let mut score = PROGRAM_EVIDENCE_SHARE * inherited;
            for cue in cues {
                if ctx.terms.contains(&cue.stems) {
                    score += cue.weight;
                    evidence.push((conv.code.clone(), cue.text.clone()));
                }
            }
            score += match conv.code.as_str() {
                "debugging" => 2.0 * f(ctx.has("stack_trace")) + 3.0 * f(ctx.has("syntax_error")),
                "review" => 2.0 * f(ctx.has("diff")),
                "testing" => 0.5 * f(ctx.has("test_code")),
                "operations" => 1.0 * f(ctx.has("infra_file")),
                "generation" => 1.5 * f(ctx.has("empty_body")),
                // With nothing else to go on, a question about code asks to understand it.
                "explanation" => 0.3 * f(ctx.has("question")) + 0.2,
                _ => 0.0,
            };
            score
        })
        .collect()
}

pub(crate) fn detect_with_temperature(
    lexicon: &Lexicon,
    ctx: &Context,
    program_evidence: &[f32],
    temperature: f32,
) -> Detection {
    let mut evidence = Vec::new();
    let scores = raw_scores(lexicon, ctx, program_evidence, &mut evidence);
    let probs = softmax(&scores, temperature);
    let mut distribution: Vec<(String, f32)> =
        lexicon.catalog.conversations.iter().map(|c| c.code.clone()).zip(probs).collect();
    distribution.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (conversation, confidence) = distribution[0].clone();
    Detection { conversation, confidence, distribution, evidence }
}

fn f(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

pub(crate) fn softmax(scores: &[f32], temperature: f32) -> Vec<f32> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = scores.iter().map(|s| ((s - max) / temperature).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(text: &str, code: Option<&str>) -> Detection {
        detect_request(&Request { text: text.into(), code: code.map(Into::into), ..Request::default() })
    }

    #[test]
    fn detects_each_kind_of_request() {
        assert_eq!(conv("explain how the borrow checker works", None).conversation, "explanation");
        assert_eq!(conv("fix this crash", Some("x = None\nx.y")).conversation, "debugging");
        assert_eq!(conv("add tests for it", Some("def f(): return 1")).conversation, "testing");
        assert_eq!(conv("refactor into smaller pieces", Some("def f(): ...")).conversation, "refactoring");
        assert_eq!(conv("make it faster", Some("for x in y: z")).conversation, "optimization");
        assert_eq!(conv("write docstrings", Some("def f(): ...")).conversation, "documentation");
        assert_eq!(conv("review my change", Some("@@ -1 +1 @@\n-a\n+b\n-c\n+d")).conversation, "review");
        assert_eq!(conv("roll back the deployment", None).conversation, "operations");
        assert_eq!(conv("implement a function that parses dates", None).conversation, "generation");
        assert_eq!(conv("design the architecture for a chat app", None).conversation, "design");
    }

    #[test]
    fn probabilities_sum_to_one_and_rank() {
        let d = conv("why does this throw a KeyError", None);
        let total: f32 = d.distribution.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-4);
        assert!(d.distribution.windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(d.confidence, d.distribution[0].1);
        assert!(d.probability("debugging") > 0.5, "{d:?}");
    }
}
