//! Debounced, superseding syntax diagnostics: each edit bumps a per-document
//! generation; a task waits out the debounce, analyses a snapshot off the
//! protocol task, and publishes only if no newer edit arrived meanwhile. The
//! last analysis of each document is kept ([`Analyses`]) so that code
//! actions and AI context, asked for on every cursor move, reuse it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aura_analysis::Diagnostic;
use aura_syntax::tree_sitter::Tree;
use aura_syntax::Snapshot;

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
        // The document's chunks from its last analysis; a concurrent analysis
        // of the same document (rare) starts from nothing rather than wait.
        let mut chunks = state.analyses.chunks.remove(&task_key).map(|(_, c)| c).unwrap_or_default();
        let mut analysis = aura_ide::analyse_snapshot(&snapshot, &rules, Some(&mut chunks));
        aura_analysis::drop_for_path(&task_key, &mut analysis.diagnostics);
        if let Some(language) = snapshot.language {
            aura_ide::check::drop_for_text(&snapshot.text, language, &mut analysis.diagnostics);
        }
        tracing::debug!(uri = %task_key, last = ?chunks.last_run(), "chunks reused, walked");
        state.analyses.keep_chunks(&task_key, chunks, snapshot.text.len_bytes());
        if let (Some(tokens), Some(language)) = (analysis.tokens.take(), snapshot.language) {
            let found = workspace.update_and_query(&task_key, tokens, &rules);
            aura_analysis::merge_into(language, &snapshot.text, &mut analysis.diagnostics, found);
        }
        state.analyses.put(&task_key, snapshot.revision, rules_key(&config), &analysis.diagnostics);
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

/// The rule diagnostics (clones merged) of each open document's last
/// analysis, with the revision and rules they belong to.
#[derive(Default)]
pub(crate) struct Analyses {
    done: DashMap<String, Cached>,
    /// The chunks of the most recently analysed documents, for their next
    /// analysis to reuse.
    chunks: DashMap<String, aura_analysis::AnalysisCache>,
    /// Those documents, least recent first, with their sizes in bytes.
    recent: std::sync::Mutex<std::collections::VecDeque<(String, usize)>>,
}

struct Cached {
    revision: u64,
    rules: String,
    diagnostics: Arc<Vec<Diagnostic>>,
}

/// What the analysis depends on besides the text.
fn rules_key(config: &Config) -> String {
    serde_json::to_string(&config.rules).unwrap_or_default()
}

impl Analyses {
    fn put(&self, key: &str, revision: u64, rules: String, diagnostics: &[Diagnostic]) {
        self.done
            .insert(key.to_string(), Cached { revision, rules, diagnostics: Arc::new(diagnostics.to_vec()) });
    }

    /// Keep `key`'s chunks for its next analysis. Chunks hold a syntax tree
    /// and every clone token, so, like the documents' own trees, only the
    /// most recently analysed documents keep theirs (the one being edited is
    /// always among them); the others start afresh when next analysed.
    fn keep_chunks(&self, key: &str, chunks: aura_analysis::AnalysisCache, bytes: usize) {
        self.chunks.insert(key.to_string(), chunks);
        let Ok(mut recent) = self.recent.lock() else { return };
        recent.retain(|(k, _)| k != key);
        recent.push_back((key.to_string(), bytes));
        let mut total: usize = recent.iter().map(|(_, b)| b).sum();
        while recent.len() > 1
            && (recent.len() > aura_ide::MAX_TREES || total > aura_ide::MAX_TREE_SOURCE_BYTES)
        {
            let Some((oldest, size)) = recent.pop_front() else { break };
            total -= size;
            self.chunks.remove(&oldest);
        }
    }

    pub(crate) fn forget(&self, key: &str) {
        self.done.remove(key);
        self.chunks.remove(key);
        if let Ok(mut recent) = self.recent.lock() {
            recent.retain(|(k, _)| k != key);
        }
    }
}

/// The tree and rule diagnostics of `snapshot`: the last analysis when it is
/// of this revision under these rules (the common case: the editor asks for
/// code actions after the diagnostics were published), else a fresh one.
/// Call off the protocol task; a fresh analysis can take tens of ms.
pub(crate) fn analysis(
    state: &State,
    key: &str,
    snapshot: &Snapshot,
    config: &Config,
) -> (Option<Tree>, Arc<Vec<Diagnostic>>) {
    let rules = rules_key(config);
    let cached = state
        .analyses
        .done
        .get(key)
        .filter(|c| c.revision == snapshot.revision && c.rules == rules)
        .map(|c| c.diagnostics.clone());
    match cached {
        Some(diagnostics) => (snapshot.tree(), diagnostics),
        None => {
            let (settings, _) = aura_analysis::RuleSettings::from_config(&config.rules);
            let mut analysis = aura_ide::analyse_snapshot(snapshot, &settings, None);
            aura_analysis::drop_for_path(key, &mut analysis.diagnostics);
            if let Some(language) = snapshot.language {
                aura_ide::check::drop_for_text(&snapshot.text, language, &mut analysis.diagnostics);
            }
            (analysis.tree, Arc::new(analysis.diagnostics))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_most_recently_analysed_documents_keep_their_chunks() {
        let analyses = Analyses::default();
        for n in 0..aura_ide::MAX_TREES + 4 {
            analyses.keep_chunks(&format!("file:///{n}.py"), aura_analysis::AnalysisCache::new(), 1_000);
        }
        assert_eq!(analyses.chunks.len(), aura_ide::MAX_TREES);
        assert!(!analyses.chunks.contains_key("file:///0.py"), "the least recent went first");
        // Analysing an old document again makes it recent.
        analyses.keep_chunks("file:///4.py", aura_analysis::AnalysisCache::new(), 1_000);
        analyses.keep_chunks("file:///new.py", aura_analysis::AnalysisCache::new(), 1_000);
        assert!(analyses.chunks.contains_key("file:///4.py"));
        assert!(!analyses.chunks.contains_key("file:///5.py"));
        // One large document may keep its chunks alone.
        analyses.keep_chunks(
            "file:///big.py",
            aura_analysis::AnalysisCache::new(),
            10 * aura_ide::MAX_TREE_SOURCE_BYTES,
        );
        assert_eq!(analyses.chunks.len(), 1);
        analyses.forget("file:///big.py");
        assert!(analyses.chunks.is_empty());
    }
}
