//! `orbitscope shot --scenario` on the command line, without rendering: the examples dump as
//! written, options override the file, and bad scenarios are refused with the field and line
//! named, a non-zero exit, and no image written.

use crate::support::orbitscope;

const EXAMPLES: [&str; 3] = ["who-registers", "debris-clouds", "geo-belt"];

fn example(name: &str) -> String {
    format!(
        "{}/assets/scenarios/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn every_example_dumps_as_written() {
    for name in EXAMPLES {
        let path = example(name);
        let output = orbitscope(&["shot", "--scenario", &path, "--dump"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            std::fs::read_to_string(&path).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn options_override_the_scenario() {
    let output = orbitscope(&[
        "shot",
        "--scenario",
        &example("who-registers"),
        "--dump",
        "--at",
        "now-6h",
        "--width",
        "3840",
        "--height",
        "2160",
        "--color",
        "treaty",
        "--look-at",
        "10,-20",
    ]);
    let dumped = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "\"time\": \"now-6h\"",
        "\"width\": 3840",
        "\"height\": 2160",
        "\"color\": \"registration_convention\"",
        "10.0,\n      -20.0",
        "\"title\": \"Who registers?\"",
    ] {
        assert!(dumped.contains(expected), "{expected} in {dumped}");
    }
}

#[test]
fn bad_scenarios_are_refused_with_the_field_and_no_image() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.png");
    let cases = [
        (
            "syntax",
            "{\n  \"version\": 1,\n  \"time\": \"now\",\n}\n",
            "line 4",
        ),
        (
            "colour",
            "{\n  \"version\": 1,\n  \"time\": \"now\",\n  \"color\": \"rainbow\"\n}\n",
            "line 4, field `color`",
        ),
        (
            "negative",
            "{\n  \"version\": 1,\n  \"time\": \"now\",\n  \"output\": {\"width\": -1, \"height\": 720}\n}\n",
            "field `output.width`",
        ),
        (
            "absurd",
            "{\n  \"version\": 1,\n  \"time\": \"now\",\n  \"output\": {\"width\": 100000, \"height\": 720}\n}\n",
            "field `output.width`: 100000 is outside 64..=7680",
        ),
        (
            "unknown field",
            "{\n  \"version\": 1,\n  \"time\": \"now\",\n  \"colour\": \"owner\"\n}\n",
            "unknown field `colour`",
        ),
        (
            "future",
            "{\n  \"version\": 7,\n  \"time\": \"now\"\n}\n",
            "line 2, field `version`: version 7 is newer",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, text).unwrap();
        let output = orbitscope(&[
            "shot",
            "--scenario",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name}: accepted");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}.json")),
            "{name} names the file: {stderr}"
        );
        assert!(!out.exists(), "{name}: an image was written");
    }
    let too_big = orbitscope(&["shot", "--out", out.to_str().unwrap(), "--width", "9000"]);
    assert!(!too_big.status.success());
    assert!(String::from_utf8_lossy(&too_big.stderr).contains("output.width"));
}

#[test]
fn sequences_are_checked_before_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    let run = |from: &str, to: &str, step: &str| {
        orbitscope(&[
            "shot",
            "--out",
            frames.to_str().unwrap(),
            "--from",
            from,
            "--to",
            to,
            "--step",
            step,
        ])
    };
    let backwards = run("2026-08-22T12:00:00Z", "2026-08-22T11:00:00Z", "60s");
    assert!(String::from_utf8_lossy(&backwards.stderr).contains("is before --from"));
    let many = run("2026-08-22T00:00:00Z", "2026-09-22T00:00:00Z", "1s");
    assert!(String::from_utf8_lossy(&many.stderr).contains("at most 10000 per sequence"));
    let step = run("2026-08-22T00:00:00Z", "2026-08-22T01:00:00Z", "fast");
    assert!(String::from_utf8_lossy(&step.stderr).contains("expected a duration"));
    assert!(!frames.exists(), "nothing was written");
}
