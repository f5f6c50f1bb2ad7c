//! `aura doctor` and the `aura.doctor` command: probe the configured
//! providers and the usual local model servers, and say what works. One
//! report, rendered as text for the terminal and markdown for the editor.

use std::time::{Duration, Instant};

use aura_config::AiConfig;
use aura_ide::ai::{self, Providers};
use aura_llm::{Budget, Call, CancellationToken, Chain, GenRequest, Message, Ollama, OpenAi, Provider};
use serde::Serialize;

/// One endpoint's report.
#[derive(Serialize, Debug)]
pub struct Probe {
    pub name: String,
    pub kind: String,
    pub host: String,
    pub configured: bool,
    pub ok: bool,
    pub models: Vec<String>,
    pub first_token_ms: Option<u128>,
    pub load_ms: Option<u128>,
    pub problem: Option<String>,
}

/// Everything doctor found.
#[derive(Serialize, Debug)]
pub struct Report {
    pub probes: Vec<Probe>,
    pub problems: Vec<String>,
    pub embedded_model: Option<std::path::PathBuf>,
    pub remote_allowed: bool,
}

/// Probe every configured provider (generating a few tokens when `generate`)
/// and the usual local servers that nothing configured points at.
pub async fn examine(providers: &Providers, config: &AiConfig, generate: bool) -> Report {
    let budget = ai::budget(config);
    let mut probes: Vec<Probe> = Vec::new();
    for (name, provider) in providers.all() {
        // Privacy holds for probes too: a remote provider that is off is not
        // contacted at all (no model list, no key sent), and the generation
        // probe goes through the provider's chain, which redacts and audits.
        if provider.is_remote() && !config.privacy.allow_remote {
            probes.push(Probe {
                name: name.to_string(),
                kind: provider.kind().to_string(),
                host: provider.host(),
                configured: true,
                ok: false,
                models: Vec::new(),
                first_token_ms: None,
                load_ms: None,
                problem: Some(
                    "not contacted: remote providers are off (privacy.allow_remote = false)".into(),
                ),
            });
            continue;
        }
        let chain = providers.named(name);
        let call = providers.call("doctor", None, true);
        let generation = generate.then_some((chain.as_deref(), &call));
        let report = probe(name, provider.as_ref(), true, generation, &budget).await;
        // The model list is an HTTP request too: one audit line for it.
        if let Some(chain) = &chain {
            let outcome = match (&report.problem, report.models.is_empty()) {
                (Some(problem), true) => problem.clone(),
                _ => "ok".to_string(),
            };
            chain.audit_probe(provider.as_ref(), "doctor: model list", &outcome);
        }
        probes.push(report);
    }
    let quick = Budget { connect: Duration::from_millis(300), first_token: Duration::from_secs(5), ..budget };
    let usual: [(&str, &str, u16); 3] =
        [("ollama", "ollama", 11434), ("llama.cpp", "openai", 8080), ("lm-studio", "openai", 1234)];
    for (name, kind, port) in usual {
        if probes.iter().any(|p| p.host == "127.0.0.1" && p.name == name) {
            continue;
        }
        let provider: Box<dyn Provider> = match kind {
            "ollama" => match Ollama::new(name, &format!("http://127.0.0.1:{port}"), "", &quick) {
                Ok(p) => Box::new(p),
                Err(_) => continue,
            },
            _ => match OpenAi::new(name, &format!("http://127.0.0.1:{port}/v1"), "", None, &quick) {
                Ok(p) => Box::new(p),
                Err(_) => continue,
            },
        };
        let mut report = probe(name, provider.as_ref(), false, None, &quick).await;
        report.problem = report.problem.map(|p| format!("{p} (port {port})"));
        probes.push(report);
    }
    Report {
        probes,
        problems: providers.problems.clone(),
        embedded_model: aura_llm::default_model_path(),
        remote_allowed: config.privacy.allow_remote,
    }
}

impl Report {
    /// A configured provider failed, or the configuration has problems.
    pub fn failed(&self) -> bool {
        self.probes.iter().any(|p| p.configured && !p.ok) || !self.problems.is_empty()
    }

    fn embedded_line(&self) -> String {
        match &self.embedded_model {
            Some(path) => format!("embedded model: {}", path.display()),
            None => "embedded model: not found (run scripts/fetch-model, or set AURA_LLM_MODEL)".into(),
        }
    }

    fn remote_line(&self) -> String {
        format!(
            "remote providers: {}",
            if self.remote_allowed { "allowed" } else { "off (privacy.allow_remote)" }
        )
    }

    /// The terminal report.
    pub fn text(&self) -> String {
        let mut out = format!("Aura doctor\n  {}\n  {}\n", self.embedded_line(), self.remote_line());
        for p in &self.probes {
            out.push_str(&format!(
                "  {:<12} {:<9} {:<12} {}{}\n",
                p.name,
                p.kind,
                p.host,
                p.status(),
                p.details()
            ));
        }
        for problem in &self.problems {
            out.push_str(&format!("  problem: {problem}\n"));
        }
        out
    }

    /// The editor's report: a table per endpoint.
    pub fn markdown(&self) -> String {
        let mut out = format!("# Aura doctor\n\n- {}\n- {}\n\n", self.embedded_line(), self.remote_line());
        out.push_str("| provider | kind | host | status | details |\n|---|---|---|---|---|\n");
        for p in &self.probes {
            let details = p.details().trim_start_matches(" · ").replace('|', "\\|");
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                p.name,
                p.kind,
                p.host,
                p.status(),
                details
            ));
        }
        if !self.problems.is_empty() {
            out.push_str("\n## Problems\n\n");
            for problem in &self.problems {
                out.push_str(&format!("- {problem}\n"));
            }
        }
        out
    }
}

impl Probe {
    fn status(&self) -> &'static str {
        if self.ok {
            "ok"
        } else if self.configured {
            "FAILED"
        } else {
            "not running"
        }
    }

    fn details(&self) -> String {
        let mut line = String::new();
        if !self.models.is_empty() {
            line.push_str(&format!(" · models: {}", self.models.join(", ")));
        }
        if let Some(ms) = self.load_ms {
            line.push_str(&format!(" · load {ms} ms"));
        }
        if let Some(ms) = self.first_token_ms {
            line.push_str(&format!(" · first token {ms} ms"));
        }
        if let (Some(problem), true) = (&self.problem, self.configured) {
            line.push_str(&format!(" · {problem}"));
        }
        line
    }
}

async fn probe(
    name: &str,
    provider: &dyn Provider,
    configured: bool,
    generate: Option<(Option<&Chain>, &Call)>,
    budget: &Budget,
) -> Probe {
    let mut report = Probe {
        name: name.to_string(),
        kind: provider.kind().to_string(),
        host: provider.host(),
        configured,
        ok: false,
        models: Vec::new(),
        first_token_ms: None,
        load_ms: None,
        problem: None,
    };
    match provider.models(budget).await {
        Ok(models) => {
            report.models = models;
            report.ok = true;
        }
        Err(e) => {
            report.problem = Some(e.to_string());
            return report;
        }
    }
    if let Some((chain, call)) = generate {
        let start = Instant::now();
        let request = GenRequest::chat(vec![Message::user("Reply with the word ok.")], 4);
        let result = match chain {
            Some(chain) => chain
                .generate(&request, call, &|_| {}, &CancellationToken::new())
                .await
                .map(|outcome| outcome.generation),
            None => provider.generate(&request, &|_| {}, &CancellationToken::new(), budget).await,
        };
        match result {
            Ok(g) => {
                report.first_token_ms = g.first_token.map(|d| d.as_millis());
                if provider.host() == "in-process" {
                    let total = start.elapsed().as_millis();
                    report.load_ms = Some(total.saturating_sub(g.total.map_or(0, |d| d.as_millis())));
                }
            }
            Err(e) => {
                report.ok = false;
                report.problem = Some(e.to_string());
            }
        }
    }
    report
}
