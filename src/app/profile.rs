//! CPU time spent in OrbitScope's own systems, measured in the systems themselves (so the
//! numbers are ours alone, not Bevy's or the renderer's), for `orbitscope measure`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bevy::prelude::*;

/// Accumulated time per named system.
#[derive(Resource, Debug, Default)]
pub struct SystemProfile {
    totals: BTreeMap<&'static str, (Duration, u64)>,
}

impl SystemProfile {
    pub fn record(&mut self, name: &'static str, started: Instant) {
        let entry = self.totals.entry(name).or_default();
        entry.0 += started.elapsed();
        entry.1 += 1;
    }

    /// (name, total time, runs) for every system measured.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, Duration, u64)> + '_ {
        self.totals
            .iter()
            .map(|(name, (total, runs))| (*name, *total, *runs))
    }

    pub fn reset(&mut self) {
        self.totals.clear();
    }
}
