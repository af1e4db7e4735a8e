//! `orbitscope stats --registered-elsewhere | --register-coverage | --documents`: the questions
//! the UN register makes answerable, as tables, CSV or JSON.

use anyhow::{Result, bail};
use serde::Serialize;

use super::{OutputFormat, truncate};
use crate::catalog::register_check::{CoverageRow, OwnerMismatch, owner_mismatches};
use crate::catalog::{Catalog, Registration, RegistrationSource, SpaceObject};

/// Which register question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterQuestion {
    /// Objects registered by a state other than their SATCAT owner.
    RegisteredElsewhere,
    /// Per owner: the register's entries the catalog has or lacks, and the reverse.
    Coverage,
    /// Every registered object with its UN document symbol(s).
    Documents,
}

/// One registered object and the documents that register it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRow {
    pub norad_id: u32,
    pub cospar_id: String,
    pub name: String,
    pub owner: String,
    pub state_of_registry: String,
    pub documents: String,
    pub according_to: String,
}

pub fn document_rows<'a>(
    catalog: &Catalog,
    objects: impl IntoIterator<Item = &'a SpaceObject>,
) -> Vec<DocumentRow> {
    objects
        .into_iter()
        .filter_map(|object| {
            let Registration::Registered {
                document,
                state_of_registry,
                source,
                ..
            } = &object.registration
            else {
                return None;
            };
            Some(DocumentRow {
                norad_id: object.norad_id,
                cospar_id: object.cospar_id.clone().unwrap_or_default(),
                name: object.name.clone(),
                owner: object.owner_code().unwrap_or_default().to_owned(),
                state_of_registry: match source {
                    RegistrationSource::Gcat => {
                        crate::catalog::owners::gcat_state_name(state_of_registry).to_owned()
                    }
                    RegistrationSource::Unoosa => state_of_registry.clone(),
                },
                documents: document.clone().unwrap_or_default(),
                according_to: object
                    .registration_source_id
                    .and_then(|id| catalog.sources.get(id))
                    .map(crate::catalog::SourceInfo::attribution)
                    .unwrap_or_default(),
            })
        })
        .collect()
}

fn csv_of<T: Serialize>(rows: &[T]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn render_rows<T: Serialize>(
    rows: &[T],
    format: OutputFormat,
    table: impl FnOnce(&[T]) -> String,
) -> Result<String> {
    Ok(match format {
        OutputFormat::Csv => csv_of(rows)?,
        OutputFormat::Json => serde_json::to_string_pretty(rows)? + "\n",
        OutputFormat::Table => table(rows),
    })
}

/// Answers `question` over the objects shown (the filter applies to catalog objects; the
/// register's own entries are all counted).
pub fn answer<'a>(
    catalog: &Catalog,
    shown: impl IntoIterator<Item = &'a SpaceObject>,
    question: RegisterQuestion,
    format: OutputFormat,
) -> Result<String> {
    match question {
        RegisterQuestion::RegisteredElsewhere => {
            render_rows(&owner_mismatches(shown), format, mismatch_table)
        }
        RegisterQuestion::Documents => {
            render_rows(&document_rows(catalog, shown), format, document_table)
        }
        RegisterQuestion::Coverage => {
            let Some(check) = &catalog.register else {
                bail!(
                    "no UN register is loaded: run `orbitscope fetch --unoosa` once, or name an \
                     index export with --unoosa FILE"
                );
            };
            render_rows(&check.coverage(shown), format, coverage_table)
        }
    }
}

fn mismatch_table(rows: &[OwnerMismatch]) -> String {
    let mut out = format!(
        "{} objects registered by a state other than their SATCAT owner.\n{:>6} {:<11} {:<24} {:<6} {:<6} {}\n",
        rows.len(),
        "norad",
        "object id",
        "name",
        "owner",
        "reg as",
        "state of registry"
    );
    for row in rows {
        out.push_str(&format!(
            "{:>6} {:<11} {:<24} {:<6} {:<6} {}\n",
            row.norad_id,
            row.cospar_id.as_deref().unwrap_or("-"),
            truncate(&row.name, 24),
            row.owner_code,
            row.registry_code,
            row.state_of_registry
        ));
    }
    out
}

fn document_table(rows: &[DocumentRow]) -> String {
    let mut out = format!(
        "{} registered objects.\n{:>6} {:<11} {:<24} {:<6} {:<24} {}\n",
        rows.len(),
        "norad",
        "object id",
        "name",
        "owner",
        "state of registry",
        "documents"
    );
    for row in rows {
        out.push_str(&format!(
            "{:>6} {:<11} {:<24} {:<6} {:<24} {}\n",
            row.norad_id,
            row.cospar_id,
            truncate(&row.name, 24),
            row.owner,
            truncate(&row.state_of_registry, 24),
            row.documents
        ));
    }
    out
}

fn coverage_table(rows: &[CoverageRow]) -> String {
    let mut out = String::from(
        "The UN register (by state of registry) against the catalog (by SATCAT owner).\n\
         register: entries; in catalog = have element sets loaded; SATCAT only = known, no \
         elements (decayed, or outside the groups); unknown = COSPAR id in neither; no id = \
         no piece-level COSPAR id.\n\n",
    );
    out.push_str(&format!(
        "{:<24} {:>8} {:>10} {:>11} {:>8} {:>6} {:>9} {:>15}\n",
        "owner",
        "register",
        "in catalog",
        "SATCAT only",
        "unknown",
        "no id",
        "catalog",
        "not in register"
    ));
    for row in rows {
        out.push_str(&format!(
            "{:<24} {:>8} {:>10} {:>11} {:>8} {:>6} {:>9} {:>15}\n",
            truncate(&row.owner, 24),
            row.register_entries,
            row.register_in_catalog,
            row.register_in_satcat_only,
            row.register_unknown_to_catalog,
            row.register_without_cospar,
            row.catalog_objects,
            row.catalog_not_in_register
        ));
    }
    out
}
