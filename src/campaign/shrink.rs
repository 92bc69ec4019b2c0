//! Shrinking counterexamples toward a smaller `N`, fewer layers and filters, fewer nonzeros
//! and smaller numerators and denominators, and saving them as instance files that are never
//! overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use crate::conjecture::Conjecture;
use crate::io::Instance;
use crate::model::{Layer, LayerVector, Model};
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

/// `vector` without channel `channel`.
fn without_channel(vector: &LayerVector<Rational>, channel: usize) -> LayerVector<Rational> {
    let mut out = LayerVector::zeros(vector.length(), vector.channels() - 1);
    for (p, c, value) in vector.support() {
        if c != channel {
            out.set(p, if c > channel { c - 1 } else { c }, value.clone());
        }
    }
    out
}

/// The filters of a layer with filter `drop_filter` removed and input channel
/// `drop_input` removed from every filter.
fn filters_without(
    layer: &Layer<Rational>,
    drop_filter: Option<usize>,
    drop_input: Option<usize>,
) -> Vec<Vec<Vec<Rational>>> {
    layer
        .nested_filters()
        .into_iter()
        .enumerate()
        .filter(|(c, _)| Some(*c) != drop_filter)
        .map(|(_, filter)| {
            filter
                .into_iter()
                .map(|tap| {
                    tap.into_iter()
                        .enumerate()
                        .filter(|(k, _)| Some(*k) != drop_input)
                        .map(|(_, v)| v)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Whether no filter of `layer` has a nonzero tap on input channel `channel`.
fn input_unused(layer: &Layer<Rational>, channel: usize) -> bool {
    (0..layer.filter_count())
        .all(|c| (0..layer.filter_length()).all(|t| layer.tap(c, t, channel).is_zero()))
}

/// The instance with its layers replaced, keeping `Γ_K` (reshaped by `gamma`) and the noise
/// (reshaped by `noise`), if the result is a valid model.
fn with_layers(
    instance: &Instance<Rational>,
    input_channels: usize,
    filters: Vec<Vec<Vec<Vec<Rational>>>>,
    gamma: LayerVector<Rational>,
    noise: LayerVector<Rational>,
) -> Option<Instance<Rational>> {
    let layers = filters
        .into_iter()
        .enumerate()
        .map(|(i, f)| Layer::new(i + 1, f))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let mut c = instance.clone();
    c.model = Model::new(instance.model.signal_length(), input_channels, layers).ok()?;
    c.deepest_representation = gamma;
    c.noise = noise;
    Some(c)
}

/// Candidates with simpler filters and fewer channels: a layer of Dirac filters, a filter of
/// the last layer dropped with its channel of `Γ_K`, a filter dropped whose channel the layer
/// above never reads, an input channel the first layer never reads, and a last tap that is
/// zero in every filter.
fn filter_candidates(instance: &Instance<Rational>, out: &mut Vec<Instance<Rational>>) {
    let model = &instance.model;
    let depth = model.depth();
    let all_filters: Vec<_> = model.layers().iter().map(|l| l.nested_filters()).collect();
    let gamma = &instance.deepest_representation;
    for i in 1..=depth {
        let layer = model.layer(i);
        let (count, inputs) = (layer.filter_count(), layer.input_channels());
        // Dirac filters: filter c is 1 at tap 0 on input channel c.
        let dirac: Vec<Vec<Vec<Rational>>> = (0..count)
            .map(|c| {
                vec![
                    (0..inputs)
                        .map(|k| Rational::from_integer(BigInt::from(i64::from(k == c))))
                        .collect(),
                ]
            })
            .collect();
        if count <= inputs && all_filters[i - 1] != dirac {
            let mut filters = all_filters.clone();
            filters[i - 1] = dirac;
            out.extend(with_layers(
                instance,
                model.input_channels(),
                filters,
                gamma.clone(),
                instance.noise.clone(),
            ));
        }
        // A filter dropped: at the last layer with its channel of Γ_K; below it only when the
        // layer above never reads that channel (its filters keep their norms).
        if count >= 2 {
            for c in 0..count {
                let mut filters = all_filters.clone();
                filters[i - 1] = filters_without(layer, Some(c), None);
                let gamma = if i == depth {
                    without_channel(gamma, c)
                } else if input_unused(model.layer(i + 1), c) {
                    filters[i] = filters_without(model.layer(i + 1), None, Some(c));
                    gamma.clone()
                } else {
                    continue;
                };
                out.extend(with_layers(
                    instance,
                    model.input_channels(),
                    filters,
                    gamma,
                    instance.noise.clone(),
                ));
            }
        }
        // The last tap dropped where it is zero in every filter.
        let n = layer.filter_length();
        if n >= 2 && (0..count).all(|c| (0..inputs).all(|k| layer.tap(c, n - 1, k).is_zero())) {
            let mut filters = all_filters.clone();
            for filter in &mut filters[i - 1] {
                filter.pop();
            }
            out.extend(with_layers(
                instance,
                model.input_channels(),
                filters,
                gamma.clone(),
                instance.noise.clone(),
            ));
        }
    }
    // An input channel that no filter of layer 1 reads, dropped with its noise.
    if model.input_channels() >= 2 {
        for k in 0..model.input_channels() {
            if input_unused(model.layer(1), k) {
                let mut filters = all_filters.clone();
                filters[0] = filters_without(model.layer(1), None, Some(k));
                out.extend(with_layers(
                    instance,
                    model.input_channels() - 1,
                    filters,
                    gamma.clone(),
                    without_channel(&instance.noise, k),
                ));
            }
        }
    }
}

/// Candidates with supports closer to position 0: the whole instance rotated so that the
/// largest circular gap between used positions comes last (the model is circular, so this
/// changes nothing but the positions, and lets a smaller `N` follow), and each atom of `Γ_K`
/// moved halfway to 0 (or one step) when that place is free.
fn shift_candidates(instance: &Instance<Rational>, out: &mut Vec<Instance<Rational>>) {
    let length = instance.model.signal_length();
    let mut used: Vec<usize> = instance
        .deepest_representation
        .support()
        .map(|(p, _, _)| p)
        .chain(instance.noise.support().map(|(p, _, _)| p))
        .collect();
    used.sort_unstable();
    used.dedup();
    // The start of the used stretch after the largest gap (the gap after the last position
    // wraps around to the first).
    let start = (0..used.len())
        .max_by_key(|&k| {
            let next = used.get(k + 1).copied().unwrap_or(used[0] + length);
            (next - used[k], std::cmp::Reverse(k))
        })
        .map(|k| used.get(k + 1).copied().unwrap_or(used[0]));
    if let Some(first) = start.filter(|&p| p > 0) {
        let mut c = instance.clone();
        c.deepest_representation = instance.deepest_representation.shifted(length - first);
        c.noise = instance.noise.shifted(length - first);
        out.push(c);
    }
    let gamma = &instance.deepest_representation;
    for (p, ch, value) in gamma.support() {
        for target in [p / 2, p.saturating_sub(1)] {
            if target < p && gamma.get(target, ch).is_zero() {
                let mut c = instance.clone();
                c.deepest_representation.set(p, ch, Rational::zero());
                c.deepest_representation.set(target, ch, value.clone());
                out.push(c);
                break;
            }
        }
    }
}

/// Every one-step simplification of an instance, simplest kinds first; each is a valid
/// instance (it passes the checks of [`crate::io::InstanceFile::to_exact`]).
pub fn simplifications(instance: &Instance<Rational>) -> Vec<Instance<Rational>> {
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
    // Simpler filters and fewer channels.
    filter_candidates(instance, &mut out);
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
        // Half the noise entries at once (the first half, then the second), then one by one.
        let entries: Vec<(usize, usize)> =
            instance.noise.support().map(|(p, ch, _)| (p, ch)).collect();
        if entries.len() >= 4 {
            let (first, second) = entries.split_at(entries.len() / 2);
            for half in [first, second] {
                let mut c = instance.clone();
                for &(p, ch) in half {
                    c.noise.set(p, ch, Rational::zero());
                }
                out.push(c);
            }
        }
        for (p, ch, _) in instance.noise.support() {
            let mut c = instance.clone();
            c.noise.set(p, ch, Rational::zero());
            out.push(c);
        }
    }
    // Supports closer to 0.
    shift_candidates(instance, &mut out);
    // The narrowest last patch.
    if instance.last_patch_width > 1 {
        let mut c = instance.clone();
        c.last_patch_width = 1;
        out.push(c);
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
    // Smaller numerators and denominators: every noise entry at once, then one number at a
    // time.
    for denominator in [1, 2, 4, 16, 256, 65536] {
        if instance.noise.count_nonzeros() >= 2 {
            let mut c = instance.clone();
            let mut changed = false;
            for (p, ch, value) in instance.noise.support() {
                if let Some(v) = simpler(value, denominator) {
                    c.noise.set(p, ch, v);
                    changed = true;
                }
            }
            if changed {
                out.push(c);
            }
        }
    }
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
    // Every candidate is a valid instance: the file's own checks (shapes, N ≥ 2n − 1, unit
    // filters, w_K ≤ N) must pass.
    out.retain(|c| c.to_file().to_exact().is_ok());
    out
}

/// A greedy walk through one-step simplifications: candidates are tried in turn, cyclically;
/// a kept one replaces the instance, and the walk goes on from the same place in the new list
/// (the same kind of step), instead of retrying from the start the steps that just failed.
/// It ends when a whole round keeps nothing, or after [`SHRINK_CHECK_BUDGET`] tries. Both
/// [`shrink_counterexample`] and the proptest value tree of
/// [`crate::conjecture::property::instances`] walk this way.
#[derive(Clone, Debug)]
pub struct SimplificationWalk {
    current: Instance<Rational>,
    /// The simplifications of `current`, computed when first needed.
    candidates: Option<Vec<Instance<Rational>>>,
    next: usize,
    misses: usize,
    tries: usize,
    last: usize,
}

impl SimplificationWalk {
    /// A walk from `instance`.
    pub fn new(instance: Instance<Rational>) -> Self {
        SimplificationWalk {
            current: instance,
            candidates: None,
            next: 0,
            misses: 0,
            tries: 0,
            last: 0,
        }
    }

    /// The instance kept last (the start, until a candidate is kept).
    pub fn current(&self) -> &Instance<Rational> {
        &self.current
    }

    /// Candidates tried so far.
    pub fn tries(&self) -> usize {
        self.tries
    }

    /// The next candidate to try, or `None` when the walk is over.
    pub fn propose(&mut self) -> Option<Instance<Rational>> {
        let candidates = self
            .candidates
            .get_or_insert_with(|| simplifications(&self.current));
        let count = candidates.len();
        if self.tries >= SHRINK_CHECK_BUDGET || count == 0 || self.misses >= count {
            return None;
        }
        let k = self.next % count;
        self.last = k;
        self.next = k + 1;
        self.misses += 1;
        self.tries += 1;
        Some(candidates[k].clone())
    }

    /// Keeps the candidate last proposed: it becomes the instance the walk simplifies.
    pub fn keep(&mut self, candidate: Instance<Rational>) {
        self.candidates = None;
        self.current = candidate;
        self.next = self.last;
        self.misses = 0;
    }
}

/// Greedily simplifies a counterexample while it stays a counterexample
/// ([`SimplificationWalk`]), spending at most [`SHRINK_CHECK_BUDGET`] exact checks. Returns
/// the simplest found and the checks spent.
pub fn shrink_counterexample(
    conjecture: &dyn Conjecture,
    instance: &Instance<Rational>,
) -> (Instance<Rational>, usize) {
    let mut walk = SimplificationWalk::new(instance.clone());
    while let Some(candidate) = walk.propose() {
        if still_violated(conjecture, &candidate) {
            walk.keep(candidate);
        }
    }
    let spent = walk.tries();
    (walk.current, spent)
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

/// As [`save_counterexample`], unless a file `NAME.json` or `NAME-K.json` in `directory`
/// already holds exactly this instance: then that file's path is returned and nothing is
/// written, so a deterministic test that finds the same counterexample on every run does not
/// pile up copies. Returns the path and whether it was written now.
pub fn save_counterexample_once(
    directory: &Path,
    name: &str,
    instance: &Instance<Rational>,
) -> Result<(PathBuf, bool), String> {
    let mut text = serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
    text.push('\n');
    if let Ok(entries) = std::fs::read_dir(directory) {
        let mut same: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|path| {
                let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                    return false;
                };
                let Some(stem) = file.strip_suffix(".json") else {
                    return false;
                };
                let ours = stem == name
                    || stem
                        .strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|k| !k.is_empty() && k.chars().all(|d| d.is_ascii_digit()));
                ours && std::fs::read_to_string(path).is_ok_and(|t| t == text)
            })
            .collect();
        same.sort();
        if let Some(path) = same.into_iter().next() {
            return Ok((path, false));
        }
    }
    save_counterexample(directory, name, instance).map(|path| (path, true))
}
