//! One pass at a time: an OS lock (`flock` on Unix) on a file beside the pass file.
//!
//! The operating system holds the lock for as long as the holder keeps the file open and drops
//! it when the holder exits, however it exits. So there is no stale lock to detect, no lock to
//! take over, and the file itself is never removed: removing it would let a second process
//! lock a fresh file while a third still holds the old one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;

use crate::sources::cache::{Cache, create_private_dir};

/// Held while a pass runs; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct PassLock {
    _file: File,
}

impl PassLock {
    pub const FILE: &'static str = "un-register.lock";

    /// Takes the lock, or says that another pass holds it.
    pub fn take(cache: &Cache) -> Result<Self, String> {
        let path = cache.data_path(Self::FILE);
        let cannot = |error: std::io::Error| format!("cannot lock {}: {error}", path.display());
        create_private_dir(cache.dir()).map_err(cannot)?;
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(
                    "another pass through the UN index is running (in another window or \
                     command); this one waits its turn"
                        .to_owned(),
                );
            }
            Err(TryLockError::Error(error)) => return Err(cannot(error)),
        }
        // For a person looking at the folder: who holds it (only the holder ever writes it).
        let _ = file
            .set_len(0)
            .and_then(|()| write!(file, "{}", std::process::id()));
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("cache"));
        let first = PassLock::take(&cache).unwrap();
        let refused = PassLock::take(&cache).unwrap_err();
        assert!(refused.contains("another pass"), "{refused}");
        drop(first);
        let _second = PassLock::take(&cache).expect("free once the holder let go");
        assert!(
            cache.data_path(PassLock::FILE).exists(),
            "the file stays: removing it would let two holders lock two files"
        );
    }

    #[test]
    fn an_old_lock_file_left_behind_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        // A process that died left its file (and a pid that may now be someone else's).
        std::fs::write(cache.data_path(PassLock::FILE), "1").unwrap();
        let _lock = PassLock::take(&cache).expect("nobody holds the OS lock");
        assert_eq!(
            std::fs::read_to_string(cache.data_path(PassLock::FILE)).unwrap(),
            std::process::id().to_string()
        );
    }
}
