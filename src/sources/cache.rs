//! The disk cache: each dataset is a data file plus a JSON sidecar with when it was fetched,
//! the HTTP validators, its length and hash, and whether the source is stopped after an error.
//! Both are written atomically (temporary file, fsync, rename); a sidecar that does not parse
//! or does not match its data is reported and ignored, never trusted.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a source was stopped: an HTTP status that asks clients to back off, or another error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stop {
    pub status: Option<u16>,
    pub message: String,
    pub at: DateTime<Utc>,
}

/// The sidecar of one cached dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CacheMeta {
    pub url: String,
    /// When the cached bytes were downloaded (a 304 does not change it).
    pub fetched_at: Option<DateTime<Utc>>,
    /// When the server last answered 200 or 304: the two-hour interval counts from here.
    pub checked_at: Option<DateTime<Utc>>,
    /// When the last request was sent, whatever came of it: after a failure the next request
    /// waits two hours from here too (unless the user retries).
    #[serde(default)]
    pub attempted_at: Option<DateTime<Utc>>,
    /// Good records in the cached copy: a download with under half as many is not promoted.
    #[serde(default)]
    pub records: Option<usize>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Length and FNV-1a hash of the data file, to detect a torn or edited cache.
    pub length: Option<u64>,
    pub hash: Option<String>,
    /// Set after an error status: no request until the user asks.
    pub stopped: Option<Stop>,
    /// The last failure that did not stop the source (timeout, connection refused, bad body).
    pub last_error: Option<Stop>,
}

impl CacheMeta {
    /// Rule 4 of the fetch policy: after a failed attempt the next request waits two hours
    /// (unless the user retries); when it must wait, until when and after what failure. A
    /// clock that went backwards does not hold requests back forever.
    pub(crate) fn waiting_after_failure(
        &self,
        retry: bool,
        now: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, String)> {
        let (failure, attempted_at) = (self.last_error.as_ref()?, self.attempted_at?);
        let next_allowed = attempted_at + super::fetch::MIN_INTERVAL;
        (!retry && now < next_allowed && now >= attempted_at)
            .then(|| (next_allowed, failure.message.clone()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cache file {path} is corrupt ({reason}); ignoring it")]
    Corrupt { path: PathBuf, reason: String },
    #[error("no cached copy at {0}")]
    Missing(PathBuf),
}

pub use crate::digest::content_hash;

/// Writes a file so that readers see the old content or the new, never a mix. The temporary
/// file is created afresh (`create_new`, an unpredictable name), never opened by following a
/// path someone else may have placed, and readable by its owner only (Unix: 0600), since cache
/// files may hold Space-Track data or an account's state.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |file| file.write_all(bytes))
}

/// [`write_atomically`] for output made while it is written (an export of a gigabyte is never
/// held in memory whole): `write` fills the temporary file through a buffer; the file replaces
/// `path` only if `write` succeeds, and is removed otherwise.
pub fn write_atomically_with<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    write_replacing(path, OWNER_ONLY, write)
}

/// [`write_atomically`] for what a user writes to share (exports, tables, scenario files): the
/// file gets the usual permissions (Unix: 0666 less the umask, so 0644 as a rule), not 0600.
pub fn write_output_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_output_atomically_with(path, |file| file.write_all(bytes))
}

/// [`write_output_atomically`] for output made while it is written.
pub fn write_output_atomically_with<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    write_replacing(path, SHARED, write)
}

/// Unix permissions of cache files (owner only) and of shared outputs (before the umask).
const OWNER_ONLY: u32 = 0o600;
const SHARED: u32 = 0o666;

fn write_replacing<T>(
    path: &Path,
    mode: u32,
    write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let file_name = path.file_name().map_or_else(
        || "cache".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let (temp, file) = create_temporary(dir, &file_name, mode)?;
    let result = (|| {
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
        let value = write(&mut writer)?;
        let file = writer.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A new file beside `file_name` in `dir`, with a random suffix, created exclusively.
fn create_temporary(
    dir: &Path,
    file_name: &str,
    mode: u32,
) -> std::io::Result<(PathBuf, fs::File)> {
    let mut last_error = None;
    for _ in 0..16 {
        let temp = dir.join(format!(".{file_name}.{:016x}.tmp", random_u64()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                last_error = Some(error);
            }
            Err(error) => return Err(error),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// 64 unpredictable bits: the standard library seeds each `RandomState` from the operating
/// system's randomness, so no extra crate is needed for temporary names.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// Creates `dir` (and missing parents) readable by its owner only (Unix: 0700). An existing
/// folder keeps its mode: the user may have pointed `ORBITSCOPE_CACHE_DIR` at a shared one.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A JSON record of the cache: `Ok(None)` when there is none, `Corrupt` when it does not parse.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, CacheError> {
    match fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|error| CacheError::Corrupt {
                    path: path.to_owned(),
                    reason: error.to_string(),
                })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(CacheError::Io {
            path: path.to_owned(),
            source: error,
        }),
    }
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The platform cache directory (`~/.cache/orbitscope` on Linux), unless
    /// `ORBITSCOPE_CACHE_DIR` names another.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("ORBITSCOPE_CACHE_DIR") {
            return Some(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("org", "OrbitScope", "orbitscope")
            .map(|dirs| dirs.cache_dir().to_path_buf())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the cache folder if need be, private to its owner (see [`create_private_dir`]).
    pub fn ensure_dir(&self) -> Result<(), CacheError> {
        create_private_dir(&self.dir).map_err(Self::io_error(&self.dir))
    }

    pub fn data_path(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    fn meta_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.meta.json"))
    }

    /// Where a download that was refused for holding too few records is kept for inspection.
    pub fn set_aside_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.rejected"))
    }

    fn host_stop_path(&self, host: &str) -> PathBuf {
        let safe: String = host
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("host-{safe}.stop.json"))
    }

    /// A stop that holds for every source on `host` (after a 403 or 429 from it).
    /// A record that cannot be read is reported as corrupt: the caller decides to be careful.
    pub fn read_host_stop(&self, host: &str) -> Result<Option<Stop>, CacheError> {
        read_json(&self.host_stop_path(host))
    }

    /// Records (or, with `None`, lifts) the stop for every source on `host`.
    pub fn write_host_stop(&self, host: &str, stop: Option<&Stop>) -> Result<(), CacheError> {
        let path = self.host_stop_path(host);
        match stop {
            Some(stop) => {
                self.ensure_dir()?;
                let json = serde_json::to_vec_pretty(stop).unwrap_or_default();
                write_atomically(&path, &json).map_err(Self::io_error(&path))
            }
            None => match fs::remove_file(&path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    Err(Self::io_error(&path)(error))
                }
                _ => Ok(()),
            },
        }
    }

    /// Keeps a refused download beside the cache, for the user to look at.
    pub fn set_aside(&self, key: &str, bytes: &[u8]) -> Result<PathBuf, CacheError> {
        self.ensure_dir()?;
        let path = self.set_aside_path(key);
        write_atomically(&path, bytes).map_err(Self::io_error(&path))?;
        Ok(path)
    }

    fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> CacheError + '_ {
        move |source| CacheError::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// The sidecar, `Ok(None)` when there is none yet.
    pub fn read_meta(&self, key: &str) -> Result<Option<CacheMeta>, CacheError> {
        read_json(&self.meta_path(key))
    }

    pub fn write_meta(&self, key: &str, meta: &CacheMeta) -> Result<(), CacheError> {
        let path = self.meta_path(key);
        self.ensure_dir()?;
        let json = serde_json::to_vec_pretty(meta).unwrap_or_default();
        write_atomically(&path, &json).map_err(Self::io_error(&path))
    }

    /// The cached bytes, checked against the length and hash in the sidecar.
    pub fn read_data(&self, key: &str, meta: &CacheMeta) -> Result<Vec<u8>, CacheError> {
        let path = self.data_path(key);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(CacheError::Missing(path));
            }
            Err(error) => return Err(Self::io_error(&path)(error)),
        };
        let (Some(length), Some(hash)) = (meta.length, meta.hash.as_deref()) else {
            return Err(CacheError::Missing(path));
        };
        if bytes.len() as u64 != length || content_hash(&bytes) != hash {
            return Err(CacheError::Corrupt {
                path,
                reason: format!(
                    "{} bytes on disk, the sidecar recorded {length} with another hash",
                    bytes.len()
                ),
            });
        }
        Ok(bytes)
    }

    /// Stores new data (atomically), then its sidecar.
    pub fn store(&self, key: &str, bytes: &[u8], meta: &mut CacheMeta) -> Result<(), CacheError> {
        self.ensure_dir()?;
        let path = self.data_path(key);
        write_atomically(&path, bytes).map_err(Self::io_error(&path))?;
        meta.length = Some(bytes.len() as u64);
        meta.hash = Some(content_hash(bytes));
        self.write_meta(key, meta)
    }

    /// The cached dataset with its sidecar, if there is a valid one.
    pub fn load(&self, key: &str) -> Result<(Vec<u8>, CacheMeta), CacheError> {
        let meta = self
            .read_meta(key)?
            .ok_or_else(|| CacheError::Missing(self.data_path(key)))?;
        let bytes = self.read_data(key, &meta)?;
        Ok((bytes, meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_and_load_round_trip_and_detect_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("nested"));
        let mut meta = CacheMeta {
            url: "u".into(),
            ..CacheMeta::default()
        };
        cache.store("k.csv", b"hello", &mut meta).unwrap();
        let (bytes, loaded) = cache.load("k.csv").unwrap();
        assert_eq!((bytes.as_slice(), loaded), (&b"hello"[..], meta));

        fs::write(cache.data_path("k.csv"), b"hellO").unwrap();
        assert!(matches!(
            cache.load("k.csv"),
            Err(CacheError::Corrupt { .. })
        ));

        fs::write(dir.path().join("nested/k.csv.meta.json"), b"{not json").unwrap();
        let error = cache.load("k.csv").unwrap_err();
        assert!(error.to_string().contains("corrupt"), "{error}");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// What a user exports to share gets the permissions any new file gets (the umask's), a
    /// cache file stays owner-only; both replace the old file whole.
    #[cfg(unix)]
    #[test]
    fn shared_outputs_get_the_usual_permissions() {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        // A plain new file with 0666 shows what the umask leaves.
        let probe = dir.path().join("probe");
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&probe)
            .unwrap();
        let output = dir.path().join("brief.czml");
        write_output_atomically(&output, b"[]").unwrap();
        assert_eq!(mode(&output), mode(&probe));
        write_output_atomically(&output, b"[1]").unwrap();
        assert_eq!(fs::read(&output).unwrap(), b"[1]");
        let private = dir.path().join("cache.json");
        write_atomically(&private, b"{}").unwrap();
        assert_eq!(mode(&private), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_folder_is_private_and_its_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("a/b/orbitscope"));
        let mut meta = CacheMeta::default();
        cache.store("spacetrack-gp.json", b"[]", &mut meta).unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(cache.dir()), 0o700);
        assert_eq!(mode(&cache.data_path("spacetrack-gp.json")), 0o600);
        assert_eq!(mode(&cache.meta_path("spacetrack-gp.json")), 0o600);
        let stop = Stop {
            status: Some(401),
            message: "refused".into(),
            at: Utc::now(),
        };
        cache.write_host_stop("st.example", Some(&stop)).unwrap();
        assert_eq!(mode(&cache.host_stop_path("st.example")), 0o600);
    }

    /// The temporary file of an atomic write has an unpredictable name and is created afresh:
    /// a link planted at the old, predictable name (`.<file>.<pid>.tmp`) is never followed.
    #[cfg(unix)]
    #[test]
    fn an_atomic_write_never_follows_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"precious").unwrap();
        let path = dir.path().join("f");
        let planted = dir.path().join(format!(".f.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_file());
    }
}
