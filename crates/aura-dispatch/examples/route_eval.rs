//! Development aid: route a labelled JSONL file and print the misses.
//! `cargo run -p aura-dispatch --example route_eval -- FILE.jsonl`
use aura_dispatch::{eval, Router};

fn main() {
    let path = std::env::args().nth(1).expect("usage: route_eval FILE.jsonl");
    let examples = eval::parse(&std::fs::read_to_string(path).expect("readable file")).expect("valid JSONL");
    let router = Router::new();
    let report = eval::evaluate(&router, &examples);
    for (ex, pred) in examples.iter().zip(&report.predictions) {
        let miss1 = !ex.programs.contains(&pred.programs[0]);
        let missing: Vec<&String> = ex.tier_groups.iter().filter(|g| !pred.tier_groups.contains(g)).collect();
        if miss1 || !missing.is_empty() {
            let d = router.route(&eval::request_of(ex));
            println!(
                "{} want {:?} got {:?} conv={} ({:.2}) | tiers want {:?} got {:?}\n   {}",
                ex.id,
                ex.programs,
                &pred.programs[..3],
                d.conversation,
                d.confidence,
                ex.tier_groups,
                pred.tier_groups,
                ex.text
            );
            if miss1 {
                for p in d.programs.iter().take(2) {
                    let r: Vec<String> =
                        p.reasons.iter().take(6).map(|r| format!("{} {:+.1}", r.why, r.weight)).collect();
                    println!("     P{} {:.1}: {}", p.number, p.score, r.join("; "));
                }
            }
        }
    }
    println!(
        "n={} top1={:.3} top3={:.3} tier_recall@3={:.3} conv_acc={:.3} ece={:.3} fitted_T={}",
        report.n,
        report.top1,
        report.top3,
        report.tier_recall_at_3,
        report.conversation.accuracy,
        report.conversation.ece,
        report.conversation.fitted_temperature
    );
}
