//! UNOOSA's Online Index of Objects Launched into Outer Space, as its search page's JSON
//! endpoint answers it, and the register OrbitScope assembles from those pages.
//!
//! The endpoint is undocumented, so the reader is tolerant: unknown fields are ignored, a
//! value may come as a string, a number or a list, and a record without a COSPAR id is kept
//! (it counts in statistics; it cannot join). Only an answer that is not the search envelope
//! at all is refused, saying what was expected and what came.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::unoosa::{UnoosaRecord, document_symbol};
use super::{Parsed, RecordIssue, RecordLocation, Registration, RegistrationSource};

/// The fields of a result's `values` that OrbitScope reads.
mod field {
    pub const COSPAR_ID: &str = "object.internationalDesignator_s1";
    pub const NATIONAL_DESIGNATOR: &str = "object.nationalDesignator_s1";
    pub const NAME: &str = "object.nameOfSpaceObjectO_s1";
    pub const STATE_OF_REGISTRY: &str = "object.launch.stateOfRegistry_s1";
    pub const LAUNCH_DATE: &str = "object.launch.dateOfLaunch_s1";
    pub const STATUS: &str = "en#object.status.objectStatus_s1";
    pub const DECAY_DATE: &str = "object.status.dateOfDecay_s1";
    pub const REGISTERED: &str = "object.unRegistration.unRegistered_s1";
    pub const DOCUMENTS: &str =
        "object.unRegistration.registrationDocuments.document..document.symbol_s";
    pub const FUNCTION: &str = "object.functionOfSpaceObject_s1";
    pub const REMARK: &str = "object.remark_s1";
}

/// One object of the UN register, as OrbitScope keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct RegisterEntry {
    /// International designator (`2025-206B`); `None` where the index gives none.
    pub cospar_id: Option<String>,
    pub national_designator: Option<String>,
    pub name: Option<String>,
    /// State (or organisation) of registry, as the UN writes it.
    pub state_of_registry: Option<String>,
    /// `YYYY-MM-DD`, sometimes `YYYY-MM` or `YYYY`, as written.
    pub launch_date: Option<String>,
    pub status: Option<String>,
    pub decay_date: Option<String>,
    /// The index's `T`/`F`; `None` when it says neither.
    pub registered: Option<bool>,
    /// UN document symbols (`ST/SG/SER.E/1000`).
    #[serde(default)]
    pub documents: Vec<String>,
    pub function: Option<String>,
    pub remark: Option<String>,
}

impl RegisterEntry {
    /// What identifies the entry between two passes: the COSPAR id with the state's
    /// registration number (many entries share a launch-level designator such as
    /// `2025-155*`), or failing both, all the other designations.
    pub fn key(&self) -> String {
        let cospar = self
            .cospar_id
            .as_deref()
            .map(super::join::normalise_cospar)
            .unwrap_or_default();
        let national = self.national_designator.as_deref().unwrap_or("").trim();
        if cospar.is_empty() && national.is_empty() {
            format!(
                "other:{}|{}|{}",
                self.name.as_deref().unwrap_or(""),
                self.state_of_registry.as_deref().unwrap_or(""),
                self.launch_date.as_deref().unwrap_or("")
            )
        } else {
            format!("{cospar}|{national}")
        }
    }

    /// The registration fact this entry states, for the join.
    pub fn registration(&self) -> Option<Registration> {
        let state = self.state_of_registry.clone();
        Some(match self.registered? {
            true => Registration::Registered {
                document: (!self.documents.is_empty()).then(|| self.documents.join("; ")),
                state_of_registry: state.clone().unwrap_or_else(|| "unknown".to_owned()),
                raw_state: state.unwrap_or_default(),
                source: RegistrationSource::Unoosa,
            },
            false => Registration::NotRegistered {
                state,
                source: RegistrationSource::Unoosa,
            },
        })
    }

    /// The entry as the join takes it; `None` when it says neither registered nor not.
    pub fn to_record(&self) -> Option<UnoosaRecord> {
        Some(UnoosaRecord {
            cospar_id: self.cospar_id.clone(),
            national_designator: self.national_designator.clone(),
            name: self.name.clone(),
            state: self.state_of_registry.clone(),
            status: self.status.clone(),
            registration: self.registration()?,
        })
    }
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexPage {
    /// The total the index reports for the search.
    pub found: usize,
    /// Results on the page, readable or not.
    pub results: usize,
    pub entries: Vec<RegisterEntry>,
    /// Results that could not be read (each skipped, with the reason).
    pub issues: Vec<RecordIssue>,
    /// A fingerprint of the page's results as sent (see [`crate::digest`]): two pages with the
    /// same one are the same answer, whatever `startAt` was asked for.
    pub fingerprint: String,
}

/// An answer that is not the search envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "expected UNOOSA's search answer (a JSON object with \"found\" and a \"results\" list), got {got}"
)]
pub struct EnvelopeError {
    pub got: String,
}

fn describe_value(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let keys: Vec<&str> = map.keys().map(String::as_str).take(6).collect();
            format!("an object with keys [{}]", keys.join(", "))
        }
        Value::Array(items) => format!("a JSON list of {} items", items.len()),
        Value::String(_) => "a JSON string".to_owned(),
        Value::Number(_) => "a JSON number".to_owned(),
        Value::Bool(_) => "a JSON boolean".to_owned(),
        Value::Null => "JSON null".to_owned(),
    }
}

/// The text of a value: strings as written, numbers printed, the first string of a list.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => return items.iter().find_map(text_of),
        _ => return None,
    };
    (!text.is_empty() && !text.chars().all(|c| c == '-')).then_some(text)
}

/// Every string in a value (a list of document symbols, or one).
fn texts_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(texts_of).collect(),
        other => text_of(other).into_iter().collect(),
    }
}

/// Parses one answer of the search endpoint. `location` names it in issues (the URL).
pub fn parse_index_page(bytes: &[u8], location: &str) -> Result<IndexPage, EnvelopeError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_lowercase();
        let got = if start.trim_start().starts_with('<') {
            if start.contains("<html") || start.contains("<!doctype") {
                "an HTML page".to_owned()
            } else {
                "XML or HTML".to_owned()
            }
        } else if error.is_eof() {
            format!(
                "JSON that ends early ({} bytes: cut off in transit?)",
                bytes.len()
            )
        } else {
            format!("text that is not JSON ({error})")
        };
        EnvelopeError { got }
    })?;
    let Value::Object(envelope) = &value else {
        return Err(EnvelopeError {
            got: describe_value(&value),
        });
    };
    let found = envelope
        .get("found")
        .or_else(|| envelope.get("response").and_then(|r| r.get("found")))
        .and_then(|found| {
            found
                .as_u64()
                .or_else(|| found.as_str().and_then(|s| s.trim().parse().ok()))
        });
    let (Some(found), Some(Value::Array(results))) = (found, envelope.get("results")) else {
        return Err(EnvelopeError {
            got: describe_value(&value),
        });
    };
    let mut page = IndexPage {
        found: usize::try_from(found).unwrap_or(usize::MAX),
        results: results.len(),
        fingerprint: crate::digest::content_hash(&serde_json::to_vec(results).unwrap_or_default()),
        ..IndexPage::default()
    };
    for (index, result) in results.iter().enumerate() {
        let skip = |message: &str| {
            RecordIssue::skipped(location, RecordLocation::Record(index + 1), message)
        };
        let Some(Value::Object(values)) = result.get("values") else {
            page.issues
                .push(skip("the result has no \"values\" object"));
            continue;
        };
        let text = |name: &str| values.get(name).and_then(text_of);
        let registered = match text(field::REGISTERED).as_deref() {
            Some("T") => Some(true),
            Some("F") => Some(false),
            None => None,
            Some(other) => {
                page.issues.push(
                    skip(&format!("expected T or F, got {other:?}")).with_field(field::REGISTERED),
                );
                continue;
            }
        };
        page.entries.push(RegisterEntry {
            cospar_id: text(field::COSPAR_ID),
            national_designator: text(field::NATIONAL_DESIGNATOR),
            name: text(field::NAME),
            state_of_registry: text(field::STATE_OF_REGISTRY),
            launch_date: text(field::LAUNCH_DATE),
            status: text(field::STATUS),
            decay_date: text(field::DECAY_DATE),
            registered,
            documents: values
                .get(field::DOCUMENTS)
                .map(texts_of)
                .unwrap_or_default()
                .iter()
                .filter_map(|raw| document_symbol(raw))
                .collect(),
            function: text(field::FUNCTION),
            remark: text(field::REMARK),
        });
    }
    Ok(page)
}

/// The register as OrbitScope stores it in its cache, assembled from a completed pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnRegister {
    /// Marks the file's layout.
    pub format: String,
    /// The search endpoint it was read from.
    pub source: String,
    /// When the last full pass completed.
    pub full_pass_at: DateTime<Utc>,
    /// When the last pass (full or incremental) completed.
    pub updated_at: DateTime<Utc>,
    /// The total the index reported in the last pass.
    pub found: usize,
    pub entries: Vec<RegisterEntry>,
}

impl UnRegister {
    pub const FORMAT: &'static str = "orbitscope-un-register/1";
}

/// Reads a stored register for the join: every entry that states registered or not, keyed by
/// COSPAR id where it has one (entries without one are kept: they count, they cannot join).
pub fn parse_register(bytes: &[u8], location: &str) -> (Option<UnRegister>, Parsed<UnoosaRecord>) {
    let register: UnRegister = match serde_json::from_slice(bytes) {
        Ok(register) => register,
        Err(error) => {
            return (
                None,
                Parsed::failed(RecordIssue::whole_file(
                    location,
                    format!("not an OrbitScope UN register file ({error})"),
                )),
            );
        }
    };
    if register.format != UnRegister::FORMAT {
        return (
            None,
            Parsed::failed(RecordIssue::whole_file(
                location,
                format!(
                    "register file layout {:?}, this version reads {:?}",
                    register.format,
                    UnRegister::FORMAT
                ),
            )),
        );
    }
    let mut parsed = Parsed {
        read: register.entries.len(),
        ..Parsed::default()
    };
    for (index, entry) in register.entries.iter().enumerate() {
        match entry.to_record() {
            Some(record) => parsed.records.push(record),
            None => parsed.issues.push(
                RecordIssue::skipped(
                    location,
                    RecordLocation::Record(index + 1),
                    "the register says neither registered (T) nor not (F)",
                )
                .with_field(field::REGISTERED),
            ),
        }
    }
    (Some(register), parsed)
}

#[cfg(test)]
mod tests;
