//! Writes the named Theorem 2 fixtures of `fixtures/theorem2/`: for each, the first seed whose
//! generated instance has the named property and meets the hypotheses. Existing files are left
//! alone (delete one to regenerate it).
//!
//! Run: `cargo run --release --example make_fixtures`

use std::path::Path;

use mlcsc::coherence::mutual_coherence;
use mlcsc::conjecture::Theorem2Entry;
use mlcsc::generate::filters::FirstLayerDesign;
use mlcsc::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use mlcsc::io::Instance;
use mlcsc::io::ToInstanceFile;
use mlcsc::pursuit::Thresholding;
use mlcsc::scalar::Rational;
use mlcsc::theorems::theorem2::check_theorem2;
use num_traits::Zero;

struct Fixture {
    name: &'static str,
    settings: Theorem2Settings,
    wanted: fn(&Instance<Rational>) -> bool,
}

fn settings(variant: Thresholding, edit: impl Fn(&mut Theorem2Settings)) -> Theorem2Settings {
    let mut s = Theorem2Settings::new(variant);
    edit(&mut s);
    s
}

#[allow(
    clippy::too_many_lines,
    reason = "the list of fixtures, one block each"
)]
fn main() {
    let fixtures = [
        Fixture {
            name: "two-layer-binary16-then-sparse",
            settings: settings(Thresholding::Soft, |s| {
                s.first_layer = Some(FirstLayerDesign::Binary16)
            }),
            wanted: |i| i.model.depth() == 2 && !i.is_noiseless(),
        },
        Fixture {
            name: "two-layer-dirac-then-sparse",
            settings: settings(Thresholding::Soft, |s| {
                s.first_layer = Some(FirstLayerDesign::Dirac)
            }),
            wanted: |i| i.model.depth() == 2 && !i.is_noiseless(),
        },
        Fixture {
            name: "multi-channel-householder",
            settings: settings(Thresholding::Soft, |s| {
                s.first_layer = Some(FirstLayerDesign::Householder)
            }),
            wanted: |i| i.model.depth() >= 2 && i.model.input_channels() >= 2 && !i.is_noiseless(),
        },
        Fixture {
            name: "three-layers",
            settings: settings(Thresholding::Soft, |_| {}),
            wanted: |i| i.model.depth() == 3 && !i.is_noiseless(),
        },
        Fixture {
            name: "three-layers-coherent",
            settings: settings(Thresholding::Soft, |s| {
                s.max_depth = 3;
                s.first_layer = Some(FirstLayerDesign::Binary16);
            }),
            wanted: |i| {
                let coherent = i
                    .model
                    .layers()
                    .iter()
                    .filter(|layer| !mutual_coherence(layer).is_zero())
                    .count();
                i.model.depth() == 3 && coherent >= 1 && !i.is_noiseless()
            },
        },
        Fixture {
            name: "nonnegative-relu-network",
            settings: settings(Thresholding::Nonnegative, |_| {}),
            wanted: |i| i.model.depth() >= 2 && !i.is_noiseless(),
        },
        Fixture {
            name: "threshold-near-window-top",
            settings: settings(Thresholding::Soft, |s| {
                s.max_depth = 1;
                s.last_window_position = Some(1.0 - 1e-6);
            }),
            wanted: |i| !i.is_noiseless() && i.noise_budget.is_some(),
        },
        Fixture {
            name: "hard-thresholding-two-layers",
            settings: settings(Thresholding::Hard, |_| {}),
            wanted: |i| i.model.depth() == 2 && !i.is_noiseless(),
        },
    ];
    let folder = Path::new("fixtures/theorem2");
    std::fs::create_dir_all(folder).expect("fixtures folder");
    for fixture in fixtures {
        let path = folder.join(format!("{}.json", fixture.name));
        if path.exists() {
            println!("{} exists, left alone", path.display());
            continue;
        }
        let (seed, mut instance) = (0..50_000u64)
            .map(|seed| {
                let source = format!("examples/make_fixtures.rs, seed {seed}");
                (
                    seed,
                    generate_theorem2_instance(&mut case_rng(seed, 0), &fixture.settings, &source),
                )
            })
            .find(|(_, i)| (fixture.wanted)(i) && check_theorem2(i).verdict.hypotheses_met())
            .expect("some seed has the property");
        instance.name = fixture.name.to_string();
        let text = serde_json::to_string_pretty(&instance.to_file()).expect("serialises");
        std::fs::write(&path, text + "\n").expect("write fixture");
        println!("{} from seed {seed}", path.display());
    }
    // Keep the registry linked so that this example documents where settings come from.
    let _ = Theorem2Entry::paper(Thresholding::Soft).name().to_string();
}
