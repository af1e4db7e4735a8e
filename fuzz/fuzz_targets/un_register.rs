//! The reader of the UN register file assembled from the index on arbitrary bytes: no panic, and the
//! invariant of `accounting::read_checked` holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orbitscope::catalog::accounting::{Reader, read_checked};

fuzz_target!(|data: &[u8]| {
    if let Err(error) = read_checked(Reader::UnRegister, data) {
        panic!("accounting invariant broken: {error}");
    }
});
