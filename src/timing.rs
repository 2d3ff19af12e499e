//! Stage timings for profiling (`WA_DOCS_TIMINGS=1`).

/// Prints how long each build stage took when `WA_DOCS_TIMINGS` is set (for profiling).
pub struct StageClock {
    on: bool,
    at: std::time::Instant,
    /// Process CPU time (user + system, ms) at the last lap: on a busy machine the wall time
    /// of a stage says little, its CPU time still compares.
    cpu: u64,
}

/// This process's CPU time so far in ms (Linux; 0 elsewhere).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    // Clock ticks are 100 per second on every Linux this runs on.
    f.iter().sum::<u64>() * 10
}

impl StageClock {
    pub fn new() -> Self {
        let on = std::env::var_os("WA_DOCS_TIMINGS").is_some();
        StageClock {
            on,
            at: std::time::Instant::now(),
            cpu: if on { cpu_ms() } else { 0 },
        }
    }

    pub fn lap(&mut self, stage: &str) {
        if self.on {
            // Resident and peak memory after the stage (Linux only), for memory profiling.
            let mem = std::fs::read_to_string("/proc/self/status")
                .ok()
                .map(|s| {
                    let field = |name: &str| {
                        s.lines()
                            .find(|l| l.starts_with(name))
                            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
                            .unwrap_or_default()
                    };
                    // /proc lists the peak (VmHWM) first; print the current size first.
                    format!("{} / peak {}", field("VmRSS"), field("VmHWM"))
                })
                .unwrap_or_default();
            let cpu = cpu_ms();
            eprintln!(
                "timing: {stage:<9} {:>7.1} ms  cpu {:>6} ms  {mem}",
                self.at.elapsed().as_secs_f64() * 1000.0,
                cpu.saturating_sub(self.cpu)
            );
            self.at = std::time::Instant::now();
            self.cpu = cpu;
        }
    }
}

impl Default for StageClock {
    fn default() -> Self {
        Self::new()
    }
}
