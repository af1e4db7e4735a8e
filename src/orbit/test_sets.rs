//! Real element sets the unit tests share (public facts, typed in): GOES 16 as CelesTrak served
//! it on 2026-08-22 (geosynchronous, Lyddane's low inclination) and MOLNIYA 1-36 (the sgp4
//! crate's own half-day resonant example).

use sgp4::Elements;

pub fn tle(line1: &str, line2: &str) -> Elements {
    Elements::from_tle(None, line1.as_bytes(), line2.as_bytes()).unwrap()
}

pub fn goes_16() -> Elements {
    tle(
        "1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994",
        "2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767",
    )
}

pub fn molniya() -> Elements {
    tle(
        "1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
        "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656",
    )
}
