//! The simulation clock as a Bevy resource, advanced in the fixed loop by delta × warp (the
//! fixed timestep itself never changes). Keys and buttons change it through `controls`.

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
    app.add_systems(
        FixedUpdate,
        advance_sim_clock.in_set(SimSystems::AdvanceClock),
    );
}

fn advance_sim_clock(time: Res<Time<Fixed>>, mut clock: ResMut<SimClock>) {
    clock.advance(time.delta_secs_f64());
}
