//! The cache's records on arbitrary bytes (a torn or edited sidecar, host stop record or data
//! file): reading them never panics; a sidecar that reads is one the cache would write again
//! identically; data is only handed out when it matches its sidecar's length and hash.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use orbitscope::sources::cache::{CacheMeta, content_hash};
use orbitscope::sources::{Cache, CacheError};

fn cache() -> &'static (tempfile::TempDir, Cache) {
    static CACHE: OnceLock<(tempfile::TempDir, Cache)> = OnceLock::new();
    CACHE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path());
        (dir, cache)
    })
}

fuzz_target!(|data: &[u8]| {
    let (dir, cache) = cache();
    // The first half is the sidecar, the second the data file (and the host stop record).
    let (sidecar, body) = data.split_at(data.len() / 2);
    std::fs::write(dir.path().join("k.meta.json"), sidecar).expect("write sidecar");
    std::fs::write(dir.path().join("k"), body).expect("write data");
    std::fs::write(dir.path().join("host-h.stop.json"), body).expect("write host stop");

    match cache.read_meta("k") {
        Ok(Some(meta)) => {
            let json = serde_json::to_vec(&meta).expect("a sidecar serialises");
            let again: CacheMeta = serde_json::from_slice(&json).expect("and reads back");
            assert_eq!(again, meta, "sidecar round trip");
            match cache.read_data("k", &meta) {
                Ok(bytes) => {
                    assert_eq!(meta.length, Some(bytes.len() as u64));
                    assert_eq!(meta.hash.as_deref(), Some(content_hash(&bytes).as_str()));
                }
                Err(CacheError::Corrupt { .. } | CacheError::Missing(_)) => {}
                Err(other) => panic!("unexpected: {other}"),
            }
        }
        Ok(None) => panic!("a sidecar file exists"),
        Err(CacheError::Corrupt { .. }) => {
            assert!(cache.load("k").is_err(), "a corrupt sidecar hands out no data");
        }
        Err(other) => panic!("unexpected: {other}"),
    }
    let _ = cache.read_host_stop("h");
});
