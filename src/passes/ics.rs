//! Passes as an RFC 5545 calendar: one `VEVENT` per pass, CRLF line ends, lines folded at
//! 75 octets (never inside a UTF-8 character), text values escaped.

use std::fmt::Write as _;

use super::finder::Pass;
use crate::orbit::Instant;

/// What a calendar event needs to say about a pass.
#[derive(Debug, Clone, Copy)]
pub struct CalendarPass<'a> {
    pub norad_id: u32,
    pub name: &'a str,
    pub site: &'a str,
    pub pass: &'a Pass,
}

/// `YYYYMMDDTHHMMSSZ` (UTC, whole seconds rounded down).
pub fn ics_time(at: Instant) -> String {
    at.to_utc().format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (continuations start with a space, which
/// counts towards their 75), with CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The calendar text: one event per pass, in the order given. `stamp` is the `DTSTAMP` of
/// every event (when the calendar was made). UIDs are stable: NORAD number and rise time.
pub fn calendar(passes: &[CalendarPass], stamp: Instant) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//OrbitScope//passes//EN");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    let stamp = ics_time(stamp);
    for item in passes {
        let pass = item.pass;
        let rise_millis = pass.rise.at.seconds * 1000 + i64::from(pass.rise.at.nanos / 1_000_000);
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(
            &mut out,
            &format!("UID:pass-{}-{rise_millis}@orbitscope", item.norad_id),
        );
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(&mut out, &format!("DTSTART:{}", ics_time(pass.rise.at)));
        // DTEND after DTSTART even for a pass shorter than a second.
        let mut end = pass.set.at;
        if ics_time(end) == ics_time(pass.rise.at) {
            end = Instant {
                seconds: pass.rise.at.seconds + 1,
                nanos: 0,
            };
        }
        push_line(&mut out, &format!("DTEND:{}", ics_time(end)));
        let summary = format!(
            "{} (NORAD {}) max {:.0}°{}",
            item.name,
            item.norad_id,
            pass.culmination.elevation_deg,
            if pass.visible { ", visible" } else { "" }
        );
        push_line(&mut out, &format!("SUMMARY:{}", escape_text(&summary)));
        let mut description = String::new();
        let _ = write!(
            description,
            "Rise {} az {:.0}°{}\nCulmination {} el {:.1}° az {:.0}°\nSet {} az {:.0}°{}\nSite: {}",
            pass.rise.at.to_utc().format("%H:%M:%S UTC"),
            pass.rise.azimuth_deg,
            if pass.rise_clipped {
                " (already up at the start)"
            } else {
                ""
            },
            pass.culmination.at.to_utc().format("%H:%M:%S UTC"),
            pass.culmination.elevation_deg,
            pass.culmination.azimuth_deg,
            pass.set.at.to_utc().format("%H:%M:%S UTC"),
            pass.set.azimuth_deg,
            if pass.set_clipped {
                " (still up at the end)"
            } else {
                ""
            },
            item.site,
        );
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&description)),
        );
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}
