//! The fast image analysis (`mlcsc::fast::image`) against the specification: `grid_analysis`
//! followed by the thresholding of each channel at its own `β_{i,c}`, on generated image layers
//! (strides 1–3 and zero, valid or circular padding on each axis independently, 1–4 channels,
//! filters up to 5 × 5, grids up to 16 × 16), in `f64` within `OPERATOR_AGREEMENT_RELATIVE`
//! and in `f32` within `SINGLE_AGREEMENT_RELATIVE` of the largest magnitude; and transposing
//! height and width transposes the result.

use mlcsc::Threshold;
use mlcsc::fast::image::{ImageAnalysis, image_thresholded_analysis, threshold_channels};
use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, Padding};
use mlcsc::pursuit::Thresholding;
use mlcsc::tolerance::{OPERATOR_AGREEMENT_RELATIVE, SINGLE_AGREEMENT_RELATIVE};
use mlcsc_spec::strided_operators::grid_analysis;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A stride of 1 to 3 and a padding: zero (0 to 2 on each side), valid or circular.
fn axis(rng: &mut ChaCha8Rng) -> Geometry {
    let padding = match rng.random_range(0..4) {
        0 => Padding::Valid,
        1 => Padding::Circular,
        _ => Padding::Zero {
            left: rng.random_range(0..=2),
            right: rng.random_range(0..=2),
        },
    };
    Geometry {
        stride: rng.random_range(1..=3),
        padding,
    }
}

/// One generated case: the layer (entries in `[-1, 1]`), `Z` on its grid, and `β` per channel.
struct Case {
    layer: Layer<f64>,
    z: LayerVector<f64>,
    beta: Threshold<f64>,
}

fn random_case(rng: &mut ChaCha8Rng, largest_side: usize) -> Case {
    let shape = FilterShape {
        rows: rng.random_range(1..=5),
        columns: rng.random_range(1..=5),
    };
    let geometry = GridGeometry {
        rows: axis(rng),
        columns: axis(rng),
    };
    let grid = Grid {
        rows: rng.random_range(1..=largest_side),
        columns: rng.random_range(1..=largest_side),
    };
    let (m, m_prev) = (rng.random_range(1..=4), rng.random_range(1..=4));
    let filters = (0..m)
        .map(|_| {
            (0..shape.taps())
                .map(|_| (0..m_prev).map(|_| rng.random_range(-1.0..1.0)).collect())
                .collect()
        })
        .collect();
    let layer = Layer::new_unchecked_norm(1, filters)
        .and_then(|l| l.on_grid(1, shape, geometry))
        .expect("the taps fit the shape");
    let entries = (0..grid.positions() * m_prev)
        .map(|_| rng.random_range(-1.0..1.0))
        .collect();
    let z = LayerVector::from_entries(grid.positions(), m_prev, entries)
        .and_then(|v| v.on_grid(grid))
        .expect("the shape");
    let beta = Threshold::per_channel((0..m).map(|_| rng.random_range(0.0..0.5)).collect());
    Case { layer, z, beta }
}

const THRESHOLDINGS: [Thresholding; 3] = [
    Thresholding::Soft,
    Thresholding::Nonnegative,
    Thresholding::Hard,
];

/// Checks `found` against the specification's `T_β(D_iᵀ Z)` within `relative` of the largest
/// magnitude of `D_iᵀ Z` (at least 1). A hard-thresholded entry within that bound of `±β` may
/// fall on either side of the jump, and is not compared.
fn agrees(case: &Case, thresholding: Thresholding, found: &[f64], relative: f64) -> bool {
    let plain = grid_analysis(1, &case.layer, &case.z).expect("the case fits");
    let expected = case.beta.apply(thresholding, &plain);
    let scale = plain.entries().iter().fold(1.0f64, |a, v| a.max(v.abs()));
    let m = case.layer.filter_count();
    found.len() == expected.entries().len()
        && (found.iter().zip(expected.entries()))
            .zip(plain.entries())
            .enumerate()
            .all(|(k, ((f, e), p))| {
                let near_jump = thresholding == Thresholding::Hard
                    && (p.abs() - case.beta.channel(k % m)).abs() <= relative * scale;
                near_jump || (f - e).abs() <= relative * scale
            })
}

/// The `f32` pass of a case, rounded once, read back as `f64`.
fn single(case: &Case, thresholding: Thresholding) -> Vec<f64> {
    let analysis = ImageAnalysis::<f32>::new(1, &case.layer, case.z.grid()).expect("fits");
    let input: Vec<f32> = case.z.entries().iter().map(|v| *v as f32).collect();
    let betas: Vec<f32> = (0..case.layer.filter_count())
        .map(|c| *case.beta.channel(c) as f32)
        .collect();
    let mut out = vec![0.0f32; analysis.output_grid().positions() * analysis.channels_out()];
    let finish = |block: &mut [f32]| threshold_channels(block, thresholding, &betas);
    analysis.apply(&input, &mut out, &finish);
    out.into_iter().map(f64::from).collect()
}

/// Checks one case in both precisions and every thresholding; `false` if the grid does not fit.
fn check(case: &Case, label: &str) -> bool {
    if grid_analysis(1, &case.layer, &case.z).is_err() {
        assert!(
            image_thresholded_analysis(1, &case.layer, &case.z, None).is_err(),
            "{label}: the fast pass accepts a grid the specification refuses"
        );
        return false;
    }
    for thresholding in THRESHOLDINGS {
        let fast =
            image_thresholded_analysis(1, &case.layer, &case.z, Some((thresholding, &case.beta)))
                .expect("the specification accepts it");
        assert_eq!(
            fast.grid(),
            grid_analysis(1, &case.layer, &case.z).expect("fits").grid()
        );
        assert!(
            agrees(
                case,
                thresholding,
                fast.entries(),
                OPERATOR_AGREEMENT_RELATIVE
            ),
            "{label}, {thresholding:?}: f64 differs from the specification"
        );
        assert!(
            agrees(
                case,
                thresholding,
                &single(case, thresholding),
                SINGLE_AGREEMENT_RELATIVE
            ),
            "{label}, {thresholding:?}: f32 differs from the specification"
        );
    }
    true
}

#[test]
fn the_fast_image_analysis_is_the_specification_thresholded_per_channel() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut checked = 0;
    for case_number in 0..400 {
        let case = random_case(&mut rng, 16);
        if check(&case, &format!("case {case_number}")) {
            checked += 1;
        }
    }
    assert!(
        checked >= 200,
        "only {checked} of 400 cases fit their grids"
    );
}

#[test]
fn large_grids_take_the_parallel_blocks_and_agree() {
    // 96 × 96 outputs of 4 channels exceed the one-thread minimum and span ten blocks.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut checked = 0;
    while checked < 3 {
        let mut case = random_case(&mut rng, 16);
        let side = Grid {
            rows: 96 + checked,
            columns: 97,
        };
        let m_prev = case.layer.input_channels();
        let entries = (0..side.positions() * m_prev)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect();
        case.z = LayerVector::from_entries(side.positions(), m_prev, entries)
            .and_then(|v| v.on_grid(side))
            .expect("the shape");
        if check(&case, &format!("large case {checked}")) {
            checked += 1;
        }
    }
}

/// `Z` with rows and columns exchanged.
fn transposed_vector(z: &LayerVector<f64>) -> LayerVector<f64> {
    let (grid, m) = (z.grid(), z.channels());
    let turned = grid.transposed();
    let mut entries = vec![0.0; z.entries().len()];
    for p in 0..grid.positions() {
        let (r, c) = grid.coordinates(p);
        let q = turned.position(c, r);
        entries[q * m..(q + 1) * m].copy_from_slice(z.at_position(p));
    }
    LayerVector::from_entries(grid.positions(), m, entries)
        .and_then(|v| v.on_grid(turned))
        .expect("the shape")
}

/// The layer with its filters, shape and geometry transposed.
fn transposed_layer(layer: &Layer<f64>) -> Layer<f64> {
    let shape = layer.filter_shape();
    let filters = (0..layer.filter_count())
        .map(|c| {
            (0..shape.taps())
                .map(|t| {
                    let (j, i) = shape.transposed().coordinates(t);
                    let source = i * shape.columns + j;
                    (0..layer.input_channels())
                        .map(|c_prev| *layer.tap(c, source, c_prev))
                        .collect()
                })
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(1, filters)
        .and_then(|l| l.on_grid(1, shape.transposed(), layer.grid_geometry().transposed()))
        .expect("the transposed taps fit")
}

#[test]
fn transposing_height_and_width_transposes_the_result() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut checked = 0;
    for _ in 0..200 {
        let case = random_case(&mut rng, 16);
        let Ok(direct) = image_thresholded_analysis(1, &case.layer, &case.z, None) else {
            continue;
        };
        let turned = image_thresholded_analysis(
            1,
            &transposed_layer(&case.layer),
            &transposed_vector(&case.z),
            None,
        )
        .expect("the transposed grids fit");
        let expected = transposed_vector(&direct);
        assert_eq!(turned.grid(), expected.grid());
        let scale = direct.entries().iter().fold(1.0f64, |a, v| a.max(v.abs()));
        for (a, b) in turned.entries().iter().zip(expected.entries()) {
            assert!(
                (a - b).abs() <= OPERATOR_AGREEMENT_RELATIVE * scale,
                "{a} ≠ {b}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} cases fit");
}

#[test]
fn stride_and_padding_on_one_axis_only_are_kept_on_that_axis() {
    // Rows: stride 2, two zeros on top and none below; columns: stride 1, valid. An engine that
    // swapped the axes, or applied one axis's stride or padding to both, would give another
    // output grid or other values.
    let shape = FilterShape {
        rows: 3,
        columns: 2,
    };
    let geometry = GridGeometry {
        rows: Geometry {
            stride: 2,
            padding: Padding::Zero { left: 2, right: 0 },
        },
        columns: Geometry {
            stride: 1,
            padding: Padding::Valid,
        },
    };
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for (rows, columns) in [(7, 9), (9, 7), (5, 5)] {
        let mut case = random_case(&mut rng, 16);
        let filters = (0..2)
            .map(|_| {
                (0..6)
                    .map(|_| (0..3).map(|_| rng.random_range(-1.0..1.0)).collect())
                    .collect()
            })
            .collect();
        case.layer = Layer::new_unchecked_norm(1, filters)
            .and_then(|l| l.on_grid(1, shape, geometry))
            .expect("taps");
        let grid = Grid { rows, columns };
        let entries = (0..grid.positions() * 3)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect();
        case.z = LayerVector::from_entries(grid.positions(), 3, entries)
            .and_then(|v| v.on_grid(grid))
            .expect("shape");
        case.beta = Threshold::per_channel(vec![0.1, 0.3]);
        assert!(
            check(&case, &format!("{rows} × {columns}")),
            "the grid fits"
        );
    }
}
