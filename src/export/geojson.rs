//! GeoJSON (RFC 7946) for GIS tools: a `FeatureCollection` with one feature per object —
//! its sub-satellite point at one instant (a one-sample grid), or its ground track over the
//! span as a `LineString`, or a `MultiLineString` where it crosses the antimeridian (split
//! there, so that no segment spans more than 180° of longitude). Coordinates are longitude,
//! latitude in WGS-84 degrees; the height is a property. Properties follow `positions` (NORAD
//! number, COSPAR id, name) with owner, registration, type and regime, and simplestyle colours
//! (`marker-color`, `stroke`) that web map previews such as `geojson.io` draw.

use glam::DVec3;

use super::{ExportObject, ObjectWriter, TimeGrid, geodetic_track, iso_time, push_json_string};
use crate::numfmt::{push_digits, push_fixed, push_rounded, push_trimmed};

/// Decimals of a degree: 1e-5° is about a metre on the ground.
const DEGREE_DECIMALS: usize = 5;

pub struct GeoJsonWriter {
    points: bool,
    start: String,
    end: String,
    step_s: f64,
}

impl GeoJsonWriter {
    pub fn new(grid: &TimeGrid) -> Self {
        Self {
            points: grid.len() == 1,
            start: iso_time(grid.start()),
            end: iso_time(grid.end()),
            step_s: grid.step_s(),
        }
    }
}

fn push_position(out: &mut String, lon: f64, lat: f64) {
    out.push('[');
    push_rounded(out, lon, DEGREE_DECIMALS, true);
    out.push(',');
    push_rounded(out, lat, DEGREE_DECIMALS, true);
    out.push(']');
}

fn push_line(out: &mut String, line: &[[f64; 2]]) {
    out.push('[');
    for (index, &[lon, lat]) in line.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_position(out, lon, lat);
    }
    out.push(']');
}

impl ObjectWriter for GeoJsonWriter {
    fn header(&self, out: &mut String, _objects: &[ExportObject], _grid: &TimeGrid) {
        out.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    }

    fn object(&self, out: &mut String, object: &ExportObject, track_ecef_km: &[DVec3]) {
        let track = geodetic_track(track_ecef_km);
        out.push_str("{\"type\":\"Feature\",\"id\":");
        push_digits(out, u64::from(object.norad_id), 1);
        out.push_str(",\"geometry\":");
        if self.points {
            let [lon, lat, _] = track[0];
            out.push_str("{\"type\":\"Point\",\"coordinates\":");
            push_position(out, lon, lat);
        } else {
            let lines = super::split_antimeridian(track.iter().map(|&[lon, lat, _]| [lon, lat]));
            if let [line] = lines.as_slice() {
                out.push_str("{\"type\":\"LineString\",\"coordinates\":");
                push_line(out, line);
            } else {
                out.push_str("{\"type\":\"MultiLineString\",\"coordinates\":[");
                for (index, line) in lines.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    push_line(out, line);
                }
                out.push(']');
            }
        }
        out.push_str("},\"properties\":{\"norad_id\":");
        push_digits(out, u64::from(object.norad_id), 1);
        for (key, value) in [
            ("object_id", object.cospar_id),
            ("name", object.name),
            ("owner", object.owner),
            ("registration", object.registration.key()),
            ("object_type", object.object_type.key()),
            ("regime", object.regime.key()),
        ] {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            push_json_string(out, value);
        }
        if self.points {
            let [lon, lat, height_m] = track[0];
            out.push_str(",\"time\":");
            push_json_string(out, &self.start);
            out.push_str(",\"lat_deg\":");
            push_fixed(out, lat, 6);
            out.push_str(",\"lon_deg\":");
            push_fixed(out, lon, 6);
            out.push_str(",\"alt_km\":");
            push_fixed(out, height_m / 1000.0, 3);
            out.push_str(",\"marker-color\":");
        } else {
            out.push_str(",\"start\":");
            push_json_string(out, &self.start);
            out.push_str(",\"end\":");
            push_json_string(out, &self.end);
            out.push_str(",\"step_s\":");
            push_trimmed(out, self.step_s, 3);
            out.push_str(",\"stroke\":");
        }
        push_json_string(out, &object.color_hex());
        out.push_str("}}");
    }

    fn footer(&self, out: &mut String) {
        out.push_str("\n]}\n");
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn header_ends_with_item(&self) -> bool {
        false
    }

    fn sample_bytes(&self) -> usize {
        24
    }
}
