//! `orbitscope shot --out FILE.mp4|.webm|.gif`: videos read back with `ffprobe` (codec, frame
//! count, size, duration) and a GIF decoder (Xvfb + lavapipe, ffmpeg: `#[ignore]`d like the other
//! render tests), and the missing-ffmpeg error, which comes before any rendering (plain test).

use std::path::Path;

use super::render::work_dir;
use crate::support::{orbitscope, orbitscope_with, shared_file};

/// One object (the ISS) keeps the render short; the frames still go through the whole app.
fn iss_gp(dir: &Path) -> String {
    let text =
        std::fs::read_to_string(shared_file("celestrak-gp/active_2026-08-22/active.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let iss = lines.find(|line| line.contains(",25544,")).unwrap();
    let path = dir.join("iss.csv");
    std::fs::write(&path, format!("{header}\n{iss}\n")).unwrap();
    path.display().to_string()
}

fn shoot_video(out: &Path, gp: &str, extra: &[&str]) {
    let mut args = vec![
        "shot",
        "--gp",
        gp,
        "--offline",
        "--from",
        "2026-08-22T12:00:00Z",
        "--to",
        "2026-08-22T12:30:00Z",
        "--width",
        "320",
        "--height",
        "180",
        "--select",
        "25544",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = orbitscope(&args);
    assert!(
        output.status.success(),
        "shot failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `ffprobe`'s view of the first video stream: codec, pixel format, size, frames, duration.
fn probe(path: &Path) -> (String, String, u32, u32, usize, f64) {
    let output = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args([
            "-show_entries",
            "stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration",
            "-of",
            "default=nw=1",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs (CI installs ffmpeg)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    (
        field("codec_name"),
        field("pix_fmt"),
        field("width").parse().unwrap(),
        field("height").parse().unwrap(),
        field("nb_read_frames").parse().unwrap(),
        field("duration").parse().unwrap(),
    )
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe), ffmpeg and ../shared/data"]
fn render_video_mp4_and_webm_read_back_with_ffprobe() {
    let dir = work_dir().join("video");
    std::fs::create_dir_all(&dir).unwrap();
    let gp = iss_gp(&dir);
    let mp4 = dir.join("brief.mp4");
    // 30 min in 5-minute steps: 7 frames at 10 a second.
    shoot_video(&mp4, &gp, &["--step", "5m", "--fps", "10"]);
    let (codec, pixels, width, height, frames, duration) = probe(&mp4);
    assert_eq!((codec.as_str(), pixels.as_str()), ("h264", "yuv420p"));
    assert_eq!((width, height, frames), (320, 180, 7));
    assert!((duration - 0.7).abs() < 0.05, "{duration} s");

    let webm = dir.join("brief.webm");
    // --duration instead of --step: 1 s at 8 frames a second is 8 frames over the span.
    shoot_video(&webm, &gp, &["--duration", "1s", "--fps", "8"]);
    let (codec, _, width, height, frames, duration) = probe(&webm);
    assert_eq!(codec, "vp9");
    assert_eq!((width, height, frames), (320, 180, 8));
    assert!((duration - 1.0).abs() < 0.05, "{duration} s");
}

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_video_gif_needs_no_external_program() {
    let dir = work_dir().join("gif");
    std::fs::create_dir_all(&dir).unwrap();
    let gp = iss_gp(&dir);
    let gif = dir.join("brief.gif");
    shoot_video(&gif, &gp, &["--step", "10m", "--fps", "5"]);
    let mut decoder = gif::DecodeOptions::new()
        .read_info(std::fs::File::open(&gif).unwrap())
        .unwrap();
    let mut frames = 0;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!((frame.width, frame.height, frame.delay), (320, 180, 20));
        frames += 1;
    }
    assert_eq!(frames, 4, "12:00, 12:10, 12:20, 12:30");
}

/// Without ffmpeg an MP4 is refused at once, before loading or rendering anything, saying how
/// to install it and what works without it; nothing is written.
#[test]
fn a_video_without_ffmpeg_is_refused_before_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brief.mp4");
    let started = std::time::Instant::now();
    let output = orbitscope_with(
        &[
            "shot",
            "--gp",
            "/nonexistent/never-read.csv",
            "--from",
            "2026-08-22T12:00:00Z",
            "--to",
            "2026-08-22T12:30:00Z",
            "--step",
            "5m",
            "--out",
            out.to_str().unwrap(),
        ],
        &[("ORBITSCOPE_FFMPEG", "/nonexistent/ffmpeg")],
        &[],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("needs the ffmpeg program") && stderr.contains("apt install ffmpeg"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".gif") && stderr.contains("--out DIR"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("never-read"),
        "the catalog was not even read: {stderr}"
    );
    assert!(!out.exists());
    assert!(started.elapsed().as_secs() < 30);

    let single = orbitscope(&["shot", "--out", out.to_str().unwrap(), "--at", "now"]);
    assert!(
        String::from_utf8_lossy(&single.stderr).contains("a video needs --from and --to"),
        "{}",
        String::from_utf8_lossy(&single.stderr)
    );
}
