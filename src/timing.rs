//! Stage timings for profiling (`WA_DOCS_TIMINGS=1`).

/// Prints how long each build stage took when `WA_DOCS_TIMINGS` is set (for profiling).
pub struct StageClock {
    on: bool,
    at: std::time::Instant,
}

impl StageClock {
    pub fn new() -> Self {
        StageClock {
            on: std::env::var_os("WA_DOCS_TIMINGS").is_some(),
            at: std::time::Instant::now(),
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
            eprintln!(
                "timing: {stage:<9} {:>7.1} ms  {mem}",
                self.at.elapsed().as_secs_f64() * 1000.0
            );
            self.at = std::time::Instant::now();
        }
    }
}

impl Default for StageClock {
    fn default() -> Self {
        Self::new()
    }
}
