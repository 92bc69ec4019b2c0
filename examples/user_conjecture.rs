//! A user-defined conjecture, end to end: "under the hypotheses of Theorem 2, layered hard
//! thresholding is never farther from the truth than layered soft thresholding, patch by
//! patch". The harness generates instances, decides every case exactly, counts, and shrinks a
//! counterexample if it finds one.
//!
//! Run: `cargo run --release --example user_conjecture`

use mlcsc::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign, shrink_counterexample};
use mlcsc::conjecture::{Conjecture, ExpectedStatus};
use mlcsc::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use mlcsc::io::Instance;
use mlcsc::norms::patch_norm_squared;
use mlcsc::pursuit::{Thresholding, layered_thresholding};
use mlcsc::scalar::Rational;
use mlcsc::theorems::theorem2::check_theorem2;
use mlcsc::theorems::verdict::{FailedHypothesis, Verdict, Witness};
use rand_chacha::ChaCha8Rng;

// ---- the user's code: about forty lines -------------------------------------------------
struct HardIsNeverWorse;

impl Conjecture for HardIsNeverWorse {
    fn name(&self) -> &str {
        "hard-thresholding-is-never-worse"
    }
    fn citation(&self) -> &str {
        "examples/user_conjecture.rs: a guess, to be tested"
    }
    fn status(&self) -> ExpectedStatus {
        ExpectedStatus::Open
    }
    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        generate_theorem2_instance(rng, &Theorem2Settings::new(Thresholding::Soft), self.name())
    }
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        match check_theorem2(instance).verdict {
            Verdict::Vacuous(failed) => Err(failed),
            _ => Ok(()),
        }
    }
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        let (y, truth) = instance.signal_and_chain();
        let run = |t| layered_thresholding(&instance.model, &y, &instance.thresholds, t);
        let (soft, hard) = (run(Thresholding::Soft), run(Thresholding::Hard));
        for i in 0..instance.model.depth() {
            let width = instance
                .model
                .layers()
                .get(i + 1)
                .map_or(instance.last_patch_width, |l| l.filter_length());
            let hard_error = patch_norm_squared(&truth[i + 1].difference(&hard[i]), width);
            let soft_error = patch_norm_squared(&truth[i + 1].difference(&soft[i]), width);
            if hard_error > soft_error {
                return Err(Witness {
                    layer: i + 1,
                    conclusion: "hard error ≤ soft error".into(),
                    location: format!("patches of width {width}"),
                    observed: format!("hard squared patch error {hard_error}"),
                    bound: format!("soft squared patch error {soft_error}"),
                });
            }
        }
        Ok(())
    }
}
// ---- end of the user's code -------------------------------------------------------------

fn main() {
    let conjecture = HardIsNeverWorse;
    let settings = CampaignSettings {
        cases: 300,
        seed: 1,
        shard: Shard::WHOLE,
        arithmetic: Arithmetic::Exact,
    };
    let report = run_campaign(&conjecture, settings, None, &|| {}).expect("no checkpoint");
    let s = &report.statistics;
    println!(
        "{}: {} cases, {} met the hypotheses, {} held, {} violated",
        conjecture.name(),
        s.cases,
        s.hypotheses_met,
        s.holds,
        s.violated
    );
    if let Some(&case) = s.violating_cases.first() {
        let instance = conjecture.generate(&mut case_rng(settings.seed, case));
        let (shrunk, spent) = shrink_counterexample(&conjecture, &instance);
        println!("counterexample (case {case}, shrunk with {spent} exact checks):");
        println!(
            "{}",
            serde_json::to_string_pretty(&shrunk.to_file()).expect("serialises")
        );
        if let Verdict::Violated(w) = conjecture.check(&shrunk).verdict {
            println!("layer {}: {} against {}", w.layer, w.observed, w.bound);
        }
    }
}
