//! The simulation clock, pure: an instant that advances by real elapsed time × a warp rate,
//! can pause, run backwards, step and jump. The Bevy layer feeds it the fixed timestep.

use super::time::Instant;

/// The largest warp either way (100 000× real time).
pub const MAX_RATE: f64 = 100_000.0;

/// Warp presets, in order, that "faster" and "slower" step through. There is no 0×: a
/// stopped clock is "paused" (space), one state with one name; below 1× comes reverse.
pub const RATE_PRESETS: [f64; 16] = [
    -100_000.0, -10_000.0, -1_000.0, -100.0, -60.0, -10.0, -1.0, 1.0, 10.0, 60.0, 100.0, 1_000.0,
    3_600.0, 10_000.0, 30_000.0, 100_000.0,
];

/// Simulation time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulationClock {
    now: Instant,
    /// Simulated seconds per real second.
    rate: f64,
    paused: bool,
}

impl SimulationClock {
    /// A clock at `start`, running in real time.
    pub fn new(start: Instant) -> Self {
        Self {
            now: start,
            rate: 1.0,
            paused: false,
        }
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Sets the warp, clamped to ±[`MAX_RATE`].
    pub fn set_rate(&mut self, rate: f64) {
        if rate.is_finite() {
            self.rate = rate.clamp(-MAX_RATE, MAX_RATE);
        }
    }

    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    pub fn toggle_pause(&mut self) {
        self.paused = !self.paused;
    }

    /// Advances by `real_seconds` of wall-clock (or fixed-step) time × the rate.
    pub fn advance(&mut self, real_seconds: f64) {
        if !self.paused && real_seconds > 0.0 {
            self.now = self.now.plus_minutes(real_seconds * self.rate / 60.0);
        }
    }

    /// Moves by a fixed amount of simulated time, paused or not (for single steps).
    pub fn step(&mut self, simulated_seconds: f64) {
        self.now = self.now.plus_minutes(simulated_seconds / 60.0);
    }

    /// Jumps to an instant; the rate and pause state are kept.
    pub fn jump_to(&mut self, instant: Instant) {
        self.now = instant;
    }

    /// Back to real time at the wall clock.
    pub fn jump_to_now(&mut self, wall_clock: Instant) {
        self.now = wall_clock;
        self.rate = 1.0;
        self.paused = false;
    }

    /// The next preset above the current rate.
    pub fn faster(&mut self) {
        if let Some(&next) = RATE_PRESETS.iter().find(|&&preset| preset > self.rate) {
            self.rate = next;
        }
    }

    /// The next preset below the current rate.
    pub fn slower(&mut self) {
        if let Some(&next) = RATE_PRESETS
            .iter()
            .rev()
            .find(|&&preset| preset < self.rate)
        {
            self.rate = next;
        }
    }

    /// The rate in words: `paused`, `1×`, `60×`, `−10× (reverse)`.
    pub fn describe_rate(&self) -> String {
        if self.paused {
            return "paused".to_owned();
        }
        let magnitude = self.rate.abs();
        let number = if magnitude >= 1000.0 {
            let thousands = magnitude / 1000.0;
            if thousands.fract() == 0.0 {
                format!("{thousands:.0} 000")
            } else {
                format!("{magnitude:.0}")
            }
        } else {
            format!("{magnitude}")
        };
        if self.rate < 0.0 {
            format!("−{number}× (reverse)")
        } else {
            format!("{number}×")
        }
    }

    /// Runs the other way at the same speed.
    pub fn reverse(&mut self) {
        self.rate = -self.rate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Instant {
        Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap())
    }

    #[test]
    fn advances_by_real_time_times_rate_and_pauses() {
        let mut clock = SimulationClock::new(start());
        clock.advance(1.5);
        assert_eq!(clock.now().minutes_since(start()) * 60.0, 1.5);
        clock.set_rate(-60.0);
        clock.advance(1.0);
        assert!((clock.now().minutes_since(start()) * 60.0 - (1.5 - 60.0)).abs() < 1e-9);
        clock.toggle_pause();
        let paused_at = clock.now();
        clock.advance(10.0);
        assert_eq!(clock.now(), paused_at);
        clock.step(30.0);
        assert_eq!(clock.now().minutes_since(paused_at), 0.5);
    }

    #[test]
    fn rates_clamp_and_step_through_presets() {
        let mut clock = SimulationClock::new(start());
        clock.set_rate(1e9);
        assert_eq!(clock.rate(), MAX_RATE);
        clock.faster();
        assert_eq!(clock.rate(), MAX_RATE, "no preset above the maximum");
        clock.set_rate(1.0);
        clock.faster();
        assert_eq!(clock.rate(), 10.0);
        clock.slower();
        clock.slower();
        assert_eq!(clock.rate(), -1.0, "from 1× slower is reverse, never 0×");
        clock.slower();
        assert_eq!(clock.rate(), -10.0);
        clock.set_rate(-1.0);
        clock.reverse();
        assert_eq!(clock.rate(), 1.0);
        clock.set_rate(f64::NAN);
        assert_eq!(clock.rate(), 1.0);
    }

    #[test]
    fn rates_read_as_words() {
        let mut clock = SimulationClock::new(start());
        assert_eq!(clock.describe_rate(), "1×");
        clock.set_rate(-10_000.0);
        assert_eq!(clock.describe_rate(), "−10 000× (reverse)");
        clock.set_rate(3600.0);
        assert_eq!(clock.describe_rate(), "3600×");
        clock.set_paused(true);
        assert_eq!(clock.describe_rate(), "paused");
    }

    #[test]
    fn jumps_keep_or_reset_the_rate() {
        let mut clock = SimulationClock::new(start());
        clock.set_rate(1000.0);
        let target = start().plus_minutes(-1e6);
        clock.jump_to(target);
        assert_eq!((clock.now(), clock.rate()), (target, 1000.0));
        clock.set_paused(true);
        clock.jump_to_now(start());
        assert_eq!(
            (clock.now(), clock.rate(), clock.is_paused()),
            (start(), 1.0, false)
        );
    }
}
