//! Interleaved A/B timing: every contender runs once per round, in an order that rotates from
//! round to round, so that a change of load on the shared machine falls on all of them alike.
//! Each sample is a batch of calls sized to about [`SAMPLE_SECONDS`]; the figure is the median
//! over the rounds of the per-call time, in the thread's own CPU time (which other processes
//! on the machine do not inflate) and in wall-clock time.

use std::time::Instant;

use cpu_time::ThreadTime;

/// The target length of one sample (one batch of calls of one contender).
pub const SAMPLE_SECONDS: f64 = 0.05;

/// One contender: a name and the work of one call.
pub struct Contender<'a> {
    /// Printed in the table.
    pub name: String,
    run: Box<dyn FnMut() + 'a>,
}

impl<'a> Contender<'a> {
    /// A contender running `run` once per call.
    pub fn new(name: impl Into<String>, run: impl FnMut() + 'a) -> Self {
        Contender {
            name: name.into(),
            run: Box::new(run),
        }
    }
}

/// The medians of one contender.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The contender's name.
    pub name: String,
    /// Median CPU seconds of one call (this thread).
    pub cpu: f64,
    /// Median wall-clock seconds of one call.
    pub wall: f64,
    /// Calls per sample.
    pub calls: usize,
    /// Rounds (samples) taken.
    pub rounds: usize,
}

/// The median (mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let k = values.len();
    if k % 2 == 1 {
        values[k / 2]
    } else {
        0.5 * (values[k / 2 - 1] + values[k / 2])
    }
}

/// Runs every contender `rounds` times, interleaved, after one untimed call each.
pub fn interleaved(rounds: usize, contenders: &mut [Contender<'_>]) -> Vec<Summary> {
    let calls: Vec<usize> = contenders
        .iter_mut()
        .map(|c| {
            let start = Instant::now();
            (c.run)();
            let once = start.elapsed().as_secs_f64().max(1e-9);
            ((SAMPLE_SECONDS / once) as usize).clamp(1, 1_000_000)
        })
        .collect();
    let count = contenders.len();
    let mut cpu = vec![Vec::new(); count];
    let mut wall = vec![Vec::new(); count];
    for round in 0..rounds {
        for step in 0..count {
            let i = (round + step) % count;
            let (start, cpu_start) = (Instant::now(), ThreadTime::now());
            for _ in 0..calls[i] {
                (contenders[i].run)();
            }
            cpu[i].push(cpu_start.elapsed().as_secs_f64() / calls[i] as f64);
            wall[i].push(start.elapsed().as_secs_f64() / calls[i] as f64);
        }
    }
    (0..count)
        .map(|i| Summary {
            name: contenders[i].name.clone(),
            cpu: median(std::mem::take(&mut cpu[i])),
            wall: median(std::mem::take(&mut wall[i])),
            calls: calls[i],
            rounds,
        })
        .collect()
}

/// A time in the unit that suits it.
pub fn seconds_text(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.3} µs", s * 1e6)
    } else {
        format!("{:.1} ns", s * 1e9)
    }
}

/// Prints one table: each contender's medians, its ratio to the first (the hand-written
/// reference), and, given the operations of one call and a peak in GFLOP/s per core, its rate
/// and fraction of the peak.
pub fn print_table(title: &str, summaries: &[Summary], flops: Option<(f64, f64)>) {
    println!("\n### {title}\n");
    let reference = summaries[0].cpu;
    match flops {
        Some(_) => println!(
            "| contender | CPU time / call | wall / call | × reference (CPU) | GFLOP/s per CPU-s | of the peak |"
        ),
        None => println!("| contender | CPU time / call | wall / call | × reference (CPU) |"),
    }
    match flops {
        Some(_) => println!("|---|---:|---:|---:|---:|---:|"),
        None => println!("|---|---:|---:|---:|"),
    }
    for s in summaries {
        let ratio = s.cpu / reference;
        let base = format!(
            "| {} | {} | {} | {ratio:.2} |",
            s.name,
            seconds_text(s.cpu),
            seconds_text(s.wall)
        );
        match flops {
            Some((operations, peak)) => {
                let rate = operations / s.cpu / 1e9;
                println!("{base} {rate:.2} | {:.0}% |", 100.0 * rate / peak);
            }
            None => println!("{base}"),
        }
    }
    if let Some(s) = summaries.first() {
        println!(
            "\n(median of {} interleaved rounds; {} calls per sample for the reference)",
            s.rounds, s.calls
        );
    }
}

/// The load averages over 1, 5 and 15 minutes, as `uptime` prints them.
pub fn load_text() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|_| "unknown".into())
}
