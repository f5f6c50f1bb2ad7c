//! OBSERVE + PLAN + BUILD for an AI request on a 5,000-line file (issue
//! budget: p95 < 20 ms): parse and analyse the file for the cursor's context
//! (enclosing function, diagnostics), route, and build the prompt. Cold: no
//! tree or analysis is reused between runs, as for the CLI. Prints p50/p95.

use std::time::{Duration, Instant};

use aura_dispatch::prompt::{self, PromptInput};
use aura_dispatch::{Request, Router};
use aura_ide::ai_context::code_context;
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
    let run = |line: usize| {
        let rope = Rope::from_str(&text);
        let ctx = code_context(python, &rope, line, None);
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
        "context + routing + prompt, {lines}-line Python file (60 runs; budget p95 < 20 ms): p50 {:.2?}  p95 {:.2?}  max {:.2?}",
        p(0.50),
        p(0.95),
        p(1.0)
    );
}
