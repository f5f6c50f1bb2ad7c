//! `workspace/executeCommand`: the commands Aura's lenses and editor
//! integrations invoke. Each answers with data (for scripts and tests) and,
//! where a person clicked, a message.

use serde_json::Value;
use tower_lsp::jsonrpc::{Error as RpcError, ErrorCode, Result as RpcResult};
use tower_lsp::lsp_types as lsp;

use super::State;

/// Every function's metrics at a position: `[uri, position]`.
pub(crate) const FUNCTION_METRICS: &str = "aura.functionMetrics";

/// The commands advertised in `executeCommandProvider`.
pub(crate) const ALL: &[&str] = &[
    FUNCTION_METRICS,
    super::ai::ROUTE,
    super::ai::RUN_PROGRAM,
    super::ai::FEEDBACK,
    super::ai::UNDO_LAST_AI_EDIT,
    super::ai::DOCTOR,
    super::git::IMPACT,
    super::git::COMMIT_MESSAGE,
    super::git::BRANCH_NAME,
    super::git::HOTSPOTS,
    super::shape::SHAPE,
    super::shape::OPEN_NEAR_COPY,
];

pub(crate) fn invalid(message: String) -> RpcError {
    RpcError { code: ErrorCode::InvalidParams, message: message.into(), data: None }
}

pub(crate) async fn execute(state: &State, params: lsp::ExecuteCommandParams) -> RpcResult<Option<Value>> {
    match params.command.as_str() {
        FUNCTION_METRICS => function_metrics(state, params.arguments).await,
        super::ai::ROUTE => super::ai::route(state, params.arguments).await,
        super::ai::RUN_PROGRAM => super::ai::run_program(state, params.arguments).await,
        super::ai::FEEDBACK => super::ai::feedback(state, params.arguments).await,
        super::ai::UNDO_LAST_AI_EDIT => super::ai::undo_last_edit(state, params.arguments).await,
        super::ai::DOCTOR => super::ai::doctor(state, params.arguments).await,
        super::git::IMPACT => super::git::impact_command(state, params.arguments).await,
        super::git::COMMIT_MESSAGE => super::git::commit_message_command(state, params.arguments).await,
        super::git::BRANCH_NAME => super::git::branch_name_command(state, params.arguments).await,
        super::git::HOTSPOTS => super::git::hotspots_command(state, params.arguments).await,
        super::shape::SHAPE => super::shape::shape_command(state, params.arguments).await,
        super::shape::OPEN_NEAR_COPY => super::shape::open_near_copy(state, params.arguments).await,
        other => Err(invalid(format!("unknown command {other:?}; Aura knows {}", ALL.join(", ")))),
    }
}

/// The metrics of the function whose header holds the position, shown as a
/// message and returned as the JSON that `aura metrics` prints for it.
async fn function_metrics(state: &State, arguments: Vec<Value>) -> RpcResult<Option<Value>> {
    let usage = || invalid(format!("{FUNCTION_METRICS} takes [uri, position]"));
    let uri: lsp::Url =
        arguments.first().and_then(|v| serde_json::from_value(v.clone()).ok()).ok_or_else(usage)?;
    let position: lsp::Position =
        arguments.get(1).and_then(|v| serde_json::from_value(v.clone()).ok()).ok_or_else(usage)?;
    let Some((_, f)) = state.function_at(uri.as_ref(), position).await? else { return Ok(None) };
    let message = format!(
        "{}: cyclomatic {}, cognitive {}, nesting {}, {} parameters, {} code lines, maintainability {:.0}",
        f.name, f.cyclomatic, f.cognitive, f.nesting, f.params, f.lines.sloc, f.mi
    );
    state.client.show_message(lsp::MessageType::INFO, message).await;
    Ok(serde_json::to_value(&f).ok())
}
