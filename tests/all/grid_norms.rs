//! The local norms and the Welch-type bound of image layers (`proofs/two_dimensions.md`, G7,
//! G8): each norm is its definition on the grid, written here from the taps and coordinates
//! alone; exchanging rows and columns keeps every one; a one-dimensional layer read as a
//! column gives its one-dimensional norms; the image Welch bound holds on unit filters, is the
//! Welch bound of the circular image dictionary on `N*_h × N*_w` positions, and a line's is the
//! one-dimensional bound.

use std::collections::BTreeSet;

use mlcsc::generate::unit_vectors::unit_rational_vector;
use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, Padding};
use mlcsc::scalar::Rational;
use mlcsc_spec::norms::{patch_norm_squared, patch_sparsity};
use mlcsc_spec::strided_coherence::{
    grid_welch_bound_squared, layer_welch_bound_squared, shortest_faithful_length,
    strided_coherence, strided_welch_bound_squared,
};
use mlcsc_spec::strided_norms::{
    any_window_patch_norm_squared, atom_support_patch_norm_squared, periodic_patch_norm_squared,
    periodic_patch_sparsity, strided_patch_sparsity, strided_stripe_count_at,
    strided_stripe_sparsity,
};
use num_traits::Zero;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::r;

/// One axis: a stride of 1–3 and a padding, with an input length it fits.
fn axis(rng: &mut ChaCha8Rng, taps: usize) -> (Geometry, usize) {
    let stride = rng.random_range(1..=3);
    let padding = match rng.random_range(0..3) {
        0 => Padding::Circular,
        1 => Padding::Zero {
            left: rng.random_range(0..=2),
            right: rng.random_range(0..=2),
        },
        _ => Padding::Valid,
    };
    let length = match padding {
        Padding::Circular => stride * rng.random_range(taps.div_ceil(stride).max(1)..=5),
        _ => taps + rng.random_range(0..=5),
    };
    (Geometry { stride, padding }, length)
}

/// A random image layer with small integer taps, and the input grid it reads.
fn image_layer(rng: &mut ChaCha8Rng) -> (Layer<Rational>, Grid) {
    let shape = FilterShape {
        rows: rng.random_range(1..=3),
        columns: rng.random_range(1..=3),
    };
    let (rows, height) = axis(rng, shape.rows);
    let (columns, width) = axis(rng, shape.columns);
    let (m, m_prev) = (rng.random_range(1..=2), rng.random_range(1..=2));
    let filters = (0..m)
        .map(|_| {
            (0..shape.taps())
                .map(|_| {
                    (0..m_prev)
                        .map(|_| r(rng.random_range(-2..=2), 1))
                        .collect()
                })
                .collect()
        })
        .collect();
    let layer = Layer::new_unchecked_norm(1, filters)
        .expect("shapes")
        .on_grid(1, shape, GridGeometry { rows, columns })
        .expect("taps");
    let input = Grid {
        rows: height,
        columns: width,
    };
    (layer, input)
}

/// A sparse random vector on `grid`: each entry nonzero with probability about one third.
fn sparse_on(rng: &mut ChaCha8Rng, grid: Grid, channels: usize) -> LayerVector<Rational> {
    let entries = (0..grid.positions() * channels)
        .map(|_| match rng.random_range(0..6) {
            0 => r(rng.random_range(1..=4), 1),
            1 => r(-rng.random_range(1..=4), 1),
            _ => Rational::zero(),
        })
        .collect();
    LayerVector::from_entries(grid.positions(), channels, entries)
        .and_then(|v| v.on_grid(grid))
        .expect("shape")
}

/// The vector with rows and columns exchanged.
fn transposed(v: &LayerVector<Rational>) -> LayerVector<Rational> {
    let grid = v.grid();
    let mut out = LayerVector::zeros_on(grid.transposed(), v.channels());
    for p in 0..grid.positions() {
        let (row, column) = grid.coordinates(p);
        for c in 0..v.channels() {
            out.set(
                grid.transposed().position(column, row),
                c,
                v.get(p, c).clone(),
            );
        }
    }
    out
}

/// The layer with rows and columns exchanged (taps moved with them).
fn transposed_layer(layer: &Layer<Rational>) -> Layer<Rational> {
    let shape = layer.filter_shape();
    let m_prev = layer.input_channels();
    let filters = (0..layer.filter_count())
        .map(|c| {
            (0..shape.taps())
                .map(|t| {
                    let (j, i) = shape.transposed().coordinates(t);
                    let at = shape.columns * i + j;
                    layer.filter(c)[at * m_prev..(at + 1) * m_prev].to_vec()
                })
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(1, filters)
        .expect("shapes")
        .on_grid(1, shape.transposed(), layer.grid_geometry().transposed())
        .expect("taps")
}

/// `Σ_c z²` and the nonzero count at every position.
fn per_position(v: &LayerVector<Rational>) -> (Vec<Rational>, Vec<usize>) {
    (0..v.length())
        .map(|q| {
            let values = v.at_position(q);
            let energy = values.iter().fold(Rational::zero(), |a, x| a + x * x);
            (energy, values.iter().filter(|x| !x.is_zero()).count())
        })
        .unzip()
}

/// From the taps alone: the largest energy and nonzero count over the input positions the
/// taps of one atom land on.
fn landed_maxima(layer: &Layer<Rational>, z: &LayerVector<Rational>) -> (Rational, usize) {
    let (geometry, shape, input) = (layer.grid_geometry(), layer.filter_shape(), z.grid());
    let output = geometry.output_grid(1, input, shape).expect("fits");
    let (energies, counts) = per_position(z);
    let mut best = (Rational::zero(), 0);
    for p in 0..output.positions() {
        let landed: BTreeSet<usize> = (0..shape.taps())
            .filter_map(|t| geometry.input_position(p, t, input, output, shape))
            .collect();
        let energy = landed
            .iter()
            .fold(Rational::zero(), |a, &q| a + &energies[q]);
        best.0 = best.0.max(energy);
        best.1 = best.1.max(landed.iter().map(|&q| counts[q]).sum());
    }
    best
}

/// From the coordinates alone: whether output position `q` lies in the stripe of `p`, each
/// axis's distance (cyclic when circular) at most `⌊(n − 1)/σ⌋`.
fn in_stripe(layer: &Layer<Rational>, output: Grid, p: usize, q: usize) -> bool {
    let (geometry, shape) = (layer.grid_geometry(), layer.filter_shape());
    let close = |axis: Geometry, a: usize, b: usize, size: usize, taps: usize| {
        let distance = a.abs_diff(b);
        let distance = match axis.padding {
            Padding::Circular => distance.min(size - distance),
            _ => distance,
        };
        distance <= (taps - 1) / axis.stride
    };
    let ((a_row, a_column), (b_row, b_column)) = (output.coordinates(p), output.coordinates(q));
    close(geometry.rows, a_row, b_row, output.rows, shape.rows)
        && close(
            geometry.columns,
            a_column,
            b_column,
            output.columns,
            shape.columns,
        )
}

/// From the coordinates alone: the largest sum of `values` over the periodic `h × w`
/// rectangles of `grid` (sides clipped to the grid's).
fn periodic_maximum<T: Clone + Ord + std::iter::Sum<T>>(
    values: &[T],
    grid: Grid,
    patch: FilterShape,
) -> T {
    let (h, w) = (patch.rows.min(grid.rows), patch.columns.min(grid.columns));
    (0..grid.positions())
        .map(|p| {
            let (row, column) = grid.coordinates(p);
            (0..h * w)
                .map(|k| {
                    let position =
                        grid.position((row + k / w) % grid.rows, (column + k % w) % grid.columns);
                    values[position].clone()
                })
                .sum()
        })
        .max()
        .expect("a position")
}

/// G7: on 300 random image layers, the stripe counts, the atom-support patch norm and
/// sparsity, and the periodic last patch are their definitions; any window bounds the atom
/// supports from above (with equality at stride 1, circular on both axes); and all of them
/// are kept by exchanging rows and columns.
#[test]
fn image_norms_are_their_definitions_and_survive_transposition() {
    let mut rng = ChaCha8Rng::seed_from_u64(97);
    let (mut two_dimensional, mut strided) = (0, 0);
    for _ in 0..300 {
        let (layer, input) = image_layer(&mut rng);
        let output = layer
            .grid_geometry()
            .output_grid(1, input, layer.filter_shape())
            .expect("fits");
        let z = sparse_on(&mut rng, input, layer.input_channels());
        let gamma = sparse_on(&mut rng, output, layer.filter_count());
        let (energy, count) = landed_maxima(&layer, &z);
        assert_eq!(
            atom_support_patch_norm_squared(1, &layer, &z).expect("fits"),
            energy
        );
        assert_eq!(strided_patch_sparsity(1, &z, &layer).expect("fits"), count);
        let (_, gamma_counts) = per_position(&gamma);
        for p in 0..output.positions() {
            let expected = (0..output.positions())
                .filter(|&q| in_stripe(&layer, output, p, q))
                .map(|q| gamma_counts[q])
                .sum::<usize>();
            assert_eq!(
                strided_stripe_count_at(&gamma, &layer, p),
                expected,
                "{layer:?} at {p}"
            );
        }
        let any = any_window_patch_norm_squared(&z, &layer);
        assert!(any >= energy);
        let geometry = layer.grid_geometry();
        if [geometry.rows, geometry.columns]
            .iter()
            .all(|a| a.is_paper())
        {
            assert_eq!(any, energy);
        }
        let patch = FilterShape {
            rows: rng.random_range(1..=3),
            columns: rng.random_range(1..=3),
        };
        assert_eq!(
            periodic_patch_sparsity(&gamma, patch),
            periodic_maximum(&gamma_counts, output, patch)
        );
        let transposed_layer = transposed_layer(&layer);
        let (z_t, gamma_t) = (transposed(&z), transposed(&gamma));
        assert_eq!(
            atom_support_patch_norm_squared(1, &transposed_layer, &z_t).expect("fits"),
            energy
        );
        assert_eq!(
            strided_patch_sparsity(1, &z_t, &transposed_layer).expect("fits"),
            count
        );
        assert_eq!(
            strided_stripe_sparsity(&gamma_t, &transposed_layer),
            strided_stripe_sparsity(&gamma, &layer)
        );
        assert_eq!(any_window_patch_norm_squared(&z_t, &transposed_layer), any);
        assert_eq!(
            periodic_patch_norm_squared(&gamma_t, patch.transposed()),
            periodic_patch_norm_squared(&gamma, patch)
        );
        two_dimensional += usize::from(input.rows > 1 && layer.filter_shape().rows > 1);
        strided += usize::from(geometry.rows.stride > 1 && geometry.columns.stride > 1);
    }
    assert!(
        two_dimensional >= 100 && strided >= 30,
        "{two_dimensional} two-dimensional, {strided} strided on both axes"
    );
}

/// G2 for the norms: a one-dimensional layer read as a column (`N × 1`) has its
/// one-dimensional norms, and the periodic last patch `1 × w` of a line is the
/// one-dimensional patch norm of width `w`.
#[test]
fn a_line_read_as_a_column_keeps_its_norms() {
    let mut rng = ChaCha8Rng::seed_from_u64(98);
    for _ in 0..200 {
        let n = rng.random_range(1..=4);
        let (geometry, length) = axis(&mut rng, n);
        let filters = (0..2)
            .map(|_| {
                (0..n)
                    .map(|_| vec![r(rng.random_range(-2..=2), 1)])
                    .collect()
            })
            .collect();
        let line = Layer::new_unchecked_norm(1, filters)
            .expect("shapes")
            .with_geometry(geometry);
        let column = transposed_layer(&line);
        let input = Grid::line(length);
        let output = line
            .grid_geometry()
            .output_grid(1, input, line.filter_shape())
            .expect("fits");
        let z = sparse_on(&mut rng, input, 1);
        let gamma = sparse_on(&mut rng, output, 2);
        let (z_column, gamma_column) = (transposed(&z), transposed(&gamma));
        assert_eq!(
            atom_support_patch_norm_squared(1, &column, &z_column).expect("fits"),
            atom_support_patch_norm_squared(1, &line, &z).expect("fits")
        );
        assert_eq!(
            strided_stripe_sparsity(&gamma_column, &column),
            strided_stripe_sparsity(&gamma, &line)
        );
        assert_eq!(
            any_window_patch_norm_squared(&z_column, &column),
            any_window_patch_norm_squared(&z, &line)
        );
        let width = rng.random_range(1..=length + 1);
        assert_eq!(
            periodic_patch_norm_squared(&z, FilterShape::line(width)),
            patch_norm_squared(&z, width)
        );
        assert_eq!(
            periodic_patch_sparsity(&gamma, FilterShape::line(width)),
            patch_sparsity(&gamma, width)
        );
    }
}

/// A layer of `m` unit filters of `shape` over `m_prev` channels, circular on both axes at
/// `strides`.
fn unit_image_layer(
    rng: &mut ChaCha8Rng,
    m: usize,
    shape: FilterShape,
    m_prev: usize,
    strides: (usize, usize),
) -> Layer<Rational> {
    let filters = (0..m)
        .map(|_| {
            let unit = unit_rational_vector(rng, shape.taps() * m_prev, 3);
            unit.chunks(m_prev).map(<[Rational]>::to_vec).collect()
        })
        .collect();
    let circular = |stride| Geometry {
        stride,
        padding: Padding::Circular,
    };
    let geometry = GridGeometry {
        rows: circular(strides.0),
        columns: circular(strides.1),
    };
    Layer::new(1, filters)
        .expect("unit filters")
        .on_grid(1, shape, geometry)
        .expect("taps")
}

/// G8: with `m > σ_h σ_w m_prev`, `μ² ≥ (m − σ m_prev)/(m_prev (m N*_h N*_w − σ))`,
/// `σ = σ_h σ_w`, on 200 layers of unit filters; the bound is the Welch bound of `A` unit
/// atoms in `R^d` for the circular image dictionary on `N*_h × N*_w` positions (counted from
/// its synthesis); a line's bound is the one-dimensional bound; and exchanging the axes keeps
/// it.
#[test]
fn the_image_welch_bound_holds_and_is_the_circular_dictionarys() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut strided = 0;
    for _ in 0..200 {
        let strides = (rng.random_range(1..=2), rng.random_range(1..=2));
        let m_prev = rng.random_range(1..=2);
        let m = strides.0 * strides.1 * m_prev + rng.random_range(1..=2);
        let shape = FilterShape {
            rows: rng.random_range(1..=3),
            columns: rng.random_range(1..=3),
        };
        let layer = unit_image_layer(&mut rng, m, shape, m_prev, strides);
        let bound = layer_welch_bound_squared(&layer).expect("m > σ m'");
        let mu = strided_coherence(&layer);
        assert!(&mu * &mu >= bound, "μ² = {} < {bound}", &mu * &mu);
        let period = Grid {
            rows: shortest_faithful_length(shape.rows, strides.0),
            columns: shortest_faithful_length(shape.columns, strides.1),
        };
        let output = layer
            .grid_geometry()
            .output_grid(1, period, shape)
            .expect("σ | N*");
        let atoms = output.positions() * m;
        let dimension = period.positions() * m_prev;
        assert_eq!(
            bound,
            r((atoms - dimension) as i64, (dimension * (atoms - 1)) as i64)
        );
        assert_eq!(
            layer_welch_bound_squared(&transposed_layer(&layer)),
            Some(bound)
        );
        strided += usize::from(strides.0 * strides.1 > 1);
    }
    assert!(strided >= 100, "σ_h σ_w > 1 in {strided}");
    for (m, n, m_prev, stride) in [(3, 2, 1, 1), (5, 3, 2, 2), (7, 4, 1, 3), (9, 1, 2, 4)] {
        let period = shortest_faithful_length(n, stride);
        let one_dimensional = r(
            (m - stride * m_prev) as i64,
            (m_prev * (m * period - stride)) as i64,
        );
        let line = grid_welch_bound_squared(m, FilterShape::line(n), m_prev, (1, stride));
        assert_eq!(line, Some(one_dimensional.clone()));
        assert_eq!(
            strided_welch_bound_squared(m, n, m_prev, stride),
            Some(one_dimensional)
        );
    }
}
