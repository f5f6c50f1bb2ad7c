//! What the shape of a code base says: near-copy clusters (H0 of the
//! functions' embedding cloud, i.e. single linkage, merged with exact token
//! clones), semantic outliers, import cycles, and the diagnostics for them.
//!
//! The cloud is the embedded functions under cosine distance. Its minimum
//! spanning tree gives everything at once: the H0 barcode (tree edge
//! lengths), the clusters at the near-copy cut (the tree's edges at or
//! below it), and each function's nearest-neighbour distance (its shortest
//! tree edge), whose far tail are the outliers.

use std::collections::HashMap;
use std::ops::Range;

use aura_analysis::shape_rules::{DIVERGENT_CLONE, IMPORT_CYCLE, NEAR_COPY};
use aura_analysis::{Diagnostic, Related, Severity};
use serde::Serialize;

use crate::imports::{cycle_through, Import};
use crate::index::{dot, SemanticIndex};

/// Near-copy cut: cosine distance 0.05 is similarity 0.95.
pub const DEFAULT_CUT: f32 = 0.05;

/// Outliers reported at most.
const MAX_OUTLIERS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionRef {
    pub file: String,
    pub name: String,
    pub start_line: u32,
    pub end_line: u32,
    #[serde(skip)]
    pub name_range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    #[serde(flatten)]
    pub function: FunctionRef,
    /// Index in the cluster's members of its most similar member.
    pub nearest: usize,
    pub similarity: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub members: Vec<Member>,
    /// The weakest link: the lowest of the members' best similarities.
    pub similarity: f32,
    /// Whether an exact token clone (AUR401) joined some of its members.
    pub token_clone: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outlier {
    pub function: FunctionRef,
    pub nearest: FunctionRef,
    /// Cosine distance to the nearest function.
    pub distance: f32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ShapeReport {
    pub files: usize,
    pub functions: usize,
    pub embedded: usize,
    /// The near-copy cut (cosine distance).
    pub cut: f32,
    /// Largest first.
    pub clusters: Vec<Cluster>,
    /// Farthest first.
    pub outliers: Vec<Outlier>,
    /// Files in import cycles, one list per strongly connected component.
    pub cycles: Vec<Vec<String>>,
    /// Near-copies left behind by a fix to another member of their cluster
    /// (filled from git history by the caller; empty without a repository).
    pub divergent: Vec<Divergence>,
    /// H0 deaths (tree edge lengths), ascending; one more class never dies.
    pub h0: Vec<f32>,
    /// Mean and standard deviation of nearest-neighbour distances.
    pub nearest_mean: f32,
    pub nearest_std: f32,
}

/// A near-copy that missed a fix: `fixed` was changed by a fix commit after
/// `stale` last changed, and that commit left `stale` alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    pub stale: FunctionRef,
    pub fixed: FunctionRef,
    /// The fix commit: abbreviated id, subject line, author time (Unix).
    pub commit: String,
    pub summary: String,
    pub time: i64,
}

/// One commit that changed a function, as the caller's history sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub commit: String,
    pub summary: String,
    pub time: i64,
    pub is_fix: bool,
}

/// Near-copies that missed a fix. `changes` gives the commits that changed
/// a function (its current lines), or `None` when its history is unknown
/// (not committed, outside the window): such functions are never judged.
/// A fix that is the oldest change seen to a function made it (a new copy,
/// not a fix to one) and does not count. `missed(fix, fixed, stale)` looks
/// at the code: whether `stale` still reads the way `fixed` did before the
/// fix. Each stale function is reported once, against the newest fix it missed.
pub fn divergent_clones(
    report: &ShapeReport,
    mut changes: impl FnMut(&FunctionRef) -> Option<Vec<Change>>,
    mut missed: impl FnMut(&Change, &FunctionRef, &FunctionRef) -> bool,
) -> Vec<Divergence> {
    let mut out = Vec::new();
    for cluster in &report.clusters {
        let histories: Vec<Option<Vec<Change>>> =
            cluster.members.iter().map(|m| changes(&m.function)).collect();
        for (b, stale) in cluster.members.iter().enumerate() {
            let Some(own) = &histories[b] else { continue };
            let last_own = own.iter().map(|c| c.time).max().unwrap_or(i64::MIN);
            let mut newest: Option<(&Change, usize)> = None;
            for (a, history) in histories.iter().enumerate() {
                let Some(history) = history.as_ref().filter(|_| a != b) else { continue };
                let first = history.iter().map(|c| c.time).min().unwrap_or(i64::MAX);
                for fix in history.iter().filter(|c| c.is_fix && c.time > last_own && c.time > first) {
                    if own.iter().all(|c| c.commit != fix.commit)
                        && newest.is_none_or(|(m, _)| fix.time > m.time)
                        && missed(fix, &cluster.members[a].function, &stale.function)
                    {
                        newest = Some((fix, a));
                    }
                }
            }
            if let Some((fix, a)) = newest {
                let fixed = &cluster.members[a];
                out.push(Divergence {
                    stale: stale.function.clone(),
                    fixed: fixed.function.clone(),
                    commit: fix.commit.clone(),
                    summary: fix.summary.clone(),
                    time: fix.time,
                });
            }
        }
    }
    out
}

/// AUR404 for the functions of `file` that missed a fix made to a near-copy.
pub fn divergent_clone_diagnostics(report: &ShapeReport, file: &str) -> Vec<Diagnostic> {
    report
        .divergent
        .iter()
        .filter(|d| d.stale.file == file)
        .map(|d| {
            let place = if d.fixed.file == file {
                format!("line {}", d.fixed.start_line)
            } else {
                d.fixed.file.clone()
            };
            let mut diagnostic = Diagnostic::new(
                DIVERGENT_CLONE,
                Severity::Warning,
                format!(
                    "near-copy `{}` in {place} was fixed by {} \"{}\"; this copy was not",
                    d.fixed.name, d.commit, d.summary
                ),
                d.stale.name_range.clone(),
            );
            diagnostic.related = vec![Related {
                file: d.fixed.file.clone(),
                lines: (d.fixed.start_line - 1, d.fixed.end_line - 1),
                message: format!("fixed by {} \"{}\"", d.commit, d.summary),
            }];
            diagnostic
        })
        .collect()
}

/// A pair of functions, each as (file, start line), that the token clone
/// detector found to share an exact copy covering most of both.
pub type ClonePair = ((String, u32), (String, u32));

/// The report for everything embedded in `index`.
pub fn analyse(
    index: &SemanticIndex,
    clone_pairs: &[ClonePair],
    cycles: Vec<Vec<String>>,
    cut: f32,
) -> ShapeReport {
    let mut points: Vec<(FunctionRef, &[f32], Range<usize>)> = Vec::new();
    for (file, entries) in index.files() {
        for e in entries {
            if let Some(v) = &e.vector {
                let c = &e.chunk;
                let f = FunctionRef {
                    file: file.to_owned(),
                    name: c.name.clone(),
                    start_line: c.start_line,
                    end_line: c.end_line,
                    name_range: c.name_range.clone(),
                };
                points.push((f, v, c.range.clone()));
            }
        }
    }
    let (functions, embedded) = index.counts();
    let n = points.len();
    // A function and one nested inside it are not copies of each other.
    let nested = |i: usize, j: usize| {
        let (a, b) = (&points[i], &points[j]);
        a.0.file == b.0.file
            && ((a.2.start <= b.2.start && b.2.end <= a.2.end)
                || (b.2.start <= a.2.start && a.2.end <= b.2.end))
    };
    let dist =
        |i: usize, j: usize| if nested(i, j) { 2.0 } else { (1.0 - dot(points[i].1, points[j].1)).max(0.0) };
    let tree = aura_tda::minimum_spanning_tree(n, dist);

    // Clusters: the tree cut at `cut`, joined by token clones.
    let mut sets = aura_tda::UnionFind::new(n);
    for e in tree.iter().filter(|e| e.length <= cut) {
        sets.union(e.a, e.b);
    }
    let mut token_joined = vec![false; n];
    let at: HashMap<(&str, u32), usize> =
        points.iter().enumerate().map(|(i, p)| ((p.0.file.as_str(), p.0.start_line), i)).collect();
    for ((fa, la), (fb, lb)) in clone_pairs {
        if let (Some(&a), Some(&b)) = (at.get(&(fa.as_str(), *la)), at.get(&(fb.as_str(), *lb))) {
            if a != b && !nested(a, b) {
                sets.union(a, b);
                token_joined[a] = true;
                token_joined[b] = true;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        groups.entry(sets.find(i)).or_default().push(i);
    }
    let mut clusters: Vec<Cluster> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let members: Vec<Member> = g
                .iter()
                .map(|&i| {
                    let (nearest, d) = g
                        .iter()
                        .enumerate()
                        .filter(|&(_, &j)| j != i)
                        .map(|(k, &j)| (k, dist(i, j)))
                        .min_by(|a, b| a.1.total_cmp(&b.1))
                        .unwrap_or((0, 0.0));
                    Member { function: points[i].0.clone(), nearest, similarity: 1.0 - d }
                })
                .collect();
            let similarity = members.iter().map(|m| m.similarity).fold(1.0, f32::min);
            Cluster { members, similarity, token_clone: g.iter().any(|&i| token_joined[i]) }
        })
        .collect();
    clusters.sort_by(|a, b| {
        b.members.len().cmp(&a.members.len()).then(b.similarity.total_cmp(&a.similarity)).then_with(|| {
            let key = |c: &Cluster| (c.members[0].function.file.clone(), c.members[0].function.start_line);
            key(a).cmp(&key(b))
        })
    });

    // Outliers: nearest-neighbour distance beyond mean + 2σ, farthest first.
    let nn = aura_tda::nearest_neighbour_distances(n, &tree);
    let mut nearest_of = vec![usize::MAX; n];
    for e in &tree {
        for (x, y) in [(e.a, e.b), (e.b, e.a)] {
            if e.length == nn[x] && nearest_of[x] == usize::MAX {
                nearest_of[x] = y;
            }
        }
    }
    let finite: Vec<f32> = nn.iter().copied().filter(|d| d.is_finite()).collect();
    let mean = if finite.is_empty() { 0.0 } else { finite.iter().sum::<f32>() / finite.len() as f32 };
    let std = if finite.is_empty() {
        0.0
    } else {
        (finite.iter().map(|d| (d - mean) * (d - mean)).sum::<f32>() / finite.len() as f32).sqrt()
    };
    let mut outliers: Vec<Outlier> = (0..n)
        .filter(|&i| n >= 3 && nn[i].is_finite() && nn[i] > mean + 2.0 * std && nearest_of[i] != usize::MAX)
        .map(|i| Outlier {
            function: points[i].0.clone(),
            nearest: points[nearest_of[i]].0.clone(),
            distance: nn[i],
        })
        .collect();
    outliers.sort_by(|a, b| b.distance.total_cmp(&a.distance));
    outliers.truncate(MAX_OUTLIERS);

    let mut h0: Vec<f32> = tree.iter().map(|e| e.length).collect();
    h0.sort_by(f32::total_cmp);
    ShapeReport {
        files: index.files().count(),
        functions,
        embedded,
        cut,
        clusters,
        outliers,
        cycles,
        divergent: Vec::new(),
        h0,
        nearest_mean: mean,
        nearest_std: std,
    }
}

/// AUR403 for the functions of `file`: one information diagnostic per
/// cluster member, on its name, naming its nearest copy.
pub fn near_copy_diagnostics(report: &ShapeReport, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for cluster in &report.clusters {
        for m in cluster.members.iter().filter(|m| m.function.file == file) {
            let near = &cluster.members[m.nearest].function;
            let place =
                if near.file == file { format!("line {}", near.start_line) } else { near.file.clone() };
            let mut d = Diagnostic::new(
                NEAR_COPY,
                Severity::Info,
                format!("near-copy of `{}` in {place} (similarity {:.2})", near.name, m.similarity),
                m.function.name_range.clone(),
            );
            d.related = cluster
                .members
                .iter()
                .filter(|o| !std::ptr::eq(*o, m))
                .map(|o| Related {
                    file: o.function.file.clone(),
                    lines: (o.function.start_line - 1, o.function.end_line - 1),
                    message: format!("`{}` (similarity {:.2})", o.function.name, o.similarity),
                })
                .collect();
            out.push(d);
        }
    }
    out
}

/// AUR501 in `file`: one finding per import cycle (a strongly connected set
/// of files), on the first import of the cycle's first file (by path) that
/// closes it, spelling out a shortest cycle through it with the other
/// imports as related locations. Every other file of the cycle gets none:
/// one cycle is one thing to fix, not one warning per import line.
pub fn import_cycle_diagnostics(graph: &HashMap<String, Vec<Import>>, file: &str) -> Vec<Diagnostic> {
    let owns_a_cycle = crate::imports::cycles(graph).iter().any(|c| c.first().is_some_and(|f| f == file));
    if owns_a_cycle {
        cycle_finding(graph, file).into_iter().collect()
    } else {
        Vec::new()
    }
}

/// The AUR501 finding of the cycle whose first file is `owner` (one of the
/// groups `imports::cycles` returns, by its first member).
pub fn cycle_finding(graph: &HashMap<String, Vec<Import>>, owner: &str) -> Option<Diagnostic> {
    let (import, cycle) = graph
        .get(owner)
        .into_iter()
        .flatten()
        .find_map(|import| Some((import, cycle_through(graph, owner, &import.target)?)))?;
    // Python runs a module's body on import, so a cycle leaves one side
    // half-initialised (`cannot import name`); ES modules bind live and
    // usually survive one, which projects arrange on purpose (a barrel
    // such as immer's internal.ts): information there.
    let severity = if owner.ends_with(".py") { Severity::Warning } else { Severity::Info };
    let mut d = Diagnostic::new(
        IMPORT_CYCLE,
        severity,
        format!("import cycle: {}", cycle.join(" → ")),
        import.range.clone(),
    );
    d.related = cycle[1..cycle.len() - 1]
        .iter()
        .enumerate()
        .filter_map(|(k, f)| {
            let next = &cycle[k + 2];
            let back = graph.get(f)?.iter().find(|i| &i.target == next)?;
            Some(Related {
                file: f.clone(),
                lines: (back.line - 1, back.line - 1),
                message: format!("imports {next}"),
            })
        })
        .collect();
    Some(d)
}
