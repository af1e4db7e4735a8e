//! The omm_xml reader on arbitrary bytes: no panic, and every record met is kept or skipped
//! with a reason (for element sets, through the join as well).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orbitscope::catalog::accounting::{Reader, read_checked};

fuzz_target!(|data: &[u8]| {
    if let Err(error) = read_checked(Reader::OmmXml, data) {
        panic!("accounting invariant broken: {error}");
    }
});
