//! What the passes window draws, pure: a pass as a track across a site's sky, the polar sky
//! plot's projection, the ground circle from which an object at some altitude is seen above a
//! minimum elevation, and the passes of many (object, site) pairs as one time-ordered table.

use glam::DVec3;

use super::batch::ObjectPasses;
use super::finder::Pass;
use super::look::{LookAngles, SiteFrame, teme_state_to_ecef};
use super::site::Site;
use crate::orbit::frames::{Geodetic, WGS84_A_KM};
use crate::orbit::{BatchPropagator, Instant, gmst_rad};

/// Look angles of object `index` at `points` instants evenly spread from `from` to `to` (the
/// instants where SGP4 fails are left out).
pub fn sky_track(
    propagator: &BatchPropagator,
    index: usize,
    site: &SiteFrame,
    from: Instant,
    to: Instant,
    points: usize,
) -> Vec<(Instant, LookAngles)> {
    let points = points.max(2);
    let span_min = to.minutes_since(from);
    (0..points)
        .filter_map(|k| {
            let at = from.plus_minutes(span_min * k as f64 / (points - 1) as f64);
            let (position, velocity) = propagator.propagate_one(index, at).ok()?;
            let (r, v) = teme_state_to_ecef(
                DVec3::from_array(position),
                DVec3::from_array(velocity),
                gmst_rad(at),
            );
            Some((at, site.look_ecef(r, v)))
        })
        .collect()
}

/// A point of the sky plot: the zenith at the centre, the horizon on the circle of radius 90,
/// north up and east to the right (as a radar plot or a map seen from above; the window labels
/// the cardinal points).
pub fn sky_xy(azimuth_deg: f64, elevation_deg: f64) -> [f64; 2] {
    let radius = 90.0 - elevation_deg;
    let (sin, cos) = azimuth_deg.to_radians().sin_cos();
    [radius * sin, radius * cos]
}

/// The angle at the Earth's centre between a site and the point below an object at
/// `altitude_km` that the site sees at `elevation_deg` (spherical Earth): the radius of the
/// ground circle from which the object is above that elevation.
pub fn footprint_half_angle_rad(altitude_km: f64, elevation_deg: f64) -> f64 {
    let elevation = elevation_deg.to_radians();
    let ratio = WGS84_A_KM / (WGS84_A_KM + altitude_km.max(0.0));
    (ratio * elevation.cos()).acos() - elevation
}

/// `points` geodetic points on the circle of central angle `half_angle_rad` around `site`, on
/// the ground (a sphere is close enough for a drawn line: the WGS-84 flattening moves it by
/// under 0.2 %).
pub fn ground_circle(site: &Site, half_angle_rad: f64, points: usize) -> Vec<Geodetic> {
    let lat = site.latitude_deg.to_radians();
    let lon = site.longitude_deg.to_radians();
    let centre = DVec3::new(lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin());
    let east = DVec3::new(-lon.sin(), lon.cos(), 0.0);
    let north = centre.cross(east);
    let (sin_d, cos_d) = half_angle_rad.sin_cos();
    (0..=points)
        .map(|k| {
            let bearing = std::f64::consts::TAU * k as f64 / points as f64;
            let direction = north * bearing.cos() + east * bearing.sin();
            let point = centre * cos_d + direction * sin_d;
            Geodetic {
                latitude_rad: point.z.clamp(-1.0, 1.0).asin(),
                longitude_rad: point.y.atan2(point.x),
                altitude_km: 0.0,
            }
        })
        .collect()
}

/// One pass of one object over one site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassRow {
    /// Index into the element sets searched.
    pub object: usize,
    /// Index into the sites searched.
    pub site: usize,
    pub pass: Pass,
}

/// Every pass of every (object, site) as one table ordered by rise, then object and site.
pub fn pass_rows(found: &[ObjectPasses]) -> Vec<PassRow> {
    let mut rows: Vec<PassRow> = found
        .iter()
        .flat_map(|entry| {
            entry.passes.iter().map(|pass| PassRow {
                object: entry.object,
                site: entry.site,
                pass: *pass,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.pass
            .rise
            .at
            .minutes_since(b.pass.rise.at)
            .total_cmp(&0.0)
            .then(a.object.cmp(&b.object))
            .then(a.site.cmp(&b.site))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::PropagationMode;
    use crate::orbit::test_sets::tle;
    use crate::passes::{PassOptions, Span, passes_of};

    #[test]
    fn the_sky_plot_puts_the_zenith_in_the_middle_and_north_up() {
        let close =
            |[x, y]: [f64; 2], [ex, ey]: [f64; 2]| (x - ex).abs() < 1e-9 && (y - ey).abs() < 1e-9;
        assert!(close(sky_xy(123.0, 90.0), [0.0, 0.0]));
        assert!(close(sky_xy(0.0, 0.0), [0.0, 90.0]));
        assert!(close(sky_xy(90.0, 0.0), [90.0, 0.0]));
        assert!(close(sky_xy(180.0, 45.0), [0.0, -45.0]));
    }

    /// The ISS at 420 km is above the horizon within 20.25° of a site, above 10° within 12.49°
    /// (the textbook geometry: acos(R cos e / (R + h)) − e).
    #[test]
    fn the_footprint_is_the_textbook_geometry() {
        let horizon = footprint_half_angle_rad(420.0, 0.0).to_degrees();
        assert!((horizon - 20.25).abs() < 0.01, "{horizon}");
        let ten = footprint_half_angle_rad(420.0, 10.0).to_degrees();
        assert!((ten - 12.49).abs() < 0.01, "{ten}");
        // Every point of the drawn circle is that far from the site.
        let site = Site::new("pole-ish", 80.0, 170.0, 0.0).unwrap();
        let frame = SiteFrame::new(&site);
        for point in ground_circle(&site, ten.to_radians(), 36) {
            let on_sphere = DVec3::new(
                point.latitude_rad.cos() * point.longitude_rad.cos(),
                point.latitude_rad.cos() * point.longitude_rad.sin(),
                point.latitude_rad.sin(),
            );
            let angle = on_sphere
                .angle_between(frame.position_km.normalize())
                .to_degrees();
            // The site's geodetic and geocentric latitudes differ by up to 0.19°.
            assert!((angle - ten).abs() < 0.2, "{angle}");
        }
    }

    /// A pass's track starts and ends at the minimum elevation and peaks at the culmination.
    #[test]
    fn a_pass_track_runs_from_rise_through_culmination_to_set() {
        let iss = tle(
            "1 25544U 98067A   26234.04909235  .00009068  00000+0  16914-3 0  9995",
            "2 25544  51.6330 334.1166 0007690  71.1509 289.0313 15.49562116581964",
        );
        let site = Site::new("Greenwich", 51.48, 0.0, 50.0).unwrap();
        let start = Instant::from_naive_utc(&iss.datetime);
        let found =
            passes_of(&iss, &site, Span::days(start, 2.0), &PassOptions::default()).unwrap();
        let pass = found.passes.iter().find(|pass| !pass.rise_clipped).unwrap();
        let propagator = BatchPropagator::new([&iss], PropagationMode::Improved);
        let frame = SiteFrame::new(&site);
        let track = sky_track(&propagator, 0, &frame, pass.rise.at, pass.set.at, 121);
        assert_eq!(track.len(), 121);
        let first = track.first().unwrap().1;
        let last = track.last().unwrap().1;
        assert!((first.elevation_deg - 10.0).abs() < 0.01, "{first:?}");
        assert!((last.elevation_deg - 10.0).abs() < 0.01, "{last:?}");
        assert!((first.azimuth_deg - pass.rise.azimuth_deg).abs() < 0.01);
        let highest = track
            .iter()
            .map(|(_, look)| look.elevation_deg)
            .fold(f64::MIN, f64::max);
        assert!(highest <= pass.culmination.elevation_deg + 1e-6);
        assert!(pass.culmination.elevation_deg - highest < 0.2, "{highest}");

        let rows = pass_rows(std::slice::from_ref(&found));
        assert_eq!(rows.len(), found.passes.len());
        assert!(
            rows.windows(2)
                .all(|w| w[0].pass.rise.at.minutes_since(w[1].pass.rise.at) <= 0.0)
        );
    }
}
