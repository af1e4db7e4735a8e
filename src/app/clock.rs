//! The simulation clock as a Bevy resource, advanced in the fixed loop by delta × warp (the
//! fixed timestep itself never changes), and its keyboard controls.

use bevy::prelude::*;
use bevy_egui::input::egui_wants_any_keyboard_input;

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

pub(super) fn controls_plugin(app: &mut App) {
    app.add_systems(
        Update,
        control_clock_with_keys.run_if(not(egui_wants_any_keyboard_input)),
    );
}

fn advance_sim_clock(time: Res<Time<Fixed>>, mut clock: ResMut<SimClock>) {
    clock.advance(time.delta_secs_f64());
}

/// Space pause, `]` faster, `[` slower, `\` reverse, `.`/`,` step a minute, `N` now.
fn control_clock_with_keys(keys: Res<ButtonInput<KeyCode>>, mut clock: ResMut<SimClock>) {
    if keys.just_pressed(KeyCode::Space) {
        clock.toggle_pause();
    }
    if keys.just_pressed(KeyCode::BracketRight) {
        clock.faster();
    }
    if keys.just_pressed(KeyCode::BracketLeft) {
        clock.slower();
    }
    if keys.just_pressed(KeyCode::Backslash) {
        clock.reverse();
    }
    if keys.just_pressed(KeyCode::Period) {
        clock.step(60.0);
    }
    if keys.just_pressed(KeyCode::Comma) {
        clock.step(-60.0);
    }
    if keys.just_pressed(KeyCode::KeyN) {
        clock.jump_to_now(Instant::from_utc(chrono::Utc::now()));
    }
}
