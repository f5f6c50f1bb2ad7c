//! The language server: lifecycle, document sync, diagnostics and symbols over
//! stdio with tower-lsp. Handlers apply edits synchronously before their first
//! `.await` (tower-lsp runs handlers concurrently, so that is what keeps edits
//! in arrival order) and push slow work to blocking tasks.

mod ai;
mod commands;
mod completion;
mod convert;
mod diagnostics;
mod git;
mod progress;
mod pull;
mod scratch;
mod shape;
mod transport;
mod workspace;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use aura_analysis::metrics::{FileMetrics, FunctionMetrics};
use aura_config::{Config, Layer, Origin};
use aura_ide::{ChangeOutcome, Documents};
use aura_syntax::{registry, Document, PositionEncoding, Snapshot};
use serde::{Deserialize, Serialize};
use tower_lsp::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp::lsp_types as lsp;
use tower_lsp::{Client, LanguageServer, LspService, Server};

use crate::settings;
use diagnostics::Scheduler;

/// Shared server state; cheap to clone into tasks.
#[derive(Clone)]
pub(crate) struct State {
    client: Client,
    docs: Arc<Documents>,
    encoding: Arc<RwLock<PositionEncoding>>,
    config: Arc<RwLock<ConfigState>>,
    scheduler: Arc<Scheduler>,
    analyses: Arc<diagnostics::Analyses>,
    workspace: Arc<workspace::Workspace>,
    ai: Arc<ai::AiState>,
    git: Arc<git::GitState>,
    semantic: Arc<shape::SemanticState>,
    /// Whether `shutdown` was received; LSP wants exit status 1 otherwise.
    shut_down: Arc<std::sync::atomic::AtomicBool>,
}

#[derive(Default)]
struct ConfigState {
    root: Option<PathBuf>,
    init_options: Option<serde_json::Value>,
    client_settings: Option<serde_json::Value>,
    /// The last configuration that validated; invalid sources never replace it.
    current: Config,
    supports_pull: bool,
    supports_watch: bool,
    /// The editor shows `$/progress` (`window.workDoneProgress`).
    supports_progress: bool,
    /// The editor pulls document diagnostics (`textDocument.diagnostic`).
    pulls_diagnostics: bool,
    /// Rule selectors in the current configuration that match no rule, as last
    /// shown to the user (shown again only when they change).
    rule_problems: Vec<String>,
}

impl State {
    fn flag(&self, read: impl Fn(&ConfigState) -> bool) -> bool {
        self.config.read().map(|c| read(&c)).unwrap_or(false)
    }

    pub(crate) fn pulls_diagnostics(&self) -> bool {
        self.flag(|c| c.pulls_diagnostics)
    }

    /// Workspace diagnostics go with document pulls: Aura advertises both or neither.
    pub(crate) fn pulls_workspace_diagnostics(&self) -> bool {
        self.pulls_diagnostics()
    }

    /// Ask a pulling editor to pull every document's diagnostics again.
    pub(crate) async fn refresh_pulled_diagnostics(&self) {
        if let Err(err) = self.client.workspace_diagnostic_refresh().await {
            tracing::debug!("workspace/diagnostic/refresh: {err}");
        }
    }

    pub(crate) fn supports_progress(&self) -> bool {
        self.flag(|c| c.supports_progress)
    }

    pub(crate) fn root(&self) -> Option<PathBuf> {
        self.config.read().ok().and_then(|c| c.root.clone())
    }

    /// Options for reading workspace files, as `aura check` would.
    pub(crate) fn check_options(&self) -> aura_ide::check::CheckOptions {
        let config = self.config();
        let (rules, _) = aura_analysis::RuleSettings::from_config(&config.rules);
        aura_ide::check::CheckOptions {
            max_file_size: config.files.max_size,
            exclude: config.files.exclude,
            rules,
            import_root: None,
        }
    }

    /// The metrics of an open document, computed off the protocol task (the
    /// tree parsed for them is stored back). `None` for plain text and for
    /// documents over `files.max_size`; an error when it is not open.
    pub(crate) async fn metrics(&self, key: &str) -> RpcResult<Option<(Snapshot, FileMetrics)>> {
        let (snapshot, _, _) = self.docs.snapshot(key).ok_or_else(|| not_open(key))?;
        if State::too_large(&snapshot, &self.config()) {
            return Ok(None);
        }
        let (docs, key) = (self.docs.clone(), key.to_string());
        tokio::task::spawn_blocking(move || {
            let (tree, metrics) = aura_ide::snapshot_metrics(&snapshot);
            if let Some(tree) = tree {
                docs.store_tree(&key, snapshot.revision, tree);
            }
            metrics.map(|m| (snapshot, m))
        })
        .await
        .map_err(|e| internal(format!("metrics failed: {e}")))
    }

    /// The function whose header holds `position` (see `aura_ide::function_at`),
    /// with the snapshot its ranges belong to.
    pub(crate) async fn function_at(
        &self,
        key: &str,
        position: lsp::Position,
    ) -> RpcResult<Option<(Snapshot, FunctionMetrics)>> {
        let Some((snapshot, metrics)) = self.metrics(key).await? else { return Ok(None) };
        let offset = aura_syntax::offset_at(&snapshot.text, convert::line_col(position), self.encoding());
        let function = aura_ide::function_at(&metrics, &snapshot.text, offset).cloned();
        Ok(function.map(|f| (snapshot, f)))
    }

    /// Re-read closed files from disk into the workspace index, off the protocol task.
    pub(crate) fn reindex_from_disk(&self, keys: Vec<String>) -> tokio::task::JoinHandle<()> {
        let (workspace, options, keep) =
            (self.workspace.clone(), self.check_options(), self.pulls_workspace_diagnostics());
        tokio::task::spawn_blocking(move || {
            for key in keys {
                workspace.reindex_from_disk(&key, &options, keep);
            }
        })
    }

    fn encoding(&self) -> PositionEncoding {
        self.encoding.read().map(|e| *e).unwrap_or_default()
    }

    pub(crate) fn config(&self) -> Config {
        self.config.read().map(|c| c.current.clone()).unwrap_or_default()
    }

    /// Documents over `files.max_size` are kept as text but never parsed.
    pub(crate) fn too_large(snapshot: &aura_syntax::Snapshot, config: &Config) -> bool {
        snapshot.text.len_bytes() as u64 > config.files.max_size
    }

    /// Rebuild the configuration from every layer; on error keep the last good one.
    fn reload_config(&self) -> Result<(), String> {
        let Ok(mut state) = self.config.write() else { return Err("configuration lock poisoned".into()) };
        let root = state.root.clone().unwrap_or_else(|| PathBuf::from("."));
        let mut higher = Vec::new();
        for value in [&state.init_options, &state.client_settings].into_iter().flatten() {
            higher.push(Layer::from_json(value, Origin::Client).map_err(|e| e.to_string())?);
        }
        let resolved = settings::resolve_with(&root, higher).map_err(|e| e.to_string())?;
        state.current = resolved.config;
        Ok(())
    }

    /// Re-analyse open documents under the new settings; rebuild the clone
    /// index when its size limits changed.
    fn after_config_change(&self) {
        let (rules, _) = aura_analysis::RuleSettings::from_config(&self.config().rules);
        if self.workspace.settings_changed(&rules) {
            tokio::spawn(workspace::scan(self.clone()));
        }
        self.scheduler.reschedule_all(self);
    }

    async fn report_config(&self, result: Result<(), String>) {
        if let Err(message) = result {
            tracing::warn!("invalid configuration: {message}");
            let text = format!("Aura: invalid configuration, keeping the previous settings. {message}");
            self.client.show_message(lsp::MessageType::ERROR, text).await;
            return;
        }
        // A selector that matches no rule (`select = ["AUR9"]`, a typo in an
        // `ignore`) is valid TOML, so it would otherwise do nothing silently;
        // `aura check` prints the same warnings.
        let (_, problems) = aura_analysis::RuleSettings::from_config(&self.config().rules);
        let changed = match self.config.write() {
            Ok(mut state) if state.rule_problems != problems => {
                state.rule_problems = problems.clone();
                true
            }
            _ => false,
        };
        if changed && !problems.is_empty() {
            tracing::warn!("rule selection: {}", problems.join("; "));
            let text = format!("Aura: {}", problems.join("; "));
            self.client.show_message(lsp::MessageType::WARNING, text).await;
        }
    }

    /// Ask the editor to tell us when `.aura/config.toml` changes, so edits to
    /// the workspace file apply without a restart.
    async fn watch_config_files(&self) {
        let supports = self.config.read().map(|c| c.supports_watch).unwrap_or(false);
        if !supports {
            return;
        }
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![
                lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String("**/.aura/config.toml".to_string()),
                    kind: None,
                },
                // Source files, so the workspace index follows changes made outside the editor.
                lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(source_glob()), kind: None },
                // Manifests, so module activation follows dependency changes.
                lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String(format!(
                        "**/{{{},*.csproj,requirements*.txt}}",
                        ai::MANIFESTS.join(",")
                    )),
                    kind: None,
                },
            ],
        };
        let registration = lsp::Registration {
            id: "aura-config-watch".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(err) = self.client.register_capability(vec![registration]).await {
            tracing::warn!("cannot watch configuration files: {err}");
        }
    }

    /// Ask the editor for the `aura` section (`workspace/configuration`).
    async fn pull_client_settings(&self) {
        let supports = self.config.read().map(|c| c.supports_pull).unwrap_or(false);
        if !supports {
            return;
        }
        let item = lsp::ConfigurationItem { scope_uri: None, section: Some("aura".to_string()) };
        match self.client.configuration(vec![item]).await {
            Ok(mut values) => {
                let value = values.pop().filter(|v| !v.is_null());
                if let Ok(mut state) = self.config.write() {
                    state.client_settings = value;
                }
                let result = self.reload_config();
                self.report_config(result).await;
            }
            Err(err) => tracing::warn!("workspace/configuration failed: {err}"),
        }
    }
}

struct Backend {
    state: State,
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> RpcResult<lsp::InitializeResult> {
        let encoding = convert::negotiate_encoding(&params);
        if let Ok(mut e) = self.state.encoding.write() {
            *e = encoding;
        }
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| u.to_file_path().ok());
        if let Ok(mut state) = self.state.config.write() {
            state.root = root;
            state.init_options = params.initialization_options.clone().filter(|v| !v.is_null());
            state.supports_pull =
                params.capabilities.workspace.as_ref().and_then(|w| w.configuration).unwrap_or(false);
            state.supports_progress =
                params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
            state.pulls_diagnostics =
                params.capabilities.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some());
            state.supports_watch = params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false);
        }
        // The configuration is resolved in `initialized`, where errors can be shown;
        // nothing reads it before then.
        let pulls = self.state.pulls_diagnostics();
        tracing::info!(?encoding, pulls, "initialize");
        Ok(lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                    lsp::TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                        save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(lsp::SaveOptions {
                            include_text: Some(true),
                        })),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(vec![
                            lsp::CodeActionKind::QUICKFIX,
                            lsp::CodeActionKind::REFACTOR_REWRITE,
                            lsp::CodeActionKind::SOURCE,
                            lsp::CodeActionKind::from("source.aura".to_string()),
                        ]),
                        // AI actions are listed cheaply and resolved when chosen.
                        resolve_provider: Some(true),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                diagnostic_provider: pulls.then(|| {
                    lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                        identifier: Some("aura".to_string()),
                        // Duplicates span files: an edit here can change findings there.
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    })
                }),
                code_lens_provider: Some(lsp::CodeLensOptions { resolve_provider: Some(false) }),
                execute_command_provider: Some(lsp::ExecuteCommandOptions {
                    commands: commands::ALL.iter().map(|c| c.to_string()).collect(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "aura".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        let result = self.state.reload_config();
        self.state.report_config(result).await;
        let state = self.state.clone();
        tokio::spawn(async move {
            state.watch_config_files().await;
            state.pull_client_settings().await;
            state.refresh_modules().await;
            // After the settings are known; open documents are analysed meanwhile.
            workspace::scan(state.clone()).await;
            shape::start(&state);
            git::refresh_hotspots(state).await;
        });
    }

    async fn shutdown(&self) -> RpcResult<()> {
        self.state.scheduler.cancel_all();
        self.state.ai.cancel_all();
        self.state.shut_down.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let key = doc.uri.to_string();
        let path = doc.uri.to_file_path().unwrap_or_else(|_| PathBuf::from(doc.uri.path()));
        let language =
            registry().by_language_id(&doc.language_id).or_else(|| registry().for_text(&path, &doc.text));
        self.state.docs.open(&key, doc.version, Document::new(&doc.text, language));
        tracing::debug!(uri = %key, language = language.map(|l| l.id.as_str()), "open");
        self.state.scheduler.schedule(&self.state, doc.uri);
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        // Applied before any `.await`: this is what keeps edits in order.
        self.state.workspace.note_edit();
        let uri = params.text_document.uri;
        let key = uri.to_string();
        self.state.ai.cancel_overlapping(&uri, &params.content_changes);
        let changes: Vec<_> = params.content_changes.iter().cloned().map(convert::change).collect();
        let outcome = self.state.ai.edit_findings(&key, &params.content_changes, || {
            self.state.docs.apply(&key, params.text_document.version, &changes, self.state.encoding())
        });
        match &outcome {
            ChangeOutcome::Applied => {}
            ChangeOutcome::AppliedAfterGap { previous } => {
                tracing::debug!(uri = %key, previous, version = params.text_document.version, "version gap")
            }
            ChangeOutcome::NotOpen => {
                tracing::warn!(uri = %key, "didChange for a document that is not open");
                return;
            }
            other => {
                tracing::warn!(uri = %key, ?other, "edit not applied; waiting for a full-text resync (save or reopen)")
            }
        }
        self.state.semantic.touch(&key);
        self.state.scheduler.schedule(&self.state, uri);
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        let key = params.text_document.uri.to_string();
        if let Some(text) = params.text {
            self.state.docs.resync(&key, &text);
        }
        self.state.semantic.touch(&key);
        // A save is when copies elsewhere are worth re-checking against this file.
        self.state.scheduler.reschedule_all(&self.state);
        // A commit often follows a save: hotspots move with HEAD (a no-op when it did not).
        tokio::spawn(git::refresh_hotspots(self.state.clone()));
        self.state.review_saved(params.text_document.uri);
        if self.state.pulls_diagnostics() {
            let state = self.state.clone();
            tokio::spawn(async move { state.refresh_pulled_diagnostics().await });
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.docs.close(uri.as_ref());
        self.state.scheduler.forget(uri.as_ref());
        self.state.ai.forget_document(uri.as_ref());
        self.state.analyses.forget(uri.as_ref());
        self.state.semantic.touch(uri.as_ref());
        // The index goes back to what is on disk (the buffer may not have been saved).
        self.state.reindex_from_disk(vec![uri.to_string()]);
        if !self.state.pulls_diagnostics() {
            self.state.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let supports_pull = self.state.config.read().map(|c| c.supports_pull).unwrap_or(false);
        if supports_pull {
            self.state.pull_client_settings().await;
        } else {
            let settings = params.settings.get("aura").cloned().unwrap_or(params.settings);
            if let Ok(mut state) = self.state.config.write() {
                state.client_settings = Some(settings).filter(|v| !v.is_null());
            }
            let result = self.state.reload_config();
            self.state.report_config(result).await;
        }
        self.state.after_config_change();
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| ai::is_manifest(&c.uri)) {
            let state = self.state.clone();
            tokio::spawn(async move { state.refresh_modules().await });
        }
        let (config_files, sources): (Vec<_>, Vec<_>) =
            params.changes.into_iter().partition(|c| c.uri.path().ends_with("/.aura/config.toml"));
        if !config_files.is_empty() {
            let result = self.state.reload_config();
            self.state.report_config(result).await;
        }
        // Files changed outside the editor (a checkout, a formatter): re-index
        // those that are not open; open ones are indexed from their buffer.
        let closed: Vec<String> = sources
            .iter()
            .map(|c| c.uri.to_string())
            .filter(|k| self.state.docs.snapshot(k).is_none())
            .collect();
        if !closed.is_empty() {
            let _ = self.state.reindex_from_disk(closed).await;
        }
        self.state.after_config_change();
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> RpcResult<lsp::DocumentDiagnosticReportResult> {
        let key = params.text_document.uri.to_string();
        if self.state.docs.snapshot(&key).is_none() {
            return Err(not_open(&key));
        }
        let (_, items) = diagnostics::compute(&self.state, &key, self.state.config())
            .await
            .ok_or_else(|| internal(format!("analysis of {key} failed")))?;
        let report = pull::document_report(items, params.previous_result_id.as_deref());
        Ok(lsp::DocumentDiagnosticReportResult::Report(report))
    }

    async fn workspace_diagnostic(
        &self,
        params: lsp::WorkspaceDiagnosticParams,
    ) -> RpcResult<lsp::WorkspaceDiagnosticReportResult> {
        Ok(pull::workspace_report(&self.state, params).await)
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> RpcResult<Option<lsp::DocumentSymbolResponse>> {
        let key = params.text_document.uri.to_string();
        let Some((snapshot, _, _)) = self.state.docs.snapshot(&key) else {
            return Err(not_open(&key));
        };
        if State::too_large(&snapshot, &self.state.config()) {
            return Ok(Some(lsp::DocumentSymbolResponse::Nested(Vec::new())));
        }
        let encoding = self.state.encoding();
        let docs = self.state.docs.clone();
        let result = tokio::task::spawn_blocking(move || {
            let (tree, symbols) = aura_ide::snapshot_symbols(&snapshot);
            if let Some(tree) = tree {
                docs.store_tree(&key, snapshot.revision, tree);
            }
            symbols.iter().map(|s| convert::document_symbol(&snapshot.text, s, encoding)).collect::<Vec<_>>()
        })
        .await
        .map_err(|e| internal(format!("document symbols failed: {e}")))?;
        Ok(Some(lsp::DocumentSymbolResponse::Nested(result)))
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> RpcResult<Option<lsp::CodeActionResponse>> {
        self.code_actions(params).await
    }

    async fn code_action_resolve(&self, action: lsp::CodeAction) -> RpcResult<lsp::CodeAction> {
        Ok(ai::resolve(action))
    }

    async fn hover(&self, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let key = uri.to_string();
        let function = self.state.function_at(&key, position.position).await?;
        let Some((snapshot, _, _)) = self.state.docs.snapshot(&key) else { return Err(not_open(&key)) };
        let blame = git::blame_markdown(&self.state, &uri, &snapshot, position.position.line).await;
        let thresholds = self.state.config().rules.thresholds;
        let encoding = self.state.encoding();
        let (mut value, range) = match &function {
            Some((snapshot, f)) => (
                aura_ide::hover_markdown(f, &thresholds),
                Some(convert::range(&snapshot.text, f.name_range.clone(), encoding)),
            ),
            None => (String::new(), None),
        };
        if let Some(blame) = blame {
            if !value.is_empty() {
                value.push_str("\n---\n\n");
            }
            value.push_str(&blame);
        }
        if value.is_empty() {
            return Ok(None);
        }
        Ok(Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range,
        }))
    }

    async fn code_lens(&self, params: lsp::CodeLensParams) -> RpcResult<Option<Vec<lsp::CodeLens>>> {
        let uri = params.text_document.uri;
        let key = uri.to_string();
        let Some((snapshot, _, _)) = self.state.docs.snapshot(&key) else { return Err(not_open(&key)) };
        let mut lenses = git::changed_lenses(&self.state, &uri, &snapshot).await;
        let encoding = self.state.encoding();
        if self.state.config().lens.near_copies {
            lenses.extend(self.state.semantic.lenses(&key, &snapshot.text).into_iter().map(|lens| {
                lsp::CodeLens {
                    range: convert::range(&snapshot.text, lens.name_range, encoding),
                    command: Some(lsp::Command {
                        title: lens.title,
                        command: shape::OPEN_NEAR_COPY.to_owned(),
                        arguments: Some(vec![serde_json::json!(lens.target), serde_json::json!(lens.line)]),
                    }),
                    data: None,
                }
            }));
        }
        if !self.state.config().lens.complexity {
            return Ok(Some(lenses));
        }
        let Some((snapshot, metrics)) = self.state.metrics(&key).await? else {
            return Ok(Some(lenses));
        };
        lenses.extend(aura_ide::complexity_lenses(&metrics).into_iter().map(|lens| {
            let range = convert::range(&snapshot.text, lens.name_range, encoding);
            lsp::CodeLens {
                range,
                command: Some(lsp::Command {
                    title: lens.title,
                    command: commands::FUNCTION_METRICS.to_string(),
                    arguments: Some(vec![
                        serde_json::json!(uri),
                        serde_json::to_value(range.start).unwrap_or_default(),
                    ]),
                }),
                data: None,
            }
        }));
        Ok(Some(lenses))
    }

    async fn execute_command(
        &self,
        params: lsp::ExecuteCommandParams,
    ) -> RpcResult<Option<serde_json::Value>> {
        commands::execute(&self.state, params).await
    }
}

impl Backend {
    /// Quick fixes for the diagnostics overlapping `range`: each rule fix
    /// (unsafe ones say so and are never preferred) and "suppress on this
    /// line"; then the AI actions (`ai::code_actions`) of the kinds asked
    /// for, from the same analysis.
    async fn code_actions(
        &self,
        params: lsp::CodeActionParams,
    ) -> RpcResult<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri;
        let key = uri.to_string();
        let Some((snapshot, _, desynced)) = self.state.docs.snapshot(&key) else {
            return Err(not_open(&key));
        };
        let config = self.state.config();
        if desynced || State::too_large(&snapshot, &config) {
            return Ok(Some(Vec::new()));
        }
        let encoding = self.state.encoding();
        let docs = self.state.docs.clone();
        let state = self.state.clone();
        let only = params.context.only.clone();
        let actions = tokio::task::spawn_blocking(move || {
            let (tree, diagnostics) = diagnostics::analysis(&state, &key, &snapshot, &config);
            let wanted = |kind: &Option<lsp::CodeActionKind>| match (&only, kind) {
                (Some(only), Some(kind)) => only.iter().any(|o| kind.as_str().starts_with(o.as_str())),
                _ => true,
            };
            let ai_actions: Vec<lsp::CodeActionOrCommand> =
                ai::code_actions(&state, &uri, &snapshot, tree.as_ref(), &diagnostics, params.range)
                    .into_iter()
                    .filter(|a| wanted(&a.kind))
                    .map(lsp::CodeActionOrCommand::CodeAction)
                    .collect();
            let Some(tree) = tree else { return ai_actions };
            let text = &snapshot.text;
            // Whole lines: a cursor anywhere on a flagged line offers its fixes.
            let line_start =
                |line: u32| text.line_to_byte((line as usize).min(text.len_lines().saturating_sub(1)));
            let start = line_start(params.range.start.line);
            let end_line = params.range.end.line as usize;
            let end = if end_line + 1 < text.len_lines() {
                text.line_to_byte(end_line + 1)
            } else {
                text.len_bytes()
            };
            let mut actions = Vec::new();
            let language = snapshot.language;
            for d in diagnostics.iter() {
                let overlaps = d.range.start <= end && start <= d.range.end;
                if !overlaps {
                    continue;
                }
                let diagnostic = convert::diagnostic(text, d, encoding);
                let edit = |edits: &[(std::ops::Range<usize>, String)]| {
                    let edits = edits
                        .iter()
                        .map(|(r, new)| lsp::TextEdit {
                            range: convert::range(text, r.clone(), encoding),
                            new_text: new.clone(),
                        })
                        .collect();
                    lsp::WorkspaceEdit {
                        changes: Some([(uri.clone(), edits)].into_iter().collect()),
                        ..Default::default()
                    }
                };
                for fix in &d.fixes {
                    let safe = fix.applicability == aura_analysis::Applicability::Safe;
                    let title = if safe {
                        fix.title.clone()
                    } else {
                        format!("{} (unsafe: review the change)", fix.title)
                    };
                    actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                        title,
                        kind: Some(lsp::CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit(&fix.edits)),
                        is_preferred: Some(safe),
                        ..Default::default()
                    }));
                }
                if let Some(language) = language {
                    let file = aura_analysis::SourceFile { language, text, tree: &tree };
                    let line = text.byte_to_line(d.range.start.min(text.len_bytes()));
                    if let Some((at, insert)) = aura_analysis::rules::suppression_edit(file, line, d.code) {
                        actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                            title: format!("Suppress {} on this line", d.code),
                            kind: Some(lsp::CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![diagnostic.clone()]),
                            edit: Some(edit(&[(at..at, insert)])),
                            is_preferred: Some(false),
                            ..Default::default()
                        }));
                    }
                }
            }
            docs.store_tree(&key, snapshot.revision, tree);
            actions.extend(ai_actions);
            actions
        })
        .await
        .map_err(|e| internal(format!("code actions failed: {e}")))?;
        Ok(Some(actions))
    }
}

/// `**/*.{py,js,...}` over every registered extension.
fn source_glob() -> String {
    let mut extensions: Vec<&str> =
        registry().iter().flat_map(|l| l.extensions.iter().map(String::as_str)).collect();
    extensions.sort_unstable();
    extensions.dedup();
    format!("**/*.{{{}}}", extensions.join(","))
}

pub(crate) fn not_open(uri: &str) -> RpcError {
    RpcError {
        code: tower_lsp::jsonrpc::ErrorCode::InvalidParams,
        message: format!("document is not open: {uri}").into(),
        data: None,
    }
}

pub(crate) fn internal(message: String) -> RpcError {
    tracing::error!("{message}");
    RpcError { code: tower_lsp::jsonrpc::ErrorCode::InternalError, message: message.into(), data: None }
}

#[derive(Deserialize)]
struct InvalidMessageParams {
    code: i64,
    message: String,
}

#[derive(Deserialize)]
struct DocumentTextParams {
    uri: lsp::Url,
}

#[derive(Serialize)]
struct DocumentTextResult {
    version: i32,
    text: String,
    desynced: bool,
}

impl Backend {
    /// Answers a message the transport guard could not pass on (see `transport.rs`).
    async fn invalid_message(&self, params: InvalidMessageParams) -> RpcResult<()> {
        Err(RpcError {
            code: tower_lsp::jsonrpc::ErrorCode::from(params.code),
            message: params.message.into(),
            data: None,
        })
    }

    /// `aura/route`: the routing decision for `{text, uri?, range?, program?}`.
    async fn route(&self, params: ai::AiRequest) -> RpcResult<Option<serde_json::Value>> {
        ai::route(&self.state, vec![serde_json::to_value(params).unwrap_or_default()]).await
    }

    /// `aura/inlineCompletion` and `textDocument/inlineCompletion`: ghost text at a position.
    async fn inline_completion(
        &self,
        params: completion::InlineCompletionParams,
    ) -> RpcResult<serde_json::Value> {
        completion::inline_completion(&self.state, params).await
    }

    /// `aura/similar`: the functions nearest in meaning to the one at a position.
    async fn similar(&self, params: shape::SimilarParams) -> RpcResult<serde_json::Value> {
        shape::similar(&self.state, params)
    }

    /// `aura/documentText`: the server's view of a document, for tests and
    /// for diagnosing sync problems in a client.
    async fn document_text(&self, params: DocumentTextParams) -> RpcResult<DocumentTextResult> {
        let key = params.uri.to_string();
        let (snapshot, version, desynced) = self.state.docs.snapshot(&key).ok_or_else(|| not_open(&key))?;
        Ok(DocumentTextResult { version, text: snapshot.text.to_string(), desynced })
    }
}

/// Serve LSP on stdin/stdout until the client says `exit` or closes stdin.
/// Returns whether `shutdown` came first (the exit status is 0 only then).
pub async fn serve() -> bool {
    let shut_down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = shut_down.clone();
    let (service, socket) = LspService::build(|client| Backend {
        state: State {
            client,
            docs: Arc::new(Documents::default()),
            encoding: Arc::new(RwLock::new(PositionEncoding::Utf16)),
            config: Arc::new(RwLock::new(ConfigState::default())),
            scheduler: Arc::new(Scheduler::default()),
            analyses: Arc::new(diagnostics::Analyses::default()),
            workspace: Arc::new(workspace::Workspace::default()),
            ai: Arc::new(ai::AiState::default()),
            git: Arc::new(git::GitState::default()),
            semantic: Arc::new(shape::SemanticState::default()),
            shut_down: flag,
        },
    })
    .custom_method("aura/documentText", Backend::document_text)
    .custom_method("aura/route", Backend::route)
    .custom_method("aura/similar", Backend::similar)
    .custom_method("aura/inlineCompletion", Backend::inline_completion)
    .custom_method("textDocument/inlineCompletion", Backend::inline_completion)
    .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message)
    .finish();
    let (guarded, input) = tokio::io::duplex(64 * 1024);
    tokio::spawn(transport::guard(tokio::io::stdin(), guarded));
    let (output, framed) = tokio::io::duplex(64 * 1024);
    let extra = serde_json::json!({"inlineCompletionProvider": {}});
    let writer = tokio::spawn(transport::add_capabilities(framed, tokio::io::stdout(), extra));
    Server::new(input, output, socket).serve(service).await;
    // The server's half is dropped with it: the writer drains what is left and ends.
    let _ = writer.await;
    scratch::remove();
    shut_down.load(std::sync::atomic::Ordering::SeqCst)
}
