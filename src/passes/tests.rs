//! The finder against an independent dense reference: the crate's SGP4
//! ([`ReferencePropagator`]) every second, elevation worked out here from the Earth-fixed
//! position and the site's ellipsoid normal, passes as runs of samples above the minimum
//! (crossings interpolated between the two seconds around them, maxima by a parabola through
//! the three samples around the highest).

use glam::DVec3;
use sgp4::Elements;

use crate::orbit::test_sets::{goes_16, molniya, tle};

use super::batch::{Span, find_passes, passes_of};
use super::finder::{Pass, PassOptions};
use super::ics::{CalendarPass, calendar};
use super::site::Site;
use crate::orbit::frames::{Geodetic, geodetic_to_ecef, teme_to_ecef};
use crate::orbit::{Instant, PropagationMode, ReferencePropagator, gmst_rad};

// Real element sets (CelesTrak, public): ISS, a Starlink and NOAA 20 (sun-synchronous) of
// 2026-06-13, GOES 16 of 2026-08-22 and MOLNIYA 1-36 (the sgp4 crate's example).
fn iss() -> Elements {
    tle(
        "1 25544U 98067A   26164.83523427  .00008738  00000+0  16534-3 0  9990",
        "2 25544  51.6333 316.6832 0004955 182.4672 177.6293 15.49214103571238",
    )
}

fn starlink() -> Elements {
    tle(
        "1 44714U 19074B   26164.50664332  .00069989  00000+0  12401-2 0  9999",
        "2 44714  53.1526  86.3448 0002931 112.5370 247.5950 15.49651313363643",
    )
}

fn noaa_20() -> Elements {
    tle(
        "1 43013U 17073A   26164.82944647  .00000020  00000+0  30441-4 0  9999",
        "2 43013  98.7773 104.3219 0000288  70.1500 289.9707 14.19511127443998",
    )
}

fn sites() -> Vec<Site> {
    vec![
        Site::new("Tromsø", 69.6, 18.9, 100.0).unwrap(),
        Site::new("equator", 0.0, -105.0, 0.0).unwrap(),
        Site::new("Cape Town", -33.9, 18.4, 10.0).unwrap(),
    ]
}

fn epoch(elements: &Elements) -> Instant {
    Instant::from_naive_utc(&elements.datetime)
}

/// A pass of the reference: times in seconds from the span's start.
#[derive(Debug, Clone, Copy)]
struct ReferencePass {
    rise: f64,
    set: f64,
    top_t: f64,
    top_el: f64,
    rise_clipped: bool,
    set_clipped: bool,
}

struct Reference {
    propagator: ReferencePropagator,
    site: DVec3,
    up: DVec3,
    start: Instant,
}

impl Reference {
    fn new(elements: &Elements, site: &Site, start: Instant) -> Self {
        let geodetic = Geodetic {
            latitude_rad: site.latitude_deg.to_radians(),
            longitude_rad: site.longitude_deg.to_radians(),
            altitude_km: site.height_m / 1000.0,
        };
        let (lat, lon) = (geodetic.latitude_rad, geodetic.longitude_rad);
        Self {
            propagator: ReferencePropagator::new(elements, PropagationMode::Improved),
            site: geodetic_to_ecef(&geodetic),
            up: DVec3::new(lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()),
            start,
        }
    }

    fn elevation(&self, t: f64) -> f64 {
        let at = self.start.plus_minutes(t / 60.0);
        let (position, _) = self.propagator.propagate(at).unwrap();
        let r = teme_to_ecef(DVec3::from_array(position), gmst_rad(at));
        let rho = r - self.site;
        (rho.dot(self.up) / rho.length()).asin().to_degrees()
    }

    /// Every pass above `min` in `[0, seconds]`, from samples every second.
    fn passes(&self, seconds: u32, min: f64) -> Vec<ReferencePass> {
        let e: Vec<f64> = (0..=seconds)
            .map(|s| self.elevation(f64::from(s)))
            .collect();
        let crossing = |i: usize| {
            // Between samples i and i + 1.
            i as f64 + (min - e[i]) / (e[i + 1] - e[i])
        };
        let mut passes = Vec::new();
        let mut i = 0;
        while i < e.len() {
            if e[i] < min {
                i += 1;
                continue;
            }
            let begin = i;
            while i < e.len() && e[i] >= min {
                i += 1;
            }
            let end = i - 1;
            let top = (begin..=end)
                .max_by(|&a, &b| e[a].total_cmp(&e[b]))
                .unwrap();
            // The peak: golden-section search on the exact elevation around the best second
            // (a parabola through samples fails at a V-shaped peak near the zenith).
            let (top_t, top_el) = if top > 0 && top + 1 < e.len() {
                let ratio = 0.5 * (5f64.sqrt() - 1.0);
                let (mut lo, mut hi) = (top as f64 - 1.0, top as f64 + 1.0);
                while hi - lo > 1e-4 {
                    let x1 = hi - ratio * (hi - lo);
                    let x2 = lo + ratio * (hi - lo);
                    if self.elevation(x1) < self.elevation(x2) {
                        lo = x1;
                    } else {
                        hi = x2;
                    }
                }
                let t = 0.5 * (lo + hi);
                (t, self.elevation(t).max(e[top]))
            } else {
                (top as f64, e[top])
            };
            passes.push(ReferencePass {
                rise: if begin == 0 { 0.0 } else { crossing(begin - 1) },
                set: if end + 1 == e.len() {
                    end as f64
                } else {
                    crossing(end)
                },
                top_t,
                top_el,
                rise_clipped: begin == 0,
                set_clipped: end + 1 == e.len(),
            });
        }
        passes
    }
}

fn seconds_from(start: Instant, at: Instant) -> f64 {
    at.minutes_since(start) * 60.0
}

/// Every reference pass found, each within 1 s and 0.01°, and no pass more.
fn compare(what: &str, found: &[Pass], reference: &[ReferencePass], start: Instant, flat: bool) {
    assert_eq!(
        found.len(),
        reference.len(),
        "{what}: {} passes found, the reference has {}: {found:#?} {reference:#?}",
        found.len(),
        reference.len()
    );
    for (pass, expected) in found.iter().zip(reference) {
        let rise = seconds_from(start, pass.rise.at);
        let set = seconds_from(start, pass.set.at);
        let top = seconds_from(start, pass.culmination.at);
        assert!(
            (rise - expected.rise).abs() < 1.0,
            "{what}: rise {rise} vs {expected:?}"
        );
        assert!(
            (set - expected.set).abs() < 1.0,
            "{what}: set {set} vs {expected:?}"
        );
        assert_eq!(pass.rise_clipped, expected.rise_clipped, "{what}");
        assert_eq!(pass.set_clipped, expected.set_clipped, "{what}");
        assert!(
            (pass.culmination.elevation_deg - expected.top_el).abs() < 0.01,
            "{what}: culmination {} vs {expected:?}",
            pass.culmination.elevation_deg
        );
        if !flat {
            assert!(
                (top - expected.top_t).abs() < 1.0,
                "{what}: culmination at {top} vs {expected:?}"
            );
        }
        assert!(pass.rise.azimuth_deg.is_finite() && pass.set.azimuth_deg.is_finite());
    }
}

/// ISS, a Starlink, NOAA 20 (polar), Molniya and GOES 16 from three sites, a day each.
#[test]
fn every_reference_pass_is_found_within_a_second() {
    let day = 86_400;
    for (name, elements, min, flat) in [
        ("ISS", iss(), 10.0, false),
        ("Starlink", starlink(), 10.0, false),
        ("NOAA 20", noaa_20(), 0.0, false),
        ("Molniya", molniya(), 10.0, false),
        ("GOES 16", goes_16(), 10.0, true),
    ] {
        let start = epoch(&elements).plus_minutes(137.0);
        let span = Span {
            start,
            end: start.plus_minutes(f64::from(day) / 60.0),
        };
        let options = PassOptions {
            min_elevation_deg: min,
            ..PassOptions::default()
        };
        let sites = sites();
        let found = find_passes(&[&elements], &sites, span, &options, &|_, _| {}).unwrap();
        for (entry, site) in found.iter().zip(&sites) {
            assert!(entry.failure.is_none(), "{name}: {:?}", entry.failure);
            let reference = Reference::new(&elements, site, start).passes(day, min);
            compare(
                &format!("{name} from {}", site.name),
                &entry.passes,
                &reference,
                start,
                flat,
            );
        }
    }
}

#[test]
fn pole_and_antimeridian_sites_match_the_reference() {
    let day = 86_400;
    let sites = [
        Site::new("North Pole", 90.0, 0.0, 0.0).unwrap(),
        Site::new("South Pole", -90.0, 0.0, 2835.0).unwrap(),
        Site::new("antimeridian", -16.5, 180.0, 0.0).unwrap(),
        Site::new("antimeridian west", -16.5, -179.999, 0.0).unwrap(),
    ];
    for elements in [noaa_20(), iss()] {
        let start = epoch(&elements);
        let span = Span::days(start, 1.0);
        let found = find_passes(
            &[&elements],
            &sites,
            span,
            &PassOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        for (entry, site) in found.iter().zip(&sites) {
            let reference = Reference::new(&elements, site, start).passes(day, 10.0);
            compare(&site.name, &entry.passes, &reference, start, false);
        }
        if elements.norad_id == 43013 {
            assert!(
                found[0].passes.len() >= 10,
                "NOAA 20 over the pole every orbit"
            );
        }
    }
}

/// A pass whose maximum is just above the minimum elevation: found whether it lasts two
/// minutes or ten seconds (well inside one coarse step).
#[test]
fn grazing_passes_are_found() {
    let elements = iss();
    let site = Site::new("", 51.48, 0.0, 50.0).unwrap();
    let start = epoch(&elements);
    let reference = Reference::new(&elements, &site, start);
    let passes = reference.passes(86_400, 0.0);
    let highest = passes
        .iter()
        .max_by(|a, b| a.top_el.total_cmp(&b.top_el))
        .unwrap();
    for seconds_above in [120, 10] {
        // The threshold that leaves `seconds_above` samples of that pass above it.
        let mut elevations: Vec<f64> = (highest.rise.ceil() as u32..=highest.set as u32)
            .map(|s| reference.elevation(f64::from(s)))
            .collect();
        elevations.sort_by(|a, b| b.total_cmp(a));
        let min = 0.5 * (elevations[seconds_above - 1] + elevations[seconds_above]);
        let options = PassOptions {
            min_elevation_deg: min,
            ..PassOptions::default()
        };
        let found = passes_of(&elements, &site, Span::days(start, 1.0), &options).unwrap();
        let expected = reference.passes(86_400, min);
        compare(
            &format!("grazing {seconds_above} s"),
            &found.passes,
            &expected,
            start,
            false,
        );
        let grazing = found
            .passes
            .iter()
            .find(|p| (seconds_from(start, p.culmination.at) - highest.top_t).abs() < 1.0)
            .expect("the grazing pass");
        let duration = grazing.duration_s();
        assert!(
            (duration - seconds_above as f64).abs() < 1.5,
            "{seconds_above}: {duration}"
        );
    }
}

#[test]
fn geostationary_object_gives_one_pass_for_the_span() {
    let elements = goes_16();
    let site = Site::new("", 0.0, -105.0, 0.0).unwrap();
    for days in [0.01, 3.0, 20.0] {
        let found = passes_of(
            &elements,
            &site,
            Span::days(epoch(&elements), days),
            &PassOptions::default(),
        )
        .unwrap();
        assert_eq!(found.passes.len(), 1, "{days} days");
        let pass = found.passes[0];
        assert!(pass.rise_clipped && pass.set_clipped);
        assert!((pass.duration_s() - days * 86_400.0).abs() < 1e-3);
        let highest = Reference::new(&elements, &site, epoch(&elements))
            .passes((days * 86_400.0) as u32, 10.0)
            .iter()
            .map(|p| p.top_el)
            .fold(f64::MIN, f64::max);
        assert!(
            (pass.culmination.elevation_deg - highest).abs() < 0.01,
            "{days}: {pass:?} vs {highest}"
        );
    }
}

#[test]
fn objects_that_fail_are_reported_with_their_reason() {
    // Vallado's MINOTAUR R/B decays within the hour; an element set SGP4 refuses.
    let minotaur = tle(
        "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
        "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708",
    );
    let mut refused = iss();
    refused.eccentricity = 1.5;
    let site = Site::new("", 0.0, 0.0, 0.0).unwrap();
    let start = epoch(&minotaur);
    let found = find_passes(
        &[&minotaur, &refused],
        &[site],
        Span::days(start, 1.0),
        &PassOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(found.len(), 2);
    let decayed = found[0].failure.expect("decays");
    assert!(decayed.at.is_some(), "{decayed:?}");
    assert!(
        matches!(decayed.reason.vallado_code(), 1 | 4 | 6),
        "{decayed:?}"
    );
    let refused = found[1].failure.expect("refused");
    assert!(refused.at.is_none());
    assert!(
        refused.reason.to_string().contains("eccentricity"),
        "{}",
        refused.reason
    );
}

#[test]
fn bad_requests_are_refused() {
    let elements = iss();
    let site = Site::new("", 0.0, 0.0, 0.0).unwrap();
    let start = epoch(&elements);
    let options = |min| PassOptions {
        min_elevation_deg: min,
        ..PassOptions::default()
    };
    assert!(passes_of(&elements, &site, Span::days(start, 0.0), &options(10.0)).is_err());
    assert!(passes_of(&elements, &site, Span::days(start, 1.0), &options(-1.0)).is_err());
    assert!(passes_of(&elements, &site, Span::days(start, 1.0), &options(90.0)).is_err());
    assert!(passes_of(&elements, &site, Span::days(start, 1.0), &options(f64::NAN)).is_err());
    assert!(passes_of(&elements, &site, Span::days(start, 1.0), &options(0.0)).is_ok());
}

/// Unfolds content lines (a line starting with a space continues the previous one).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split("\r\n") {
        if let Some(rest) = raw.strip_prefix(' ') {
            lines
                .last_mut()
                .expect("a continuation follows a line")
                .push_str(rest);
        } else if !raw.is_empty() {
            lines.push(raw.to_owned());
        }
    }
    lines
}

#[test]
fn calendar_parses_back_one_event_per_pass() {
    let elements = iss();
    let site = Site::new("Greenwich; \"Royal\", Observatory", 51.48, 0.0, 50.0).unwrap();
    let start = epoch(&elements);
    let found = passes_of(
        &elements,
        &site,
        Span::days(start, 2.0),
        &PassOptions::default(),
    )
    .unwrap();
    assert!(found.passes.len() >= 4);
    let items: Vec<CalendarPass> = found
        .passes
        .iter()
        .map(|pass| CalendarPass {
            norad_id: 25544,
            name: "ISS (ZARYA), the station; a long name to force folding of the summary line ü",
            site: &site.name,
            pass,
        })
        .collect();
    let text = calendar(&items, start);
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for raw in text.split("\r\n") {
        assert!(raw.len() <= 75, "{} octets: {raw}", raw.len());
    }
    let lines = unfold(&text);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let begins = lines.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    let ends = lines.iter().filter(|l| *l == "END:VEVENT").count();
    assert_eq!((begins, ends), (found.passes.len(), found.passes.len()));
    let value = |event: &[String], key: &str| -> String {
        event
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{key}:")).map(str::to_owned))
            .unwrap_or_else(|| panic!("{key} missing"))
    };
    let mut uids = std::collections::HashSet::new();
    for (event, pass) in lines
        .split(|l| l == "BEGIN:VEVENT")
        .skip(1)
        .zip(&found.passes)
    {
        let start = value(event, "DTSTART");
        let end = value(event, "DTEND");
        assert_eq!(start.len(), 16, "{start}");
        assert!(start.ends_with('Z') && start < end, "{start} {end}");
        assert_eq!(
            start,
            pass.rise.at.to_utc().format("%Y%m%dT%H%M%SZ").to_string()
        );
        assert!(uids.insert(value(event, "UID")), "UIDs differ");
        let summary = value(event, "SUMMARY");
        assert!(
            summary.contains("ISS (ZARYA)\\, the station\\; a long"),
            "{summary}"
        );
        assert!(summary.contains(&format!("max {:.0}°", pass.culmination.elevation_deg)));
        let description = value(event, "DESCRIPTION");
        assert!(description.contains("\\n") && description.contains("Greenwich\\; \"Royal\"\\,"));
        assert!(description.contains(&format!("az {:.0}°", pass.rise.azimuth_deg)));
        value(event, "DTSTAMP");
    }
    // Stable: the same passes give the same UIDs.
    assert_eq!(calendar(&items, start), text);
}

/// A short pass (a minute above the minimum, shorter than a coarse step) with a coarse sample
/// 0.01 s after its rise (or before its set) leaves a bracket with one end a hair above the
/// minimum and the elevation still rising (falling) there: the crossing found must be the one
/// inside the bracket, not the rise (set) just outside it.
#[test]
fn crossings_next_to_a_coarse_sample_stay_in_their_bracket() {
    let elements = iss();
    let site = Site::new("", 51.48, 0.0, 50.0).unwrap();
    let epoch = epoch(&elements);
    let reference = Reference::new(&elements, &site, epoch);
    let highest = reference
        .passes(86_400, 0.0)
        .into_iter()
        .max_by(|a, b| a.top_el.total_cmp(&b.top_el))
        .unwrap();
    let mut elevations: Vec<f64> = (highest.rise.ceil() as u32..=highest.set as u32)
        .map(|s| reference.elevation(f64::from(s)))
        .collect();
    elevations.sort_by(|a, b| b.total_cmp(a));
    let min = 0.5 * (elevations[59] + elevations[60]);
    let options = PassOptions {
        min_elevation_deg: min,
        ..PassOptions::default()
    };
    let short = reference
        .passes(86_400, min)
        .into_iter()
        .find(|p| (p.top_t - highest.top_t).abs() < 1.0)
        .unwrap();
    let step = super::finder::coarse_step_s(&elements);
    for (edge, offset) in [(short.rise, 0.01), (short.set, -0.01)] {
        // The span starts 10 steps before the sample that lands next to the edge.
        let start = epoch.plus_minutes((edge + offset - 10.0 * step) / 60.0);
        let found = passes_of(&elements, &site, Span::days(start, 0.25), &options).unwrap();
        let reference = Reference::new(&elements, &site, start).passes(21_600, min);
        compare(
            "edge next to a sample",
            &found.passes,
            &reference,
            start,
            false,
        );
        assert!(
            found.passes.iter().all(|p| p.duration_s() > 50.0),
            "{found:#?}"
        );
    }
}
