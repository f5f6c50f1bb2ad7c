//! `aura ask`, `aura run-program` and `aura doctor`: the AI pipeline from a
//! terminal. Answers stream to stdout as they arrive; messages about the
//! pipeline (which provider, failovers, verification) go to stderr.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aura_catalog::{Catalog, Program};
use aura_dispatch::{prompt, Decision};
use aura_ide::ai::{self, Providers, Role};
use aura_llm::{
    Budget, Call, CancellationToken, Chain, Event, GenRequest, Message, Ollama, OpenAi, Provider,
};
use serde_json::json;

use super::dispatch::{fail, prepare, print_json, router_for, Prepared};
use super::{AskArgs, DoctorArgs, OutputFormat, RouteArgs, RunProgramArgs};
use crate::settings;

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// The providers for the current directory's configuration.
fn providers() -> Result<(Providers, aura_config::AiConfig), String> {
    let root = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let config = settings::resolve_with(&root, Vec::new()).map_err(|e| e.to_string())?.config.ai;
    let providers = Providers::from_config(&config, Some(&root));
    for problem in &providers.problems {
        eprintln!("aura: {problem}");
    }
    Ok((providers, config))
}

fn chain_for(providers: &Providers, name: Option<&str>, role: Role) -> Result<Arc<Chain>, String> {
    let chain = match name {
        Some(name) => {
            providers.named(name).ok_or_else(|| format!("no provider named `{name}` is configured"))?
        }
        None => providers.chain(role),
    };
    if chain.is_empty() {
        return Err("no model is configured: add [ai.providers.*] to .aura/config.toml, or run \
                    scripts/fetch-model for the embedded model (see `aura doctor`)"
            .into());
    }
    Ok(chain)
}

/// Streams tokens to stdout; failovers to stderr.
fn printer(event: Event<'_>) {
    match event {
        Event::Token(text) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
        Event::Restart { failed, error } => {
            eprintln!("\naura: {failed} failed mid-answer ({error}); trying the next provider")
        }
    }
}

/// Cancel on Ctrl-C, so the HTTP request or the model loop stops at once.
fn cancel_on_ctrl_c(rt: &tokio::runtime::Runtime) -> CancellationToken {
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    rt.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            trigger.cancel();
        }
    });
    cancel
}

/// What `ask` and `run-program` share: the request's context, its routing
/// (with the chosen program first) fitted to the chain that will answer.
struct Session {
    prepared: Prepared,
    providers: Providers,
    config: aura_config::AiConfig,
    chain: Arc<Chain>,
    decision: Decision,
}

fn session(
    text: &str,
    file: Option<&Path>,
    line: Option<usize>,
    program: Option<&Program>,
    provider: Option<&str>,
    role: Role,
) -> Result<Session, String> {
    let route_args = RouteArgs {
        text: text.to_string(),
        file: file.map(Path::to_path_buf),
        line,
        lang: None,
        format: OutputFormat::Text,
    };
    let prepared = prepare(&route_args)?;
    let (providers, config) = providers()?;
    let chain = chain_for(&providers, provider, role)?;
    let mut decision = router_for(&prepared.workspace).route(&prepared.request);
    if let Some(program) = program {
        decision.force_program(program);
    }
    ai::fit_budget(&chain, &mut decision);
    Ok(Session { prepared, providers, config, chain, decision })
}

fn program_named(wanted: &str) -> Result<&'static Program, String> {
    Catalog::builtin().program(wanted).ok_or_else(|| format!("no program `{wanted}` (see `aura programs`)"))
}

pub fn ask(args: AskArgs) -> ExitCode {
    let program = match args.program.as_deref().map(program_named).transpose() {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let session = match session(
        &args.text,
        args.file.as_deref(),
        args.line,
        program,
        args.provider.as_deref(),
        Role::Chat,
    ) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let messages = if args.raw {
        vec![Message::user(args.text.clone())]
    } else {
        let built = prompt::build(&session.decision, &session.prepared.input);
        vec![Message::system(built.system), Message::user(built.user)]
    };
    let call = session.providers.call("ask", args.file.as_deref(), args.no_cache);
    let Ok(rt) = runtime() else { return fail("cannot start the async runtime") };
    let cancel = cancel_on_ctrl_c(&rt);
    let request = GenRequest::chat(messages, args.max_tokens);
    let result = rt.block_on(session.chain.generate(&request, &call, &printer, &cancel));
    match result {
        Ok(outcome) => {
            println!();
            let g = &outcome.generation;
            eprintln!(
                "aura: {} · {} · {} tokens{}{}{}",
                g.provider,
                g.model,
                g.tokens,
                g.first_token.map(|d| format!(" · first token {} ms", d.as_millis())).unwrap_or_default(),
                g.total.map(|d| format!(" · total {} ms", d.as_millis())).unwrap_or_default(),
                if g.cached { " · cached" } else { "" }
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

pub fn run_program(args: RunProgramArgs) -> ExitCode {
    let program = match program_named(&args.program) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let edits = program.output.is_edit();
    let role = Role::for_output(program.output);
    let Session { prepared, providers, config, chain, decision } = match session(
        &program.purpose,
        Some(&args.file),
        args.line,
        Some(program),
        args.provider.as_deref(),
        role,
    ) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let built = prompt::build(&decision, &prepared.input);
    let call: Call = providers.call(&program.code, Some(&args.file), args.no_cache);
    let Ok(rt) = runtime() else { return fail("cannot start the async runtime") };
    let cancel = cancel_on_ctrl_c(&rt);
    let json = args.format == OutputFormat::Json;
    let quiet = |_: Event<'_>| {};
    let on_event: &(dyn Fn(Event<'_>) + Send + Sync) = if json { &quiet } else { &printer };
    let result = rt.block_on(ai::execute(
        &chain,
        &built,
        program.output,
        program.verify,
        prepared.target.as_ref(),
        &call,
        config.verify_retries,
        on_event,
        &cancel,
    ));
    let execution = match result {
        Ok(e) => e,
        Err(e) => return fail(&e.to_string()),
    };
    let mut applied = false;
    if let (true, true, Some((range, new_text)), Some(target)) =
        (args.apply, execution.verified, &execution.edit, &prepared.target)
    {
        let new = format!("{}{new_text}{}", &target.text[..range.start], &target.text[range.end..]);
        if let Err(e) = std::fs::write(&args.file, new) {
            return fail(&format!("cannot write {}: {e}", args.file.display()));
        }
        applied = true;
    }
    let g = &execution.outcome.generation;
    if json {
        return print_json(&json!({
            "program": program.number,
            "code": program.code,
            "provider": g.provider,
            "model": g.model,
            "attempts": execution.attempts,
            "verified": execution.verified,
            "notes": execution.notes,
            "answer": execution.answer,
            "edit": execution.edit.as_ref().map(|(r, t)| json!({"start": r.start, "end": r.end, "newText": t})),
            "applied": applied,
        }));
    }
    println!();
    for note in &execution.notes {
        eprintln!("aura: {note}");
    }
    eprintln!(
        "aura: P{:02} {} · {} · {} attempt(s) · {}{}",
        program.number,
        program.name,
        g.provider,
        execution.attempts,
        if execution.verified { "verified" } else { "NOT verified" },
        if applied {
            format!(" · written to {}", args.file.display())
        } else if edits && execution.verified && !args.apply {
            " · use --apply to write it".into()
        } else {
            String::new()
        }
    );
    if edits && !execution.verified {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One endpoint's report.
#[derive(serde::Serialize)]
struct Probe {
    name: String,
    kind: String,
    host: String,
    configured: bool,
    ok: bool,
    models: Vec<String>,
    first_token_ms: Option<u128>,
    load_ms: Option<u128>,
    problem: Option<String>,
}

pub fn doctor(args: DoctorArgs) -> ExitCode {
    let (providers, config) = match providers() {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let Ok(rt) = runtime() else { return fail("cannot start the async runtime") };
    let budget = ai::budget(&config);
    let mut probes: Vec<Probe> = Vec::new();
    for (name, provider) in providers.all() {
        probes.push(rt.block_on(probe(name, provider.as_ref(), true, !args.no_generate, &budget)));
    }
    // The usual local servers, when nothing configured points at them.
    let quick = Budget { connect: Duration::from_millis(300), first_token: Duration::from_secs(5), ..budget };
    let usual: [(&str, &str, u16); 3] =
        [("ollama", "ollama", 11434), ("llama.cpp", "openai", 8080), ("lm-studio", "openai", 1234)];
    for (name, kind, port) in usual {
        let taken = probes.iter().any(|p| p.host == "127.0.0.1" && p.name == name);
        if taken {
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
        let mut report = rt.block_on(probe(name, provider.as_ref(), false, false, &quick));
        report.problem = report.problem.map(|p| format!("{p} (port {port})"));
        probes.push(report);
    }
    let embedded = aura_llm::default_model_path();
    if args.format == OutputFormat::Json {
        return print_json(&json!({
            "probes": probes,
            "problems": providers.problems,
            "embedded_model": embedded,
            "remote_allowed": config.privacy.allow_remote,
        }));
    }
    println!("Aura doctor");
    match &embedded {
        Some(path) => println!("  embedded model: {}", path.display()),
        None => println!("  embedded model: not found (run scripts/fetch-model, or set AURA_LLM_MODEL)"),
    }
    println!(
        "  remote providers: {}",
        if config.privacy.allow_remote { "allowed" } else { "off (privacy.allow_remote)" }
    );
    for p in &probes {
        let status = if p.ok {
            "ok"
        } else if p.configured {
            "FAILED"
        } else {
            "not running"
        };
        let mut line = format!("  {:<12} {:<9} {:<12} {}", p.name, p.kind, p.host, status);
        if !p.models.is_empty() {
            line.push_str(&format!(" · models: {}", p.models.join(", ")));
        }
        if let Some(ms) = p.load_ms {
            line.push_str(&format!(" · load {ms} ms"));
        }
        if let Some(ms) = p.first_token_ms {
            line.push_str(&format!(" · first token {ms} ms"));
        }
        if let (Some(problem), true) = (&p.problem, p.configured) {
            line.push_str(&format!(" · {problem}"));
        }
        println!("{line}");
    }
    for problem in &providers.problems {
        println!("  problem: {problem}");
    }
    let failed = probes.iter().any(|p| p.configured && !p.ok) || !providers.problems.is_empty();
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

async fn probe(
    name: &str,
    provider: &dyn Provider,
    configured: bool,
    generate: bool,
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
    if generate {
        let start = Instant::now();
        let request = GenRequest::chat(vec![Message::user("Reply with the word ok.")], 4);
        match provider.generate(&request, &|_| {}, &CancellationToken::new(), budget).await {
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
