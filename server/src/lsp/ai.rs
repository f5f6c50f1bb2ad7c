//! The AI path in the editor (DESIGN §1 OBSERVE → PLAN → BUILD): code actions
//! that offer the few programs fitting the cursor (a repair program on a
//! diagnostic; explain, refactor, test and document on a selection), the
//! `aura.route`, `aura.runProgram` and `aura.feedback` commands, the custom
//! `aura/route` request, and the workspace's active modules and feedback.
//!
//! Listing actions only routes (well under a millisecond each); the prompt is
//! built when an action is resolved and run. Until a model provider exists,
//! running a program opens the built prompt as a markdown document and says
//! that no model is configured.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use aura_analysis::Diagnostic;
use aura_catalog::{Catalog, OutputKind};
use aura_config::AiConfig;
use aura_dispatch::feedback::{FeedbackStore, Signal};
use aura_dispatch::prompt::{self, PromptInput};
use aura_dispatch::{modules, Decision, Request, Router};
use aura_ide::ai::{Providers, Role};
use aura_ide::ai_context::{code_context_in, has_diagnostics_at, CodeContext};
use aura_ide::review::{self, Finding};
use aura_llm::{CancellationToken, Event, Health};
use aura_syntax::tree_sitter::Tree;
use aura_syntax::{offset_at, Snapshot};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tower_lsp::jsonrpc::Result as RpcResult;
use tower_lsp::lsp_types as lsp;

use super::commands::invalid;
use super::progress::Progress;
use super::{convert, internal, not_open, State};

pub(crate) const ROUTE: &str = "aura.route";
pub(crate) const RUN_PROGRAM: &str = "aura.runProgram";
pub(crate) const FEEDBACK: &str = "aura.feedback";
pub(crate) const UNDO_LAST_AI_EDIT: &str = "aura.undoLastAiEdit";
pub(crate) const DOCTOR: &str = "aura.doctor";

/// The program `ai.review_on_save` runs.
const REVIEW_PROGRAM: &str = "code-review";

/// Manifest file names whose change re-computes module activation.
pub(crate) const MANIFESTS: &[&str] = &[
    "package.json",
    "Cargo.toml",
    "pyproject.toml",
    "requirements.txt",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Gemfile",
    "composer.json",
];

/// Requests behind the selection actions; routing them with the selected code
/// picks the program (a SQL selection's "improve" becomes query optimisation).
const SELECTION_OFFERS: &[&str] =
    &["explain this code", "refactor this", "write tests for this", "document this"];

/// How similar a workspace function must be to the one a request is about
/// to go into its prompt: code doing the same job, not merely code in the
/// same language.
const RELATED_SIMILARITY: f32 = 0.8;

#[derive(Default)]
pub(crate) struct AiState {
    modules: RwLock<Vec<String>>,
    feedback: OnceLock<Arc<FeedbackStore>>,
    providers: RwLock<Option<(AiConfig, Arc<Providers>)>>,
    undo: Mutex<Vec<UndoEntry>>,
    inflight: Mutex<Vec<Inflight>>,
    /// AI review findings per document, kept on the document's current lines.
    findings: Mutex<HashMap<String, Vec<Stored>>>,
    /// The review running on a saved document; a newer save cancels it.
    reviews: Mutex<HashMap<String, (u64, CancellationToken)>>,
    /// The inline completion running for each document; a newer one cancels it.
    completions: Mutex<HashMap<String, CancellationToken>>,
}

/// A review finding and the program that made it (a later run of the same
/// program over the same lines replaces it).
#[derive(Debug, Clone)]
struct Stored {
    finding: Finding,
    program: u16,
    code: String,
}

/// The document an AI request is about, as it was when the request started.
pub(crate) struct Focus {
    uri: lsp::Url,
    snapshot: Snapshot,
    version: i32,
    context: CodeContext,
}

/// Arguments of `aura.route`, `aura.runProgram` and `aura/route`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AiRequest {
    /// The request in the user's words; defaults to the program's purpose.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub uri: Option<lsp::Url>,
    #[serde(default)]
    pub range: Option<lsp::Range>,
    /// A program number or code to run instead of the routed one.
    #[serde(default)]
    pub program: Option<Value>,
}

impl State {
    /// The workspace's feedback, opened on first use.
    fn feedback_store(&self) -> Arc<FeedbackStore> {
        let root = self.root().unwrap_or_else(|| PathBuf::from("."));
        self.ai.feedback.get_or_init(|| Arc::new(FeedbackStore::open(FeedbackStore::path_for(&root)))).clone()
    }

    fn router(&self) -> Router {
        Router::new().with_feedback(self.feedback_store())
    }

    pub(crate) fn active_modules(&self) -> Vec<String> {
        self.ai.modules.read().map(|m| m.clone()).unwrap_or_default()
    }

    /// Compute module activation for the workspace root, off the protocol task.
    pub(crate) async fn refresh_modules(&self) {
        let Some(root) = self.root() else { return };
        if let Ok(activation) = tokio::task::spawn_blocking(move || modules::detect(&root)).await {
            if let Ok(mut m) = self.ai.modules.write() {
                *m = activation.codes();
            }
        }
    }
}

/// Whether a changed file is a manifest that can change module activation.
pub(crate) fn is_manifest(uri: &lsp::Url) -> bool {
    let name = uri.path().rsplit('/').next().unwrap_or_default();
    MANIFESTS.contains(&name) || name.ends_with(".csproj") || name.starts_with("requirements")
}

/// The cursor line and, for a non-empty range, the selected bytes.
fn focus_of(snapshot: &Snapshot, range: Option<lsp::Range>, state: &State) -> (usize, Option<Range<usize>>) {
    let encoding = state.encoding();
    let to_offset = |p: lsp::Position| offset_at(&snapshot.text, convert::line_col(p), encoding);
    match range {
        Some(r) if r.start != r.end => {
            let (start, end) = (to_offset(r.start), to_offset(r.end));
            (r.start.line as usize, Some(start.min(end)..start.max(end)))
        }
        Some(r) => (r.start.line as usize, None),
        None => (0, None),
    }
}

/// Context for a request at `range` of an open document, from its analysis
/// under the user's rule settings (the same tree and findings the editor shows).
fn context_of(
    snapshot: &Snapshot,
    tree: Option<&Tree>,
    diagnostics: &[Diagnostic],
    range: Option<lsp::Range>,
    state: &State,
) -> CodeContext {
    let (line, selection) = focus_of(snapshot, range, state);
    code_context_in(snapshot.language, tree, &snapshot.text, diagnostics, line, selection)
}

fn request_of(text: &str, ctx: &CodeContext, modules: Vec<String>) -> Request {
    Request {
        text: text.to_owned(),
        language: ctx.language.clone(),
        code: Some(ctx.code.clone()),
        diagnostics: ctx.diagnostic_codes.clone(),
        modules,
    }
}

/// AI code actions for `range`: one repair program per diagnostic there (at
/// most two), and on a non-empty selection the explain, refactor, test and
/// document programs routing picks for that code. Each carries its request
/// in `data`; `codeAction/resolve` attaches the command.
pub(crate) fn code_actions(
    state: &State,
    uri: &lsp::Url,
    snapshot: &Snapshot,
    tree: Option<&Tree>,
    diagnostics: &[Diagnostic],
    range: lsp::Range,
) -> Vec<lsp::CodeAction> {
    let (line, selection) = focus_of(snapshot, Some(range), state);
    // Most code-action requests are a cursor moving over clean code: answer
    // them before measuring the file for its enclosing function.
    if selection.is_none() && !has_diagnostics_at(&snapshot.text, diagnostics, line, None) {
        return Vec::new();
    }
    let catalog = Catalog::builtin();
    let ctx = code_context_in(snapshot.language, tree, &snapshot.text, diagnostics, line, selection);
    let router = state.router();
    let modules = state.active_modules();
    let mut offers: Vec<(String, Decision)> = Vec::new();
    for code in ctx.diagnostic_codes.iter().take(2) {
        let mut request = request_of("fix this", &ctx, modules.clone());
        request.diagnostics = vec![code.clone()];
        let decision = router.route(&request);
        offers.push((format!("fix {code}"), decision));
    }
    if range.start != range.end {
        for text in SELECTION_OFFERS {
            offers.push(((*text).to_owned(), router.route(&request_of(text, &ctx, modules.clone()))));
        }
    }
    let mut seen = Vec::new();
    let mut actions = Vec::new();
    for (text, decision) in offers {
        let top = decision.top_program();
        if seen.contains(&top.number) {
            continue;
        }
        seen.push(top.number);
        let Some(program) = catalog.program_number(top.number) else { continue };
        let kind = match program.action_kind.as_str() {
            "none" => "source.aura".to_owned(),
            k => k.to_owned(),
        };
        let request = AiRequest {
            text: Some(text),
            uri: Some(uri.clone()),
            range: Some(range),
            program: Some(Value::from(program.number)),
        };
        actions.push(lsp::CodeAction {
            title: format!("Aura AI: {}", program.name),
            kind: Some(lsp::CodeActionKind::from(kind)),
            data: serde_json::to_value(&request).ok(),
            ..Default::default()
        });
    }
    actions
}

/// `codeAction/resolve`: attach the command that runs the program.
pub(crate) fn resolve(mut action: lsp::CodeAction) -> lsp::CodeAction {
    if let Some(data) = action.data.clone() {
        action.command = Some(lsp::Command {
            title: action.title.clone(),
            command: RUN_PROGRAM.to_owned(),
            arguments: Some(vec![data]),
        });
    }
    action
}

fn parse_request(command: &str, arguments: &[Value]) -> RpcResult<AiRequest> {
    let usage = || invalid(format!("{command} takes [{{text, uri, range, program}}]"));
    let first = arguments.first().ok_or_else(usage)?;
    serde_json::from_value(first.clone()).map_err(|_| usage())
}

/// Route a request as typed; the document (when given) supplies the code
/// context. `apply_choice` then honours an explicitly chosen program.
async fn decide(state: &State, request: &AiRequest) -> RpcResult<(Decision, PromptInput, Option<Focus>)> {
    let modules = state.active_modules();
    let mut input = PromptInput {
        request: request.text.clone().unwrap_or_default(),
        test_framework: prompt::test_framework_of(&modules),
        modules: modules.clone(),
        ..PromptInput::default()
    };
    let mut routed = Request { text: input.request.clone(), modules, ..Request::default() };
    let mut focus = None;
    if let Some(uri) = &request.uri {
        let key = uri.to_string();
        let (snapshot, version, _) = state.docs.snapshot(&key).ok_or_else(|| not_open(&key))?;
        let (state2, range) = (state.clone(), request.range);
        let snap = snapshot.clone();
        let config = state.config();
        let key2 = key.clone();
        let ctx = tokio::task::spawn_blocking(move || {
            let (tree, diagnostics) = super::diagnostics::analysis(&state2, &key2, &snap, &config);
            context_of(&snap, tree.as_ref(), &diagnostics, range, &state2)
        })
        .await
        .map_err(|e| internal(format!("context failed: {e}")))?;
        routed = request_of(&routed.text, &ctx, routed.modules);
        input.language = ctx.language.clone();
        input.file_path = uri.to_file_path().ok().map(|p| display_path(&p, state.root().as_deref()));
        input.selection = Some(ctx.code.clone());
        input.symbol = ctx.symbol.clone();
        input.diagnostics = ctx.diagnostics.clone();
        input.file = Some(snapshot.text.to_string());
        if ctx.symbol.is_some() {
            // Code like this elsewhere in the workspace (the semantic index):
            // how the project already solves the same problem.
            let providers = state.providers();
            let local_only = |path: &std::path::Path| providers.is_local_only(path);
            input.related = state.semantic.related_code(
                &key,
                ctx.lines.0.saturating_sub(1),
                3,
                RELATED_SIMILARITY,
                &local_only,
            );
        }
        focus = Some(Focus { uri: uri.clone(), snapshot, version, context: ctx });
    }
    Ok((state.router().route(&routed), input, focus))
}

/// Apply what the caller chose over the routing: the program to run (first
/// in the decision), and the program's purpose as the request when none was
/// typed.
fn apply_choice(decision: &mut Decision, input: &mut PromptInput, request: &AiRequest) -> RpcResult<()> {
    if let Some(wanted) = &request.program {
        let wanted = match wanted {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => return Err(invalid("program must be a number or a code".into())),
        };
        let program =
            Catalog::builtin().program(&wanted).ok_or_else(|| invalid(format!("no program `{wanted}`")))?;
        decision.force_program(program);
    }
    if input.request.is_empty() {
        let top = decision.top_program().number;
        input.request = Catalog::builtin().program_number(top).map(|p| p.purpose.clone()).unwrap_or_default();
    }
    Ok(())
}

fn display_path(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path).display().to_string()
}

pub(crate) async fn route(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let request = parse_request(ROUTE, &arguments)?;
    let (mut decision, mut input, _) = decide(state, &request).await?;
    apply_choice(&mut decision, &mut input, &request)?;
    Ok(serde_json::to_value(&decision).ok())
}

/// `aura.runProgram`: route, build the prompt and run it through the edit or
/// chat chain, streaming through `$/progress`. Edits that verify are applied
/// with `workspace/applyEdit` (the user asked for them by running the
/// command) and can be undone with `aura.undoLastAiEdit`; explanations open as
/// a markdown document with a short summary. With no model configured, the
/// prompt itself opens and a message says so. Records feedback: the program
/// run is accepted, a different top-ranked program is rejected.
pub(crate) async fn run_program(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let request = parse_request(RUN_PROGRAM, &arguments)?;
    run(state, &request, Mode::Asked, CancellationToken::new()).await
}

/// Who started a program run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The user, through a command or code action: feedback is recorded and
    /// the result is announced.
    Asked,
    /// A save with `ai.review_on_save`: no feedback, no messages, and no
    /// prompt document when no model is configured.
    OnSave,
}

async fn run(
    state: &State,
    request: &AiRequest,
    mode: Mode,
    cancel: CancellationToken,
) -> RpcResult<Option<Value>> {
    let (mut decision, mut input, focus) = decide(state, request).await?;
    let routed_top = decision.top_program().number;
    apply_choice(&mut decision, &mut input, request)?;
    let providers = state.providers();
    let program = Catalog::builtin()
        .program_number(decision.top_program().number)
        .ok_or_else(|| internal("unknown program".into()))?;
    let edits = program.output.is_edit();
    let reviews = program.output == OutputKind::Diagnostics;
    if let (true, Some(focus)) = (reviews, &focus) {
        // Findings come back as `line: ...`; the model must see the file's line numbers.
        input.selection = Some(aura_ide::review::numbered(&focus.context.code, focus.context.lines.0));
    }
    let chain = providers.chain(Role::for_output(program.output));
    aura_ide::ai::fit_budget(&chain, &mut decision);
    let built = prompt::build(&decision, &input);
    let ranked = decision.top_program().clone();
    let store = state.feedback_store();
    let key = decision.context_key.clone();
    if mode == Mode::Asked {
        let _ = store.record(&key, ranked.number, Signal::Accept);
        if routed_top != ranked.number {
            let _ = store.record(&key, routed_top, Signal::Reject);
        }
    }
    if !providers.is_available() {
        if mode == Mode::OnSave {
            return Ok(None);
        }
        return prompt_only(state, &ranked, &built, &providers.problems).await;
    }
    let target = focus.as_ref().map(|f| aura_ide::ai::Target {
        language: f.snapshot.language,
        text: f.snapshot.text.to_string(),
        range: f.context.range.clone(),
        diagnostic: f.context.diagnostic_codes.first().cloned(),
    });
    let file = focus.as_ref().and_then(|f| f.uri.to_file_path().ok());
    let call = providers.call(&program.code, file.as_deref(), false);

    let _inflight = focus.as_ref().map(|f| state.ai.track(&f.uri, f.context.lines, cancel.clone()));
    let title = format!("Aura: P{:02} {}", program.number, program.name);
    let progress = Arc::new(
        Progress::begin(
            state,
            &format!("aura/program/{}", next_id()),
            &title,
            "waiting for the model".into(),
        )
        .await,
    );
    // Tokens arrive on the provider's task; forward them to `$/progress` from ours.
    // `None`: a provider failed mid-answer and the next starts over, so the
    // partial text shown so far is withdrawn.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Option<String>>();
    let forward = {
        let (state, progress) = (state.clone(), progress.clone());
        tokio::spawn(async move {
            let mut text = String::new();
            while let Some(piece) = rx.recv().await {
                match piece {
                    Some(piece) => text.push_str(&piece),
                    None => {
                        text.clear();
                        progress.report(&state, "trying the next provider…".to_string(), None, true).await;
                        continue;
                    }
                }
                progress.report(&state, tail(&text, 80), None, false).await;
            }
            // Throttling may have dropped the last pieces (or all of a cached answer).
            if !text.is_empty() {
                progress.report(&state, tail(&text, 80), None, true).await;
            }
        })
    };
    let on_event = move |event: Event<'_>| {
        let _ = tx.send(match event {
            Event::Token(t) => Some(t.to_string()),
            Event::Restart { .. } => None,
        });
    };
    let retries = state.config().ai.verify_retries;
    let result = aura_ide::ai::execute(
        &chain,
        &built,
        program.output,
        program.verify,
        target.as_ref(),
        &call,
        retries,
        &on_event,
        &cancel,
    )
    .await;
    drop(on_event);
    let _ = forward.await;
    let execution = match result {
        Ok(execution) => execution,
        Err(e) => {
            progress.end(state, format!("failed: {e}")).await;
            state.report_health(&chain).await;
            if mode == Mode::Asked {
                let message = format!("Aura: P{:02} {} failed: {e}", program.number, program.name);
                state.client.show_message(lsp::MessageType::ERROR, message).await;
            }
            return Ok(Some(json!({"program": ranked, "error": e.to_string()})));
        }
    };
    progress.end(state, format!("done in {} attempt(s)", execution.attempts)).await;
    if !execution.outcome.failed.is_empty() {
        state.report_health(&chain).await;
    }
    let generation = &execution.outcome.generation;
    let mut reply = json!({
        "program": ranked,
        "provider": generation.provider,
        "model": generation.model,
        "attempts": execution.attempts,
        "verified": execution.verified,
        "notes": execution.notes,
        "answer": execution.answer,
        "cached": generation.cached,
    });

    match (&execution.edit, &focus) {
        (Some((range, new_text)), Some(focus)) if execution.verified && edits => {
            let applied =
                state.apply_ai_edit(focus, range.clone(), new_text, program.number, key.clone()).await?;
            reply["applied"] = json!(applied);
            reply["edit"] = json!({"range": convert::range(&focus.snapshot.text, range.clone(), state.encoding()), "newText": new_text});
        }
        _ if edits && !execution.verified => {
            let document = open_markdown(
                state,
                &format!("P{:02}", program.number),
                &failed_markdown(&title, &execution),
            )
            .await;
            reply["document"] = json!(document);
            let message = format!(
                "{title}: the model's code did not verify after {} attempt(s), so nothing was changed ({})",
                execution.attempts,
                execution.notes.last().cloned().unwrap_or_default()
            );
            state.client.show_message(lsp::MessageType::WARNING, message).await;
        }
        (_, Some(focus)) if reviews => {
            let findings = aura_ide::review::parse_findings(&execution.answer, focus.context.lines);
            reply["findings"] = json!(findings
                .iter()
                .map(|f| json!({"line": f.line, "severity": f.severity.as_str(), "message": f.message}))
                .collect::<Vec<_>>());
            let count = findings.len();
            let placed = state.store_findings(focus, program, findings);
            if placed {
                state.republish(&focus.uri).await;
            }
            if mode == Mode::Asked {
                let message = match (placed, count) {
                    (false, _) => format!("{title}: the file changed during the review; run it again"),
                    (true, 0) => format!("{title}: no findings"),
                    (true, n) => format!("{title}: {n} finding(s), shown as diagnostics"),
                };
                state.client.show_message(lsp::MessageType::INFO, message).await;
                if placed && count == 0 && !execution.answer.trim().is_empty() {
                    // Nothing placeable, but the answer may still say something worth reading.
                    let markdown = format!("# {title}\n\n{}\n", execution.answer.trim());
                    reply["document"] =
                        json!(open_markdown(state, &format!("P{:02}", program.number), &markdown).await);
                }
            }
        }
        _ if program.output == OutputKind::NewFile => {
            let (path, applied) = state.create_ai_file(focus.as_ref(), program, &execution).await;
            reply["file"] = json!(path);
            reply["applied"] = json!(applied);
        }
        _ => {
            let markdown = format!(
                "# {title}\n\n{}\n\n---\n*{} · {}*\n",
                execution.answer.trim(),
                generation.provider,
                generation.model
            );
            let document = open_markdown(state, &format!("P{:02}", program.number), &markdown).await;
            reply["document"] = json!(document);
            state
                .client
                .show_message(lsp::MessageType::INFO, format!("{title}: {}", summary(&execution.answer)))
                .await;
        }
    }
    Ok(Some(reply))
}

/// No model: open the prompt Aura would send, and say why nothing was sent.
async fn prompt_only(
    state: &State,
    program: &aura_dispatch::RankedProgram,
    built: &prompt::Prompt,
    problems: &[String],
) -> RpcResult<Option<Value>> {
    let why = if problems.is_empty() {
        "No model is configured (see `aura doctor`), so nothing was sent.".to_string()
    } else {
        format!("No provider could be set up ({}), so nothing was sent.", problems.join("; "))
    };
    let markdown = format!(
        "# Aura: P{:02} {}\n\n> {why} This is the prompt Aura would send (about {} tokens; tiers {:?}).\n\n\
         ## System\n\n```text\n{}\n```\n\n## User\n\n```text\n{}\n```\n",
        program.number,
        program.name,
        built.tokens,
        built.tiers,
        built.system.trim_end(),
        built.user.trim_end()
    );
    let document = open_markdown(state, &format!("P{:02}", program.number), &markdown).await;
    state
        .client
        .show_message(
            lsp::MessageType::WARNING,
            format!(
                "Aura: no model is configured; opened the prompt for P{:02} {}",
                program.number, program.name
            ),
        )
        .await;
    Ok(Some(json!({"program": program, "prompt": built, "document": document, "model": null})))
}

/// Write `markdown` to the session's private scratch directory and ask the editor to show it.
/// Clients without `window/showDocument` (Neovim 0.7) still get the path in the reply.
pub(crate) async fn open_markdown(state: &State, name: &str, markdown: &str) -> Option<lsp::Url> {
    let document = match super::scratch::write(&format!("{name}-{}.md", next_id()), markdown) {
        Ok(path) => lsp::Url::from_file_path(&path).ok(),
        Err(e) => {
            tracing::warn!("cannot write the document: {e}");
            None
        }
    };
    if let Some(uri) = &document {
        let _ = state
            .client
            .show_document(lsp::ShowDocumentParams {
                uri: uri.clone(),
                external: Some(false),
                take_focus: Some(true),
                selection: None,
            })
            .await;
    }
    document
}

fn failed_markdown(title: &str, execution: &aura_ide::ai::Execution) -> String {
    let notes: Vec<String> = execution.notes.iter().map(|n| format!("- {n}")).collect();
    format!(
        "# {title}: not applied\n\nThe model's code did not pass verification, so your file is unchanged.\n\n{}\n\n\
         ## The last answer\n\n{}\n",
        notes.join("\n"),
        execution.answer.trim()
    )
}

/// The first sentence of an answer, short enough for a message.
fn summary(answer: &str) -> String {
    let text =
        answer.trim().lines().find(|l| !l.trim().is_empty() && !l.starts_with('#')).unwrap_or("").trim();
    let sentence = text.split_inclusive(". ").next().unwrap_or(text);
    aura_llm::stream::shorten(sentence, 160)
}

fn tail(text: &str, max: usize) -> String {
    let flat = text.replace('\n', " ");
    let start = flat.len().saturating_sub(max);
    let start = (start..flat.len()).find(|i| flat.is_char_boundary(*i)).unwrap_or(flat.len());
    flat[start..].to_string()
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `aura.undoLastAiEdit`: put back exactly the text the last AI edit replaced,
/// if the edited text is still as the edit left it.
pub(crate) async fn undo_last_edit(state: &State, _arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let Some(entry) = state.ai.undo.lock().ok().and_then(|mut u| u.pop()) else {
        state.client.show_message(lsp::MessageType::INFO, "Aura: no AI edit to undo").await;
        return Ok(Some(json!({"undone": false, "reason": "nothing to undo"})));
    };
    let key = entry.uri.to_string();
    let (snapshot, _, _) = state.docs.snapshot(&key).ok_or_else(|| not_open(&key))?;
    let end = entry.start + entry.inserted.len();
    let current =
        (end <= snapshot.text.len_bytes()).then(|| snapshot.text.byte_slice(entry.start..end).to_string());
    if current.as_deref() != Some(entry.inserted.as_str()) {
        let message = "Aura: the text changed since the AI edit; undo it with the editor's own undo";
        state.client.show_message(lsp::MessageType::WARNING, message).await;
        return Ok(Some(json!({"undone": false, "reason": "the edited text changed"})));
    }
    let range = convert::range(&snapshot.text, entry.start..end, state.encoding());
    let edit = lsp::WorkspaceEdit {
        changes: Some(
            [(entry.uri.clone(), vec![lsp::TextEdit { range, new_text: entry.original.clone() }])].into(),
        ),
        ..Default::default()
    };
    let response = state
        .client
        .apply_edit(edit)
        .await
        .map_err(|e| internal(format!("workspace/applyEdit failed: {e}")))?;
    if response.applied {
        let _ = state.feedback_store().record(&entry.context_key, entry.program, Signal::Undo);
    }
    Ok(Some(json!({"undone": response.applied, "program": entry.program})))
}

/// An applied AI edit, enough to restore the text exactly.
pub(crate) struct UndoEntry {
    uri: lsp::Url,
    start: usize,
    inserted: String,
    original: String,
    program: u16,
    context_key: String,
}

/// An AI request in flight for a document's lines; an edit there cancels it.
struct Inflight {
    id: u64,
    uri: lsp::Url,
    lines: (u32, u32),
    cancel: CancellationToken,
}

/// Removes its request from the in-flight list when the request ends.
pub(crate) struct InflightGuard {
    ai: Arc<AiState>,
    id: u64,
}

impl Drop for InflightGuard {
    fn drop(&mut self) {
        if let Ok(mut inflight) = self.ai.inflight.lock() {
            inflight.retain(|i| i.id != self.id);
        }
    }
}

impl AiState {
    pub(crate) fn track(
        self: &Arc<Self>,
        uri: &lsp::Url,
        lines: (u32, u32),
        cancel: CancellationToken,
    ) -> InflightGuard {
        let id = next_id();
        if let Ok(mut inflight) = self.inflight.lock() {
            inflight.push(Inflight { id, uri: uri.clone(), lines, cancel });
        }
        InflightGuard { ai: self.clone(), id }
    }

    /// A newer edit to the lines an AI request works on makes its answer stale: cancel it.
    pub(crate) fn cancel_overlapping(&self, uri: &lsp::Url, changes: &[lsp::TextDocumentContentChangeEvent]) {
        let Ok(inflight) = self.inflight.lock() else { return };
        for request in inflight.iter().filter(|i| &i.uri == uri) {
            let hit = changes.iter().any(|c| match c.range {
                None => true,
                Some(r) => r.start.line < request.lines.1 && request.lines.0 <= r.end.line + 1,
            });
            if hit {
                tracing::info!("an edit overlaps an AI request's code; cancelling it");
                request.cancel.cancel();
            }
        }
    }

    /// Apply an edit with the document's review findings moved along: `apply`
    /// changes the document under the findings' lock, so a review finishing
    /// meanwhile sees either the old version or the moved findings.
    pub(crate) fn edit_findings<R>(
        &self,
        key: &str,
        changes: &[lsp::TextDocumentContentChangeEvent],
        apply: impl FnOnce() -> R,
    ) -> R {
        let Ok(mut all) = self.findings.lock() else { return apply() };
        if let Some(stored) = all.get_mut(key) {
            for change in changes {
                let Some(r) = change.range else {
                    stored.clear();
                    break;
                };
                let new_lines = change.text.matches('\n').count() as u32;
                review::shift(stored, |s| &mut s.finding.line, r.start.line, r.end.line, new_lines);
            }
        }
        apply()
    }

    /// Make `cancel` the document's running completion, cancelling the one
    /// before: the user has typed on, so its answer is no longer wanted.
    pub(crate) fn supersede_completion(&self, key: &str, cancel: CancellationToken) {
        if let Ok(mut running) = self.completions.lock() {
            if let Some(previous) = running.insert(key.to_string(), cancel) {
                previous.cancel();
            }
        }
    }

    /// Forget a closed document's findings and completion.
    pub(crate) fn forget_document(&self, key: &str) {
        if let Ok(mut all) = self.findings.lock() {
            all.remove(key);
        }
        if let Ok(mut running) = self.completions.lock() {
            running.remove(key);
        }
    }

    /// The document's findings as `aura-ai` diagnostics on `text`, each
    /// spanning its line's code.
    pub(crate) fn finding_diagnostics(
        &self,
        key: &str,
        text: &aura_syntax::Rope,
        encoding: aura_syntax::PositionEncoding,
    ) -> Vec<lsp::Diagnostic> {
        let Ok(all) = self.findings.lock() else { return Vec::new() };
        let Some(stored) = all.get(key) else { return Vec::new() };
        stored
            .iter()
            .filter(|s| (s.finding.line as usize) < text.len_lines())
            .map(|s| {
                let line = s.finding.line as usize;
                let start = text.line_to_byte(line);
                let content = text.line(line).to_string();
                let code_start = start + (content.len() - content.trim_start().len());
                let code_end = start + content.trim_end().len();
                lsp::Diagnostic {
                    range: convert::range(text, code_start.min(code_end)..code_end, encoding),
                    severity: Some(match s.finding.severity {
                        review::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                        review::Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
                    }),
                    code: Some(lsp::NumberOrString::String(s.code.clone())),
                    source: Some("aura-ai".into()),
                    message: s.finding.message.clone(),
                    ..lsp::Diagnostic::default()
                }
            })
            .collect()
    }

    /// Cancel every AI request (shutdown).
    pub(crate) fn cancel_all(&self) {
        if let Ok(inflight) = self.inflight.lock() {
            inflight.iter().for_each(|i| i.cancel.cancel());
        }
    }
}

impl State {
    /// Keep a review's findings unless the document changed since the
    /// reviewed snapshot (their lines would be wrong). They replace the same
    /// program's findings on the reviewed lines.
    fn store_findings(&self, focus: &Focus, program: &aura_catalog::Program, findings: Vec<Finding>) -> bool {
        let key = focus.uri.to_string();
        let Ok(mut all) = self.ai.findings.lock() else { return false };
        if self.docs.version(&key) != Some(focus.version) {
            return false;
        }
        let (first, last) = focus.context.lines;
        let stored = all.entry(key).or_default();
        stored.retain(|s| {
            s.program != program.number || s.finding.line + 1 < first || s.finding.line + 1 > last
        });
        stored.extend(findings.into_iter().map(|finding| Stored {
            finding,
            program: program.number,
            code: program.code.clone(),
        }));
        true
    }

    /// Publish a document's diagnostics again (or ask a pulling client to pull).
    async fn republish(&self, uri: &lsp::Url) {
        if self.pulls_diagnostics() {
            self.refresh_pulled_diagnostics().await;
        } else {
            self.scheduler.schedule(self, uri.clone());
        }
    }

    /// `ai.review_on_save`: review the whole saved file in the background,
    /// cancelling this file's previous review if it is still running.
    pub(crate) fn review_saved(&self, uri: lsp::Url) {
        let config = self.config();
        if !config.ai.enable || !config.ai.review_on_save || !self.providers().is_available() {
            return;
        }
        let key = uri.to_string();
        let Some((snapshot, _, _)) = self.docs.snapshot(&key) else { return };
        let (id, cancel) = (next_id(), CancellationToken::new());
        if let Ok(mut reviews) = self.ai.reviews.lock() {
            if let Some((_, previous)) = reviews.insert(key.clone(), (id, cancel.clone())) {
                previous.cancel();
            }
        }
        let last = snapshot.text.len_lines() as u32;
        let request = AiRequest {
            text: None,
            uri: Some(uri),
            range: Some(lsp::Range::new(lsp::Position::new(0, 0), lsp::Position::new(last, 0))),
            program: Some(json!(REVIEW_PROGRAM)),
        };
        let state = self.clone();
        tokio::spawn(async move {
            if let Err(err) = run(&state, &request, Mode::OnSave, cancel).await {
                tracing::info!(uri = %key, "review on save failed: {err:?}");
            }
            if let Ok(mut reviews) = state.ai.reviews.lock() {
                if reviews.get(&key).is_some_and(|(running, _)| *running == id) {
                    reviews.remove(&key);
                }
            }
        });
    }

    /// The provider chains for the current `[ai]` settings, rebuilt when they change.
    pub(crate) fn providers(&self) -> Arc<Providers> {
        let config = self.config().ai;
        if let Ok(cached) = self.ai.providers.read() {
            if let Some((built_for, providers)) = cached.as_ref() {
                if *built_for == config {
                    return providers.clone();
                }
            }
        }
        let providers = Arc::new(Providers::from_config(&config, self.root().as_deref()));
        if let Ok(mut cached) = self.ai.providers.write() {
            *cached = Some((config, providers.clone()));
        }
        providers
    }

    /// Apply a verified AI edit through the editor and remember how to undo it.
    async fn apply_ai_edit(
        &self,
        focus: &Focus,
        range: Range<usize>,
        new_text: &str,
        program: u16,
        context_key: String,
    ) -> RpcResult<bool> {
        let text = &focus.snapshot.text;
        let key = focus.uri.to_string();
        let current = self.docs.snapshot(&key).map(|(s, _, _)| s.revision);
        if current != Some(focus.snapshot.revision) {
            self.client
                .show_message(
                    lsp::MessageType::WARNING,
                    "Aura: the document changed while the model worked; nothing was applied",
                )
                .await;
            return Ok(false);
        }
        let original = text.byte_slice(range.clone()).to_string();
        let lsp_range = convert::range(text, range.clone(), self.encoding());
        let edit = lsp::WorkspaceEdit {
            changes: Some(
                [(
                    focus.uri.clone(),
                    vec![lsp::TextEdit { range: lsp_range, new_text: new_text.to_string() }],
                )]
                .into(),
            ),
            ..Default::default()
        };
        let response = self
            .client
            .apply_edit(edit)
            .await
            .map_err(|e| internal(format!("workspace/applyEdit failed: {e}")))?;
        if response.applied {
            if let Ok(mut undo) = self.ai.undo.lock() {
                undo.push(UndoEntry {
                    uri: focus.uri.clone(),
                    start: range.start,
                    inserted: new_text.to_string(),
                    original,
                    program,
                    context_key,
                });
                let excess = undo.len().saturating_sub(20);
                undo.drain(..excess);
            }
        }
        Ok(response.applied)
    }

    /// A new file from a program (tests, docs): created beside the focus file
    /// through `workspace/applyEdit` so the editor owns the change.
    async fn create_ai_file(
        &self,
        focus: Option<&Focus>,
        program: &aura_catalog::Program,
        execution: &aura_ide::ai::Execution,
    ) -> (Option<String>, bool) {
        let content = execution.code.clone().unwrap_or_else(|| execution.answer.clone());
        let base =
            focus.and_then(|f| f.uri.to_file_path().ok()).or_else(|| self.root().map(|r| r.join("aura")));
        let Some(base) = base else { return (None, false) };
        let stem =
            base.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "aura".into());
        let ext = base.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "md".into());
        let name = if program.group.contains("test") || program.code.contains("test") {
            if ext == "py" {
                format!("test_{stem}.py")
            } else {
                format!("{stem}.test.{ext}")
            }
        } else {
            format!("{stem}.{}.{ext}", program.code)
        };
        let path = base.with_file_name(name);
        let Ok(uri) = lsp::Url::from_file_path(&path) else { return (None, false) };
        let edit = lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Operations(vec![
                lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(lsp::CreateFile {
                    uri: uri.clone(),
                    options: Some(lsp::CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                })),
                lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                    text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: None,
                    },
                    edits: vec![lsp::OneOf::Left(lsp::TextEdit {
                        range: lsp::Range::default(),
                        new_text: format!("{}\n", content.trim_end()),
                    })],
                }),
            ])),
            ..Default::default()
        };
        let applied = self.client.apply_edit(edit).await.map(|r| r.applied).unwrap_or(false);
        (Some(path.display().to_string()), applied)
    }

    /// Tell the editor how the providers are doing: an `aura/status`
    /// notification, and a warning when one is failing.
    pub(crate) async fn report_health(&self, chain: &aura_llm::Chain) {
        let health = chain.health();
        let degraded: Vec<String> = health
            .iter()
            .filter_map(|(name, h)| match h {
                Health::Healthy => None,
                Health::Degraded { last_error, .. } => Some(format!("{name} failing ({last_error})")),
                Health::Open { last_error } => Some(format!("{name} paused ({last_error})")),
            })
            .collect();
        let status = json!({
            "providers": health.iter().map(|(name, h)| json!({"name": name, "state": match h {
                Health::Healthy => "healthy", Health::Degraded { .. } => "degraded", Health::Open { .. } => "open" }})).collect::<Vec<_>>(),
        });
        self.client.send_notification::<StatusNotification>(status).await;
        if !degraded.is_empty() {
            self.client
                .show_message(
                    lsp::MessageType::WARNING,
                    format!("Aura: model degraded: {}", degraded.join("; ")),
                )
                .await;
        }
    }
}

/// `aura/status`: provider health for the editor's status bar.
enum StatusNotification {}

impl lsp::notification::Notification for StatusNotification {
    type Params = Value;
    const METHOD: &'static str = "aura/status";
}

/// `aura.feedback`: `[{"program": N, "signal": "accept"|"reject"|"undo", "text"?, "uri"?, "range"?}]`.
pub(crate) async fn feedback(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    #[derive(Deserialize)]
    struct Args {
        program: u16,
        signal: Signal,
        #[serde(flatten)]
        request: AiRequest,
    }
    let usage = || invalid(format!("{FEEDBACK} takes [{{program, signal, text?, uri?, range?}}]"));
    let args: Args =
        arguments.first().and_then(|v| serde_json::from_value(v.clone()).ok()).ok_or_else(usage)?;
    if Catalog::builtin().program_number(args.program).is_none() {
        return Err(invalid(format!("no program {}", args.program)));
    }
    let (decision, _, _) = decide(state, &args.request).await?;
    let store = state.feedback_store();
    store
        .record(&decision.context_key, args.program, args.signal)
        .map_err(|e| internal(format!("cannot store feedback: {e}")))?;
    Ok(Some(serde_json::json!({ "key": decision.context_key, "stored": store.len() })))
}

/// `aura.doctor`: `[{"generate"?: bool}]`. Probes the providers (generating a
/// few tokens unless `generate` is false) and the usual local servers, opens
/// the report, and returns it.
pub(crate) async fn doctor(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let generate = arguments.first().and_then(|v| v.get("generate")).and_then(Value::as_bool).unwrap_or(true);
    let providers = state.providers();
    let report = crate::doctor::examine(&providers, &state.config().ai, generate).await;
    let document = open_markdown(state, "doctor", &report.markdown()).await;
    Ok(Some(json!({"report": report, "document": document})))
}
