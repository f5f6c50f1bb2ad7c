//! The routing decision (DESIGN §8: p99 < 1 ms): detector, program and tier
//! scoring and composition, for requests of every shape — terse text, a long
//! request with a selection, a SQL snippet, a stack trace, a 400-line
//! selection. Criterion measures the mean; a second pass prints p50/p99 over
//! many single decisions, the budget's terms.

use std::time::{Duration, Instant};

use aura_dispatch::{Request, Router};
use criterion::{criterion_group, Criterion};

fn requests() -> Vec<(&'static str, Request)> {
    let big: String = (0..400).map(|i| format!("    total += compute(item_{i}, factor={i})\n")).collect();
    vec![
        ("terse, no code", Request { text: "tests?".into(), ..Request::default() }),
        (
            "sentence + function",
            Request {
                text: "Refactor this into smaller functions; the nesting is hard to follow and it has no tests".into(),
                language: Some("python".into()),
                code: Some("def f(xs):\n    for x in xs:\n        if x:\n            if x > 2:\n                print(x)\n".into()),
                ..Request::default()
            },
        ),
        (
            "sql snippet",
            Request {
                text: "why is this slow".into(),
                code: Some("SELECT o.id FROM orders o WHERE o.customer_id IN (SELECT id FROM customers WHERE region = 'EU')".into()),
                ..Request::default()
            },
        ),
        (
            "stack trace",
            Request {
                text: "TypeError: Cannot read properties of undefined (reading 'map') on first render".into(),
                language: Some("javascript".into()),
                code: Some("export function List({ items }) {\n  return <ul>{items.map(i => <li>{i}</li>)}</ul>;\n}".into()),
                ..Request::default()
            },
        ),
        (
            "400-line selection",
            Request {
                text: "explain what this does".into(),
                language: Some("python".into()),
                code: Some(format!("def run(items):\n    total = 0\n{big}    return total\n")),
                diagnostics: vec!["AUR101".into()],
                modules: vec!["python".into(), "django".into(), "pytest".into()],
            },
        ),
    ]
}

fn bench_route(c: &mut Criterion) {
    let router = Router::new();
    for (name, request) in requests() {
        c.bench_function(&format!("route/{name}"), |b| b.iter(|| router.route(&request)));
    }
}

fn percentiles() {
    let router = Router::new();
    println!("single routing decisions (p50 / p99 over 2,000 runs each; budget p99 < 1 ms):");
    for (name, request) in requests() {
        let mut times: Vec<Duration> = (0..2_000)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(router.route(&request));
                start.elapsed()
            })
            .collect();
        times.sort();
        let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        println!("  {name:24} p50 {:>10.3?}  p99 {:>10.3?}  max {:>10.3?}", p(0.50), p(0.99), p(1.0));
    }
}

criterion_group!(benches, bench_route);

fn main() {
    // Warm the catalog and lexicon once, as the server does at startup.
    Router::new().route(&Request::default());
    benches();
    Criterion::default().configure_from_args().final_summary();
    percentiles();
}
