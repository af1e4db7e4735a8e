//! The example scenarios as rendered (Xvfb + lavapipe, `#[ignore]`d like the other render
//! tests): each at its requested size (one at 3840×2160), caption and legend drawn in, the
//! filter visible in the pixels, and a sequence of frames that differ.

use std::path::Path;
use std::process::Output;

use super::render::{Picture, pixels_of, real_sources, work_dir};
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
