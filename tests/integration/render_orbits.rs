//! Render tests of every shown object's orbit (one instanced draw call): the GEO belt seen from
//! above the pole is a ring of orbit lines in owner colours, and `measure` counts one orbit
//! draw call for the whole active catalog. Need a display with Vulkan and ../shared/data.

use crate::render::{Picture, measured_draws_of, real_sources, render};

/// Vertical field of view of the app's camera, degrees.
const FOV_Y_DEG: f64 = 35.0;
const GEO_RADIUS_EARTH_RADII: f64 = 42_164.0 / 6_378.137;
const DISTANCE: f64 = 30.0;

fn geo_from_above(name: &str, orbits: &str) -> Picture {
    let sources = real_sources();
    let mut args = vec![
        "--width",
        "640",
        "--height",
        "400",
        "--distance",
        "30",
        "--look-at",
        "89.9,0",
        "--regime",
        "geo",
        "--color",
        "owner",
        "--orbits",
        orbits,
        "--no-overlays",
    ];
    args.extend(sources.iter().map(String::as_str));
    render(name, &args)
}

/// Where the GEO ring lands on screen from above the pole: (radius in pixels).
fn geo_ring_radius_px(height: u32) -> f64 {
    let angle = (GEO_RADIUS_EARTH_RADII / DISTANCE).atan();
    f64::from(height) / 2.0 * angle.tan() / (FOV_Y_DEG.to_radians() / 2.0).tan()
}

/// Per degree around the ring: the brightest pixel within ±3 px of its radius.
fn ring_samples(picture: &Picture) -> Vec<[u8; 3]> {
    let (cx, cy) = (
        f64::from(picture.width) / 2.0,
        f64::from(picture.height) / 2.0,
    );
    let radius = geo_ring_radius_px(picture.height);
    (0..360)
        .map(|degree| {
            let angle = f64::from(degree).to_radians();
            (-6..=6)
                .map(|half_px| {
                    let r = radius + f64::from(half_px) / 2.0;
                    picture.pixel(cx + r * angle.cos(), cy + r * angle.sin())
                })
                .max_by_key(|[r, g, b]| u32::from(*r) + u32::from(*g) + u32::from(*b))
                .unwrap()
        })
        .collect()
}

fn lit([r, g, b]: [u8; 3]) -> bool {
    r.max(g).max(b) > 30
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_the_geo_belt_orbits_draw_a_ring_in_owner_colours() {
    let with = geo_from_above("geo-orbits-all.png", "all");
    let without = geo_from_above("geo-orbits-off.png", "off");
    let ring_with = ring_samples(&with);
    let lit_with = ring_with.iter().filter(|px| lit(**px)).count();
    // The belt's objects are dots with gaps between them; their orbits close the ring.
    assert!(lit_with >= 355, "{lit_with} of 360 degrees lit with orbits");
    // And the inclined ones cross it: many more lit pixels than the dots alone.
    let lit_pixels = |picture: &Picture| {
        (0..picture.height)
            .flat_map(|y| (0..picture.width).map(move |x| (f64::from(x), f64::from(y))))
            .filter(|(x, y)| lit(picture.pixel(*x, *y)))
            .count()
    };
    let (pixels_with, pixels_without) = (lit_pixels(&with), lit_pixels(&without));
    assert!(
        pixels_with > 2 * pixels_without,
        "orbits add lines: {pixels_with} lit pixels with, {pixels_without} without"
    );
    // Coloured by owner: several distinct hues on the ring, not one grey line.
    let hues: std::collections::BTreeSet<(u8, u8, u8)> = ring_with
        .iter()
        .filter(|px| lit(**px))
        .map(|[r, g, b]| (r / 64, g / 64, b / 64))
        .collect();
    assert!(hues.len() >= 3, "owner colours on the ring: {hues:?}");
    // Inside the ring, away from it, space stays dark: the lines are where the orbits are.
    let (cx, cy) = (f64::from(with.width) / 2.0, f64::from(with.height) / 2.0);
    let inner = geo_ring_radius_px(with.height) * 0.6;
    let dark = (0..360)
        .map(|degree| f64::from(degree).to_radians())
        .filter(|angle| !lit(with.pixel(cx + inner * angle.cos(), cy + inner * angle.sin())))
        .count();
    assert!(
        dark > 300,
        "{dark} of 360 dark between the Earth and the belt"
    );
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_every_orbit_of_the_active_catalog_is_one_draw_call() {
    let (instances, draws) = measured_draws_of("orbits", &["--orbits", "all"], &[]);
    assert_eq!(draws, 1.0, "one orbit draw call per rendered frame");
    assert!(instances > 15_000.0, "{instances} orbits in that one call");
    // And none at all when they are off.
    let (off_instances, off_draws) = measured_draws_of("orbits", &["--orbits", "off"], &[]);
    assert_eq!((off_instances, off_draws), (0.0, 0.0));
}
