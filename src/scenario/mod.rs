//! Scenario files: a saved view a briefer can re-render with fresh data — the time, the
//! camera, every filter and the colour mode, the selection, what is shown, the caption and the
//! output size. One JSON format with a `version`; unknown fields, bad values and newer versions
//! are refused with the field and the line named. Pure: no Bevy.

#[cfg(test)]
mod tests;
mod time;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use time::SceneTime;

use crate::catalog::NoradId;
use crate::filter::Filter;
use crate::palette::ColorMode;

/// The format version this build writes, and the newest it reads.
pub const SCENARIO_VERSION: u32 = 3;

/// The largest image OrbitScope renders (8K UHD). It fits in one render target on every
/// device wgpu supports (its default limits guarantee 8 192 pixels a side), so no tiling is
/// needed below it.
pub const MAX_WIDTH: u32 = 7680;
pub const MAX_HEIGHT: u32 = 4320;
/// Camera distances a scenario may hold (Earth radii from the centre).
pub const DISTANCE_RANGE: std::ops::RangeInclusive<f32> = 1.2..=60.0;
/// The smallest image worth a caption.
pub const MIN_SIDE: u32 = 64;

/// A saved view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    #[serde(default)]
    pub caption: Caption,
    /// CelesTrak GP groups to load from the cache when no files are named (empty: `active`).
    #[serde(default)]
    pub groups: Vec<String>,
    /// The simulation time: an instant, `now`, or `now` with an offset (`now-6h`).
    pub time: SceneTime,
    /// Simulated seconds per real second (the window's warp; shots pause the clock).
    #[serde(default = "one")]
    pub clock_rate: f64,
    #[serde(default)]
    pub camera: Camera,
    #[serde(default)]
    pub filter: Filter,
    #[serde(default)]
    pub color: ColorMode,
    /// The selected object (NORAD number): highlighted, with its orbit and ground track.
    #[serde(default)]
    pub selected: Option<NoradId>,
    /// A close approach to show (version 3): both objects highlighted, a line between them and
    /// the second one's orbit, the clock at their closest approach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conjunction: Option<ConjunctionShown>,
    /// Ground sites (version 3): drawn on the globe as pins, and added to the window's sites
    /// for the session when the scenario is loaded there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<crate::passes::Site>,
    #[serde(default)]
    pub show: Show,
    #[serde(default)]
    pub overlays: Overlays,
    #[serde(default)]
    pub output: Output,
}

fn one() -> f64 {
    1.0
}

/// A pair of objects whose closest approach a scenario shows. The scenario's `time` is where to
/// look: the exact time of closest approach is found on the loaded element sets within
/// `within_minutes` of it, because fresh data moves it (by seconds a day for most pairs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConjunctionShown {
    /// NORAD numbers of the two objects; the first is selected.
    pub pair: [NoradId; 2],
    #[serde(default = "default_within_minutes")]
    pub within_minutes: f64,
}

/// Ten minutes: wide enough for a week's drift of a fresh element set, narrow enough that a
/// LEO pair's next crossing (half an orbit, ≥ 44 min, away) is not taken for this one.
pub const DEFAULT_WITHIN_MINUTES: f64 = 10.0;

fn default_within_minutes() -> f64 {
    DEFAULT_WITHIN_MINUTES
}

/// Title and subtitle drawn into the image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Caption {
    pub title: String,
    pub subtitle: String,
}

/// Where the camera is: above a point (latitude, longitude in degrees), or following an
/// object; at a distance from the Earth's centre in Earth radii. Neither: the day side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Camera {
    pub look_at: Option<[f64; 2]>,
    pub follow: Option<NoradId>,
    pub distance: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            look_at: None,
            follow: None,
            distance: 4.5,
        }
    }
}

/// What is drawn besides the markers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Show {
    /// The window's panels (filter, legend, details, time).
    pub panels: bool,
    pub statistics: bool,
    pub gap_list: bool,
    pub graticule: bool,
    pub borders: bool,
    /// Which orbits are drawn: none, the selected object's, or every shown object's. Version 1
    /// files said `"filtered_orbits": true|false`; that still reads (as `all`|`selected`).
    #[serde(
        alias = "filtered_orbits",
        deserialize_with = "orbits_or_version_1_flag"
    )]
    pub orbits: OrbitsShown,
    /// Opacity of each line when every shown object's orbit is drawn, 0..=1.
    pub orbit_opacity: f32,
    /// Filtered-out objects drawn faint instead of left out.
    pub dim_hidden: bool,
}

impl Default for Show {
    fn default() -> Self {
        Self {
            panels: false,
            statistics: false,
            gap_list: false,
            graticule: true,
            borders: true,
            orbits: OrbitsShown::default(),
            orbit_opacity: crate::orbit_lines::DEFAULT_ORBIT_OPACITY,
            dim_hidden: false,
        }
    }
}

/// Which orbits the globe draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OrbitsShown {
    /// No orbit lines (the selected object keeps its ground track).
    Off,
    /// The selected object's orbit (exact SGP4, one period).
    #[default]
    Selected,
    /// Every shown object's orbit (its osculating ellipse; no limit on the count), and the
    /// selected object's exact orbit on top.
    All,
}

/// `orbits` as written now, or version 1's `filtered_orbits` flag.
fn orbits_or_version_1_flag<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<OrbitsShown, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Mode(OrbitsShown),
        Flag(bool),
    }
    match Written::deserialize(deserializer) {
        Ok(Written::Mode(mode)) => Ok(mode),
        Ok(Written::Flag(all)) => Ok(if all {
            OrbitsShown::All
        } else {
            OrbitsShown::Selected
        }),
        Err(_) => Err(serde::de::Error::custom(
            "expected \"off\", \"selected\" or \"all\"",
        )),
    }
}

/// What is written into the image, each switchable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Overlays {
    pub caption: bool,
    pub legend: bool,
    /// The scene's UTC time.
    pub time: bool,
    /// Each data source and its date, and the element sets' epochs.
    pub sources: bool,
    /// Shown / total objects.
    pub counts: bool,
    pub attribution: bool,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            caption: true,
            legend: true,
            time: true,
            sources: true,
            counts: true,
            attribution: true,
        }
    }
}

impl Overlays {
    /// None of them (a clean frame).
    pub fn none() -> Self {
        Self {
            caption: false,
            legend: false,
            time: false,
            sources: false,
            counts: false,
            attribution: false,
        }
    }
}

/// Output size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Output {
    pub width: u32,
    pub height: u32,
}

impl Default for Output {
    fn default() -> Self {
        Self {
            width: 1920,
            height: 1080,
        }
    }
}

/// Why a scenario was refused: the file, the line (where known), the field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub origin: String,
    pub line: Option<usize>,
    /// Dotted path of the field (`output.width`, `filter.registration[0]`); empty for the file
    /// as a whole.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if !self.field.is_empty() {
            write!(f, ", field `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// A scenario at `time` with everything else at its default.
    pub fn at(time: SceneTime) -> Self {
        Self {
            version: SCENARIO_VERSION,
            caption: Caption::default(),
            groups: Vec::new(),
            time,
            clock_rate: 1.0,
            camera: Camera::default(),
            filter: Filter::default(),
            color: ColorMode::default(),
            selected: None,
            conjunction: None,
            sites: Vec::new(),
            show: Show::default(),
            overlays: Overlays::default(),
            output: Output::default(),
        }
    }

    /// Reads a scenario; `origin` names it in errors (a path, usually).
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        let error = |line: Option<usize>, field: &str, message: String| ScenarioError {
            origin: origin.to_owned(),
            line,
            field: field.to_owned(),
            message,
        };
        // The version first: a newer file is refused as newer, not for its new fields.
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| error(Some(e.line()), "", format!("not valid JSON: {e}")))?;
        match value.get("version").map(serde_json::Value::as_u64) {
            None => {
                return Err(error(
                    None,
                    "version",
                    format!("missing (this OrbitScope writes version {SCENARIO_VERSION})"),
                ));
            }
            Some(Some(version)) if version > u64::from(SCENARIO_VERSION) => {
                return Err(error(
                    line_of(text, "version"),
                    "version",
                    format!(
                        "version {version} is newer than this OrbitScope reads \
                         ({SCENARIO_VERSION}); update OrbitScope"
                    ),
                ));
            }
            Some(Some(_)) => {}
            Some(None) => {
                return Err(error(
                    line_of(text, "version"),
                    "version",
                    "must be a whole number".to_owned(),
                ));
            }
        }
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let scenario: Self = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            let field = if field == "." { String::new() } else { field };
            let message = strip_position(&inner.to_string());
            // serde_json's line is where it stopped reading; a bad value's own key is a better
            // pointer (an unknown field has no key in the path: keep serde's line for it).
            let line = if message.starts_with("unknown field") || field.is_empty() {
                Some(inner.line())
            } else {
                line_of(text, last_key(&field)).or(Some(inner.line()))
            };
            error(line, &field, message)
        })?;
        scenario
            .check()
            .map_err(|(field, message)| error(line_of(text, last_key(&field)), &field, message))?;
        // Older versions' fields are read into today's: what is written back is today's.
        let scenario = Self {
            version: SCENARIO_VERSION,
            ..scenario
        };
        Ok(scenario)
    }

    /// The file's text: pretty JSON with a final newline. Writing what was read gives the same
    /// bytes back.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a scenario always serialises to JSON");
        text.push('\n');
        text
    }

    /// Values the types allow but OrbitScope cannot honour: (field, why).
    fn check(&self) -> Result<(), (String, String)> {
        let out = |field: &str, message: String| Err((field.to_owned(), message));
        let Output { width, height } = self.output;
        if !(MIN_SIDE..=MAX_WIDTH).contains(&width) {
            return out(
                "output.width",
                format!("{width} is outside {MIN_SIDE}..={MAX_WIDTH} pixels"),
            );
        }
        if !(MIN_SIDE..=MAX_HEIGHT).contains(&height) {
            return out(
                "output.height",
                format!("{height} is outside {MIN_SIDE}..={MAX_HEIGHT} pixels"),
            );
        }
        let distance = self.camera.distance;
        if !DISTANCE_RANGE.contains(&distance) {
            return out(
                "camera.distance",
                format!("{distance} is outside 1.2..=60 Earth radii"),
            );
        }
        let opacity = self.show.orbit_opacity;
        if !(0.0..=1.0).contains(&opacity) {
            return out("show.orbit_opacity", format!("{opacity} is outside 0..=1"));
        }
        if let Some([lat, lon]) = self.camera.look_at
            && !((-90.0..=90.0).contains(&lat) && (-180.0..=360.0).contains(&lon))
        {
            return out(
                "camera.look_at",
                format!("[{lat}, {lon}] is not a latitude in −90..90 and a longitude in −180..360"),
            );
        }
        if let (Some(follow), Some(selected)) = (self.camera.follow, self.selected)
            && follow != selected
        {
            return out(
                "camera.follow",
                format!(
                    "the camera follows the selection: {follow} is not the selected {selected}"
                ),
            );
        }
        if self.camera.look_at.is_some() && self.camera.follow.is_some() {
            return out(
                "camera.follow",
                "give look_at or follow, not both".to_owned(),
            );
        }
        if !(self.clock_rate.is_finite() && self.clock_rate.abs() <= 100_000.0) {
            return out(
                "clock_rate",
                format!("{} is outside −100 000..=100 000", self.clock_rate),
            );
        }
        for group in &self.groups {
            if let Err(error) = crate::sources::DataSource::gp_group(group) {
                return out("groups", error.to_string());
            }
        }
        if let Some(conjunction) = self.conjunction {
            let [a, b] = conjunction.pair;
            if a == b {
                return out(
                    "conjunction.pair",
                    format!("names {a} twice: a close approach needs two objects"),
                );
            }
            let within = conjunction.within_minutes;
            if !(within > 0.0 && within <= 720.0) {
                return out(
                    "conjunction.within_minutes",
                    format!("{within} is outside 0 (excluded)..=720 minutes"),
                );
            }
            if let Some(selected) = self.selected
                && selected != a
            {
                return out(
                    "selected",
                    format!("with a conjunction its first object {a} is selected, not {selected}"),
                );
            }
            if let Some(follow) = self.camera.follow
                && follow != a
            {
                return out(
                    "camera.follow",
                    format!(
                        "with a conjunction the camera follows its first object {a}, not {follow}"
                    ),
                );
            }
        }
        for (index, site) in self.sites.iter().enumerate() {
            if let Err(error) = site.validate() {
                return out(&format!("sites[{index}].{}", error.field), error.message);
            }
        }
        if let Some(range) = self.filter.launched
            && range.from > range.to
        {
            return out("filter.launched", "`from` is after `to`".to_owned());
        }
        if let Some(range) = self.filter.altitude
            && !matches!(
                range.low_km.partial_cmp(&range.high_km),
                Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
            )
        {
            return out("filter.altitude", "`low_km` is above `high_km`".to_owned());
        }
        Ok(())
    }
}

/// The JSON reader appends " at line L column C"; the error says the line itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// The last key of a dotted path (`output.width` → `width`, `filter.types[0]` → `types`).
fn last_key(field: &str) -> &str {
    let key = field.rsplit('.').next().unwrap_or(field);
    key.split('[').next().unwrap_or(key)
}

/// The first line (1-based) where `"key"` appears, for errors found after parsing.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|line| line.contains(&quoted))
        .map(|index| index + 1)
}
