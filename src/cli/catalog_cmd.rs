//! `orbitscope catalog`: an honest summary of what was loaded, joined and skipped.

use std::fmt::Write as _;

use anyhow::Result;

use super::{CatalogArgs, load};
use crate::catalog::{ObjectType, Registration, RegistrationSource};
use crate::loader::LoadedCatalog;

pub fn run(args: &CatalogArgs) -> Result<()> {
    let loaded = load(&args.sources)?;
    super::write_stdout(&summary(&loaded, args.show_issues, args.show_disagreements))?;
    Ok(())
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

/// The text `orbitscope catalog` prints.
pub fn summary(loaded: &LoadedCatalog, show_issues: usize, show_disagreements: usize) -> String {
    let catalog = &loaded.catalog;
    let report = &catalog.report;
    let mut out = String::new();
    let _ = writeln!(out, "Sources");
    for load in &loaded.loads {
        let fetched = load.info.fetched_at.map_or_else(String::new, |at| {
            format!(", fetched {}", at.format("%Y-%m-%d %H:%M UTC"))
        });
        let _ = writeln!(
            out,
            "  {:<7} {} ({}{fetched}): {} records read, {} kept, {} skipped, {} with caveats",
            load.info.kind,
            load.info.location,
            load.format,
            load.read,
            load.records,
            load.skipped,
            load.caveats
        );
    }

    let _ = writeln!(out, "\nObjects: {}", report.objects);
    if report.gp_duplicates > 0 || report.gp_skipped > 0 {
        let _ = writeln!(
            out,
            "  ({} element sets kept by the readers; {} older duplicates of the same object \
             dropped; {} the join could not use, listed below)",
            report.gp_records, report.gp_duplicates, report.gp_skipped
        );
    }
    let _ = writeln!(
        out,
        "  {:<12} {:>8} {:>12} {:>18}",
        "type", "objects", "with SATCAT", "with registration"
    );
    for (kind, coverage) in &report.by_type {
        let _ = writeln!(
            out,
            "  {:<12} {:>8} {:>12} {:>18}",
            kind.label(),
            coverage.objects,
            coverage.with_satcat,
            coverage.with_registration_data
        );
    }
    let untyped = catalog
        .objects
        .iter()
        .filter(|o| o.satcat.is_none() && o.object_type() != ObjectType::Unknown)
        .count();
    if untyped > 0 {
        let _ = writeln!(
            out,
            "  ({untyped} objects without a SATCAT row are typed from their names, e.g. '... R/B')"
        );
    }

    let _ = writeln!(out, "\nJoin coverage");
    let _ = writeln!(
        out,
        "  SATCAT:       {} of {} objects ({}); {} SATCAT rows match no loaded element set",
        report.with_satcat,
        report.objects,
        percent(report.with_satcat, report.objects),
        report.satcat_rows_unmatched
    );
    let _ = writeln!(
        out,
        "  registration: {} of {} objects ({}): {} via GCAT on NORAD id, {} via the UNOOSA index on COSPAR id",
        report.with_registration_data,
        report.objects,
        percent(report.with_registration_data, report.objects),
        report.gcat_matches,
        report.unoosa_matches
    );
    if report.gcat_rows_without_norad > 0 {
        let _ = writeln!(
            out,
            "  ({} GCAT rows have no NORAD number and cannot join)",
            report.gcat_rows_without_norad
        );
    }
    if report.unoosa_rows_without_cospar > 0 {
        let _ = writeln!(
            out,
            "  ({} UN register entries have no COSPAR id: counted in statistics, unable to join)",
            report.unoosa_rows_without_cospar
        );
    }
    disagreements(&mut out, loaded, show_disagreements);

    let (mut registered, mut not_registered, mut no_data) = (0, 0, 0);
    let (mut by_gcat, mut by_unoosa) = (0, 0);
    for object in &catalog.objects {
        match &object.registration {
            Registration::Registered { source, .. } => {
                registered += 1;
                match source {
                    RegistrationSource::Gcat => by_gcat += 1,
                    RegistrationSource::Unoosa => by_unoosa += 1,
                }
            }
            Registration::NotRegistered { .. } => not_registered += 1,
            Registration::NoData => no_data += 1,
        }
    }
    let _ = writeln!(out, "\nUN registration");
    let _ = writeln!(
        out,
        "  registered:     {registered:>7} ({by_unoosa} per UNOOSA, {by_gcat} per GCAT)"
    );
    let _ = writeln!(out, "  not registered: {not_registered:>7}");
    let _ = writeln!(out, "  no data:        {no_data:>7}");

    let rejections = crate::orbit::reference::rejections(
        catalog.objects.iter().map(|object| &object.elements),
        crate::orbit::PropagationMode::default(),
    );
    let near_earth = catalog
        .objects
        .iter()
        // The kernel's own test (on the Brouwer mean motion), so the split printed is the one run.
        .filter(|object| {
            crate::orbit::reference::brouwer_orbit(&object.elements)
                .is_ok_and(|orbit| crate::orbit::simd::is_near_earth(&orbit))
        })
        .count();
    let _ = writeln!(
        out,
        "
SGP4
  kernel: {}, for {near_earth} near-Earth objects and {} deep-space objects \
         (period ≥ 225 min) alike",
        crate::orbit::configured_width(),
        catalog.objects.len() - near_earth
    );
    let _ = writeln!(
        out,
        "  refused at initialisation (never drawn): {}",
        rejections.len()
    );
    for &(index, reason) in rejections.iter().take(show_issues) {
        let object = &catalog.objects[index];
        let _ = writeln!(
            out,
            "    NORAD {} {}: {reason}",
            object.norad_id, object.name
        );
    }
    if rejections.len() > show_issues {
        let _ = writeln!(out, "    ... and {} more", rejections.len() - show_issues);
    }

    let stopped: Vec<_> = catalog.issues.iter().filter(|i| i.fatal).collect();
    if !stopped.is_empty() {
        let _ = writeln!(out, "\nSources not read to the end: {}", stopped.len());
        for issue in &stopped {
            let _ = writeln!(out, "  {issue}");
        }
    }
    let skipped: Vec<_> = catalog
        .issues
        .iter()
        .filter(|i| i.skips_a_record())
        .collect();
    let caveats = catalog.issues.iter().filter(|i| !i.skipped).count();
    let _ = writeln!(out, "\nSkipped records: {}", skipped.len());
    for issue in skipped.iter().take(show_issues) {
        let _ = writeln!(out, "  {issue}");
    }
    if skipped.len() > show_issues {
        let _ = writeln!(out, "  ... and {} more", skipped.len() - show_issues);
    }
    if caveats > 0 {
        let _ = writeln!(out, "Records kept with caveats: {caveats}");
        for issue in catalog
            .issues
            .iter()
            .filter(|i| !i.skipped)
            .take(show_issues.min(5))
        {
            let _ = writeln!(out, "  {issue}");
        }
    }
    for warning in &loaded.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    out
}

/// Where GCAT and the UN register differ, object by object (the register's answer is used).
fn disagreements(out: &mut String, loaded: &LoadedCatalog, limit: usize) {
    let catalog = &loaded.catalog;
    if catalog.disagreements.is_empty() {
        return;
    }
    let register = catalog
        .sources
        .iter()
        .find(|source| source.kind == "unoosa")
        .map_or_else(|| "the UN register".to_owned(), register_name);
    let _ = writeln!(
        out,
        "  GCAT and {register} disagree on {} objects (the register's answer is used){}",
        catalog.disagreements.len(),
        if catalog.disagreements.len() > limit {
            format!("; the first {limit} (--show-disagreements N for more):")
        } else {
            ":".to_owned()
        }
    );
    for disagreement in catalog.disagreements.iter().take(limit) {
        let object = catalog
            .index_of(disagreement.norad_id)
            .map(|index| &catalog.objects[index]);
        let _ = writeln!(
            out,
            "    {:>6} {:<11} {:<24} [{}] UN register: {} | GCAT: {}",
            disagreement.norad_id,
            object.and_then(|o| o.cospar_id.as_deref()).unwrap_or("-"),
            object.map_or("", |o| o.name.as_str()),
            disagreement.kind.label(),
            disagreement.un_register.describe(),
            disagreement.gcat.describe()
        );
    }
}

/// "the UN register (fetched 2026-11-26)" or "the UN register (file index.csv)".
fn register_name(source: &crate::catalog::SourceInfo) -> String {
    let attribution = source.attribution();
    let detail = attribution
        .strip_prefix("according to the UN register")
        .unwrap_or_default()
        .trim_start_matches(", ")
        .trim_matches(['(', ')', ' ']);
    format!("the UN register ({detail})")
}
