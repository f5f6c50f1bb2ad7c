//! The AI dispatch commands: `aura programs`, `aura tiers`, `aura modules`,
//! `aura route`, `aura prompt`, `aura eval routing` and `aura feedback reset`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use aura_catalog::Catalog;
use aura_dispatch::feedback::FeedbackStore;
use aura_dispatch::prompt::{self, PromptInput};
use aura_dispatch::{eval, modules, Decision, Request, Router};
use aura_ide::ai_context::code_context;
use aura_syntax::Rope;

use super::{EvalRoutingArgs, FeedbackResetArgs, ModulesArgs, OutputFormat, RouteArgs};

pub(crate) fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot serialise the output: {e}")),
    }
}

pub(crate) fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

pub fn programs(format: OutputFormat) -> ExitCode {
    let catalog = Catalog::builtin();
    if format == OutputFormat::Json {
        return print_json(&catalog.programs);
    }
    let mut out = String::new();
    for group in &catalog.groups {
        let _ = writeln!(out, "{}", group.name);
        for p in catalog.programs.iter().filter(|p| p.group == group.code) {
            let _ = writeln!(out, "  P{:02} {:<28} {}", p.number, p.code, p.purpose);
        }
    }
    print!("{out}");
    ExitCode::SUCCESS
}

pub fn tiers(format: OutputFormat) -> ExitCode {
    let catalog = Catalog::builtin();
    if format == OutputFormat::Json {
        return print_json(&catalog.tiers);
    }
    let mut out = String::new();
    for domain in &catalog.domains {
        let _ = writeln!(out, "{}", domain.name);
        for t in catalog.tiers.iter().filter(|t| t.domain == domain.code) {
            let _ = writeln!(out, "  T{:03} {:<34} {}", t.number, t.code, t.name);
        }
    }
    print!("{out}");
    ExitCode::SUCCESS
}

pub fn modules(args: ModulesArgs) -> ExitCode {
    let root = args.path.unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return fail(&format!("{} is not a directory", root.display()));
    }
    let activation = modules::detect(&root);
    if args.format == OutputFormat::Json {
        return print_json(&activation);
    }
    let mut out = String::new();
    if activation.active.is_empty() {
        let _ =
            writeln!(out, "no modules detected in {} ({} files seen)", root.display(), activation.files_seen);
    }
    for m in &activation.active {
        let _ = writeln!(out, "{:<16} {:<28} {}", m.code, m.name, m.reasons.join("; "));
    }
    for m in &activation.set_aside {
        let _ = writeln!(out, "{:<16} {:<28} {}", m.code, m.name, m.reasons.join("; "));
    }
    print!("{out}");
    ExitCode::SUCCESS
}

/// The request plus what the prompt needs that routing does not.
pub(crate) struct Prepared {
    pub request: Request,
    pub input: PromptInput,
    pub workspace: PathBuf,
    /// The file, its language and the code the request is about.
    pub target: Option<aura_ide::ai::Target>,
    /// 1-based first and last line of that code.
    pub lines: Option<(u32, u32)>,
}

pub(crate) fn prepare(args: &RouteArgs) -> Result<Prepared, String> {
    let workspace = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let active = modules::detect(&workspace).codes();
    let mut request = Request {
        text: args.text.clone(),
        language: args.lang.clone(),
        modules: active.clone(),
        ..Request::default()
    };
    let mut input = PromptInput {
        request: args.text.clone(),
        language: args.lang.clone(),
        test_framework: prompt::test_framework_of(&active),
        modules: active,
        ..PromptInput::default()
    };
    let mut target = None;
    let mut lines = None;
    if let Some(file) = &args.file {
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", file.display()))?;
        let rope = Rope::from_str(&text);
        let language = aura_syntax::registry().for_path(file, text.lines().next());
        let line = args.line.unwrap_or(1).max(1) - 1;
        if line >= rope.len_lines() {
            return Err(format!(
                "{} has {} lines; --line {} is past the end",
                file.display(),
                rope.len_lines(),
                line + 1
            ));
        }
        let ctx = code_context(language, &rope, line, None);
        lines = Some(ctx.lines);
        target = Some(aura_ide::ai::Target {
            language,
            text: text.clone(),
            range: ctx.range.clone(),
            diagnostic: ctx.diagnostic_codes.first().cloned(),
        });
        request.language = request.language.or(ctx.language.clone());
        request.code = Some(ctx.code.clone());
        request.diagnostics = ctx.diagnostic_codes.clone();
        input.language = request.language.clone();
        input.file_path = Some(file.display().to_string());
        input.selection = Some(ctx.code);
        input.symbol = ctx.symbol;
        input.diagnostics = ctx.diagnostics;
        input.file = Some(text);
    }
    Ok(Prepared { request, input, workspace, target, lines })
}

pub(crate) fn router_for(workspace: &Path) -> Router {
    Router::new().with_feedback(Arc::new(FeedbackStore::open(FeedbackStore::path_for(workspace))))
}

pub fn route(args: RouteArgs) -> ExitCode {
    let prepared = match prepare(&args) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let decision = router_for(&prepared.workspace).route(&prepared.request);
    if args.format == OutputFormat::Json {
        return print_json(&decision);
    }
    print!("{}", render_decision(&decision));
    ExitCode::SUCCESS
}

pub fn render_decision(d: &Decision) -> String {
    let catalog = Catalog::builtin();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "conversation: {} ({:.2})   language: {}   signals: {}",
        d.conversation,
        d.confidence,
        d.language.as_deref().unwrap_or("-"),
        d.signals.join(", ")
    );
    let _ = writeln!(out, "programs:");
    for (i, p) in d.programs.iter().enumerate() {
        let _ =
            writeln!(out, "  {}. P{:02} {:<28} {:<40} score {:.1}", i + 1, p.number, p.code, p.name, p.score);
        let reasons: Vec<String> =
            p.reasons.iter().take(6).map(|r| format!("{} {:+.1}", r.why, r.weight)).collect();
        let _ = writeln!(out, "       {}", reasons.join("; "));
    }
    let _ = writeln!(out, "tiers:");
    for (i, t) in d.tiers.iter().enumerate() {
        let domain = catalog.domain(&t.domain).map_or(t.domain.as_str(), |d| d.name.as_str());
        let _ =
            writeln!(out, "  {}. T{:03} {:<34} [{}] score {:.1}", i + 1, t.number, t.name, domain, t.score);
        let reasons: Vec<String> = t
            .reasons
            .iter()
            .take(4)
            .map(|r| if r.weight == 0.0 { r.why.clone() } else { format!("{} {:+.1}", r.why, r.weight) })
            .collect();
        if !reasons.is_empty() {
            let _ = writeln!(out, "       {}", reasons.join("; "));
        }
    }
    let b = d.budget;
    let _ = writeln!(
        out,
        "budget: {} tokens (answer {}, guidance {}, context {})",
        b.context_window, b.output, b.guidance, b.context
    );
    out
}

pub fn prompt(args: RouteArgs) -> ExitCode {
    let prepared = match prepare(&args) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let decision = router_for(&prepared.workspace).route(&prepared.request);
    let built = prompt::build(&decision, &prepared.input);
    if args.format == OutputFormat::Json {
        return print_json(&built);
    }
    println!("=== system ===\n{}\n=== user ===\n{}", built.system.trim_end(), built.user.trim_end());
    eprintln!(
        "program P{:02}, tiers {:?}, about {} tokens{}",
        built.program,
        built.tiers,
        built.tokens,
        if built.truncated.is_empty() {
            String::new()
        } else {
            format!(", cut: {}", built.truncated.join("; "))
        }
    );
    ExitCode::SUCCESS
}

pub fn eval_routing(args: EvalRoutingArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot read {}: {e}", args.file.display())),
    };
    let examples = match eval::parse(&text) {
        Ok(x) if x.is_empty() => return fail(&format!("{} has no examples", args.file.display())),
        Ok(x) => x,
        Err(e) => return fail(&format!("{}: {e}", args.file.display())),
    };
    // Feedback never influences an evaluation: plain router.
    let report = eval::evaluate(&Router::new(), &examples);
    if args.embeddings {
        return match compare_embeddings(&examples, report, args.model.as_deref()) {
            Ok(comparison) if args.format == OutputFormat::Json => print_json(&comparison),
            Ok(comparison) => {
                println!("lexical router:       {}", report_line(&comparison.lexical));
                println!("router + embeddings:  {}", report_line(&comparison.with_embeddings));
                println!(
                    "embeddings alone:     n={} top1={:.3} top3={:.3}",
                    comparison.lexical.n, comparison.embeddings_alone.top1, comparison.embeddings_alone.top3
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        };
    }
    if args.format == OutputFormat::Json {
        return print_json(&report);
    }
    println!("{}", report_line(&report));
    ExitCode::SUCCESS
}

fn report_line(report: &eval::Report) -> String {
    format!(
        "n={} top1={:.3} top3={:.3} tier_recall@3={:.3} conversation: accuracy={:.3} ece={:.3} (T={}, fitted {})",
        report.n,
        report.top1,
        report.top3,
        report.tier_recall_at_3,
        report.conversation.accuracy,
        report.conversation.ece,
        report.conversation.temperature,
        report.conversation.fitted_temperature
    )
}

#[derive(serde::Serialize)]
struct EmbeddingComparison {
    lexical: eval::Report,
    with_embeddings: eval::Report,
    embeddings_alone: TopK,
}

#[derive(serde::Serialize)]
struct TopK {
    top1: f64,
    top3: f64,
}

/// The lexical router beside the same router with MiniLM similarity added,
/// and beside that similarity ranking programs on its own.
fn compare_embeddings(
    examples: &[eval::Example],
    lexical: eval::Report,
    model: Option<&Path>,
) -> Result<EmbeddingComparison, String> {
    use aura_embed::Embedder;
    use aura_ide::route_embeddings::ProgramEmbeddings;

    let embedder = model.map_or_else(Embedder::load_default, Embedder::load).map_err(|e| e.to_string())?;
    let catalog = Catalog::builtin();
    let programs =
        Arc::new(ProgramEmbeddings::build(Arc::new(embedder), catalog).map_err(|e| e.to_string())?);
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let rankings: Vec<Vec<u16>> = programs
        .embed_requests(&texts)
        .map_err(|e| e.to_string())?
        .iter()
        .map(|v| {
            let scores = programs.scores(v);
            let mut order: Vec<usize> = (0..scores.len()).collect();
            order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
            order.into_iter().map(|i| catalog.programs[i].number).collect()
        })
        .collect();
    let (top1, top3) = eval::top_k(examples, &rankings);
    let with_embeddings = eval::evaluate(&Router::new().with_similarity(programs), examples);
    Ok(EmbeddingComparison { lexical, with_embeddings, embeddings_alone: TopK { top1, top3 } })
}

pub fn feedback_reset(args: FeedbackResetArgs) -> ExitCode {
    let root = args.path.unwrap_or_else(|| PathBuf::from("."));
    let path = FeedbackStore::path_for(&root);
    let store = FeedbackStore::open(path.clone());
    let n = store.len();
    match store.reset() {
        Ok(()) => {
            println!("forgot {n} feedback signals ({})", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot delete {}: {e}", path.display())),
    }
}
