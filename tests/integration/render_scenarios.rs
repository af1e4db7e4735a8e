//! The example scenarios as rendered (Xvfb + lavapipe, `#[ignore]`d like the other render
//! tests): each at its requested size (one at 3840×2160), caption and legend drawn in, the
//! filter visible in the pixels, and a sequence of frames that differ.

use std::path::Path;
use std::process::Output;

use super::render::{Picture, luminance, pixels_of, real_sources, work_dir};
use crate::support::{orbitscope, shared_file};

/// The dark box behind every overlay.
const OVERLAY_FILL: [u8; 3] = [16, 16, 20];
const REGISTERED: [u8; 3] = [0, 158, 115];
const PAYLOAD_BLUE: [u8; 3] = [86, 180, 233];

fn scenario(name: &str) -> String {
    format!(
        "{}/assets/scenarios/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn shot(args: &[&str]) -> Output {
    let output = orbitscope(&[&["shot"], args].concat());
    assert!(
        output.status.success(),
        "shot failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The share of a region (fractions of the image) covered by the overlay box's fill.
fn overlay_share(picture: &Picture, x: (f64, f64), y: (f64, f64)) -> f64 {
    let (w, h) = (f64::from(picture.width), f64::from(picture.height));
    let mut hits = 0;
    let mut all = 0;
    let (mut py, step) = (y.0 * h, 2.0);
    while py < y.1 * h {
        let mut px = x.0 * w;
        while px < x.1 * w {
            hits += usize::from(picture.pixel(px, py) == OVERLAY_FILL);
            all += 1;
            px += step;
        }
        py += step;
    }
    hits as f64 / f64::from(all.max(1))
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_who_registers_shows_registration_colours_caption_and_legend() {
    let out = work_dir().join("who-registers.png");
    let sources = real_sources();
    let mut args = vec![
        "--scenario",
        &scenario("who-registers"),
        "--out",
        out.to_str().unwrap(),
        "--width",
        "1280",
        "--height",
        "720",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    args.extend(sources);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    shot(&args);
    let picture = Picture::load(&out);
    assert_eq!((picture.width, picture.height), (1280, 720));
    assert!(
        pixels_of(&picture, REGISTERED) > 500,
        "registration colours drawn"
    );
    assert_eq!(
        pixels_of(&picture, PAYLOAD_BLUE),
        0,
        "no type colours: the scenario's mode"
    );
    let caption = overlay_share(&picture, (0.35, 0.65), (0.02, 0.08));
    assert!(caption > 0.3, "caption box at the top: {caption}");
    let legend = overlay_share(&picture, (0.85, 0.99), (0.88, 0.98));
    assert!(legend > 0.3, "legend box at the bottom right: {legend}");
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_every_example_at_its_size_and_one_at_4k() {
    let groups = "celestrak-gp/groups_2026-06-14";
    let debris: Vec<String> = [
        "fengyun-1c-debris",
        "cosmos-2251-debris",
        "iridium-33-debris",
    ]
    .iter()
    .flat_map(|group| {
        [
            "--gp".to_owned(),
            shared_file(&format!("{groups}/{group}.tle"))
                .display()
                .to_string(),
        ]
    })
    .collect();
    let cases: [(&str, Vec<String>, Option<(u32, u32)>); 2] = [
        ("geo-belt", real_sources(), None),
        ("debris-clouds", debris, Some((3840, 2160))),
    ];
    for (name, sources, size) in cases {
        let out = work_dir().join(format!("{name}.png"));
        let mut args: Vec<String> = [
            "--scenario",
            &scenario(name),
            "--out",
            out.to_str().unwrap(),
        ]
        .map(str::to_owned)
        .to_vec();
        if let Some((width, height)) = size {
            args.extend([
                "--width".into(),
                width.to_string(),
                "--height".into(),
                height.to_string(),
            ]);
        }
        args.extend(sources);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        shot(&args);
        let picture = Picture::load(&out);
        let (width, height) = size.unwrap_or((1920, 1080));
        assert_eq!((picture.width, picture.height), (width, height), "{name}");
        let caption = overlay_share(&picture, (0.35, 0.65), (0.02, 0.07));
        assert!(caption > 0.3, "{name}: caption box: {caption}");
    }
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_a_sequence_writes_frames_that_differ() {
    let dir = work_dir().join("sequence");
    let _ = std::fs::remove_dir_all(&dir);
    let sources = real_sources();
    let mut args: Vec<&str> = vec![
        "--scenario",
        "",
        "--out",
        dir.to_str().unwrap(),
        "--from",
        "2026-08-22T12:00:00Z",
        "--to",
        "2026-08-22T12:20:00Z",
        "--step",
        "10m",
        "--width",
        "640",
        "--height",
        "400",
    ];
    let path = scenario("who-registers");
    args[1] = &path;
    args.extend(sources.iter().map(String::as_str));
    let output = shot(&args);
    assert!(String::from_utf8_lossy(&output.stderr).contains("frame 3 of 3"));
    let frames: Vec<Vec<u8>> = (1..=3)
        .map(|n| std::fs::read(dir.join(format!("frame_{n:05}.png"))).unwrap())
        .collect();
    assert!(!Path::new(&dir.join("frame_00004.png")).exists());
    assert_ne!(frames[0], frames[1], "the scene moves on");
    assert_ne!(frames[1], frames[2]);
}

/// A scenario that names a close approach renders the moment of closest approach, found again
/// from a time minutes away: the TCA the command line's screening gives (to the millisecond),
/// both objects highlighted at the centre, the line and the second orbit drawn in red.
#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe)"]
fn render_a_scenario_naming_a_conjunction_shows_its_tca_frame() {
    let dir = work_dir().join("tca");
    std::fs::create_dir_all(&dir).unwrap();
    let sources = super::conjunctions::fixture(&dir);
    let mut args = vec![
        "conjunctions",
        "--from",
        "2026-08-22T08:00:00Z",
        "--days",
        "0.1",
        "--norad",
        "90002",
        "--threshold-km",
        "50",
        "--format",
        "csv",
    ];
    args.extend(sources.iter().map(String::as_str));
    let events = super::conjunctions::csv_rows(&orbitscope(&args));
    let event = events
        .iter()
        .find(|row| row[0] == "25544" && row[1] == "90002")
        .expect("the ISS meets the retrograde copy");
    let tca: chrono::DateTime<chrono::Utc> = event[2].parse().unwrap();
    let near = tca + chrono::TimeDelta::minutes(3);
    let path = dir.join("tca.json");
    std::fs::write(
        &path,
        format!(
            "{{\"version\": 3, \"time\": \"{}\", \"conjunction\": {{\"pair\": [25544, 90002]}},\n\
             \"overlays\": {{\"caption\": true, \"legend\": false, \"time\": true, \
             \"sources\": false, \"counts\": false, \"attribution\": false}},\n\
             \"output\": {{\"width\": 960, \"height\": 540}}}}",
            near.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    )
    .unwrap();
    let out = dir.join("tca.png");
    let mut args = vec![
        "--scenario",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(sources.iter().map(String::as_str));
    let output = shot(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // "closest approach: ISS (ZARYA) (25544) and RETRO (90002): M km apart at T UTC, S km/s"
    let said = stderr
        .lines()
        .find_map(|line| {
            line.strip_prefix("closest approach: ISS (ZARYA) (25544) and RETRO (90002): ")
        })
        .unwrap_or_else(|| panic!("the pair is not described: {stderr}"));
    let (miss, rest) = said.split_once(" km apart at ").unwrap();
    let (time, _) = rest.split_once(" UTC").unwrap();
    let miss_m = (miss.parse::<f64>().unwrap() - event[3].parse::<f64>().unwrap()) * 1e3;
    assert!(miss_m.abs() <= 1.0, "miss differs by {miss_m} m");
    let shown = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S%.3f")
        .unwrap()
        .and_utc();
    let offset_ms = (shown - tca).num_milliseconds();
    assert!(offset_ms.abs() <= 1, "TCA differs by {offset_ms} ms");

    let picture = Picture::load(&out);
    let (cx, cy) = (480.0, 270.0);
    let near_centre = |test: &dyn Fn([u8; 3]) -> bool, radius: i32| {
        (-radius..=radius)
            .flat_map(|dy| (-radius..=radius).map(move |dx| (dx, dy)))
            .filter(|&(dx, dy)| test(picture.pixel(cx + f64::from(dx), cy + f64::from(dy))))
            .count()
    };
    let highlighted = near_centre(&|[r, g, b]| r > 230 && g > 230 && (90..170).contains(&b), 6);
    assert!(
        highlighted >= 10,
        "{highlighted} highlight pixels at the centre"
    );
    let red = near_centre(&|[r, g, b]| r > 200 && g < 110 && b < 110, 200);
    assert!(
        red >= 100,
        "{red} red pixels of the second orbit near the centre"
    );
}

/// Lines grow with the output: a 3840×2160 frame, halved, has the 1920×1080 frame's lines
/// (graticule and borders on the night side), not hairlines half as bright.
#[test]
#[ignore = "needs Vulkan (lavapipe) and ../shared/data"]
fn render_lines_at_4k_look_like_1080p_at_twice_the_pixels() {
    let dir = work_dir().join("lines");
    std::fs::create_dir_all(&dir).unwrap();
    let text =
        std::fs::read_to_string(shared_file("celestrak-gp/active_2026-08-22/active.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let iss = lines.find(|line| line.contains(",25544,")).unwrap();
    let gp = dir.join("iss.csv");
    std::fs::write(&gp, format!("{header}\n{iss}\n")).unwrap();
    let render = |name: &str, width: &str, height: &str| {
        let out = dir.join(name);
        shot(&[
            "--gp",
            gp.to_str().unwrap(),
            "--offline",
            "--offscreen",
            "--at",
            "2026-08-22T12:00:00Z",
            // Japan and the Pacific at 22:00 local time: bright lines on a dark globe.
            "--look-at",
            "30,150",
            "--distance",
            "2.2",
            "--no-overlays",
            "--width",
            width,
            "--height",
            height,
            "--out",
            out.to_str().unwrap(),
        ]);
        Picture::load(&out)
    };
    let small = render("lines-1080.png", "1920", "1080");
    let large = render("lines-2160.png", "3840", "2160");
    let halved = |x: u32, y: u32| {
        let corners = [(0, 0), (1, 0), (0, 1), (1, 1)];
        corners
            .iter()
            .map(|&(dx, dy)| luminance(large.pixel(f64::from(2 * x + dx), f64::from(2 * y + dy))))
            .sum::<f64>()
            / 4.0
    };
    let (mut line_pixels, mut ratio_sum) = (0_usize, 0.0);
    for y in 100..980 {
        for x in 400..1520 {
            let bright = luminance(small.pixel(f64::from(x), f64::from(y)));
            if bright > 90.0 {
                line_pixels += 1;
                ratio_sum += (halved(x, y) / bright).min(1.5);
            }
        }
    }
    assert!(line_pixels > 2_000, "{line_pixels} line pixels at 1080p");
    let ratio = ratio_sum / line_pixels as f64;
    assert!(
        ratio > 0.8,
        "the 4K frame's lines, halved, are {ratio:.2} as bright as the 1080p frame's"
    );
}
