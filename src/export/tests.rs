use chrono::NaiveDate;

use super::*;
use crate::catalog::gp::tle::parse_tle;
use crate::catalog::{Registration, RegistrationSource, SatcatInfo};
use crate::palette::ColorMode;

// Real element sets (CelesTrak, public): ISS of 2026-06-13, GOES 16 of 2026-08-22, and
// Vallado's MINOTAUR R/B (2005), long decayed by 2026: SGP4 fails on it.
const TLES: &str = "ISS (ZARYA)
1 25544U 98067A   26164.83523427  .00008738  00000+0  16534-3 0  9990
2 25544  51.6333 316.6832 0004955 182.4672 177.6293 15.49214103571238
GOES 16
1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994
2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767
MINOTAUR R/B
1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534
2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708
";

fn at(text: &str) -> Instant {
    Instant::from_utc(text.parse().unwrap())
}

/// ISS (owned by "ISS", registered), GOES 16 (US, a name to escape), MINOTAUR R/B (no SATCAT).
fn catalog() -> Vec<SpaceObject> {
    let names = ["ISS (ZARYA)", "GOES <16> & \"friends\"", "MINOTAUR R/B"];
    let owners = [Some("ISS"), Some("US"), None];
    parse_tle(TLES, "fixture.tle")
        .records
        .into_iter()
        .zip(names.iter().zip(owners))
        .map(|(elements, (name, owner))| SpaceObject {
            norad_id: elements.norad_id as u32,
            cospar_id: Some("1998-067A".to_owned()),
            name: (*name).to_owned(),
            elements,
            gp_source: 0,
            satcat: owner.map(|owner| {
                SatcatInfo::for_tests(
                    ObjectType::Payload,
                    owner,
                    NaiveDate::from_ymd_opt(2016, 11, 19),
                )
            }),
            registration: Registration::NotRegistered {
                state: None,
                source: RegistrationSource::Gcat,
            },
            registration_source_id: None,
        })
        .collect()
}

fn export_objects(objects: &[SpaceObject]) -> Vec<ExportObject<'_>> {
    let palette = Palette::new(ColorMode::Owner, objects, &vec![true; objects.len()]);
    objects
        .iter()
        .map(|object| ExportObject::new(object, &palette))
        .collect()
}

fn export(format: Format, objects: &[ExportObject], grid: &TimeGrid) -> (String, ExportReport) {
    let mut out = Vec::new();
    let report = write_export(&mut out, format, objects, grid, &|_, _| {}).unwrap();
    assert_eq!(report.bytes, out.len() as u64);
    (String::from_utf8(out).unwrap(), report)
}

fn day_grid() -> TimeGrid {
    TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-23T00:00:00Z"), 60.0).unwrap()
}

#[test]
fn a_day_at_60_s_is_1441_samples_ending_on_the_end() {
    let grid = day_grid();
    assert_eq!(grid.len(), 1441);
    assert_eq!(grid.end(), at("2026-08-23T00:00:00Z"));
    assert_eq!(grid.offsets_s()[1], 60.0);
    // A span the steps do not land on still ends at its end.
    let grid = TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-22T00:02:30Z"), 60.0).unwrap();
    assert_eq!(grid.offsets_s(), [0.0, 60.0, 120.0, 150.0]);
    assert!(grid.offsets_s().windows(2).all(|pair| pair[0] < pair[1]));
}

#[test]
fn bad_grids_are_refused_naming_the_option() {
    let start = at("2026-08-22T00:00:00Z");
    let end = at("2026-08-22T01:00:00Z");
    for step in [0.0, -60.0, f64::NAN, f64::INFINITY] {
        let error = TimeGrid::new(start, end, step).unwrap_err();
        assert!(error.to_string().starts_with("--step"), "{error}");
    }
    for to in [start, at("2026-08-21T00:00:00Z")] {
        let error = TimeGrid::new(start, to, 60.0).unwrap_err().to_string();
        assert!(
            error.starts_with("--to") && error.contains("--from"),
            "{error}"
        );
    }
    let error = TimeGrid::new(start, at("2027-08-22T00:00:00Z"), 1.0).unwrap_err();
    assert!(matches!(error, GridError::TooManySamples { .. }), "{error}");
}

#[test]
fn ground_tracks_are_split_at_the_antimeridian_with_the_crossing_interpolated() {
    // Eastward over +180 between 179 and −179 (2° apart), latitude 10 → 12: crossing at 11.
    let lines = split_antimeridian([[170.0, 0.0], [179.0, 10.0], [-179.0, 12.0], [-170.0, 20.0]]);
    assert_eq!(
        lines,
        [
            vec![[170.0, 0.0], [179.0, 10.0], [180.0, 11.0]],
            vec![[-180.0, 11.0], [-179.0, 12.0], [-170.0, 20.0]],
        ]
    );
    // Westward, and a crossing that is not midway: −178 → 176 is 6° west, 2° to the edge.
    let lines = split_antimeridian([[-178.0, 0.0], [176.0, -6.0]]);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0][1], [-180.0, -2.0]);
    assert_eq!(lines[1][0], [180.0, -2.0]);
    // Nothing to split: one line, untouched; a single point is no line.
    let straight = vec![[-10.0, 0.0], [10.0, 5.0], [170.0, 9.0]];
    assert_eq!(split_antimeridian(straight.clone()), [straight]);
    assert!(split_antimeridian([[0.0, 0.0]]).is_empty());
}

#[test]
fn no_piece_of_a_real_ground_track_spans_more_than_180_degrees() {
    let objects = catalog();
    let exported = export_objects(&objects);
    let sampled = sample_block(&exported, &day_grid());
    let track = geodetic_track(sampled.track(0).unwrap());
    let lines = split_antimeridian(track.iter().map(|&[lon, lat, _]| [lon, lat]));
    // The ISS goes round about 15.5 times a day: as many crossings, give or take one.
    assert!((15..=17).contains(&lines.len()), "{}", lines.len());
    let points: usize = lines.iter().map(Vec::len).sum();
    assert_eq!(points, track.len() + 2 * (lines.len() - 1));
    for line in &lines {
        for pair in line.windows(2) {
            assert!((pair[1][0] - pair[0][0]).abs() <= 180.0, "{pair:?}");
            assert!(
                pair.iter()
                    .all(|p| p[0].abs() <= 180.0 && p[1].abs() <= 90.0)
            );
        }
    }
}

#[test]
fn samples_come_from_the_projects_earth_fixed_chain_and_failures_say_when() {
    let objects = catalog();
    let exported = export_objects(&objects);
    let grid = TimeGrid::new(
        at("2026-06-14T00:00:00Z"),
        at("2026-06-14T01:00:00Z"),
        600.0,
    )
    .unwrap();
    let sampled = sample_block(&exported, &grid);
    let reference = BatchPropagator::new(
        objects.iter().map(|object| &object.elements),
        PropagationMode::Improved,
    );
    for slot in 0..2 {
        let track = sampled.track(slot).unwrap();
        assert_eq!(track.len(), grid.len());
        for (k, &position) in track.iter().enumerate() {
            let (teme, _) = reference.propagate_one(slot, grid.at(k)).unwrap();
            let expected = teme_to_ecef(DVec3::from_array(teme), gmst_rad(grid.at(k)));
            assert!((position - expected).length() < 1e-6, "{slot} {k}");
        }
    }
    let geo = sampled.track(1).unwrap()[0].length();
    assert!((42_100.0..42_200.0).contains(&geo), "GOES 16 at {geo} km");
    let failure = sampled.track(2).unwrap_err();
    // Eleven years past its element set, SGP4 has long given up on it (the reason is SGP4's).
    assert!(!failure.reason.to_string().is_empty());
    assert_eq!(failure.at, grid.start());
}

#[test]
fn czml_has_the_document_first_and_every_objects_samples() {
    let objects = catalog();
    let exported = export_objects(&objects);
    let grid = day_grid();
    let (text, report) = export(Format::Czml, &exported, &grid);
    assert_eq!(report.written, 2);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].0, 2, "MINOTAUR R/B is left out");
    let packets: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(packets.len(), 3);
    assert_eq!(packets[0]["id"], "document");
    assert_eq!(packets[0]["version"], "1.0");
    assert_eq!(
        packets[0]["clock"]["interval"],
        "2026-08-22T00:00:00Z/2026-08-23T00:00:00Z"
    );
    assert_eq!(packets[1]["id"], "norad-25544");
    assert_eq!(packets[2]["id"], "norad-41866");
    assert_eq!(packets[2]["name"], "GOES <16> & \"friends\"");
    let description = packets[2]["description"].as_str().unwrap();
    assert!(
        description.contains("GOES") || description.contains("United States"),
        "{description}"
    );
    assert!(!description.contains("<16>"), "escaped: {description}");
    for packet in &packets[1..] {
        let position = &packet["position"];
        assert_eq!(position["epoch"], "2026-08-22T00:00:00Z");
        assert_eq!(position["referenceFrame"], "FIXED");
        assert_eq!(position["interpolationAlgorithm"], "LAGRANGE");
        assert_eq!(position["interpolationDegree"], 5);
        let samples = position["cartesian"].as_array().unwrap();
        assert_eq!(samples.len(), 4 * grid.len());
        let mut previous = -1.0;
        for sample in samples.chunks(4) {
            let t = sample[0].as_f64().unwrap();
            assert!(t > previous);
            previous = t;
            let r = sample[1..]
                .iter()
                .map(|c| c.as_f64().unwrap().powi(2))
                .sum::<f64>()
                .sqrt();
            assert!((6.5e6..5.0e7).contains(&r), "{r} m");
        }
        assert_eq!(previous, 86_400.0);
        let rgba = packet["point"]["color"]["rgba"].as_array().unwrap();
        assert_eq!(rgba.len(), 4);
    }
    // Owner colours: the two owners rank first and second, so their colours differ.
    assert_ne!(packets[1]["point"]["color"], packets[2]["point"]["color"]);
}

#[test]
fn json_stays_valid_when_the_first_objects_fail() {
    let objects = catalog();
    let exported = export_objects(&objects);
    // The decayed rocket body first and last, around the two that propagate.
    let order = vec![
        exported[2].clone(),
        exported[0].clone(),
        exported[2].clone(),
        exported[1].clone(),
        exported[2].clone(),
    ];
    let grid = TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-22T02:00:00Z"), 60.0).unwrap();
    for format in [Format::Czml, Format::GeoJson] {
        let (text, report) = export(format, &order, &grid);
        assert_eq!(report.written, 2);
        let failed: Vec<usize> = report.failures.iter().map(|(index, _)| *index).collect();
        assert_eq!(failed, [0, 2, 4]);
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    }
    // Nothing propagates: still a valid, empty collection.
    let (text, report) = export(Format::GeoJson, &order[..1], &grid);
    assert_eq!(report.written, 0);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["features"].as_array().unwrap().len(), 0);
}

#[test]
fn blocks_are_written_in_catalog_order() {
    // More objects than one block, in a known order: the output keeps it.
    let objects = catalog();
    let mut many = Vec::new();
    for index in 0..(3 * BLOCK + 7) {
        let mut object = objects[index % 2].clone();
        object.norad_id = 1000 + index as u32;
        many.push(object);
    }
    let exported = export_objects(&many);
    let grid = TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-22T00:10:00Z"), 60.0).unwrap();
    let (text, report) = export(Format::GeoJson, &exported, &grid);
    assert_eq!(report.written, many.len());
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<u64> = value["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| feature["id"].as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = (0..many.len() as u64).map(|i| 1000 + i).collect();
    assert_eq!(ids, expected);
}

#[test]
fn geojson_points_are_longitude_first_with_the_height_as_a_property() {
    let objects = catalog();
    let exported = export_objects(&objects);
    let instant = at("2026-08-22T12:00:00Z");
    let (text, _) = export(Format::GeoJson, &exported, &TimeGrid::instant(instant));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["type"], "FeatureCollection");
    let features = value["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    // GOES 16 is parked near 75° W on the equator: longitude first.
    let goes = &features[1];
    assert_eq!(goes["geometry"]["type"], "Point");
    let coordinates = goes["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(coordinates.len(), 2);
    let (lon, lat) = (
        coordinates[0].as_f64().unwrap(),
        coordinates[1].as_f64().unwrap(),
    );
    let expected = crate::orbit::teme_to_geodetic(
        DVec3::from_array(
            BatchPropagator::new([&objects[1].elements], PropagationMode::Improved)
                .propagate_one(0, instant)
                .unwrap()
                .0,
        ),
        instant,
    );
    assert!((lon - expected.longitude_deg()).abs() < 1e-4, "{lon}");
    assert!((lat - expected.latitude_deg()).abs() < 1e-4, "{lat}");
    assert!(lat.abs() < 1.0, "{lat}");
    let properties = &goes["properties"];
    assert_eq!(properties["norad_id"], 41866);
    assert_eq!(properties["owner"], "US");
    assert_eq!(properties["registration"], "not-registered");
    assert_eq!(properties["object_type"], "payload");
    assert_eq!(properties["regime"], "geo");
    let alt = properties["alt_km"].as_f64().unwrap();
    assert!((alt - expected.altitude_km).abs() < 1e-3, "{alt}");
    assert!(
        properties["marker-color"]
            .as_str()
            .unwrap()
            .starts_with('#')
    );
}

#[test]
fn kml_is_well_formed_with_one_track_per_object() {
    use quick_xml::events::Event;
    let objects = catalog();
    let exported = export_objects(&objects);
    let grid = TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-22T03:00:00Z"), 60.0).unwrap();
    let (text, report) = export(Format::Kml, &exported, &grid);
    assert_eq!(report.written, 2);
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut tracks, mut whens, mut coords, mut styles, mut lines) = (0, 0, 0, 0, 0);
    let mut names = Vec::new();
    let mut in_name = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(element) => match element.name().as_ref() {
                b"gx:Track" => tracks += 1,
                b"when" => whens += 1,
                b"gx:coord" => coords += 1,
                b"Style" => styles += 1,
                b"LineString" => lines += 1,
                b"name" => in_name = true,
                _ => {}
            },
            Event::Text(text) if in_name => {
                names.push(text.decode().unwrap().into_owned());
            }
            Event::GeneralRef(reference) if in_name => {
                let entity = String::from_utf8(reference.to_vec()).unwrap();
                names.push(format!("&{entity};"));
            }
            Event::End(element) if element.name().as_ref() == b"name" => in_name = false,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(tracks, 2);
    assert_eq!(whens, 2 * grid.len());
    assert_eq!(coords, whens);
    // One style per colour among the objects asked for (the two owners' and "other owners"
    // of the rocket body, which SGP4 then refused).
    assert_eq!(styles, 3);
    // Three hours of ISS cross the antimeridian at least once: two lines or more.
    assert!(lines >= 3, "{lines}");
    assert!(
        text.contains("GOES &lt;16&gt; &amp; &quot;friends&quot;"),
        "names are escaped"
    );
    assert!(names.iter().any(|name| name.contains("ISS (ZARYA)")));
}

#[test]
fn descriptions_escape_every_value() {
    let objects = catalog();
    let exported = export_objects(&objects);
    let mut object = exported[1].clone();
    object.registration_text = "registered by <script>&".to_owned();
    let html = object.description_html();
    assert!(html.contains("registered by &lt;script&gt;&amp;"), "{html}");
    assert!(html.starts_with("<table>") && html.ends_with("</table>"));
    assert!(
        html.contains("United States") || html.contains("(US)"),
        "{html}"
    );
    assert_eq!(exported[2].owner_label(), "unknown (no SATCAT row)");
}
