//! What the editor shows about functions without being asked for a check:
//! the metrics hover on a function's header and the complexity lens above it.

use aura_analysis::metrics::{compute, FileMetrics, FunctionMetrics};
use aura_analysis::SourceFile;
use aura_config::Thresholds;
use aura_syntax::tree_sitter::Tree;
use aura_syntax::Snapshot;

/// Metrics of a snapshot, with the tree they came from (for the caller to
/// store back); `None` for plain text.
pub fn snapshot_metrics(snapshot: &Snapshot) -> (Option<Tree>, Option<FileMetrics>) {
    let (Some(language), Some(tree)) = (snapshot.language, snapshot.tree()) else {
        return (None, None);
    };
    let metrics = compute(SourceFile { language, text: &snapshot.text, tree: &tree });
    (Some(tree), Some(metrics))
}

/// The innermost function whose header holds `offset`: its name, or anywhere
/// on the line of its keyword. Hovering inside a body says nothing, so
/// ordinary hovers (and other servers' hovers) are not drowned in metrics.
pub fn function_at<'m>(
    metrics: &'m FileMetrics,
    text: &aura_syntax::Rope,
    offset: usize,
) -> Option<&'m FunctionMetrics> {
    let line = text.byte_to_line(offset.min(text.len_bytes())) as u32 + 1;
    metrics
        .functions
        .iter()
        .filter(|f| f.range.contains(&offset) || f.name_range.contains(&offset))
        .filter(|f| f.name_range.contains(&offset) || f.start_line == line)
        .min_by_key(|f| f.range.len())
}

/// The hover text for one function: each metric with a one-line explanation,
/// and a mark on those over the configured threshold.
pub fn hover_markdown(f: &FunctionMetrics, limits: &Thresholds) -> String {
    let over = |value: f64, limit: f64| if value > limit { " ⚠" } else { "" };
    let mut out = format!("**{}** · lines {}–{}\n\n", f.name, f.start_line, f.end_line);
    out.push_str("| metric | value | what it means |\n|---|---:|---|\n");
    let mut row = |name: &str, value: String, mark: &str, meaning: &str| {
        out.push_str(&format!("| {name} | {value}{mark} | {meaning} |\n"));
    };
    row(
        "cyclomatic",
        f.cyclomatic.to_string(),
        over(f64::from(f.cyclomatic), f64::from(limits.cyclomatic)),
        &format!("independent paths: tests needed to cover every branch (limit {})", limits.cyclomatic),
    );
    // A folded function's figure is part of the enclosing function's, where
    // AUR102 applies the limit.
    let (mark, meaning) = if f.folded {
        (
            "",
            "how hard it is to read: breaks in flow, weighted by nesting; also counted, one level deeper, in the enclosing function, which the limit applies to".to_owned(),
        )
    } else {
        (
            over(f64::from(f.cognitive), f64::from(limits.cognitive)),
            format!(
                "how hard it is to read: breaks in flow, weighted by nesting (limit {})",
                limits.cognitive
            ),
        )
    };
    row("cognitive", f.cognitive.to_string(), mark, &meaning);
    row(
        "nesting",
        f.nesting.to_string(),
        over(f64::from(f.nesting), f64::from(limits.nesting)),
        &format!("deepest stack of control structures (limit {})", limits.nesting),
    );
    row(
        "parameters",
        f.params.to_string(),
        over(f64::from(f.params), f64::from(limits.params)),
        &format!("values a caller must supply (limit {})", limits.params),
    );
    row("exits", f.exits.to_string(), "", "return, throw and raise statements");
    row(
        "lines",
        format!(
            "{} ({} code, {} comment, {} blank)",
            f.lines.loc, f.lines.sloc, f.lines.comment, f.lines.blank
        ),
        over(f64::from(f.lines.sloc), f64::from(limits.function_lines)),
        &format!("code lines limit {}", limits.function_lines),
    );
    row(
        "Halstead volume",
        format!("{:.0}", f.halstead.volume),
        "",
        "information content: operators and operands × log2 of the vocabulary",
    );
    row("Halstead difficulty", format!("{:.1}", f.halstead.difficulty), "", "how error-prone it is to write");
    let mi_mark = if f.mi < limits.maintainability { " ⚠" } else { "" };
    row(
        "maintainability",
        format!("{:.0}", f.mi),
        mi_mark,
        &format!(
            "0–100, higher is easier to change (Visual Studio index; below {:.0} is flagged)",
            limits.maintainability
        ),
    );
    out
}

/// One complexity lens: the line it sits on (0-based) and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    /// The 0-based line of the function's keyword.
    pub line: u32,
    /// The byte range of the function's name.
    pub name_range: std::ops::Range<usize>,
    /// "cyclomatic N · cognitive M".
    pub title: String,
}

/// The complexity lenses of a file, one per function, in source order.
pub fn complexity_lenses(metrics: &FileMetrics) -> Vec<Lens> {
    metrics
        .functions
        .iter()
        .map(|f| Lens {
            line: f.start_line.saturating_sub(1),
            name_range: f.name_range.clone(),
            title: format!("cyclomatic {} · cognitive {}", f.cyclomatic, f.cognitive),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aura_syntax::{registry, Document};

    fn metrics_of(language: &str, text: &str) -> (Snapshot, FileMetrics) {
        let language = registry().by_language_id(language).expect("language");
        let snapshot = Document::new(text, Some(language)).snapshot();
        let (_, metrics) = snapshot_metrics(&snapshot);
        (snapshot, metrics.expect("metrics"))
    }

    const SOURCE: &str = "\
@decorator
def outer(a, b):
    if a and b:
        return 1
    def inner(x):
        for i in x:
            pass
    return 2
";

    #[test]
    fn hover_answers_on_headers_only_and_prefers_the_innermost() {
        let (snapshot, metrics) = metrics_of("python", SOURCE);
        let at = |needle: &str| SOURCE.find(needle).expect("needle");
        let name = |offset| function_at(&metrics, &snapshot.text, offset).map(|f| f.name.as_str());
        assert_eq!(name(at("outer")), Some("outer"));
        assert_eq!(name(at("def outer")), Some("outer"));
        assert_eq!(name(at("inner")), Some("inner"));
        assert_eq!(name(at("(x)")), Some("inner"));
        // Inside a body, and on the decorator, no metrics.
        assert_eq!(name(at("if a")), None);
        assert_eq!(name(at("for i")), None);
        assert_eq!(name(at("@decorator")), None);
    }

    #[test]
    fn hover_text_names_every_metric_and_marks_excess() {
        let (snapshot, metrics) = metrics_of("python", SOURCE);
        let outer = function_at(&metrics, &snapshot.text, SOURCE.find("outer").unwrap()).unwrap();
        let limits = Thresholds { cyclomatic: 2, ..Thresholds::default() };
        let text = hover_markdown(outer, &limits);
        assert!(text.starts_with("**outer** · lines 2–8"), "{text}");
        assert!(text.contains("| cyclomatic | 3 ⚠ |"), "{text}");
        // 2 of its own and 2 from `inner`, folded in one level deeper.
        assert!(text.contains("| cognitive | 4 |"), "{text}");
        assert!(text.contains("| parameters | 2 |"), "{text}");
        for metric in ["nesting", "exits", "lines", "Halstead volume", "maintainability"] {
            assert!(text.contains(&format!("| {metric} |")), "{metric} missing: {text}");
        }
    }

    #[test]
    fn a_nested_function_defers_its_cognitive_limit_to_the_enclosing_one() {
        let (snapshot, metrics) = metrics_of("python", SOURCE);
        let limits = Thresholds { cognitive: 0, ..Thresholds::default() };
        let at = |needle: &str| function_at(&metrics, &snapshot.text, SOURCE.find(needle).unwrap()).unwrap();
        let inner = hover_markdown(at("inner"), &limits);
        assert!(
            inner.contains("| cognitive | 1 | how hard") && inner.contains("enclosing function"),
            "{inner}"
        );
        let outer = hover_markdown(at("outer"), &limits);
        assert!(outer.contains("| cognitive | 4 ⚠ |"), "{outer}");
    }

    #[test]
    fn lenses_sit_on_keyword_lines() {
        let (_, metrics) = metrics_of("python", SOURCE);
        let lenses = complexity_lenses(&metrics);
        let summary: Vec<_> = lenses.iter().map(|l| (l.line, l.title.as_str())).collect();
        assert_eq!(summary, vec![(1, "cyclomatic 3 · cognitive 4"), (4, "cyclomatic 2 · cognitive 1")]);
    }

    #[test]
    fn plain_text_has_no_metrics() {
        let snapshot = Document::new("just text", None).snapshot();
        assert!(snapshot_metrics(&snapshot).1.is_none());
    }
}
