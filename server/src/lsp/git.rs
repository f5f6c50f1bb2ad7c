//! Repository features in the editor: blame in hover, "changed · N callers"
//! lenses, hotspot diagnostics and the impact, commit-message, branch-name
//! and hotspots commands. Every git call runs in `spawn_blocking`; hover and
//! lens wait a bounded time and answer without the git part when it is
//! late (the work finishes and is cached for the next request), so typing
//! never waits on a large repository.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use aura_git::{diff_text, new_to_old, FileBlame, Repo, Scope};
use aura_ide::git::changes::{changed_files, changed_in_buffer, ChangedFile, FunctionStatus};
use aura_ide::git::commit::{
    branch_name, branch_name_for, changes_to_commit, draft, nothing_to_commit, refine_with,
};
use aura_ide::git::hotspots::{hotspots, FunctionHotspot};
use aura_ide::git::impact::impact;
use aura_syntax::Snapshot;
use dashmap::DashMap;
use serde_json::{json, Value};
use tower_lsp::jsonrpc::Result as RpcResult;
use tower_lsp::lsp_types as lsp;

use super::commands::invalid;
use super::{convert, State};

/// `[{"staged": bool}]`: changed functions and their callers, opened as markdown.
pub(crate) const IMPACT: &str = "aura.impact";
/// `[{"staged": bool, "noModel": bool}]`: a conventional-commit message.
pub(crate) const COMMIT_MESSAGE: &str = "aura.commitMessage";
/// `[{"description": string}]`: a branch name for a description or the working tree.
pub(crate) const BRANCH_NAME: &str = "aura.branchName";
/// `[{"path": string, "top": n}]`: ranked hotspots as JSON.
pub(crate) const HOTSPOTS: &str = "aura.hotspots";

/// How long hover and lens wait for git before answering without it.
const GIT_WAIT: Duration = Duration::from_millis(300);
/// How long a caller count stays fresh for lenses.
const CALLERS_TTL: Duration = Duration::from_secs(20);

#[derive(Default)]
pub(crate) struct GitState {
    /// Blame per absolute path, for one HEAD.
    blames: DashMap<PathBuf, Arc<Blamed>>,
    /// Caller counts per function name, for lenses.
    callers: DashMap<String, (Instant, usize)>,
    /// The workspace's hottest functions by relative path.
    hot: RwLock<Option<Arc<HotIndex>>>,
}

struct Blamed {
    head: String,
    head_text: Vec<u8>,
    blame: FileBlame,
}

struct HotIndex {
    head: Option<String>,
    root: PathBuf,
    by_path: HashMap<String, Vec<FunctionHotspot>>,
}

fn open_repo(path: &Path) -> Option<(Repo, String)> {
    let repo = Repo::discover(path).ok()?;
    let relative = repo.relative(path).ok()?;
    Some((repo, relative))
}

/// Run `work` off the protocol task and wait at most `GIT_WAIT` for it.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> Option<T> + Send + 'static) -> Option<T> {
    let task = tokio::task::spawn_blocking(work);
    tokio::time::timeout(GIT_WAIT, task).await.ok()?.ok()?
}

fn relative_time(time: i64) -> String {
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let ago = (now - time).max(0);
    let (n, unit) = match ago {
        0..=59 => return "just now".into(),
        60..=3599 => (ago / 60, "minute"),
        3600..=86_399 => (ago / 3600, "hour"),
        86_400..=2_591_999 => (ago / 86_400, "day"),
        2_592_000..=31_535_999 => (ago / 2_592_000, "month"),
        _ => (ago / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// The blame line for the hovered line of `snapshot`, or `None` when the
/// file is not in a repository, git is off, or blame is late.
pub(crate) async fn blame_markdown(
    state: &State,
    uri: &lsp::Url,
    snapshot: &Snapshot,
    line: u32,
) -> Option<String> {
    let config = state.config().git;
    if !config.enable || !config.blame_hover {
        return None;
    }
    let path = uri.to_file_path().ok()?;
    let buffer = snapshot.text.to_string();
    let git = state.git.clone();
    bounded(move || {
        let (repo, relative) = open_repo(&path)?;
        let head = repo.head().ok()?.commit()?.to_string();
        let cached = git.blames.get(&path).map(|b| b.clone()).filter(|b| b.head == head);
        let blamed = match cached {
            Some(b) => b,
            None => {
                let head_text = repo.head_file(&relative).ok()??;
                let blame = repo.blame(&relative).ok()?;
                let b = Arc::new(Blamed { head, head_text, blame });
                git.blames.insert(path.clone(), b.clone());
                b
            }
        };
        let hunks = diff_text(&blamed.head_text, buffer.as_bytes());
        let Some(old) = new_to_old(&hunks, line) else {
            return Some("*Not committed yet*".to_owned());
        };
        let c = blamed.blame.at(old)?;
        Some(format!(
            "*{}, {} · `{}` · {}*",
            c.author,
            relative_time(c.time),
            c.id.short(),
            c.summary.replace('*', "\\*")
        ))
    })
    .await
}

/// "changed · N callers" lenses above the functions this buffer changes
/// against HEAD.
pub(crate) async fn changed_lenses(state: &State, uri: &lsp::Url, snapshot: &Snapshot) -> Vec<lsp::CodeLens> {
    let config = state.config();
    if !config.git.enable || !config.git.changed_lens {
        return Vec::new();
    }
    let Ok(path) = uri.to_file_path() else { return Vec::new() };
    let buffer = snapshot.text.to_string();
    let (git, options) = (state.git.clone(), state.check_options());
    let found = bounded(move || {
        let (repo, relative) = open_repo(&path)?;
        repo.head().ok()?.commit()?;
        let head = repo.head_file(&relative).ok()?;
        let changed: Vec<_> = changed_in_buffer(&relative, head.as_deref(), &buffer)
            .into_iter()
            .filter(|f| f.status != FunctionStatus::Deleted)
            .collect();
        if changed.is_empty() {
            return Some(Vec::new());
        }
        let stale: Vec<_> = changed
            .iter()
            .filter(|f| git.callers.get(&f.name).is_none_or(|c| c.0.elapsed() > CALLERS_TTL))
            .cloned()
            .collect();
        if !stale.is_empty() {
            let change = aura_git::FileChange {
                path: relative.clone(),
                old_path: None,
                kind: aura_git::ChangeKind::Modified,
                binary: false,
                untracked: false,
                hunks: Vec::new(),
                added: 0,
                removed: 0,
            };
            let language = aura_syntax::registry().for_path(&path, None);
            let file = ChangedFile { change, language, functions: stale, whitespace_only: false };
            for f in impact(repo.workdir(), &[file], &options).functions {
                git.callers.insert(f.function.name.clone(), (Instant::now(), f.callers()));
            }
        }
        Some(
            changed
                .into_iter()
                .map(|f| {
                    let callers = git.callers.get(&f.name).map_or(0, |c| c.1);
                    (f, callers)
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
    .unwrap_or_default();
    let encoding = state.encoding();
    found
        .into_iter()
        .map(|(f, callers)| lsp::CodeLens {
            range: convert::range(&snapshot.text, f.name_range.clone(), encoding),
            command: Some(lsp::Command {
                title: format!("changed · {callers} caller{}", if callers == 1 { "" } else { "s" }),
                command: IMPACT.to_owned(),
                arguments: Some(vec![json!({"staged": false})]),
            }),
            data: None,
        })
        .collect()
}

/// Recompute the workspace's hotspots (at startup and when HEAD moves),
/// then re-publish diagnostics so open files show them.
pub(crate) async fn refresh_hotspots(state: State) {
    let config = state.config().git;
    let Some(root) = state.root() else { return };
    if !config.enable || config.hotspot_diagnostics == 0 {
        if let Ok(mut hot) = state.git.hot.write() {
            *hot = None;
        }
        return;
    }
    let known_head = state.git.hot.read().ok().and_then(|h| h.as_ref().map(|h| h.head.clone()));
    let window = crate::cli::git::window(&config, None, None);
    let computed = tokio::task::spawn_blocking(move || {
        let repo = Repo::discover(&root).ok()?;
        let head = repo.head().ok()?.commit().map(ToString::to_string);
        if known_head.as_ref() == Some(&head) {
            return None;
        }
        let mut hot = hotspots(&repo, window, "").ok()?;
        hot.functions.retain(|f| f.commits >= config.hotspot_min_commits);
        hot.functions.truncate(config.hotspot_diagnostics as usize);
        let mut by_path: HashMap<String, Vec<FunctionHotspot>> = HashMap::new();
        for f in hot.functions {
            by_path.entry(f.path.clone()).or_default().push(f);
        }
        Some(HotIndex { head, root: repo.workdir().to_path_buf(), by_path })
    })
    .await
    .ok()
    .flatten();
    if let Some(index) = computed {
        if let Ok(mut hot) = state.git.hot.write() {
            *hot = Some(Arc::new(index));
        }
        state.scheduler.reschedule_all(&state);
    }
}

/// Hotspot diagnostics for one document, found by function name in its
/// current text (HEAD's line numbers drift as the buffer is edited), from
/// the tree the diagnostics pass just parsed.
pub(crate) fn hotspot_diagnostics(
    state: &State,
    uri_key: &str,
    file: aura_analysis::SourceFile<'_>,
    encoding: aura_syntax::PositionEncoding,
) -> Vec<lsp::Diagnostic> {
    let Some(index) = state.git.hot.read().ok().and_then(|h| h.clone()) else { return Vec::new() };
    let Some(path) = lsp::Url::parse(uri_key).ok().and_then(|u| u.to_file_path().ok()) else {
        return Vec::new();
    };
    let path = path.canonicalize().unwrap_or(path);
    let Ok(relative) = path.strip_prefix(&index.root) else { return Vec::new() };
    let relative = aura_git::path_string(relative);
    let Some(hot) = index.by_path.get(&relative) else { return Vec::new() };
    let metrics = aura_analysis::metrics::compute(file);
    let mut out = Vec::new();
    for h in hot {
        let Some(f) =
            metrics.functions.iter().min_by_key(|f| (f.name != h.name, f.start_line.abs_diff(h.start_line)))
        else {
            continue;
        };
        if f.name != h.name {
            continue;
        }
        out.push(lsp::Diagnostic {
            range: convert::range(file.text, f.name_range.clone(), encoding),
            severity: Some(lsp::DiagnosticSeverity::INFORMATION),
            code: Some(lsp::NumberOrString::String("hotspot".into())),
            source: Some("aura-git".into()),
            message: format!(
                "hotspot: changed in {} of the last commits ({} fixes) with cyclomatic complexity {} (score {})",
                h.commits, h.fixes, h.cyclomatic, h.score
            ),
            ..lsp::Diagnostic::default()
        });
    }
    out
}

fn option<'a>(arguments: &'a [Value], key: &str) -> Option<&'a Value> {
    arguments.first().and_then(|v| v.get(key))
}

fn root_repo(state: &State) -> Result<Repo, String> {
    let root = state.root().ok_or("no workspace folder is open")?;
    Repo::discover(&root).map_err(|e| e.to_string())
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work).await.map_err(|e| format!("git task failed: {e}"))?
}

/// The clear message and an empty result, instead of an error popup.
async fn unavailable(state: &State, what: &str, why: String) -> RpcResult<Option<Value>> {
    state.client.show_message(lsp::MessageType::INFO, format!("Aura: {what}: {why}")).await;
    Ok(Some(json!({"error": why})))
}

pub(crate) async fn impact_command(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let staged = option(&arguments, "staged").and_then(Value::as_bool).unwrap_or(false);
    let (st, options) = (state.clone(), state.check_options());
    let result = blocking(move || {
        let repo = root_repo(&st)?;
        let changes = changed_files(&repo, crate::cli::git::scope(staged)).map_err(|e| e.to_string())?;
        Ok(impact(repo.workdir(), &changes, &options))
    })
    .await;
    let report = match result {
        Ok(r) => r,
        Err(why) => return unavailable(state, "change impact", why).await,
    };
    let markdown = crate::cli::git::impact_text(&report, staged);
    let document = super::ai::open_markdown(state, "impact", &markdown).await;
    Ok(Some(json!({"report": report, "document": document})))
}

pub(crate) async fn commit_message_command(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let force_staged = option(&arguments, "staged").and_then(Value::as_bool).unwrap_or(false);
    let no_model = option(&arguments, "noModel").and_then(Value::as_bool).unwrap_or(false);
    let st = state.clone();
    let result = blocking(move || {
        let repo = root_repo(&st)?;
        let (changes, scope) = changes_to_commit(&repo, force_staged).map_err(|e| e.to_string())?;
        let draft = draft(&changes).ok_or(nothing_to_commit(scope))?;
        let patch = repo.patch_text(scope, 12_000).unwrap_or_default();
        Ok((draft, patch, scope == Scope::Staged))
    })
    .await;
    let (draft, patch, staged) = match result {
        Ok(r) => r,
        Err(why) => return unavailable(state, "commit message", why).await,
    };
    let (mut message, mut source) = (draft.message(), "draft");
    if !no_model {
        let refined = refine_with(&state.providers(), &draft, &patch).await;
        if refined.from_model {
            (message, source) = (refined.message, "model");
        } else if let Some(why) = refined.rejected {
            tracing::info!("kept the commit draft: {why}");
        }
    }
    if show(&arguments) {
        state.client.show_message(lsp::MessageType::INFO, format!("Aura commit message:\n{message}")).await;
    }
    Ok(Some(json!({"message": message, "source": source, "staged": staged, "branch": branch_name(&draft)})))
}

/// Whether a command shows its result itself (`"show": false` is for clients
/// that render the returned data; Helix shows nothing of a command's result).
fn show(arguments: &[Value]) -> bool {
    option(arguments, "show").and_then(Value::as_bool).unwrap_or(true)
}

pub(crate) async fn branch_name_command(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let branch = match option(&arguments, "description").and_then(Value::as_str) {
        Some(description) => branch_name_for(description),
        None => {
            let st = state.clone();
            let result = blocking(move || {
                let repo = root_repo(&st)?;
                let changes = changed_files(&repo, Scope::WorkingTree).map_err(|e| e.to_string())?;
                draft(&changes)
                    .map(|d| branch_name(&d))
                    .ok_or_else(|| "nothing changed since HEAD".to_owned())
            })
            .await;
            match result {
                Ok(branch) => branch,
                Err(why) => return unavailable(state, "branch name", why).await,
            }
        }
    };
    if show(&arguments) {
        state.client.show_message(lsp::MessageType::INFO, format!("Aura branch name: {branch}")).await;
    }
    Ok(Some(json!({"branch": branch})))
}

/// `aura.hotspots`: `[{"path"?, "top"?, "show"?, "svg"?}]`: the ranked
/// hotspots; opens a report unless `show` is false, and adds the bar chart as
/// an SVG string when `svg` is true (for editors that can show pictures).
pub(crate) async fn hotspots_command(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let top = option(&arguments, "top").and_then(Value::as_u64).unwrap_or(20) as usize;
    let under = match option(&arguments, "path") {
        None => String::new(),
        Some(Value::String(p)) => p.trim_start_matches("./").to_owned(),
        Some(_) => return Err(invalid(format!("{HOTSPOTS} takes [{{\"path\": string, \"top\": n}}]"))),
    };
    let (st, window) = (state.clone(), crate::cli::git::window(&state.config().git, None, None));
    let result = blocking(move || {
        let repo = root_repo(&st)?;
        let mut hot = hotspots(&repo, window, &under).map_err(|e| e.to_string())?;
        hot.functions.truncate(top);
        hot.files.truncate(top);
        Ok(hot)
    })
    .await;
    let hot = match result {
        Ok(hot) => hot,
        Err(why) => return unavailable(state, "hotspots", why).await,
    };
    let mut value = serde_json::to_value(&hot).unwrap_or_default();
    if option(&arguments, "svg").and_then(Value::as_bool).unwrap_or(false) {
        value["svg"] = match crate::cli::git::hotspots_svg(&hot) {
            Ok(svg) => json!(svg),
            Err(why) => json!({"error": why}),
        };
    }
    if show(&arguments) {
        let markdown = format!("# Aura hotspots\n\n```text\n{}```\n", crate::cli::git::hotspots_text(&hot));
        let document = super::ai::open_markdown(state, "hotspots", &markdown).await;
        value["document"] = json!(document);
    }
    Ok(Some(value))
}
