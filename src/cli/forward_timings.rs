//! The split of a command's time into its phases, written on standard error when the
//! environment variable `MLCSC_TIMINGS` is set (to anything): `forward` and `check` then say
//! how long reading the file, computing and writing the output took, in wall-clock and CPU
//! seconds (every thread's time on a core). Nothing is written otherwise, and standard output
//! is the same either way.

use std::time::Instant;

use cpu_time::ProcessTime;

/// The environment variable that asks for the split.
pub(crate) const TIMINGS_VARIABLE: &str = "MLCSC_TIMINGS";

/// The clocks at the start of the current phase, and the phases finished so far.
pub(crate) struct Timings {
    enabled: bool,
    wall: Instant,
    cpu: ProcessTime,
    phases: Vec<(&'static str, f64, f64)>,
}

impl Timings {
    /// Starts the first phase now; it records only when [`TIMINGS_VARIABLE`] is set.
    pub(crate) fn start() -> Self {
        Timings {
            enabled: std::env::var_os(TIMINGS_VARIABLE).is_some(),
            wall: Instant::now(),
            cpu: ProcessTime::now(),
            phases: Vec::new(),
        }
    }

    /// Ends the current phase under `name` and starts the next.
    pub(crate) fn lap(&mut self, name: &'static str) {
        if !self.enabled {
            return;
        }
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = self.cpu.elapsed().as_secs_f64();
        self.phases.push((name, wall, cpu));
        self.wall = Instant::now();
        self.cpu = ProcessTime::now();
    }

    /// Writes the phases on standard error, one line: `timings (wall s / cpu s): parse 0.31 /
    /// 0.31, compute …, total …`.
    pub(crate) fn report(&self) {
        if !self.enabled {
            return;
        }
        let mut line = String::from("timings (wall s / cpu s):");
        let (mut wall, mut cpu) = (0.0, 0.0);
        for (name, w, c) in &self.phases {
            line.push_str(&format!(" {name} {w:.3} / {c:.3},"));
            wall += w;
            cpu += c;
        }
        line.push_str(&format!(" total {wall:.3} / {cpu:.3}"));
        super::super::output::write_error_line(&line);
    }
}
