//! The simulation clock as a Bevy resource, advanced in the fixed loop by delta × warp (the
//! fixed timestep itself never changes), and kept on wall time when frames are slow: Bevy's
//! virtual time gives the fixed loop at most 250 ms a frame, so at 1 fps it would see a quarter
//! of the time that passed. What it does not see is added before the loop runs, so that the
//! ticks that do run propagate at the newest instant (ticks are skipped, time is not). Keys and
//! buttons change it through `controls`.

use bevy::prelude::*;

use super::SimSystems;
use crate::orbit::{Instant, SimulationClock};

/// The simulation clock.
#[derive(Resource, Debug, Clone, Copy, Deref, DerefMut)]
pub struct SimClock(pub SimulationClock);

impl SimClock {
    pub fn new(start: Instant) -> Self {
        Self(SimulationClock::new(start))
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(PreUpdate, catch_up_with_wall_time)
        .add_systems(
            FixedUpdate,
            advance_sim_clock.in_set(SimSystems::AdvanceClock),
        );
}

/// Adds the wall time the virtual clock dropped this frame (its delta is capped), times the
/// rate; leaves the clock untouched (not even marked changed) when nothing was dropped.
fn catch_up_with_wall_time(
    real: Res<Time<Real>>,
    virtual_time: Res<Time<Virtual>>,
    mut clock: ResMut<SimClock>,
) {
    let dropped = real.delta_secs_f64() - virtual_time.delta_secs_f64();
    if dropped > 1e-9 && !virtual_time.is_paused() {
        clock.advance(dropped);
    }
}

fn advance_sim_clock(time: Res<Time<Fixed>>, mut clock: ResMut<SimClock>) {
    clock.advance(time.delta_secs_f64());
}
