//! The CNN identity on images: a network of `conv2d` layers (written apart from the
//! dictionary code, `mlcsc::pursuit::cnn::ImageConvolutionLayer`) with biases `−β` and ReLU
//! computes layered nonnegative soft thresholding on random image models; its negative
//! control (soft thresholding instead) is refuted.

use mlcsc::conjecture::find;
use mlcsc::generate::seed::case_rng;
use mlcsc::model::Padding;
use mlcsc::theorems::verdict::Verdict;

/// 200 random image models, each holding, with strides on both axes of some layer in at least
/// 30% of them, zero padding in 30% and a layer of filters of several rows in 50%.
#[test]
fn the_image_forward_pass_is_layered_nonnegative_thresholding() {
    let entry = find("cnn-forward-pass-image").expect("registered");
    let (mut strided, mut padded, mut tall) = (0, 0, 0);
    let cases = 200;
    for case in 0..cases {
        let instance = entry.generate(&mut case_rng(51, case));
        assert_eq!(
            entry.check(&instance).verdict,
            Verdict::Holds,
            "case {case}"
        );
        let layers = instance.model.layers();
        let axes = || layers.iter().map(|l| l.grid_geometry());
        strided += usize::from(axes().any(|g| g.rows.stride >= 2 && g.columns.stride >= 2));
        padded += usize::from(axes().any(|g| {
            [g.rows, g.columns]
                .iter()
                .any(|a| matches!(a.padding, Padding::Zero { .. }))
        }));
        tall += usize::from(layers.iter().any(|l| l.filter_shape().rows >= 2));
    }
    eprintln!(
        "{cases} image models: {strided} strided on both axes, {padded} zero-padded, {tall} with tall filters"
    );
    assert!(
        strided * 10 >= 3 * cases as usize
            && padded * 10 >= 3 * cases as usize
            && tall * 2 >= cases as usize
    );
}

/// The control: compared with layered soft thresholding, the network differs wherever a
/// correlation falls below `−β`; refuted in at least half the cases.
#[test]
fn the_soft_form_of_the_image_identity_is_refuted() {
    let entry = find("cnn-forward-pass-image-soft-form").expect("registered");
    let refuted = (0..100)
        .filter(|&case| {
            entry
                .check(&entry.generate(&mut case_rng(52, case)))
                .verdict
                .is_violated()
        })
        .count();
    assert!(refuted >= 50, "refuted in {refuted} of 100");
}

/// A counterexample of the control, written as an image instance file, is refuted again by
/// `check` under the control's name and holds under the identity's (exit 1 and 0).
#[test]
fn an_image_counterexample_file_is_checked_again_by_name() {
    use mlcsc::io::ToInstanceFile;
    let entry = find("cnn-forward-pass-image-soft-form").expect("registered");
    let instance = (0..40)
        .map(|case| entry.generate(&mut case_rng(53, case)))
        .find(|instance| entry.check(instance).verdict.is_violated())
        .expect("a counterexample among 40 cases");
    let folder = tempfile::tempdir().expect("a folder");
    let file = folder.path().join("counterexample.json");
    let text = serde_json::to_string_pretty(&instance.to_file()).expect("serialised");
    std::fs::write(&file, text).expect("written");
    for (theorem, code) in [
        ("cnn-forward-pass-image-soft-form", 1),
        ("cnn-forward-pass-image", 0),
    ] {
        let status = crate::common::cli::command()
            .args([
                "check",
                file.to_str().expect("a path"),
                "--theorem",
                theorem,
            ])
            .output()
            .expect("runs");
        assert_eq!(
            status.status.code(),
            Some(code),
            "{theorem}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
}
