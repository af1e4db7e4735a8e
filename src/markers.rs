//! What the globe draws for each object, decided without Bevy: render-space positions carried
//! between ticks, and the packing of one instance buffer for the single instanced draw call
//! (colours: `palette`; axes: `render_space`).

use bytemuck::{Pod, Zeroable};
use glam::{DVec3, Vec3};

use crate::orbit::{BatchPropagator, DerivedOutput, Failure, Instant, StateBuffers};
use crate::palette::{Rgba, SELECTED_COLOR};
use crate::render_space::world_from_teme_km;

/// SGP4 for every object at `at` into `states`, and each object's render-space position and
/// whether it is usable (SGP4 succeeded) into `world` and `valid` (resized to the catalog), in
/// one pass: each chunk is converted while its states are in cache.
pub fn propagate_to_render_space(
    propagator: &mut BatchPropagator,
    at: Instant,
    states: &mut StateBuffers,
    world: &mut Vec<Vec3>,
    valid: &mut Vec<bool>,
) {
    world.resize(propagator.len(), Vec3::ZERO);
    valid.resize(propagator.len(), false);
    propagator.propagate_deriving(at, states, RenderSpaceOutput { world, valid });
}

/// One run of objects' render-space positions and usability flags.
struct RenderSpaceOutput<'a> {
    world: &'a mut [Vec3],
    valid: &'a mut [bool],
}

impl DerivedOutput for RenderSpaceOutput<'_> {
    fn split_at(self, len: usize) -> (Self, Self) {
        let (world, rest_world) = self.world.split_at_mut(len);
        let (valid, rest_valid) = self.valid.split_at_mut(len);
        (
            Self { world, valid },
            Self {
                world: rest_world,
                valid: rest_valid,
            },
        )
    }

    fn derive(self, positions_km: &[[f64; 3]], failures: &[Option<Failure>]) {
        for (world, position) in self.world.iter_mut().zip(positions_km) {
            *world = world_from_teme_km(DVec3::from_array(*position));
        }
        for (valid, failure) in self.valid.iter_mut().zip(failures) {
            *valid = failure.is_none();
        }
    }
}

/// Longest simulated time between two ticks over which positions are interpolated, seconds.
/// Over longer spans (high warp) a straight chord would cut across the orbit: frames then
/// show the latest tick as it is.
pub const MAX_INTERPOLATION_SPAN_S: f64 = 120.0;

/// Positions between the previous and the current tick at `alpha` ∈ [0, 1] (the fraction of
/// a fixed step elapsed since the current tick), into `out` (reused). Objects without a usable
/// previous position (none yet, or SGP4 failed for them on the previous tick, which leaves a
/// stale or zero position there), or ticks too far apart in simulated time, take the current
/// position: an object that recovers is drawn where it is, never extrapolated from a stale one.
pub fn interpolate_positions(
    previous: &[Vec3],
    previous_valid: &[bool],
    current: &[Vec3],
    alpha: f32,
    tick_span_s: f64,
    out: &mut Vec<Vec3>,
) {
    out.clear();
    let usable = previous.len() == current.len()
        && previous_valid.len() == current.len()
        && tick_span_s.abs() <= MAX_INTERPOLATION_SPAN_S;
    if !usable {
        out.extend_from_slice(current);
        return;
    }
    // Extrapolating one step past the current tick keeps motion smooth between ticks; the
    // next tick replaces the estimate with the exact SGP4 position.
    let alpha = alpha.clamp(0.0, 1.0);
    out.extend(previous.iter().zip(previous_valid).zip(current).map(
        |((&before, &was_valid), &now)| {
            if was_valid {
                now + (now - before) * alpha
            } else {
                now
            }
        },
    ));
}

/// One marker as the GPU reads it: position (render space) and size, then linear RGBA.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct MarkerInstance {
    pub position: [f32; 3],
    /// Marker radius in physical pixels: constant on screen at every zoom.
    pub size_px: f32,
    pub color: [f32; 4],
}

/// What the filter does with the objects it leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hidden {
    /// Not drawn (the default).
    #[default]
    Omitted,
    /// Drawn small and faint, for context; still never picked.
    Dimmed,
}

/// Brightness and size of dimmed markers, relative to shown ones.
const DIM_FACTOR: f32 = 0.25;

/// Fills `out` (reusing its allocation) with one instance per drawn object and `rows` with
/// the catalog row of each instance, so that picking can map an instance back to its object.
/// An object is drawn when it propagated (`valid`); the filter `mask` shows it, or (with
/// [`Hidden::Dimmed`]) draws it faint first, underneath. Returns the index of the first shown
/// instance: only `out[first..]` may be picked.
pub fn pack_instances(
    positions: &[Vec3],
    valid: &[bool],
    mask: &[bool],
    colors: &[Rgba],
    size_px: f32,
    highlighted: [Option<usize>; 2],
    hidden: Hidden,
    out: &mut Vec<MarkerInstance>,
    rows: &mut Vec<u32>,
) -> usize {
    out.clear();
    rows.clear();
    let shown = |index: usize| mask.get(index).copied().unwrap_or(true);
    if hidden == Hidden::Dimmed {
        for (index, position) in positions.iter().enumerate() {
            if valid[index] && !shown(index) {
                let [r, g, b, a] = colors[index];
                out.push(MarkerInstance {
                    position: position.to_array(),
                    size_px: size_px * 0.6,
                    color: [r * DIM_FACTOR, g * DIM_FACTOR, b * DIM_FACTOR, a],
                });
                rows.push(index as u32);
            }
        }
    }
    let first_shown = out.len();
    for (index, position) in positions.iter().enumerate() {
        if !valid[index] || !shown(index) {
            continue;
        }
        let is_highlighted = highlighted.contains(&Some(index));
        out.push(MarkerInstance {
            position: position.to_array(),
            size_px: if is_highlighted {
                size_px * 2.5
            } else {
                size_px
            },
            color: if is_highlighted {
                SELECTED_COLOR
            } else {
                colors[index]
            },
        });
        rows.push(index as u32);
    }
    // Draw the highlighted objects last so that they sit on top of neighbours at the same
    // depth, the selection on top of all.
    let mut last = out.len();
    for row in highlighted.iter().flatten() {
        if let Some(position) = rows[first_shown..last]
            .iter()
            .position(|&drawn| drawn as usize == *row)
        {
            last -= 1;
            out.swap(first_shown + position, last);
            rows.swap(first_shown + position, last);
        }
    }
    first_shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_layout_is_what_the_shader_expects() {
        assert_eq!(std::mem::size_of::<MarkerInstance>(), 32);
        let instance = MarkerInstance {
            position: [1.0, 2.0, 3.0],
            size_px: 4.0,
            color: [0.5, 0.25, 0.125, 1.0],
        };
        let floats: &[f32] = bytemuck::cast_slice(std::slice::from_ref(&instance));
        assert_eq!(floats, [1.0, 2.0, 3.0, 4.0, 0.5, 0.25, 0.125, 1.0]);
    }

    #[test]
    fn packing_skips_failed_and_filtered_objects_and_highlights_the_selection() {
        let positions = [Vec3::X, Vec3::Y, Vec3::Z, Vec3::ONE];
        let valid = [true, false, true, true];
        let mask = [true, true, false, true];
        let colors = [crate::palette::type_color(crate::catalog::ObjectType::Payload); 4];
        let (mut out, mut rows) = (Vec::with_capacity(8), Vec::new());
        let capacity = out.capacity();
        let first = pack_instances(
            &positions,
            &valid,
            &mask,
            &colors,
            3.0,
            [Some(0), None],
            Hidden::Omitted,
            &mut out,
            &mut rows,
        );
        assert_eq!(first, 0);
        assert_eq!(
            rows,
            [3, 0],
            "failed (1) and filtered (2) are left out; selection last"
        );
        assert_eq!(out[1].color, SELECTED_COLOR);
        assert_eq!(out[1].size_px, 7.5);
        assert_eq!(out[0].position, [1.0, 1.0, 1.0]);
        assert_eq!(out.capacity(), capacity, "no reallocation");

        // Dimmed: the filtered object (2) comes first, faint and small, before the pickable
        // ones; the failed one (1) is still not drawn.
        let first = pack_instances(
            &positions,
            &valid,
            &mask,
            &colors,
            3.0,
            [Some(0), None],
            Hidden::Dimmed,
            &mut out,
            &mut rows,
        );
        assert_eq!((first, rows.as_slice()), (1, &[2, 3, 0][..]));
        assert!(out[0].color[0] < colors[2][0] && out[0].size_px < 3.0);
        assert_eq!(out[2].color, SELECTED_COLOR);

        // A close approach's pair: both highlighted and drawn last, the selection on top.
        let first = pack_instances(
            &positions,
            &valid,
            &mask,
            &colors,
            3.0,
            [Some(0), Some(3)],
            Hidden::Omitted,
            &mut out,
            &mut rows,
        );
        assert_eq!((first, rows.as_slice()), (0, &[3, 0][..]));
        assert!(out.iter().all(|marker| marker.color == SELECTED_COLOR));
        let positions = [Vec3::X, Vec3::Y, Vec3::Z, Vec3::ONE];
        let valid = [true; 4];
        let mask = [true; 4];
        pack_instances(
            &positions,
            &valid,
            &mask,
            &colors,
            3.0,
            [Some(1), Some(0)],
            Hidden::Omitted,
            &mut out,
            &mut rows,
        );
        assert_eq!(rows, [2, 3, 0, 1], "companion, then the selection, last");
    }

    #[test]
    fn one_pass_gives_each_objects_render_position_and_usability_across_chunks() {
        let iss = sgp4::Elements::from_tle(
            None,
            b"1 25544U 98067A   20194.88612269 -.00002218  00000-0 -31515-4 0  9992",
            b"2 25544  51.6461 221.2784 0001413  89.1723 280.4612 15.49507896236008",
        )
        .unwrap();
        // Enough objects for several chunks; every 7th one hyperbolic, so it fails.
        let catalog: Vec<sgp4::Elements> = (0..2_000)
            .map(|i| {
                let mut object = iss.clone();
                object.mean_anomaly = (object.mean_anomaly + 0.17 * i as f64) % 360.0;
                if i % 7 == 3 {
                    object.eccentricity = 1.5;
                }
                object
            })
            .collect();
        let at = Instant::from_naive_utc(&iss.datetime).plus_minutes(30.0);
        let mut propagator =
            BatchPropagator::new(&catalog, crate::orbit::PropagationMode::Improved);
        let (mut states, mut world, mut valid) = (StateBuffers::default(), vec![], vec![]);
        // Buffers left over from a larger catalog are resized, not trusted.
        world.resize(5_000, Vec3::splat(9.0));
        propagate_to_render_space(&mut propagator, at, &mut states, &mut world, &mut valid);
        let mut reference = StateBuffers::default();
        propagator.propagate_into(at, &mut reference);
        assert_eq!((world.len(), valid.len()), (catalog.len(), catalog.len()));
        for index in 0..catalog.len() {
            assert_eq!(valid[index], index % 7 != 3, "#{index}");
            assert_eq!(valid[index], reference.failures[index].is_none());
            if valid[index] {
                let expected = world_from_teme_km(DVec3::from_array(reference.positions_km[index]));
                assert_eq!(world[index], expected, "#{index}");
            }
        }
    }

    #[test]
    fn interpolation_moves_along_the_last_step_and_snaps_at_high_warp() {
        let previous = [Vec3::ZERO, Vec3::X];
        let current = [Vec3::X, Vec3::X];
        let mut out = Vec::new();
        interpolate_positions(&previous, &[true; 2], &current, 0.5, 10.0, &mut out);
        assert_eq!(out, [Vec3::new(1.5, 0.0, 0.0), Vec3::X]);
        interpolate_positions(&previous, &[true; 2], &current, 0.5, 10_000.0, &mut out);
        assert_eq!(out, current, "no chord across the orbit");
        interpolate_positions(&[], &[], &current, 0.5, 10.0, &mut out);
        assert_eq!(out, current, "first tick");
    }

    /// An object SGP4 failed for on the previous tick keeps a stale (or the initial zero)
    /// position there: on the tick it recovers it is drawn where it is, not extrapolated
    /// from that position (up to twice its radius away).
    #[test]
    fn an_object_that_recovers_is_drawn_where_it_is() {
        let previous = [Vec3::ZERO, Vec3::new(1.1, 0.0, 0.0)];
        let previous_valid = [false, true];
        let current = [Vec3::new(0.0, 1.2, 0.0), Vec3::new(1.1, 0.01, 0.0)];
        let mut out = Vec::new();
        interpolate_positions(&previous, &previous_valid, &current, 0.9, 10.0, &mut out);
        assert_eq!(out[0], current[0], "recovered: the exact position");
        assert!((out[1] - Vec3::new(1.1, 0.019, 0.0)).length() < 1e-6);
    }
}
