//! What the globe draws for each object, decided without Bevy: render-space positions carried
//! between ticks, and the packing of one instance buffer for the single instanced draw call
//! (colours: `palette`; axes: `render_space`).

use bytemuck::{Pod, Zeroable};
use glam::{DVec3, Vec3};

use crate::palette::{Rgba, SELECTED_COLOR};
use crate::render_space::world_from_teme_km;

/// Render-space positions of every propagated object, and whether each is usable (SGP4
/// succeeded). Reuses the output vectors.
pub fn world_positions(
    states: &crate::orbit::StateBuffers,
    world: &mut Vec<Vec3>,
    valid: &mut Vec<bool>,
) {
    use rayon::prelude::*;
    world.clear();
    valid.clear();
    // On all cores, like the propagation before it (0.4 ms for 100 000 objects on one).
    world.par_extend(
        states
            .positions_km
            .par_iter()
            .with_min_len(4096)
            .map(|position| world_from_teme_km(DVec3::from_array(*position))),
    );
    valid.par_extend(
        states
            .failures
            .par_iter()
            .with_min_len(4096)
            .map(Option::is_none),
    );
}

/// Longest simulated time between two ticks over which positions are interpolated, seconds.
/// Over longer spans (high warp) a straight chord would cut across the orbit: frames then
/// show the latest tick as it is.
pub const MAX_INTERPOLATION_SPAN_S: f64 = 120.0;

/// Positions between the previous and the current tick at `alpha` ∈ [0, 1] (the fraction of
/// a fixed step elapsed since the current tick), into `out` (reused). Objects without a
/// previous position, or ticks too far apart in simulated time, take the current position.
pub fn interpolate_positions(
    previous: &[Vec3],
    current: &[Vec3],
    alpha: f32,
    tick_span_s: f64,
    out: &mut Vec<Vec3>,
) {
    out.clear();
    let usable = previous.len() == current.len() && tick_span_s.abs() <= MAX_INTERPOLATION_SPAN_S;
    if !usable {
        out.extend_from_slice(current);
        return;
    }
    // Extrapolating one step past the current tick keeps motion smooth between ticks; the
    // next tick replaces the estimate with the exact SGP4 position.
    let alpha = alpha.clamp(0.0, 1.0);
    out.extend(
        previous
            .iter()
            .zip(current)
            .map(|(&before, &now)| now + (now - before) * alpha),
    );
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
    selected: Option<usize>,
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
        let is_selected = selected == Some(index);
        out.push(MarkerInstance {
            position: position.to_array(),
            size_px: if is_selected { size_px * 2.5 } else { size_px },
            color: if is_selected {
                SELECTED_COLOR
            } else {
                colors[index]
            },
        });
        rows.push(index as u32);
    }
    // Draw the selection last so that it sits on top of neighbours at the same depth.
    if let Some(position) = rows[first_shown..]
        .iter()
        .position(|&row| Some(row as usize) == selected)
    {
        let last = out.len() - 1;
        out.swap(first_shown + position, last);
        rows.swap(first_shown + position, last);
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
            Some(0),
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
            Some(0),
            Hidden::Dimmed,
            &mut out,
            &mut rows,
        );
        assert_eq!((first, rows.as_slice()), (1, &[2, 3, 0][..]));
        assert!(out[0].color[0] < colors[2][0] && out[0].size_px < 3.0);
        assert_eq!(out[2].color, SELECTED_COLOR);
    }

    #[test]
    fn interpolation_moves_along_the_last_step_and_snaps_at_high_warp() {
        let previous = [Vec3::ZERO, Vec3::X];
        let current = [Vec3::X, Vec3::X];
        let mut out = Vec::new();
        interpolate_positions(&previous, &current, 0.5, 10.0, &mut out);
        assert_eq!(out, [Vec3::new(1.5, 0.0, 0.0), Vec3::X]);
        interpolate_positions(&previous, &current, 0.5, 10_000.0, &mut out);
        assert_eq!(out, current, "no chord across the orbit");
        interpolate_positions(&[], &current, 0.5, 10.0, &mut out);
        assert_eq!(out, current, "first tick");
    }
}
