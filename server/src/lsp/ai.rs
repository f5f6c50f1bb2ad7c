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

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use aura_analysis::Diagnostic;
use aura_catalog::Catalog;
use aura_dispatch::feedback::{FeedbackStore, Signal};
use aura_dispatch::prompt::{self, PromptInput};
use aura_dispatch::{modules, Decision, Request, Router};
use aura_ide::ai_context::{code_context_in, has_diagnostics_at, CodeContext};
use aura_syntax::tree_sitter::Tree;
use aura_syntax::{offset_at, Snapshot};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp::jsonrpc::Result as RpcResult;
use tower_lsp::lsp_types as lsp;

use super::commands::invalid;
use super::{convert, internal, not_open, State};

pub(crate) const ROUTE: &str = "aura.route";
pub(crate) const RUN_PROGRAM: &str = "aura.runProgram";
pub(crate) const FEEDBACK: &str = "aura.feedback";

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

#[derive(Default)]
pub(crate) struct AiState {
    modules: RwLock<Vec<String>>,
    feedback: OnceLock<Arc<FeedbackStore>>,
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
async fn decide(state: &State, request: &AiRequest) -> RpcResult<(Decision, PromptInput)> {
    let modules = state.active_modules();
    let mut input = PromptInput {
        request: request.text.clone().unwrap_or_default(),
        test_framework: prompt::test_framework_of(&modules),
        modules: modules.clone(),
        ..PromptInput::default()
    };
    let mut routed = Request { text: input.request.clone(), modules, ..Request::default() };
    if let Some(uri) = &request.uri {
        let key = uri.to_string();
        let (snapshot, _, _) = state.docs.snapshot(&key).ok_or_else(|| not_open(&key))?;
        let (state2, range) = (state.clone(), request.range);
        let snap = snapshot.clone();
        let config = state.config();
        let ctx = tokio::task::spawn_blocking(move || {
            let (rules, _) = aura_analysis::RuleSettings::from_config(&config.rules);
            let analysis = aura_ide::analyse_snapshot(&snap, &rules);
            context_of(&snap, analysis.tree.as_ref(), &analysis.diagnostics, range, &state2)
        })
        .await
        .map_err(|e| internal(format!("context failed: {e}")))?;
        routed = request_of(&routed.text, &ctx, routed.modules);
        input.language = ctx.language.clone();
        input.file_path = uri.to_file_path().ok().map(|p| display_path(&p, state.root().as_deref()));
        input.selection = Some(ctx.code);
        input.symbol = ctx.symbol;
        input.diagnostics = ctx.diagnostics;
        input.file = Some(snapshot.text.to_string());
    }
    Ok((state.router().route(&routed), input))
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
        force_program(decision, program);
    }
    if input.request.is_empty() {
        let top = decision.top_program().number;
        input.request = Catalog::builtin().program_number(top).map(|p| p.purpose.clone()).unwrap_or_default();
    }
    Ok(())
}

/// Put the chosen program first, keeping the router's reasons if it ranked it.
fn force_program(decision: &mut Decision, program: &aura_catalog::Program) {
    if let Some(i) = decision.programs.iter().position(|p| p.number == program.number) {
        let chosen = decision.programs.remove(i);
        decision.programs.insert(0, chosen);
    } else {
        decision.programs.insert(
            0,
            aura_dispatch::RankedProgram {
                number: program.number,
                code: program.code.clone(),
                name: program.name.clone(),
                score: 0.0,
                reasons: vec![aura_dispatch::Reason { why: "chosen by you".into(), weight: 0.0 }],
            },
        );
    }
}

fn display_path(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path).display().to_string()
}

pub(crate) async fn route(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let request = parse_request(ROUTE, &arguments)?;
    let (mut decision, mut input) = decide(state, &request).await?;
    apply_choice(&mut decision, &mut input, &request)?;
    Ok(serde_json::to_value(&decision).ok())
}

/// `aura.runProgram`: build the prompt; with no model configured, open it as
/// a markdown document and say so. Records feedback: the program run is
/// accepted, a different top-ranked program is rejected.
pub(crate) async fn run_program(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let request = parse_request(RUN_PROGRAM, &arguments)?;
    let (mut decision, mut input) = decide(state, &request).await?;
    let routed_top = decision.top_program().number;
    apply_choice(&mut decision, &mut input, &request)?;
    let built = prompt::build(&decision, &input);
    let program = decision.top_program().clone();
    let store = state.feedback_store();
    let key = decision.context_key.clone();
    let _ = store.record(&key, program.number, Signal::Accept);
    if routed_top != program.number {
        let _ = store.record(&key, routed_top, Signal::Reject);
    }
    let markdown = format!(
        "# Aura: P{:02} {}\n\n> No model is configured, so nothing was sent. This is the prompt Aura would send \
         (about {} tokens; tiers {:?}).\n\n## System\n\n```text\n{}\n```\n\n## User\n\n```text\n{}\n```\n",
        program.number,
        program.name,
        built.tokens,
        built.tiers,
        built.system.trim_end(),
        built.user.trim_end()
    );
    let dir = std::env::temp_dir().join("aura-prompts");
    let path = dir.join(format!("P{:02}-{}.md", program.number, std::process::id()));
    let document = match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &markdown)) {
        Ok(()) => lsp::Url::from_file_path(&path).ok(),
        Err(e) => {
            tracing::warn!("cannot write the prompt document: {e}");
            None
        }
    };
    if let Some(uri) = &document {
        // Clients without window/showDocument (Neovim 0.7) still get the result and the message.
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
    Ok(Some(serde_json::json!({
        "program": program,
        "prompt": built,
        "document": document,
        "model": null,
    })))
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
    let (decision, _) = decide(state, &args.request).await?;
    let store = state.feedback_store();
    store
        .record(&decision.context_key, args.program, args.signal)
        .map_err(|e| internal(format!("cannot store feedback: {e}")))?;
    Ok(Some(serde_json::json!({ "key": decision.context_key, "stored": store.len() })))
}
