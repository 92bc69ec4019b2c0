//! `mlcsc certify` on image networks (`proofs/two_dimensions.md`, G10 to G12): the fold's
//! coherence over `σ_h ℤ × σ_w ℤ` is the image layer's (G5) and a line read as an image folds to
//! the line's figures; the stripes of both axes cover a rectangle of windows (G11); the
//! authors' geometries of `fixtures/networks/` are certified or refused with the reason; and the
//! trained `digits2d-certified` network's region holds: instances drawn inside it meet the
//! hypotheses of Theorem 2 for real layers and `check` decides that it holds, exactly.

use mlcsc::Scalar;
use mlcsc::certify::figures::{layer_figures, row_figures};
use mlcsc::certify::network::{SpecNetwork, exact_rational, spec_read_network};
use mlcsc::generate::seed::case_rng;
use mlcsc::instance::Instance;
use mlcsc::io::network::read_network;
use mlcsc::io::save_counterexample;
use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, LayerVector, Model, Padding};
use mlcsc::scalar::Rational;
use mlcsc::theorems::statement::Statement;
use mlcsc::theorems::theorem2_real_layers::RealLayersTheorem2;
use mlcsc::threshold::Threshold;
use mlcsc::thresholding::Thresholding;
use mlcsc_spec::certified_region::{
    AxisFigures, CertifiedRegion, LayerFigures, LayerRegion, certified_region_on_grids,
    stripes_per_window,
};
use mlcsc_spec::folding::{Convolution, FoldedNetwork, FoldingError, Network, Stage, fold};
use mlcsc_spec::strided_coherence::atom_coherence;
use rand::RngExt;

use crate::common::cli::{fixture, json_in};
use crate::common::r;

/// A two-layer image network with small rational weights: layer 1 two 2 × 3 filters at
/// stride `(1, 2)`, zero padding; layer 2 one 2 × 2 filter over both channels, stride 1, valid.
fn small_image_network() -> Network<Rational> {
    let first = vec![
        vec![[2, 0, 1, 0, 2, 0].map(|v| r(v, 4)).to_vec()],
        vec![[1, 0, 0, -2, 0, 2].map(|v| r(v, 2)).to_vec()],
    ];
    let second = vec![vec![
        [2, 0, 0, 1].map(|v| r(v, 1)).to_vec(),
        [0, 1, 0, 0].map(|v| r(v, 1)).to_vec(),
    ]];
    let zero = Padding::Zero { left: 1, right: 1 };
    let conv1 = Convolution::new(first, vec![r(-1, 10), r(-1, 5)])
        .expect("shapes")
        .on_grid(
            1,
            FilterShape {
                rows: 2,
                columns: 3,
            },
            GridGeometry {
                rows: Geometry {
                    stride: 1,
                    padding: zero,
                },
                columns: Geometry {
                    stride: 2,
                    padding: zero,
                },
            },
        )
        .expect("six taps");
    let valid = Geometry {
        stride: 1,
        padding: Padding::Valid,
    };
    let conv2 = Convolution::new(second, vec![r(-1, 1)])
        .expect("shapes")
        .on_grid(
            2,
            FilterShape {
                rows: 2,
                columns: 2,
            },
            GridGeometry {
                rows: valid,
                columns: valid,
            },
        )
        .expect("four taps");
    Network {
        input_channels: 1,
        stages: vec![
            Stage::Convolution(conv1),
            Stage::Relu,
            Stage::Convolution(conv2),
            Stage::Relu,
        ],
    }
}

/// G10: the folded channel coherences of an image layer are, squared, the image layer's own
/// (`atom_coherence`, G5) of the unit folded filters, wherever the fold has them exactly.
#[test]
fn folded_image_coherence_is_the_image_layers_coherence() {
    let folded = fold(&small_image_network()).expect("folds");
    let mut compared = 0;
    for layer in &folded.layers {
        assert_eq!(layer.filter_shape.taps(), layer.weights[0][0].len());
        let Some((unit, _)) = &layer.dictionary else {
            continue;
        };
        assert!(!unit.is_line());
        assert_eq!(unit.grid_geometry(), layer.grid_geometry());
        for (c, squared) in layer.channel_coherence_squared.iter().enumerate() {
            let mu = atom_coherence(unit, c);
            assert_eq!(
                mu.clone() * mu,
                *squared,
                "layer {} channel {c}",
                layer.number
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 3, "both layers have exact dictionaries");
    // Layer 1's ρ² are 9/16 and 9/4; layer 2's is (9/16) · 5 + (9/4) · 1 = 81/16: every ρ is
    // rational, so the unit layers exist and G5 applies to each.
    assert_eq!(folded.layers[0].norms_squared, vec![r(9, 16), r(9, 4)]);
    assert_eq!(folded.layers[1].norms_squared, vec![r(81, 16)]);
}

/// A one-dimensional network written as image layers of one row (rows at stride 1, valid)
/// folds to the same figures, term for term.
#[test]
fn a_line_read_as_an_image_folds_to_the_same_figures() {
    let line = |image: bool| {
        let mut conv = Convolution::new(
            vec![
                vec![vec![r(8, 1), r(4, 1), r(1, 1)]],
                vec![vec![r(1, 1), r(-2, 1), r(2, 1)]],
            ],
            vec![r(-27, 10), r(-1, 1)],
        )
        .expect("shapes")
        .with_stride_and_padding(2, Padding::Zero { left: 1, right: 1 });
        if image {
            let geometry = GridGeometry::line(conv.geometry());
            conv = conv
                .on_grid(1, FilterShape::line(3), geometry)
                .expect("three taps");
        }
        Network {
            input_channels: 1,
            stages: vec![Stage::Convolution(conv), Stage::Relu],
        }
    };
    let (flat, lifted) = (
        fold(&line(false)).expect("folds"),
        fold(&line(true)).expect("folds"),
    );
    assert_eq!(flat, lifted);
    assert_eq!(
        row_figures(&flat),
        vec![AxisFigures {
            window: 1,
            window_wraps: true,
            ..AxisFigures::LINE
        }]
    );
    assert_eq!(row_figures(&flat)[0].stripes(), 1);
}

/// G11: with one nonzero in every stripe `(2h_h + 1) × (2h_w + 1)` of a grid, the most
/// nonzeros in a `w_h × w_w` window is the product of the axes' stripe counts, attained, at
/// every phase; so `P_i(1)` on an image is `Π_axes ⌈w/(2h + 1)⌉`.
#[test]
fn stripes_of_both_axes_cover_a_rectangle_of_windows() {
    for (n_h, s_h, w_h, n_w, s_w, w_w) in [
        (3, 1, 3, 6, 2, 6),
        (4, 2, 4, 3, 3, 3),
        (6, 2, 6, 4, 1, 4),
        (2, 1, 7, 5, 2, 2),
    ] {
        let rows = AxisFigures {
            filter_length: n_h,
            stride: s_h,
            window: w_h,
            window_wraps: false,
        };
        let columns = AxisFigures {
            filter_length: n_w,
            stride: s_w,
            window: w_w,
            window_wraps: false,
        };
        let (a, b) = (rows.stripe_width(), columns.stripe_width());
        let figures = LayerFigures {
            layer: 1,
            channels: vec![],
            filter_length: n_w,
            stride: s_w,
            window: w_w,
            window_wraps: false,
        };
        let bound = figures.patch_bound_on_grid(1, &rows);
        assert_eq!(
            bound,
            stripes_per_window(n_h, s_h, w_h, false) * stripes_per_window(n_w, s_w, w_w, false)
        );
        // The densest one-per-stripe pattern: one nonzero every a rows and b columns, at each
        // phase; the window's count never exceeds the bound and reaches it at phase 0.
        let mut reached = false;
        for (phase_r, phase_c) in (0..a).flat_map(|p| (0..b).map(move |q| (p, q))) {
            let count = (0..w_h).filter(|x| (x + phase_r) % a == 0).count()
                * (0..w_w).filter(|y| (y + phase_c) % b == 0).count();
            assert!(count <= bound, "{count} > {bound}");
            reached |= count == bound;
        }
        assert!(reached, "the bound {bound} is attained");
    }
}

/// Average pooling before an image layer is refused by the fold, naming the stage.
#[test]
fn pooling_before_an_image_layer_is_refused() {
    let mut network = small_image_network();
    network.stages.insert(
        2,
        Stage::AveragePool {
            kernel: 2,
            stride: 2,
        },
    );
    let error = fold(&network).expect_err("refused");
    assert!(matches!(error, FoldingError::Refused { .. }), "{error:?}");
    assert!(
        error.to_string().contains("stage 3 (average pool"),
        "{error}"
    );
    assert!(error.to_string().contains("image layer"), "{error}");
}

/// `certify --json` of a committed network.
fn certify_json(stem: &str) -> serde_json::Value {
    let folder = tempfile::tempdir().expect("temporary folder");
    let weights = fixture(&format!("networks/{stem}.safetensors"));
    let manifest = fixture(&format!("networks/{stem}.json"));
    json_in(
        folder.path(),
        [
            "certify".as_ref(),
            "--weights".as_ref(),
            weights.as_os_str(),
            "--manifest".as_ref(),
            manifest.as_os_str(),
            "--json".as_ref(),
        ],
    )
}

/// The authors' CIFAR geometry: three 4 × 4 stride-2 layers with padding 1; the uniform
/// thresholds leave layer 2's band empty (its noise bound `sqrt(P_1(1)) t = 2 t` exceeds
/// `t (1 − μ_2)/(1 + μ_2)`), the chain's are certified. The JSON gives the `[h, w]` pairs.
#[test]
fn certify_reads_the_cifar_geometry_and_certifies_the_chain() {
    let uniform = certify_json("cifar-ml-ista-uniform");
    assert_eq!(uniform["exact"], true);
    assert_eq!(
        uniform["layers"][0]["filter-shape"],
        serde_json::json!([4, 4])
    );
    assert_eq!(uniform["layers"][2]["strides"], serde_json::json!([2, 2]));
    assert_eq!(
        uniform["region"]["last-window-shape"],
        serde_json::json!([4, 4])
    );
    assert_eq!(uniform["region"]["empty"], true);
    let reason = uniform["region"]["reason"].as_str().expect("a reason");
    assert!(reason.starts_with("layer 2: no amplitude"), "{reason}");
    assert_eq!(
        uniform["region"]["layers"][1]["epsilon-previous"],
        serde_json::Value::Null
    );
    let chain = certify_json("cifar-ml-ista-chain");
    assert_eq!(chain["region"]["empty"], false);
    let epsilon_0 = chain["region"]["epsilon-0"].as_f64().expect("ε_0");
    assert!(epsilon_0 > 0.04 && epsilon_0 < 0.05, "{epsilon_0}");
    for layer in chain["layers"].as_array().expect("layers") {
        assert!(layer["coherence"].as_f64().expect("μ") < 0.5);
        assert_eq!(
            layer["geometry"],
            "stride (2, 2), rows zero padding (1, 1), columns zero padding (1, 1)"
        );
    }
}

/// A one-dimensional report has none of the image keys.
#[test]
fn a_one_dimensional_report_keeps_its_keys() {
    let json = certify_json("digits-certified");
    for key in ["filter-shape", "strides"] {
        assert!(json["layers"][0].get(key).is_none(), "{key}");
    }
    assert!(json["region"].get("last-window-shape").is_none());
}

/// The trained image network's model: its exact unit dictionaries (every `ρ = 1`) on the 9 × 9
/// input, thresholds `β = −b`, and its figures and region.
fn digits2d() -> (
    Model<Rational>,
    Vec<Threshold<Rational>>,
    Vec<LayerFigures>,
    CertifiedRegion,
) {
    let read = read_network(
        &fixture("networks/digits2d-certified.safetensors"),
        &fixture("networks/digits2d-certified.json"),
    )
    .expect("reads");
    let Ok(SpecNetwork::Exact(network)) = spec_read_network(&read) else {
        panic!("no batch norm: exact")
    };
    let folded: FoldedNetwork<Rational> = fold(&network).expect("folds");
    let (figures, rows) = (layer_figures(&folded), row_figures(&folded));
    let region = certified_region_on_grids(&figures, &rows);
    let (layers, thresholds): (Vec<_>, Vec<_>) = folded
        .dictionaries()
        .expect("every ρ is 1")
        .into_iter()
        .map(|(layer, beta)| (layer, Threshold::per_channel(beta)))
        .unzip();
    let model = Model::on_grid(
        Grid {
            rows: 9,
            columns: 9,
        },
        1,
        layers,
    )
    .expect("a valid model");
    (model, thresholds, figures, region)
}

/// Layer `i`'s band at one nonzero per stripe and noise `epsilon_0`.
fn band_at(
    figures: &[LayerFigures],
    region: &CertifiedRegion,
    i: usize,
    epsilon_0: f64,
) -> (f64, f64) {
    let LayerRegion::Band(band) = &region.layers[i] else {
        panic!("layer {} has a band", i + 1)
    };
    let epsilon = band.epsilon_slope * epsilon_0 + band.epsilon_offset;
    let (low, high) = figures[i].band(1, epsilon).expect("non-empty below ε_0");
    (low, high.unwrap_or(f64::INFINITY))
}

/// The amplitudes `A` of `Γ_2 = A e_c` inside layer 2's band whose synthesised
/// `Γ_1 = A F_{2,c}` (one nonzero per position, each a tap of the unit filter) lies inside
/// layer 1's band: `(low, high)`, or `None`.
fn amplitudes(model: &Model<Rational>, c: usize, bands: [(f64, f64); 2]) -> Option<(f64, f64)> {
    let taps: Vec<f64> = model.layers()[1]
        .filter(c)
        .iter()
        .map(|v| v.to_f64())
        .filter(|v| *v != 0.0)
        .collect();
    let (smallest, largest) = taps
        .iter()
        .fold((f64::MAX, 0.0f64), |(s, l), &v| (s.min(v), l.max(v)));
    let [(low_1, high_1), (low_2, high_2)] = bands;
    let (low, high) = (low_2.max(low_1 / smallest), high_2.min(high_1 / largest));
    (low < high).then_some((low, high))
}

/// The instance with `Γ_2 = A e_c` and noise of every entry below `level / 3` in magnitude (so
/// below `level²` in energy over every 3 × 3 atom support of layer 1).
fn instance(
    model: &Model<Rational>,
    thresholds: &[Threshold<Rational>],
    (c, a): (usize, f64),
    noise: &[f64],
) -> Instance<Rational> {
    let mut deepest = LayerVector::zeros_on(model.grid(2), model.layers()[1].filter_count());
    deepest.set(0, c, exact_rational(a).expect("finite"));
    let mut e = LayerVector::zeros_on(model.grid(0), 1);
    for (p, value) in noise.iter().enumerate() {
        e.set(p, 0, exact_rational(*value).expect("finite"));
    }
    Instance {
        name: "digits2d-certified".into(),
        source: "tests/all/certify_images.rs".into(),
        model: model.clone(),
        thresholding: Thresholding::Nonnegative,
        thresholds: thresholds.to_vec(),
        deepest_representation: deepest,
        noise: e,
        noise_budget: None,
        // The deepest grid is 1 × 1: the declared last patch is that position (the certificate's
        // w_K = 3 × 3 wraps onto it; the hypotheses do not read w_K).
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}

/// G12: codes of the trained image network drawn inside its certified region (one nonzero of
/// `Γ_2`, whose atom puts one nonzero of `Γ_1` in each stripe, amplitudes in both bands, noise
/// below the certified `ε_0`) meet the hypotheses of Theorem 2 for real layers (nonnegative
/// form), decided exactly, and the theorem holds; written as instance files, `check` says
/// `holds` on each.
#[test]
fn codes_inside_the_image_networks_region_meet_the_hypotheses_and_hold() {
    let (model, thresholds, figures, region) = digits2d();
    let epsilon_0 = region
        .epsilon_0
        .expect("the trained image network is certified");
    let statement = RealLayersTheorem2::stated(Thresholding::Nonnegative);
    let folder = tempfile::tempdir().expect("temporary folder");
    let (mut decided, mut written) = (0, Vec::new());
    for case in 0..48u64 {
        let mut rng = case_rng(5151, case);
        let level = epsilon_0 * rng.random_range(0.0..0.5);
        let bands = [
            band_at(&figures, &region, 0, level),
            band_at(&figures, &region, 1, level),
        ];
        let c = rng.random_range(0..model.layers()[1].filter_count());
        let Some((low, high)) = amplitudes(&model, c, bands) else {
            continue;
        };
        let a = low + (high - low) * rng.random_range(0.02..0.98);
        let noise: Vec<f64> = (0..81)
            .map(|_| 0.999 * level / 3.0 * rng.random_range(-1.0..1.0))
            .collect();
        let instance = instance(&model, &thresholds, (c, a), &noise);
        let verdict = statement.verdict(&instance);
        assert!(
            matches!(verdict, mlcsc::theorems::verdict::Verdict::Holds),
            "case {case}: channel {c}, A {a}, noise {level}: {verdict:?}"
        );
        decided += 1;
        if written.len() < 4 {
            written.push(
                save_counterexample(folder.path(), &format!("inside-{case}"), &instance)
                    .expect("written"),
            );
        }
    }
    assert!(
        decided >= 24,
        "only {decided} of 48 cases drawn inside the region"
    );
    for path in &written {
        let json = json_in(
            folder.path(),
            [
                "check".as_ref(),
                "--json".as_ref(),
                "--theorem".as_ref(),
                "theorem2-real-layers-nonnegative".as_ref(),
                path.as_os_str(),
            ],
        );
        assert_eq!(json["verdict"], "holds", "{}: {json}", path.display());
        assert_eq!(json["decided-by"], "exact");
    }
}

/// Negative control: the same codes with `Γ_1`'s largest entry 1 % to 20 % above layer 1's
/// band at zero noise fail the hypotheses (the coherent neighbour's interference passes its
/// threshold).
#[test]
fn codes_above_the_image_networks_band_fail_the_hypotheses() {
    let (model, thresholds, figures, region) = digits2d();
    let statement = RealLayersTheorem2::stated(Thresholding::Nonnegative);
    let (_, high_1) = band_at(&figures, &region, 0, 0.0);
    let (mut failed, mut drawn) = (0, 0);
    for case in 0..24u64 {
        let mut rng = case_rng(5252, case);
        let c = rng.random_range(0..model.layers()[1].filter_count());
        let largest = model.layers()[1]
            .filter(c)
            .iter()
            .map(|v| v.to_f64())
            .fold(0.0, f64::max);
        let a = high_1 / largest * rng.random_range(1.01..1.2);
        drawn += 1;
        if !statement
            .verdict(&instance(&model, &thresholds, (c, a), &[0.0; 81]))
            .hypotheses_met()
        {
            failed += 1;
        }
    }
    assert_eq!(
        failed, drawn,
        "only {failed} of {drawn} controls failed the hypotheses"
    );
}

/// Every committed image network is the file `fixtures/networks/README.md` lists (its sha256),
/// so a regeneration that changes a file is noticed.
#[test]
fn the_image_networks_are_the_files_the_readme_lists() {
    use sha2::Digest;
    let readme = std::fs::read_to_string(fixture("networks/README.md")).expect("the README");
    for stem in [
        "digits2d-certified",
        "mnist-ml-ista-chain",
        "mnist-ml-ista-uniform",
        "cifar-ml-ista-chain",
        "cifar-ml-ista-uniform",
    ] {
        let name = format!("{stem}.safetensors");
        let bytes = std::fs::read(fixture(&format!("networks/{name}"))).expect("the weights");
        let digest: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let line = format!("{digest}  {name}");
        assert!(readme.contains(&line), "the README lacks `{line}`");
    }
}
