//! The `f64` work limit in seconds and bytes (`src/io/work_limits.rs`, docs/robustness.md): a
//! network of a usual size is accepted by the check alone (nothing is run), and one a hundred
//! times its work is refused with the seconds, the limit and what to change.

use mlcsc::io::work_limits::{
    F64_CHECK_PASS_RATE, MAX_F64_SECONDS, MAX_F64_WORK, check_f64_model, model_pass_work,
};
use mlcsc::model::{FilterShape, Grid, GridGeometry, Layer, Model};

/// `depth` layers of `channels` 3 × 3 filters on `channels` channels (stride 1, circular), on a
/// `side × side` image: each filter is one tap, so only the sizes matter.
fn image_model(side: usize, channels: usize, depth: usize) -> Model<f64> {
    let layers = (1..=depth)
        .map(|i| {
            let filters = (0..channels)
                .map(|c| {
                    (0..9)
                        .map(|t| {
                            (0..channels)
                                .map(|k| f64::from(u8::from(t == 4 && k == c)))
                                .collect()
                        })
                        .collect()
                })
                .collect();
            Layer::new(i, filters)
                .expect("unit filters")
                .on_grid(
                    i,
                    FilterShape {
                        rows: 3,
                        columns: 3,
                    },
                    GridGeometry {
                        rows: Default::default(),
                        columns: Default::default(),
                    },
                )
                .expect("3 × 3")
        })
        .collect();
    Model::on_grid(
        Grid {
            rows: side,
            columns: side,
        },
        channels,
        layers,
    )
    .expect("a valid model")
}

#[test]
fn two_3x3_layers_of_64_channels_on_a_224_image_are_accepted() {
    let model = image_model(224, 64, 2);
    // 224² · 2 · 9 · 64 · 64 = 3.7·10^9 multiply-adds a pass, refused by the old 2·10^9.
    assert_eq!(model_pass_work(&model), 224 * 224 * 2 * 9 * 64 * 64);
    assert!(model_pass_work(&model) > 2_000_000_000);
    check_f64_model(&model).expect("within the limit");
}

#[test]
fn a_hundred_times_that_work_is_refused_with_the_seconds_and_what_to_change() {
    // Ten times the channels: a hundred times the work, 3.7·10^11 multiply-adds a pass.
    let model = image_model(224, 640, 2);
    assert_eq!(
        model_pass_work(&model),
        100 * model_pass_work(&image_model(224, 64, 2))
    );
    let refusal = check_f64_model(&model).expect_err("beyond the limit");
    let seconds = model_pass_work(&model) as f64 / F64_CHECK_PASS_RATE;
    assert!(seconds > MAX_F64_SECONDS, "{seconds}");
    for part in [
        format!("about {seconds:.0} CPU seconds"),
        format!("above the limit of {MAX_F64_WORK} ({MAX_F64_SECONDS} s)"),
        "use a shorter signal, a smaller image, or fewer or shorter filters".to_string(),
    ] {
        assert!(refusal.contains(&part), "{part:?} not in {refusal}");
    }
}
