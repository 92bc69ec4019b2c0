//! Work limits of the exhaustive entries (`stripe-rip`, `dcp-stability`, `stripe-spark-lemma`,
//! `dcp-uniqueness`), checked before the work: each enumerates supports of a layer's
//! dictionary, whose number grows exponentially with the signal length (a Dirac layer over
//! `N = 64` positions has `2^64`). Per layer, in order: the dense dictionary
//! `N m_{i-1} × N m_i` the check builds, its exact coherence, then the enumeration itself,
//! counted by [`count_supports`] up to the caps below (the count of a refused instance stops
//! at the first cap, within about a second). The caps are far above the tiny instances these
//! entries are drawn from (at most 16 atoms: at most `2^16` supports of at most 16 atoms).

use super::Instance;
use super::support_count::{Enumeration, SupportCaps, SupportWork, count_supports};
use crate::model::Layer;
use crate::norms::stripe_sparsity;
use crate::scalar::Rational;
use crate::theorems::dcp_stability_theorem::DcpStability;
use crate::theorems::statement::Statement;
use crate::theorems::uniqueness_theorem::largest_budget_below_bound;

/// The most entries `N m_{i-1} · N m_i` of the dense dictionary an exhaustive check builds.
pub const MAX_DENSE_DICTIONARY_ENTRIES: u128 = 1 << 20;

/// The most multiply-adds `m_i² (2 n_i − 1) n_i m_{i-1}` of a layer's exact coherence.
pub const MAX_COHERENCE_WORK: u128 = 1 << 26;

/// The most supports one enumeration visits (the stripe RIP keeps every one in memory).
pub const MAX_SUPPORTS: u64 = 1 << 20;

/// The most scan work `(atoms tried) · (N + 2 n_i − 1)` of one enumeration's stripe counter.
pub const MAX_SCAN_WORK: u128 = 1 << 32;

/// The most exact work `Σ_T |T|² (N m_{i-1} + |T|)` of one enumeration, times the square of
/// the longest tap's length in 64-bit words.
pub const MAX_SUPPORT_WORK: u128 = 1 << 30;

/// Which exhaustive check a limit is for, and what it enumerates at each layer.
#[derive(Clone, Copy)]
enum Exhaustive {
    StripeRip,
    DcpStability,
    StripeSpark,
    DcpUniqueness,
}

impl Exhaustive {
    fn name(self) -> &'static str {
        match self {
            Exhaustive::StripeRip => "stripe-rip",
            Exhaustive::DcpStability => "dcp-stability",
            Exhaustive::StripeSpark => "stripe-spark-lemma",
            Exhaustive::DcpUniqueness => "dcp-uniqueness",
        }
    }
}

/// The size checks that come before any exact computation on layer `i`: its dense dictionary
/// and its exact coherence.
fn check_layer_size(
    entry: Exhaustive,
    i: usize,
    layer: &Layer<Rational>,
    length: usize,
) -> Result<(), String> {
    let (m, n, previous) = (
        layer.filter_count() as u128,
        layer.filter_length() as u128,
        layer.input_channels() as u128,
    );
    let length = length as u128;
    let dictionary = length * previous * length * m;
    if dictionary > MAX_DENSE_DICTIONARY_ENTRIES {
        return Err(format!(
            "layer {i}: {} builds the dense dictionary of N m_{} × N m_{i} = {} × {} = {dictionary} entries, above the limit of {MAX_DENSE_DICTIONARY_ENTRIES}; the exhaustive entries are for tiny dictionaries: use a shorter signal or fewer filters",
            entry.name(),
            i - 1,
            length * previous,
            length * m
        ));
    }
    let coherence = m * m * (2 * n - 1) * n * previous;
    if coherence > MAX_COHERENCE_WORK {
        return Err(format!(
            "layer {i}: the exact coherence takes m_{i}² (2 n_{i} − 1) n_{i} m_{} = {coherence} multiply-adds, above the limit of {MAX_COHERENCE_WORK}; use fewer or shorter filters",
            i - 1
        ));
    }
    Ok(())
}

/// The square of the longest tap's length in 64-bit words: the cost of one exact product.
fn tap_weight(layer: &Layer<Rational>) -> u128 {
    let bits = layer
        .taps()
        .iter()
        .map(|x| x.numer().bits().max(x.denom().bits()))
        .max()
        .unwrap_or(1);
    let words = bits.div_ceil(64).max(1) as u128;
    words * words
}

/// Counts the enumeration of layer `i` at stripe budget `budget`, with the caps divided by
/// `repeats` (the number of times it may run, and `why`); `Err` names the cap passed.
fn check_enumeration(
    entry: Exhaustive,
    i: usize,
    layer: &Layer<Rational>,
    length: usize,
    budget: usize,
    (repeats, why): (u128, &str),
) -> Result<SupportWork, String> {
    let shape = Enumeration {
        length,
        channels: layer.filter_count(),
        filter_length: layer.filter_length(),
        budget,
        dimension: length * layer.input_channels(),
    };
    let scan = (length + layer.stripe_width().min(length)) as u128;
    let weight = tap_weight(layer);
    let caps = SupportCaps {
        supports: (MAX_SUPPORTS as u128 / repeats) as u64,
        tries: (MAX_SCAN_WORK / scan / repeats).min(u64::MAX as u128) as u64,
        exact_work: MAX_SUPPORT_WORK / weight / repeats,
    };
    count_supports(&shape, &caps).map_err(|reached| {
        let atoms = length * layer.filter_count();
        let runs = if repeats > 1 {
            format!(" (run up to {repeats} times: {why})")
        } else {
            String::new()
        };
        let what = if reached.supports > caps.supports {
            format!("more than {} supports, above the limit of {MAX_SUPPORTS}", caps.supports)
        } else if reached.tries > caps.tries {
            format!("a scan work (atoms tried × (N + 2n_{i} − 1)) above the limit of {MAX_SCAN_WORK}")
        } else {
            format!(
                "an exact work Σ_T |T|² (N m_{} + |T|) × {weight} (the longest tap's length in words, squared) above the limit of {MAX_SUPPORT_WORK}",
                i - 1
            )
        };
        format!(
            "layer {i}: {} enumerates every support of stripe sparsity at most {budget} among N m_{i} = {atoms} atoms{runs}: {what}; the exhaustive entries are for tiny dictionaries (verify draws at most 16 atoms): use a shorter signal, fewer filters or a sparser Γ",
            entry.name()
        )
    })
}

/// The size checks of every layer, before any budget is computed (a budget needs the exact
/// coherence).
fn check_sizes(entry: Exhaustive, instance: &Instance<Rational>) -> Result<(), String> {
    let length = instance.model.signal_length();
    for (index, layer) in instance.model.layers().iter().enumerate() {
        check_layer_size(entry, index + 1, layer, length)?;
    }
    Ok(())
}

/// Refuses `stripe-rip` on an instance whose enumeration (every support of stripe sparsity at
/// most `k = ‖Γ_i‖^S_{0,∞}`, at every layer) passes a cap, before any of it runs.
pub fn check_stripe_rip_size(instance: &Instance<Rational>) -> Result<(), String> {
    check_sizes(Exhaustive::StripeRip, instance)?;
    let (_, chain) = instance.signal_and_chain();
    let length = instance.model.signal_length();
    for (index, layer) in instance.model.layers().iter().enumerate() {
        let k = stripe_sparsity(&chain[index + 1], layer.filter_length()).max(1);
        check_enumeration(Exhaustive::StripeRip, index + 1, layer, length, k, (1, ""))?;
    }
    Ok(())
}

/// Refuses `dcp-stability` (budgets `λ_i` at most `most_budget`) on an instance whose
/// enumeration (every support of stripe sparsity at most `2 λ_i`) passes a cap. An instance
/// outside the hypotheses is decided `vacuous` without enumerating, and passes.
pub fn check_dcp_stability_size(
    instance: &Instance<Rational>,
    most_budget: usize,
) -> Result<(), String> {
    check_sizes(Exhaustive::DcpStability, instance)?;
    if (DcpStability { most_budget }).hypotheses(instance).is_err() {
        return Ok(());
    }
    let length = instance.model.signal_length();
    for (index, layer) in instance.model.layers().iter().enumerate() {
        let lambda = largest_budget_below_bound(layer, most_budget).unwrap_or(1);
        check_enumeration(
            Exhaustive::DcpStability,
            index + 1,
            layer,
            length,
            2 * lambda,
            (1, ""),
        )?;
    }
    Ok(())
}

/// Refuses `stripe-spark-lemma` on an instance whose circuit search passes a cap. The search
/// visits independent sets, and once it has met a circuit (of at most `d + 1 = N m_{i-1} + 1`
/// atoms) only sets of lower stripe sparsity; a stripe holds at most `(2 n_i − 1) m_i` atoms.
/// So every set it visits has stripe sparsity at most `min(N m_i, (2 n_i − 1) m_i, d + 1)`,
/// and their count bounds the search (twice, with its fallback to rationals).
pub fn check_stripe_spark_size(instance: &Instance<Rational>) -> Result<(), String> {
    check_sizes(Exhaustive::StripeSpark, instance)?;
    let length = instance.model.signal_length();
    for (index, layer) in instance.model.layers().iter().enumerate() {
        let atoms = length * layer.filter_count();
        let stripe = layer.stripe_width().min(length) * layer.filter_count();
        let budget = atoms.min(stripe).min(length * layer.input_channels() + 1);
        check_enumeration(
            Exhaustive::StripeSpark,
            index + 1,
            layer,
            length,
            budget,
            (
                2,
                "modulo a prime, then in rationals if a dependency proves false",
            ),
        )?;
    }
    Ok(())
}

/// Refuses `dcp-uniqueness` (budgets `λ_i` at most `most_budget`) on an instance whose
/// enumeration passes a cap. Layer `i` is enumerated once per candidate `Γ̂_{i-1}`, and a
/// layer has at most one candidate per support (and the zero vector), so the caps of layer
/// `i` are divided by the product of `S_j + 1` over the layers above, `S_j` the supports of
/// layer `j`.
pub fn check_dcp_uniqueness_size(
    instance: &Instance<Rational>,
    most_budget: usize,
) -> Result<(), String> {
    check_sizes(Exhaustive::DcpUniqueness, instance)?;
    let layers = instance.model.layers();
    let Some(budgets) = layers
        .iter()
        .map(|layer| largest_budget_below_bound(layer, most_budget))
        .collect::<Option<Vec<usize>>>()
    else {
        // Some μ_i ≥ 1: vacuous before any enumeration.
        return Ok(());
    };
    let length = instance.model.signal_length();
    let mut repeats: u128 = 1;
    for (index, layer) in layers.iter().enumerate() {
        let work = check_enumeration(
            Exhaustive::DcpUniqueness,
            index + 1,
            layer,
            length,
            budgets[index],
            (repeats, "once per candidate of the layers above"),
        )?;
        repeats = repeats.saturating_mul(work.supports as u128 + 1);
    }
    Ok(())
}

/// The most atoms `H W m` of one layer the stripe spark on images searches: its circuit search
/// visits independent sets of atoms, at most `2^18` of them.
pub const MOST_IMAGE_SPARK_ATOMS: usize = 18;

/// Refuses `stripe-spark-lemma-image` (and its control) on an instance with a layer of more
/// than [`MOST_IMAGE_SPARK_ATOMS`] atoms, before any work: the exhaustive image entries are for
/// tiny grids (up to 4 × 4 with one filter, or eight positions with two).
pub fn check_image_stripe_spark_size(instance: &Instance<Rational>) -> Result<(), String> {
    check_image_atoms(instance, "the stripe spark on images searches")
}

/// Refuses `dcp-uniqueness-image` (and its control) on an instance with a layer of more than
/// [`MOST_IMAGE_SPARK_ATOMS`] atoms, before any work: its enumeration visits supports of the
/// layer's atoms, at most `2^18` of them per candidate of the layers above.
pub fn check_image_uniqueness_size(instance: &Instance<Rational>) -> Result<(), String> {
    check_image_atoms(instance, "uniqueness on images enumerates supports of")
}

/// The refusal of a layer of more than [`MOST_IMAGE_SPARK_ATOMS`] atoms; `what` says what the
/// entry does with them.
fn check_image_atoms(instance: &Instance<Rational>, what: &str) -> Result<(), String> {
    let model = &instance.model;
    for i in 1..=model.depth() {
        let atoms = model.grid(i).positions() * model.channels(i);
        if atoms > MOST_IMAGE_SPARK_ATOMS {
            let grid = model.grid(i);
            return Err(format!(
                "layer {i}: {what} the {atoms} atoms of a {} × {} grid with {} filters, above the limit of {MOST_IMAGE_SPARK_ATOMS}; the exhaustive image entries are for tiny grids: use a smaller signal or fewer filters",
                grid.rows,
                grid.columns,
                model.channels(i)
            ));
        }
    }
    Ok(())
}
