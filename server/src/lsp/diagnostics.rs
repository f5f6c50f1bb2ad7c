//! Debounced, superseding syntax diagnostics: each edit bumps a per-document
//! generation; a task waits out the debounce, analyses a snapshot off the
//! protocol task, and publishes only if no newer edit arrived meanwhile.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dashmap::DashMap;
use tower_lsp::lsp_types as lsp;

use aura_config::Config;

use super::{convert, State};

/// Every diagnostic of an open document, in protocol form, with the version
/// it belongs to: the rules of its snapshot plus its clones against the
/// workspace index (which it updates with the document's live tokens).
/// `None` when the document is not open or the analysis failed.
pub(crate) async fn compute(state: &State, key: &str, config: Config) -> Option<(i32, Vec<lsp::Diagnostic>)> {
    let (snapshot, version, desynced) = state.docs.snapshot(key)?;
    let too_large = State::too_large(&snapshot, &config);
    if !config.diagnostics.enable || desynced || too_large {
        if too_large {
            tracing::info!(uri = %key, bytes = snapshot.text.len_bytes(), "over files.max_size; not analysed");
        }
        return Some((version, Vec::new()));
    }
    let encoding = state.encoding();
    let docs = state.docs.clone();
    let workspace = state.workspace.clone();
    let task_key = key.to_string();
    let state = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        // Selector problems are reported when config loads; here only the settings matter.
        let (rules, _) = aura_analysis::RuleSettings::from_config(&config.rules);
        let mut analysis = aura_ide::analyse_snapshot(&snapshot, &rules);
        if let (Some(tree), Some(language), true) =
            (&analysis.tree, snapshot.language, rules.clones_enabled())
        {
            let file = aura_analysis::SourceFile { language, text: &snapshot.text, tree };
            let tokens = aura_analysis::clones::tokenize(file);
            let found = workspace.update_and_query(&task_key, tokens, &rules);
            aura_analysis::merge_into(language, &snapshot.text, &mut analysis.diagnostics, found);
        }
        let mut out: Vec<lsp::Diagnostic> =
            analysis.diagnostics.iter().map(|d| convert::diagnostic(&snapshot.text, d, encoding)).collect();
        if let (Some(tree), Some(language)) = (&analysis.tree, snapshot.language) {
            let file = aura_analysis::SourceFile { language, text: &snapshot.text, tree };
            out.extend(super::git::hotspot_diagnostics(&state, &task_key, file, encoding));
            let shape = state.semantic.diagnostics(&task_key, file, &rules);
            out.extend(shape.iter().map(|d| convert::diagnostic(&snapshot.text, d, encoding)));
        }
        out.extend(state.ai.finding_diagnostics(&task_key, &snapshot.text, encoding));
        if let Some(tree) = analysis.tree {
            docs.store_tree(&task_key, snapshot.revision, tree);
        }
        out
    });
    match task.await {
        Ok(d) => Some((version, d)),
        Err(err) => {
            tracing::error!(uri = %key, "analysis failed: {err}");
            None
        }
    }
}

#[derive(Default)]
pub(crate) struct Scheduler {
    generations: DashMap<String, u64>,
    epoch: AtomicU64,
}

impl Scheduler {
    pub(crate) fn schedule(&self, state: &State, uri: lsp::Url) {
        // Editors that pull diagnostics ask when they want them.
        if state.pulls_diagnostics() {
            return;
        }
        let key = uri.to_string();
        let generation = {
            let mut entry = self.generations.entry(key.clone()).or_insert(0);
            *entry += 1;
            *entry
        };
        let epoch = self.epoch.load(Ordering::Relaxed);
        let state = state.clone();
        tokio::spawn(async move {
            let config = state.config();
            tokio::time::sleep(Duration::from_millis(config.diagnostics.debounce_ms)).await;
            let current = |s: &State| {
                s.scheduler.epoch.load(Ordering::Relaxed) == epoch
                    && s.scheduler.generations.get(&key).is_some_and(|g| *g == generation)
            };
            if !current(&state) {
                return;
            }
            let Some((version, diagnostics)) = compute(&state, &key, config).await else { return };
            // A newer edit supersedes this result.
            if !current(&state) || state.docs.version(&key) != Some(version) {
                return;
            }
            state.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        });
    }

    pub(crate) fn forget(&self, key: &str) {
        self.generations.remove(key);
    }

    pub(crate) fn reschedule_all(&self, state: &State) {
        for key in state.docs.keys() {
            if let Ok(uri) = lsp::Url::parse(&key) {
                self.schedule(state, uri);
            }
        }
    }

    pub(crate) fn cancel_all(&self) {
        self.epoch.fetch_add(1, Ordering::Relaxed);
    }
}
