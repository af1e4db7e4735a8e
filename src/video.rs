//! Video files from rendered frames, pure (no Bevy): MP4 (H.264, yuv420p) and WebM (VP9)
//! through the `ffmpeg` program — raw RGB frames piped to its standard input, no temporary
//! files, its stderr kept for the error message — and animated GIF with the `gif` crate, which
//! needs no external program.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

/// What `--out` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoFormat {
    Mp4,
    WebM,
    Gif,
}

impl VideoFormat {
    /// The format a file name asks for (by extension, any case); None for anything else.
    pub fn of_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "mp4" => Some(Self::Mp4),
            "webm" => Some(Self::WebM),
            "gif" => Some(Self::Gif),
            _ => None,
        }
    }

    pub fn needs_ffmpeg(self) -> bool {
        matches!(self, Self::Mp4 | Self::WebM)
    }

    fn codec_arguments(self) -> &'static [&'static str] {
        match self {
            // Baseline-friendly H.264 in yuv420p plays in browsers and slide software; the
            // index up front lets a browser start before the file is loaded.
            Self::Mp4 => &[
                "-c:v",
                "libx264",
                "-preset",
                "medium",
                "-crf",
                "20",
                "-pix_fmt",
                "yuv420p",
                "-movflags",
                "+faststart",
            ],
            Self::WebM => &[
                "-c:v",
                "libvpx-vp9",
                "-crf",
                "32",
                "-b:v",
                "0",
                "-row-mt",
                "1",
                "-pix_fmt",
                "yuv420p",
            ],
            Self::Gif => &[],
        }
    }
}

/// Why a video could not be written.
#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    #[error(
        "writing {what} needs the ffmpeg program, which was not found on PATH (Debian/Ubuntu: \
         `sudo apt install ffmpeg`; Fedora: `sudo dnf install ffmpeg`; macOS: `brew install \
         ffmpeg`; Windows: `winget install ffmpeg`). A .gif needs no external program, and \
         --out DIR writes the frames as PNG files"
    )]
    NoFfmpeg { what: &'static str },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ffmpeg failed writing {path} ({status}): {stderr}")]
    Ffmpeg {
        path: PathBuf,
        status: String,
        stderr: String,
    },
    #[error("{path}: GIF: {message}")]
    Gif { path: PathBuf, message: String },
    #[error("frame {index} is {got} bytes; {width}×{height} RGB needs {wanted}")]
    FrameSize {
        index: usize,
        got: usize,
        wanted: usize,
        width: u32,
        height: u32,
    },
    #[error("a GIF is at most 65 535 pixels a side; {width}×{height} asked")]
    GifTooLarge { width: u32, height: u32 },
}

/// The ffmpeg program to run: `$ORBITSCOPE_FFMPEG`, else `ffmpeg` on PATH.
fn ffmpeg_program() -> PathBuf {
    std::env::var_os("ORBITSCOPE_FFMPEG").map_or_else(|| PathBuf::from("ffmpeg"), PathBuf::from)
}

/// Whether ffmpeg can be started: checked before any rendering, so a missing program costs
/// nothing.
pub fn check_encoder(format: VideoFormat) -> Result<(), VideoError> {
    if !format.needs_ffmpeg() {
        return Ok(());
    }
    let what = if format == VideoFormat::Mp4 {
        "MP4"
    } else {
        "WebM"
    };
    let started = Command::new(ffmpeg_program())
        .arg("-version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match started {
        Ok(status) if status.success() => Ok(()),
        _ => Err(VideoError::NoFfmpeg { what }),
    }
}

/// Frames in, a video file out.
pub struct VideoWriter {
    path: PathBuf,
    width: u32,
    height: u32,
    frames: usize,
    sink: Sink,
}

enum Sink {
    Ffmpeg {
        child: Child,
        stdin: Option<ChildStdin>,
        stderr: std::thread::JoinHandle<String>,
    },
    Gif {
        encoder: Box<gif::Encoder<std::io::BufWriter<std::fs::File>>>,
        delay_cs: u16,
    },
}

impl VideoWriter {
    /// Starts writing `path` at `fps` frames a second, `width`×`height`.
    pub fn create(
        path: &Path,
        format: VideoFormat,
        width: u32,
        height: u32,
        fps: u32,
    ) -> Result<Self, VideoError> {
        let io = |source| VideoError::Io {
            path: path.to_owned(),
            source,
        };
        let sink = match format {
            VideoFormat::Gif => {
                let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
                    return Err(VideoError::GifTooLarge { width, height });
                };
                let file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
                let gif_error = |error: gif::EncodingError| VideoError::Gif {
                    path: path.to_owned(),
                    message: error.to_string(),
                };
                let mut encoder = gif::Encoder::new(file, w, h, &[]).map_err(gif_error)?;
                encoder
                    .set_repeat(gif::Repeat::Infinite)
                    .map_err(gif_error)?;
                // GIF delays are in hundredths of a second.
                let delay_cs = (100.0 / f64::from(fps.max(1))).round().max(1.0) as u16;
                Sink::Gif {
                    encoder: Box::new(encoder),
                    delay_cs,
                }
            }
            _ => {
                check_encoder(format)?;
                let mut child = Command::new(ffmpeg_program())
                    .args(["-hide_banner", "-loglevel", "error", "-y"])
                    .args(["-f", "rawvideo", "-pix_fmt", "rgb24"])
                    .args(["-s", &format!("{width}x{height}")])
                    .args(["-r", &fps.to_string(), "-i", "-"])
                    .args(format.codec_arguments())
                    .arg(path)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(io)?;
                let stdin = child.stdin.take();
                let mut stderr = child.stderr.take().ok_or_else(|| {
                    io(std::io::Error::other(
                        "ffmpeg's standard error was not piped",
                    ))
                })?;
                // Read on a thread: a chatty ffmpeg must never block on a full pipe.
                let stderr = std::thread::spawn(move || {
                    let mut text = String::new();
                    let _ = stderr.read_to_string(&mut text);
                    text
                });
                Sink::Ffmpeg {
                    child,
                    stdin,
                    stderr,
                }
            }
        };
        Ok(Self {
            path: path.to_owned(),
            width,
            height,
            frames: 0,
            sink,
        })
    }

    /// Adds one frame: `width × height` RGB pixels (8 bits each), rows top to bottom.
    pub fn push(&mut self, rgb: &[u8]) -> Result<(), VideoError> {
        let wanted = self.width as usize * self.height as usize * 3;
        if rgb.len() != wanted {
            return Err(VideoError::FrameSize {
                index: self.frames,
                got: rgb.len(),
                wanted,
                width: self.width,
                height: self.height,
            });
        }
        match &mut self.sink {
            Sink::Ffmpeg { stdin, .. } => {
                let written = stdin.as_mut().map_or(Ok(()), |stdin| stdin.write_all(rgb));
                if let Err(source) = written {
                    // ffmpeg has stopped: its own words say why.
                    return Err(self.finish_after(source));
                }
            }
            Sink::Gif { encoder, delay_cs } => {
                // Speed 10 of NeuQuant's 1–30: a good palette at a few hundred ms a 1080p frame.
                let mut frame =
                    gif::Frame::from_rgb_speed(self.width as u16, self.height as u16, rgb, 10);
                frame.delay = *delay_cs;
                encoder
                    .write_frame(&frame)
                    .map_err(|error| VideoError::Gif {
                        path: self.path.clone(),
                        message: error.to_string(),
                    })?;
            }
        }
        self.frames += 1;
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Closes the file (waits for ffmpeg to finish encoding).
    pub fn finish(self) -> Result<PathBuf, VideoError> {
        let path = self.path.clone();
        match self.sink {
            Sink::Ffmpeg {
                mut child,
                stdin,
                stderr,
            } => {
                drop(stdin);
                let status = child.wait().map_err(|source| VideoError::Io {
                    path: path.clone(),
                    source,
                })?;
                let stderr = stderr.join().unwrap_or_default();
                if !status.success() {
                    return Err(VideoError::Ffmpeg {
                        path,
                        status: status.to_string(),
                        stderr: stderr.trim().to_owned(),
                    });
                }
            }
            Sink::Gif { encoder, .. } => {
                let mut file = encoder.into_inner().map_err(|error| VideoError::Gif {
                    path: path.clone(),
                    message: error.to_string(),
                })?;
                file.flush().map_err(|source| VideoError::Io {
                    path: path.clone(),
                    source,
                })?;
            }
        }
        Ok(path)
    }

    /// The error after a failed write to ffmpeg: its exit and its stderr.
    fn finish_after(&mut self, source: std::io::Error) -> VideoError {
        let Sink::Ffmpeg { child, stdin, .. } = &mut self.sink else {
            return VideoError::Io {
                path: self.path.clone(),
                source,
            };
        };
        drop(stdin.take());
        let status = child
            .wait()
            .map_or_else(|error| error.to_string(), |status| status.to_string());
        VideoError::Ffmpeg {
            path: self.path.clone(),
            status,
            stderr: format!("writing a frame failed: {source}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(width: u32, height: u32, shade: u8) -> Vec<u8> {
        (0..width * height)
            .flat_map(|i| [shade, (i % 251) as u8, 255 - shade])
            .collect()
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(
            VideoFormat::of_path(Path::new("a/brief.MP4")),
            Some(VideoFormat::Mp4)
        );
        assert_eq!(
            VideoFormat::of_path(Path::new("b.webm")),
            Some(VideoFormat::WebM)
        );
        assert_eq!(
            VideoFormat::of_path(Path::new("c.gif")),
            Some(VideoFormat::Gif)
        );
        assert_eq!(VideoFormat::of_path(Path::new("frames")), None);
        assert_eq!(VideoFormat::of_path(Path::new("d.png")), None);
    }

    /// A GIF is written without any external program, and a decoder reads back every frame at
    /// the size and delay asked.
    #[test]
    fn a_gif_reads_back_with_its_frames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.gif");
        let mut writer = VideoWriter::create(&path, VideoFormat::Gif, 40, 30, 25).unwrap();
        for shade in [0, 80, 160, 240] {
            writer.push(&frame(40, 30, shade)).unwrap();
        }
        assert_eq!(writer.frames(), 4);
        writer.finish().unwrap();
        let mut decoder = gif::DecodeOptions::new()
            .read_info(std::fs::File::open(&path).unwrap())
            .unwrap();
        let mut frames = 0;
        while let Some(frame) = decoder.read_next_frame().unwrap() {
            assert_eq!((frame.width, frame.height, frame.delay), (40, 30, 4));
            frames += 1;
        }
        assert_eq!(frames, 4);
    }

    #[test]
    fn a_frame_of_the_wrong_size_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.gif");
        let mut writer = VideoWriter::create(&path, VideoFormat::Gif, 40, 30, 25).unwrap();
        let error = writer.push(&frame(40, 29, 0)).unwrap_err();
        assert!(
            error.to_string().starts_with("frame 0 is 3480 bytes"),
            "{error}"
        );
    }
}
