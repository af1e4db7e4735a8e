//! A short, stable fingerprint of bytes: enough to notice that a file is not what was written,
//! or that two answers are the same. Not a cryptographic hash.

/// 64-bit FNV-1a, as 16 hex digits (the same on every machine and Rust version, unlike the
/// standard library's hashers, so fingerprints saved in the cache stay comparable).
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}
