//! Pull diagnostics (LSP 3.17): document reports for open files and a
//! workspace report for the files the background scan read. Each report
//! carries a result id derived from its content, so an editor asking again
//! about something unchanged gets "unchanged" instead of the whole list.

use std::hash::{Hash, Hasher};

use tower_lsp::lsp_types as lsp;

use super::{convert, State};

/// A content hash of a diagnostic list, stable within one server run.
fn result_id(items: &[lsp::Diagnostic]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(items).unwrap_or_default().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

pub(crate) fn document_report(
    items: Vec<lsp::Diagnostic>,
    previous: Option<&str>,
) -> lsp::DocumentDiagnosticReport {
    let id = result_id(&items);
    if previous == Some(id.as_str()) {
        return lsp::DocumentDiagnosticReport::Unchanged(lsp::RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id: id },
        });
    }
    lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id: Some(id), items },
    })
}

/// Reports for every scanned file that is not open (open files are pulled
/// one by one): its rule findings from the scan and its clones from the index.
pub(crate) async fn workspace_report(
    state: &State,
    params: lsp::WorkspaceDiagnosticParams,
) -> lsp::WorkspaceDiagnosticReportResult {
    let previous: std::collections::HashMap<String, String> =
        params.previous_result_ids.into_iter().map(|p| (p.uri.to_string(), p.value)).collect();
    let state = state.clone();
    let encoding = state.encoding();
    let items = tokio::task::spawn_blocking(move || {
        let (rules, _) = aura_analysis::RuleSettings::from_config(&state.config().rules);
        let ws = &state.workspace;
        let keys: Vec<String> = ws.files.iter().map(|e| e.key().clone()).collect();
        let mut items = Vec::new();
        for key in keys {
            if state.docs.snapshot(&key).is_some() {
                continue;
            }
            let Some(file) = ws.files.get(&key) else { continue };
            let Ok(uri) = lsp::Url::parse(&key) else { continue };
            let mut found = file.diagnostics.clone();
            aura_analysis::merge_into(file.language, &file.text, &mut found, ws.query(&key, &rules));
            let diagnostics: Vec<_> =
                found.iter().map(|d| convert::diagnostic(&file.text, d, encoding)).collect();
            let id = result_id(&diagnostics);
            let report = if previous.get(&key) == Some(&id) {
                lsp::WorkspaceDocumentDiagnosticReport::Unchanged(
                    lsp::WorkspaceUnchangedDocumentDiagnosticReport {
                        uri,
                        version: None,
                        unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                            result_id: id,
                        },
                    },
                )
            } else {
                lsp::WorkspaceDocumentDiagnosticReport::Full(lsp::WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                        result_id: Some(id),
                        items: diagnostics,
                    },
                })
            };
            items.push(report);
        }
        items
    })
    .await
    .unwrap_or_else(|err| {
        tracing::error!("workspace diagnostics failed: {err}");
        Vec::new()
    });
    lsp::WorkspaceDiagnosticReportResult::Report(lsp::WorkspaceDiagnosticReport { items })
}
