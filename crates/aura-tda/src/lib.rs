//! Topological data analysis for code shape: Vietoris–Rips persistent
//! homology in dimensions 0 and 1 ([`rips`]), with diagrams equal to
//! Ripser's, and single-linkage clusters ([`single_linkage`]), which are H0
//! read at one scale.
//!
//! Memory: the distance matrix is held square in f32 (4·n² bytes: 16 MB at
//! 2,000 points); H1 keeps a pivot table and a reduction matrix that are, in
//! practice, a small multiple of the number of edges.

mod distance;
mod mst;
mod rips;

pub use distance::{DistanceMatrix, Metric};
pub use mst::{clusters_below, minimum_spanning_tree, nearest_neighbour_distances, TreeEdge};
pub use rips::{rips, single_linkage, Diagram, Pair, RipsOptions, UnionFind};

#[derive(Debug, thiserror::Error)]
pub enum TdaError {
    #[error("{0}")]
    Input(String),
}

/// Points from CSV text: one point per line, comma-separated numbers. A
/// first line that is not numeric is taken as a header; blank lines and
/// lines starting with `#` are skipped.
pub fn read_points_csv(text: &str) -> Result<Vec<Vec<f64>>, TdaError> {
    let mut points = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed: Result<Vec<f64>, _> = line.split(',').map(|f| f.trim().parse::<f64>()).collect();
        match parsed {
            Ok(p) => {
                if let Some(first) = points.first().map(Vec::len) {
                    if p.len() != first {
                        return Err(TdaError::Input(format!(
                            "line {}: {} values; earlier lines have {first}",
                            n + 1,
                            p.len()
                        )));
                    }
                }
                points.push(p);
            }
            Err(_) if points.is_empty() && n == 0 => {} // header
            Err(e) => return Err(TdaError::Input(format!("line {}: {e}: `{line}`", n + 1))),
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests;
