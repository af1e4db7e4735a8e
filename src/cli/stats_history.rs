//! `orbitscope stats --history`: objects in orbit on each date since 1957, by type or owner,
//! from a SATCAT alone (see `stats::history` for how objects are dated).

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::{OutputFormat, truncate};
use crate::catalog::satcat::SatcatRecord;
use crate::stats::history::{History, HistoryBy, HistoryEntry, Step, debris_events};

/// The series and the debris events, rendered.
pub fn render(
    rows: &[SatcatRecord],
    location: &str,
    by: HistoryBy,
    step: Step,
    until: NaiveDate,
    format: OutputFormat,
) -> Result<String> {
    if rows.is_empty() {
        bail!("{location} holds no SATCAT rows: nothing to count");
    }
    let entries: Vec<HistoryEntry> = rows.iter().map(HistoryEntry::of).collect();
    let history = History::compute(&entries, by, step, until);
    Ok(match format {
        OutputFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for row in history.rows() {
                writer.serialize(row)?;
            }
            String::from_utf8(writer.into_inner()?)?
        }
        OutputFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "source": location,
                "dating": "entered the catalog: the later of the launch date and the latest launch \
                           date among lower catalog numbers",
                "undated": history.undated,
                "rows": history.rows(),
                "debris_events": debris_events(&entries, 8),
            }))? + "\n"
        }
        OutputFormat::Table => table(&history, &entries, location),
    })
}

fn table(history: &History, entries: &[HistoryEntry], location: &str) -> String {
    let shown = history.top(8);
    let mut out = format!(
        "Objects in orbit from {location}, dated by when they entered the catalog (not by their \
         parent's launch){}.\n\n{:<10}",
        if history.undated > 0 {
            format!("; {} rows without a launch date left out", history.undated)
        } else {
            String::new()
        },
        "date"
    );
    for group in &shown.groups {
        out.push_str(&format!(" {:>11}", truncate(group, 11)));
    }
    out.push_str(&format!(" {:>8}\n", "total"));
    let totals = shown.totals();
    for (index, date) in shown.dates.iter().enumerate() {
        out.push_str(&format!("{date:<10}"));
        for counts in &shown.counts {
            out.push_str(&format!(" {:>11}", counts[index]));
        }
        out.push_str(&format!(" {:>8}\n", totals[index]));
    }
    out.push_str(
        "\nLargest debris-producing launches (fragments catalogued; month most entered):\n",
    );
    for event in debris_events(entries, 8) {
        out.push_str(&format!(
            "  {}  {:<10} {:<28} {:>6} fragments\n",
            event.month.format("%Y-%m"),
            event.launch_id,
            truncate(&event.parent, 28),
            event.fragments
        ));
    }
    out
}
