//! `orbitscope measure`: run the globe for a while and report frame rate, marker draw calls per
//! frame, and the CPU time per frame spent in OrbitScope's own systems.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use super::profile::SystemProfile;
use super::{DrawTotals, MarkerDrawStats, OrbitCamera, OrbitDrawStats};
use crate::catalog::Catalog;

/// Seconds run before measuring (pipelines compile, caches warm).
const WARM_UP: Duration = Duration::from_secs(3);

#[derive(Resource, Debug)]
pub(super) struct Measurement {
    pub duration: Duration,
    started: Option<Instant>,
    frames: u64,
    draw_baseline: DrawTotals,
    orbit_baseline: DrawTotals,
    /// The simulation clock's instant when measuring began.
    clock_at_start: Option<crate::orbit::Instant>,
    /// Seconds from process start to the first rendered frame that drew the markers.
    first_markers_s: Option<f64>,
}

impl Measurement {
    pub fn new(duration: Duration) -> Self {
        Self {
            duration,
            started: None,
            frames: 0,
            draw_baseline: DrawTotals::default(),
            orbit_baseline: DrawTotals::default(),
            clock_at_start: None,
            first_markers_s: None,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (keep_cursor_and_camera_moving, measure_frames));
}

/// Resident set size of this process, from `/proc/self/status` (Linux), in mebibytes.
fn resident_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The catalog repeated to `count` objects (synthetic NORAD numbers above 9 000 000, mean
/// anomaly shifted per copy), to load-test with more objects than exist today.
pub fn replicate(catalog: Catalog, count: usize) -> Catalog {
    if count <= catalog.objects.len() || catalog.objects.is_empty() {
        return catalog;
    }
    let base = catalog.objects.len();
    let mut objects = catalog.objects.clone();
    for index in base..count {
        let mut object = catalog.objects[index % base].clone();
        let copy = (index / base) as f64;
        object.norad_id = 9_000_000 + index as u32;
        object.elements.norad_id = u64::from(object.norad_id);
        object.elements.mean_anomaly = (object.elements.mean_anomaly + 37.0 * copy) % 360.0;
        objects.push(object);
    }
    Catalog { objects, ..catalog }
}

/// Keeps the pointer over the globe (so hover picking runs every frame, as for a user) and the
/// camera turning (so every frame is a new view).
fn keep_cursor_and_camera_moving(
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
    mut cameras: Query<&mut OrbitCamera>,
    time: Res<Time>,
) {
    for mut window in &mut windows {
        let centre = Vec2::new(window.width() / 2.0 + 40.0, window.height() / 2.0);
        window.set_cursor_position(Some(centre));
    }
    for mut camera in &mut cameras {
        camera.view.yaw += 0.2 * time.delta_secs();
    }
}

fn measure_frames(
    mut measurement: ResMut<Measurement>,
    mut profile: ResMut<SystemProfile>,
    draw_stats: Res<MarkerDrawStats>,
    orbit_stats: Res<OrbitDrawStats>,
    clock: Res<super::SimClock>,
    mut exit: MessageWriter<AppExit>,
    mut launched: Local<Option<Instant>>,
) {
    let launched = *launched.get_or_insert_with(Instant::now);
    if measurement.first_markers_s.is_none() && draw_stats.totals().draw_calls > 0 {
        measurement.first_markers_s = Some(crate::PROCESS_START.elapsed().as_secs_f64());
    }
    let Some(started) = measurement.started else {
        if launched.elapsed() >= WARM_UP {
            measurement.started = Some(Instant::now());
            measurement.draw_baseline = draw_stats.totals();
            measurement.orbit_baseline = orbit_stats.totals();
            measurement.clock_at_start = Some(clock.now());
            profile.reset();
        }
        return;
    };
    measurement.frames += 1;
    let elapsed = started.elapsed();
    if elapsed < measurement.duration {
        return;
    }
    let frames = measurement.frames.max(1) as f64;
    let now = draw_stats.totals();
    let before = measurement.draw_baseline;
    println!(
        "frames: {} in {:.1} s = {:.1} fps",
        measurement.frames,
        elapsed.as_secs_f64(),
        frames / elapsed.as_secs_f64()
    );
    if let Some(at_start) = measurement.clock_at_start {
        let simulated_s = clock.now().minutes_since(at_start) * 60.0;
        println!(
            "clock: {:.3} simulated seconds per wall second at rate {}x",
            simulated_s / elapsed.as_secs_f64(),
            clock.rate()
        );
    }
    match measurement.first_markers_s {
        Some(seconds) => println!("first frame with markers: {seconds:.2} s after start"),
        None => println!("first frame with markers: none drawn"),
    }
    println!(
        "{}",
        draw_report("markers", "marker draw calls", before, now)
    );
    println!(
        "{}",
        draw_report(
            "orbits",
            "draw calls",
            measurement.orbit_baseline,
            orbit_stats.totals()
        )
    );
    let mut total = 0.0;
    println!("CPU time in OrbitScope systems (ms per frame; per run):");
    for (name, time, runs) in profile.entries() {
        let per_frame = time.as_secs_f64() * 1e3 / frames;
        total += per_frame;
        println!(
            "  {name:<40} {per_frame:>7.3} ms/frame  ({:.3} ms × {runs} runs)",
            time.as_secs_f64() * 1e3 / runs.max(1) as f64
        );
    }
    println!("  {:<40} {total:>7.3} ms/frame", "total");
    println!(
        "SGP4 kernel: {} ({})",
        crate::orbit::configured_width(),
        if crate::orbit::configured_width().is_native() {
            "native to this CPU"
        } else {
            "forced; this CPU lacks it, so the portable path ran"
        }
    );
    match resident_memory_mib() {
        Some(mib) => println!("memory: {mib:.0} MiB resident (RSS)"),
        None => println!("memory: resident size not available on this system"),
    }
    exit.write(AppExit::Success);
}

/// A line of the report (markers, orbits) from the render world's counters: draws and
/// instances as the draw command issued them, per frame the render world rendered.
fn draw_report(what: &str, calls: &str, before: DrawTotals, now: DrawTotals) -> String {
    let frames = now.rendered_frames.saturating_sub(before.rendered_frames);
    let per_frame = |count: u64| count as f64 / frames.max(1) as f64;
    format!(
        "{what}: {:.0} instances in {:.2} {calls} per rendered frame (counted in the render \
         world over {frames} rendered frames)",
        per_frame(now.instances.saturating_sub(before.instances)),
        per_frame(now.draw_calls.saturating_sub(before.draw_calls)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_divides_by_rendered_frames_not_by_draws() {
        let before = DrawTotals {
            draw_calls: 3,
            instances: 300,
            rendered_frames: 3,
        };
        let twice = DrawTotals {
            draw_calls: 3 + 20,
            instances: 300 + 20 * 100,
            rendered_frames: 3 + 10,
        };
        let line = draw_report("markers", "marker draw calls", before, twice);
        assert!(
            line.contains("200 instances in 2.00 marker draw calls per rendered frame"),
            "{line}"
        );
        assert!(line.contains("over 10 rendered frames"), "{line}");
        let nothing_drawn = DrawTotals {
            rendered_frames: 13,
            ..before
        };
        let none = draw_report("orbits", "draw calls", before, nothing_drawn);
        assert!(none.starts_with("orbits: 0 instances in 0.00 draw calls per rendered frame"));
    }
}
