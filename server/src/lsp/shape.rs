//! The semantic index in the server: a background worker (one thread at
//! lowered priority) scans the workspace into function chunks and imports,
//! embeds what the workspace cache lacks in small batches — pausing while
//! the person types, reporting `$/progress` — then analyses the shape.
//! Edited documents are re-chunked from their live text once typing pauses;
//! saved and closed ones from their text too. Results feed AUR403
//! (near-copies), AUR404 (near-copies a fix commit left behind, from the
//! git history) and AUR501 (import cycles) in each document's diagnostics,
//! the `aura/similar` request and the `aura.shape` command.
//!
//! Without the embedding model the index still gives import cycles; the
//! log says how to fetch the model.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use aura_analysis::shape_rules::{DIVERGENT_CLONE, IMPORT_CYCLE, NEAR_COPY};
use aura_analysis::{Diagnostic, RuleSettings, SourceFile};
use aura_shape::imports::{imports_of, Import, Resolver};
use aura_shape::insights::{
    divergent_clone_diagnostics, import_cycle_diagnostics, near_copy_diagnostics, ClonePair,
};
use aura_shape::{function_chunks, SemanticIndex, ShapeReport};
use serde_json::{json, Value};
use tower_lsp::jsonrpc::Result as RpcResult;
use tower_lsp::lsp_types as lsp;

use super::progress::Progress;
use super::State;

/// `aura.shape`: `[{"show"?, "svg"?}]`.
pub(crate) const SHAPE: &str = "aura.shape";
/// `aura.openNearCopy`: `[uri, line]`, a near-copy lens's click.
pub(crate) const OPEN_NEAR_COPY: &str = "aura.openNearCopy";

/// Texts embedded per step: an edit waits at most one step (about a second
/// on two cores for long functions).
const STEP: usize = 8;
/// Lines of each similar function put into an AI prompt.
const RELATED_LINES: usize = 60;

/// How long typing must pause before the worker embeds or re-chunks.
const QUIET: Duration = Duration::from_millis(800);

#[derive(Default)]
pub(crate) struct SemanticState {
    inner: Mutex<Inner>,
    wake: Condvar,
}

#[derive(Default)]
struct Inner {
    root: Option<PathBuf>,
    resolver: Option<Resolver>,
    index: SemanticIndex,
    graph: HashMap<String, Vec<Import>>,
    clone_pairs: Vec<ClonePair>,
    report: Option<Arc<ShapeReport>>,
    /// Open documents (URIs) edited or saved since they were last chunked.
    dirty: HashSet<String>,
    /// Why embeddings are unavailable, if they are.
    unavailable: Option<String>,
    started: bool,
}

impl SemanticState {
    /// A document changed: re-chunk it once typing pauses.
    pub(crate) fn touch(&self, key: &str) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.started {
                inner.dirty.insert(key.to_owned());
                self.wake.notify_one();
            }
        }
    }

    /// AUR403 and AUR501 for an open document, from its current tree (the
    /// imports) and the last analysis (the near-copies; a function whose name
    /// is not where the index saw it is left out until it is re-chunked).
    pub(crate) fn diagnostics(
        &self,
        key: &str,
        file: SourceFile<'_>,
        rules: &RuleSettings,
    ) -> Vec<Diagnostic> {
        let (cycles_on, copies_on, divergent_on) =
            (rules.is_enabled(IMPORT_CYCLE), rules.is_enabled(NEAR_COPY), rules.is_enabled(DIVERGENT_CLONE));
        if !cycles_on && !copies_on && !divergent_on {
            return Vec::new();
        }
        let Ok(mut inner) = self.inner.lock() else { return Vec::new() };
        let Some(root) = inner.root.clone() else { return Vec::new() };
        let Some(rel) = rel_of(&root, key) else { return Vec::new() };
        let mut out = Vec::new();
        if cycles_on {
            if let Some(resolver) = &inner.resolver {
                let imports = imports_of(&rel, file, resolver);
                inner.graph.insert(rel.clone(), imports);
            }
            out.extend(import_cycle_diagnostics(&inner.graph, &rel));
        }
        if copies_on {
            if let Some(report) = &inner.report {
                out.extend(near_copy_diagnostics(report, &rel).into_iter().filter(|d| {
                    report.clusters.iter().flat_map(|c| &c.members).any(|m| {
                        m.function.name_range == d.range && still_there(&m.function, &rel, file.text)
                    })
                }));
            }
        }
        if divergent_on {
            if let Some(report) = &inner.report {
                out.extend(divergent_clone_diagnostics(report, &rel).into_iter().filter(|d| {
                    report
                        .divergent
                        .iter()
                        .any(|v| v.stale.name_range == d.range && still_there(&v.stale, &rel, file.text))
                }));
            }
        }
        for d in &mut out {
            for r in &mut d.related {
                r.file = uri_of(&root, &r.file);
            }
        }
        aura_analysis::rules::drop_suppressed(file.language, file.text, &mut out);
        out
    }

    /// The functions most like the one at 0-based `line` of `key`, with
    /// their code, as prompt context for AI programs (the `related` slot):
    /// at most `k`, only those at `min_similarity` or closer, each cut at
    /// [`RELATED_LINES`] lines. `None` when the index has nothing to offer.
    pub(crate) fn related_code(
        &self,
        key: &str,
        line: u32,
        k: usize,
        min_similarity: f32,
        local_only: &dyn Fn(&Path) -> bool,
    ) -> Option<String> {
        let (root, hits) = {
            let inner = self.inner.lock().ok()?;
            let root = inner.root.clone()?;
            let rel = rel_of(&root, key)?;
            let (_, hits) = inner.index.similar(&rel, line + 1, k)?;
            (root, hits)
        };
        let mut out = String::new();
        for hit in hits.iter().filter(|h| h.similarity >= min_similarity) {
            // A local-only file's code never leaves the process, as context neither.
            if local_only(&root.join(&hit.file)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(root.join(&hit.file)) else { continue };
            let span = (hit.end_line + 1).saturating_sub(hit.start_line) as usize;
            let body: Vec<&str> =
                text.lines().skip(hit.start_line as usize - 1).take(span.min(RELATED_LINES)).collect();
            out.push_str(&format!(
                "{}:{} `{}` (similarity {:.2})\n```\n{}\n```\n",
                hit.file,
                hit.start_line,
                hit.name,
                hit.similarity,
                body.join("\n")
            ));
        }
        (!out.is_empty()).then_some(out)
    }

    /// The near-copy lenses of an open document: one above each function
    /// in a near-copy cluster, naming its nearest copy; the command opens it.
    pub(crate) fn lenses(&self, key: &str, text: &aura_syntax::Rope) -> Vec<NearCopyLens> {
        let Ok(inner) = self.inner.lock() else { return Vec::new() };
        let (Some(root), Some(report)) = (&inner.root, &inner.report) else { return Vec::new() };
        let Some(rel) = rel_of(root, key) else { return Vec::new() };
        let mut out = Vec::new();
        for cluster in &report.clusters {
            for m in cluster.members.iter().filter(|m| still_there(&m.function, &rel, text)) {
                let near = &cluster.members[m.nearest].function;
                let place = if near.file == rel { String::new() } else { format!(" in {}", near.file) };
                let more = match cluster.members.len() - 2 {
                    0 => String::new(),
                    n => format!(" · {n} more"),
                };
                out.push(NearCopyLens {
                    name_range: m.function.name_range.clone(),
                    title: format!("near-copy of {}{place} ({:.2}){more}", near.name, m.similarity),
                    target: uri_of(root, &near.file),
                    line: near.start_line - 1,
                });
            }
        }
        out
    }
}

/// A lens above a near-copy: where it is, what it says, and the copy it opens.
pub(crate) struct NearCopyLens {
    pub(crate) name_range: std::ops::Range<usize>,
    pub(crate) title: String,
    /// The nearest copy's URI and 0-based line.
    pub(crate) target: String,
    pub(crate) line: u32,
}

/// Whether the index's function is still where it was seen in `rel`'s live
/// text (its name at the same bytes); edited ones wait for re-chunking.
fn still_there(f: &aura_shape::insights::FunctionRef, rel: &str, text: &aura_syntax::Rope) -> bool {
    f.file == rel
        && f.name_range.end <= text.len_bytes()
        && text.byte_slice(f.name_range.clone()) == f.name.as_str()
}

/// `aura.openNearCopy` `[uri, line]`: show a near-copy lens's target.
pub(crate) async fn open_near_copy(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let uri = arguments.first().and_then(Value::as_str).and_then(|u| lsp::Url::parse(u).ok());
    let line = arguments.get(1).and_then(Value::as_u64).and_then(|l| u32::try_from(l).ok());
    let (Some(uri), Some(line)) = (uri, line) else {
        return Err(super::commands::invalid(format!("{OPEN_NEAR_COPY} takes [uri, line]")));
    };
    let at = lsp::Position { line, character: 0 };
    let shown = state
        .client
        .show_document(lsp::ShowDocumentParams {
            uri: uri.clone(),
            external: Some(false),
            take_focus: Some(true),
            selection: Some(lsp::Range { start: at, end: at }),
        })
        .await
        .unwrap_or(false);
    Ok(Some(json!({"uri": uri, "line": line, "shown": shown})))
}

/// `root` is canonical (see [`start`]), so only the document's path is resolved.
fn rel_of(root: &Path, key: &str) -> Option<String> {
    let path = lsp::Url::parse(key).ok()?.to_file_path().ok()?;
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    Some(aura_ide::shape::relative(root, path.strip_prefix(root).ok()?).trim_start_matches('/').to_owned())
}

fn uri_of(root: &Path, rel: &str) -> String {
    lsp::Url::from_file_path(root.join(rel)).map(|u| u.to_string()).unwrap_or_else(|_| rel.to_owned())
}

/// Starts the worker once per server (later calls do nothing).
pub(crate) fn start(state: &State) {
    let Some(root) = state.root() else { return };
    // Canonical once, so that mapping URIs to index keys needs no root lookup.
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    {
        let Ok(mut inner) = state.semantic.inner.lock() else { return };
        if inner.started {
            return;
        }
        inner.started = true;
        inner.root = Some(root.clone());
    }
    let state = state.clone();
    let handle = tokio::runtime::Handle::current();
    let spawned = std::thread::Builder::new().name("aura-semantic".into()).spawn(move || {
        lower_priority();
        let _guard = handle.enter();
        worker(&state, &root, &handle);
    });
    if let Err(e) = spawned {
        tracing::warn!("semantic index not started: {e}");
    }
}

/// Nice 10 for this thread (and the threads it starts, such as the matrix
/// kernels' pool): typing and diagnostics come first.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

fn worker(state: &State, root: &Path, handle: &tokio::runtime::Handle) {
    let options = state.check_options();
    let scan = match aura_ide::shape::scan(root, &options) {
        Ok(scan) => scan,
        Err(e) => {
            tracing::warn!("semantic index: {e}");
            return;
        }
    };
    let cache = aura_ide::shape::workspace_cache(root);
    {
        let Ok(mut inner) = state.semantic.inner.lock() else { return };
        inner.resolver = Some(Resolver::new(scan.files.iter().map(|f| f.path.as_str())));
        inner.graph = scan.import_graph();
        inner.clone_pairs = scan.clone_pairs();
        inner.index = scan.index(cache);
    }
    // Import cycles need no model: show them now.
    state.scheduler.reschedule_all(state);
    let embedder = match aura_embed::Embedder::load_default() {
        Ok(e) => e,
        Err(e) => {
            let why = format!("{e} (scripts/fetch-embedding-model fetches it)");
            tracing::info!("semantic index without embeddings: {why}");
            if let Ok(mut inner) = state.semantic.inner.lock() {
                inner.unavailable = Some(why);
            }
            return;
        }
    };
    let cut = state.config().rules.thresholds.near_copy_distance as f32;
    let mut history = None;
    loop {
        embed_all(state, handle, &embedder);
        analyse(state, root, cut, &mut history);
        state.scheduler.reschedule_all(state);
        // Sleep until a document changes, then wait for typing to pause.
        let dirty: Vec<String> = {
            let Ok(inner) = state.semantic.inner.lock() else { return };
            let Ok(mut inner) = state.semantic.wake.wait_while(inner, |i| i.dirty.is_empty()) else { return };
            inner.dirty.drain().collect()
        };
        while state.workspace.recently_edited_within(QUIET) {
            std::thread::sleep(QUIET / 4);
        }
        rechunk(state, root, &dirty);
    }
}

fn embed_all(state: &State, handle: &tokio::runtime::Handle, embedder: &aura_embed::Embedder) {
    let total = state.semantic.inner.lock().map(|i| i.index.pending(usize::MAX).len()).unwrap_or(0);
    if total == 0 {
        return;
    }
    let progress = handle.block_on(Progress::begin(
        state,
        "aura/semantic-index",
        "Aura: semantic index",
        format!("0/{total} functions"),
    ));
    let mut done = 0;
    loop {
        while state.workspace.recently_edited_within(QUIET) {
            std::thread::sleep(QUIET / 4);
        }
        let work = match state.semantic.inner.lock() {
            Ok(inner) => inner.index.pending(STEP),
            Err(_) => return,
        };
        if work.is_empty() {
            break;
        }
        let texts: Vec<&str> = work.iter().map(|(_, t)| t.as_str()).collect();
        let vectors = match embedder.embed(&texts) {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("semantic index: {e}");
                break;
            }
        };
        done += work.len();
        if let Ok(mut inner) = state.semantic.inner.lock() {
            inner.index.fill(work.into_iter().map(|(h, _)| h).zip(vectors).collect());
        }
        let pct = (done * 100 / total.max(1)).min(100) as u32;
        handle.block_on(progress.report(state, format!("{done}/{total} functions"), Some(pct), false));
    }
    if let Ok(mut inner) = state.semantic.inner.lock() {
        if let Err(e) = inner.index.save_cache() {
            tracing::warn!("cannot write the embedding cache: {e}");
        }
    }
    handle.block_on(progress.end(state, format!("embedded {done} functions")));
}

/// The spanning tree is O(n²) in the functions: it runs on a copy, so
/// diagnostics and requests never wait for it.
fn analyse(state: &State, root: &Path, cut: f32, history: &mut Option<(String, aura_git::History)>) {
    let started = std::time::Instant::now();
    let (index, pairs, graph) = match state.semantic.inner.lock() {
        Ok(inner) => (inner.index.snapshot(), inner.clone_pairs.clone(), inner.graph.clone()),
        Err(_) => return,
    };
    let cycles = aura_shape::imports::cycles(&graph);
    let mut report = aura_shape::analyse(&index, &pairs, cycles, cut);
    divergent(state, root, history, &mut report);
    let Ok(mut inner) = state.semantic.inner.lock() else { return };
    tracing::info!(
        functions = report.embedded,
        clusters = report.clusters.len(),
        divergent = report.divergent.len(),
        cycles = report.cycles.len(),
        ms = started.elapsed().as_millis() as u64,
        "code shape analysed"
    );
    inner.report = Some(Arc::new(report));
}

/// AUR404: the near-copies a fix commit left behind. The history walk is
/// kept per HEAD, so edits re-analysed between commits cost no walk.
fn divergent(
    state: &State,
    root: &Path,
    history: &mut Option<(String, aura_git::History)>,
    report: &mut ShapeReport,
) {
    let config = state.config().git;
    if !config.enable || report.clusters.is_empty() {
        return;
    }
    let Ok(repo) = aura_git::Repo::discover(root) else { return };
    let Some(head) = repo.head().ok().and_then(|h| h.commit().map(|c| c.to_string())) else { return };
    if history.as_ref().is_none_or(|(seen, _)| *seen != head) {
        match repo.history(crate::cli::git::window(&config, None, None)) {
            Ok(walked) => *history = Some((head, walked)),
            Err(e) => {
                tracing::warn!("divergent clones: {e}");
                return;
            }
        }
    }
    if let Some((_, walked)) = history {
        report.divergent = aura_ide::git::divergent::divergent_in(report, &repo, root, walked);
    }
}

/// Re-chunk documents from their live text (closed ones from disk).
fn rechunk(state: &State, root: &Path, keys: &[String]) {
    for key in keys {
        let Some(rel) = rel_of(root, key) else { continue };
        let text = match state.docs.snapshot(key) {
            Some((snapshot, _, _)) => snapshot.text.to_string(),
            None => match lsp::Url::parse(key).ok().and_then(|u| u.to_file_path().ok()) {
                Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
                None => continue,
            },
        };
        let Some(language) = aura_syntax::registry().for_path(Path::new(&rel), text.lines().next()) else {
            continue;
        };
        let rope = aura_syntax::Rope::from_str(&text);
        let Some(tree) = aura_syntax::parse(language, &rope, None) else { continue };
        let file = SourceFile { language, text: &rope, tree: &tree };
        let chunks = function_chunks(&rel, file);
        if let Ok(mut inner) = state.semantic.inner.lock() {
            if let Some(resolver) = &inner.resolver {
                let imports = imports_of(&rel, file, resolver);
                inner.graph.insert(rel.clone(), imports);
            }
            inner.index.set_file(&rel, chunks);
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SimilarParams {
    text_document: lsp::TextDocumentIdentifier,
    position: lsp::Position,
    #[serde(default)]
    k: Option<usize>,
}

/// `aura/similar`: the functions nearest in meaning to the one at the
/// position, best first: `{function, similar: [{uri, range, name,
/// similarity}]}`, or `{error}` while the index is not ready.
pub(crate) fn similar(state: &State, params: SimilarParams) -> RpcResult<Value> {
    let Ok(inner) = state.semantic.inner.lock() else { return Ok(json!({"error": "index unavailable"})) };
    let Some(root) = inner.root.clone() else {
        return Ok(json!({"error": "no workspace folder is open"}));
    };
    if let Some(why) = &inner.unavailable {
        return Ok(json!({"error": format!("no embedding model: {why}")}));
    }
    let key = params.text_document.uri.to_string();
    let Some(rel) = rel_of(&root, &key) else {
        return Ok(json!({"error": "the file is outside the workspace"}));
    };
    let line = params.position.line + 1;
    let Some((me, hits)) = inner.index.similar(&rel, line, params.k.unwrap_or(5).clamp(1, 100)) else {
        let (total, embedded) = inner.index.counts();
        return Ok(json!({"error": format!(
            "no indexed function at line {line} yet ({embedded}/{total} functions embedded)"
        )}));
    };
    let place = |file: &str, start: u32, end: u32| {
        json!({
            "uri": uri_of(&root, file),
            "range": {"start": {"line": start - 1, "character": 0}, "end": {"line": end, "character": 0}},
        })
    };
    let similar: Vec<Value> = hits
        .iter()
        .map(|h| {
            let mut v = place(&h.file, h.start_line, h.end_line);
            v["name"] = json!(h.name);
            v["similarity"] = json!(h.similarity);
            v
        })
        .collect();
    let mut function = place(&me.file, me.start_line, me.end_line);
    function["name"] = json!(me.name);
    Ok(json!({"function": function, "similar": similar}))
}

/// `aura.shape`: the last shape report as JSON; opens it as a document
/// unless `show` is false, and adds the SVG picture when `svg` is true.
pub(crate) async fn shape_command(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let option = |k: &str| arguments.first().and_then(|v| v.get(k)).and_then(Value::as_bool);
    let (report, progress) = match state.semantic.inner.lock() {
        Ok(inner) => (inner.report.clone(), inner.index.counts()),
        Err(_) => (None, (0, 0)),
    };
    let Some(report) = report else {
        let why = format!(
            "the semantic index is still being built ({}/{} functions embedded)",
            progress.1, progress.0
        );
        state.client.show_message(lsp::MessageType::INFO, format!("Aura: code shape: {why}")).await;
        return Ok(Some(json!({"error": why})));
    };
    let mut value = serde_json::to_value(&*report).unwrap_or_default();
    if option("svg").unwrap_or(false) {
        value["svg"] = match crate::cli::shape::svg(&report) {
            Ok(svg) => json!(svg),
            Err(why) => json!({"error": why}),
        };
    }
    if option("show").unwrap_or(true) {
        let markdown = format!("# Aura code shape\n\n```text\n{}```\n", crate::cli::shape::text(&report));
        value["document"] = json!(super::ai::open_markdown(state, "shape", &markdown).await);
    }
    Ok(Some(value))
}
