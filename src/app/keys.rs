//! Every key the window answers, in one table: the key handlers (`controls.rs` for actions,
//! `camera.rs` for the continuous camera keys) read it, the help window is drawn from it, and a
//! test checks the README's controls table against it, so no key can go undocumented.

use bevy::prelude::KeyCode;

use super::controls::{AppAction, ClockAction};
use super::{ConjunctionRequest, PassRequest};

/// One line of the key table.
#[derive(Debug, Clone, Copy)]
pub struct KeyBinding {
    /// The keys (any of them).
    pub keys: &'static [KeyCode],
    /// How the help and the README write them (`]  /  [`).
    pub label: &'static str,
    pub help: &'static str,
    /// The action a press sends; None where another system handles the keys (held camera keys,
    /// and F12, which the scenario panel reads with its caption).
    pub action: Option<fn() -> AppAction>,
}

/// The camera keys, held down (`camera.rs`). The arrows only: `D` also turned the globe while
/// it opened the data window (the test below found it), so `WASD` went.
pub const TURN_LEFT: &[KeyCode] = &[KeyCode::ArrowLeft];
pub const TURN_RIGHT: &[KeyCode] = &[KeyCode::ArrowRight];
pub const TURN_UP: &[KeyCode] = &[KeyCode::ArrowUp];
pub const TURN_DOWN: &[KeyCode] = &[KeyCode::ArrowDown];
pub const ZOOM_IN: &[KeyCode] = &[KeyCode::Equal, KeyCode::NumpadAdd, KeyCode::PageUp];
pub const ZOOM_OUT: &[KeyCode] = &[KeyCode::Minus, KeyCode::NumpadSubtract, KeyCode::PageDown];
pub const RESET_VIEW: &[KeyCode] = &[KeyCode::Home];

const fn binding(
    keys: &'static [KeyCode],
    label: &'static str,
    help: &'static str,
    action: fn() -> AppAction,
) -> KeyBinding {
    KeyBinding {
        keys,
        label,
        help,
        action: Some(action),
    }
}

const fn held(keys: &'static [KeyCode], label: &'static str, help: &'static str) -> KeyBinding {
    KeyBinding {
        keys,
        label,
        help,
        action: None,
    }
}

/// Every key, in the order the help lists them.
pub const KEY_BINDINGS: &[KeyBinding] = &[
    held(
        &[
            KeyCode::ArrowLeft,
            KeyCode::ArrowRight,
            KeyCode::ArrowUp,
            KeyCode::ArrowDown,
        ],
        "arrows",
        "rotate",
    ),
    held(
        &[
            KeyCode::Equal,
            KeyCode::NumpadAdd,
            KeyCode::PageUp,
            KeyCode::Minus,
            KeyCode::NumpadSubtract,
            KeyCode::PageDown,
        ],
        "`+`/`-`, PageUp/PageDown",
        "zoom",
    ),
    held(RESET_VIEW, "`Home`", "reset the view"),
    binding(
        &[KeyCode::KeyF],
        "`F`",
        "follow the selected object (again: stop)",
        || AppAction::ToggleFollow,
    ),
    binding(
        &[KeyCode::Escape],
        "`Esc`",
        "clear the selection and stop following",
        || AppAction::ClearSelection,
    ),
    binding(
        &[KeyCode::Space],
        "`Space`",
        "pause / resume the clock",
        || AppAction::Clock(ClockAction::TogglePause),
    ),
    binding(
        &[KeyCode::BracketRight],
        "`]`",
        "faster (below 1×: reverse)",
        || AppAction::Clock(ClockAction::Faster),
    ),
    binding(&[KeyCode::BracketLeft], "`[`", "slower", || {
        AppAction::Clock(ClockAction::Slower)
    }),
    binding(&[KeyCode::Backslash], "`\\`", "reverse", || {
        AppAction::Clock(ClockAction::Reverse)
    }),
    binding(&[KeyCode::Period], "`.`", "one minute forward", || {
        AppAction::Clock(ClockAction::Step(60.0))
    }),
    binding(&[KeyCode::Comma], "`,`", "one minute back", || {
        AppAction::Clock(ClockAction::Step(-60.0))
    }),
    binding(&[KeyCode::KeyN], "`N`", "now, in real time", || {
        AppAction::Clock(ClockAction::Now)
    }),
    binding(&[KeyCode::KeyG], "`G`", "graticule", || {
        AppAction::ToggleGraticule
    }),
    binding(&[KeyCode::KeyB], "`B`", "coastlines and borders", || {
        AppAction::ToggleBorders
    }),
    binding(&[KeyCode::KeyT], "`T`", "statistics window", || {
        AppAction::ToggleStatistics
    }),
    binding(&[KeyCode::KeyU], "`U`", "registration gap window", || {
        AppAction::ToggleGapList
    }),
    binding(&[KeyCode::KeyD], "`D`", "data status window", || {
        AppAction::ToggleDataStatus
    }),
    binding(
        &[KeyCode::KeyC],
        "`C`",
        "close approaches: screen the filtered objects",
        || AppAction::Conjunctions(ConjunctionRequest::ToggleWindow),
    ),
    binding(
        &[KeyCode::KeyP],
        "`P`",
        "sites & passes: when an object is in a site's sky",
        || AppAction::Passes(PassRequest::ToggleWindow),
    ),
    binding(
        &[KeyCode::F2],
        "`F2`",
        "scenario window: save / load a view",
        || AppAction::ToggleScenarioWindow,
    ),
    held(&[KeyCode::F12], "`F12`", "screenshot with the overlays"),
    binding(&[KeyCode::F1], "`F1` or `?`", "this help", || {
        AppAction::ToggleHelp
    }),
];

/// The pointer and the panels, for the help (they have no key).
pub const POINTER: &[(&str, &str)] = &[
    ("drag (left button)", "rotate around the Earth"),
    ("wheel", "zoom"),
    (
        "click a marker",
        "select it: details, orbit and ground track",
    ),
    ("hover a marker", "its name"),
    (
        "filter panel",
        "tick to narrow; counts say what each choice shows",
    ),
    (
        "search box",
        "name, NORAD number or COSPAR id; click a result to go to it",
    ),
    ("legend", "click a colour to show only those objects"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_does_two_things() {
        let mut seen = std::collections::HashSet::new();
        for binding in KEY_BINDINGS {
            for key in binding.keys {
                assert!(seen.insert(*key), "{key:?} is bound twice");
            }
        }
        for camera_keys in [TURN_LEFT, TURN_RIGHT, TURN_UP, TURN_DOWN, ZOOM_IN, ZOOM_OUT] {
            for key in camera_keys {
                assert!(
                    seen.contains(key),
                    "{key:?} is handled but not in the table"
                );
            }
        }
    }

    /// The README's controls table lists every key of the table, as the table writes it.
    #[test]
    fn the_readme_lists_every_key() {
        let readme = include_str!("../../README.md");
        let controls = readme
            .split("## Controls")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("the README has a Controls section");
        for binding in KEY_BINDINGS {
            assert!(
                controls.contains(&format!("| {} |", binding.label)),
                "the README's controls table lacks {}",
                binding.label
            );
        }
    }
}
