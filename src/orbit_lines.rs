//! Every shown object's orbit as one GPU instance, decided without Bevy: the osculating
//! ellipse of its SGP4 state packed for shaders/orbits.wgsl, which draws each instance as a
//! strip of [`ORBIT_SEGMENTS`] quads in one instanced draw call. [`drawn_point`] is the
//! shader's vertex position written in Rust, so tests can hold the picture to SGP4.

use bytemuck::{Pod, Zeroable};
use glam::{DVec3, Vec3};
use rayon::prelude::*;

use crate::orbit::ellipse::OsculatingEllipse;
use crate::orbit::frames::WGS84_A_KM;
use crate::orbit::{Instant, StateBuffers};
use crate::palette::Rgba;
use crate::render_space::world_from_teme_km;

/// Segments per orbit. Samples are spaced evenly in a parameter `t` whose eccentric anomaly is
/// `tan(E/2) = k·tan(t/2)` with `k = ((1−e)/(1+e))^¼` (see [`anomaly_warp`]): that puts
/// samples closer at perigee, where the orbit bends most for its radius, and the chord's
/// greatest distance from the ellipse relative to the orbit radius there is then
/// `Δt²/(8·√(1−e²))` at perigee and apogee alike. With 128 segments that is 0.03 % for a
/// circle, 0.04 % for a Molniya (e = 0.74) and under 0.5 % up to e = 0.998 — finer than a
/// pixel of a whole-globe view.
pub const ORBIT_SEGMENTS: u32 = 128;

/// Seconds of simulated time after which the ellipses are taken again from the propagated
/// states: J2 turns a LEO orbit's plane by ~0.004° and its perigee by a little more in a
/// minute, far below a pixel; a jump of the clock moves past it at once.
pub const ORBIT_REFRESH_S: f64 = 60.0;

/// Line width on screen at 800 px of output height, in pixels (it grows with the output).
pub const ORBIT_LINE_WIDTH_PX: f32 = 1.25;

/// Default opacity of each orbit line: dense shells add up to density rather than a wall.
pub const DEFAULT_ORBIT_OPACITY: f32 = 0.35;

/// One orbit, as the shader reads it (64 bytes, render space in Earth radii).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct OrbitInstance {
    /// a·P (towards perigee); w: the anomaly warp `k`.
    pub major_axis_warp: [f32; 4],
    /// b·Q (90° ahead); w: line width in pixels at 800 px of output height.
    pub minor_axis_width: [f32; 4],
    /// The ellipse's centre; w: unused.
    pub centre: [f32; 4],
    /// Linear RGBA, alpha = opacity.
    pub color: [f32; 4],
}

/// `((1−e)/(1+e))^¼`: the warp that balances the sampling error at perigee and apogee.
pub fn anomaly_warp(eccentricity: f64) -> f64 {
    ((1.0 - eccentricity) / (1.0 + eccentricity)).powf(0.25)
}

/// The eccentric anomaly of sample parameter `t` (radians, 0..2π) for warp `k`.
pub fn eccentric_anomaly_of_sample(t: f32, warp: f32) -> f32 {
    // t/2 ∈ [0, π], where the sine is never negative; in f32, sin(π) is −8.7e-8, which would
    // turn the last sample to −2π (the same point, but the strip would not be monotonic).
    2.0 * (warp * (t / 2.0).sin().abs()).atan2((t / 2.0).cos())
}

/// Whether orbit instances taken at `taken` (the propagated instant and what they showed:
/// filter, colours, settings) must be taken again for `at` and `wanted`: when what they show
/// changed, or the clock moved [`ORBIT_REFRESH_S`] either way (a jump included), never
/// merely because a frame passed.
pub fn orbits_need_refresh<K: PartialEq>(
    taken: Option<&(Instant, K)>,
    at: Instant,
    wanted: &K,
) -> bool {
    taken.is_none_or(|(taken_at, shown)| {
        shown != wanted || at.minutes_since(*taken_at).abs() * 60.0 >= ORBIT_REFRESH_S
    })
}

/// The instance for one ellipse (TEME km) in render space.
pub fn orbit_instance(ellipse: &OsculatingEllipse, color: Rgba, opacity: f32) -> OrbitInstance {
    // Axes are directions scaled by lengths: render space is TEME rescaled and re-axed, so
    // mapping a TEME vector maps the ellipse.
    let major = world_from_teme_km(ellipse.periapsis * ellipse.semi_major_axis_km);
    let minor = world_from_teme_km(ellipse.ahead * ellipse.semi_minor_axis_km());
    let centre = world_from_teme_km(ellipse.centre_km());
    let [r, g, b, a] = color;
    OrbitInstance {
        major_axis_warp: [
            major.x,
            major.y,
            major.z,
            anomaly_warp(ellipse.eccentricity) as f32,
        ],
        minor_axis_width: [minor.x, minor.y, minor.z, ORBIT_LINE_WIDTH_PX],
        centre: [centre.x, centre.y, centre.z, 0.0],
        color: [r, g, b, a * opacity.clamp(0.0, 1.0)],
    }
}

/// Render-space point of sample `index` (`0..=ORBIT_SEGMENTS`) of an instance, as the vertex
/// shader computes it.
pub fn drawn_point(instance: &OrbitInstance, index: u32) -> Vec3 {
    let t = std::f32::consts::TAU * index as f32 / ORBIT_SEGMENTS as f32;
    let e = eccentric_anomaly_of_sample(t, instance.major_axis_warp[3]);
    let major = Vec3::from_slice(&instance.major_axis_warp[..3]);
    let minor = Vec3::from_slice(&instance.minor_axis_width[..3]);
    Vec3::from_slice(&instance.centre[..3]) + major * e.cos() + minor * e.sin()
}

/// Shortest distance (km) from a TEME point to the drawn polyline of an instance.
pub fn distance_to_drawn_km(instance: &OrbitInstance, teme_km: DVec3) -> f64 {
    let target = world_from_teme_km(teme_km).as_dvec3();
    (0..ORBIT_SEGMENTS)
        .map(|index| {
            let start = drawn_point(instance, index).as_dvec3();
            let end = drawn_point(instance, index + 1).as_dvec3();
            let along = end - start;
            let fraction =
                ((target - start).dot(along) / along.length_squared().max(1e-30)).clamp(0.0, 1.0);
            (start + along * fraction - target).length()
        })
        .fold(f64::INFINITY, f64::min)
        * WGS84_A_KM
}

/// The orbit instances of the objects `shown` (a catalog mask) that SGP4 propagated in
/// `states`, in catalog order, into `instances` and their catalog rows into `rows` (both
/// reused). Work is spread over the cores; objects on no closed orbit get no instance.
pub fn pack_orbit_instances(
    states: &StateBuffers,
    shown: &[bool],
    colors: &[Rgba],
    opacity: f32,
    instances: &mut Vec<OrbitInstance>,
    rows: &mut Vec<u32>,
) {
    instances.clear();
    rows.clear();
    let len = states
        .len()
        .min(shown.len())
        .min(colors.len())
        .min(states.failures.len());
    let packed = (0..len)
        .into_par_iter()
        .with_min_len(1024)
        .filter_map(|row| {
            if !shown[row] || states.failures[row].is_some() {
                return None;
            }
            let ellipse = OsculatingEllipse::from_state(
                DVec3::from_array(states.positions_km[row]),
                DVec3::from_array(states.velocities_km_s[row]),
            )?;
            Some((row as u32, orbit_instance(&ellipse, colors[row], opacity)))
        });
    let (packed_rows, packed_instances): (Vec<u32>, Vec<OrbitInstance>) = packed.unzip();
    rows.extend(packed_rows);
    instances.extend(packed_instances);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::Failure;

    #[test]
    fn an_instance_is_64_bytes_and_the_shader_has_the_same_segments() {
        assert_eq!(size_of::<OrbitInstance>(), 64);
        let shader = include_str!("../shaders/orbits.wgsl");
        let line = format!("const SEGMENTS: f32 = {ORBIT_SEGMENTS}.0;");
        assert!(
            shader.contains(&line),
            "shaders/orbits.wgsl must say {line}"
        );
    }

    #[test]
    fn the_warp_is_one_for_a_circle_and_the_samples_close_the_loop() {
        assert!((anomaly_warp(0.0) - 1.0).abs() < 1e-15);
        assert!(anomaly_warp(0.74) < 0.65);
        for warp in [1.0, 0.6, 0.2] {
            assert!(eccentric_anomaly_of_sample(0.0, warp).abs() < 1e-6);
            let full = eccentric_anomaly_of_sample(std::f32::consts::TAU, warp);
            assert!((full - std::f32::consts::TAU).abs() < 1e-5, "{full}");
            // Monotonic: the strip never folds back.
            let mut last = -1.0;
            for index in 0..=ORBIT_SEGMENTS {
                let t = std::f32::consts::TAU * index as f32 / ORBIT_SEGMENTS as f32;
                let e = eccentric_anomaly_of_sample(t, warp);
                assert!(e > last);
                last = e;
            }
        }
    }

    /// The polyline stays within the bound the segment count was chosen for, at every
    /// eccentricity the shader draws.
    #[test]
    fn the_drawn_polyline_stays_within_half_a_percent_of_the_ellipse() {
        for eccentricity in [0.0, 0.001, 0.1, 0.5, 0.74, 0.9, 0.97, 0.99] {
            let a = 26_600.0;
            let rp = a * (1.0 - eccentricity);
            let speed = (crate::orbit::ellipse::MU_KM3_S2 * (2.0 / rp - 1.0 / a)).sqrt();
            let ellipse = OsculatingEllipse::from_state(
                DVec3::new(rp, 0.0, 0.0),
                DVec3::new(0.0, speed * 0.6, speed * 0.8),
            )
            .unwrap();
            let instance = orbit_instance(&ellipse, [1.0; 4], 1.0);
            for step in 0..360 {
                let nu = f64::from(step).to_radians();
                let (point, _) = ellipse.state_at_true_anomaly(nu);
                let off = distance_to_drawn_km(&instance, point) / point.length();
                assert!(off < 0.005, "e = {eccentricity}, ν = {step}°: {off}");
            }
        }
    }

    #[test]
    fn orbits_are_taken_again_only_when_what_they_show_or_a_minute_of_the_clock_changed() {
        let at = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
        let taken = (at, 7_u64);
        assert!(orbits_need_refresh::<u64>(None, at, &7));
        assert!(!orbits_need_refresh(Some(&taken), at, &7));
        assert!(!orbits_need_refresh(
            Some(&taken),
            at.plus_minutes(0.99),
            &7
        ));
        assert!(orbits_need_refresh(Some(&taken), at.plus_minutes(1.0), &7));
        // Reversed or jumped back.
        assert!(orbits_need_refresh(Some(&taken), at.plus_minutes(-1.0), &7));
        assert!(!orbits_need_refresh(
            Some(&taken),
            at.plus_minutes(-0.5),
            &7
        ));
        // A new filter, colour or setting.
        assert!(orbits_need_refresh(Some(&taken), at, &8));
    }

    #[test]
    fn only_shown_propagated_objects_on_closed_orbits_are_packed() {
        let mut states = StateBuffers::with_len(4);
        let circular = (crate::orbit::ellipse::MU_KM3_S2 / 7000.0).sqrt();
        for row in 0..4 {
            states.positions_km[row] = [7000.0, 0.0, 0.0];
            states.velocities_km_s[row] = [0.0, circular, 0.0];
            states.failures[row] = None;
        }
        states.failures[1] = Some(Failure::Diverged);
        // Row 3 escapes: no ellipse.
        states.velocities_km_s[3] = [0.0, circular * 1.5, 0.0];
        let colors = vec![[0.2, 0.4, 0.6, 1.0]; 4];
        let (mut instances, mut rows) = (Vec::new(), Vec::new());
        let shown = [true, true, true, true];
        pack_orbit_instances(&states, &shown, &colors, 0.5, &mut instances, &mut rows);
        assert_eq!(rows, vec![0, 2]);
        assert_eq!(instances[0].color, [0.2, 0.4, 0.6, 0.5]);
        let radius = Vec3::from_slice(&instances[0].major_axis_warp[..3]).length();
        assert!((f64::from(radius) * WGS84_A_KM - 7000.0).abs() < 0.01);
        pack_orbit_instances(
            &states,
            &[false, true, true, true],
            &colors,
            0.5,
            &mut instances,
            &mut rows,
        );
        assert_eq!(rows, vec![2]);
        pack_orbit_instances(
            &states,
            &[false; 4],
            &colors,
            0.5,
            &mut instances,
            &mut rows,
        );
        assert!(instances.is_empty() && rows.is_empty());
    }
}
