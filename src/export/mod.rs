//! Exchange formats for the filtered set: CZML (Cesium), KML (Google Earth) and GeoJSON (GIS),
//! so that analysts can take what they found into the tools they already use.
//!
//! Pure Rust without Bevy: the command line (`orbitscope export`) writes these files and the
//! window can later share the same code. Every object is sampled with the batch SGP4 on one
//! regular time grid and rotated into the Earth-fixed frame by the project's one TEME → ECEF
//! rotation ([`teme_to_ecef`] at each sample's GMST, polar motion ignored as everywhere else);
//! KML and GeoJSON take WGS-84 coordinates from that position ([`ecef_to_geodetic`]). CZML
//! uses Cesium's `FIXED` frame for the same reason: Cesium's `INERTIAL` is ICRF, not SGP4's
//! TEME, and a second, different inertial rotation would disagree with the rest of OrbitScope.
//!
//! Objects are handled in blocks on all cores (each block runs its own SGP4 over the whole
//! grid, time after time, then writes its text); blocks are written in catalog order while the
//! next ones are computed, so a gigabyte of CZML is never held in memory whole. An object SGP4
//! refuses or loses at any sample is left out of the file and reported with its reason.

pub mod czml;
pub mod geojson;
pub mod kml;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::SecondsFormat;
use glam::DVec3;
use rayon::prelude::*;

use crate::catalog::{NoradId, ObjectType, SpaceObject};
use crate::filter::{OrbitShape, Regime, RegistrationStatus};
use crate::orbit::{
    BatchPropagator, Failure, Geodetic, Instant, PropagationMode, StateBuffers, ecef_to_geodetic,
    gmst_rad, teme_to_ecef,
};
use crate::palette::{Palette, to_srgb8};

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Cesium's CZML: a document packet, then one packet per object with sampled positions.
    Czml,
    /// KML 2.2 with Google's `gx:Track`, and each object's ground track as lines.
    Kml,
    /// RFC 7946 GeoJSON: points at one instant (a one-sample grid), else ground tracks.
    GeoJson,
}

/// The most samples one object may have (a year at 30 s): beyond it a typo in `--step` would
/// only fill the disk.
pub const MAX_SAMPLES: usize = 1_051_200;

/// Why a time grid was refused; the words name the command-line options they concern.
#[derive(Debug, Clone, PartialEq)]
pub enum GridError {
    StepNotPositive { step_s: f64 },
    EndNotAfterStart { start: Instant, end: Instant },
    TooManySamples { samples: f64 },
}

impl fmt::Display for GridError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StepNotPositive { step_s } => {
                write!(f, "--step: {step_s} s is not a positive number of seconds")
            }
            Self::EndNotAfterStart { start, end } => write!(
                f,
                "--to ({}) is not after --from ({})",
                iso_time(*end),
                iso_time(*start)
            ),
            Self::TooManySamples { samples } => write!(
                f,
                "--step: {samples:.0} samples per object, more than {MAX_SAMPLES}; take a longer \
                 --step or a shorter span"
            ),
        }
    }
}

impl std::error::Error for GridError {}

/// The instants every object is sampled at: `start`, then every `step` seconds, and the end of
/// the span itself when the steps do not land on it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeGrid {
    start: Instant,
    /// Seconds from `start`, increasing, the first 0.
    offsets_s: Vec<f64>,
    step_s: f64,
}

impl TimeGrid {
    /// `start` to `end` (inclusive) every `step_s` seconds.
    pub fn new(start: Instant, end: Instant, step_s: f64) -> Result<Self, GridError> {
        if !(step_s.is_finite() && step_s > 0.0) {
            return Err(GridError::StepNotPositive { step_s });
        }
        let span_s = end.minutes_since(start) * 60.0;
        if span_s.is_nan() || span_s <= 0.0 {
            return Err(GridError::EndNotAfterStart { start, end });
        }
        // Steps that land within a millisecond of the end are the end.
        let whole_steps = ((span_s + 1e-3) / step_s).floor();
        let samples = whole_steps + 1.0;
        if samples > MAX_SAMPLES as f64 {
            return Err(GridError::TooManySamples { samples });
        }
        let mut offsets_s: Vec<f64> = (0..samples as usize)
            .map(|k| (k as f64 * step_s).min(span_s))
            .collect();
        if offsets_s.last().is_some_and(|&last| span_s - last > 1e-3) {
            offsets_s.push(span_s);
        }
        Ok(Self {
            start,
            offsets_s,
            step_s,
        })
    }

    /// One instant (GeoJSON points).
    pub fn instant(at: Instant) -> Self {
        Self {
            start: at,
            offsets_s: vec![0.0],
            step_s: 0.0,
        }
    }

    pub fn start(&self) -> Instant {
        self.start
    }

    /// The last sample's instant.
    pub fn end(&self) -> Instant {
        self.at(self.len() - 1)
    }

    /// Seconds between samples (0 for a single instant).
    pub fn step_s(&self) -> f64 {
        self.step_s
    }

    /// Seconds from the start, one per sample.
    pub fn offsets_s(&self) -> &[f64] {
        &self.offsets_s
    }

    pub fn len(&self) -> usize {
        self.offsets_s.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets_s.is_empty()
    }

    /// Seconds from the first sample to the last.
    pub fn span_s(&self) -> f64 {
        self.offsets_s.last().copied().unwrap_or_default()
    }

    /// The instant of sample `k`.
    pub fn at(&self, k: usize) -> Instant {
        self.start.plus_minutes(self.offsets_s[k] / 60.0)
    }
}

/// ISO 8601 / RFC 3339 in UTC with a `Z`, fractions of a second only where there are any.
pub fn iso_time(at: Instant) -> String {
    at.to_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// What the files say about an object (borrowed from the catalog) and its colour.
#[derive(Debug, Clone)]
pub struct ExportObject<'a> {
    pub norad_id: NoradId,
    pub name: &'a str,
    /// COSPAR designator, empty where unknown.
    pub cospar_id: &'a str,
    /// SATCAT owner code, empty without a SATCAT row.
    pub owner: &'a str,
    /// The owner spelled out (`China`), empty without a SATCAT row.
    pub owner_name: &'a str,
    pub registration: RegistrationStatus,
    /// "registered by … in ST/SG/SER.E/…" and the like.
    pub registration_text: String,
    pub object_type: ObjectType,
    pub regime: Regime,
    pub period_min: f64,
    /// 8-bit sRGB, from the colour mode in force.
    pub color: [u8; 3],
    pub elements: &'a sgp4::Elements,
}

impl<'a> ExportObject<'a> {
    pub fn new(object: &'a SpaceObject, palette: &Palette) -> Self {
        let owner = object.owner_code().unwrap_or_default();
        let shape = OrbitShape::from_elements(&object.elements);
        Self {
            norad_id: object.norad_id,
            name: &object.name,
            cospar_id: object.cospar_id.as_deref().unwrap_or_default(),
            owner,
            owner_name: if owner.is_empty() {
                ""
            } else {
                crate::catalog::owners::satcat_owner(owner).name
            },
            registration: RegistrationStatus::of(&object.registration),
            registration_text: object.registration.describe(),
            object_type: object.object_type(),
            regime: shape.regime(),
            period_min: shape.period_min,
            color: to_srgb8(palette.color(object)),
            elements: &object.elements,
        }
    }

    /// `#rrggbb`.
    pub fn color_hex(&self) -> String {
        let [r, g, b] = self.color;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The owner as people read it: `China (PRC)`, or the code alone where no name is known.
    pub fn owner_label(&self) -> String {
        match (self.owner, self.owner_name) {
            ("", _) => "unknown (no SATCAT row)".to_owned(),
            (code, name) if name.is_empty() || name == code => code.to_owned(),
            (code, name) => format!("{name} ({code})"),
        }
    }

    /// A small HTML table of what is known (every value escaped), for the description balloons
    /// of Cesium and Google Earth.
    pub fn description_html(&self) -> String {
        let mut html = String::from("<table>");
        let mut row = |label: &str, value: &str| {
            html.push_str("<tr><th>");
            html.push_str(label);
            html.push_str("</th><td>");
            push_html_escaped(&mut html, value);
            html.push_str("</td></tr>");
        };
        row("NORAD", &self.norad_id.to_string());
        row("COSPAR", self.cospar_id);
        row("owner", &self.owner_label());
        row("UN registration", &self.registration_text);
        row("object type", self.object_type.label());
        row("orbit regime", self.regime.label());
        row("period", &format!("{:.1} min", self.period_min));
        html.push_str("</table>");
        html
    }
}

/// Appends `text` with the five characters HTML gives meaning to escaped.
pub fn push_html_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Appends `text` as a JSON string, quotes included (`serde_json`'s escaping, one string at a
/// time: no document tree is built).
pub fn push_json_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned()));
}

/// Where and why an object stopped propagating: it is left out of the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleFailure {
    pub reason: Failure,
    pub at: Instant,
}

/// One block of objects sampled over the grid: Earth-fixed positions (km), object by object.
#[derive(Debug, Clone)]
pub struct SampledBlock {
    samples: usize,
    ecef_km: Vec<DVec3>,
    failures: Vec<Option<SampleFailure>>,
}

impl SampledBlock {
    /// The object's positions, one per sample; `Err` where SGP4 failed on it.
    pub fn track(&self, slot: usize) -> Result<&[DVec3], SampleFailure> {
        match self.failures[slot] {
            Some(failure) => Err(failure),
            None => Ok(&self.ecef_km[slot * self.samples..(slot + 1) * self.samples]),
        }
    }
}

/// Samples `objects` over `grid` on the calling thread: one SGP4 batch for the block, time
/// after time (deep-space integrators step forward), each state rotated to Earth-fixed.
pub fn sample_block(objects: &[ExportObject], grid: &TimeGrid) -> SampledBlock {
    let samples = grid.len();
    let mut propagator = BatchPropagator::new(
        objects.iter().map(|object| object.elements),
        PropagationMode::Improved,
    );
    let mut states = StateBuffers::default();
    let mut ecef_km = vec![DVec3::ZERO; objects.len() * samples];
    let mut failures: Vec<Option<SampleFailure>> = vec![None; objects.len()];
    for k in 0..samples {
        let at = grid.at(k);
        propagator.propagate_into_serial(at, &mut states);
        let gmst = gmst_rad(at);
        for (slot, failure) in failures.iter_mut().enumerate() {
            if failure.is_some() {
                continue;
            }
            if let Some(reason) = states.failures[slot] {
                *failure = Some(SampleFailure { reason, at });
                continue;
            }
            let teme = DVec3::from_array(states.positions_km[slot]);
            ecef_km[slot * samples + k] = teme_to_ecef(teme, gmst);
        }
    }
    SampledBlock {
        samples,
        ecef_km,
        failures,
    }
}

/// Longitude and latitude (degrees; longitude in [−180, 180)) and height (metres) of each
/// Earth-fixed position.
pub fn geodetic_track(ecef_km: &[DVec3]) -> Vec<[f64; 3]> {
    ecef_km
        .iter()
        .map(|&position| {
            let geodetic: Geodetic = ecef_to_geodetic(position);
            [
                geodetic.longitude_deg(),
                geodetic.latitude_deg(),
                geodetic.altitude_km * 1000.0,
            ]
        })
        .collect()
}

/// Splits a ground track (longitude, latitude in degrees) into lines that never cross the
/// antimeridian: where two samples are more than 180° of longitude apart, the crossing is
/// interpolated to ±180 (latitude linearly between the samples), one line ends there and the
/// next begins on the other side (RFC 7946 §3.1.9). Lines of fewer than two points are dropped.
pub fn split_antimeridian(points: impl IntoIterator<Item = [f64; 2]>) -> Vec<Vec<[f64; 2]>> {
    let mut lines = Vec::new();
    let mut line: Vec<[f64; 2]> = Vec::new();
    for point in points {
        if let Some(&[previous_lon, previous_lat]) = line.last() {
            let delta = point[0] - previous_lon;
            if delta.abs() > 180.0 {
                // Eastward over +180 (179 → −179) or westward over −180 (−179 → 179).
                let (edge, unwrapped) = if delta < 0.0 {
                    (180.0, point[0] + 360.0)
                } else {
                    (-180.0, point[0] - 360.0)
                };
                let fraction = (edge - previous_lon) / (unwrapped - previous_lon);
                let latitude = previous_lat + fraction * (point[1] - previous_lat);
                line.push([edge, latitude]);
                lines.push(std::mem::replace(&mut line, vec![[-edge, latitude]]));
            }
        }
        line.push(point);
    }
    lines.push(line);
    lines.retain(|line| line.len() >= 2);
    lines
}

/// Writes one format's text. Every object's text is independent of the others' (blocks are
/// written on all cores); the driver puts [`ObjectWriter::separator`] between objects.
pub trait ObjectWriter: Sync {
    /// Everything before the first object.
    fn header(&self, out: &mut String, objects: &[ExportObject], grid: &TimeGrid);
    /// One object, from its Earth-fixed positions (km), one per sample of the grid.
    fn object(&self, out: &mut String, object: &ExportObject, track_ecef_km: &[DVec3]);
    /// Everything after the last object.
    fn footer(&self, out: &mut String);
    /// Between two objects.
    fn separator(&self) -> &'static str;
    /// Whether the header ends with an item, so that the first object needs a separator too.
    fn header_ends_with_item(&self) -> bool;
    /// About how many bytes one object's sample takes (to reserve a block's text at once).
    fn sample_bytes(&self) -> usize;
}

/// The writer of `format` over `grid` (each precomputes its per-sample text once).
pub fn writer_for(format: Format, grid: &TimeGrid) -> Box<dyn ObjectWriter> {
    match format {
        Format::Czml => Box::new(czml::CzmlWriter::new(grid)),
        Format::Kml => Box::new(kml::KmlWriter::new(grid)),
        Format::GeoJson => Box::new(geojson::GeoJsonWriter::new(grid)),
    }
}

/// What an export wrote and left out.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    /// Objects in the file.
    pub written: usize,
    /// Objects left out: their index in the slice given, and why.
    pub failures: Vec<(usize, SampleFailure)>,
    /// Bytes written.
    pub bytes: u64,
}

/// Objects per task: a block's states and text (~10 MB for a day at 60 s) stay small, and the
/// SGP4 batch still fills whole kernel calls.
const BLOCK: usize = 128;

/// The text of one block: its objects, separated, and who failed.
struct BlockText {
    text: String,
    written: usize,
    failures: Vec<(usize, SampleFailure)>,
}

fn block_text(
    writer: &dyn ObjectWriter,
    objects: &[ExportObject],
    first_index: usize,
    grid: &TimeGrid,
) -> BlockText {
    let sampled = sample_block(objects, grid);
    let mut text = String::new();
    let mut written = 0;
    let mut failures = Vec::new();
    for (slot, object) in objects.iter().enumerate() {
        match sampled.track(slot) {
            Ok(track) => {
                if written > 0 {
                    text.push_str(writer.separator());
                } else {
                    text.reserve(writer.sample_bytes() * grid.len() * objects.len());
                }
                writer.object(&mut text, object, track);
                written += 1;
            }
            Err(failure) => failures.push((first_index + slot, failure)),
        }
    }
    BlockText {
        text,
        written,
        failures,
    }
}

/// Writes `objects` sampled over `grid` as `format` to `out`, in the order given, and says
/// which objects were left out and why. `progress(done, total)` is called as blocks finish.
///
/// The calling thread only writes: a producer thread has each wave of blocks computed on the
/// rayon pool and hands it over through a channel of one, so a `write` that blocks (a disk
/// slower than the formatting: ~300 MB/s here) never holds a core the computation could use,
/// and at most three waves are in memory.
pub fn write_export<W: Write>(
    out: &mut W,
    format: Format,
    objects: &[ExportObject],
    grid: &TimeGrid,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> io::Result<ExportReport> {
    let writer = writer_for(format, grid);
    let writer: &dyn ObjectWriter = writer.as_ref();
    let mut report = ExportReport::default();
    let mut head = String::new();
    writer.header(&mut head, objects, grid);
    out.write_all(head.as_bytes())?;
    report.bytes += head.len() as u64;
    let mut any_item = writer.header_ends_with_item();

    let blocks: Vec<(usize, &[ExportObject])> = objects
        .chunks(BLOCK)
        .enumerate()
        .map(|(index, block)| (index * BLOCK, block))
        .collect();
    let wave = 4 * rayon::current_num_threads().max(1);
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| -> io::Result<()> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<BlockText>>(1);
        scope.spawn(move || {
            for group in blocks.chunks(wave) {
                let texts: Vec<BlockText> = group
                    .par_iter()
                    .map(|&(first_index, block)| {
                        let text = block_text(writer, block, first_index, grid);
                        let finished = done.fetch_add(block.len(), Ordering::Relaxed);
                        progress(finished + block.len(), objects.len());
                        text
                    })
                    .collect();
                if sender.send(texts).is_err() {
                    return; // the writer stopped on an error
                }
            }
        });
        for texts in receiver {
            for block in texts {
                if block.written > 0 {
                    if any_item {
                        out.write_all(writer.separator().as_bytes())?;
                        report.bytes += writer.separator().len() as u64;
                    }
                    out.write_all(block.text.as_bytes())?;
                    report.bytes += block.text.len() as u64;
                    any_item = true;
                }
                report.written += block.written;
                report.failures.extend(block.failures);
            }
        }
        Ok(())
    })?;
    let mut tail = String::new();
    writer.footer(&mut tail);
    out.write_all(tail.as_bytes())?;
    report.bytes += tail.len() as u64;
    Ok(report)
}
