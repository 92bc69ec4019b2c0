//! Clocks and gauges of the workloads: medians of runs in wall-clock and CPU time, peak resident
//! memory, the load.
//!
//! On a machine shared with other work, wall-clock time measures the share of the cores a run
//! was given as much as the run; the CPU time of the process (every thread's time on a core) does
//! not, so the two are reported side by side.

use std::time::Instant;

use cpu_time::ProcessTime;

/// The median of some values (the mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let k = values.len();
    if k == 0 {
        return f64::NAN;
    }
    if k % 2 == 1 {
        values[k / 2]
    } else {
        0.5 * (values[k / 2 - 1] + values[k / 2])
    }
}

/// Median seconds of `repeat` runs of `work`, after `warm_up` untimed runs (for workloads of a
/// millisecond, whose first run would otherwise measure caches and the allocator warming up,
/// and for those that reuse buffers, whose first run allocates them).
pub fn timed(repeat: usize, warm_up: usize, mut work: impl FnMut()) -> f64 {
    for _ in 0..warm_up {
        work();
    }
    median(
        (0..repeat.max(1))
            .map(|_| {
                let start = Instant::now();
                work();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// The medians of some runs in wall-clock seconds and in CPU seconds of the whole process.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Median wall-clock seconds.
    pub seconds: f64,
    /// Median CPU seconds, summed over the process's threads (idle workers that spin while
    /// waiting for work count too, so this overstates the work slightly).
    pub cpu_seconds: f64,
}

/// As [`timed`], with the CPU time of each run beside its wall-clock time.
pub fn timed_with_cpu(repeat: usize, warm_up: usize, mut work: impl FnMut()) -> Timing {
    for _ in 0..warm_up {
        work();
    }
    let (wall, cpu): (Vec<f64>, Vec<f64>) = (0..repeat.max(1))
        .map(|_| {
            let (start, cpu_start) = (Instant::now(), ProcessTime::now());
            work();
            (
                start.elapsed().as_secs_f64(),
                cpu_start.elapsed().as_secs_f64(),
            )
        })
        .unzip();
    Timing {
        seconds: median(wall),
        cpu_seconds: median(cpu),
    }
}

/// The peak resident memory of the process so far, in bytes (Linux; `None` elsewhere).
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// The load averages over 1, 5 and 15 minutes (Linux; `None` elsewhere).
pub fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}
