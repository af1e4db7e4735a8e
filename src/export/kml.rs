//! KML 2.2 for Google Earth: one `Style` per colour in use, and per object a folder with a
//! placemark holding its time-stamped `gx:Track` (absolute altitude, metres above the WGS-84
//! ellipsoid) and a placemark holding its ground track as lines clamped to the ground, split at
//! the antimeridian. Text is escaped with quick-xml's escaping; numbers need none.

use std::collections::BTreeSet;

use glam::DVec3;
use quick_xml::escape::escape;

use super::{ExportObject, ObjectWriter, TimeGrid, geodetic_track, iso_time, split_antimeridian};
use crate::numfmt::{push_digits, push_rounded};

/// Decimals of a degree in coordinates: 1e-5° is about a metre on the ground.
const DEGREE_DECIMALS: usize = 5;

pub struct KmlWriter {
    /// `<when>…</when>` of every sample.
    whens: Vec<String>,
    span: String,
}

impl KmlWriter {
    pub fn new(grid: &TimeGrid) -> Self {
        let whens = (0..grid.len())
            .map(|k| format!("<when>{}</when>", iso_time(grid.at(k))))
            .collect();
        Self {
            whens,
            span: format!(
                "from {} to {}, every {} s",
                iso_time(grid.start()),
                iso_time(grid.end()),
                grid.step_s()
            ),
        }
    }
}

/// The style's id for a colour: `c-rrggbb`.
fn style_id([r, g, b]: [u8; 3]) -> String {
    format!("c-{r:02x}{g:02x}{b:02x}")
}

/// KML's colour order: alpha, blue, green, red.
fn kml_color([r, g, b]: [u8; 3], alpha: u8) -> String {
    format!("{alpha:02x}{b:02x}{g:02x}{r:02x}")
}

fn push_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

impl ObjectWriter for KmlWriter {
    fn header(&self, out: &mut String, objects: &[ExportObject], _grid: &TimeGrid) {
        out.push_str(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\" \
             xmlns:gx=\"http://www.google.com/kml/ext/2.2\">\n<Document>\n",
        );
        push_element(out, "name", "OrbitScope export");
        push_element(
            out,
            "description",
            &format!(
                "{} objects, SGP4 {}; positions Earth-fixed (WGS-84), heights above the ellipsoid",
                objects.len(),
                self.span
            ),
        );
        out.push('\n');
        // The colours of the objects asked for: the header is written before SGP4 says which
        // objects fail, so a refused object's colour may keep a style nothing uses.
        let colors: BTreeSet<[u8; 3]> = objects.iter().map(|object| object.color).collect();
        for color in colors {
            out.push_str(&format!(
                "<Style id=\"{}\"><IconStyle><color>{}</color><scale>0.5</scale><Icon><href>\
                 http://maps.google.com/mapfiles/kml/shapes/shaded_dot.png</href></Icon>\
                 </IconStyle><LabelStyle><scale>0</scale></LabelStyle><LineStyle><color>{}</color>\
                 <width>1.5</width></LineStyle></Style>\n",
                style_id(color),
                kml_color(color, 255),
                kml_color(color, 200)
            ));
        }
    }

    fn object(&self, out: &mut String, object: &ExportObject, track_ecef_km: &[DVec3]) {
        let track = geodetic_track(track_ecef_km);
        let style = style_id(object.color);
        out.push_str("<Folder>");
        push_element(out, "name", object.name);
        out.push_str("\n<Placemark id=\"norad-");
        push_digits(out, u64::from(object.norad_id), 1);
        out.push_str("\">");
        push_element(out, "name", object.name);
        push_element(out, "description", &object.description_html());
        out.push_str("<styleUrl>#");
        out.push_str(&style);
        out.push_str("</styleUrl>\n<gx:Track><altitudeMode>absolute</altitudeMode>\n");
        for when in &self.whens {
            out.push_str(when);
        }
        out.push('\n');
        for &[lon, lat, height_m] in &track {
            out.push_str("<gx:coord>");
            push_rounded(out, lon, DEGREE_DECIMALS, true);
            out.push(' ');
            push_rounded(out, lat, DEGREE_DECIMALS, true);
            out.push(' ');
            push_rounded(out, height_m, 0, true);
            out.push_str("</gx:coord>");
        }
        out.push_str("\n</gx:Track></Placemark>\n<Placemark id=\"norad-");
        push_digits(out, u64::from(object.norad_id), 1);
        out.push_str("-ground-track\">");
        push_element(out, "name", &format!("{} ground track", object.name));
        out.push_str("<styleUrl>#");
        out.push_str(&style);
        out.push_str("</styleUrl><MultiGeometry>");
        for line in split_antimeridian(track.iter().map(|&[lon, lat, _]| [lon, lat])) {
            out.push_str(
                "<LineString><tessellate>1</tessellate><altitudeMode>clampToGround</altitudeMode>\
                 <coordinates>",
            );
            for (index, [lon, lat]) in line.into_iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                push_rounded(out, lon, DEGREE_DECIMALS, true);
                out.push(',');
                push_rounded(out, lat, DEGREE_DECIMALS, true);
            }
            out.push_str("</coordinates></LineString>");
        }
        out.push_str("</MultiGeometry></Placemark>\n</Folder>");
    }

    fn footer(&self, out: &mut String) {
        out.push_str("\n</Document>\n</kml>\n");
    }

    fn separator(&self) -> &'static str {
        "\n"
    }

    fn header_ends_with_item(&self) -> bool {
        false
    }

    fn sample_bytes(&self) -> usize {
        110
    }
}
