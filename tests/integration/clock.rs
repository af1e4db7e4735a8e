//! Headless App tests (`MinimalPlugins`, manual time steps): the simulation clock arithmetic and
//! the ordering advance clock → propagate → derive inside one fixed tick.

use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use orbitscope::app::{Propagation, RenderPositions, SimClock, SimulationPlugin, TICK_HZ};
use orbitscope::catalog::gp::tle::parse_tle;
use orbitscope::catalog::{Catalog, CatalogInputs, SourceInfo};
use orbitscope::orbit::Instant;
use orbitscope::render_space::world_from_teme_km;

const ISS: &str = "ISS (ZARYA)\n\
    1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994\n\
    2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085\n";

fn start() -> Instant {
    Instant::from_utc("2020-12-15T06:00:00Z".parse().unwrap())
}

fn app() -> App {
    let records = parse_tle(ISS, "iss.tle").records;
    let source = SourceInfo {
        kind: "gp",
        location: "iss.tle".into(),
        fetched_at: None,
    };
    let catalog = Catalog::join(CatalogInputs {
        gp: vec![(source, records)],
        ..CatalogInputs::default()
    });
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            100,
        )))
        .add_plugins(SimulationPlugin {
            catalog: Arc::new(catalog),
            start: start(),
        });
    app
}

/// Runs `updates` frames of 100 ms (the first frame has zero delta).
fn run(app: &mut App, updates: usize) {
    for _ in 0..updates {
        app.update();
    }
}

fn elapsed_s(app: &App) -> f64 {
    app.world()
        .resource::<SimClock>()
        .now()
        .minutes_since(start())
        * 60.0
}

#[test]
fn clock_advances_by_fixed_delta_times_rate() {
    let mut app = app();
    run(&mut app, 11);
    let ticks = app.world().resource::<Propagation>().ticks;
    assert_eq!(ticks, TICK_HZ as u64, "1 s of frames at {TICK_HZ} Hz");
    assert!(
        (elapsed_s(&app) - ticks as f64 / TICK_HZ).abs() < 1e-6,
        "{}",
        elapsed_s(&app)
    );

    app.world_mut().resource_mut::<SimClock>().set_rate(1000.0);
    let before = elapsed_s(&app);
    run(&mut app, 10);
    assert!(
        (elapsed_s(&app) - before - 1000.0).abs() < 1e-3,
        "1 s real at 1000× = 1000 s"
    );
    let fixed = app.world().resource::<Time<Fixed>>();
    assert!(
        (fixed.timestep().as_secs_f64() - 1.0 / TICK_HZ).abs() < 1e-9,
        "warp never changes the timestep"
    );

    app.world_mut().resource_mut::<SimClock>().set_rate(-100.0);
    let before = elapsed_s(&app);
    run(&mut app, 5);
    assert!(
        (elapsed_s(&app) - before + 50.0).abs() < 1e-3,
        "reverse: 0.5 s real at −100×"
    );
}

/// Frames of a whole second each (software rendering of a big catalog): Bevy's virtual time
/// hands the fixed loop at most 250 ms of them, yet the clock keeps wall time × rate, within a
/// tick, at 1× as at a high warp.
#[test]
fn slow_frames_do_not_slow_the_clock() {
    for rate in [1.0, 1000.0] {
        let mut app = app();
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs(1)));
        app.world_mut().resource_mut::<SimClock>().set_rate(rate);
        run(&mut app, 1);
        let (before, ticks) = (elapsed_s(&app), app.world().resource::<Propagation>().ticks);
        run(&mut app, 10);
        let advanced = elapsed_s(&app) - before;
        let tick = rate / TICK_HZ;
        assert!(
            (advanced - 10.0 * rate).abs() <= tick + 1e-6,
            "{rate}×: {advanced} s simulated in 10 s of wall time"
        );
        let propagation = app.world().resource::<Propagation>();
        // Ticks were skipped (at most 250 ms of them a frame), not the time.
        assert!(propagation.ticks - ticks < 10 * TICK_HZ as u64);
        // And the last tick propagated close to the clock's instant, not behind it.
        let now = app.world().resource::<SimClock>().now();
        let tick_instant = propagation.states.instant.unwrap();
        assert!(now.minutes_since(tick_instant).abs() * 60.0 <= tick + 1e-6);
    }
}

#[test]
fn pause_stops_the_clock_but_not_the_ticks() {
    let mut app = app();
    run(&mut app, 3);
    app.world_mut().resource_mut::<SimClock>().set_paused(true);
    let (at, ticks) = (elapsed_s(&app), app.world().resource::<Propagation>().ticks);
    run(&mut app, 5);
    assert_eq!(elapsed_s(&app), at);
    assert!(app.world().resource::<Propagation>().ticks > ticks);

    app.world_mut()
        .resource_mut::<SimClock>()
        .jump_to(start().plus_minutes(90.0));
    run(&mut app, 2);
    assert_eq!(elapsed_s(&app), 90.0 * 60.0, "a jump lands exactly, paused");
}

#[test]
fn each_tick_propagates_at_the_advanced_instant_then_derives_positions() {
    let mut app = app();
    app.world_mut().resource_mut::<SimClock>().set_rate(60.0);
    run(&mut app, 4);
    let now = app.world().resource::<SimClock>().now();
    let propagation = app.world().resource::<Propagation>();
    assert_eq!(
        propagation.states.instant,
        Some(now),
        "propagated after the clock advanced"
    );
    assert!(propagation.states.failures[0].is_none());
    let teme = glam::DVec3::from_array(propagation.states.positions_km[0]);
    let positions = app.world().resource::<RenderPositions>();
    assert_eq!(
        positions.world[0],
        world_from_teme_km(teme),
        "derived from this tick's state"
    );
    assert!(positions.valid[0]);
    let radius_km = teme.length();
    assert!((6_700.0..6_900.0).contains(&radius_km), "{radius_km}");
}

/// The simulation's systems are ordered wherever they touch the same data: the schedules
/// build with ambiguity detection set to fail.
#[test]
fn schedules_have_no_ambiguous_system_order() {
    use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings};
    let mut app = app();
    let strict = |schedule: &mut Schedule| {
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..ScheduleBuildSettings::default()
        });
    };
    app.edit_schedule(FixedUpdate, strict);
    app.edit_schedule(Update, strict);
    run(&mut app, 12);
    assert!(app.world().resource::<Propagation>().ticks > 0);
}
