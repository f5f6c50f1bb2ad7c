//! The workspace beyond the open files: a background scan at startup (with
//! `$/progress`) that fills the cross-file clone index and, for editors that
//! pull workspace diagnostics, keeps each file's rule diagnostics; files are
//! re-indexed when they change on disk or close. Open documents are indexed
//! from their live text by the diagnostics pass, so the index always holds
//! what the person sees.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use aura_analysis::clones::{self, CloneIndex, Token};
use aura_analysis::{Diagnostic, RuleSettings};
use aura_ide::check::{collect_files, CheckOptions};
use aura_ide::workspace::scan_file;
use aura_syntax::{Language, Rope};

use dashmap::DashMap;
use tower_lsp::lsp_types as lsp;

use super::progress::Progress;
use super::State;

/// A scanned file that is not open, kept for `workspace/diagnostic`.
pub(crate) struct Scanned {
    pub language: &'static Language,
    pub text: Rope,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) struct Workspace {
    clones: RwLock<CloneIndex>,
    /// Scanned files, only when the editor pulls workspace diagnostics.
    pub(crate) files: DashMap<String, Scanned>,
    started: Instant,
    /// Milliseconds after `started` of the last edit; the scan pauses after edits.
    last_edit: AtomicU64,
    /// Bumped by each scan, so a superseded scan stops.
    scan_epoch: AtomicU64,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            clones: RwLock::new(CloneIndex::new(RuleSettings::default().clone_settings())),
            files: DashMap::new(),
            started: Instant::now(),
            last_edit: AtomicU64::new(0),
            scan_epoch: AtomicU64::new(0),
        }
    }
}

/// Files scanned per blocking task: small enough that progress moves and an
/// edit waits at most one batch.
const BATCH: usize = 16;
/// A workspace larger than this (someone opened their home folder) is only
/// partly indexed: the first files in walk order, and a warning in the log.
const MAX_FILES: usize = 50_000;
/// The scan waits while the person typed within this window.
const QUIET: Duration = Duration::from_millis(300);

fn key_for(path: &std::path::Path) -> Option<String> {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    lsp::Url::from_file_path(absolute).ok().map(|u| u.to_string())
}

impl Workspace {
    pub(crate) fn note_edit(&self) {
        self.last_edit.store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn recently_edited(&self) -> bool {
        self.recently_edited_within(QUIET)
    }

    /// Whether the person typed within `window`.
    pub(crate) fn recently_edited_within(&self, window: Duration) -> bool {
        let last = self.last_edit.load(Ordering::Relaxed);
        last != 0 && self.started.elapsed().as_millis() as u64 - last < window.as_millis() as u64
    }

    /// Index an open document's tokens and return its clone diagnostics.
    pub(crate) fn update_and_query(
        &self,
        key: &str,
        tokens: Vec<Token>,
        rules: &RuleSettings,
    ) -> Vec<Diagnostic> {
        // Tests repeat themselves on purpose: neither reported nor a copy's source.
        if clones::left_out(key) {
            return Vec::new();
        }
        if let Ok(mut index) = self.clones.write() {
            index.insert(key, tokens);
        }
        self.query(key, rules)
    }

    /// Clone diagnostics of an indexed file: one per pair, on the later copy.
    pub(crate) fn query(&self, key: &str, rules: &RuleSettings) -> Vec<Diagnostic> {
        let found = self.clones.read().map(|index| index.clones_of(key)).unwrap_or_default();
        let found = clones::later_copies(key, found);
        clones::diagnostics(&found, rules.is_enabled(clones::EXACT), rules.is_enabled(clones::RENAMED))
    }

    /// Whether the index was built for other size limits than `rules` ask for.
    pub(crate) fn settings_changed(&self, rules: &RuleSettings) -> bool {
        self.clones.read().map(|i| i.settings() != rules.clone_settings()).unwrap_or(false)
    }

    /// Re-read one file from disk (closed, or changed outside the editor).
    pub(crate) fn reindex_from_disk(&self, key: &str, options: &CheckOptions, keep_diagnostics: bool) {
        let path = lsp::Url::parse(key).ok().and_then(|u| u.to_file_path().ok());
        let scanned =
            path.as_deref().and_then(|p| scan_file(p, options, keep_diagnostics)).and_then(Result::ok);
        let Ok(mut index) = self.clones.write() else { return };
        match scanned {
            Some(file) => {
                if !clones::left_out(key) {
                    index.insert(key, file.tokens);
                }
                if keep_diagnostics {
                    let scanned =
                        Scanned { language: file.language, text: file.text, diagnostics: file.diagnostics };
                    self.files.insert(key.to_string(), scanned);
                }
            }
            None => {
                index.remove(key);
                self.files.remove(key);
            }
        }
    }
}

/// Scan the workspace root in the background: report progress, build a fresh
/// index, swap it in and let open documents re-index themselves.
pub(crate) async fn scan(state: State) {
    let Some(root) = state.root() else { return };
    let ws = state.workspace.clone();
    let epoch = ws.scan_epoch.fetch_add(1, Ordering::SeqCst) + 1;
    let options = state.check_options();
    let keep_diagnostics = state.pulls_workspace_diagnostics();
    let walk_options = options.clone();
    let walk_root = root.clone();
    let walk = move || {
        collect_files(&[walk_root], &walk_options).map(|files| {
            // Only what could be source: a known extension, or none (a shebang may tell).
            files
                .into_iter()
                .filter(|(p, _)| {
                    p.extension().is_none() || aura_syntax::registry().for_path(p, None).is_some()
                })
                .collect::<Vec<_>>()
        })
    };
    let mut files = match tokio::task::spawn_blocking(walk).await {
        Ok(Ok(files)) => files,
        Ok(Err(err)) => {
            tracing::warn!("workspace scan skipped: {err}");
            return;
        }
        Err(err) => {
            tracing::error!("workspace scan failed: {err}");
            return;
        }
    };
    if files.len() > MAX_FILES {
        tracing::warn!(
            found = files.len(),
            "workspace has more than {MAX_FILES} source files; indexing the first"
        );
        files.truncate(MAX_FILES);
    }
    let total = files.len();
    let progress = Progress::begin(
        &state,
        "aura/workspace-scan",
        "Aura: indexing workspace",
        format!("0/{total} files"),
    )
    .await;
    let started = Instant::now();
    let mut index = Some(CloneIndex::new(options.rules.clone_settings()));
    let mut done = 0;
    let mut indexed = 0;
    for batch in files.chunks(BATCH) {
        if ws.scan_epoch.load(Ordering::SeqCst) != epoch {
            tracing::debug!("workspace scan superseded");
            return;
        }
        while ws.recently_edited() {
            tokio::time::sleep(QUIET / 3).await;
        }
        let batch: Vec<PathBuf> = batch.iter().map(|(p, _)| p.clone()).collect();
        let batch_size = batch.len();
        let options = options.clone();
        let ws_task = ws.clone();
        let mut local = index.take();
        let task = tokio::task::spawn_blocking(move || {
            let mut count = 0;
            for path in &batch {
                let Some(Ok(file)) = scan_file(path, &options, keep_diagnostics) else { continue };
                let Some(key) = key_for(path) else { continue };
                if let Some(index) = local.as_mut().filter(|_| !clones::left_out(&key)) {
                    index.insert(&key, file.tokens);
                }
                if keep_diagnostics {
                    ws_task.files.insert(
                        key,
                        Scanned { language: file.language, text: file.text, diagnostics: file.diagnostics },
                    );
                }
                count += 1;
            }
            (local, count)
        });
        match task.await {
            Ok((local, count)) => {
                index = local;
                indexed += count;
            }
            Err(err) => {
                tracing::error!("workspace scan batch failed: {err}");
                return;
            }
        }
        done += batch_size;
        progress
            .report(
                &state,
                format!("{done}/{total} files"),
                Some((done * 100 / total.max(1)) as u32),
                done >= total,
            )
            .await;
    }
    if let (Some(index), Ok(mut current)) = (index, ws.clones.write()) {
        *current = index;
    }
    tracing::info!(files = indexed, ms = started.elapsed().as_millis() as u64, "workspace indexed");
    progress.end(&state, format!("indexed {indexed} files")).await;
    // Open documents put their live text back into the new index.
    state.scheduler.reschedule_all(&state);
    if keep_diagnostics {
        state.refresh_pulled_diagnostics().await;
    }
}
