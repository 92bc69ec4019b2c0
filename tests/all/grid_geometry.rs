//! Two-dimensional positions as pairs of axes (`proofs/two_dimensions.md`): a one-dimensional
//! geometry read as a grid of one row gives every one-dimensional answer (G2); exchanging rows
//! and columns exchanges every answer (G3); patches and stripes of a grid geometry are what
//! their definitions say, checked against the taps themselves (G1); the image operators are
//! `conv2d` and its adjoint (G4), and a line read as a column gives the one-dimensional
//! operators (G2, G3).

use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, LayerVector, Padding};
use mlcsc::scalar::Rational;
use mlcsc_spec::strided_coherence::{strided_coherence, strided_displacements};
use mlcsc_spec::strided_operators::{
    grid_analysis, grid_synthesis, strided_analysis, strided_synthesis,
};
use num_traits::{Signed, Zero};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::r;

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

/// A random image layer with small integer taps (`m` filters of `n_h × n_w` taps over `m'`
/// channels; unit norm is not needed for the operators), its grid geometry, and an input
/// grid it fits.
fn image_layer(rng: &mut ChaCha8Rng) -> (mlcsc::model::Layer<Rational>, Grid, (usize, usize)) {
    let (geometry, input, filter, _) = grid_layer(rng);
    let (m, m_prev) = (rng.random_range(1..=2), rng.random_range(1..=2));
    let filters = random_filters(rng, m, filter.taps(), m_prev);
    let layer = mlcsc::model::Layer::new_unchecked_norm(1, filters)
        .expect("shapes")
        .on_grid(1, filter, geometry)
        .expect("taps");
    (layer, input, (m, m_prev))
}

/// `m` filters of `taps` taps over `m'` channels, small integers `f[c][t][c']`.
fn random_filters(
    rng: &mut ChaCha8Rng,
    m: usize,
    taps: usize,
    m_prev: usize,
) -> Vec<Vec<Vec<Rational>>> {
    (0..m)
        .map(|_| {
            (0..taps)
                .map(|_| {
                    (0..m_prev)
                        .map(|_| r(rng.random_range(-3..=3), 1))
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// A random vector on `grid` with `channels` channels.
fn vector_on(rng: &mut ChaCha8Rng, grid: Grid, channels: usize) -> LayerVector<Rational> {
    let entries = (0..grid.positions() * channels)
        .map(|_| r(rng.random_range(-4..=4), 1))
        .collect();
    LayerVector::from_entries(grid.positions(), channels, entries)
        .and_then(|v| v.on_grid(grid))
        .expect("shape")
}

/// `Z̃[c', (a, b)]`: the input extended on each axis by zeros, or periodically when that
/// axis is circular (written here from the definition of PyTorch's `conv2d`, independently
/// of the library's position rules).
fn extended(
    z: &LayerVector<Rational>,
    geometry: GridGeometry,
    a: isize,
    b: isize,
    k: usize,
) -> Rational {
    let grid = z.grid();
    let place = |axis: Geometry, x: isize, size: usize| -> Option<usize> {
        let start = axis.padding.amounts().0 as isize;
        match axis.padding {
            Padding::Circular => Some(x.rem_euclid(size as isize) as usize),
            _ => {
                let x = x - start;
                (0..size as isize).contains(&x).then_some(x as usize)
            }
        }
    };
    match (
        place(geometry.rows, a, grid.rows),
        place(geometry.columns, b, grid.columns),
    ) {
        (Some(row), Some(column)) => z.get(grid.position(row, column), k).clone(),
        _ => Rational::zero(),
    }
}

/// The image analysis is the two-dimensional correlation `conv2d` computes, with strides
/// and paddings per axis, on 150 random layers; and `D` is its adjoint:
/// `⟨D Γ, Z⟩ = ⟨Γ, Dᵀ Z⟩`.
#[test]
fn image_analysis_is_conv2d_and_synthesis_its_adjoint() {
    let mut rng = ChaCha8Rng::seed_from_u64(84);
    for case in 0..150 {
        let (layer, input, (m, m_prev)) = image_layer(&mut rng);
        let geometry = layer.grid_geometry();
        let filter = layer.filter_shape();
        let z = vector_on(&mut rng, input, m_prev);
        let analysed = grid_analysis(1, &layer, &z).expect("fits");
        let output = analysed.grid();
        for p in 0..output.positions() {
            let (r0, c0) = output.coordinates(p);
            for k in 0..m {
                let mut expected = Rational::zero();
                for t in 0..filter.taps() {
                    let (i, j) = filter.coordinates(t);
                    let a = (geometry.rows.stride * r0 + i) as isize;
                    let b = (geometry.columns.stride * c0 + j) as isize;
                    for c in 0..m_prev {
                        expected += layer.tap(k, t, c).clone() * extended(&z, geometry, a, b, c);
                    }
                }
                assert_eq!(
                    analysed.get(p, k),
                    &expected,
                    "case {case}, ({r0}, {c0}), {k}"
                );
            }
        }
        let gamma = vector_on(&mut rng, output, m);
        let synthesised = grid_synthesis(1, &layer, input, &gamma).expect("fits");
        assert_eq!(synthesised.grid(), input);
        assert_eq!(
            synthesised.inner_product(&z),
            gamma.inner_product(&analysed),
            "case {case}"
        );
    }
}

/// A one-dimensional layer read as a column (`N × 1`, filters `n × 1`, its geometry on the
/// rows) gives the one-dimensional operators' numbers, entry for entry.
#[test]
fn a_line_read_as_a_column_gives_the_one_dimensional_operators() {
    let mut rng = ChaCha8Rng::seed_from_u64(85);
    for _ in 0..150 {
        let n = rng.random_range(1..=4);
        let (geometry, length) = axis(&mut rng, n);
        let m_prev = rng.random_range(1..=2);
        let filters = random_filters(&mut rng, 2, n, m_prev);
        let line = mlcsc::model::Layer::new_unchecked_norm(1, filters)
            .expect("shapes")
            .with_geometry(geometry);
        let column = line
            .clone()
            .on_grid(
                1,
                FilterShape::line(n).transposed(),
                GridGeometry::line(geometry).transposed(),
            )
            .expect("taps");
        let z = vector_on(&mut rng, Grid::line(length), m_prev);
        let z_column = z
            .clone()
            .on_grid(Grid::line(length).transposed())
            .expect("shape");
        let one = strided_analysis(1, &line, &geometry, &z).expect("fits");
        let two = grid_analysis(1, &column, &z_column).expect("fits");
        assert_eq!(two.entries(), one.entries());
        let back_one = strided_synthesis(1, &line, &geometry, length, &one).expect("fits");
        let back_two =
            grid_synthesis(1, &column, Grid::line(length).transposed(), &two).expect("fits");
        assert_eq!(back_two.entries(), back_one.entries());
    }
}

/// An image model's synthesis chain is the image synthesis layer by layer, each `Γ_i` on the
/// model's grid, and the model's analysis operator is the image analysis.
#[test]
fn an_image_model_synthesises_and_analyses_on_its_grids() {
    let mut rng = ChaCha8Rng::seed_from_u64(86);
    let mut two_dimensional = 0;
    for case in 0..100 {
        let (first, input, (m, m_prev)) = image_layer(&mut rng);
        let Ok(model) = mlcsc::model::Model::on_grid(input, m_prev, vec![first.clone()]) else {
            continue;
        };
        let output = model.grid(1);
        let gamma = vector_on(&mut rng, output, m);
        let chain = model.synthesis_chain(&gamma).expect("shapes");
        let expected = grid_synthesis(1, &first, input, &gamma).expect("fits");
        assert_eq!(chain[0], expected, "case {case}");
        assert_eq!(chain[1].grid(), output);
        let z = vector_on(&mut rng, input, m_prev);
        assert_eq!(
            mlcsc_spec::operators::analysis(&first, &z),
            grid_analysis(1, &first, &z).expect("fits")
        );
        two_dimensional += usize::from(input.rows > 1 && input.columns > 1);
    }
    assert!(two_dimensional >= 50, "only {two_dimensional} image models");
}

/// The engines take the specification's loops for vectors of several rows: a paper layer
/// (`1 × n` filters, circular columns) over a grid of 3 rows is analysed row by row, never
/// wrapping one row into the next, exactly (integer views) and in `f64` (the vector kernels),
/// and the `f64` synthesis chain lands on the model's grid.
#[test]
fn engines_keep_rows_apart_on_an_image_grid() {
    let mut rng = ChaCha8Rng::seed_from_u64(87);
    for case in 0..60 {
        let n = rng.random_range(2..=3);
        let filters: Vec<Vec<Vec<Rational>>> = (0..2)
            .map(|_| {
                (0..n)
                    .map(|_| vec![r(rng.random_range(-3..=3), 1)])
                    .collect()
            })
            .collect();
        let layer = mlcsc::model::Layer::new_unchecked_norm(1, filters).expect("shapes");
        let grid = Grid {
            rows: 3,
            columns: 2 * n + rng.random_range(0..3),
        };
        let z = vector_on(&mut rng, grid, 1);
        let spec = mlcsc_spec::operators::analysis(&layer, &z);
        assert_eq!(spec.grid(), grid);
        assert_eq!(
            mlcsc_engines::integer_views::analysis(&layer, &z),
            spec,
            "case {case}"
        );
        let layer_f64 = layer.map(mlcsc::scalar::Scalar::to_f64);
        let fast = mlcsc_engines::fast::analysis(&layer_f64, &z.to_f64());
        assert_eq!(
            fast,
            mlcsc_spec::operators::analysis(&layer_f64, &z.to_f64())
        );
        let model = mlcsc::model::Model::on_grid(grid, 1, vec![layer_f64]).expect("a model");
        let gamma = vector_on(&mut rng, grid, 2).to_f64();
        let mut chain = Vec::new();
        mlcsc_engines::fast::synthesis_chain_into(&model, &gamma, &mut chain);
        assert_eq!(chain[0], model.synthesis_chain(&gamma).expect("shapes")[0]);
    }
}

/// `e_{p,c}` on `grid` with `channels` channels.
fn unit_coefficient(grid: Grid, channels: usize, p: usize, c: usize) -> LayerVector<Rational> {
    let mut e = LayerVector::zeros_on(grid, channels);
    e.set(p, c, r(1, 1));
    e
}

/// G5: on an image layer circular on both axes, each axis at least `2n − 1` long and a
/// multiple of its stride, the strided coherence is the largest off-diagonal entry of the
/// Gram matrix of the atoms `D e_{p,c}` (atoms built by the image synthesis).
#[test]
fn image_coherence_is_the_largest_off_diagonal_gram_entry() {
    let mut rng = ChaCha8Rng::seed_from_u64(88);
    for case in 0..40 {
        let filter = FilterShape {
            rows: rng.random_range(1..=3),
            columns: rng.random_range(1..=3),
        };
        let axis = |rng: &mut ChaCha8Rng, taps: usize| {
            let stride = rng.random_range(1..=2);
            let length = stride * (2 * taps - 1).div_ceil(stride);
            (
                Geometry {
                    stride,
                    padding: Padding::Circular,
                },
                length,
            )
        };
        let (rows, height) = axis(&mut rng, filter.rows);
        let (columns, width) = axis(&mut rng, filter.columns);
        let (m, m_prev) = (rng.random_range(1..=2), rng.random_range(1..=2));
        let layer = mlcsc::model::Layer::new_unchecked_norm(
            1,
            random_filters(&mut rng, m, filter.taps(), m_prev),
        )
        .expect("shapes")
        .on_grid(1, filter, GridGeometry { rows, columns })
        .expect("taps");
        let input = Grid {
            rows: height,
            columns: width,
        };
        let output = layer
            .grid_geometry()
            .output_grid(1, input, filter)
            .expect("fits");
        let atoms: Vec<LayerVector<Rational>> = (0..output.positions())
            .flat_map(|p| (0..m).map(move |c| (p, c)))
            .map(|(p, c)| {
                let e = unit_coefficient(output, m, p, c);
                grid_synthesis(1, &layer, input, &e).expect("fits")
            })
            .collect();
        let mut largest = Rational::zero();
        for (a, first) in atoms.iter().enumerate() {
            for second in &atoms[a + 1..] {
                largest = largest.max(first.inner_product(second).abs());
            }
        }
        assert_eq!(strided_coherence(&layer), largest, "case {case}");
    }
}

/// G6: one separable unit filter `f ⊗ g` (rows `f`, columns `g`) has coherence
/// `max(μ_f, μ_g)`, each factor's strided coherence on its own axis.
#[test]
fn a_separable_filter_has_the_larger_coherence_of_its_factors() {
    let factors: [&[(i64, i64)]; 4] = [
        &[(3, 5), (4, 5)],
        &[(1, 1)],
        &[(2, 3), (2, 3), (1, 3)],
        &[(12, 13), (0, 1), (5, 13)],
    ];
    let line = |taps: &[(i64, i64)], stride: usize| {
        let filter = vec![taps.iter().map(|&(a, b)| vec![r(a, b)]).collect()];
        mlcsc::model::Layer::new(1, filter)
            .expect("a unit filter")
            .with_geometry(Geometry {
                stride,
                padding: Padding::Valid,
            })
    };
    for f in factors {
        for g in factors {
            for (sigma_h, sigma_w) in [(1, 1), (1, 2), (2, 1), (2, 2)] {
                let taps: Vec<Vec<Rational>> = f
                    .iter()
                    .flat_map(|&(a, b)| g.iter().map(move |&(c, d)| vec![r(a * c, b * d)]))
                    .collect();
                let geometry = GridGeometry {
                    rows: Geometry {
                        stride: sigma_h,
                        padding: Padding::Valid,
                    },
                    columns: Geometry {
                        stride: sigma_w,
                        padding: Padding::Valid,
                    },
                };
                let shape = FilterShape {
                    rows: f.len(),
                    columns: g.len(),
                };
                let separable = mlcsc::model::Layer::new(1, vec![taps])
                    .expect("a unit filter")
                    .on_grid(1, shape, geometry)
                    .expect("taps");
                let expected =
                    strided_coherence(&line(f, sigma_h)).max(strided_coherence(&line(g, sigma_w)));
                assert_eq!(
                    strided_coherence(&separable),
                    expected,
                    "{f:?} ⊗ {g:?}, strides ({sigma_h}, {sigma_w})"
                );
            }
        }
    }
}
