//! Minimum spanning trees by Prim's algorithm over a distance given as a
//! function: O(n²) distance evaluations and O(n) memory, so H0 of clouds
//! too large for a distance matrix (10,000 function embeddings) stays cheap.
//!
//! The tree's edge lengths are the finite deaths of Rips H0 (single linkage
//! merges at exactly those heights), and each point's nearest-neighbour
//! distance is the shortest tree edge touching it.

use crate::UnionFind;

/// One tree edge: `a` joined the tree through `b` at length `length`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeEdge {
    pub length: f32,
    pub a: usize,
    pub b: usize,
}

/// The minimum spanning tree of `n` points under `dist` (symmetric,
/// non-negative), edges in the order Prim adds them. Empty for n < 2.
pub fn minimum_spanning_tree(n: usize, dist: impl Fn(usize, usize) -> f32) -> Vec<TreeEdge> {
    if n < 2 {
        return Vec::new();
    }
    let mut best = vec![f32::INFINITY; n];
    let mut via = vec![0usize; n];
    let mut in_tree = vec![false; n];
    let mut edges = Vec::with_capacity(n - 1);
    let mut current = 0;
    in_tree[0] = true;
    for _ in 1..n {
        let mut next = usize::MAX;
        let mut next_len = f32::INFINITY;
        for v in 0..n {
            if in_tree[v] {
                continue;
            }
            let d = dist(current, v);
            if d < best[v] {
                best[v] = d;
                via[v] = current;
            }
            if best[v] < next_len || next == usize::MAX {
                next_len = best[v];
                next = v;
            }
        }
        in_tree[next] = true;
        edges.push(TreeEdge { length: next_len, a: next, b: via[next] });
        current = next;
    }
    edges
}

/// Each point's distance to its nearest neighbour, read off the tree.
pub fn nearest_neighbour_distances(n: usize, tree: &[TreeEdge]) -> Vec<f32> {
    let mut nn = vec![f32::INFINITY; n];
    for e in tree {
        nn[e.a] = nn[e.a].min(e.length);
        nn[e.b] = nn[e.b].min(e.length);
    }
    nn
}

/// Clusters of the tree cut at `cut` (edges of length ≤ `cut` kept): a
/// label per point, the smallest point index of its cluster.
pub fn clusters_below(n: usize, tree: &[TreeEdge], cut: f32) -> Vec<usize> {
    let mut uf = UnionFind::new(n);
    for e in tree.iter().filter(|e| e.length <= cut) {
        uf.union(e.a, e.b);
    }
    (0..n).map(|i| uf.find(i)).collect()
}
