//! `aura ask`, `aura run-program` and `aura doctor`: the AI pipeline from a
//! terminal. Answers stream to stdout as they arrive; messages about the
//! pipeline (which provider, failovers, verification) go to stderr.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use aura_catalog::{Catalog, OutputKind, Program};
use aura_dispatch::{prompt, Decision};
use aura_ide::ai::{self, Providers, Role};
use aura_llm::{Call, CancellationToken, Chain, Event, GenRequest, Message};
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

/// Whether answers stream to stdout as they arrive: on a terminal. A pipe or
/// a file gets the final answer only, so a provider that fails mid-answer
/// never leaves its partial text in what a script reads.
fn streaming() -> bool {
    std::io::stdout().is_terminal()
}

/// Streams tokens to a terminal and marks a restart there; elsewhere only
/// says on stderr that a provider failed.
fn printer(event: Event<'_>) {
    match event {
        Event::Token(text) if streaming() => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
        Event::Token(_) => {}
        Event::Restart { failed, error } if streaming() => {
            println!("\n──── {failed} failed mid-answer ({error}); the answer starts over below ────");
        }
        Event::Restart { failed, error } => {
            eprintln!("aura: {failed} failed mid-answer ({error}); trying the next provider")
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
            if !streaming() {
                print!("{}", outcome.generation.text);
            }
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
    let Session { mut prepared, providers, config, chain, decision } = match session(
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
    let reviews = program.output == OutputKind::Diagnostics;
    if let (true, Some(lines), Some(code)) = (reviews, prepared.lines, prepared.input.selection.as_deref()) {
        // Findings come back as `line: ...`; the model must see the file's line numbers.
        prepared.input.selection = Some(aura_ide::review::numbered(code, lines.0));
    }
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
    let findings = match (reviews, prepared.lines) {
        (true, Some(lines)) => aura_ide::review::parse_findings(&execution.answer, lines),
        _ => Vec::new(),
    };
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
            "findings": findings.iter().map(|f| json!({
                "line": f.line + 1,
                "severity": f.severity.as_str(),
                "message": f.message,
            })).collect::<Vec<_>>(),
        }));
    }
    if !streaming() {
        print!("{}", execution.answer);
    }
    println!();
    if reviews {
        for f in &findings {
            println!("{}:{}: {}: {}", args.file.display(), f.line + 1, f.severity.as_str(), f.message);
        }
    }
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

pub fn doctor(args: DoctorArgs) -> ExitCode {
    let (providers, config) = match providers() {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let Ok(rt) = runtime() else { return fail("cannot start the async runtime") };
    let report = rt.block_on(crate::doctor::examine(&providers, &config, !args.no_generate));
    if args.format == OutputFormat::Json {
        return print_json(&report);
    }
    print!("{}", report.text());
    if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
