//! The analysis windows as rendered (Xvfb + lavapipe, `#[ignore]`d like the other render
//! tests): the statistics window draws its bars in the registration colours.

use super::render::{pixels_of, real_sources, render};

const REGISTERED: [u8; 3] = [0, 158, 115];
const NOT_REGISTERED: [u8; 3] = [204, 121, 167];

#[test]
#[ignore = "needs a display and Vulkan (xvfb + lavapipe) and ../shared/data"]
fn render_the_statistics_window_draws_its_bars() {
    let sources = real_sources();
    // Markers in type colours (sky blue): the registration colours can only come from bars.
    let mut args = vec!["--width", "1280", "--height", "720", "--color", "type"];
    args.extend(sources.iter().map(String::as_str));
    let plain = render("no-window.png", &args);
    args.extend(["--window", "statistics", "--stats-tab", "owners"]);
    let with_window = render("statistics.png", &args);
    let bars = |picture| {
        (
            pixels_of(picture, REGISTERED),
            pixels_of(picture, NOT_REGISTERED),
        )
    };
    let (registered, not_registered) = bars(&with_window);
    assert!(registered > 1000, "registered bars drawn: {registered} px");
    assert!(
        not_registered > 500,
        "not-registered bars drawn: {not_registered} px"
    );
    let (before, _) = bars(&plain);
    assert!(before * 10 < registered, "without the window: {before} px");
}
