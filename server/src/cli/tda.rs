//! `aura tda`: Vietoris–Rips persistence diagrams of a CSV point cloud, as
//! JSON `{"h0": [[birth, death|null], ...], "h1": [[birth, death], ...]}` or
//! as a text table. Pairs are sorted by birth, then death.

use std::io::Read;
use std::process::ExitCode;

use aura_tda::{rips, DistanceMatrix, Metric, Pair, RipsOptions};
use serde_json::{json, Value};

use super::dispatch::fail;
use super::{OutputFormat, TdaArgs, TdaMetric};

pub fn run(args: TdaArgs) -> ExitCode {
    let mut text = String::new();
    let read = if args.points.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(drop)
    } else {
        std::fs::read_to_string(&args.points).map(|t| text = t)
    };
    if let Err(e) = read {
        return fail(&format!("cannot read {}: {e}", args.points.display()));
    }
    let metric = match args.metric {
        TdaMetric::Euclidean => Metric::Euclidean,
        TdaMetric::Cosine => Metric::Cosine,
    };
    if args.threshold.is_some_and(|t| !(t >= 0.0 && t.is_finite())) {
        return fail("--threshold must be a finite, non-negative number");
    }
    let dm = match aura_tda::read_points_csv(&text).and_then(|p| DistanceMatrix::from_points(&p, metric)) {
        Ok(dm) => dm,
        Err(e) => return fail(&format!("{}: {e}", args.points.display())),
    };
    let mut diagram = rips(&dm, RipsOptions { maxdim: args.maxdim.into(), threshold: args.threshold });
    for pairs in [&mut diagram.h0, &mut diagram.h1] {
        pairs.sort_by(|a, b| a.birth.total_cmp(&b.birth).then(a.death.total_cmp(&b.death)));
    }
    match args.format {
        OutputFormat::Json => {
            let mut out = json!({ "h0": pairs_json(&diagram.h0) });
            if args.maxdim >= 1 {
                out["h1"] = pairs_json(&diagram.h1);
            }
            println!("{out}");
        }
        OutputFormat::Text => {
            println!("{} points, threshold {}", dm.len(), diagram.threshold);
            print_pairs("H0", &diagram.h0);
            if args.maxdim >= 1 {
                print_pairs("H1", &diagram.h1);
            }
        }
    }
    ExitCode::SUCCESS
}

fn pairs_json(pairs: &[Pair]) -> Value {
    pairs
        .iter()
        .map(|p| json!([p.birth, if p.death.is_finite() { json!(p.death) } else { Value::Null }]))
        .collect()
}

fn print_pairs(label: &str, pairs: &[Pair]) {
    println!("{label}: {} intervals", pairs.len());
    for p in pairs {
        if p.death.is_finite() {
            println!("  [{}, {})  persistence {}", p.birth, p.death, p.death - p.birth);
        } else {
            println!("  [{}, ∞)", p.birth);
        }
    }
}
