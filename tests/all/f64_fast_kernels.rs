//! The `f64` commands on the fast kernels (`mlcsc::fast`), held to exact arithmetic:
//!
//! - `forward --arithmetic f64` prints the fast kernels' estimates bit for bit (they sum in
//!   another order than the plain loops, with fused multiply-adds, so the last bits may differ
//!   from the plain `f64` path; at least one instance here shows it);
//! - those estimates lie within a rigorous bound of the exact estimates of the same `f64`
//!   inputs: Higham's `γ_k Σ |terms|` per product (valid in any order of summation), carried
//!   through the layers with thresholding's Lipschitz constant 1 (and, for `H_β`, the whole
//!   entry where `|z|` may lie on either side of `β`);
//! - `check --arithmetic f64` of Theorem 2, whose midpoints now come from the same kernels,
//!   gives the exact verdict or `undecided` on generated instances and on every fixture.

use crate::common;
use crate::common::cli::json_in;

use std::path::{Path, PathBuf};

use mlcsc::bench::forward::ForwardShape;
use mlcsc::bench::instance_file::forward_large_instance;
use mlcsc::fast;
use mlcsc::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use mlcsc::io::{Instance, InstanceFile};
use mlcsc::model::{Layer, LayerVector};
use mlcsc::pursuit::cnn::cnn_forward;
use mlcsc::pursuit::{Thresholding, layered_thresholding};
use mlcsc::scalar::Rational;
use mlcsc::theorems::theorem2::{Statement, Theorem2Report, check_theorem2_statement};
use mlcsc::theorems::theorem2_small::check_theorem2_statement_small;
use mlcsc::theorems::variant::Part;
use mlcsc::theorems::verdict::Verdict;
use num_traits::{One, Signed, Zero};
use proptest::prelude::*;

const REGRESSIONS: &str = "proptest-regressions/f64_fast_kernels.txt";

/// Every instance file of `fixtures/` (snapshots aside).
fn fixture_instances() -> Vec<PathBuf> {
    [
        "theorem2",
        "instances",
        "verdicts",
        "counterexamples",
        "uniqueness",
    ]
    .iter()
    .flat_map(|folder| common::fixture_files(folder))
    .collect()
}

/// Small shapes of `bench --workload forward-large`'s problem, written to `folder`: random
/// unit filters and dense signals, where the order of summation shows in the last bits.
fn forward_large_files(folder: &Path) -> Vec<PathBuf> {
    [(64, 2, 4), (96, 3, 2), (40, 1, 8)]
        .iter()
        .map(|&(length, depth, channels)| {
            let shape = ForwardShape {
                length,
                depth,
                channels,
            };
            let path = folder.join(format!("forward-large-{length}-{depth}-{channels}.json"));
            let text = serde_json::to_string(&forward_large_instance(&shape)).expect("JSON");
            std::fs::write(&path, text).expect("written");
            path
        })
        .collect()
}

/// The files of both forward tests with their `f64` instances (files outside `f64`'s range
/// are left out: `forward --arithmetic f64` refuses them).
fn forward_cases(folder: &Path) -> Vec<(PathBuf, Instance<f64>)> {
    fixture_instances()
        .into_iter()
        .chain(forward_large_files(folder))
        .filter_map(|path| {
            let file = InstanceFile::read(&path).ok()?;
            let instance = file.to_f64().ok()?;
            Some((path, instance))
        })
        .collect()
}

/// `layers[].estimate` of `forward --json`.
fn printed_estimates(folder: &Path, path: &Path, pursuit: &str) -> Vec<Vec<f64>> {
    let report = json_in(
        folder,
        [
            "forward".as_ref(),
            "--arithmetic".as_ref(),
            "f64".as_ref(),
            "--pursuit".as_ref(),
            pursuit.as_ref(),
            "--json".as_ref(),
            path.as_os_str(),
        ],
    );
    report["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|layer| {
            layer["estimate"]
                .as_array()
                .expect("rows")
                .iter()
                .flat_map(|row| row.as_array().expect("a row").clone())
                .map(|v| v.as_f64().expect("a number"))
                .collect()
        })
        .collect()
}

/// The pursuit's operator: the instance's, or `S⁺_β` for the CNN pass.
fn operator(instance: &Instance<f64>, pursuit: &str) -> Thresholding {
    if pursuit == "cnn" {
        Thresholding::Nonnegative
    } else {
        instance.thresholding
    }
}

/// The estimates on the fast kernels, from `Y = X + E`.
fn fast_pass(instance: &Instance<f64>, thresholding: Thresholding) -> Vec<LayerVector<f64>> {
    let chain = fast::synthesis_chain(&instance.model, &instance.deepest_representation);
    let signal = chain[0].sum(&instance.noise);
    fast::layered_thresholding(&instance.model, &signal, &instance.thresholds, thresholding)
}

#[test]
fn forward_f64_prints_the_fast_kernels_estimates_bit_for_bit() {
    let folder = tempfile::tempdir().expect("folder");
    let mut differing_from_plain = 0;
    let cases = forward_cases(folder.path());
    assert!(cases.len() >= 20, "{} instances", cases.len());
    for (path, instance) in &cases {
        for pursuit in ["thresholding", "cnn"] {
            let printed = printed_estimates(folder.path(), path, pursuit);
            let estimates = fast_pass(instance, operator(instance, pursuit));
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            for (i, (p, e)) in printed.iter().zip(&estimates).enumerate() {
                assert_eq!(
                    bits(p),
                    bits(e.entries()),
                    "{} ({pursuit}), layer {}",
                    path.display(),
                    i + 1
                );
            }
            let (plain_signal, _) = instance.signal_and_chain();
            let plain = layered_thresholding(
                &instance.model,
                &plain_signal,
                &instance.thresholds,
                operator(instance, pursuit),
            );
            if plain != estimates {
                differing_from_plain += 1;
            }
        }
    }
    // The plain loops round otherwise somewhere (so the plain `f64` path fails this test).
    assert!(differing_from_plain > 0);
}

/// `u = 2^-53` and Higham's `γ_k = k u / (1 − k u)`, exactly.
fn unit_roundoff() -> Rational {
    Rational::new(1.into(), (1u64 << 53).into())
}

fn gamma(k: usize) -> Rational {
    let ku = unit_roundoff() * Rational::from_integer(k.into());
    &ku / (Rational::one() - &ku)
}

fn absolute(v: &LayerVector<f64>) -> LayerVector<Rational> {
    v.map(|x: &f64| Rational::from_float(x.abs()).expect("finite"))
}

/// The bound on `|fl(A x̂) − A x|` for one operator `A` (`D_i` or `D_iᵀ`) with `k` products per
/// entry, given `|x̂ − x| ≤ r`: `γ_k |A| |x̂| + |A| r`.
fn product_radius(
    absolute_layer: &Layer<Rational>,
    x: &LayerVector<f64>,
    r: &LayerVector<Rational>,
    k: usize,
    apply: fn(&Layer<Rational>, &LayerVector<Rational>) -> LayerVector<Rational>,
) -> LayerVector<Rational> {
    let rounding = apply(absolute_layer, &absolute(x)).map(|v: &Rational| v * gamma(k));
    rounding.sum(&apply(absolute_layer, r))
}

/// The bound on `|fl T_β(ẑ) − T_β(z)|` given `|ẑ − z| ≤ r`, entry by entry.
fn threshold_radius(
    thresholding: Thresholding,
    z: &LayerVector<f64>,
    r: &LayerVector<Rational>,
    out: &LayerVector<f64>,
    beta: f64,
) -> LayerVector<Rational> {
    let beta = Rational::from_float(beta).expect("finite");
    let two_u = unit_roundoff() * Rational::from_integer(2.into());
    let entries = z
        .entries()
        .iter()
        .zip(r.entries())
        .zip(out.entries())
        .map(|((z, r), out)| {
            let magnitude = Rational::from_float(z.abs()).expect("finite");
            match thresholding {
                // 1-Lipschitz, and `fl(|ẑ| − β)` rounds once.
                Thresholding::Soft | Thresholding::Nonnegative => {
                    r + &two_u * Rational::from_float(out.abs()).expect("finite")
                }
                Thresholding::Hard => {
                    if &magnitude - r > beta || &magnitude + r <= beta {
                        r.clone()
                    } else {
                        magnitude + r
                    }
                }
            }
        })
        .collect();
    LayerVector::from_entries(z.length(), z.channels(), entries).expect("shape")
}

/// The rigorous radii of the fast estimates around the exact estimates of the same `f64`
/// inputs, carried through the synthesis chain, the sum `X + E` and every layer.
fn estimate_radii(
    instance: &Instance<f64>,
    thresholding: Thresholding,
) -> Vec<LayerVector<Rational>> {
    let model = &instance.model;
    let absolute_layers: Vec<Layer<Rational>> = model
        .layers()
        .iter()
        .map(|l| l.map(|x: &f64| Rational::from_float(x.abs()).expect("finite")))
        .collect();
    let mut x = instance.deepest_representation.clone();
    let mut r = x.map(|_: &f64| Rational::zero());
    for i in (1..=model.depth()).rev() {
        let layer = model.layer(i);
        let k = layer.filter_length() * layer.filter_count();
        r = product_radius(
            &absolute_layers[i - 1],
            &x,
            &r,
            k,
            mlcsc::operators::synthesis,
        );
        x = fast::synthesis(layer, &x);
    }
    let signal = x.sum(&instance.noise);
    let two_u = unit_roundoff() * Rational::from_integer(2.into());
    r = r.sum(&absolute(&signal).map(|v: &Rational| v * &two_u));
    let mut input = signal;
    let mut radii = Vec::new();
    for (index, layer) in model.layers().iter().enumerate() {
        let k = layer.filter_length() * layer.input_channels();
        let r_z = product_radius(
            &absolute_layers[index],
            &input,
            &r,
            k,
            mlcsc::operators::analysis,
        );
        let z = fast::analysis(layer, &input);
        let beta = *instance.thresholds[index]
            .shared()
            .expect("one threshold per layer");
        let mut out = z.clone();
        fast::threshold_in_place(out.entries_mut(), thresholding, beta);
        r = threshold_radius(thresholding, &z, &r_z, &out, beta);
        radii.push(r.clone());
        input = out;
    }
    radii
}

#[test]
fn forward_f64_lies_within_the_any_order_bound_of_the_exact_estimates() {
    let folder = tempfile::tempdir().expect("folder");
    for (path, instance) in forward_cases(folder.path()) {
        let exact = instance.map(|x: &f64| Rational::from_float(*x).expect("finite"));
        let (signal, _) = exact.signal_and_chain();
        for pursuit in ["thresholding", "cnn"] {
            let thresholding = operator(&instance, pursuit);
            let truth = if pursuit == "cnn" {
                cnn_forward(&exact.model, &signal, &exact.thresholds)
            } else {
                layered_thresholding(&exact.model, &signal, &exact.thresholds, thresholding)
            };
            let printed = printed_estimates(folder.path(), &path, pursuit);
            let radii = estimate_radii(&instance, thresholding);
            for (i, ((p, t), r)) in printed.iter().zip(&truth).zip(&radii).enumerate() {
                for (k, ((p, t), r)) in p.iter().zip(t.entries()).zip(r.entries()).enumerate() {
                    let error = (Rational::from_float(*p).expect("finite") - t).abs();
                    assert!(
                        &error <= r,
                        "{} ({pursuit}), layer {}, entry {k}: {p:e} is {error} from the exact value, beyond the bound {r}",
                        path.display(),
                        i + 1
                    );
                }
            }
        }
    }
}

/// The statements checked: the paper's and each form without one part.
fn statements() -> [Statement; 4] {
    [
        Statement::PAPER,
        Statement::PAPER.without(Part::ContrastTerm),
        Statement::PAPER.without(Part::PatchSparsityFactor),
        Statement::PAPER.without(Part::ThresholdWindow),
    ]
}

/// A decided `f64` verdict is the exact one.
fn agrees(exact: &Theorem2Report, screen: &Theorem2Report) -> bool {
    matches!(screen.verdict, Verdict::Undecided { .. })
        || screen.verdict.name() == exact.verdict.name()
}

#[test]
fn f64_theorem2_on_the_fast_kernels_is_exact_or_undecided_on_every_fixture() {
    let mut compared = 0;
    for path in fixture_instances() {
        let Ok(file) = InstanceFile::read(&path) else {
            continue;
        };
        let (Ok(image), Some(exact)) = (
            file.to_f64(),
            file.to_exact().or_else(|_| file.to_exact_normalised()).ok(),
        ) else {
            continue;
        };
        for statement in statements() {
            let exact_report = check_theorem2_statement(&exact, statement);
            let screen = check_theorem2_statement(&image, statement);
            assert!(
                agrees(&exact_report, &screen),
                "{}: f64 {:?} against exact {:?}",
                path.display(),
                screen.verdict,
                exact_report.verdict
            );
            compared += 1;
        }
    }
    assert!(compared >= 4 * 15, "{compared} comparisons");
}

#[test]
fn f64_theorem2_on_the_fast_kernels_is_exact_or_undecided_on_generated_instances() {
    common::check(
        "f64 Theorem 2 on the fast kernels is exact or undecided",
        common::config(200, REGRESSIONS),
        any::<u64>(),
        |seed| {
            let variant = [
                Thresholding::Soft,
                Thresholding::Nonnegative,
                Thresholding::Hard,
            ][(seed % 3) as usize];
            let mut rng = case_rng(0xfa57, seed);
            let settings = Theorem2Settings::paper(variant);
            let instance = generate_theorem2_instance(&mut rng, &settings, "f64-fast-kernels");
            let image = instance.to_f64();
            for statement in statements() {
                let exact = check_theorem2_statement_small(&instance, statement);
                let screen = check_theorem2_statement(&image, statement);
                prop_assert!(
                    agrees(&exact, &screen),
                    "f64 {:?} against exact {:?}",
                    screen.verdict,
                    exact.verdict
                );
            }
            Ok(())
        },
    );
}
