//! Tiny exact dictionaries with exact coherence, named, for the exhaustive checks (uniqueness,
//! stripe spark, stripe RIP, stability; docs/math.md §1).

use crate::model::Layer;
use crate::scalar::Rational;

use crate::scalar::ratio as r;

/// Tiny dictionaries with exact coherence, named, for exhaustive enumerations: two-tap filters
/// from Pythagorean triples, three-tap filters with entries in thirds, a four-tap pair designed
/// for low coherence (`μ = 49/153 < 1/3`, so that budgets `λ = 2` lie below `½(1 + 1/μ)`;
/// found by hill climbing and rounded on the sphere by stereographic projection), and
/// two-channel filters (entries `±1/2`, or single-tap unit vectors). Each is a valid layer for
/// every `N ≥ 2n - 1`.
pub fn catalogue() -> Vec<(&'static str, Layer<Rational>)> {
    let single = |taps: &[(i64, i64)]| -> Vec<Vec<Rational>> {
        taps.iter().map(|&(a, b)| vec![r(a, b)]).collect()
    };
    let entries = |rows: &[[i64; 2]], d: i64| -> Vec<Vec<Rational>> {
        rows.iter()
            .map(|row| row.iter().map(|&a| r(a, d)).collect())
            .collect()
    };
    let layer = |filters: Vec<Vec<Vec<Rational>>>| Layer::new(1, filters).expect("unit filters");
    vec![
        (
            "pythagorean-3-4-pair",
            layer(vec![single(&[(3, 5), (4, 5)]), single(&[(4, 5), (-3, 5)])]),
        ),
        (
            "pythagorean-5-12-pair",
            layer(vec![
                single(&[(5, 13), (12, 13)]),
                single(&[(12, 13), (-5, 13)]),
            ]),
        ),
        (
            "pythagorean-mixed-pair",
            layer(vec![
                single(&[(3, 5), (4, 5)]),
                single(&[(5, 13), (-12, 13)]),
            ]),
        ),
        (
            "pythagorean-3-4-triple",
            layer(vec![
                single(&[(3, 5), (4, 5)]),
                single(&[(4, 5), (-3, 5)]),
                single(&[(1, 1), (0, 1)]),
            ]),
        ),
        (
            "dirac-and-3-4",
            layer(vec![single(&[(1, 1), (0, 1)]), single(&[(3, 5), (4, 5)])]),
        ),
        (
            "thirds-three-tap-pair",
            layer(vec![
                single(&[(2, 3), (-1, 3), (-2, 3)]),
                single(&[(1, 3), (2, 3), (2, 3)]),
            ]),
        ),
        (
            "halves-two-channel-pair",
            layer(vec![
                entries(&[[1, 1], [1, -1]], 2),
                entries(&[[1, -1], [-1, -1]], 2),
            ]),
        ),
        (
            "designed-four-tap-pair",
            layer(vec![
                single(&[(20, 51), (22, 51), (6, 51), (-41, 51)]),
                single(&[(-20, 51), (-22, 51), (6, 51), (-41, 51)]),
            ]),
        ),
        (
            "point-two-channel-triple",
            layer(vec![
                entries(&[[1, 0]], 1),
                entries(&[[3, 4]], 5),
                entries(&[[0, 1]], 1),
            ]),
        ),
        (
            "halves-two-channel-triple",
            layer(vec![
                entries(&[[1, 1], [1, -1]], 2),
                entries(&[[1, -1], [-1, -1]], 2),
                entries(&[[1, 1], [-1, 1]], 2),
            ]),
        ),
    ]
}
