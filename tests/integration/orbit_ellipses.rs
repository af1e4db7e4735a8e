//! The drawn orbits against exact SGP4, on real element sets (typed in: a handful of element
//! sets are public facts): every shown object's orbit is its osculating ellipse, taken at an
//! instant and drawn as the shader's polyline. It must pass through the object at that instant
//! (within 0.5 % of the orbit radius) and stay within 1 % of where SGP4 puts it a quarter
//! period later, when J2 has turned the orbit on and the picture has not yet been refreshed.

use glam::DVec3;
use orbitscope::orbit::ellipse::OsculatingEllipse;
use orbitscope::orbit::tracks::period_minutes;
use orbitscope::orbit::{BatchPropagator, Instant, PropagationMode};
use orbitscope::orbit_lines::{distance_to_drawn_km, orbit_instance};

/// (name, line 1, line 2) from CelesTrak's active set of 2026-08-22.
const ELEMENT_SETS: [(&str, &str, &str); 5] = [
    (
        "ISS (ZARYA)",
        "1 25544U 98067A   26234.04909235  .00009068  00000+0  16914-3 0  9995",
        "2 25544  51.6330 334.1166 0007690  71.1509 289.0313 15.49562116581964",
    ),
    (
        "STARLINK-1008",
        "1 44714U 19074B   26234.17284867  .00077595  00000+0  89842-3 0  9997",
        "2 44714  53.1481 110.2629 0005172  75.9267 284.2321 15.61165912374481",
    ),
    (
        "INTELSAT 902 (GEO)",
        "1 26900U 01039A   26233.97891906 -.00000288  00000+0  00000+0 0  9992",
        "2 26900   6.2777  70.9540 0004159  81.2218 120.4334  1.00271204 91356",
    ),
    (
        "MERIDIAN 7 (Molniya)",
        "1 40296U 14069A   26232.99014163  .00000267  00000+0  00000+0 0  9992",
        "2 40296  63.4503 209.0084 6625235 270.1292  20.0242  2.00602458 86538",
    ),
    (
        "NAVSTAR 43 (GPS)",
        "1 24876U 97035A   26234.01431438 -.00000027  00000+0  00000+0 0  9990",
        "2 24876  56.0308  96.0005 0105233  58.3967 302.7048  2.00564320213274",
    ),
];

#[test]
fn the_drawn_orbit_passes_through_the_object_and_stays_close_a_quarter_period_later() {
    let taken = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
    for (name, line1, line2) in ELEMENT_SETS {
        let elements =
            sgp4::Elements::from_tle(Some(name.to_owned()), line1.as_bytes(), line2.as_bytes())
                .unwrap();
        let propagator = BatchPropagator::new([&elements], PropagationMode::Improved);
        let (position, velocity) = propagator.propagate_one(0, taken).unwrap();
        let (position, velocity) = (DVec3::from_array(position), DVec3::from_array(velocity));
        let ellipse = OsculatingEllipse::from_state(position, velocity).unwrap();
        let instance = orbit_instance(&ellipse, [1.0; 4], 1.0);

        let off_now = distance_to_drawn_km(&instance, position) / position.length();
        assert!(
            off_now < 0.005,
            "{name}: {:.3} % at the refresh",
            off_now * 100.0
        );

        // Several points over the next quarter period, where SGP4 has flown on.
        let quarter = period_minutes(elements.mean_motion) / 4.0;
        let mut worst = 0.0_f64;
        for step in 1..=12 {
            let at = taken.plus_minutes(quarter * f64::from(step) / 12.0);
            let (later, _) = propagator.propagate_one(0, at).unwrap();
            let later = DVec3::from_array(later);
            worst = worst.max(distance_to_drawn_km(&instance, later) / later.length());
        }
        assert!(
            worst < 0.01,
            "{name}: {:.3} % a quarter period on",
            worst * 100.0
        );
        println!(
            "{name}: {:.4} % at the refresh, at most {:.4} % over the next quarter period",
            off_now * 100.0,
            worst * 100.0
        );
    }
}
