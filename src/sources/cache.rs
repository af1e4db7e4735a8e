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

/// 64-bit FNV-1a, as hex: enough to notice a cache file that is not what was written.
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Writes a file so that readers see the old content or the new, never a mix.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let file_name = path.file_name().map_or_else(
        || "cache".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
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
                fs::create_dir_all(&self.dir).map_err(Self::io_error(&self.dir))?;
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
        fs::create_dir_all(&self.dir).map_err(Self::io_error(&self.dir))?;
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
        fs::create_dir_all(&self.dir).map_err(Self::io_error(&self.dir))?;
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
        fs::create_dir_all(&self.dir).map_err(Self::io_error(&self.dir))?;
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
}
