//! The progress bar of `check` (indicatif, on standard error): inputs done, inputs and
//! resources per second. Shown only on a terminal, once a run has taken about a second, and
//! never beside a machine format on standard output, with `NO_COLOR` or with `--quiet`.

use crate::run::InputOutcome;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// Whether a run may show a bar at all.
pub fn wanted(stderr_terminal: bool, no_color: bool, quiet: bool, machine_on_stdout: bool) -> bool {
    stderr_terminal && !no_color && !quiet && !machine_on_stdout
}

/// Whether this process's standard error is a terminal and `NO_COLOR` is unset.
pub fn terminal() -> (bool, bool) {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    (std::io::stderr().is_terminal(), no_color)
}

pub struct Progress {
    enabled: bool,
    total: usize,
    started: Instant,
    done: usize,
    resources: usize,
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(enabled: bool, total: usize) -> Progress {
        Progress {
            enabled,
            total,
            started: Instant::now(),
            done: 0,
            resources: 0,
            bar: None,
        }
    }

    /// One more input, or part of a stream, is done.
    pub fn tick(&mut self, o: &InputOutcome) {
        self.done += usize::from(!o.continues);
        self.resources += o.resources;
        if !self.enabled {
            return;
        }
        let elapsed = self.started.elapsed();
        if self.bar.is_none() && elapsed >= DELAY && self.done < self.total {
            let bar = ProgressBar::with_draw_target(
                Some(self.total as u64),
                ProgressDrawTarget::stderr(),
            );
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} inputs · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            let secs = elapsed.as_secs_f64().max(1e-3);
            bar.set_position(self.done as u64);
            bar.set_message(format!(
                "{:.0} inputs/s, {:.0} resources/s",
                self.done as f64 / secs,
                self.resources as f64 / secs
            ));
        }
    }

    /// Run `write` with the bar off the screen (a report streamed to the terminal).
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Take the bar off the screen before the report is written.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{wanted, Progress};

    #[test]
    fn a_bar_only_on_a_quiet_free_colour_terminal_without_machine_output() {
        assert!(wanted(true, false, false, false));
        assert!(!wanted(false, false, false, false));
        assert!(!wanted(true, true, false, false));
        assert!(!wanted(true, false, true, false));
        assert!(!wanted(true, false, false, true));
    }

    #[test]
    fn no_bar_before_a_second_has_passed() {
        let mut p = Progress::new(true, 3);
        p.tick(&Default::default());
        assert!(p.bar.is_none());
        assert_eq!(p.done, 1);
    }
}
