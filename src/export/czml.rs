//! CZML, the JSON that Cesium loads: a document packet with the clock first, then one packet
//! per object — name, an HTML description, its properties, a point and a path in its colour,
//! and its positions as Cartesian samples (seconds from the span's start, metres) in Cesium's
//! `FIXED` frame, interpolated by Lagrange polynomials of degree 5.
//!
//! The samples are most of the file (a day at 60 s is 1 441 samples an object), so they are
//! written with the project's own decimal writer, metres to one decimal (SGP4 itself is good to
//! a kilometre or so): no JSON tree is built.

use glam::DVec3;

use super::{ExportObject, ObjectWriter, TimeGrid, iso_time, push_json_string};
use crate::numfmt::{push_digits, push_rounded, push_trimmed};

/// Lagrange degree: smooth enough between 60 s samples of LEO (the error is far below SGP4's
/// own), and Cesium's documented choice for orbits.
pub const INTERPOLATION_DEGREE: u32 = 5;

/// Seconds of simulated time per second of wall time when the document opens.
const CLOCK_MULTIPLIER: u32 = 60;

pub struct CzmlWriter {
    /// `start/end` of the span (ISO 8601).
    interval: String,
    epoch: String,
    /// Each sample's seconds from the epoch, as written.
    times: Vec<String>,
    step_s: f64,
    span_s: f64,
}

impl CzmlWriter {
    pub fn new(grid: &TimeGrid) -> Self {
        let epoch = iso_time(grid.start());
        let times = grid
            .offsets_s()
            .iter()
            .map(|&offset| {
                let mut text = String::new();
                push_trimmed(&mut text, offset, 3);
                text
            })
            .collect();
        Self {
            interval: format!("{epoch}/{}", iso_time(grid.end())),
            epoch,
            times,
            step_s: grid.step_s(),
            span_s: grid.span_s(),
        }
    }
}

fn push_rgba(out: &mut String, [r, g, b]: [u8; 3], alpha: u8) {
    out.push_str("{\"rgba\":[");
    for (index, channel) in [r, g, b, alpha].into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_digits(out, u64::from(channel), 1);
    }
    out.push_str("]}");
}

impl ObjectWriter for CzmlWriter {
    fn header(&self, out: &mut String, objects: &[ExportObject], _grid: &TimeGrid) {
        out.push_str("[\n{\"id\":\"document\",\"name\":");
        push_json_string(
            out,
            &format!("OrbitScope export: {} objects", objects.len()),
        );
        out.push_str(",\"version\":\"1.0\",\"clock\":{\"interval\":");
        push_json_string(out, &self.interval);
        out.push_str(",\"currentTime\":");
        push_json_string(out, &self.epoch);
        out.push_str(&format!(
            ",\"multiplier\":{CLOCK_MULTIPLIER},\"range\":\"LOOP_STOP\",\
             \"step\":\"SYSTEM_CLOCK_MULTIPLIER\"}}}}"
        ));
    }

    fn object(&self, out: &mut String, object: &ExportObject, track_ecef_km: &[DVec3]) {
        out.push_str("{\"id\":\"norad-");
        push_digits(out, u64::from(object.norad_id), 1);
        out.push_str("\",\"name\":");
        push_json_string(out, object.name);
        out.push_str(",\"description\":");
        push_json_string(out, &object.description_html());
        out.push_str(",\"availability\":");
        push_json_string(out, &self.interval);
        out.push_str(",\"properties\":{\"norad_id\":");
        push_digits(out, u64::from(object.norad_id), 1);
        for (key, value) in [
            ("cospar_id", object.cospar_id),
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
        out.push_str("},\"point\":{\"pixelSize\":4,\"color\":");
        push_rgba(out, object.color, 255);
        // Half a revolution ahead and behind: the whole orbit around the object, no more than
        // the span holds.
        let half_period_s = (object.period_min * 30.0).min(self.span_s).max(0.0);
        out.push_str("},\"path\":{\"width\":1,\"leadTime\":");
        push_trimmed(out, half_period_s, 0);
        out.push_str(",\"trailTime\":");
        push_trimmed(out, half_period_s, 0);
        if self.step_s > 0.0 {
            out.push_str(",\"resolution\":");
            push_trimmed(out, self.step_s, 3);
        }
        out.push_str(",\"material\":{\"solidColor\":{\"color\":");
        push_rgba(out, object.color, 160);
        out.push_str("}}},\"position\":{\"epoch\":");
        push_json_string(out, &self.epoch);
        out.push_str(&format!(
            ",\"referenceFrame\":\"FIXED\",\"interpolationAlgorithm\":\"LAGRANGE\",\
             \"interpolationDegree\":{INTERPOLATION_DEGREE},\"cartesian\":["
        ));
        for (index, (time, position)) in self.times.iter().zip(track_ecef_km).enumerate() {
            if index > 0 {
                out.push(',');
            }
            out.push_str(time);
            for coordinate in position.to_array() {
                out.push(',');
                push_rounded(out, coordinate * 1000.0, 1, true);
            }
        }
        out.push_str("]}}");
    }

    fn footer(&self, out: &mut String) {
        out.push_str("\n]\n");
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn header_ends_with_item(&self) -> bool {
        true
    }

    fn sample_bytes(&self) -> usize {
        40
    }
}
