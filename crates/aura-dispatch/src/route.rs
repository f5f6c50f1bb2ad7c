//! The router: a request becomes ranked programs and ranked tiers, each with
//! a score and the reasons behind it, plus a token budget.
//!
//! Program score = conversation prior (the detector's probability for the
//! program's conversation types) + matched keywords and intents + context
//! signals + language fit + diagnostics at the cursor + BM25 similarity to
//! the program's description + feedback + an optional external similarity
//! (the embedding model, when the neural crate provides one).
//!
//! Tiers are scored from their triggers (keywords in the request, imports in
//! the code, active modules, language, diagnostics) plus the chosen programs'
//! domain affinity. The final list composes at most two domains, each by its
//! best tier, with the top program's foundation tiers, then the rest by score.
//! Everything is deterministic: ties break by number.

use std::collections::HashMap;
use std::sync::Arc;

use aura_catalog::{OutputKind, Program};
use serde::Serialize;

use crate::context::{Context, Request};
use crate::detect::{detect, Detection};
use crate::lexicon::Lexicon;

/// Weights of the program score's parts. Tuned on the development set with
/// `aura eval routing`; see ARCHITECTURE.md for how to change them safely.
mod weight {
    pub const CONVERSATION_PRIMARY: f32 = 3.0;
    pub const CONVERSATION_OTHER: f32 = 1.5;
    pub const INTENT: f32 = 0.5;
    pub const INTENT_CAP: f32 = 1.5;
    pub const LANGUAGE_MATCH: f32 = 0.5;
    pub const LANGUAGE_MISMATCH: f32 = -3.0;
    pub const LANGUAGE_UNKNOWN: f32 = -1.0;
    pub const DIAGNOSTIC: f32 = 3.5;
    pub const SIMILARITY: f32 = 0.35;
    pub const EXTERNAL_SIMILARITY: f32 = 4.0;
    // Tiers.
    pub const TIER_KEYWORD: f32 = 1.5;
    pub const TIER_IMPORT: f32 = 2.0;
    pub const TIER_MODULE: f32 = 1.0;
    pub const TIER_LANGUAGE: f32 = 0.3;
    pub const TIER_DIAGNOSTIC: f32 = 2.0;
    pub const DOMAIN_KEYWORD: f32 = 0.5;
    pub const DOMAIN_KEYWORD_CAP: f32 = 2.0;
    pub const PROGRAM_DOMAIN: f32 = 2.0;
    /// A domain enters the composition only with a best tier at least this strong.
    pub const DOMAIN_THRESHOLD: f32 = 2.0;
    /// ... and, for the second domain, at least this share of the first's score.
    pub const SECOND_DOMAIN_SHARE: f32 = 0.4;
}

/// How many programs and tiers a decision lists.
const PROGRAMS_LISTED: usize = 5;
const TIERS_LISTED: usize = 6;

/// A similarity signal from outside (the embedding model): one score in
/// [-1, 1] per program, in catalog order, or `None` when unavailable.
pub trait ProgramSimilarity: Send + Sync {
    fn similarities(&self, request: &Request) -> Option<Vec<f32>>;
}

/// Per-program score adjustments learned from feedback in this context.
pub trait FeedbackSignal: Send + Sync {
    /// (program number, adjustment) for the given context key.
    fn adjustments(&self, context_key: &str) -> Vec<(u16, f32)>;
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub why: String,
    pub weight: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankedProgram {
    pub number: u16,
    pub code: String,
    pub name: String,
    pub score: f32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankedTier {
    pub number: u16,
    pub code: String,
    pub name: String,
    pub domain: String,
    pub score: f32,
    pub reasons: Vec<Reason>,
}

/// Token budget for the prompt, by part.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Budget {
    /// The model's context window assumed for the prompt.
    pub context_window: usize,
    /// Reserved for the answer.
    pub output: usize,
    /// For tier guidance.
    pub guidance: usize,
    /// For context blocks (selection, related code, diagnostics, diff).
    pub context: usize,
}

/// The router's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub conversation: String,
    pub confidence: f32,
    pub conversations: Vec<(String, f32)>,
    pub language: Option<String>,
    pub signals: Vec<&'static str>,
    pub programs: Vec<RankedProgram>,
    pub tiers: Vec<RankedTier>,
    pub budget: Budget,
    /// Key under which feedback for this kind of request is stored.
    pub context_key: String,
}

impl Decision {
    pub fn top_program(&self) -> &RankedProgram {
        &self.programs[0]
    }

    /// Put `program` first, as the caller chose it, keeping the router's
    /// reasons when it ranked the program at all.
    pub fn force_program(&mut self, program: &aura_catalog::Program) {
        if let Some(i) = self.programs.iter().position(|p| p.number == program.number) {
            let chosen = self.programs.remove(i);
            self.programs.insert(0, chosen);
        } else {
            self.programs.insert(
                0,
                RankedProgram {
                    number: program.number,
                    code: program.code.clone(),
                    name: program.name.clone(),
                    score: 0.0,
                    reasons: vec![Reason { why: "chosen by you".into(), weight: 0.0 }],
                },
            );
        }
    }
}

#[derive(Clone, Default)]
pub struct Router {
    similarity: Option<Arc<dyn ProgramSimilarity>>,
    feedback: Option<Arc<dyn FeedbackSignal>>,
    context_window: Option<usize>,
}

impl Router {
    pub fn new() -> Router {
        Router::default()
    }

    pub fn with_similarity(mut self, similarity: Arc<dyn ProgramSimilarity>) -> Router {
        self.similarity = Some(similarity);
        self
    }

    pub fn with_feedback(mut self, feedback: Arc<dyn FeedbackSignal>) -> Router {
        self.feedback = Some(feedback);
        self
    }

    pub fn with_context_window(mut self, tokens: usize) -> Router {
        self.context_window = Some(tokens);
        self
    }

    pub fn route(&self, request: &Request) -> Decision {
        let lexicon = Lexicon::builtin();
        let ctx = Context::new(request);
        let evidence = program_evidence(lexicon, request, &ctx);
        let totals: Vec<f32> = evidence.iter().map(Evidence::total).collect();
        let detection = detect(lexicon, &ctx, &totals);
        let context_key = context_key(&detection, ctx.language.as_deref());
        let mut programs = self.score_programs(lexicon, request, &ctx, &detection, evidence, &context_key);
        programs.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.number.cmp(&b.number)));
        programs.truncate(PROGRAMS_LISTED);
        let tiers = score_tiers(lexicon, request, &ctx, &programs);
        let top = lexicon.catalog.program_number(programs[0].number).expect("ranked program exists");
        Decision {
            conversation: detection.conversation.clone(),
            confidence: detection.confidence,
            conversations: detection.distribution.clone(),
            language: ctx.language.clone(),
            signals: ctx.signals.iter().copied().collect(),
            programs,
            tiers,
            budget: budget(top, self.context_window.unwrap_or(8192)),
            context_key,
        }
    }

    fn score_programs(
        &self,
        lexicon: &Lexicon,
        request: &Request,
        ctx: &Context,
        detection: &Detection,
        evidence: Vec<Evidence>,
        context_key: &str,
    ) -> Vec<RankedProgram> {
        let catalog = lexicon.catalog;
        let external = self.similarity.as_ref().and_then(|s| s.similarities(request));
        let feedback: HashMap<u16, f32> = self
            .feedback
            .as_ref()
            .map(|f| f.adjustments(context_key).into_iter().collect())
            .unwrap_or_default();
        catalog
            .programs
            .iter()
            .zip(evidence)
            .enumerate()
            .map(|(i, (program, Evidence(mut reasons)))| {
                let mut add = |why: String, weight: f32| {
                    if weight != 0.0 {
                        reasons.push(Reason { why, weight });
                    }
                };
                for (j, conv) in program.conversation.iter().enumerate() {
                    let p = detection.probability(conv);
                    let w = if j == 0 { weight::CONVERSATION_PRIMARY } else { weight::CONVERSATION_OTHER };
                    if p >= 0.05 {
                        add(format!("conversation `{conv}` ({p:.2})"), w * p);
                    }
                }
                if !program.languages.is_empty() && !ctx.has("multi_language") {
                    match ctx.language.as_deref() {
                        Some(l) if program.languages.iter().any(|p| p == l) => {
                            add(format!("language {l}"), weight::LANGUAGE_MATCH)
                        }
                        Some(l) => add(format!("not for {l}"), weight::LANGUAGE_MISMATCH),
                        None => add("language unknown".into(), weight::LANGUAGE_UNKNOWN),
                    }
                }
                if let Some(sim) = external.as_ref().and_then(|s| s.get(i)) {
                    add(format!("embedding similarity {sim:.2}"), weight::EXTERNAL_SIMILARITY * sim);
                }
                if let Some(adj) = feedback.get(&program.number) {
                    add("your past choices here".into(), *adj);
                }
                let score = reasons.iter().map(|r| r.weight).sum::<f32>() + 0.0;
                reasons.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
                RankedProgram {
                    number: program.number,
                    code: program.code.clone(),
                    name: program.name.clone(),
                    score,
                    reasons,
                }
            })
            .collect()
    }
}

/// A program's evidence before the conversation prior: what the words, the
/// code and the diagnostics say about it.
pub(crate) struct Evidence(Vec<Reason>);

impl Evidence {
    pub(crate) fn total(&self) -> f32 {
        self.0.iter().map(|r| r.weight).sum()
    }
}

/// Keywords, intents, context signals, diagnostics and description
/// similarity, per program in catalog order.
pub(crate) fn program_evidence(lexicon: &Lexicon, request: &Request, ctx: &Context) -> Vec<Evidence> {
    let bm25 = lexicon.similarity(&ctx.terms);
    lexicon
        .catalog
        .programs
        .iter()
        .zip(&lexicon.programs)
        .zip(bm25)
        .map(|((program, lex), bm25)| {
            let mut reasons = Vec::new();
            let mut add = |why: String, weight: f32| {
                if weight != 0.0 {
                    reasons.push(Reason { why, weight });
                }
            };
            for k in &lex.keywords {
                if ctx.terms.contains(&k.stems) {
                    add(format!("keyword “{}”", k.text), k.weight);
                }
            }
            let intents: Vec<&str> = lex
                .intents
                .iter()
                .filter(|k| ctx.terms.contains(&k.stems))
                .map(|k| k.text.as_str())
                .collect();
            if !intents.is_empty() {
                let w = (weight::INTENT * intents.len() as f32).min(weight::INTENT_CAP);
                add(format!("intent “{}”", intents.join("”, “")), w);
            }
            for (signal, w) in &program.signals {
                if ctx.has(signal) {
                    add(format!("signal {signal}"), *w);
                }
            }
            if let Some(d) = request
                .diagnostics
                .iter()
                .find(|d| program.diagnostics.iter().any(|p| d.starts_with(p.as_str())))
            {
                add(format!("diagnostic {d} at the cursor"), weight::DIAGNOSTIC);
            }
            if bm25 > 0.0 {
                add("similar to its description".into(), weight::SIMILARITY * bm25);
            }
            Evidence(reasons)
        })
        .collect()
}

/// The key feedback is stored under: conversation type and language.
fn context_key(detection: &Detection, language: Option<&str>) -> String {
    format!("{}:{}", detection.conversation, language.unwrap_or("-"))
}

fn score_tiers(
    lexicon: &Lexicon,
    request: &Request,
    ctx: &Context,
    programs: &[RankedProgram],
) -> Vec<RankedTier> {
    let catalog = lexicon.catalog;
    // Domain evidence from the request's words, shared by the domain's tiers.
    let domain_words: HashMap<&str, (f32, Vec<&str>)> = lexicon
        .domains
        .iter()
        .map(|(code, words)| {
            let hits: Vec<&str> =
                words.iter().filter(|w| ctx.terms.contains(&w.stems)).map(|w| w.text.as_str()).collect();
            let w = (weight::DOMAIN_KEYWORD * hits.len() as f32).min(weight::DOMAIN_KEYWORD_CAP);
            (code.as_str(), (w, hits))
        })
        .collect();
    // Domain affinity of the top programs, weighted by their relative score.
    let mut program_domain: HashMap<&str, (f32, u16)> = HashMap::new();
    let best = programs[0].score.max(1e-3);
    for ranked in programs.iter().take(2) {
        let share = (ranked.score / best).clamp(0.0, 1.0);
        let program = catalog.program_number(ranked.number).expect("ranked program exists");
        for d in &program.domains {
            let entry = program_domain.entry(d.as_str()).or_insert((0.0, ranked.number));
            if weight::PROGRAM_DOMAIN * share > entry.0 {
                *entry = (weight::PROGRAM_DOMAIN * share, ranked.number);
            }
        }
    }

    let mut tiers: Vec<RankedTier> = catalog
        .tiers
        .iter()
        .zip(&lexicon.tiers)
        .map(|(tier, keywords)| {
            let mut reasons = Vec::new();
            let hits: Vec<&str> =
                keywords.iter().filter(|k| ctx.terms.contains(&k.stems)).map(|k| k.text.as_str()).collect();
            if !hits.is_empty() {
                reasons.push(Reason {
                    why: format!("mentions “{}”", hits.join("”, “")),
                    weight: weight::TIER_KEYWORD * hits.len() as f32,
                });
            }
            if let Some(i) = tier
                .triggers
                .imports
                .iter()
                .find(|i| ctx.imports.iter().any(|m| m == *i || m.starts_with(&format!("{i}."))))
            {
                reasons.push(Reason { why: format!("code imports {i}"), weight: weight::TIER_IMPORT });
            }
            if let Some(m) = tier.triggers.modules.iter().find(|m| request.modules.contains(m)) {
                reasons.push(Reason { why: format!("workspace uses {m}"), weight: weight::TIER_MODULE });
            }
            if let Some(l) =
                ctx.language.as_deref().filter(|l| tier.triggers.languages.iter().any(|t| t == l))
            {
                reasons.push(Reason { why: format!("language {l}"), weight: weight::TIER_LANGUAGE });
            }
            if let Some(d) = request
                .diagnostics
                .iter()
                .find(|d| tier.triggers.diagnostics.iter().any(|p| d.starts_with(p.as_str())))
            {
                reasons.push(Reason { why: format!("diagnostic {d}"), weight: weight::TIER_DIAGNOSTIC });
            }
            if let Some((w, hits)) = domain_words.get(tier.domain.as_str()).filter(|(w, _)| *w > 0.0) {
                reasons.push(Reason {
                    why: format!("domain words “{}”", hits.join("”, “")), weight: *w
                });
            }
            if let Some((w, number)) = program_domain.get(tier.domain.as_str()) {
                reasons.push(Reason { why: format!("program {number} works in this domain"), weight: *w });
            }
            RankedTier {
                number: tier.number,
                code: tier.code.clone(),
                name: tier.name.clone(),
                domain: tier.domain.clone(),
                score: reasons.iter().map(|r| r.weight).sum::<f32>() + 0.0,
                reasons,
            }
        })
        .collect();
    tiers.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.number.cmp(&b.number)));
    compose(catalog, tiers, programs)
}

/// Best tier of up to two domains, then the top program's foundation tiers,
/// then everything else by score.
fn compose(
    catalog: &aura_catalog::Catalog,
    ranked: Vec<RankedTier>,
    programs: &[RankedProgram],
) -> Vec<RankedTier> {
    let mut chosen: Vec<RankedTier> = Vec::new();
    let mut first_score = None;
    for tier in ranked.iter().filter(|t| t.domain != "foundation") {
        if chosen.len() == 2 || tier.score < weight::DOMAIN_THRESHOLD {
            break;
        }
        if chosen.iter().any(|c| c.domain == tier.domain) {
            continue;
        }
        match first_score {
            None => first_score = Some(tier.score),
            Some(first) if tier.score < first * weight::SECOND_DOMAIN_SHARE => break,
            Some(_) => {}
        }
        chosen.push(tier.clone());
    }
    let top = catalog.program_number(programs[0].number).expect("ranked program exists");
    for code in &top.foundation {
        if let Some(t) = ranked.iter().find(|t| &t.code == code) {
            let mut t = t.clone();
            t.reasons
                .insert(0, Reason { why: format!("foundation tier of program {}", top.number), weight: 0.0 });
            chosen.push(t);
        }
    }
    for tier in ranked {
        if chosen.len() >= TIERS_LISTED {
            break;
        }
        if tier.score > 0.0 && !chosen.iter().any(|c| c.number == tier.number) {
            chosen.push(tier);
        }
    }
    chosen
}

/// Split the context window: the answer's share depends on what the program
/// produces (a whole file needs more room than a commit message).
fn budget(program: &Program, context_window: usize) -> Budget {
    let output = match program.output {
        OutputKind::NewFile => context_window * 3 / 8,
        OutputKind::ReplaceRange | OutputKind::Insert => context_window / 4,
        OutputKind::Markdown | OutputKind::Diagnostics => context_window / 4,
        OutputKind::CommitMessage => context_window / 16,
    };
    let guidance = context_window / 16;
    Budget { context_window, output, guidance, context: context_window - output - guidance }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(text: &str) -> Decision {
        Router::new().route(&Request { text: text.into(), ..Request::default() })
    }

    #[test]
    fn every_program_is_reachable_from_its_own_phrasings() {
        let catalog = aura_catalog::Catalog::builtin();
        let mut unreachable = Vec::new();
        for program in &catalog.programs {
            let hits =
                program.phrasings.iter().filter(|p| route(p).programs[0].number == program.number).count();
            if hits * 2 < program.phrasings.len() {
                unreachable.push(format!("{} ({}/{})", program.number, hits, program.phrasings.len()));
            }
        }
        assert!(unreachable.is_empty(), "programs not reached by most of their phrasings: {unreachable:?}");
    }

    #[test]
    fn decisions_explain_themselves_and_compose_tiers() {
        let d = Router::new().route(&Request {
            text: "which composite index fits this filter".into(),
            code: Some("SELECT * FROM events WHERE user_id = 42".into()),
            ..Request::default()
        });
        assert_eq!(d.top_program().number, 51, "{:?}", d.programs);
        assert!(d.top_program().reasons.iter().any(|r| r.why.contains("index")));
        assert_eq!(d.tiers[0].domain, "database-systems");
        assert!(d.tiers.iter().take(3).any(|t| t.domain == "foundation"));
        assert!(d.programs.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(d.budget.output + d.budget.guidance + d.budget.context == d.budget.context_window);
    }

    #[test]
    fn diagnostics_at_the_cursor_pick_the_repair_program() {
        let d = Router::new().route(&Request {
            text: "fix".into(),
            language: Some("python".into()),
            code: Some("query = 'SELECT * FROM t WHERE id = ' + user_id".into()),
            diagnostics: vec!["AUR305".into()],
            ..Request::default()
        });
        assert_eq!(d.top_program().number, 11, "{:?}", d.programs);
    }

    #[test]
    fn routing_is_deterministic_and_total_on_odd_input() {
        for text in ["", "   ", "?", "🙂🙂", &"word ".repeat(5000)] {
            let a = route(text);
            let b = route(text);
            assert_eq!(
                a.programs.iter().map(|p| p.number).collect::<Vec<_>>(),
                b.programs.iter().map(|p| p.number).collect::<Vec<_>>()
            );
            assert_eq!(a.programs.len(), PROGRAMS_LISTED);
            assert!(!a.tiers.is_empty());
        }
    }
}
