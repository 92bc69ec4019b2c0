//! `--shard I/N`, or `--shard auto` (`auto/N`): the shard of this run read from the job
//! scheduler's environment, counted from 1 like `I/N`.
//!
//! The variables read, in this order of schedulers (exactly one may be present):
//! - Slurm job arrays: `SLURM_ARRAY_TASK_ID`, placed in the array by `SLURM_ARRAY_TASK_MIN`,
//!   `SLURM_ARRAY_TASK_MAX` and `SLURM_ARRAY_TASK_STEP` when set (so `--array=0-3` and
//!   `--array=1-4` both give shards 1/4 … 4/4), its count from them and/or
//!   `SLURM_ARRAY_TASK_COUNT`, which must agree;
//! - PBS Pro `PBS_ARRAY_INDEX` and Torque `PBS_ARRAYID`: the index as the shard, the count
//!   given (`auto/N`), as neither sets it;
//! - SGE: `SGE_TASK_ID` placed by `SGE_TASK_FIRST`, `SGE_TASK_LAST`, `SGE_TASK_STEPSIZE`
//!   (`undefined`, as SGE sets outside arrays, counts as absent);
//! - LSF: `LSB_JOBINDEX`, with `LSB_JOBINDEX_END` and `LSB_JOBINDEX_STEP` when set;
//! - GNU parallel: `PARALLEL_SEQ` (1, 2, … per job), the count given (`auto/N`).
//!
//! A count given with `auto/N` must agree with the scheduler's own. Every refusal names the
//! variable and its value.

use std::collections::BTreeMap;

use crate::campaign::Shard;

/// The `--shard` given: a shard, or `auto` with an optional count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardChoice {
    /// `I/N`.
    Given(Shard),
    /// `auto` (count `None`) or `auto/N`.
    Auto(Option<u64>),
}

impl ShardChoice {
    /// Parses `I/N`, `auto` or `auto/N`.
    pub fn parse(text: &str) -> Result<ShardChoice, String> {
        let trimmed = text.trim();
        let Some(rest) = trimmed.strip_prefix("auto") else {
            return Shard::parse(text).map(ShardChoice::Given);
        };
        if rest.is_empty() {
            return Ok(ShardChoice::Auto(None));
        }
        let count = rest
            .strip_prefix('/')
            .and_then(|n| n.trim().parse::<u64>().ok())
            .filter(|&n| n >= 1)
            .ok_or_else(|| {
                format!("--shard {text:?}: expected auto or auto/N with N a whole number ≥ 1")
            })?;
        Ok(ShardChoice::Auto(Some(count)))
    }

    /// The shard of this run, reading `environment` (the process's variables) for `auto`.
    pub fn resolve(self, environment: &BTreeMap<String, String>) -> Result<Shard, String> {
        match self {
            ShardChoice::Given(shard) => Ok(shard),
            ShardChoice::Auto(count) => shard_from_scheduler(environment, count),
        }
    }
}

/// The process's environment as a map (variables that are not Unicode left out).
pub fn process_environment() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// The index variables, one per scheduler, with the scheduler's name.
const INDEX_VARIABLES: [(&str, &str); 6] = [
    ("SLURM_ARRAY_TASK_ID", "a Slurm job array"),
    ("PBS_ARRAY_INDEX", "a PBS Pro job array"),
    ("PBS_ARRAYID", "a Torque job array"),
    ("SGE_TASK_ID", "an SGE array job"),
    ("LSB_JOBINDEX", "an LSF job array"),
    ("PARALLEL_SEQ", "GNU parallel"),
];

/// The shard given by the scheduler variables of `environment`; `given` is the count of
/// `auto/N`. Refused when no scheduler's variable is set, when two are, and when a value is
/// not a whole number, out of its range, or disagrees with another.
pub fn shard_from_scheduler(
    environment: &BTreeMap<String, String>,
    given: Option<u64>,
) -> Result<Shard, String> {
    let present: Vec<(&str, &str)> = INDEX_VARIABLES
        .into_iter()
        .filter(|(name, _)| value_of(environment, name).is_some())
        .collect();
    let (variable, scheduler) = match present[..] {
        [one] => one,
        [] => {
            return Err(format!(
                "--shard auto: no job scheduler's task index is set (looked for {}); run inside a job array or GNU parallel, or give --shard I/N",
                INDEX_VARIABLES.map(|(name, _)| name).join(", ")
            ));
        }
        _ => {
            return Err(format!(
                "--shard auto: the task indices of more than one scheduler are set ({}); give --shard I/N",
                present
                    .iter()
                    .map(|(name, _)| format!("{name}={}", environment[*name]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    };
    let (position, count) = position_and_count(environment, variable)?;
    let count = agreed_count(variable, scheduler, count, given)?;
    if position == 0 || position > count {
        return Err(format!(
            "--shard auto: {variable}={} is shard {position} of {count}, out of range (shards count from 1: 1/{count} … {count}/{count})",
            environment[variable]
        ));
    }
    Ok(Shard {
        index: position - 1,
        count,
    })
}

/// The count of shards: the scheduler's and the given one, which must agree when both are
/// known.
fn agreed_count(
    variable: &str,
    scheduler: &str,
    own: Option<(u64, String)>,
    given: Option<u64>,
) -> Result<u64, String> {
    match (own, given) {
        (Some((own, _)), None) => Ok(own),
        (None, Some(given)) => Ok(given),
        (Some((own, _)), Some(given)) if own == given => Ok(own),
        (Some((own, source)), Some(given)) => Err(format!(
            "--shard auto/{given}: {source} gives {own} tasks in {scheduler}, not {given}; give the same count, or --shard auto"
        )),
        (None, None) => Err(format!(
            "--shard auto: {variable} is set but {scheduler} does not tell how many tasks there are; give the count as --shard auto/N"
        )),
    }
}

/// A variable's value, `None` when unset, empty or `undefined` (as SGE writes outside arrays).
fn value_of<'a>(environment: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    environment
        .get(name)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && *v != "undefined")
}

/// A variable read as a whole number, `None` when absent.
fn number(environment: &BTreeMap<String, String>, name: &str) -> Result<Option<u64>, String> {
    value_of(environment, name)
        .map(|text| {
            text.parse::<u64>()
                .map_err(|_| format!("--shard auto: {name}={text:?} is not a whole number ≥ 0"))
        })
        .transpose()
}

/// The position from 1 of the task in its array, and the array's count when the scheduler
/// tells it (with the variables it came from, for messages).
fn position_and_count(
    environment: &BTreeMap<String, String>,
    variable: &str,
) -> Result<(u64, Option<(u64, String)>), String> {
    let index = number(environment, variable)?.expect("present");
    let range = |first: &str, last: &str, step: &str, count: Option<&str>| {
        scheduler_range(environment, variable, index, [first, last, step], count)
    };
    match variable {
        "SLURM_ARRAY_TASK_ID" => range(
            "SLURM_ARRAY_TASK_MIN",
            "SLURM_ARRAY_TASK_MAX",
            "SLURM_ARRAY_TASK_STEP",
            Some("SLURM_ARRAY_TASK_COUNT"),
        ),
        "SGE_TASK_ID" => range("SGE_TASK_FIRST", "SGE_TASK_LAST", "SGE_TASK_STEPSIZE", None),
        // LSF indices start where the array does, and LSF sets no start variable: from 1.
        "LSB_JOBINDEX" => range("", "LSB_JOBINDEX_END", "LSB_JOBINDEX_STEP", None),
        _ => Ok((index, None)),
    }
}

/// The position of `index` in the range `first, first + step, …, last` (`first` 1 when its
/// variable is not set; `last` unknown makes the count unknown unless `count` is set), and
/// the count, checked against `count`'s variable.
fn scheduler_range(
    environment: &BTreeMap<String, String>,
    variable: &str,
    index: u64,
    [first_name, last_name, step_name]: [&str; 3],
    count_name: Option<&str>,
) -> Result<(u64, Option<(u64, String)>), String> {
    let first = number(environment, first_name)?.unwrap_or(1);
    let step = number(environment, step_name)?.unwrap_or(1);
    if step == 0 {
        return Err(format!("--shard auto: {step_name}=0 is not a step"));
    }
    let last = number(environment, last_name)?;
    let stated = match count_name {
        Some(name) => number(environment, name)?.map(|c| (c, name)),
        None => None,
    };
    if index < first || (index - first) % step != 0 || last.is_some_and(|last| index > last) {
        let last = last.map_or("?".into(), |l| l.to_string());
        return Err(format!(
            "--shard auto: {variable}={index} is out of range: not in its array {first}-{last}:{step} (first-last:step; shards count from 1)"
        ));
    }
    let position = (index - first) / step + 1;
    let from_range = match last {
        Some(last) if last < first => {
            return Err(format!(
                "--shard auto: {last_name}={last} is below the array's first index {first}"
            ));
        }
        Some(last) => Some((last - first) / step + 1),
        None => None,
    };
    let count = match (from_range, stated) {
        (Some(range), Some((stated, name))) if range != stated => {
            return Err(format!(
                "--shard auto: {name}={stated} disagrees with the array {first}-{}:{step} of {range} tasks ({first_name}, {last_name}, {step_name}); shards need an evenly spaced array",
                last.expect("known")
            ));
        }
        (Some(range), _) => Some((range, format!("{last_name}={}", last.expect("known")))),
        (None, Some((stated, name))) => Some((stated, format!("{name}={stated}"))),
        (None, None) => None,
    };
    Ok((position, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn auto_parses_with_and_without_a_count() {
        assert_eq!(ShardChoice::parse("auto"), Ok(ShardChoice::Auto(None)));
        assert_eq!(ShardChoice::parse("auto/8"), Ok(ShardChoice::Auto(Some(8))));
        assert_eq!(
            ShardChoice::parse("2/4"),
            Ok(ShardChoice::Given(Shard { index: 1, count: 4 }))
        );
        for bad in ["auto/0", "auto/x", "auto4", "autox", "0/4"] {
            assert!(ShardChoice::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_slurm_array_from_zero_or_one_gives_the_same_shards() {
        for (first, last) in [(0, 3), (1, 4)] {
            for (position, id) in (first..=last).enumerate() {
                let env = environment(&[
                    ("SLURM_ARRAY_TASK_ID", &id.to_string()),
                    ("SLURM_ARRAY_TASK_MIN", &first.to_string()),
                    ("SLURM_ARRAY_TASK_MAX", &last.to_string()),
                    ("SLURM_ARRAY_TASK_COUNT", "4"),
                ]);
                assert_eq!(
                    shard_from_scheduler(&env, None),
                    Ok(Shard {
                        index: position as u64,
                        count: 4
                    })
                );
            }
        }
    }
}
