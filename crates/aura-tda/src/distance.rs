//! Distance matrices: built from points (Euclidean or cosine) or given
//! directly, stored square in f32 so that a vertex's distances are one
//! contiguous row — the coboundary walk reads two rows side by side.

use crate::TdaError;

/// How two points are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Euclidean,
    /// `1 − cos(a, b)`, as scikit-learn's `cosine_distances` (clipped to [0, 2]).
    Cosine,
}

impl std::str::FromStr for Metric {
    type Err = TdaError;
    fn from_str(s: &str) -> Result<Self, TdaError> {
        match s {
            "euclidean" => Ok(Metric::Euclidean),
            "cosine" => Ok(Metric::Cosine),
            other => Err(TdaError::Input(format!("unknown metric `{other}` (euclidean or cosine)"))),
        }
    }
}

/// A symmetric matrix of pairwise distances with a zero diagonal.
///
/// Values are f32, like Ripser's: distances are computed in f64 and rounded
/// once, so equal inputs give the same filtration values as `ripser.py`.
#[derive(Clone, Debug)]
pub struct DistanceMatrix {
    n: usize,
    d: Vec<f32>,
}

impl DistanceMatrix {
    /// Pairwise distances between `points` (all of the same dimension).
    pub fn from_points(points: &[Vec<f64>], metric: Metric) -> Result<Self, TdaError> {
        let n = points.len();
        let dim = points.first().map_or(0, Vec::len);
        if let Some(bad) = points.iter().position(|p| p.len() != dim) {
            return Err(TdaError::Input(format!(
                "point {bad} has {} coordinates; the first has {dim}",
                points[bad].len()
            )));
        }
        if points.iter().flatten().any(|x| !x.is_finite()) {
            return Err(TdaError::Input("coordinates must be finite numbers".into()));
        }
        let norms: Vec<f64> = points.iter().map(|p| p.iter().map(|x| x * x).sum::<f64>().sqrt()).collect();
        if metric == Metric::Cosine {
            if let Some(zero) = norms.iter().position(|&x| x == 0.0) {
                return Err(TdaError::Input(format!(
                    "point {zero} is the zero vector; its cosine distance is undefined"
                )));
            }
        }
        let mut d = vec![0f32; n * n];
        for i in 0..n {
            for j in 0..i {
                let v = match metric {
                    Metric::Euclidean => {
                        points[i].iter().zip(&points[j]).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt()
                    }
                    Metric::Cosine => {
                        let dot: f64 = points[i].iter().zip(&points[j]).map(|(a, b)| a * b).sum();
                        (1.0 - dot / (norms[i] * norms[j])).clamp(0.0, 2.0)
                    }
                } as f32;
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        Ok(DistanceMatrix { n, d })
    }

    /// A matrix from its strict lower triangle, row by row
    /// (`d(1,0), d(2,0), d(2,1), d(3,0), …`), as Ripser reads it.
    pub fn from_lower_triangle(n: usize, lower: &[f32]) -> Result<Self, TdaError> {
        if lower.len() != n * n.saturating_sub(1) / 2 {
            return Err(TdaError::Input(format!(
                "{} values do not form the lower triangle of a {n}×{n} matrix",
                lower.len()
            )));
        }
        if lower.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return Err(TdaError::Input("distances must be finite and non-negative".into()));
        }
        let mut d = vec![0f32; n * n];
        let mut k = 0;
        for i in 0..n {
            for j in 0..i {
                // -0.0 would sort below +0.0 by its bits (heap keys).
                let v = lower[k] + 0.0;
                d[i * n + j] = v;
                d[j * n + i] = v;
                k += 1;
            }
        }
        Ok(DistanceMatrix { n, d })
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f32 {
        self.d[i * self.n + j]
    }

    #[inline]
    pub(crate) fn row(&self, i: usize) -> &[f32] {
        &self.d[i * self.n..(i + 1) * self.n]
    }

    /// The smallest radius at which some vertex is within reach of all
    /// others: beyond it the Rips complex is a cone, so no homology is born
    /// or dies later. Ripser's default threshold.
    pub fn enclosing_radius(&self) -> f32 {
        (0..self.n).map(|i| self.row(i).iter().copied().fold(0f32, f32::max)).fold(f32::INFINITY, f32::min)
    }
}
