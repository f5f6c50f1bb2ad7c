//! Routing quality on the repository's own set of terse requests
//! (`eval/routing-terse.jsonl`, written for this project; the shared
//! development set is measured with `aura eval routing`, see the README).

use aura_dispatch::{eval, Router};

#[test]
fn terse_requests_meet_the_routing_targets() {
    let text = include_str!("../eval/routing-terse.jsonl");
    let examples = eval::parse(text).expect("valid JSONL");
    let report = eval::evaluate(&Router::new(), &examples);
    assert!(report.n >= 70);
    assert!(report.top1 >= 0.90, "top-1 {:.3}", report.top1);
    assert!(report.top3 >= 0.97, "top-3 {:.3}", report.top3);
    assert!(report.tier_recall_at_3 >= 0.90, "tier recall@3 {:.3}", report.tier_recall_at_3);
    assert!(
        report.conversation.accuracy >= 0.85,
        "conversation accuracy {:.3}",
        report.conversation.accuracy
    );
}
