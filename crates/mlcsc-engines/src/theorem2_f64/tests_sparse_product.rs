//! The sparse product `D̂ Γ` ([`sparse_synthesis`]) against the fast kernel on the dense
//! input, bit for bit (signed zeros included), and its condition on the products.

use super::sparse_sums::{products_on_the_grid, sparse_synthesis};
use super::tests_shortcut::{layer, sparse, stream};
use crate::fast;
use crate::model::LayerVector;

/// `nonzero` as a dense `length × m` vector.
fn dense(length: usize, m: usize, nonzero: &[(usize, f64)]) -> LayerVector<f64> {
    let mut entries = vec![0.0; length * m];
    for (k, w) in nonzero {
        entries[*k] = *w;
    }
    LayerVector::from_entries(length, m, entries).expect("shape")
}

/// Whether the sparse product, when given, is the kernel's bit for bit; and whether it was
/// given.
fn agrees(n: usize, m: usize, m_previous: usize, length: usize, nonzero: &[(usize, f64)]) -> bool {
    let filters = layer(n, m, m_previous, (n * 31 + m * 7 + length) as u64);
    let Some(sparse) = sparse_synthesis(&filters, length, nonzero) else {
        return false;
    };
    let kernel = fast::synthesis(&filters, &dense(length, m, nonzero));
    for (k, (a, b)) in sparse.iter().zip(kernel.entries()).enumerate() {
        assert_eq!(
            a.to_bits(),
            b.to_bits(),
            "n {n}, m {m}, N {length}, entry {k}: {a:e} against {b:e}"
        );
    }
    true
}

#[test]
fn the_sparse_product_is_the_kernels_bit_for_bit() {
    let mut compared = 0;
    for (seed, (n, m, m_previous, length)) in [
        (8, 64, 32, 200),
        (8, 32, 16, 64),
        (3, 5, 8, 11),
        (2, 7, 12, 40),
        (8, 16, 8, 16),
    ]
    .into_iter()
    .enumerate()
    {
        for spread in [16, 40, 400] {
            // Signs at random, and pairs of opposite entries whose products may cancel.
            let mut sign = stream(seed as u64 + 99);
            let mut nonzero = sparse(length * m, spread, 5 * seed as u64 + spread);
            for entry in &mut nonzero {
                if sign() % 2 == 0 {
                    entry.1 = -entry.1;
                }
            }
            compared += usize::from(agrees(n, m, m_previous, length, &nonzero));
            let mut paired: Vec<(usize, f64)> = (nonzero.iter())
                .flat_map(|&(k, w)| [(k, w), (k + m, -w)])
                .filter(|(k, _)| *k < length * m)
                .collect();
            paired.sort_by_key(|(k, _)| *k);
            paired.dedup_by_key(|(k, _)| *k);
            compared += usize::from(agrees(n, m, m_previous, length, &paired));
        }
    }
    assert!(compared >= 12, "{compared}");
}

/// A product below the subnormal range rounds to `−0` where the tap is negative, and the
/// kernel's later zero terms turn that into `+0` where a tap is positive: the condition
/// refuses such weights, and the product is then the kernel's alone.
#[test]
fn products_off_the_grid_are_left_to_the_kernel() {
    let (n, m, m_previous, length) = (8, 32, 16, 64);
    for channel in [0, 5] {
        let nonzero = [(20 * m + channel, 5e-324), (41 * m + 3, 0.5)];
        assert!(!agrees(n, m, m_previous, length, &nonzero));
    }
    let taps = [0.0, -0.25, 1.0];
    assert!(products_on_the_grid(&taps, &[0.0, 2f64.powi(-964)]));
    assert!(!products_on_the_grid(&taps, &[2f64.powi(-965)]));
    assert!(!products_on_the_grid(&taps, &[1.0, f64::INFINITY]));
    assert!(!products_on_the_grid(&taps, &[1.0, f64::NAN]));
    assert!(!products_on_the_grid(&[f64::INFINITY, 1.0], &[1.0]));
}
