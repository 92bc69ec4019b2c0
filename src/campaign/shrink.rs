//! Shrinking counterexamples toward a smaller `N`, fewer layers and filters, fewer nonzeros
//! and smaller numerators and denominators, and saving them as instance files that are never
//! overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use crate::conjecture::Conjecture;
use crate::io::Instance;
use crate::model::{LayerVector, Model};
use crate::scalar::Rational;

/// The largest number of exact checks one shrink may spend.
pub const SHRINK_CHECK_BUDGET: usize = 400;

fn still_violated(conjecture: &dyn Conjecture, candidate: &Instance<Rational>) -> bool {
    conjecture.check(candidate).verdict.is_violated()
}

/// `value` rounded to the nearest multiple of `1/denominator`, if that is simpler and nonzero.
fn simpler(value: &Rational, denominator: i64) -> Option<Rational> {
    let d = BigInt::from(denominator);
    if value.denom() <= &d {
        return None;
    }
    let rounded = Rational::new(
        (value * Rational::from_integer(d.clone()))
            .round()
            .to_integer(),
        d,
    );
    (!rounded.is_zero()).then_some(rounded)
}

/// Every one-step simplification of an instance, simplest kinds first.
fn candidates(instance: &Instance<Rational>) -> Vec<Instance<Rational>> {
    let mut out = Vec::new();
    let model = &instance.model;
    let depth = model.depth();
    // Fewer layers: drop the deepest (its synthesis becomes the new Γ_K) or the first (the new
    // signal is Γ_1, noise-free).
    if depth > 1 {
        let mut c = instance.clone();
        let chain = model
            .synthesis_chain(&instance.deepest_representation)
            .expect("valid");
        c.model = Model::new(
            model.signal_length(),
            model.input_channels(),
            model.layers()[..depth - 1].to_vec(),
        )
        .expect("a prefix of a valid model is valid");
        c.deepest_representation = chain[depth - 1].clone();
        c.thresholds.pop();
        out.push(c);
        let mut c = instance.clone();
        c.model = Model::new(
            model.signal_length(),
            model.channels(1),
            model.layers()[1..].to_vec(),
        )
        .expect("a suffix of a valid model is valid");
        c.noise = LayerVector::zeros(model.signal_length(), model.channels(1));
        c.noise_budget = None;
        c.thresholds.remove(0);
        out.push(c);
    }
    // Fewer nonzeros in Γ_K and in the noise.
    for (p, ch, _) in instance.deepest_representation.support() {
        let mut c = instance.clone();
        c.deepest_representation.set(p, ch, Rational::zero());
        out.push(c);
    }
    if !instance.is_noiseless() {
        let mut c = instance.clone();
        c.noise = LayerVector::zeros(model.signal_length(), model.input_channels());
        out.push(c);
        for (p, ch, _) in instance.noise.support() {
            let mut c = instance.clone();
            c.noise.set(p, ch, Rational::zero());
            out.push(c);
        }
    }
    // Smaller N: drop the last position when nothing lives there and N stays ≥ 2n − 1.
    let length = model.signal_length();
    let shortest = model
        .layers()
        .iter()
        .map(|l| 2 * l.filter_length() - 1)
        .max()
        .unwrap_or(1);
    let last_used = instance
        .deepest_representation
        .support()
        .map(|(p, _, _)| p)
        .chain(instance.noise.support().map(|(p, _, _)| p))
        .max()
        .unwrap_or(0);
    if length > shortest && last_used + 1 < length {
        let new_length = (last_used + 1)
            .max(shortest)
            .max(length / 2)
            .min(length - 1);
        let mut c = instance.clone();
        c.model = Model::new(new_length, model.input_channels(), model.layers().to_vec())
            .expect("N ≥ 2n − 1 kept");
        let truncate = |v: &LayerVector<Rational>| {
            let mut out = LayerVector::zeros(new_length, v.channels());
            for (p, ch, value) in v.support() {
                out.set(p, ch, value.clone());
            }
            out
        };
        c.deepest_representation = truncate(&instance.deepest_representation);
        c.noise = truncate(&instance.noise);
        c.last_patch_width = c.last_patch_width.min(new_length);
        out.push(c);
    }
    // Smaller numerators and denominators.
    for denominator in [1, 2, 4, 16, 256, 65536] {
        for (p, ch, value) in instance.deepest_representation.support() {
            if let Some(v) = simpler(value, denominator) {
                let mut c = instance.clone();
                c.deepest_representation.set(p, ch, v);
                out.push(c);
            }
        }
        for (p, ch, value) in instance.noise.support() {
            if let Some(v) = simpler(value, denominator) {
                let mut c = instance.clone();
                c.noise.set(p, ch, v);
                out.push(c);
            }
        }
        for (k, beta) in instance.thresholds.iter().enumerate() {
            if let Some(v) = simpler(beta, denominator).filter(|v| !v.is_negative()) {
                let mut c = instance.clone();
                c.thresholds[k] = v;
                out.push(c);
            }
        }
        if let Some(budget) = &instance.noise_budget
            && let Some(v) = simpler(budget, denominator)
        {
            let mut c = instance.clone();
            c.noise_budget = Some(v);
            out.push(c);
        }
    }
    out
}

/// Greedily simplifies a counterexample while it stays a counterexample, spending at most
/// [`SHRINK_CHECK_BUDGET`] exact checks. Returns the simplest found and the checks spent.
pub fn shrink_counterexample(
    conjecture: &dyn Conjecture,
    instance: &Instance<Rational>,
) -> (Instance<Rational>, usize) {
    let mut current = instance.clone();
    let mut spent = 0;
    'outer: loop {
        for candidate in candidates(&current) {
            if spent >= SHRINK_CHECK_BUDGET {
                break 'outer;
            }
            spent += 1;
            if still_violated(conjecture, &candidate) {
                current = candidate;
                continue 'outer;
            }
        }
        break;
    }
    (current, spent)
}

/// Writes a counterexample into `directory` as `NAME.json`, or `NAME-2.json`, … when that
/// exists: an existing file is never overwritten. The file is written whole to a temporary
/// file in the folder, synced, and then given its name, so a failure leaves no partial file.
/// Returns the path written.
pub fn save_counterexample(
    directory: &Path,
    name: &str,
    instance: &Instance<Rational>,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(directory).map_err(|e| format!("{}: {e}", directory.display()))?;
    let mut text = serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
    text.push('\n');
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", directory.display());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mlcsc-").suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(directory).map_err(|e| failed(&e))?;
    temporary
        .write_all(text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| failed(&e))?;
    for attempt in 1..10_000 {
        let file_name = if attempt == 1 {
            format!("{name}.json")
        } else {
            format!("{name}-{attempt}.json")
        };
        let path = directory.join(file_name);
        match temporary.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temporary = e.file,
            Err(e) => return Err(format!("{}: {}", path.display(), e.error)),
        }
    }
    Err(format!(
        "{}: too many counterexamples named {name}",
        directory.display()
    ))
}
