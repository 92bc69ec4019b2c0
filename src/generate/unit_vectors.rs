//! Exactly unit rational vectors, from the inverse stereographic projection of docs/math.md §1,
//!
//! ```text
//! t ∈ Q^{k-1}  ↦  (2t, |t|² - 1) / (|t|² + 1),
//! ```
//!
//! whose image has squared norm `(4|t|² + (|t|² - 1)²) / (|t|² + 1)² = 1` for every `t`, and
//! which is rational when `t` is: random ones (two draws of `t`, each its own stream), and the
//! one nearest a given direction.

use num_bigint::BigInt;
use num_integer::Integer;
use rand::{Rng, RngExt};

use crate::scalar::Rational;

pub(crate) use crate::scalar::ratio as rational;

/// The inverse stereographic projection of `t ∈ Q^{k-1}` onto the unit sphere of `Q^k`, with
/// the pole coordinate at index `pole` and its sign `pole_sign`:
/// `v_i = 2 t_i / (|t|² + 1)` for `i ≠ pole`, `v_pole = pole_sign · (1 - |t|²) / (|t|² + 1)`.
/// `t = 0` maps to `pole_sign · e_pole`. The result has squared norm exactly 1.
///
/// `t_i = a_i / D` is given by its numerators over one denominator `D ≥ 1`; with
/// `S = Σ a_i²` the entries are the integer fractions `2 a_i D / (D² + S)` and
/// `pole_sign (D² − S) / (D² + S)`, computed on machine words when they fit.
fn inverse_stereographic(
    numerators: &[i64],
    denominator: i64,
    pole: usize,
    pole_sign: i64,
) -> Vec<Rational> {
    let words = || -> Option<Vec<Rational>> {
        let d = i128::from(denominator);
        let d2 = d.checked_mul(d)?;
        let mut s: i128 = 0;
        for &a in numerators {
            s = s.checked_add(i128::from(a).checked_mul(i128::from(a))?)?;
        }
        let scale = d2.checked_add(s)?;
        let mut free = numerators.iter();
        (0..=numerators.len())
            .map(|i| {
                let numerator = if i == pole {
                    i128::from(pole_sign).checked_mul(d2 - s)?
                } else {
                    let a = i128::from(*free.next().expect("k - 1 free coordinates"));
                    a.checked_mul(2 * d)?
                };
                Some(wide_ratio(numerator, scale))
            })
            .collect()
    };
    words().unwrap_or_else(|| {
        let d = BigInt::from(denominator);
        let d2 = &d * &d;
        let s: BigInt = numerators.iter().map(|&a| BigInt::from(a) * a).sum();
        let scale = &d2 + &s;
        let mut free = numerators.iter();
        (0..=numerators.len())
            .map(|i| {
                let numerator = if i == pole {
                    (&d2 - &s) * pole_sign
                } else {
                    BigInt::from(*free.next().expect("k - 1 free coordinates")) * 2 * &d
                };
                Rational::new(numerator, scale.clone())
            })
            .collect()
    })
}

/// `n / d` for `d > 0`, reduced on machine words.
fn wide_ratio(n: i128, d: i128) -> Rational {
    let g = n.unsigned_abs().gcd(&d.unsigned_abs()) as i128;
    Rational::new_raw(BigInt::from(n / g), BigInt::from(d / g))
}

/// A random exactly unit-norm rational vector of `length` entries.
///
/// Draws `t ∈ Q^{length-1}` with entries `a / denominator`, `a` uniform in
/// `-denominator..=denominator` (so `t ∈ [-1, 1]^{length-1}`, zero included), maps it by the
/// inverse stereographic projection `(2t, |t|² - 1) / (|t|² + 1)`, then flips the sign of the
/// pole coordinate at random and moves it to a random index, so that no coordinate is special.
/// Entries have denominators dividing `Σ_i a_i² + denominator²` (small). `t = 0` gives a Dirac
/// vector `±e_j`. `length = 1` gives `±1`.
///
/// # Panics
///
/// If `length = 0` or `denominator < 1`.
pub fn unit_rational_vector<R: Rng + ?Sized>(
    rng: &mut R,
    length: usize,
    denominator: i64,
) -> Vec<Rational> {
    assert!(length >= 1, "a unit vector needs at least one entry");
    assert!(denominator >= 1, "the denominator must be at least 1");
    let t: Vec<i64> = (0..length - 1)
        .map(|_| rng.random_range(-denominator..=denominator))
        .collect();
    let pole = rng.random_range(0..length);
    let pole_sign = if rng.random_bool(0.5) { 1 } else { -1 };
    inverse_stereographic(&t, denominator, pole, pole_sign)
}

/// The exactly unit rational vector near a direction.
///
/// Construction: normalise `u = direction / ‖direction‖` (in `f64`); take the pole index `j` of
/// the largest `|u_j|` and `σ = sign(u_j)`. The stereographic projection from the antipode
/// `-σ e_j` gives coordinates `t_i = u_i / (1 + σ u_j)` for `i ≠ j`; since
/// `σ u_j = |u_j| ≥ |u_i|`, `|t_i| ≤ |u_j| / (1 + |u_j|) < 1/2`, so the chart is well
/// conditioned (this is the "reflect at the pole" step: the pole of the chart, `-σ e_j`, is
/// never near `u`, so a direction near `+e_k` is handled like any other).
/// Each `t_i` is rounded to the nearest multiple of `1 / denominator`, and the inverse
/// projection `v_i = 2 t_i / (|t|² + 1)`, `v_j = σ (1 - |t|²) / (|t|² + 1)` returns an exactly
/// unit rational vector. The inverse projection is 2-Lipschitz in `t`, so
/// `‖v - u‖ ≤ sqrt(k - 1) / denominator` up to the `f64` rounding of `u`.
///
/// A zero direction is read as `e_0`. `length = 1` gives `sign(direction) = ±1` (`+1` for 0).
///
/// # Panics
///
/// If `direction` is empty or has a non-finite entry, or `denominator < 1`.
pub fn unit_rational_near(direction: &[f64], denominator: i64) -> Vec<Rational> {
    assert!(
        !direction.is_empty(),
        "a unit vector needs at least one entry"
    );
    assert!(
        direction.iter().all(|v| v.is_finite()),
        "the direction must be finite"
    );
    assert!(denominator >= 1, "the denominator must be at least 1");
    // Dividing by the largest magnitude first avoids overflow and underflow of the norm.
    let largest = direction.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let u: Vec<f64> = if largest > 0.0 {
        let scaled: Vec<f64> = direction.iter().map(|v| v / largest).collect();
        let norm = scaled.iter().map(|v| v * v).sum::<f64>().sqrt();
        scaled.iter().map(|v| v / norm).collect()
    } else {
        let mut e = vec![0.0; direction.len()];
        e[0] = 1.0;
        e
    };
    let pole = (0..u.len())
        .max_by(|&a, &b| u[a].abs().total_cmp(&u[b].abs()))
        .expect("nonempty");
    let sigma: i64 = if u[pole] < 0.0 { -1 } else { 1 };
    let chart_scale = 1.0 + sigma as f64 * u[pole];
    let t: Vec<i64> = (0..u.len())
        .filter(|&i| i != pole)
        .map(|i| {
            let ti = u[i] / chart_scale;
            (ti * denominator as f64).round() as i64
        })
        .collect();
    inverse_stereographic(&t, denominator, pole, sigma)
}

/// A random exactly unit rational vector of `length` entries with the pole last: `t_j = a_j /
/// denominator` with integers `|a_j| ≤ 2 · denominator`, mapped to `(2t, |t|² - 1) / (|t|² + 1)`
/// (a wider spread of `t` than [`unit_rational_vector`], and no random pole). `length = 1`
/// gives `±1`.
///
/// # Panics
///
/// If `length = 0` or `denominator < 1`.
pub fn unit_rational_vector_pole_last<R: Rng + ?Sized>(
    rng: &mut R,
    length: usize,
    denominator: i64,
) -> Vec<Rational> {
    assert!(length >= 1, "a unit vector needs at least one entry");
    assert!(denominator >= 1, "the denominator must be at least 1");
    if length == 1 {
        return vec![rational(if rng.random_bool(0.5) { 1 } else { -1 }, 1)];
    }
    let t: Vec<i64> = (0..length - 1)
        .map(|_| rng.random_range(-2 * denominator..=2 * denominator))
        .collect();
    inverse_stereographic(&t, denominator, length - 1, -1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::strategies::seeded_rng;
    use num_traits::{One, Zero};

    fn squared_norm(v: &[Rational]) -> Rational {
        v.iter().fold(Rational::zero(), |acc, x| acc + x * x)
    }

    #[test]
    fn the_projection_on_integer_numerators_is_the_rational_formula() {
        // v_i = 2 t_i / (|t|² + 1), v_pole = σ (1 − |t|²) / (|t|² + 1), in big rationals.
        let formula = |a: &[i64], d: i64, pole: usize, sign: i64| -> Vec<Rational> {
            let t: Vec<Rational> = a.iter().map(|&x| rational(x, d)).collect();
            let s = squared_norm(&t);
            let scale = Rational::one() + &s;
            let mut free = t.iter();
            (0..=t.len())
                .map(|i| {
                    if i == pole {
                        rational(sign, 1) * (Rational::one() - &s) / &scale
                    } else {
                        rational(2, 1) * free.next().unwrap() / &scale
                    }
                })
                .collect()
        };
        let huge = i64::MAX / 3;
        let cases: [(&[i64], i64); 5] = [
            (&[], 1),
            (&[0, 0], 7),
            (&[3, -4, 12], 5),
            (&[1, 2, 3, 4, 5, 6], 256),
            (&[huge, -huge], huge),
        ];
        for (a, d) in cases {
            for pole in 0..=a.len() {
                for sign in [1, -1] {
                    let v = inverse_stereographic(a, d, pole, sign);
                    assert_eq!(v, formula(a, d, pole, sign), "a = {a:?}, d = {d}");
                    assert!(squared_norm(&v).is_one());
                }
            }
        }
    }

    #[test]
    fn every_random_unit_vector_has_exactly_unit_norm() {
        let mut rng = seeded_rng(7);
        for length in 1..=12 {
            for denominator in 1..=6 {
                for _ in 0..20 {
                    for v in [
                        unit_rational_vector(&mut rng, length, denominator),
                        unit_rational_vector_pole_last(&mut rng, length, denominator),
                    ] {
                        assert_eq!(v.len(), length);
                        assert!(squared_norm(&v).is_one(), "{v:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_unit_vector_near_a_direction_is_unit_and_close() {
        let directions: [&[f64]; 7] = [
            &[1.0, 2.0, 3.0],
            &[0.0, 0.0, 1.0],
            &[0.0, 0.0, -1.0],
            &[-5.0, 0.1, 0.2, 0.3],
            &[1e300, 1e300],
            &[0.0, 0.0],
            &[-2.0],
        ];
        for direction in directions {
            for denominator in [1, 10, 1000] {
                let v = unit_rational_near(direction, denominator);
                assert!(squared_norm(&v).is_one(), "{direction:?} → {v:?}");
                let largest = direction.iter().fold(0.0f64, |a, x| a.max(x.abs()));
                if largest > 0.0 {
                    let scaled: Vec<f64> = direction.iter().map(|x| x / largest).collect();
                    let norm = scaled.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let distance = v
                        .iter()
                        .zip(&scaled)
                        .map(|(a, b)| (crate::scalar::rational_to_f64(a) - b / norm).powi(2))
                        .sum::<f64>()
                        .sqrt();
                    let allowed = ((direction.len() - 1) as f64).sqrt() / denominator as f64;
                    assert!(distance <= allowed + 1e-12, "{direction:?}: {distance}");
                }
            }
        }
    }

    #[test]
    fn a_direction_at_the_pole_gives_the_pole_exactly() {
        let v = unit_rational_near(&[0.0, 0.0, 1.0], 5);
        assert_eq!(v, vec![Rational::zero(), Rational::zero(), Rational::one()]);
        let v = unit_rational_near(&[0.0, -3.0], 5);
        assert_eq!(v, vec![Rational::zero(), -Rational::one()]);
    }
}
