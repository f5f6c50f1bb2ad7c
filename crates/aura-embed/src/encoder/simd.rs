//! The encoder's element-wise kernels (GELU, softmax), written branch-free
//! so the compiler vectorises them, and compiled three times: AVX-512,
//! AVX2 + FMA and baseline, chosen once at run time. `libm`'s scalar `erff`
//! and `expf` took a quarter of the encoder's time; these approximations
//! stay within a few 1e-7 of them, far inside the 1e-5 parity budget.

/// `e^x` to about 2 ulp (Cephes' `expf`): `x = n·ln 2 + r`, a degree-6
/// polynomial for `e^r`, and `2^n` put into the exponent bits.
#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.33, 88.3);
    let n = (x * std::f32::consts::LOG2_E).round();
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let mut p = 1.987_569_1e-4f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    e * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// `erf(x)` to about 3e-7 absolute: the Maclaurin series below 0.6, where
/// the other form loses digits to cancellation, and Abramowitz & Stegun
/// 7.1.26 above. Both are computed and one selected, so the loop stays
/// branch-free.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let mut p = 1.061_405_4f32;
    p = p * t - 1.453_152;
    p = p * t + 1.421_413_7;
    p = p * t - 0.284_496_74;
    p = p * t + 0.254_829_6;
    let tail = 1.0 - p * t * exp(-a * a);
    let s = a * a;
    let mut q = -1.0f32 / 75_600.0;
    q = q * s + 1.0 / 9_360.0;
    q = q * s - 1.0 / 1_320.0;
    q = q * s + 1.0 / 216.0;
    q = q * s - 1.0 / 42.0;
    q = q * s + 1.0 / 10.0;
    q = q * s - 1.0 / 3.0;
    q = q * s + 1.0;
    let head = std::f32::consts::FRAC_2_SQRT_PI * a * q;
    let y = if a < 0.6 { head } else { tail };
    y.copysign(x)
}

#[inline(always)]
fn gelu_body(xs: &mut [f32]) {
    for v in xs {
        *v = 0.5 * *v * (1.0 + erf(*v * std::f32::consts::FRAC_1_SQRT_2));
    }
}

#[inline(always)]
fn softmax_body(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = exp(*v - max);
        sum += *v;
    }
    let inv = 1.0 / sum;
    row.iter_mut().for_each(|v| *v *= inv);
}

macro_rules! dispatch {
    ($name:ident, $body:ident, $avx512:ident, $avx2:ident) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f")]
        fn $avx512(xs: &mut [f32]) {
            $body(xs)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        fn $avx2(xs: &mut [f32]) {
            $body(xs)
        }

        pub(super) fn $name(xs: &mut [f32]) {
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU has just been seen to support AVX-512F.
                    return unsafe { $avx512(xs) };
                }
                if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the CPU has just been seen to support AVX2 and FMA.
                    return unsafe { $avx2(xs) };
                }
            }
            $body(xs)
        }
    };
}

dispatch!(gelu, gelu_body, gelu_avx512, gelu_avx2);
dispatch!(softmax, softmax_body, softmax_avx512, softmax_avx2);

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> impl Iterator<Item = f32> {
        (-200_000..=200_000).map(|i| i as f32 * 1e-4)
    }

    #[test]
    fn exp_is_within_a_few_ulp_of_libm() {
        for x in grid().chain([-87.0, 0.0, 50.0, 88.0]) {
            let (ours, reference) = (exp(x), libm::expf(x));
            let tolerance = 3.0 * f32::EPSILON * reference.abs();
            assert!((ours - reference).abs() <= tolerance, "exp({x}) = {ours}, libm {reference}");
        }
        assert!(exp(-1000.0) < 1e-37 && exp(1000.0).is_finite());
    }

    #[test]
    fn erf_is_within_3e_7_of_libm_and_odd() {
        for x in grid() {
            let (ours, reference) = (erf(x), libm::erff(x));
            assert!((ours - reference).abs() <= 3e-7, "erf({x}) = {ours}, libm {reference}");
            assert_eq!(ours, -erf(-x));
        }
        assert_eq!(erf(0.0), 0.0);
        assert_eq!(erf(f32::INFINITY), 1.0);
    }

    #[test]
    fn the_dispatched_kernels_agree_with_the_baseline() {
        let xs: Vec<f32> = grid().step_by(97).collect();
        let (mut fast, mut slow) = (xs.clone(), xs.clone());
        gelu(&mut fast);
        gelu_body(&mut slow);
        for ((f, s), x) in fast.iter().zip(&slow).zip(&xs) {
            let exact = 0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2));
            assert!((f - s).abs() <= 1e-6 && (f - exact).abs() <= 2e-6, "gelu({x}): {f} {s} {exact}");
        }
        let mut row = vec![1.0f32, 2.0, 3.0, -1000.0];
        softmax(&mut row);
        let e = [1.0f32.exp(), 2.0f32.exp(), 3.0f32.exp()];
        let sum: f32 = e.iter().sum();
        for (got, want) in row.iter().zip(e.iter().map(|v| v / sum).chain([0.0])) {
            assert!((got - want).abs() <= 1e-7, "{row:?}");
        }
    }
}
