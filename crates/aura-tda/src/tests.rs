use super::*;

fn diagram(points: &[Vec<f64>], metric: Metric) -> Diagram {
    rips(&DistanceMatrix::from_points(points, metric).unwrap(), RipsOptions::default())
}

fn sorted(pairs: &[Pair]) -> Vec<(f32, f32)> {
    let mut v: Vec<_> = pairs.iter().map(|p| (p.birth, p.death)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    v
}

#[test]
fn square_has_one_loop_that_dies_at_the_diagonal() {
    let pts = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![1.0, 1.0], vec![0.0, 1.0]];
    let d = diagram(&pts, Metric::Euclidean);
    assert_eq!(sorted(&d.h0), vec![(0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (0.0, f32::INFINITY)]);
    assert_eq!(sorted(&d.h1), vec![(1.0, 2f32.sqrt())]);
}

#[test]
fn triangle_and_line_have_no_loops() {
    let tri = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![0.5, 0.8]];
    assert!(diagram(&tri, Metric::Euclidean).h1.is_empty());
    let line: Vec<Vec<f64>> = (0..20).map(|i| vec![f64::from(i) * 0.5]).collect();
    let d = diagram(&line, Metric::Euclidean);
    assert!(d.h1.is_empty());
    assert_eq!(d.h0.len(), 20);
    assert_eq!(d.h0.iter().filter(|p| p.death.is_infinite()).count(), 1);
}

#[test]
fn duplicate_points_give_no_zero_length_pairs() {
    let pts = vec![vec![0.0, 0.0], vec![0.0, 0.0], vec![3.0, 0.0]];
    let d = diagram(&pts, Metric::Euclidean);
    assert_eq!(sorted(&d.h0), vec![(0.0, 3.0), (0.0, f32::INFINITY)]);
}

#[test]
fn empty_and_single_point() {
    assert!(diagram(&[], Metric::Euclidean).h0.is_empty());
    let one = diagram(&[vec![1.0, 2.0]], Metric::Euclidean);
    assert_eq!(sorted(&one.h0), vec![(0.0, f32::INFINITY)]);
}

#[test]
fn threshold_below_a_death_leaves_the_class_essential() {
    let pts = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![1.0, 1.0], vec![0.0, 1.0]];
    let dm = DistanceMatrix::from_points(&pts, Metric::Euclidean).unwrap();
    let d = rips(&dm, RipsOptions { maxdim: 1, threshold: Some(1.2) });
    assert_eq!(sorted(&d.h1), vec![(1.0, f32::INFINITY)]);
    let h0only = rips(&dm, RipsOptions { maxdim: 0, threshold: None });
    assert!(h0only.h1.is_empty());
}

#[test]
fn bad_input_is_an_error() {
    assert!(DistanceMatrix::from_points(&[vec![1.0], vec![1.0, 2.0]], Metric::Euclidean).is_err());
    assert!(DistanceMatrix::from_points(&[vec![0.0, 0.0], vec![1.0, 0.0]], Metric::Cosine).is_err());
    assert!(DistanceMatrix::from_points(&[vec![f64::NAN]], Metric::Euclidean).is_err());
    assert!(DistanceMatrix::from_lower_triangle(3, &[1.0, 2.0]).is_err());
    assert!(DistanceMatrix::from_lower_triangle(2, &[-1.0]).is_err());
    assert!(read_points_csv("x,y\n1,2\n3\n").is_err());
    assert!(read_points_csv("1,2\nfoo,3\n").is_err());
    assert_eq!(read_points_csv("x,y\n# c\n1,2\n\n3,4.5\n").unwrap(), vec![vec![1.0, 2.0], vec![3.0, 4.5]]);
    assert!("manhattan".parse::<Metric>().is_err());
}

#[test]
fn lower_triangle_matches_points() {
    let pts = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![1.0, 1.0], vec![0.0, 1.0]];
    let a = DistanceMatrix::from_points(&pts, Metric::Euclidean).unwrap();
    let lower: Vec<f32> =
        (0..4).flat_map(|i| (0..i).map(move |j| (i, j))).map(|(i, j)| a.get(i, j)).collect();
    let b = DistanceMatrix::from_lower_triangle(4, &lower).unwrap();
    assert_eq!(sorted(&rips(&a, RipsOptions::default()).h1), sorted(&rips(&b, RipsOptions::default()).h1));
    assert_eq!(a.enclosing_radius(), 2f32.sqrt());
}

#[test]
fn single_linkage_joins_chains_below_the_cut() {
    let pts = vec![vec![0.0], vec![0.1], vec![0.2], vec![5.0], vec![5.05], vec![9.0]];
    let dm = DistanceMatrix::from_points(&pts, Metric::Euclidean).unwrap();
    assert_eq!(single_linkage(&dm, 0.15), vec![0, 0, 0, 3, 3, 5]);
    assert_eq!(single_linkage(&dm, 0.01), vec![0, 1, 2, 3, 4, 5]);
}

#[test]
fn wide_heap_keys_give_the_same_diagram() {
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/torus-400.json")).unwrap(),
    )
    .unwrap();
    let points: Vec<Vec<f64>> = serde_json::from_value(data["points"].clone()).unwrap();
    let dm = DistanceMatrix::from_points(&points, Metric::Euclidean).unwrap();
    let narrow = crate::rips::rips_with_keys(&dm, RipsOptions::default(), false);
    let wide = crate::rips::rips_with_keys(&dm, RipsOptions::default(), true);
    assert_eq!(sorted(&narrow.h1), sorted(&wide.h1));
    assert!(!narrow.h1.is_empty());
}

/// Ripser (ripser.py) diagrams for seeded point sets, written by
/// `scripts/tda_reference.py`: the multisets of pairs must agree, value by
/// value to within f32 rounding of the distances.
#[test]
fn diagrams_equal_ripsers() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = data["name"].as_str().unwrap();
        let points: Vec<Vec<f64>> = serde_json::from_value(data["points"].clone()).unwrap();
        let metric: Metric = data["metric"].as_str().unwrap().parse().unwrap();
        let ours = diagram(&points, metric);
        for (dim, got) in [("h0", &ours.h0), ("h1", &ours.h1)] {
            let want: Vec<Pair> = data[dim]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| Pair {
                    birth: p[0].as_f64().unwrap() as f32,
                    death: p[1].as_f64().map_or(f32::INFINITY, |d| d as f32),
                })
                .collect();
            let (got, want) = (sorted(got), sorted(&want));
            assert_eq!(got.len(), want.len(), "{name} {dim}: {} pairs, Ripser has {}", got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                let close = |a: f32, b: f32| a == b || (a - b).abs() <= 1e-6 * a.abs().max(1.0);
                assert!(close(g.0, w.0) && close(g.1, w.1), "{name} {dim}: {g:?} vs Ripser's {w:?}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} reference files in {}", dir.display());
}

#[test]
fn spanning_tree_lengths_are_the_h0_deaths() {
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/clusters-250.json"))
            .unwrap(),
    )
    .unwrap();
    let points: Vec<Vec<f64>> = serde_json::from_value(data["points"].clone()).unwrap();
    let dm = DistanceMatrix::from_points(&points, Metric::Euclidean).unwrap();
    let tree = minimum_spanning_tree(dm.len(), |i, j| dm.get(i, j));
    assert_eq!(tree.len(), points.len() - 1);
    let mut lengths: Vec<f32> = tree.iter().map(|e| e.length).filter(|&l| l > 0.0).collect();
    lengths.sort_by(f32::total_cmp);
    let mut deaths: Vec<f32> = rips(&dm, RipsOptions { maxdim: 0, threshold: Some(f32::INFINITY) })
        .h0
        .iter()
        .map(|p| p.death)
        .filter(|d| d.is_finite())
        .collect();
    deaths.sort_by(f32::total_cmp);
    assert_eq!(lengths, deaths);
    // Cutting the tree is single linkage.
    for cut in [0.1, 0.5, 2.0] {
        assert_eq!(clusters_below(dm.len(), &tree, cut), single_linkage(&dm, cut), "cut {cut}");
    }
    let nn = nearest_neighbour_distances(dm.len(), &tree);
    for (i, &d) in nn.iter().enumerate() {
        let direct = (0..dm.len()).filter(|&j| j != i).map(|j| dm.get(i, j)).fold(f32::INFINITY, f32::min);
        assert_eq!(d, direct, "point {i}");
    }
}
