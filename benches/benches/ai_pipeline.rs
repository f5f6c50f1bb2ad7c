//! OBSERVE + PLAN + BUILD for an AI request on a 5,000-line file (issue
//! budget: p95 < 20 ms): the cursor's context (enclosing function,
//! diagnostics), routing, and the prompt. Two paths, p50/p95 each:
//! - cold, as for the CLI: the file is parsed and analysed for each request;
//! - editor, as in the server: the document's tree and its last analysis
//!   (kept since the diagnostics were published) are reused.

use std::time::{Duration, Instant};

use aura_analysis::{analyze, Diagnostic, SourceFile};
use aura_dispatch::prompt::{self, PromptInput};
use aura_dispatch::{Request, Router};
use aura_ide::ai_context::{code_context, code_context_in, CodeContext};
use aura_syntax::tree_sitter::Tree;
use aura_syntax::Rope;

fn file() -> String {
    let mut out = String::from("import os\nimport json\n\n");
    let mut i = 0;
    while out.lines().count() < 5_000 {
        out.push_str(&format!(
            "def handler_{i}(request, limit=10):\n    \"\"\"Handle request {i}.\"\"\"\n    items = []\n    for n in range(limit):\n        if n % 3 == 0 and request.get('flag'):\n            items.append(json.dumps({{'n': n, 'i': {i}}}))\n        elif n % 5 == 0:\n            items.append(str(n))\n    return items\n\n\n"
        ));
        i += 1;
    }
    out
}

fn main() {
    let text = file();
    let lines = text.lines().count();
    let python = aura_syntax::registry().by_id("python");
    let router = Router::new();
    let finish = |ctx: CodeContext| {
        let request = Request {
            text: "refactor this to be simpler".into(),
            language: ctx.language.clone(),
            code: Some(ctx.code.clone()),
            diagnostics: ctx.diagnostic_codes.clone(),
            modules: Vec::new(),
        };
        let decision = router.route(&request);
        let input = PromptInput {
            request: request.text.clone(),
            language: ctx.language.clone(),
            selection: Some(ctx.code),
            symbol: ctx.symbol,
            diagnostics: ctx.diagnostics,
            file: Some(text.clone()),
            ..PromptInput::default()
        };
        std::hint::black_box(prompt::build(&decision, &input));
    };
    let cold = |line: usize| {
        let rope = Rope::from_str(&text);
        finish(code_context(python, &rope, line, None));
    };
    let rope = Rope::from_str(&text);
    let language = python.expect("python is built in");
    let tree: Tree = aura_syntax::parse(language, &rope, None).expect("parses");
    let diagnostics: Vec<Diagnostic> = analyze(SourceFile { language, text: &rope, tree: &tree });
    let editor = |line: usize| finish(code_context_in(python, Some(&tree), &rope, &diagnostics, line, None));
    for (name, run) in [("cold (CLI)", &cold as &dyn Fn(usize)), ("editor (tree + analysis kept)", &editor)] {
        run(2_500);
        let mut times: Vec<Duration> = (0..60)
            .map(|i| {
                let start = Instant::now();
                run((i * 83) % lines);
                start.elapsed()
            })
            .collect();
        times.sort();
        let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        println!(
            "context + routing + prompt, {lines}-line Python file, {name} (60 runs; budget p95 < 20 ms): p50 {:.2?}  p95 {:.2?}  max {:.2?}",
            p(0.50),
            p(0.95),
            p(1.0)
        );
    }
}
