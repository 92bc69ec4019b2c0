//! Two-dimensional positions as pairs of axes (`proofs/two_dimensions.md`): a one-dimensional
//! geometry read as a grid of one row gives every one-dimensional answer (G2); exchanging rows
//! and columns exchanges every answer (G3); patches and stripes of a grid geometry are what
//! their definitions say, checked against the taps themselves (G1).

use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, Padding};
use mlcsc_spec::strided_coherence::strided_displacements;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A stride of 1–3 and one of the three paddings, with the input length it fits: circular
/// lengths are multiples of the stride, the others at least the filter length after padding.
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
        Padding::Circular => stride * rng.random_range(1..=4),
        _ => taps + rng.random_range(0..=6),
    };
    (Geometry { stride, padding }, length)
}

/// A random two-dimensional layer: geometry, input grid, filter shape and output grid.
fn grid_layer(rng: &mut ChaCha8Rng) -> (GridGeometry, Grid, FilterShape, Grid) {
    let filter = FilterShape {
        rows: rng.random_range(1..=3),
        columns: rng.random_range(1..=3),
    };
    let (rows, height) = axis(rng, filter.rows);
    let (columns, width) = axis(rng, filter.columns);
    let geometry = GridGeometry { rows, columns };
    let input = Grid {
        rows: height,
        columns: width,
    };
    let output = geometry.output_grid(1, input, filter).expect("fits");
    (geometry, input, filter, output)
}

/// G2: a one-dimensional geometry as one row answers every question as it does.
#[test]
fn a_line_is_a_grid_of_one_row() {
    let mut rng = ChaCha8Rng::seed_from_u64(81);
    for _ in 0..300 {
        let n = rng.random_range(1..=5);
        let (geometry, length) = axis(&mut rng, n);
        let line = GridGeometry::line(geometry);
        let (input, filter) = (Grid::line(length), FilterShape::line(n));
        let output = line.output_grid(1, input, filter).expect("fits");
        let output_length = geometry.output_length(1, length, n).expect("fits");
        assert_eq!(output, Grid::line(output_length));
        for p in 0..output_length {
            for t in 0..n {
                assert_eq!(
                    line.input_position(p, t, input, output, filter),
                    geometry.input_position(p, t, length)
                );
            }
            assert_eq!(
                line.is_interior(p, input, output, filter),
                geometry.is_interior(p, length, n)
            );
            assert_eq!(
                line.stripe_positions(p, output, filter),
                geometry.stripe_positions(p, output_length, n)
            );
            assert_eq!(
                line.patch_positions(p, input, output, filter),
                geometry.patch_positions(p, length, n)
            );
        }
        let expected: Vec<(isize, isize)> = strided_displacements(n, geometry.stride)
            .into_iter()
            .map(|d| (0, d))
            .collect();
        assert_eq!(line.displacements(filter), expected);
    }
}

/// `p` of `grid` in the transposed grid.
fn transpose(grid: Grid, p: usize) -> usize {
    let (r, c) = grid.coordinates(p);
    grid.transposed().position(c, r)
}

/// G3: exchanging rows and columns of the geometry, the grids and the filters exchanges every
/// answer.
#[test]
fn transposing_a_grid_layer_transposes_every_answer() {
    let mut rng = ChaCha8Rng::seed_from_u64(82);
    for _ in 0..200 {
        let (geometry, input, filter, output) = grid_layer(&mut rng);
        let swapped = geometry.transposed();
        let (input_t, filter_t) = (input.transposed(), filter.transposed());
        let output_t = swapped.output_grid(1, input_t, filter_t).expect("fits");
        assert_eq!(output_t, output.transposed());
        for p in 0..output.positions() {
            let p_t = transpose(output, p);
            for t in 0..filter.taps() {
                let (i, j) = filter.coordinates(t);
                let t_t = filter_t.columns * j + i;
                assert_eq!(
                    swapped.input_position(p_t, t_t, input_t, output_t, filter_t),
                    geometry
                        .input_position(p, t, input, output, filter)
                        .map(|q| transpose(input, q))
                );
            }
            assert_eq!(
                swapped.is_interior(p_t, input_t, output_t, filter_t),
                geometry.is_interior(p, input, output, filter)
            );
            let mut stripe: Vec<usize> = geometry
                .stripe_positions(p, output, filter)
                .into_iter()
                .map(|q| transpose(output, q))
                .collect();
            let mut stripe_t = swapped.stripe_positions(p_t, output_t, filter_t);
            stripe.sort_unstable();
            stripe_t.sort_unstable();
            assert_eq!(stripe_t, stripe);
        }
    }
}

/// G1: the patch of `p` is the set of input positions its taps land on; two atoms whose
/// patches meet lie in each other's stripe; an atom of a layer without circular axes is
/// interior exactly when every tap lands.
#[test]
fn patches_and_stripes_of_a_grid_layer_follow_the_taps() {
    let mut rng = ChaCha8Rng::seed_from_u64(83);
    let mut meeting = 0;
    for _ in 0..200 {
        let (geometry, input, filter, output) = grid_layer(&mut rng);
        let landed = |p: usize| -> Vec<Option<usize>> {
            (0..filter.taps())
                .map(|t| geometry.input_position(p, t, input, output, filter))
                .collect()
        };
        for p in 0..output.positions() {
            let mut patch = geometry.patch_positions(p, input, output, filter);
            let mut taps: Vec<usize> = landed(p).into_iter().flatten().collect();
            patch.sort_unstable();
            taps.sort_unstable();
            taps.dedup();
            assert_eq!(patch, taps);
            let circular = [geometry.rows, geometry.columns]
                .iter()
                .any(|axis| axis.padding == Padding::Circular);
            if !circular {
                assert_eq!(
                    geometry.is_interior(p, input, output, filter),
                    landed(p).iter().all(Option::is_some)
                );
            }
            let stripe = geometry.stripe_positions(p, output, filter);
            for q in 0..output.positions() {
                let other = geometry.patch_positions(q, input, output, filter);
                if patch.iter().any(|x| other.contains(x)) {
                    meeting += 1;
                    assert!(stripe.contains(&q), "{q} meets {p} outside its stripe");
                }
            }
        }
    }
    assert!(meeting >= 1000, "only {meeting} meeting pairs");
}
