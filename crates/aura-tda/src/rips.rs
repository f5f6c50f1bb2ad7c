//! Vietoris–Rips persistence in dimensions 0 and 1 over Z/2, by the
//! techniques of Ripser (U. Bauer, "Ripser: efficient computation of
//! Vietoris–Rips persistence barcodes", 2021):
//!
//! - H0 by Kruskal's algorithm with union–find; the edges that join two
//!   components are H0 deaths and are *cleared* from the H1 columns;
//! - H1 by reducing the coboundary matrix (cohomology) column by column, in
//!   reverse filtration order;
//! - simplices are never stored: an edge or triangle is its index in the
//!   combinatorial number system, and coboundaries are enumerated on demand
//!   (implicit matrix);
//! - *apparent pairs* (an edge whose youngest cofacet has it as oldest facet,
//!   at equal diameter) are skipped as columns, and *emergent pairs* (the
//!   first zero-persistence cofacet met during enumeration, not yet paired)
//!   end a column without building its coboundary.
//!
//! The filtration order is Ripser's: by diameter, ties by reverse
//! colexicographic index. Any order compatible with the diameters gives the
//! same diagram (after dropping zero-length pairs); matching Ripser's keeps
//! the emergent-pair shortcut valid.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use crate::distance::DistanceMatrix;

/// One interval of a barcode. `death` is `f32::INFINITY` for a class that
/// never dies below the threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub birth: f32,
    pub death: f32,
}

/// Persistence diagrams up to dimension 1.
#[derive(Clone, Debug, Default)]
pub struct Diagram {
    pub h0: Vec<Pair>,
    /// Empty when `maxdim` is 0.
    pub h1: Vec<Pair>,
    /// The threshold the complex was built to.
    pub threshold: f32,
}

#[derive(Clone, Copy, Debug)]
pub struct RipsOptions {
    /// 0 or 1.
    pub maxdim: usize,
    /// Build the complex up to this diameter; `None` is the enclosing radius.
    pub threshold: Option<f32>,
}

impl Default for RipsOptions {
    fn default() -> Self {
        RipsOptions { maxdim: 1, threshold: None }
    }
}

/// A simplex in a coboundary — its diameter and combinatorial index — packed
/// into one integer whose order is the pivot order: smallest diameter
/// first, ties by largest index (the youngest cofacet in Ripser's order).
/// Diameters are non-negative, so their f32 bits sort like the values. One
/// integer compare per heap step matters: heap traffic is most of the time.
trait Key: Copy + Ord + std::fmt::Debug {
    fn new(diam: f32, index: u64) -> Self;
    fn diam(self) -> f32;
    fn index(self) -> u64;
}

/// For up to [`MAX_U64_KEY_POINTS`] points, where triangle indices fit 32 bits.
impl Key for u64 {
    #[inline]
    fn new(diam: f32, index: u64) -> Self {
        (u64::from(diam.to_bits()) << 32) | u64::from(!(index as u32))
    }
    #[inline]
    fn diam(self) -> f32 {
        f32::from_bits((self >> 32) as u32)
    }
    #[inline]
    fn index(self) -> u64 {
        u64::from(!(self as u32))
    }
}

impl Key for u128 {
    #[inline]
    fn new(diam: f32, index: u64) -> Self {
        (u128::from(diam.to_bits()) << 64) | u128::from(!index)
    }
    #[inline]
    fn diam(self) -> f32 {
        f32::from_bits((self >> 64) as u32)
    }
    #[inline]
    fn index(self) -> u64 {
        !(self as u64)
    }
}

/// C(2952, 3) < 2³² ≤ C(2953, 3).
const MAX_U64_KEY_POINTS: usize = 2952;

/// A min-heap of keys: the top is the pivot.
type Heap<K> = BinaryHeap<Reverse<K>>;

/// A triangle as handled outside the heap.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    diam: f32,
    index: u64,
}

/// An edge `i > j` and its length.
#[derive(Clone, Copy, Debug)]
struct Edge {
    diam: f32,
    i: u32,
    j: u32,
}

/// Persistence diagrams of the Rips filtration of `dm`.
pub fn rips(dm: &DistanceMatrix, options: RipsOptions) -> Diagram {
    rips_with_keys(dm, options, dm.len() > MAX_U64_KEY_POINTS)
}

/// `wide`: 128-bit heap keys, which any size needs past
/// [`MAX_U64_KEY_POINTS`] (separate so that tests reach both paths).
pub(crate) fn rips_with_keys(dm: &DistanceMatrix, options: RipsOptions, wide: bool) -> Diagram {
    let threshold = options.threshold.unwrap_or_else(|| dm.enclosing_radius());
    let mut rips = Rips::new(dm, threshold);
    let columns = rips.h0(options.maxdim >= 1);
    if options.maxdim >= 1 {
        if wide {
            rips.h1::<u128>(&columns);
        } else {
            rips.h1::<u64>(&columns);
        }
    }
    Diagram { h0: rips.h0_pairs, h1: rips.h1_pairs, threshold }
}

/// Connected components of the graph of edges shorter than or equal to
/// `cut`: single-linkage clusters, as a label per point (labels are the
/// smallest point index of each cluster).
pub fn single_linkage(dm: &DistanceMatrix, cut: f32) -> Vec<usize> {
    let n = dm.len();
    let mut uf = UnionFind::new(n);
    for i in 0..n {
        let row = dm.row(i);
        for (j, &d) in row.iter().enumerate().take(i) {
            if d <= cut {
                uf.union(i, j);
            }
        }
    }
    (0..n).map(|i| uf.find(i)).collect()
}

struct Rips<'a> {
    dm: &'a DistanceMatrix,
    n: usize,
    threshold: f32,
    c2: Vec<u64>,
    c3: Vec<u64>,
    h0_pairs: Vec<Pair>,
    h1_pairs: Vec<Pair>,
}

impl<'a> Rips<'a> {
    fn new(dm: &'a DistanceMatrix, threshold: f32) -> Self {
        let n = dm.len();
        let c2 = (0..=n as u64).map(|k| k * k.saturating_sub(1) / 2).collect();
        let c3 = (0..=n as u64).map(|k| k * k.saturating_sub(1) * k.saturating_sub(2) / 6).collect();
        Rips { dm, n, threshold, c2, c3, h0_pairs: Vec::new(), h1_pairs: Vec::new() }
    }

    fn edge_index(&self, e: Edge) -> u64 {
        self.c2[e.i as usize] + u64::from(e.j)
    }

    /// Kruskal: H0 pairs, and (when H1 is wanted) the edges left for H1 in
    /// reverse filtration order, minus those in apparent pairs.
    fn h0(&mut self, want_columns: bool) -> Vec<Edge> {
        let n = self.n;
        let mut edges = Vec::with_capacity(n * n.saturating_sub(1) / 2);
        for i in 0..n {
            let row = self.dm.row(i);
            for (j, &diam) in row.iter().enumerate().take(i) {
                if diam <= self.threshold {
                    edges.push(Edge { diam, i: i as u32, j: j as u32 });
                }
            }
        }
        // Filtration order: by diameter, ties larger index first.
        edges.sort_unstable_by(|a, b| {
            a.diam.total_cmp(&b.diam).then_with(|| self.edge_index(*b).cmp(&self.edge_index(*a)))
        });
        let mut uf = UnionFind::new(n);
        let mut columns = Vec::new();
        for e in edges {
            if uf.union(e.i as usize, e.j as usize) {
                if e.diam > 0.0 {
                    self.h0_pairs.push(Pair { birth: 0.0, death: e.diam });
                }
            } else if want_columns && self.zero_apparent_cofacet(e).is_none() {
                columns.push(e);
            }
        }
        columns.reverse();
        for i in 0..n {
            if uf.find(i) == i {
                self.h0_pairs.push(Pair { birth: 0.0, death: f32::INFINITY });
            }
        }
        columns
    }

    fn h1<K: Key>(&mut self, columns: &[Edge]) {
        let mut pivot_of: FxHashMap<u64, u32> = FxHashMap::default();
        pivot_of.reserve(columns.len());
        // The reduction matrix V, column by column (Z/2: a set of edges).
        let mut reduction_start: Vec<u32> = Vec::with_capacity(columns.len() + 1);
        let mut reduction: Vec<Edge> = Vec::new();
        reduction_start.push(0);
        let mut working: Vec<Edge> = Vec::new();
        let mut heap: Heap<K> = BinaryHeap::new();
        let mut scratch: Vec<Reverse<K>> = Vec::new();
        for (col, &edge) in columns.iter().enumerate() {
            working.clear();
            heap.clear();
            let mut compact_at = 4 * self.n;
            let mut pivot = self.init_coboundary(edge, &mut heap, &mut scratch, &pivot_of);
            loop {
                let Some(p) = pivot else {
                    self.h1_pairs.push(Pair { birth: edge.diam, death: f32::INFINITY });
                    break;
                };
                if let Some(&other) = pivot_of.get(&p.index) {
                    let other = other as usize;
                    let (s, e) = (reduction_start[other] as usize, reduction_start[other + 1] as usize);
                    for &f in std::iter::once(&columns[other]).chain(&reduction[s..e]) {
                        self.push_coboundary(f, &mut heap);
                        working.push(f);
                    }
                } else if let Some(f) = self.zero_apparent_facet(p) {
                    self.push_coboundary(f, &mut heap);
                    working.push(f);
                } else {
                    if p.diam > edge.diam {
                        self.h1_pairs.push(Pair { birth: edge.diam, death: p.diam });
                    }
                    pivot_of.insert(p.index, col as u32);
                    break;
                }
                if heap.len() > compact_at {
                    heap = compact(heap);
                    compact_at = (2 * heap.len()).max(4 * self.n);
                }
                pivot = get_pivot(&mut heap);
            }
            // Keep the edges added an odd number of times.
            working.sort_unstable_by_key(|e| (e.i, e.j));
            keep_odd_runs(&working, |e| (e.i, e.j), &mut reduction);
            reduction_start.push(reduction.len() as u32);
        }
    }

    /// Index of the triangle `{a, b, c}` with `a > b > c`.
    #[inline]
    fn triangle_index(&self, a: usize, b: usize, c: usize) -> u64 {
        self.c3[a] + self.c2[b] + c as u64
    }

    /// Index of the triangle edge `i > j` plus vertex `k`.
    #[inline]
    fn cofacet_index(&self, i: usize, j: usize, k: usize) -> u64 {
        if k > i {
            self.triangle_index(k, i, j)
        } else if k > j {
            self.triangle_index(i, k, j)
        } else {
            self.triangle_index(i, j, k)
        }
    }

    fn triangle_vertices(&self, index: u64) -> (usize, usize, usize) {
        let a = self.c3.partition_point(|&v| v <= index) - 1;
        let rest = index - self.c3[a];
        let b = self.c2.partition_point(|&v| v <= rest) - 1;
        (a, b, (rest - self.c2[b]) as usize)
    }

    /// The coboundary of `edge`, unless an emergent pair ends the column at
    /// once (then the heap stays empty and the pair is returned).
    fn init_coboundary<K: Key>(
        &self,
        edge: Edge,
        heap: &mut Heap<K>,
        scratch: &mut Vec<Reverse<K>>,
        pivot_of: &FxHashMap<u64, u32>,
    ) -> Option<Entry> {
        let (i, j) = (edge.i as usize, edge.j as usize);
        let (ri, rj) = (self.dm.row(i), self.dm.row(j));
        let mut check_emergent = true;
        scratch.clear();
        for k in (0..self.n).rev() {
            if k == i || k == j {
                continue;
            }
            let diam = edge.diam.max(ri[k]).max(rj[k]);
            if diam > self.threshold {
                continue;
            }
            let cofacet = Entry { diam, index: self.cofacet_index(i, j, k) };
            if check_emergent && diam == edge.diam {
                if !pivot_of.contains_key(&cofacet.index) && self.zero_apparent_facet(cofacet).is_none() {
                    return Some(cofacet);
                }
                check_emergent = false;
            }
            scratch.push(Reverse(K::new(diam, cofacet.index)));
        }
        heap.extend(scratch.drain(..));
        get_pivot(heap)
    }

    fn push_coboundary<K: Key>(&self, edge: Edge, heap: &mut Heap<K>) {
        let (i, j) = (edge.i as usize, edge.j as usize);
        let (ri, rj) = (self.dm.row(i), self.dm.row(j));
        for k in 0..self.n {
            if k == i || k == j {
                continue;
            }
            let diam = edge.diam.max(ri[k]).max(rj[k]);
            if diam <= self.threshold {
                heap.push(Reverse(K::new(diam, self.cofacet_index(i, j, k))));
            }
        }
    }

    /// The youngest cofacet of `edge` with the same diameter.
    fn zero_pivot_cofacet(&self, edge: Edge) -> Option<u64> {
        let (i, j) = (edge.i as usize, edge.j as usize);
        let (ri, rj) = (self.dm.row(i), self.dm.row(j));
        (0..self.n)
            .rev()
            .find(|&k| k != i && k != j && ri[k] <= edge.diam && rj[k] <= edge.diam)
            .map(|k| self.cofacet_index(i, j, k))
    }

    /// The oldest facet of `triangle` with the same diameter.
    fn zero_pivot_facet(&self, triangle: Entry) -> Option<Edge> {
        let (a, b, c) = self.triangle_vertices(triangle.index);
        // Facets in increasing index order: {b,c}, {a,c}, {a,b}.
        [(b, c), (a, c), (a, b)].into_iter().find_map(|(i, j)| {
            let diam = self.dm.get(i, j);
            (diam == triangle.diam).then_some(Edge { diam, i: i as u32, j: j as u32 })
        })
    }

    fn zero_apparent_cofacet(&self, edge: Edge) -> Option<u64> {
        let cofacet = self.zero_pivot_cofacet(edge)?;
        let facet = self.zero_pivot_facet(Entry { diam: edge.diam, index: cofacet })?;
        ((facet.i, facet.j) == (edge.i, edge.j)).then_some(cofacet)
    }

    fn zero_apparent_facet(&self, triangle: Entry) -> Option<Edge> {
        let facet = self.zero_pivot_facet(triangle)?;
        (self.zero_pivot_cofacet(facet) == Some(triangle.index)).then_some(facet)
    }
}

/// Pops the pivot of a Z/2 column kept as a heap with repeats: equal
/// entries cancel in pairs.
fn pop_pivot<K: Key>(heap: &mut Heap<K>) -> Option<Entry> {
    while let Some(Reverse(top)) = heap.pop() {
        if heap.peek().is_some_and(|next| next.0 == top) {
            heap.pop();
        } else {
            return Some(Entry { diam: top.diam(), index: top.index() });
        }
    }
    None
}

/// The column without its cancelled pairs. Cancellation otherwise happens
/// only at the top, and a heap of repeats grows out of the cache.
fn compact<K: Key>(heap: Heap<K>) -> Heap<K> {
    let mut keys = heap.into_vec();
    keys.sort_unstable();
    let mut kept = Vec::with_capacity(keys.len() / 2);
    keep_odd_runs(&keys, |k| *k, &mut kept);
    BinaryHeap::from(kept)
}

/// Z/2 sums: from `sorted`, appends to `out` one of each run of equal keys
/// whose length is odd (pairs cancel).
fn keep_odd_runs<T: Copy, K: PartialEq>(sorted: &[T], key: impl Fn(&T) -> K, out: &mut Vec<T>) {
    let mut k = 0;
    while k < sorted.len() {
        let mut m = k + 1;
        while m < sorted.len() && key(&sorted[m]) == key(&sorted[k]) {
            m += 1;
        }
        if (m - k) % 2 == 1 {
            out.push(sorted[k]);
        }
        k = m;
    }
}

fn get_pivot<K: Key>(heap: &mut Heap<K>) -> Option<Entry> {
    let pivot = pop_pivot(heap);
    if let Some(p) = pivot {
        heap.push(Reverse(K::new(p.diam, p.index)));
    }
    pivot
}

/// Disjoint sets with path compression. The root of a set is always its
/// smallest element, so a root doubles as a stable cluster label.
pub struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect() }
    }

    pub fn find(&mut self, mut x: usize) -> usize {
        let mut root = x;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        while self.parent[x] != root {
            let next = self.parent[x];
            self.parent[x] = root;
            x = next;
        }
        root
    }

    /// Joins the sets of `x` and `y`; false when they were one already.
    pub fn union(&mut self, x: usize, y: usize) -> bool {
        let (x, y) = (self.find(x), self.find(y));
        if x == y {
            return false;
        }
        self.parent[x.max(y)] = x.min(y);
        true
    }
}
