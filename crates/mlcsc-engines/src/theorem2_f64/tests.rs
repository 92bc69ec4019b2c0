//! The kernels' bounds against exact arithmetic.

use super::coherence::coherence;
use super::enclosed::{Enclosed, analyze, synthesize, threshold};
use super::enclosed_norms::{max_abs, patch_energy};
use super::interval::Interval;
use super::rounding::{add_down, add_up, div_down, div_up, mul_down, mul_up, sqrt_down, sqrt_up};
use super::screen_layer::ScreenLayer;
use crate::enclosure::Decision;
use crate::model::{Layer, LayerVector};
use crate::norms::patch_norm_squared;
use crate::operators::{analysis, synthesis};
use crate::thresholding::Thresholding;
use crate::tolerance::next_up;

#[test]
fn directed_rounding_brackets_the_exact_result() {
    // 0.1 + 0.2 is not representable: the bounds differ by one unit in the last place.
    let (lo, hi) = (add_down(0.1, 0.2), add_up(0.1, 0.2));
    assert!(lo < hi && hi == next_up(lo));
    // Exact results stay exact.
    assert_eq!((add_down(0.5, 0.25), add_up(0.5, 0.25)), (0.75, 0.75));
    assert_eq!((mul_down(3.0, 0.5), mul_up(3.0, 0.5)), (1.5, 1.5));
    assert_eq!((sqrt_down(4.0), sqrt_up(4.0)), (2.0, 2.0));
    let (lo, hi) = (sqrt_down(2.0), sqrt_up(2.0));
    assert!(lo * lo <= 2.0 && hi == next_up(lo));
    let (lo, hi) = (div_down(1.0, 3.0), div_up(1.0, 3.0));
    assert!(lo < hi && hi == next_up(lo));
    assert_eq!(
        Interval::point(1.0).less_than(Interval::point(1.0)),
        Decision::False
    );
    assert_eq!(
        Interval::around(1.0, 1e-16).less_or_equal(Interval::point(1.0)),
        Decision::Undecided
    );
    let nan = Interval {
        lo: f64::NAN,
        hi: f64::NAN,
    };
    assert_eq!(nan.less_than(Interval::point(1.0)), Decision::Undecided);
    assert_eq!(nan.less_or_equal(Interval::point(1.0)), Decision::Undecided);
}

#[test]
fn a_filter_unit_only_within_the_tolerance_is_normalised_with_a_tight_bound() {
    let layer = Layer::new_unchecked_norm(1, vec![vec![vec![1.000004]]]).expect("shape");
    let screen = ScreenLayer::new(&layer, 1);
    assert_eq!(screen.filters.taps(), &[1.0]);
    assert!(screen.rho < 1e-14, "{}", screen.rho);
    let unit = Layer::new_unchecked_norm(1, vec![vec![vec![0.6], vec![0.8]]]).expect("shape");
    let screen = ScreenLayer::new(&unit, 1);
    assert_eq!(screen.filters.taps(), &[0.6, 0.8]);
    assert!(screen.rho > 0.0 && screen.rho < 1e-14, "{}", screen.rho);
}

/// Values of many magnitudes and both signs, with zeros, from a seed (xorshift).
fn values(count: usize, seed: u64) -> Vec<f64> {
    let mut stream = crate::test_stream::xorshift(seed | 1);
    (0..count)
        .map(|_| {
            let state = stream();
            if state % 5 == 0 {
                0.0
            } else {
                let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64 + 0.5;
                let exponent = (state % 41) as i32 - 20;
                let sign = if state % 3 == 0 { -1.0 } else { 1.0 };
                sign * mantissa * 2f64.powi(exponent) / 3.0
            }
        })
        .collect()
}

fn exact(x: f64) -> crate::scalar::Rational {
    crate::scalar::Rational::from_float(x).expect("finite")
}

/// `|exact − mid| ≤ rad` entry by entry, and `rad = 0` only for exact zeros.
fn contains(enclosed: &Enclosed, truth: &LayerVector<crate::scalar::Rational>) {
    for (k, value) in truth.entries().iter().enumerate() {
        let (m, r) = (enclosed.mid.entries()[k], enclosed.rad[k]);
        let distance = num_traits::Signed::abs(&(value - exact(m)));
        assert!(
            distance <= exact(r),
            "entry {k}: {value} outside {m:e} ± {r:e}"
        );
        if r == 0.0 {
            assert!(m == 0.0 && value == &exact(0.0), "entry {k}");
        }
    }
}

#[test]
fn every_kernel_bound_contains_the_exact_value() {
    use crate::scalar::Rational;
    // Exactly unit filters with f64 taps: the bound then covers only rounding.
    let layer = Layer::new_unchecked_norm(
        1,
        vec![
            vec![vec![0.5], vec![0.5], vec![0.5], vec![0.5]],
            vec![vec![0.5], vec![-0.5], vec![0.5], vec![-0.5]],
            vec![vec![1.0], vec![0.0], vec![0.0], vec![0.0]],
        ],
    )
    .expect("shape");
    let screen = ScreenLayer::new(&layer, 1);
    let rational_layer = screen.filters.map(|x: &f64| exact(*x));
    for seed in 1..40u64 {
        let length = 7 + (seed as usize % 9);
        // Inputs known exactly (radius 0 on every entry, zeros included).
        let x = LayerVector::from_entries(length, 1, values(length, seed)).expect("shape");
        let exact_x = x.map(|v: &f64| exact(*v));
        let input = Enclosed {
            rad: vec![0.0; length],
            mid: std::borrow::Cow::Owned(x.clone()),
        };
        let z = analyze(&screen, &input);
        let exact_z = analysis(&rational_layer, &exact_x);
        contains(&z, &exact_z);
        let g = LayerVector::from_entries(length, 3, values(3 * length, seed + 99)).expect("shape");
        let g_input = Enclosed {
            rad: vec![0.0; 3 * length],
            mid: std::borrow::Cow::Owned(g.clone()),
        };
        contains(
            &synthesize(&screen, &g_input),
            &synthesis(&rational_layer, &g.map(|v: &f64| exact(*v))),
        );
        // Thresholding the enclosed correlations contains thresholding the exact ones.
        let beta = z.mid.max_abs() / 3.0;
        for thresholding in [
            Thresholding::Soft,
            Thresholding::Nonnegative,
            Thresholding::Hard,
        ] {
            let t = threshold(thresholding, &z, beta, Interval::point(beta));
            let exact_t = thresholding.apply_vector(&exact_z, &exact(beta));
            contains(&t, &exact_t);
        }
        // Patch energies and the largest entry.
        for width in [1, 2, 5] {
            let energy = patch_energy(&z, width);
            let truth = patch_norm_squared(&exact_z, width);
            assert!(
                exact(energy.lo) <= truth && truth <= exact(energy.hi),
                "width {width}"
            );
        }
        let largest = max_abs(&z);
        let truth = exact_z.max_abs();
        assert!(exact(largest.lo) <= truth && truth <= exact(largest.hi));
    }
    // The coherence of the exact filters: 3/4 (a ±1/2 filter against its shift by one).
    let mu = coherence(&screen);
    let truth = crate::coherence::mutual_coherence(&rational_layer);
    assert_eq!(truth, Rational::new(3.into(), 4.into()));
    assert!(exact(mu.lo) <= truth && truth <= exact(mu.hi));
}

/// The blockwise search for an entry neither zero nor normal against the plain search, with
/// one such entry (subnormal, infinite, NaN, of either sign) at every place around the
/// blocks' edges, among zeros of both signs and normal numbers.
#[test]
fn the_first_entry_not_normal_is_the_plain_searchs() {
    let plain = |v: &[f64]| v.iter().copied().find(|x| *x != 0.0 && !x.is_normal());
    let bits = |x: Option<f64>| x.map(f64::to_bits);
    let base: Vec<f64> = (0..3000)
        .map(|k| match k % 4 {
            0 => 0.0,
            1 => -0.0,
            2 => f64::MIN_POSITIVE * (k as f64),
            _ => -1.5e300,
        })
        .collect();
    assert_eq!(super::first_not_normal(&base), None);
    for odd in [
        5e-324,
        -f64::MIN_POSITIVE / 2.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ] {
        for place in [0, 1, 1023, 1024, 1025, 2047, 2048, 2999] {
            let mut v = base.clone();
            v[place] = odd;
            v[2999.min(place + 700)] = 1e-310;
            assert_eq!(
                bits(super::first_not_normal(&v)),
                bits(plain(&v)),
                "{odd:e} at {place}"
            );
        }
    }
}

/// The plain coherence found with the enclosed one is the specification's `μ` of the filters
/// used, bit for bit, on layers of several shapes with zero taps and ties.
#[test]
fn the_plain_coherence_beside_the_enclosure_is_the_specifications() {
    for (seed, (n, m, m_previous)) in [(8, 16, 4), (3, 5, 2), (1, 6, 3), (4, 1, 5), (2, 2, 1)]
        .into_iter()
        .enumerate()
    {
        let layer = super::tests_shortcut::layer(n, m, m_previous, seed as u64 + 3);
        let screen = ScreenLayer::new(&layer, 1);
        let (enclosed, plain) = super::coherence::coherence_with_plain(&screen);
        let spec = crate::coherence::mutual_coherence(&screen.filters);
        assert_eq!(plain.to_bits(), spec.to_bits(), "{n} {m} {m_previous}");
        assert!(enclosed.lo <= plain && plain <= enclosed.hi);
    }
}
