//! A role's ordered provider chain: privacy checks, redaction, the response
//! cache, retries with backoff on transient errors, a circuit breaker per
//! provider, failover to the next provider, and the audit log — everything
//! between "here is a request" and "here is an answer or a clear error".

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use crate::audit::{now_rfc3339, AuditEntry, AuditLog};
use crate::cache::{sha256_hex, Cache};
use crate::provider::{Budget, GenRequest, Generation, Input, LlmError, Message, Provider};
use crate::redact::{Redaction, Redactor, Restorer};

/// Retry and breaker settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts per provider for transient errors (429, 5xx, resets).
    pub attempts: u32,
    /// First pause between attempts; doubles each time.
    pub backoff: Duration,
    /// The longest pause (also caps a server's `Retry-After`).
    pub max_backoff: Duration,
    /// Consecutive failures that open a provider's breaker.
    pub breaker_threshold: u32,
    /// How long an open breaker keeps a provider out of the chain.
    pub breaker_cooldown: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            attempts: 2,
            backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(30),
        }
    }
}

/// A provider's health as the breaker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Answering.
    Healthy,
    /// Failing, but still tried.
    Degraded {
        /// Consecutive failures.
        failures: u32,
        /// The latest error.
        last_error: String,
    },
    /// Skipped until the cooldown ends.
    Open {
        /// The latest error.
        last_error: String,
    },
}

#[derive(Debug, Default)]
struct Breaker {
    failures: u32,
    opened_at: Option<Instant>,
    last_error: String,
}

struct Member {
    provider: Arc<dyn Provider>,
    breaker: Mutex<Breaker>,
}

/// Privacy settings for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Privacy {
    /// Remote providers may be used at all.
    pub allow_remote: bool,
    /// This request's file matched a local-only glob: only in-process
    /// providers (and loopback ones with `local_only_loopback`).
    pub local_only: bool,
    /// Local-only files may go to a provider on this machine.
    pub local_only_loopback: bool,
    /// Keep the prompt itself in the audit log.
    pub audit_prompts: bool,
}

/// What the chain reports while it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<'a> {
    /// A piece of the answer.
    Token(&'a str),
    /// A provider failed after streaming part of an answer; the next one starts over.
    Restart {
        /// The provider that failed.
        failed: String,
        /// Its error.
        error: String,
    },
}

/// A finished request.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The answer, with redacted secrets restored where echoed verbatim.
    pub generation: Generation,
    /// Providers that failed before the one that answered, with their errors.
    pub failed: Vec<(String, String)>,
    /// Secrets replaced in the outbound prompt.
    pub redactions: usize,
}

/// One request's options.
#[derive(Debug, Clone, Default)]
pub struct Call {
    /// The program (or "ask") for the audit log.
    pub program: String,
    /// Privacy settings.
    pub privacy: Privacy,
    /// Skip the response cache.
    pub bypass_cache: bool,
}

/// An ordered failover chain.
pub struct Chain {
    members: Vec<Member>,
    policy: Policy,
    budget: Budget,
    cache: Option<Cache>,
    audit: Option<Arc<AuditLog>>,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain").field("providers", &self.names()).finish()
    }
}

impl Chain {
    /// A chain trying `providers` in order.
    pub fn new(providers: Vec<Arc<dyn Provider>>, budget: Budget) -> Chain {
        Chain {
            members: providers
                .into_iter()
                .map(|provider| Member { provider, breaker: Mutex::default() })
                .collect(),
            policy: Policy::default(),
            budget,
            cache: None,
            audit: None,
        }
    }

    /// Use `policy` for retries and the breaker.
    pub fn with_policy(mut self, policy: Policy) -> Chain {
        self.policy = policy;
        self
    }

    /// Cache greedy answers in `cache`.
    pub fn with_cache(mut self, cache: Cache) -> Chain {
        self.cache = Some(cache);
        self
    }

    /// Log outbound requests to `audit`.
    pub fn with_audit(mut self, audit: Arc<AuditLog>) -> Chain {
        self.audit = Some(audit);
        self
    }

    /// Log a request that carries no prompt (a model list for `aura doctor`)
    /// to the chain's audit log, like every other HTTP request.
    pub fn audit_probe(&self, provider: &dyn Provider, program: &str, outcome: &str) {
        let Some(audit) = &self.audit else { return };
        if provider.host() == "in-process" {
            return;
        }
        audit.append(&AuditEntry {
            time: now_rfc3339(),
            provider: provider.name().to_string(),
            host: provider.host(),
            model: provider.model().to_string(),
            program: program.to_string(),
            bytes: 0,
            redactions: 0,
            redaction_kinds: Default::default(),
            prompt_sha256: sha256_hex(b""),
            prompt: None,
            outcome: outcome.to_string(),
        });
    }

    /// The providers' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|m| m.provider.name().to_string()).collect()
    }

    /// The providers themselves (for `aura doctor`).
    pub fn providers(&self) -> Vec<Arc<dyn Provider>> {
        self.members.iter().map(|m| m.provider.clone()).collect()
    }

    /// The budget each attempt gets.
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// Whether the chain has no provider.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Each provider's health.
    pub fn health(&self) -> Vec<(String, Health)> {
        self.members
            .iter()
            .map(|m| {
                let b = m.breaker.lock().map(|b| (b.failures, b.opened_at, b.last_error.clone()));
                let health = match b {
                    Ok((0, _, _)) | Err(_) => Health::Healthy,
                    Ok((_, Some(at), last_error)) if at.elapsed() < self.policy.breaker_cooldown => {
                        Health::Open { last_error }
                    }
                    Ok((failures, _, last_error)) => Health::Degraded { failures, last_error },
                };
                (m.provider.name().to_string(), health)
            })
            .collect()
    }

    /// Why privacy rules keep `provider` out of this call, if they do.
    fn blocked(provider: &dyn Provider, privacy: &Privacy) -> Option<&'static str> {
        let in_process = provider.host() == "in-process";
        if privacy.local_only && !in_process && (provider.is_remote() || !privacy.local_only_loopback) {
            return Some("this file is local-only (privacy.local_only): it never leaves the Aura process");
        }
        if !provider.is_remote() {
            return None;
        }
        if !privacy.allow_remote {
            Some("remote providers are off (privacy.allow_remote = false)")
        } else {
            None
        }
    }

    /// Answer `request` with the first provider that can, streaming through
    /// `on_event`. The whole chain, retries and failovers included, answers
    /// within the budget's `total`; the cache is asked before any provider, so
    /// a dead first provider does not delay an answer already known.
    pub async fn generate(
        &self,
        request: &GenRequest,
        call: &Call,
        on_event: &(dyn Fn(Event<'_>) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<Outcome, LlmError> {
        let start = Instant::now();
        // Anything sent over HTTP is outbound, even to this machine: redact it.
        let (redacted, redaction) = redact_request(request);
        let outbound = |provider: &dyn Provider| provider.host() != "in-process";
        let sent_to = |provider: &dyn Provider| if outbound(provider) { &redacted } else { request };
        let restore = |provider: &dyn Provider, text: &str| {
            if outbound(provider) {
                redaction.restore(text)
            } else {
                text.to_string()
            }
        };

        if let (Some(cache), false) = (&self.cache, call.bypass_cache) {
            for member in &self.members {
                let provider = member.provider.as_ref();
                if Self::blocked(provider, &call.privacy).is_some() {
                    continue;
                }
                let Some(key) = Cache::key(provider.name(), provider.model(), sent_to(provider)) else {
                    continue;
                };
                if let Some(hit) = cache.get(&key) {
                    let text = restore(provider, &hit.text);
                    on_event(Event::Token(&text));
                    let redactions = if outbound(provider) { redaction.count() } else { 0 };
                    return Ok(Outcome {
                        generation: Generation { text, ..hit },
                        failed: Vec::new(),
                        redactions,
                    });
                }
            }
        }

        let mut failed: Vec<(String, LlmError)> = Vec::new();
        for member in &self.members {
            if cancel.is_cancelled() {
                return Err(LlmError::Cancelled);
            }
            let provider = member.provider.as_ref();
            if let Some(why) = Self::blocked(provider, &call.privacy) {
                failed.push((provider.name().to_string(), LlmError::Blocked(why.to_string())));
                continue;
            }
            if self.is_open(member) {
                failed
                    .push((provider.name().to_string(), LlmError::CircuitOpen(provider.name().to_string())));
                continue;
            }
            let Some(budget) = self.remaining(start) else {
                failed.push((
                    provider.name().to_string(),
                    LlmError::Timeout { stage: crate::provider::Stage::Total, after: self.budget.total },
                ));
                break;
            };
            let sent = sent_to(provider);
            let plain = Redaction::default();
            let redaction = if outbound(provider) { &redaction } else { &plain };

            let streamed = AtomicBool::new(false);
            let restorer = Mutex::new(Restorer::new(redaction));
            let on_token = |piece: &str| {
                streamed.store(true, Ordering::Relaxed);
                let text = restorer.lock().map(|mut r| r.push(piece)).unwrap_or_default();
                if !text.is_empty() {
                    on_event(Event::Token(&text));
                }
            };
            let result = self
                .attempts(provider, sent, &on_token, &streamed, cancel, budget, start, call, redaction)
                .await;
            match result {
                Ok(generation) => {
                    let rest = restorer.lock().map(|mut r| r.finish()).unwrap_or_default();
                    if !rest.is_empty() {
                        on_event(Event::Token(&rest));
                    }
                    self.record(member, None);
                    let key = if call.bypass_cache {
                        None
                    } else {
                        Cache::key(provider.name(), provider.model(), sent)
                    };
                    if let (Some(cache), Some(key)) = (&self.cache, &key) {
                        cache.put(key, &generation);
                    }
                    let text = redaction.restore(&generation.text);
                    return Ok(Outcome {
                        generation: Generation { text, ..generation },
                        failed: stringify(failed),
                        redactions: redaction.count(),
                    });
                }
                Err(LlmError::Cancelled) => return Err(LlmError::Cancelled),
                Err(e) => {
                    tracing::warn!("provider {} failed: {e}", provider.name());
                    self.record(member, Some(&e));
                    if streamed.load(Ordering::Relaxed) {
                        on_event(Event::Restart {
                            failed: provider.name().to_string(),
                            error: e.to_string(),
                        });
                    }
                    failed.push((provider.name().to_string(), e));
                }
            }
        }
        Err(LlmError::Exhausted(failed))
    }

    /// The budget left to an attempt that starts now, or `None` when the
    /// chain's overall deadline has passed.
    fn remaining(&self, start: Instant) -> Option<Budget> {
        let left = self.budget.total.checked_sub(start.elapsed()).filter(|d| !d.is_zero())?;
        Some(Budget {
            connect: self.budget.connect.min(left),
            first_token: self.budget.first_token.min(left),
            total: left,
            ..self.budget
        })
    }

    /// One provider, retried with backoff while its errors are transient,
    /// nothing has streamed yet (`on_token` sets `streamed`) and the overall
    /// deadline allows; each HTTP request is one audit line.
    #[allow(clippy::too_many_arguments)]
    async fn attempts(
        &self,
        provider: &dyn Provider,
        request: &GenRequest,
        on_token: &(dyn Fn(&str) + Send + Sync),
        streamed: &AtomicBool,
        cancel: &CancellationToken,
        mut budget: Budget,
        start: Instant,
        call: &Call,
        redaction: &Redaction,
    ) -> Result<Generation, LlmError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = provider.generate(request, on_token, cancel, &budget).await;
            if provider.host() != "in-process" && !matches!(result, Err(LlmError::Cancelled)) {
                self.audit(provider, call, request, redaction, &result);
            }
            let error = match result {
                Ok(generation) => return Ok(generation),
                Err(e) => e,
            };
            // A retry after streamed output would repeat it: fail over instead.
            let retry =
                error.is_transient() && attempt < self.policy.attempts && !streamed.load(Ordering::Relaxed);
            if !retry {
                return Err(error);
            }
            let backoff = self.policy.backoff.saturating_mul(1 << (attempt - 1).min(16));
            let pause = match &error {
                LlmError::Status { retry_after: Some(after), .. } => *after,
                _ => backoff,
            }
            .min(self.policy.max_backoff);
            // No retry that the overall deadline would cut short anyway.
            let Some(left) = self.remaining(start).filter(|b| b.total > pause) else { return Err(error) };
            tracing::info!("{} failed ({error}); retrying in {} ms", provider.name(), pause.as_millis());
            tokio::select! {
                _ = cancel.cancelled() => return Err(LlmError::Cancelled),
                _ = tokio::time::sleep(pause) => {}
            }
            budget = Budget {
                connect: left.connect.min(left.total - pause),
                first_token: left.first_token.min(left.total - pause),
                total: left.total - pause,
                ..left
            };
        }
    }

    fn is_open(&self, member: &Member) -> bool {
        let Ok(mut breaker) = member.breaker.lock() else { return false };
        match breaker.opened_at {
            Some(at) if at.elapsed() < self.policy.breaker_cooldown => true,
            Some(_) => {
                // Half-open: let one request through; a failure re-opens at once.
                breaker.opened_at = None;
                breaker.failures = self.policy.breaker_threshold.saturating_sub(1);
                false
            }
            None => false,
        }
    }

    fn record(&self, member: &Member, error: Option<&LlmError>) {
        let Ok(mut breaker) = member.breaker.lock() else { return };
        match error {
            None => *breaker = Breaker::default(),
            Some(e) if e.is_provider_fault() => {
                breaker.failures += 1;
                breaker.last_error = e.to_string();
                if breaker.failures >= self.policy.breaker_threshold {
                    breaker.opened_at = Some(Instant::now());
                }
            }
            Some(_) => {}
        }
    }

    fn audit(
        &self,
        provider: &dyn Provider,
        call: &Call,
        sent: &GenRequest,
        redaction: &Redaction,
        result: &Result<Generation, LlmError>,
    ) {
        let Some(audit) = &self.audit else { return };
        let prompt = prompt_text(&sent.input);
        audit.append(&AuditEntry {
            time: now_rfc3339(),
            provider: provider.name().to_string(),
            host: provider.host(),
            model: provider.model().to_string(),
            program: call.program.clone(),
            bytes: prompt.len(),
            redactions: redaction.count(),
            redaction_kinds: redaction.kinds().into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            prompt_sha256: sha256_hex(prompt.as_bytes()),
            prompt: call.privacy.audit_prompts.then_some(prompt),
            outcome: match result {
                Ok(_) => "ok".to_string(),
                Err(e) => e.to_string(),
            },
        });
    }
}

fn stringify(failed: Vec<(String, LlmError)>) -> Vec<(String, String)> {
    failed.into_iter().map(|(name, e)| (name, e.to_string())).collect()
}

/// The request as it will leave the machine, and how to restore the answer.
pub fn redact_request(request: &GenRequest) -> (GenRequest, Redaction) {
    let mut redactor = Redactor::new();
    let input = match &request.input {
        Input::Chat(messages) => Input::Chat(
            messages.iter().map(|m| Message { role: m.role, content: redactor.redact(&m.content) }).collect(),
        ),
        Input::Complete(prompt) => Input::Complete(redactor.redact(prompt)),
    };
    let redaction = redactor.finish(String::new());
    (GenRequest { input, ..request.clone() }, redaction)
}

fn prompt_text(input: &Input) -> String {
    match input {
        Input::Chat(messages) => messages
            .iter()
            .map(|m| format!("{}: {}", m.role.as_str(), m.content))
            .collect::<Vec<_>>()
            .join("\n"),
        Input::Complete(prompt) => prompt.clone(),
    }
}
