//! The re-check that cannot be fooled: a case is reproducible from the master seed and its
//! index, so a record read back is compared with the case decided again, in the campaign's
//! own arithmetic. Resume and merge re-decide a sample (at least [`LEAST_SAMPLE`] records or
//! 1 %, whichever is larger, all of them when fewer), chosen from the seed; `merge --recheck
//! all` re-decides every record.

use rayon::prelude::*;

use super::{CampaignSettings, run_case};
use crate::campaign::record::CaseRecord;
use crate::conjecture::Entry;

/// The fewest records a sample re-decides (all of them when there are fewer).
pub const LEAST_SAMPLE: u64 = 64;

/// How many records are re-decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Recheck {
    /// A sample: at least 64 records or 1 %, whichever is larger, chosen from the seed.
    #[default]
    Sample,
    /// Every record.
    All,
}

/// The size of the sample of `records` records.
pub fn sample_size(records: u64) -> u64 {
    LEAST_SAMPLE.max(records.div_ceil(100)).min(records)
}

/// The rank of a case in the sample order of a seed: a mix of both (SplitMix64), so the
/// sample is spread over the cases and fixed by the seed.
fn rank(seed: u64, case: u64) -> u64 {
    let mut z = seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Which of `cases` (positions in it) are re-decided: with [`Recheck::Sample`] the
/// [`sample_size`] of lowest rank under the campaign's seed, with [`Recheck::All`] all; in
/// the order of `cases`.
pub(crate) fn chosen(settings: &CampaignSettings, recheck: Recheck, cases: &[u64]) -> Vec<usize> {
    let mut order: Vec<(u64, u64, usize)> = cases
        .iter()
        .enumerate()
        .map(|(k, &case)| (rank(settings.seed, case), case, k))
        .collect();
    let size = match recheck {
        Recheck::Sample => sample_size(cases.len() as u64) as usize,
        Recheck::All => cases.len(),
    };
    if size < order.len() {
        order.select_nth_unstable(size);
        order.truncate(size);
    }
    let mut positions: Vec<usize> = order.into_iter().map(|(_, _, k)| k).collect();
    positions.sort_unstable();
    positions
}

/// The cases re-decided among all the cases `0..cases` of a complete campaign, sorted: those
/// at the positions [`chosen`] gives for `0, 1, …, cases − 1`, found while holding only the
/// sample (for a merge of many shards, whose case list is not kept); `None` for
/// [`Recheck::All`], every case.
pub(crate) fn chosen_cases(
    settings: &CampaignSettings,
    recheck: Recheck,
    cases: u64,
) -> Option<Vec<u64>> {
    if recheck == Recheck::All {
        return None;
    }
    let size = sample_size(cases) as usize;
    let mut lowest: std::collections::BinaryHeap<(u64, u64)> =
        std::collections::BinaryHeap::with_capacity(size + 1);
    for case in 0..cases {
        lowest.push((rank(settings.seed, case), case));
        if lowest.len() > size {
            lowest.pop();
        }
    }
    let mut cases: Vec<u64> = lowest.into_iter().map(|(_, case)| case).collect();
    cases.sort_unstable();
    Some(cases)
}

/// Re-decides each record in `settings`' arithmetic; `Err` gives the first one (by place: a
/// line, or a report and a line) that differs from its re-decision, and how. Returns how many
/// were re-decided.
pub(crate) fn recheck_records<L: Ord + Copy + Send + Sync>(
    entry: &Entry,
    settings: &CampaignSettings,
    mut records: Vec<(L, CaseRecord)>,
) -> Result<usize, (L, String)> {
    records.sort_by_key(|(place, _)| *place);
    let first = records
        .par_iter()
        .map(|(place, record)| {
            let again = run_case(entry, settings.seed, record.case, settings.arithmetic);
            difference(record, &again).map(|why| (*place, why))
        })
        .find_first(Option::is_some)
        .flatten();
    match first {
        Some(mismatch) => Err(mismatch),
        None => Ok(records.len()),
    }
}

/// How a record differs from the case decided again, or `None` when it is the same.
pub(crate) fn difference(recorded: &CaseRecord, again: &CaseRecord) -> Option<String> {
    // Compared as written: a value that JSON cannot hold (a NaN tightness) is written, and
    // read back, as null.
    let show = |r: &CaseRecord| serde_json::to_value(r).expect("records serialise");
    let (a, b) = (show(recorded), show(again));
    if a == b {
        return None;
    }
    let field = [
        "verdict",
        "failed-hypothesis",
        "witness",
        "certified",
        "tightness",
    ]
    .into_iter()
    .chain(["margins", "features"])
    .find(|key| a[key] != b[key])
    .unwrap_or("case");
    Some(format!(
        "case {} is not what deciding it again gives: its {field} is {} where the case gives {}; the record was edited, or written by another version of mlcsc or for another entry",
        recorded.case, a[field], b[field]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_at_least_64_or_one_percent_and_never_more_than_the_records() {
        assert_eq!(sample_size(0), 0);
        assert_eq!(sample_size(10), 10);
        assert_eq!(sample_size(64), 64);
        assert_eq!(sample_size(6_400), 64);
        assert_eq!(sample_size(6_401), 65);
        assert_eq!(sample_size(1_000_000), 10_000);
    }

    #[test]
    fn the_streamed_sample_is_the_sample_of_the_whole_case_list() {
        for (cases, seed) in [(10, 1), (64, 2), (6_401, 3), (20_000, 2017)] {
            let settings = CampaignSettings {
                cases,
                seed,
                shard: super::super::Shard::WHOLE,
                arithmetic: super::super::Arithmetic::Exact,
            };
            let all: Vec<u64> = (0..cases).collect();
            let positions = chosen(&settings, Recheck::Sample, &all);
            let expected: Vec<u64> = positions.into_iter().map(|k| all[k]).collect();
            assert_eq!(
                chosen_cases(&settings, Recheck::Sample, cases),
                Some(expected)
            );
        }
        let settings = CampaignSettings {
            cases: 5,
            seed: 1,
            shard: super::super::Shard::WHOLE,
            arithmetic: super::super::Arithmetic::Exact,
        };
        assert_eq!(chosen_cases(&settings, Recheck::All, 5), None);
    }
}
