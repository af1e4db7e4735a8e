//! One pass at a time: a lock file beside the pass file, holding the process id of its holder.

use std::io::Write;
use std::time::Duration;

use crate::sources::cache::Cache;

/// Only one pass at a time uses the cache's pass file. A lock whose holder is gone (killed, so
/// its `Drop` never ran) is taken over: at once where the system says the process no longer
/// exists (Linux), else once the lock is ten minutes old (a live pass refreshes it every page).
pub(super) struct PassLock {
    path: std::path::PathBuf,
}

impl PassLock {
    const STALE: Duration = Duration::from_secs(600);
    const FILE: &'static str = "un-register.lock";

    pub(super) fn take(cache: &Cache) -> Result<Self, String> {
        let path = cache.data_path(Self::FILE);
        let _ = std::fs::create_dir_all(cache.dir());
        if Self::abandoned(&path) {
            let _ = std::fs::remove_file(&path);
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = write!(file, "{}", std::process::id());
                Ok(Self { path })
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(
                "another pass through the UN index is running (in another window or command); \
                 this one waits its turn"
                    .to_owned(),
            ),
            Err(error) => Err(format!("cannot lock {}: {error}", path.display())),
        }
    }

    /// True when the lock's holder is known to be gone.
    fn abandoned(path: &std::path::Path) -> bool {
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > Self::STALE);
        let holder_gone = cfg!(target_os = "linux")
            && std::fs::read_to_string(path)
                .ok()
                .and_then(|text| text.trim().parse::<u32>().ok())
                .is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
        old || holder_gone
    }

    /// Marks the lock as live (each saved page).
    pub(super) fn touch(cache: &Cache) {
        let path = cache.data_path(Self::FILE);
        if path.exists() {
            let _ = std::fs::write(&path, std::process::id().to_string());
        }
    }
}

impl Drop for PassLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
